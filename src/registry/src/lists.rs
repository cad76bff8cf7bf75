//! The signed lists the registry publishes and verifies with: loaded from the
//! data folder through core (root signature checked), reloaded when the
//! files change, and never replaced by a lower version (core's
//! `accept_update`). What is served is the exact signed bytes: the trust
//! list, the full revocation list, and the chain of revocation deltas
//! (`revocation-deltas/<version>`, each from the version before) that ends
//! at the full list, checked link by link through the sets' digests.

use crate::error::Error;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::SystemTime;

use sha2::{Digest, Sha256};
use yanzheng_core::crypto::to_hex;
use yanzheng_core::{PublicKey, RevocationDelta, RevocationList, TrustList};

/// File name of the trust list in the data folder.
pub const TRUST_LIST_FILE: &str = "trust-list";
/// File name of the revocation list in the data folder.
pub const REVOCATIONS_FILE: &str = "revocations";
/// Folder of revocation deltas in the data folder: one file per version,
/// named by the version it leads to, holding the delta from the one before.
pub const DELTAS_DIR: &str = "revocation-deltas";

/// A strong ETag for a list's bytes (quoted, as HTTP wants it).
pub fn etag(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    format!("\"{}\"", to_hex(&digest[..16]))
}

/// The lists in force.
#[derive(Debug, Default)]
pub struct Lists {
    /// The trust list, with its ETag.
    pub trust: Option<(TrustList, String)>,
    /// The revocation list, with its ETag.
    pub revocations: Option<(RevocationList, String)>,
    /// The deltas that lead to it, oldest first, each linked to the next.
    pub deltas: Vec<RevocationDelta>,
}

impl Lists {
    /// The trust list, if any.
    pub fn trust(&self) -> Option<&TrustList> {
        self.trust.as_ref().map(|(l, _)| l)
    }

    /// The revocation list, if any.
    pub fn revocations(&self) -> Option<&RevocationList> {
        self.revocations.as_ref().map(|(l, _)| l)
    }

    /// The deltas from version `since` to the current list, oldest first:
    /// empty if `since` is current, `None` if the chain does not reach back
    /// to `since` (the client must fetch the full list).
    pub fn deltas_since(&self, since: u64) -> Option<&[RevocationDelta]> {
        let current = self.revocations()?;
        if since == current.version {
            return Some(&[]);
        }
        let start = self.deltas.iter().position(|d| d.from_version == since)?;
        Some(&self.deltas[start..])
    }
}

/// Reads the deltas of `dir` that chain, link by link, to `list`: walking
/// back from the list's version, each delta must lead to the set the next
/// one starts from. Files that do not load or do not link are skipped.
pub fn delta_chain(dir: &Path, list: &RevocationList, root: &PublicKey) -> Vec<RevocationDelta> {
    let mut chain = Vec::new();
    let (mut version, mut digest) = (list.version, list.digest());
    while let Ok(bytes) = std::fs::read(dir.join(DELTAS_DIR).join(version.to_string())) {
        let Ok(delta) = RevocationDelta::load(&bytes, root) else {
            break;
        };
        if delta.version != version || delta.result_digest() != digest {
            break;
        }
        (version, digest) = (delta.from_version, delta.base_digest());
        chain.push(delta);
    }
    chain.reverse();
    chain
}

/// A file's modification time and length: when either changes, read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some(Stamp {
        modified: meta.modified().ok(),
        len: meta.len(),
    })
}

/// What a reload found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReloadEvent {
    /// A newer trust list is in force.
    TrustUpdated {
        /// Its version.
        version: u64,
    },
    /// A newer revocation list is in force.
    RevocationsUpdated {
        /// Its version.
        version: u64,
    },
    /// A changed file was refused (bad signature, lower version, ...).
    Refused {
        /// Which file.
        file: &'static str,
        /// Why.
        why: String,
    },
}

/// The lists of a data folder, shared by all requests.
#[derive(Debug)]
pub struct ListStore {
    dir: PathBuf,
    root: PublicKey,
    current: RwLock<Arc<Lists>>,
    stamps: Mutex<[Option<Stamp>; 2]>,
}

impl ListStore {
    /// Loads `dir/trust-list` (required) and `dir/revocations` (optional),
    /// both checked against `root`.
    pub fn load(dir: &Path, root: PublicKey) -> Result<ListStore, Error> {
        let trust_path = dir.join(TRUST_LIST_FILE);
        let trust_stamp = stamp(&trust_path);
        let bytes = std::fs::read(&trust_path)
            .map_err(|e| Error::Lists(format!("cannot read {}: {e}", trust_path.display())))?;
        let trust = TrustList::load(&bytes, &root)
            .map_err(|e| Error::Lists(format!("cannot load {}: {e}", trust_path.display())))?;
        let rev_path = dir.join(REVOCATIONS_FILE);
        let rev_stamp = stamp(&rev_path);
        let revocations =
            match std::fs::read(&rev_path) {
                Ok(bytes) => Some(RevocationList::load(&bytes, &root).map_err(|e| {
                    Error::Lists(format!("cannot load {}: {e}", rev_path.display()))
                })?),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => {
                    return Err(Error::Lists(format!(
                        "cannot read {}: {e}",
                        rev_path.display()
                    )))
                }
            };
        let deltas = revocations
            .as_ref()
            .map(|r| delta_chain(dir, r, &root))
            .unwrap_or_default();
        let lists = Lists {
            trust: Some((trust.clone(), etag(trust.bytes()))),
            deltas,
            revocations: revocations.map(|r| {
                let tag = etag(r.bytes());
                (r, tag)
            }),
        };
        Ok(ListStore {
            dir: dir.to_path_buf(),
            root,
            current: RwLock::new(Arc::new(lists)),
            stamps: Mutex::new([trust_stamp, rev_stamp]),
        })
    }

    /// The lists in force now.
    pub fn current(&self) -> Arc<Lists> {
        match self.current.read() {
            Ok(g) => Arc::clone(&g),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Reads the files again if they changed and takes newer versions.
    pub fn reload(&self) -> Vec<ReloadEvent> {
        let mut events = Vec::new();
        let mut stamps = match self.stamps.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        for (i, file) in [TRUST_LIST_FILE, REVOCATIONS_FILE].into_iter().enumerate() {
            let path = self.dir.join(file);
            let now = stamp(&path);
            if now.is_none() || now == stamps[i] {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            match self.offer(file, &bytes) {
                Ok(Some(event)) => {
                    events.push(event);
                    stamps[i] = now;
                }
                Ok(None) => stamps[i] = now,
                Err(why) => {
                    // Remember the stamp: a refused file is reported once,
                    // and read again when it changes.
                    events.push(ReloadEvent::Refused { file, why });
                    stamps[i] = now;
                }
            }
        }
        events
    }

    fn offer(&self, file: &'static str, bytes: &[u8]) -> Result<Option<ReloadEvent>, String> {
        let current = self.current();
        let mut next = Lists {
            trust: current.trust.clone(),
            revocations: current.revocations.clone(),
            deltas: current.deltas.clone(),
        };
        let event = if file == TRUST_LIST_FILE {
            let offered = TrustList::load(bytes, &self.root).map_err(|e| e.to_string())?;
            if !TrustList::accept_update(current.trust(), &offered).map_err(|e| e.to_string())? {
                return Ok(None);
            }
            let version = offered.version;
            let tag = etag(offered.bytes());
            next.trust = Some((offered, tag));
            ReloadEvent::TrustUpdated { version }
        } else {
            let offered = RevocationList::load(bytes, &self.root).map_err(|e| e.to_string())?;
            if !RevocationList::accept_update(current.revocations(), &offered)
                .map_err(|e| e.to_string())?
            {
                return Ok(None);
            }
            let version = offered.version;
            let tag = etag(offered.bytes());
            next.deltas = delta_chain(&self.dir, &offered, &self.root);
            next.revocations = Some((offered, tag));
            ReloadEvent::RevocationsUpdated { version }
        };
        match self.current.write() {
            Ok(mut g) => *g = Arc::new(next),
            Err(p) => *p.into_inner() = Arc::new(next),
        }
        Ok(Some(event))
    }
}

/// True if an `If-None-Match` header value names `tag` (or is `*`).
pub fn etag_matches(if_none_match: &str, tag: &str) -> bool {
    let bare = tag.trim_matches('"');
    if_none_match.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.trim_start_matches("W/").trim_matches('"') == bare
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_forms() {
        let tag = etag(b"list");
        assert!(etag_matches(&tag, &tag));
        assert!(etag_matches(&format!("W/{tag}"), &tag));
        assert!(etag_matches(&format!("\"x\", {tag}"), &tag));
        assert!(etag_matches("*", &tag));
        assert!(!etag_matches("\"other\"", &tag));
    }
}
