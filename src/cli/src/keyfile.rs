//! Key files: JSON with the key's kind, key id, public key and (in the secret
//! file only) the 32-byte seed, all hex; issuer keys also carry what the
//! trust list will say about them. Loading checks that the parts agree, so a
//! hand-edited file cannot pair one key's seed with another key's id.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use yanzheng_core::crypto::{from_hex, to_hex};
use yanzheng_core::trust::TrustList;
use yanzheng_core::{CertKind, Date, IssuerKey, KeyStatus, PublicKey, SecretKey, UnixTime};

use crate::error::CliError;
use crate::files;

/// What a key is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    /// The root key: signs trust lists and revocation lists.
    Root,
    /// An issuing authority's key: signs certificates.
    Issuer,
}

impl KeyKind {
    fn with_article(self) -> &'static str {
        match self {
            KeyKind::Root => "a root",
            KeyKind::Issuer => "an issuer",
        }
    }
}

/// What the trust list says about an issuer key (besides its status).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerMeta {
    /// The issuing authority's name, e.g. 上海市应急管理局.
    pub name: String,
    /// GB/T 2260 region code.
    pub region: u32,
    /// Certificate types the key may sign.
    pub types: Vec<CertKind>,
    /// First day the key may sign.
    pub sign_from: Date,
    /// Last day the key may sign.
    pub sign_until: Date,
}

/// The file format (one struct for both the secret and the public file).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyJson {
    kind: KeyKind,
    kid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seed: Option<String>,
    public: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    region: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    types: Option<Vec<CertKind>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sign_from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sign_until: Option<Date>,
}

/// A key file that passed every check.
#[derive(Debug)]
pub struct LoadedKey {
    /// Root or issuer.
    pub kind: KeyKind,
    /// The public key.
    pub public: PublicKey,
    /// The secret key, if this was a secret file.
    pub secret: Option<SecretKey>,
    /// Trust-list metadata (issuer keys only).
    pub issuer: Option<IssuerMeta>,
}

impl LoadedKey {
    /// A new key.
    pub fn new(kind: KeyKind, secret: SecretKey, issuer: Option<IssuerMeta>) -> LoadedKey {
        LoadedKey {
            kind,
            public: secret.public(),
            secret: Some(secret),
            issuer,
        }
    }

    fn json(&self, with_seed: bool) -> KeyJson {
        let meta = self.issuer.as_ref();
        KeyJson {
            kind: self.kind,
            kid: self.public.kid().to_hex(),
            seed: if with_seed {
                self.secret.as_ref().map(|s| to_hex(&s.seed()))
            } else {
                None
            },
            public: to_hex(&self.public.to_bytes()),
            name: meta.map(|m| m.name.clone()),
            region: meta.map(|m| m.region),
            types: meta.map(|m| m.types.clone()),
            sign_from: meta.map(|m| m.sign_from),
            sign_until: meta.map(|m| m.sign_until),
        }
    }

    /// The secret file's JSON (holds the seed).
    pub fn secret_json(&self) -> String {
        to_json(&self.json(true))
    }

    /// The public file's JSON.
    pub fn public_json(&self) -> String {
        to_json(&self.json(false))
    }

    /// The trust-list entry for this issuer key, with `status`.
    pub fn issuer_key(&self, status: KeyStatus) -> Option<IssuerKey> {
        let m = self.issuer.as_ref()?;
        Some(IssuerKey {
            key: self.public.clone(),
            issuer: m.name.clone(),
            region: m.region,
            types: m.types.clone(),
            sign_from: m.sign_from,
            sign_until: m.sign_until,
            status,
        })
    }
}

fn to_json(k: &KeyJson) -> String {
    // Serializing plain strings and numbers cannot fail.
    let mut s = serde_json::to_string_pretty(k).unwrap_or_default();
    s.push('\n');
    s
}

/// Where the public file of a secret key file goes: `x.key` → `x.pub`,
/// anything else → `<file>.pub`.
pub fn public_path(secret: &Path) -> PathBuf {
    if files::extension(secret).as_deref() == Some("key") {
        secret.with_extension("pub")
    } else {
        let mut s = secret.as_os_str().to_owned();
        s.push(".pub");
        PathBuf::from(s)
    }
}

/// Checks issuer metadata by asking core to load a trust list holding just
/// this key: the CLI makes no format rules of its own.
pub fn check_issuer_meta(public: &PublicKey, meta: &IssuerMeta) -> Result<(), CliError> {
    let probe_root = SecretKey::from_seed(&[0x5a; 32]);
    let entry = IssuerKey {
        key: public.clone(),
        issuer: meta.name.clone(),
        region: meta.region,
        types: meta.types.clone(),
        sign_from: meta.sign_from,
        sign_until: meta.sign_until,
        status: KeyStatus::Active,
    };
    let bytes = TrustList::sign(1, UnixTime(0), UnixTime(1), &[entry], &probe_root);
    TrustList::load(&bytes, &probe_root.public())
        .map(|_| ())
        .map_err(|e| CliError::usage(format!("the issuer details cannot go in a trust list: {e}")))
}

/// Sorts and deduplicates certificate types (the trust list wants them in
/// increasing order).
pub fn normalize_types(types: &mut Vec<CertKind>) {
    types.sort_by_key(|t| t.code());
    types.dedup();
}

fn bad(path: &Path, why: impl std::fmt::Display) -> CliError {
    CliError::usage(format!("{} is not a valid key file: {why}", path.display()))
}

fn decode_public(path: &Path, hex: &str) -> Result<PublicKey, CliError> {
    let bytes = from_hex(hex).ok_or_else(|| bad(path, "`public` is not hex"))?;
    PublicKey::from_bytes(&bytes).map_err(|e| bad(path, e))
}

/// Loads a key file (secret or public).
pub fn load(path: &Path) -> Result<LoadedKey, CliError> {
    let text = files::read_text(path)?;
    let j: KeyJson = serde_json::from_str(&text)
        .map_err(|e| bad(path, e).hint("key files are written by `yanzheng keys new` (JSON)"))?;
    let public = decode_public(path, &j.public)?;
    if public.kid().to_hex() != j.kid.trim().to_ascii_lowercase() {
        return Err(bad(path, "`kid` does not belong to `public`"));
    }
    let secret = match &j.seed {
        None => None,
        Some(hex) => {
            let seed: [u8; 32] = from_hex(hex)
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| bad(path, "`seed` is not 32 bytes of hex"))?;
            let sk = SecretKey::from_seed(&seed);
            if sk.public() != public {
                return Err(bad(path, "`seed` does not belong to `public`"));
            }
            Some(sk)
        }
    };
    let issuer = match j.kind {
        KeyKind::Root => None,
        KeyKind::Issuer => {
            let missing = |f: &str| bad(path, format!("an issuer key needs `{f}`"));
            let mut types = j.types.ok_or_else(|| missing("types"))?;
            normalize_types(&mut types);
            let meta = IssuerMeta {
                name: j.name.ok_or_else(|| missing("name"))?,
                region: j.region.ok_or_else(|| missing("region"))?,
                types,
                sign_from: j.sign_from.ok_or_else(|| missing("sign_from"))?,
                sign_until: j.sign_until.ok_or_else(|| missing("sign_until"))?,
            };
            check_issuer_meta(&public, &meta).map_err(|e| bad(path, e.to_string()))?;
            Some(meta)
        }
    };
    Ok(LoadedKey {
        kind: j.kind,
        public,
        secret,
        issuer,
    })
}

/// Loads a key file that must hold a secret key of `kind`.
pub fn load_secret(path: &Path, kind: KeyKind) -> Result<(LoadedKey, SecretKey), CliError> {
    let mut k = load(path)?;
    if k.kind != kind {
        return Err(CliError::usage(format!(
            "{} is {} key, but {} key is needed here",
            path.display(),
            k.kind.with_article(),
            kind.with_article()
        )));
    }
    let secret = k.secret.take().ok_or_else(|| {
        CliError::usage(format!(
            "{} is a public key file; signing needs the secret key file",
            path.display()
        ))
        .hint("the secret file is the one `keys new --out` wrote, without .pub")
    })?;
    Ok((k, secret))
}

/// Loads the root public key: a root key file (public or secret) or a file
/// holding just the 64 hex characters of the key.
pub fn load_root_public(path: &Path) -> Result<PublicKey, CliError> {
    let text = files::read_text(path)?;
    if text.trim_start().starts_with('{') {
        let k = load(path)?;
        if k.kind != KeyKind::Root {
            return Err(CliError::usage(format!(
                "{} is an issuer key, not the root key",
                path.display()
            )));
        }
        return Ok(k.public);
    }
    decode_public(path, &text).map_err(|e| {
        e.hint("pass the root.pub written by `yanzheng keys new --kind root` or `yanzheng demo`")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_path_rule() {
        assert_eq!(
            public_path(Path::new("d/root.key")),
            Path::new("d/root.pub")
        );
        assert_eq!(public_path(Path::new("d/root")), Path::new("d/root.pub"));
        assert_eq!(public_path(Path::new("a.json")), Path::new("a.json.pub"));
    }
}
