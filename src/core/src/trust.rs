//! Trust lists: which issuer keys the verifier believes, signed by the root key.
//!
//! A list is a COSE_Sign1 (external AAD `yanzheng trust list v1`) by the root
//! key over a CBOR map: version, issue and expiry instants, and the issuer keys
//! with what each may sign. The root public key is part of the deployment.
//! Loading checks everything at once (signature, key encodings, duplicate key
//! ids), so a `TrustList` value is always one the root signed and that makes
//! sense. [`TrustList::accept_update`] enforces that versions only go up.

use serde::Serialize;

use crate::cbor::{Reader, Writer};
use crate::cert::CertKind;
use crate::cose::{self, AAD_TRUST_LIST};
use crate::crypto::{Kid, PublicKey, SecretKey};
use crate::date::{Date, UnixTime};
use crate::signed_list::{check_update, open_signed, read_list_header, write_list_header};
pub use crate::signed_list::{ListError, ListSummary, UpdateError};

/// Most keys a trust list may hold.
pub const MAX_KEYS: usize = 4096;
/// Largest trust list file accepted.
pub const MAX_TRUST_LIST_BYTES: usize = 1 << 20;
/// Longest issuer name, in bytes.
pub const MAX_ISSUER_NAME_BYTES: usize = 256;

/// What the root says about an issuer key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyStatus {
    /// In use (wire value 0).
    Active,
    /// No longer signs; signatures made in its period stay good (1).
    Retired,
    /// Compromised: no signature by it is trusted, whatever its date (2).
    Revoked,
}

impl KeyStatus {
    fn code(self) -> u64 {
        match self {
            KeyStatus::Active => 0,
            KeyStatus::Retired => 1,
            KeyStatus::Revoked => 2,
        }
    }

    /// Parses `active`, `retired`, `revoked`.
    pub fn parse(s: &str) -> Option<KeyStatus> {
        match s {
            "active" => Some(KeyStatus::Active),
            "retired" => Some(KeyStatus::Retired),
            "revoked" => Some(KeyStatus::Revoked),
            _ => None,
        }
    }
}

/// One issuer key and its permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerKey {
    /// The public key (its kid is derived from it).
    pub key: PublicKey,
    /// The issuing authority's name, shown on every result.
    pub issuer: String,
    /// GB/T 2260 region code the key signs for.
    pub region: u32,
    /// Certificate types the key may sign.
    pub types: Vec<CertKind>,
    /// First day the key may sign.
    pub sign_from: Date,
    /// Last day the key may sign.
    pub sign_until: Date,
    /// Status.
    pub status: KeyStatus,
}

impl IssuerKey {
    /// True if a certificate of `region` falls inside this key's region: the
    /// same code, or a province (`XX0000`) or city (`XXXX00`) that contains it.
    pub fn covers_region(&self, region: u32) -> bool {
        let r = self.region;
        r == region
            || (r.is_multiple_of(10_000) && r / 10_000 == region / 10_000)
            || (r.is_multiple_of(100) && r / 100 == region / 100)
    }
}

/// A root-signed trust list that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustList {
    /// Only goes up.
    pub version: u64,
    /// When the root signed it; also the verifier's floor for "now".
    pub issued_at: UnixTime,
    /// After this the list is outdated (verdicts say so).
    pub expires_at: UnixTime,
    /// The issuer keys.
    pub keys: Vec<IssuerKey>,
    bytes: Vec<u8>,
}

fn write_key(w: &mut Writer, k: &IssuerKey) {
    w.map(8);
    w.uint(1).bytes(&k.key.kid().0);
    w.uint(2).bytes(&k.key.to_bytes());
    w.uint(3).text(&k.issuer);
    w.uint(4).uint(u64::from(k.region));
    w.uint(5).array(k.types.len());
    for t in &k.types {
        w.uint(u64::from(t.code()));
    }
    w.uint(6).int(i64::from(k.sign_from.days()));
    w.uint(7).int(i64::from(k.sign_until.days()));
    w.uint(8).uint(k.status.code());
}

fn read_key(r: &mut Reader<'_>, index: usize) -> Result<IssuerKey, ListError> {
    if r.map(8)? != 8 {
        return Err(ListError::Invalid("a key entry needs exactly 8 fields"));
    }
    let mut prev = None;
    let mut field = |r: &mut Reader<'_>, want: i64| -> Result<(), ListError> {
        let k = r.key_after(prev)?;
        prev = Some(k);
        if k != want {
            return Err(ListError::Invalid("unexpected key entry field"));
        }
        Ok(())
    };
    field(r, 1)?;
    let kid = Kid::from_slice(r.bytes(8)?).ok_or(ListError::Invalid("key id is not 8 bytes"))?;
    field(r, 2)?;
    let key =
        PublicKey::from_bytes(r.bytes(32)?).map_err(|error| ListError::Key { index, error })?;
    if key.kid() != kid {
        return Err(ListError::KidMismatch(kid));
    }
    field(r, 3)?;
    let issuer = r.text(MAX_ISSUER_NAME_BYTES)?.to_string();
    if issuer.trim().is_empty() {
        return Err(ListError::Invalid("issuer name is empty"));
    }
    field(r, 4)?;
    let region = u32::try_from(r.uint()?)
        .ok()
        .filter(|r| (100_000..=999_999).contains(r))
        .ok_or(ListError::Invalid("region is not a six-digit code"))?;
    field(r, 5)?;
    let n = r.array(2)?;
    let mut types = Vec::with_capacity(n);
    for _ in 0..n {
        let t =
            CertKind::from_code(r.uint()?).ok_or(ListError::Invalid("unknown certificate type"))?;
        if types
            .last()
            .is_some_and(|p: &CertKind| p.code() >= t.code())
        {
            return Err(ListError::Invalid(
                "certificate types not in increasing order",
            ));
        }
        types.push(t);
    }
    if types.is_empty() {
        return Err(ListError::Invalid(
            "a key must be allowed at least one type",
        ));
    }
    field(r, 6)?;
    let sign_from = Date::from_days(r.int()?).ok_or(ListError::Invalid("date out of range"))?;
    field(r, 7)?;
    let sign_until = Date::from_days(r.int()?).ok_or(ListError::Invalid("date out of range"))?;
    if sign_until < sign_from {
        return Err(ListError::Invalid("signing period ends before it starts"));
    }
    field(r, 8)?;
    let status = match r.uint()? {
        0 => KeyStatus::Active,
        1 => KeyStatus::Retired,
        2 => KeyStatus::Revoked,
        _ => return Err(ListError::Invalid("unknown key status")),
    };
    Ok(IssuerKey {
        key,
        issuer,
        region,
        types,
        sign_from,
        sign_until,
        status,
    })
}

impl TrustList {
    /// Builds and signs a list with the root key; returns the file bytes.
    pub fn sign(
        version: u64,
        issued_at: UnixTime,
        expires_at: UnixTime,
        keys: &[IssuerKey],
        root: &SecretKey,
    ) -> Vec<u8> {
        let mut w = Writer::new();
        write_list_header(&mut w, version, issued_at, expires_at.0);
        w.array(keys.len());
        for k in keys {
            write_key(&mut w, k);
        }
        cose::sign(root, AAD_TRUST_LIST, &w.into_bytes())
    }

    /// Loads a list: root signature (`verify_strict`), strict CBOR, every key
    /// canonical and not weak, key ids derived from keys and unique.
    pub fn load(bytes: &[u8], root: &PublicKey) -> Result<TrustList, ListError> {
        let payload = open_signed(bytes, root, AAD_TRUST_LIST, MAX_TRUST_LIST_BYTES)?;
        let mut r = Reader::new(&payload);
        if r.map(4)? != 4 {
            return Err(ListError::Invalid("a trust list needs exactly 4 fields"));
        }
        let (version, issued_at, expires_at) = read_list_header(&mut r)?;
        let n = r.array(MAX_KEYS)?;
        let mut keys: Vec<IssuerKey> = Vec::with_capacity(n);
        for index in 0..n {
            let k = read_key(&mut r, index)?;
            if keys.iter().any(|o| o.key.kid() == k.key.kid()) {
                return Err(ListError::DuplicateKid(k.key.kid()));
            }
            keys.push(k);
        }
        r.finish()?;
        Ok(TrustList {
            version,
            issued_at,
            expires_at,
            keys,
            bytes: bytes.to_vec(),
        })
    }

    /// The key with this id, if listed.
    pub fn find(&self, kid: &Kid) -> Option<&IssuerKey> {
        self.keys.iter().find(|k| k.key.kid() == *kid)
    }

    /// The signed bytes, exactly as loaded (for caching and re-serving).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// True once `now` is past the list's expiry.
    pub fn is_expired(&self, now: UnixTime) -> bool {
        now > self.expires_at
    }

    /// Decides whether `offered` may replace `current`: a higher version
    /// replaces, the same bytes are a no-op, anything else is refused.
    /// Returns true if the offered list is newer.
    pub fn accept_update(
        current: Option<&TrustList>,
        offered: &TrustList,
    ) -> Result<bool, UpdateError> {
        check_update(
            current.map(|c| (c.version, c.bytes())),
            (offered.version, offered.bytes()),
        )
    }

    /// A summary for reports.
    pub fn summary(&self) -> ListSummary {
        ListSummary {
            version: self.version,
            issued_at: self.issued_at,
            expires_at: self.expires_at,
        }
    }
}

/// Signs a root transition: the current root's statement that `next` is
/// the deployment's next root key. A verifier that has pinned the current
/// root moves to `next` only with this (`{1: next public key}`, COSE_Sign1,
/// external AAD `yanzheng root transition v1`).
pub fn sign_root_transition(current: &SecretKey, next: &PublicKey) -> Vec<u8> {
    let mut w = Writer::new();
    w.map(1);
    w.uint(1).bytes(&next.to_bytes());
    cose::sign(current, cose::AAD_ROOT_TRANSITION, &w.into_bytes())
}

/// The next root a transition signed by `current` names (canonical and
/// not weak, like every key).
pub fn verify_root_transition(bytes: &[u8], current: &PublicKey) -> Result<PublicKey, ListError> {
    let payload = open_signed(bytes, current, cose::AAD_ROOT_TRANSITION, 1024)?;
    let mut r = Reader::new(&payload);
    if r.map(1)? != 1 {
        return Err(ListError::Invalid(
            "a root transition has exactly one field",
        ));
    }
    if r.key_after(None)? != 1 {
        return Err(ListError::Invalid("unexpected or missing field"));
    }
    let next =
        PublicKey::from_bytes(r.bytes(32)?).map_err(|error| ListError::Key { index: 0, error })?;
    r.finish()?;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_root_names_its_successor_and_nobody_else_can() {
        let old = SecretKey::from_seed(&[1; 32]);
        let new = SecretKey::from_seed(&[2; 32]);
        let t = sign_root_transition(&old, &new.public());
        assert_eq!(verify_root_transition(&t, &old.public()), Ok(new.public()));
        // Signed by the new key itself, or checked against another root.
        let selfmade = sign_root_transition(&new, &new.public());
        assert!(verify_root_transition(&selfmade, &old.public()).is_err());
        assert!(verify_root_transition(&t, &new.public()).is_err());
        // A trust list is not a transition (another AAD).
        let list = TrustList::sign(1, UnixTime(0), UnixTime(1), &[], &old);
        assert!(verify_root_transition(&list, &old.public()).is_err());
    }
}
