//! A certificate as the registry stores it ([`CertificateRecord`]) and as a
//! lookup shows it ([`FoundCertificate`]). Neither holds the clear ID number
//! or name.

use serde::Serialize;
use yanzheng_core::cert::{mask_name, mask_number};
use yanzheng_core::online::{record_verdict, ListStamp, RegistryCertificate, Words};
use yanzheng_core::Verdict;
use yanzheng_core::{CertKind, Certificate, Date, Details, Kid, UnixTime};

use crate::privacy::{normalize_name, normalize_number, InputError, LookupKey};

/// One row of the `certificates` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRecord {
    /// The issuer key that signed it (with `cert_id`, the primary key;
    /// `None` for rows imported before keys were recorded).
    pub kid: Option<Kid>,
    /// The certificate id, unique per issuer key (revocations name both).
    pub cert_id: u64,
    /// HMAC of the normalized ID number (hex).
    pub number_key: String,
    /// HMAC of the normalized name (hex).
    pub name_key: String,
    /// The name with all but its first character hidden.
    pub name_masked: String,
    /// The number with all but its last four characters hidden.
    pub number_masked: String,
    /// Which certificate.
    pub kind: CertKind,
    /// GB/T 2260 code of the issuing region.
    pub region: u32,
    /// The issuing authority's name (from the trust list).
    pub issuer: String,
    /// Dates and catalogue codes, kept as JSON in the `fields` column:
    /// codes, not names, so a newer catalogue names old rows too.
    pub fields: Details<u16>,
    /// Revoked by the issuer.
    pub revoked: bool,
    /// When the row was last written (Unix seconds).
    pub updated_at: UnixTime,
}

impl CertificateRecord {
    /// The record of `cert`, issued by `issuer`. Checks what a lookup will
    /// rely on: core's field rules, the ID number's check character and a
    /// name that normalizes. The error is a reason for people that never
    /// repeats the number or the name.
    pub fn new(
        cert: &Certificate,
        kid: Kid,
        issuer: &str,
        revoked: bool,
        key: &LookupKey,
        now: UnixTime,
    ) -> Result<CertificateRecord, String> {
        cert.validate().map_err(|e| e.to_string())?;
        let number = normalize_number(&cert.number).map_err(|e| match e {
            InputError::NumberChecksum => "ID number check digit is wrong (typing error?)",
            _ => "ID number is not 18 characters (17 digits and a digit or X)",
        })?;
        let name = normalize_name(&cert.name).map_err(|_| "the name cannot be normalized")?;
        Ok(CertificateRecord {
            kid: Some(kid),
            cert_id: cert.cert_id,
            number_key: key.number_key(&number),
            name_key: key.name_key(&name),
            name_masked: mask_name(&cert.name),
            number_masked: mask_number(&number),
            kind: cert.kind,
            region: cert.region,
            issuer: issuer.to_string(),
            fields: cert.details.clone(),
            revoked,
            updated_at: now,
        })
    }
}

/// One certificate in a `found` lookup answer: core's
/// [`RegistryCertificate`] and the verdict its record gets today under
/// core's rules (`status`), so an API client reads the same verdict a scan
/// would give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FoundCertificate {
    /// The record, masked.
    #[serde(flatten)]
    pub certificate: RegistryCertificate,
    /// Its verdict today.
    pub status: Verdict,
}

impl FoundCertificate {
    /// The answer for a stored record on `today` (China time); `revoked_by`
    /// is the current revocation list when it revokes the record.
    pub fn of(
        r: &CertificateRecord,
        revoked_by: Option<ListStamp>,
        today: Date,
    ) -> FoundCertificate {
        let certificate = RegistryCertificate {
            kind: r.kind,
            title: Words {
                code: Some(u16::from(r.kind.code())),
                zh: r.kind.title(true).to_string(),
                en: r.kind.title(false).to_string(),
            },
            cert_id: r.cert_id,
            name_masked: r.name_masked.clone(),
            number_masked: r.number_masked.clone(),
            details: r.fields.named(),
            issuer: r.issuer.clone(),
            region: r.region,
            revoked: r.revoked || revoked_by.is_some(),
            revoked_by,
            updated_at: r.updated_at,
        };
        FoundCertificate {
            status: record_verdict(&certificate, today),
            certificate,
        }
    }
}
