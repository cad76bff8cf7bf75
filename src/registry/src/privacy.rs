//! What the database may hold instead of an ID number or a name: keyed
//! hashes (HMAC-SHA256 under a secret lookup key) of the normalized values,
//! and core's masked forms. Whoever copies the database without the key
//! cannot test a guessed number against it, and a lookup compares keys, not
//! clear text.
//!
//! The normalization rules here are part of the stored data: a stored
//! `name_key` only matches a typed name normalized the same way. Changing
//! [`normalize_name`] means re-importing.

use crate::error::Error;
use std::fmt;
use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use unicode_normalization::UnicodeNormalization;
use yanzheng_core::crypto::{from_hex, to_hex};
use yanzheng_core::online::normalize_name_chars;
pub use yanzheng_core::online::{normalize_number, InputError};

/// Length of a lookup key in bytes.
pub const LOOKUP_KEY_BYTES: usize = 32;

const BLOCK: usize = 64;

/// The secret behind `number_key` and `name_key`: HMAC-SHA256 with the inner
/// and outer pads already absorbed, so each hash costs two compressions.
#[derive(Clone)]
pub struct LookupKey {
    secret: [u8; LOOKUP_KEY_BYTES],
    inner: Sha256,
    outer: Sha256,
}

impl fmt::Debug for LookupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LookupKey(..)")
    }
}

impl LookupKey {
    /// A key from its 32 secret bytes.
    pub fn from_bytes(secret: [u8; LOOKUP_KEY_BYTES]) -> LookupKey {
        let mut ipad = [0x36u8; BLOCK];
        let mut opad = [0x5cu8; BLOCK];
        for (i, b) in secret.iter().enumerate() {
            ipad[i] ^= b;
            opad[i] ^= b;
        }
        LookupKey {
            secret,
            inner: Sha256::new_with_prefix(ipad),
            outer: Sha256::new_with_prefix(opad),
        }
    }

    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<LookupKey, getrandom::Error> {
        let mut secret = [0u8; LOOKUP_KEY_BYTES];
        getrandom::fill(&mut secret)?;
        Ok(LookupKey::from_bytes(secret))
    }

    /// Parses 64 hex characters (surrounding whitespace ignored).
    pub fn from_hex(hex: &str) -> Option<LookupKey> {
        let bytes: [u8; LOOKUP_KEY_BYTES] = from_hex(hex.trim())?.try_into().ok()?;
        Some(LookupKey::from_bytes(bytes))
    }

    /// The secret as hex (for the settings table or a key file).
    pub fn to_hex(&self) -> String {
        to_hex(&self.secret)
    }

    /// HMAC-SHA256 (RFC 2104) of `message`.
    pub fn mac(&self, message: &[u8]) -> [u8; 32] {
        let mut inner = self.inner.clone();
        inner.update(message);
        let mut outer = self.outer.clone();
        outer.update(inner.finalize());
        outer.finalize().into()
    }

    /// The stored key of a normalized ID number (hex).
    pub fn number_key(&self, number: &str) -> String {
        to_hex(&self.mac(&[b"number:", number.as_bytes()].concat()))
    }

    /// The stored key of a normalized name (hex).
    pub fn name_key(&self, name: &str) -> String {
        to_hex(&self.mac(&[b"name:", name.as_bytes()].concat()))
    }

    /// A value that identifies the key without revealing it, stored so that a
    /// database filled under one key refuses to run under another.
    pub fn check_value(&self) -> String {
        to_hex(&self.mac(b"yanzheng lookup key check v1"))
    }

    /// A short tag for the access log: a keyed hash of its own (not part
    /// of the stored key), enough to see one client asking about one
    /// number again and again, useless for finding the row.
    pub fn log_tag(&self, number: &str) -> String {
        to_hex(&self.mac(&[b"log:", number.as_bytes()].concat())[..4])
    }

    /// Reads a key file (64 hex characters); `Ok(None)` if there is none.
    pub fn load(path: &Path) -> Result<Option<LookupKey>, Error> {
        match std::fs::read_to_string(path) {
            Ok(text) => LookupKey::from_hex(&text).map(Some).ok_or_else(|| {
                Error::KeyFile(format!(
                    "{} does not hold a lookup key (64 hex characters)",
                    path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::KeyFile(format!(
                "cannot read {}: {e}",
                path.display()
            ))),
        }
    }

    /// Writes this key to a new file `path`, readable by its owner only
    /// (mode 0600); refuses to overwrite one. The file appears whole or not
    /// at all: the key is written and synced under a temporary name in the
    /// same folder, then linked to `path` (which fails if `path` exists), so
    /// a second process starting at the same moment never reads a file that
    /// is still empty.
    pub fn create_file(&self, path: &Path) -> Result<(), Error> {
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let temp_name = format!(
            ".{}.{}-{}.tmp",
            name.as_deref().unwrap_or("lookup-key"),
            std::process::id(),
            SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let temp = match folder {
            Some(f) => f.join(temp_name),
            None => Path::new(&temp_name).to_path_buf(),
        };
        let write = |at: &Path| -> Result<(), Error> {
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            let mut file = opts
                .open(at)
                .map_err(|e| Error::KeyFile(format!("cannot create {}: {e}", at.display())))?;
            writeln!(file, "{}", self.to_hex())
                .and_then(|()| file.sync_all())
                .map_err(|e| Error::KeyFile(format!("cannot write {}: {e}", at.display())))
        };
        // A temporary file left by a killed process that had this id.
        let _ = std::fs::remove_file(&temp);
        write(&temp)?;
        let linked = std::fs::hard_link(&temp, path);
        let _ = std::fs::remove_file(&temp);
        match linked {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::KeyFile(
                format!("cannot create {}: it already exists", path.display()),
            )),
            // A file system without hard links: write in place instead.
            Err(_) => write(path),
        }
    }

    /// Reads a key file, or creates one with a fresh key (mode 0600) if
    /// `path` does not exist.
    pub fn load_or_create(path: &Path) -> Result<LookupKey, Error> {
        if let Some(key) = LookupKey::load(path)? {
            return Ok(key);
        }
        let key =
            LookupKey::generate().map_err(|e| Error::KeyFile(format!("no random source: {e}")))?;
        match key.create_file(path) {
            Ok(()) => Ok(key),
            // Another process created it first: use theirs.
            Err(e) => LookupKey::load(path)?.ok_or(e),
        }
    }
}

/// Compares two stored keys in time that does not depend on where they differ.
pub fn keys_equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The name as stored and compared: its NFKC form (so full-width letters
/// match), then core's rules ([`normalize_name_chars`]: no whitespace,
/// middle-dot look-alikes as U+00B7, no invisible characters). So `张 建国`,
/// `张建国 ` and a full-width form all match `张建国`.
pub fn normalize_name(name: &str) -> Result<String, InputError> {
    normalize_name_chars(name.nfkc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        to_hex(b)
    }

    #[test]
    fn key_files_created_at_once_agree_and_are_never_read_half_written() {
        for round in 0..20 {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join(format!("db-{round}.lookup-key"));
            let keys: Vec<String> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..8)
                    .map(|_| s.spawn(|| LookupKey::load_or_create(&path).map(|k| k.to_hex())))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| match h.join() {
                        Ok(Ok(k)) => k,
                        Ok(Err(e)) => panic!("round {round}: {e}"),
                        Err(_) => panic!("round {round}: a thread panicked"),
                    })
                    .collect()
            });
            assert!(
                keys.iter().all(|k| k == &keys[0]),
                "round {round}: {keys:?}"
            );
            let left: Vec<_> = std::fs::read_dir(dir.path())
                .expect("list")
                .filter_map(|e| e.ok().map(|e| e.file_name()))
                .collect();
            assert_eq!(left.len(), 1, "temporary files left: {left:?}");
            assert!(LookupKey::create_file(&LookupKey::from_bytes([7; 32]), &path).is_err());
        }
    }

    #[test]
    fn hmac_rfc_4231_case_1() {
        // RFC 4231 4.2: key = 20 × 0x0b, zero-padded to the block like HMAC
        // does; a 32-byte key with 12 trailing zeros gives the same MAC.
        let mut key = [0u8; 32];
        key[..20].copy_from_slice(&[0x0b; 20]);
        let k = LookupKey::from_bytes(key);
        assert_eq!(
            hex(&k.mac(b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
    }

    #[test]
    fn names_normalize() {
        assert_eq!(normalize_name(" 张 建国\u{3000}").as_deref(), Ok("张建国"));
        let a = normalize_name("阿卜杜·热合曼").expect("ok");
        for typed in [
            "阿卜杜・热合曼",
            "阿卜杜･热合曼",
            "阿卜杜•热合曼",
            "阿卜杜.热合曼",
            "阿卜杜．热合曼",
            "阿卜杜 · 热合曼",
        ] {
            assert_eq!(normalize_name(typed).as_deref(), Ok(a.as_str()), "{typed}");
        }
        assert_eq!(normalize_name("ＺＨＡＮＧ").as_deref(), Ok("ZHANG"));
        assert_eq!(normalize_name("  "), Err(InputError::NameEmpty));
        assert_eq!(normalize_name("a\u{0}b"), Err(InputError::NameCharacters));
        assert_eq!(
            normalize_name("a\u{200B}b"),
            Err(InputError::NameCharacters)
        );
        assert_eq!(
            normalize_name(&"名".repeat(33)),
            Err(InputError::NameTooLong)
        );
    }

    #[test]
    fn numbers_normalize() {
        assert_eq!(
            normalize_number(" 11010519491231002x ").as_deref(),
            Ok("11010519491231002X")
        );
        assert_eq!(
            normalize_number("11010519491231002Y"),
            Err(InputError::NumberShape)
        );
        assert_eq!(
            normalize_number("110105194912310021"),
            Err(InputError::NumberChecksum)
        );
    }

    #[test]
    fn keys_differ_by_purpose_and_secret() {
        let a = LookupKey::from_bytes([1; 32]);
        let b = LookupKey::from_bytes([2; 32]);
        assert_ne!(a.number_key("x"), a.name_key("x"));
        assert_ne!(a.number_key("x"), b.number_key("x"));
        assert!(keys_equal(&a.name_key("张三"), &a.name_key("张三")));
        assert!(!keys_equal(&a.name_key("张三"), &a.name_key("张四")));
        assert_eq!(
            LookupKey::from_hex(&a.to_hex()).map(|k| k.check_value()),
            Some(a.check_value())
        );
    }
}
