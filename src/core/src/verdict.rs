//! What a scan ends in: [`verify`] turns QR text, trust data and an instant
//! into a [`Report`] whose [`Verdict`] carries the facts behind it.

use serde::Serialize;

use crate::catalog;
use crate::cert::{mask_number, CertKind, Certificate, Details, Sex};
use crate::cose::AAD_CERTIFICATE;
use crate::crypto::Kid;
use crate::date::{Date, UnixTime};
use crate::payload::{self, PayloadError};
use crate::revocation::RevocationList;
use crate::trust::{KeyStatus, ListSummary, TrustList};

/// Days before the review date from which a scan says "review due soon".
pub const REVIEW_SOON_DAYS: i32 = 30;

/// Why a key that signed validly was still not allowed to sign this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyNotAllowedReason {
    /// The trust list marks the key revoked (compromised).
    KeyRevoked,
    /// The key may not sign this certificate type.
    WrongType,
    /// The certificate's signing day is outside the key's signing period.
    OutsidePeriod,
    /// The certificate's region is outside the key's region.
    WrongRegion,
    /// The certificate is valid for longer than its type allows (6 years
    /// for special operations, 3 for safety management).
    ValidityTooLong,
    /// The certificate says it was signed after the day of the check.
    SignedInFuture,
    /// The certificate stays valid longer after the key's signing period
    /// than its type allows a certificate to last (a retired key minting).
    ValidBeyondKeyPeriod,
}

/// What kind of non-certificate text a QR code held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum NotCertificateKind {
    /// A web link; only its host is kept (the rest may hold personal data).
    Link {
        /// The host the link points to, lowercased, without port or user.
        host: String,
    },
    /// Readable text that is not our format.
    Text,
}

/// The outcome of a check, with its facts. The JSON form is
/// `{"verdict": CODE, ...facts}` (see [`Verdict::code`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Verdict {
    /// Genuine and in force.
    Valid,
    /// Genuine and in force, but the review date is within 30 days.
    ReviewDueSoon {
        /// The review date.
        due: Date,
        /// Days from today until it.
        days_left: i32,
    },
    /// The review (复审) date has passed: not valid for work.
    ReviewOverdue {
        /// The review date.
        due: Date,
    },
    /// Past its validity.
    Expired {
        /// Last valid day.
        valid_until: Date,
    },
    /// Validity has not started.
    NotYetValid {
        /// First valid day.
        valid_from: Date,
    },
    /// On the revocation list.
    Revoked {
        /// The certificate id.
        cert_id: u64,
        /// The revocation list version that says so.
        list_version: u64,
    },
    /// The signature does not match: forged or altered.
    SignatureInvalid {
        /// The key id the payload names.
        kid: Kid,
    },
    /// The key is not in the trust list held (or no list is held).
    UnknownKey {
        /// The key id the payload names.
        kid: Kid,
        /// True if the device holds no trust list at all.
        no_trust_data: bool,
    },
    /// A listed key that may not sign this certificate.
    KeyNotAllowed {
        /// The key id.
        kid: Kid,
        /// Why.
        reason: KeyNotAllowedReason,
    },
    /// The signature and dates are fine, but the device holds no revocation
    /// data, or only data older than its maximum age: whether the card was
    /// revoked since is unknown. Never counts as valid.
    RevocationUnknown {
        /// When the revocation data held was signed (`None`: none held).
        issued_at: Option<UnixTime>,
        /// When that data went stale (`None`: none held).
        fresh_until: Option<UnixTime>,
        /// What the signature and dates say (`valid` or `review_due_soon`).
        status: Box<Verdict>,
    },
    /// The trust list has expired; `status` is what the signature and dates say.
    TrustOutdated {
        /// When the list expired.
        expired_at: UnixTime,
        /// The verdict the card would get with a current list.
        status: Box<Verdict>,
    },
    /// A link or plain text, not a certificate: a sign of a fake.
    NotACertificate {
        /// What it was.
        #[serde(flatten)]
        what: NotCertificateKind,
    },
    /// The registry holds this certificate with other facts than the QR
    /// code: the code was altered, or copied onto someone else's card.
    RegistryContradicts {
        /// The fields that differ (`item`, `valid_until`, ...).
        fields: Vec<crate::online::Field>,
    },
    /// The registry holds no such certificate under this number and name
    /// (new certificates take days to appear). Never counts as valid.
    NotInRegistry {
        /// True if other certificates are held under the number and name.
        other_certificates: bool,
    },
    /// Looks like our format but cannot be read.
    Unreadable {
        /// A stable reason code.
        reason: &'static str,
        /// Details for people.
        detail: String,
    },
}

/// Each variant with its stable code, written once: [`Verdict::code`] and
/// [`VERDICT_CODES`] (in the order screens and docs list them) come from it.
macro_rules! verdict_codes {
    ($($variant:ident => $code:literal,)*) => {
        impl Verdict {
            /// The stable verdict code (`valid`, `review_due_soon`, ...).
            pub fn code(&self) -> &'static str {
                match self {
                    $(Verdict::$variant { .. } => $code,)*
                }
            }
        }

        /// Every verdict code, in the order screens and docs list them.
        pub const VERDICT_CODES: &[&str] = &[$($code),*];
    };
}

verdict_codes! {
    Valid => "valid",
    ReviewDueSoon => "review_due_soon",
    ReviewOverdue => "review_overdue",
    Expired => "expired",
    NotYetValid => "not_yet_valid",
    Revoked => "revoked",
    SignatureInvalid => "signature_invalid",
    UnknownKey => "unknown_key",
    KeyNotAllowed => "key_not_allowed",
    RevocationUnknown => "revocation_unknown",
    TrustOutdated => "trust_outdated",
    NotACertificate => "not_a_certificate",
    RegistryContradicts => "registry_contradicts",
    NotInRegistry => "not_in_registry",
    Unreadable => "unreadable",
}

impl Verdict {
    /// True for the two verdicts under which the holder may work.
    pub fn is_acceptable(&self) -> bool {
        matches!(self, Verdict::Valid | Verdict::ReviewDueSoon { .. })
    }
}

/// The issuer behind a verified signature (name from the trust list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuerSummary {
    /// Key id.
    pub kid: Kid,
    /// Issuing authority's name.
    pub name: String,
    /// The key's region code.
    pub region: u32,
}

/// A code with its names, for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct NamedCode {
    /// Wire value.
    pub code: u16,
    /// Chinese name, or `#code` if unknown.
    pub zh: String,
    /// English name, or `#code` if unknown.
    pub en: String,
}

impl Details<u16> {
    /// The same details with each code named from its catalogue table.
    pub fn named(&self) -> Details<NamedCode> {
        self.map_codes(|table, &code| NamedCode::of(table, code))
    }
}

impl NamedCode {
    /// The name in Chinese (`zh`) or English.
    pub fn get(&self, zh: bool) -> &str {
        if zh {
            &self.zh
        } else {
            &self.en
        }
    }

    /// `code` named from a catalogue `table` in both languages.
    pub fn of(table: &'static [catalog::Entry], code: u16) -> NamedCode {
        NamedCode {
            code,
            zh: catalog::name(table, code, true),
            en: catalog::name(table, code, false),
        }
    }
}

/// What a screen may show of a certificate: the ID number only masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShownFields {
    /// Certificate type.
    #[serde(rename = "type")]
    pub kind: CertKind,
    /// Holder's name (the inspector compares it with the person).
    pub name: String,
    /// Sex.
    pub sex: Sex,
    /// ID number with all but the last four characters hidden.
    pub number_masked: String,
    /// Issuing region code.
    pub region: u32,
    /// Certificate id.
    pub cert_id: u64,
    /// Dates and what it covers, named from the catalogue.
    #[serde(flatten)]
    pub details: Details<NamedCode>,
}

impl ShownFields {
    /// The displayable fields of a certificate.
    pub fn of(c: &Certificate) -> ShownFields {
        ShownFields {
            kind: c.kind,
            name: c.name.clone(),
            sex: c.sex,
            number_masked: mask_number(&c.number),
            region: c.region,
            cert_id: c.cert_id,
            details: c.details.named(),
        }
    }
}

/// A verdict with everything behind it. Serializes without the full ID
/// number; the certificate itself is available to the caller for display
/// on request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The verdict and its facts.
    #[serde(flatten)]
    pub verdict: Verdict,
    /// True only if an issuer key from the trust list verified the signature.
    pub signature_verified: bool,
    /// The instant the rules were applied at: the caller's "now", raised to
    /// the trust list's issue time if the clock was behind it.
    pub checked_at: UnixTime,
    /// True if the caller's clock was behind the trust data and was raised.
    pub clock_raised: bool,
    /// The date in China at `checked_at`.
    pub today: Date,
    /// The fields to show, if the payload could be read. Unverified unless
    /// `signature_verified`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<ShownFields>,
    /// The signer, if listed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<IssuerSummary>,
    /// The trust list used, if any.
    pub trust_list: Option<ListSummary>,
    /// The revocation list consulted, if any.
    pub revocations: Option<ListSummary>,
    /// The certificate as read (holds the full ID number: never serialized).
    #[serde(skip)]
    pub certificate: Option<Certificate>,
}

/// Classifies text that is not in our format.
fn not_a_certificate(text: &str) -> Option<NotCertificateKind> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let scheme_end = lower.find("://").filter(|&i| {
        i > 0
            && lower[..i]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'.' || b == b'-')
    });
    let rest = match scheme_end {
        Some(i) => Some(&t[i + 3..]),
        None if lower.starts_with("www.") => Some(t),
        None => None,
    };
    if let Some(rest) = rest {
        let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or("");
        let host_port = authority.rsplit('@').next().unwrap_or("");
        let host = if host_port.starts_with('[') {
            host_port
                .split(']')
                .next()
                .map(|h| format!("{h}]"))
                .unwrap_or_default()
        } else {
            host_port.split(':').next().unwrap_or("").to_string()
        };
        return Some(NotCertificateKind::Link {
            host: host.to_ascii_lowercase().chars().take(253).collect(),
        });
    }
    if t.starts_with("YZ") {
        return None;
    }
    Some(NotCertificateKind::Text)
}

/// Checks QR text against the trust data at instant `now`. Pure: the caller
/// passes the clock. See the crate docs for the order of the checks.
pub fn verify(
    text: &str,
    trust: Option<&TrustList>,
    revocations: Option<&RevocationList>,
    now: UnixTime,
) -> Report {
    let floor = [trust.map(|t| t.issued_at), revocations.map(|r| r.issued_at)]
        .into_iter()
        .flatten()
        .max();
    let checked_at = floor.map_or(now, |f| f.max(now));
    let today = Date::in_china_at(checked_at);
    let mut report = Report {
        verdict: Verdict::Valid,
        signature_verified: false,
        checked_at,
        clock_raised: checked_at != now,
        today,
        fields: None,
        issuer: None,
        trust_list: trust.map(TrustList::summary),
        revocations: revocations.map(RevocationList::summary),
        certificate: None,
    };
    report.verdict = decide(text, trust, revocations, today, checked_at, &mut report);
    report
}

fn unreadable(e: &PayloadError) -> Verdict {
    Verdict::Unreadable {
        reason: e.code(),
        detail: e.to_string(),
    }
}

fn decide(
    text: &str,
    trust: Option<&TrustList>,
    revocations: Option<&RevocationList>,
    today: Date,
    now: UnixTime,
    report: &mut Report,
) -> Verdict {
    if text.len() > payload::MAX_TEXT_LEN {
        return unreadable(&PayloadError::TooLong { len: text.len() });
    }
    if let Some(what) = not_a_certificate(text) {
        return Verdict::NotACertificate { what };
    }
    let signed = match payload::parse(text) {
        Ok(s) => s,
        Err(e) => return unreadable(&e),
    };
    let cert = signed.certificate;
    let kid = signed.sign1.kid;
    report.fields = Some(ShownFields::of(&cert));
    report.certificate = Some(cert.clone());
    let Some(trust) = trust else {
        return Verdict::UnknownKey {
            kid,
            no_trust_data: true,
        };
    };
    let Some(key) = trust.find(&kid) else {
        return Verdict::UnknownKey {
            kid,
            no_trust_data: false,
        };
    };
    if key
        .key
        .verify(
            &signed.sign1.to_be_signed(AAD_CERTIFICATE),
            &signed.sign1.signature,
        )
        .is_err()
    {
        return Verdict::SignatureInvalid { kid };
    }
    report.signature_verified = true;
    report.issuer = Some(IssuerSummary {
        kid,
        name: key.issuer.clone(),
        region: key.region,
    });
    let not_allowed = |reason| Verdict::KeyNotAllowed { kid, reason };
    if key.status == KeyStatus::Revoked {
        return not_allowed(KeyNotAllowedReason::KeyRevoked);
    }
    if !key.types.contains(&cert.kind) {
        return not_allowed(KeyNotAllowedReason::WrongType);
    }
    if cert.signed_on < key.sign_from || cert.signed_on > key.sign_until {
        return not_allowed(KeyNotAllowedReason::OutsidePeriod);
    }
    if !key.covers_region(cert.region) {
        return not_allowed(KeyNotAllowedReason::WrongRegion);
    }
    // The signer chooses `signed_on`: a date after today, or validity
    // reaching past what a card signed on the key's last day could have,
    // means the key's period is being worked around.
    if cert.check_validity_span().is_err() {
        return not_allowed(KeyNotAllowedReason::ValidityTooLong);
    }
    if cert.signed_on > today {
        return not_allowed(KeyNotAllowedReason::SignedInFuture);
    }
    if cert.details.valid_until > key.sign_until.add_years(cert.kind.max_validity_years()) {
        return not_allowed(KeyNotAllowedReason::ValidBeyondKeyPeriod);
    }
    let status = card_status(&cert, &kid, revocations, today, now);
    if trust.is_expired(now) {
        return Verdict::TrustOutdated {
            expired_at: trust.expires_at,
            status: Box::new(status),
        };
    }
    status
}

/// Revocation, date and freshness rules for a certificate whose signature
/// is trusted. A revocation on any list held counts, however old the list;
/// a card that would be valid needs revocation data within its maximum age.
fn card_status(
    cert: &Certificate,
    kid: &Kid,
    revocations: Option<&RevocationList>,
    today: Date,
    now: UnixTime,
) -> Verdict {
    let dates = date_status(
        cert.details.valid_from,
        cert.details.valid_until,
        cert.details.review_due,
        today,
    );
    if let Some(list) = revocations {
        if list.contains(kid, cert.cert_id) {
            return Verdict::Revoked {
                cert_id: cert.cert_id,
                list_version: list.version,
            };
        }
    }
    let current = revocations.filter(|l| !l.is_stale(now));
    if dates.is_acceptable() && current.is_none() {
        return Verdict::RevocationUnknown {
            issued_at: revocations.map(|l| l.issued_at),
            fresh_until: revocations.map(RevocationList::fresh_until),
            status: Box::new(dates),
        };
    }
    dates
}

/// The date rules alone (a QR code's or a registry record's dates).
pub(crate) fn date_status(
    valid_from: Date,
    valid_until: Date,
    review_due: Option<Date>,
    today: Date,
) -> Verdict {
    if today < valid_from {
        return Verdict::NotYetValid { valid_from };
    }
    if today > valid_until {
        return Verdict::Expired { valid_until };
    }
    if let Some(due) = review_due {
        if today > due {
            return Verdict::ReviewOverdue { due };
        }
        let days_left = due.days() - today.days();
        if days_left <= REVIEW_SOON_DAYS {
            return Verdict::ReviewDueSoon { due, days_left };
        }
    }
    Verdict::Valid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_links_and_text() {
        let host = |t: &str| match not_a_certificate(t) {
            Some(NotCertificateKind::Link { host }) => host,
            other => format!("{other:?}"),
        };
        assert_eq!(
            host("https://cx-mem.gov.cn.example.com/q?id=1101"),
            "cx-mem.gov.cn.example.com"
        );
        assert_eq!(host("HTTP://User@Fake.Example:8080/x"), "fake.example");
        assert_eq!(host("www.fake-query.cn/abc"), "www.fake-query.cn");
        assert_eq!(
            not_a_certificate("姓名：张三 证号：110"),
            Some(NotCertificateKind::Text)
        );
        assert_eq!(not_a_certificate("YZ1:ABC"), None);
    }
}
