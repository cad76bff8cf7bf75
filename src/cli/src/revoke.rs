//! What `revocations sign` and `import --revocations` share: reading revoked
//! `(issuer key, cert_id)` entries, and publishing a new version of the
//! revocation set as a full list plus the delta from the version it replaces.
//!
//! Publishing writes the delta (`revocation-deltas/<version>` beside the
//! list) before the full list, each through a temporary file and a rename, so
//! a registry polling the folder never sees a full list whose delta is
//! missing, nor half a file.

use std::fs::File;
use std::path::{Path, PathBuf};

use yanzheng_core::crypto::from_hex;
use yanzheng_core::{Kid, RevocationDelta, RevocationList, RevokedSet, SecretKey, UnixTime};

use crate::error::CliError;
use crate::files;
use crate::keyfile;
use crate::lists;

/// Deltas kept beside the list: a device that last synced more versions ago
/// than this fetches the full list.
pub const KEEP_DELTAS: u64 = 120;

/// Parses a maximum age: `7d`, `36h`, `90m` or seconds.
pub fn parse_max_age(s: &str) -> Result<u64, CliError> {
    let t = s.trim();
    let (digits, unit) = match t.char_indices().last() {
        Some((i, 'd')) => (&t[..i], 86_400),
        Some((i, 'h')) => (&t[..i], 3_600),
        Some((i, 'm')) => (&t[..i], 60),
        Some((i, 's')) => (&t[..i], 1),
        _ => (t, 1),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .filter(|&secs| secs > 0 && secs <= yanzheng_core::revocation::MAX_MAX_AGE)
        .ok_or_else(|| {
            CliError::usage(format!("--max-age: `{s}` is not a duration"))
                .hint("e.g. 7d, 36h or 3600 (seconds); at most 366 days")
        })
}

/// The default maximum age, as the flags' help shows it (equal to core's
/// `DEFAULT_MAX_AGE`, tested).
pub const DEFAULT_MAX_AGE_TEXT: &str = "7d";

/// The key id a `--key` file names (public or secret issuer key file).
pub fn kid_of_key_file(path: &Path) -> Result<Kid, CliError> {
    Ok(keyfile::load(path)?.public.kid())
}

fn parse_kid(s: &str) -> Option<Kid> {
    if s.len() != 16 {
        return None;
    }
    from_hex(s).and_then(|b| Kid::from_slice(&b))
}

/// One entry: `KID:ID`, `KID,ID` or `KID ID` (KID the issuer key's 16 hex
/// characters), or a bare `ID` when `default_kid` is given (`--key`).
pub fn parse_entry(
    s: &str,
    origin: &str,
    default_kid: Option<Kid>,
) -> Result<(Kid, u64), CliError> {
    let t = s.trim();
    let bad = |why: &str| {
        CliError::usage(format!("{origin}: `{t}` {why}")).hint(
            "write KID:ID (the issuer key id, the `kid` in its .pub file, then the certificate \
             id), or pass --key ISSUER.pub and give bare ids",
        )
    };
    let (kid, id) = match t.split_once([':', ',', ' ', '\t']) {
        Some((k, id)) => (
            parse_kid(k.trim()).ok_or_else(|| bad("does not start with a 16-character key id"))?,
            id.trim(),
        ),
        None => (default_kid.ok_or_else(|| bad("names no issuer key"))?, t),
    };
    let id = id
        .parse::<u64>()
        .map_err(|_| bad("has no certificate id (a whole number below 2^64)"))?;
    Ok((kid, id))
}

/// The entries of a file, one a line (blank lines and `#` comments skipped).
pub fn read_entries(path: &Path, default_kid: Option<Kid>) -> Result<Vec<(Kid, u64)>, CliError> {
    let text = files::read_text(path)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        out.push(parse_entry(
            t,
            &format!("{} line {}", path.display(), i + 1),
            default_kid,
        )?);
    }
    Ok(out)
}

/// Writes `bytes` to `path` through a temporary file and a rename, so a
/// server polling the file never reads half of it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let tmp = files::sibling(path, &format!(".{}.tmp", std::process::id()));
    files::write(&tmp, bytes)?;
    File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| CliError::io("write", &tmp, &e))?;
    std::fs::rename(&tmp, path).map_err(|e| CliError::io("replace", path, &e))
}

/// The folder of deltas for a list file.
pub fn deltas_dir(list: &Path) -> PathBuf {
    files::sibling(list, "revocation-deltas")
}

/// What [`publish`] wrote.
pub struct Published {
    /// The new state.
    pub list: RevocationList,
    /// Bytes of the full list.
    pub full_bytes: usize,
    /// The delta file and its size, if a previous version was replaced.
    pub delta: Option<(PathBuf, usize)>,
}

/// Signs version `version` of `set` and writes it to `path`, with the delta
/// from `current` (the list at `path` before, if any). Refuses a version
/// that would not replace `current`.
pub fn publish(
    path: &Path,
    current: Option<&RevocationList>,
    version: u64,
    issued_at: UnixTime,
    max_age: u64,
    set: &RevokedSet,
    root: &SecretKey,
) -> Result<Published, CliError> {
    let bytes = RevocationList::sign(version, issued_at, max_age, set, root);
    let list = RevocationList::load(&bytes, &root.public())
        .map_err(|e| CliError::usage(format!("the new list would not load: {e}")))?;
    RevocationList::accept_update(current, &list)
        .map_err(|e| CliError::usage(format!("the new list would not replace the old: {e}")))?;
    let mut delta = None;
    if let Some(c) = current.filter(|c| c.version < version) {
        let d = RevocationDelta::sign(c, set, version, issued_at, max_age, root);
        let checked = RevocationDelta::load(&d, &root.public())
            .map_err(|e| CliError::usage(format!("the delta would not load: {e}")))?;
        let applied = c
            .apply(&checked)
            .map_err(|e| CliError::usage(format!("the delta would not apply: {e}")))?;
        if applied.map(|l| l.digest()) != Some(list.digest()) {
            return Err(CliError::usage("the delta does not lead to the new list"));
        }
        let dir = deltas_dir(path);
        let file = dir.join(version.to_string());
        write_atomically(&file, &d)?;
        prune_deltas(&dir, version);
        delta = Some((file, d.len()));
    }
    write_atomically(path, &bytes)?;
    Ok(Published {
        list,
        full_bytes: bytes.len(),
        delta,
    })
}

/// Removes deltas more than [`KEEP_DELTAS`] versions old (best effort).
fn prune_deltas(dir: &Path, newest: u64) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let old = e
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u64>().ok())
            .is_some_and(|v| v + KEEP_DELTAS <= newest);
        if old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The list at `path` if there is one (loaded with `root`'s public key).
pub fn current_at(path: &Path, root: &SecretKey) -> Result<Option<RevocationList>, CliError> {
    if path.is_file() {
        Ok(Some(lists::load_revocations(path, &root.public())?))
    } else {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzheng_core::revocation::DEFAULT_MAX_AGE;

    #[test]
    fn entries_and_ages_parse() {
        let kid = Kid([0xab; 8]);
        let hex = kid.to_hex();
        assert_eq!(
            parse_entry(&format!("{hex}:42"), "x", None).ok(),
            Some((kid, 42))
        );
        assert_eq!(
            parse_entry(&format!("{hex}, 18446744073709551615"), "x", None).ok(),
            Some((kid, u64::MAX))
        );
        assert_eq!(parse_entry("7", "x", Some(kid)).ok(), Some((kid, 7)));
        assert!(parse_entry("7", "x", None).is_err());
        assert!(parse_entry("abc:7", "x", None).is_err());
        assert!(parse_entry(&format!("{hex}:-1"), "x", None).is_err());
        assert_eq!(
            parse_max_age(DEFAULT_MAX_AGE_TEXT).ok(),
            Some(DEFAULT_MAX_AGE)
        );
        assert_eq!(parse_max_age("36h").ok(), Some(36 * 3600));
        assert_eq!(parse_max_age("90").ok(), Some(90));
        assert!(parse_max_age("0d").is_err() && parse_max_age("400d").is_err());
        assert!(parse_max_age("x").is_err());
    }
}
