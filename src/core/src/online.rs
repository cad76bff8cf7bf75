//! The registry's side of a check: what an online lookup answers
//! ([`RegistryCertificate`]), the verdict a registry record gets under the
//! same date and revocation rules as a QR code ([`record_verdict`]), and the
//! one outcome of a scan together with the registry's answer ([`combine`]).
//!
//! A screen shows one headline per result. Field agreement between the QR
//! code and the registry is a detail, never a verdict of its own; a
//! contradiction is the headline ([`Verdict::RegistryContradicts`]).

use serde::{Deserialize, Serialize};

use crate::cert::{
    id_number_checksum_ok, is_id_number_shape, mask_name, CertKind, Certificate, Details,
    MAX_NAME_CHARS,
};
use crate::date::{Date, UnixTime};
use crate::messages::Label;
use crate::verdict::{date_status, NamedCode, Report, ShownFields, Verdict};

/// Words in both languages, with the catalogue code when they name one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Words {
    /// The catalogue code (category, item, role, certificate type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<u16>,
    /// Simplified Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Words {
    /// The words in Chinese (`zh`) or English.
    pub fn get(&self, zh: bool) -> &str {
        if zh {
            &self.zh
        } else {
            &self.en
        }
    }

    /// The same text in both languages (a date, a masked name).
    pub fn plain(s: impl Into<String>) -> Words {
        let s = s.into();
        Words {
            code: None,
            zh: s.clone(),
            en: s,
        }
    }
}

impl From<&NamedCode> for Words {
    fn from(n: &NamedCode) -> Words {
        Words {
            code: Some(n.code),
            zh: n.zh.clone(),
            en: n.en.clone(),
        }
    }
}

/// A refusal by the registry's API, as `{"error": CODE, "message": {"zh",
/// "en"}}`: the codes are stable (clients branch on them), the words are
/// [`crate::messages::api_error`]'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiError {
    /// No such endpoint.
    NotFound,
    /// A known endpoint asked with the wrong method.
    MethodNotAllowed,
    /// The database cannot be reached.
    Unavailable,
    /// Too many connections at once: refused before reading the request.
    Busy,
    /// The request took longer than the server allows.
    RequestTimeout,
    /// A handler failed.
    Internal,
    /// The body is larger than the server takes.
    PayloadTooLarge,
    /// The body is not `application/json`.
    UnsupportedMediaType,
    /// The body could not be read.
    UnreadableBody,
    /// The body is not JSON.
    MalformedJson,
    /// A field the endpoint does not take.
    UnknownField,
    /// A field given twice.
    DuplicateField,
    /// A required field is missing.
    MissingField,
    /// A field has the wrong type.
    InvalidField,
    /// The typed number or name was refused.
    Input(InputError),
    /// Too many lookups from one address.
    RateLimited,
    /// One number looked up too often without a match.
    TooManyMisses,
    /// The signed list asked for is not published.
    ListNotPublished,
    /// No widget configuration is published.
    ConfigNotPublished,
    /// `since=VERSION` is missing or not a number.
    InvalidQuery,
    /// No chain of deltas from that version: fetch the full list.
    DeltaUnavailable,
}

impl ApiError {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::Unavailable => "unavailable",
            ApiError::Busy => "busy",
            ApiError::RequestTimeout => "request_timeout",
            ApiError::Internal => "internal",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::UnreadableBody => "unreadable_body",
            ApiError::MalformedJson => "malformed_json",
            ApiError::UnknownField => "unknown_field",
            ApiError::DuplicateField => "duplicate_field",
            ApiError::MissingField => "missing_field",
            ApiError::InvalidField => "invalid_field",
            ApiError::Input(e) => e.code(),
            ApiError::RateLimited => "rate_limited",
            ApiError::TooManyMisses => "too_many_misses",
            ApiError::ListNotPublished | ApiError::ConfigNotPublished => "not_published",
            ApiError::InvalidQuery => "invalid_query",
            ApiError::DeltaUnavailable => "delta_unavailable",
        }
    }

    /// Every refusal (one per input error), for tests and the spec.
    pub const ALL: [ApiError; 25] = [
        ApiError::NotFound,
        ApiError::MethodNotAllowed,
        ApiError::Unavailable,
        ApiError::Busy,
        ApiError::RequestTimeout,
        ApiError::Internal,
        ApiError::PayloadTooLarge,
        ApiError::UnsupportedMediaType,
        ApiError::UnreadableBody,
        ApiError::MalformedJson,
        ApiError::UnknownField,
        ApiError::DuplicateField,
        ApiError::MissingField,
        ApiError::InvalidField,
        ApiError::Input(InputError::NumberShape),
        ApiError::Input(InputError::NumberChecksum),
        ApiError::Input(InputError::NameEmpty),
        ApiError::Input(InputError::NameTooLong),
        ApiError::Input(InputError::NameCharacters),
        ApiError::RateLimited,
        ApiError::TooManyMisses,
        ApiError::ListNotPublished,
        ApiError::ConfigNotPublished,
        ApiError::InvalidQuery,
        ApiError::DeltaUnavailable,
    ];
}

/// Why typed lookup input was refused (by the widget before sending, by
/// the registry on receipt: the same rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputError {
    /// Not 17 digits and a digit or X.
    NumberShape,
    /// The check character does not match the other 17 (a typing error).
    NumberChecksum,
    /// Empty after normalization.
    NameEmpty,
    /// Longer than any name on a card.
    NameTooLong,
    /// Holds control or invisible characters.
    NameCharacters,
}

impl InputError {
    /// The registry's error code for it.
    pub fn code(self) -> &'static str {
        match self {
            InputError::NumberShape => "invalid_number",
            InputError::NumberChecksum => "number_check_digit",
            _ => "invalid_name",
        }
    }

    /// True if it is the name that was refused (else the number).
    pub fn is_name(self) -> bool {
        matches!(
            self,
            InputError::NameEmpty | InputError::NameTooLong | InputError::NameCharacters
        )
    }
}

/// The ID number as stored and compared: whitespace removed, `x`
/// upper-cased, then 17 digits and a digit or `X` with the right check
/// character.
pub fn normalize_number(number: &str) -> Result<String, InputError> {
    let n: String = number
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if !is_id_number_shape(&n) {
        return Err(InputError::NumberShape);
    }
    if !id_number_checksum_ok(&n) {
        return Err(InputError::NumberChecksum);
    }
    Ok(n)
}

/// Characters typed for the middle dot of transliterated names
/// (阿卜杜·热合曼): all count as U+00B7.
const MIDDLE_DOTS: &[char] = &[
    '\u{00B7}', // MIDDLE DOT
    '\u{30FB}', // KATAKANA MIDDLE DOT (NFKC target of U+FF65)
    '\u{2027}', // HYPHENATION POINT
    '\u{2022}', // BULLET
    '\u{2219}', // BULLET OPERATOR
    '\u{22C5}', // DOT OPERATOR
    '\u{0387}', // GREEK ANO TELEIA (NFKC maps it to U+00B7 already)
    '\u{16EB}', // RUNIC SINGLE PUNCTUATION
    '.',        // a full stop typed for the dot (NFKC maps U+FF0E here)
];

/// The name as compared, from its characters: whitespace removed, every
/// middle-dot look-alike written as U+00B7, control and invisible
/// characters refused, at most [`MAX_NAME_CHARS`]. The registry passes the
/// name's NFKC form (so full-width letters match too); the widget checks
/// what was typed with the same rules before sending it.
pub fn normalize_name_chars(chars: impl IntoIterator<Item = char>) -> Result<String, InputError> {
    let mut out = String::new();
    for c in chars {
        if c.is_whitespace() {
            continue;
        }
        if c.is_control() || matches!(c, '\u{FFFD}' | '\u{FEFF}' | '\u{200B}'..='\u{200F}') {
            return Err(InputError::NameCharacters);
        }
        out.push(if MIDDLE_DOTS.contains(&c) {
            '\u{00B7}'
        } else {
            c
        });
    }
    match out.chars().count() {
        0 => Err(InputError::NameEmpty),
        n if n > MAX_NAME_CHARS => Err(InputError::NameTooLong),
        _ => Ok(out),
    }
}

/// A lookup by number and name: the body of `POST /v1/lookup` (never a URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LookupRequest {
    /// The 18-character certificate (ID) number.
    pub number: String,
    /// The holder's name.
    pub name: String,
}

impl LookupRequest {
    /// Typed input, checked with the registry's rules: the number
    /// normalized, the name checked and sent as typed (trimmed; the
    /// registry folds it further).
    pub fn new(number: &str, name: &str) -> Result<LookupRequest, InputError> {
        let number = normalize_number(number)?;
        normalize_name_chars(name.chars())?;
        Ok(LookupRequest {
            number,
            name: name.trim().to_string(),
        })
    }
}

/// The revocation list that revoked a certificate, as the registry names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListStamp {
    /// The list's version.
    pub version: u64,
    /// When the list was signed.
    pub issued_at: UnixTime,
}

/// One certificate in a `found` lookup answer: masked and minimal. The
/// registry writes it, the widget reads it; neither side holds the clear ID
/// number here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryCertificate {
    /// Which certificate.
    #[serde(rename = "type")]
    pub kind: CertKind,
    /// The certificate's title (for clients that show it as sent).
    #[serde(default)]
    pub title: Words,
    /// The certificate id (what a QR code's certificate is matched by).
    pub cert_id: u64,
    /// The name with all but its first character hidden.
    pub name_masked: String,
    /// The number with all but its last four characters hidden.
    pub number_masked: String,
    /// Dates and what it covers, named from the catalogue.
    #[serde(flatten)]
    pub details: Details<NamedCode>,
    /// The issuing authority.
    pub issuer: String,
    /// Issuing region code.
    pub region: u32,
    /// Revoked by the issuing authority.
    pub revoked: bool,
    /// The revocation list that revokes it, when one does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_by: Option<ListStamp>,
    /// When the registry's record changed last (RFC 3339, UTC, on the wire).
    #[serde(with = "rfc3339")]
    pub updated_at: UnixTime,
}

/// `UnixTime` as an RFC 3339 UTC string.
mod rfc3339 {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::date::UnixTime;

    pub fn serialize<S: Serializer>(t: &UnixTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.to_rfc3339())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<UnixTime, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        UnixTime::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// The registry's answer to a lookup by number and name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistryAnswer<'a> {
    /// Certificates held under the number and name, newest first.
    Found(&'a [RegistryCertificate]),
    /// Nothing under this number and name.
    NotFound,
}

/// The verdict a registry record gets on `today` (China time): revoked,
/// then the same date rules as a scanned certificate. The registry's record
/// has no signature to check: the caller says where the verdict came from.
pub fn record_verdict(r: &RegistryCertificate, today: Date) -> Verdict {
    if r.revoked {
        return Verdict::Revoked {
            cert_id: r.cert_id,
            list_version: r.revoked_by.map_or(0, |s| s.version),
        };
    }
    date_status(
        r.details.valid_from,
        r.details.valid_until,
        r.details.review_due,
        today,
    )
}

/// A field on which a QR code and the registry's record disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Holder's name (masked on both sides).
    Name,
    /// Certificate type.
    #[serde(rename = "type")]
    Kind,
    /// Operation category.
    Category,
    /// Operation item.
    Item,
    /// Role (safety management).
    Role,
    /// Industry (safety management).
    Industry,
    /// First issued.
    FirstIssued,
    /// Valid from.
    ValidFrom,
    /// Valid until.
    ValidUntil,
    /// Review due.
    ReviewDue,
}

impl Field {
    /// Its label on screens.
    pub fn label(self) -> Label {
        match self {
            Field::Name => Label::Name,
            Field::Kind => Label::CertType,
            Field::Category => Label::Category,
            Field::Item => Label::Item,
            Field::Role => Label::Role,
            Field::Industry => Label::Industry,
            Field::FirstIssued => Label::FirstIssued,
            Field::ValidFrom => Label::ValidFrom,
            Field::ValidUntil => Label::ValidUntil,
            Field::ReviewDue => Label::ReviewDue,
        }
    }

    /// The stable code (`name`, `type`, `item`, `valid_until`, ...).
    pub fn code(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Kind => "type",
            Field::Category => "category",
            Field::Item => "item",
            Field::Role => "role",
            Field::Industry => "industry",
            Field::FirstIssued => "first_issued",
            Field::ValidFrom => "valid_from",
            Field::ValidUntil => "valid_until",
            Field::ReviewDue => "review_due",
        }
    }
}

/// One disagreement, as each side states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// Which field.
    pub field: Field,
    /// What the QR code says.
    pub qr: Words,
    /// What the registry says.
    pub registry: Words,
}

/// How a scanned certificate compares with the registry's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Agreement {
    /// The registry holds this certificate with the same facts.
    Same,
    /// The registry holds this certificate id with different facts.
    Differs {
        /// The fields that differ.
        mismatches: Vec<Mismatch>,
    },
    /// Certificates are held under the number and name, none with this id.
    NotListed,
    /// Nothing is held under the number and name.
    NotFound,
}

impl Agreement {
    /// The stable code (`same`, `differs`, `not_listed`, `not_found`).
    pub fn code(&self) -> &'static str {
        match self {
            Agreement::Same => "same",
            Agreement::Differs { .. } => "differs",
            Agreement::NotListed => "not_listed",
            Agreement::NotFound => "not_found",
        }
    }
}

fn title(k: CertKind) -> Words {
    Words {
        code: Some(u16::from(k.code())),
        zh: k.title(true).into(),
        en: k.title(false).into(),
    }
}

/// Compares what a QR code carries with what the registry answered for its
/// number and name. Only facts both sides state are compared (the ID number
/// was the lookup key); named codes are compared by code.
pub fn compare(qr: &Certificate, answer: RegistryAnswer<'_>) -> Agreement {
    let RegistryAnswer::Found(found) = answer else {
        return Agreement::NotFound;
    };
    let Some(record) = found.iter().find(|f| f.cert_id == qr.cert_id) else {
        return Agreement::NotListed;
    };
    let shown = ShownFields::of(qr);
    let named = |n: &Option<NamedCode>| n.as_ref().map(Words::from).unwrap_or_default();
    let date = |d: Option<Date>| Words::plain(d.map(|d| d.to_string()).unwrap_or_default());
    let pairs = [
        (
            Field::Name,
            Words::plain(mask_name(&qr.name)),
            Words::plain(record.name_masked.clone()),
        ),
        (Field::Kind, title(qr.kind), title(record.kind)),
        (
            Field::Category,
            named(&shown.details.category),
            named(&record.details.category),
        ),
        (
            Field::Item,
            named(&shown.details.item),
            named(&record.details.item),
        ),
        (
            Field::Role,
            named(&shown.details.role),
            named(&record.details.role),
        ),
        (
            Field::Industry,
            named(&shown.details.industry),
            named(&record.details.industry),
        ),
        (
            Field::FirstIssued,
            date(Some(qr.details.first_issued)),
            date(Some(record.details.first_issued)),
        ),
        (
            Field::ValidFrom,
            date(Some(qr.details.valid_from)),
            date(Some(record.details.valid_from)),
        ),
        (
            Field::ValidUntil,
            date(Some(qr.details.valid_until)),
            date(Some(record.details.valid_until)),
        ),
        (
            Field::ReviewDue,
            date(qr.details.review_due),
            date(record.details.review_due),
        ),
    ];
    let mismatches: Vec<Mismatch> = pairs
        .into_iter()
        .filter(|(_, a, b)| match (a.code, b.code) {
            (None, None) => a.zh != b.zh,
            (a, b) => a != b,
        })
        .map(|(field, qr, registry)| Mismatch {
            field,
            qr,
            registry,
        })
        .collect();
    if mismatches.is_empty() {
        Agreement::Same
    } else {
        Agreement::Differs { mismatches }
    }
}

/// What a headline verdict rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The QR code's signature, checked on this device.
    Offline,
    /// The registry's record alone (typed lookup, or a code whose signature
    /// could not be checked here).
    Registry,
    /// Both: a verified signature, and the registry's record, which agree.
    Both,
}

/// One result: the headline verdict, what it rests on and how the QR code
/// and the registry compared (when both were consulted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The headline.
    #[serde(flatten)]
    pub verdict: Verdict,
    /// What it rests on.
    pub basis: Basis,
    /// How the QR code and the registry compared (scan + lookup only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Agreement>,
    /// The registry record behind the verdict, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<RegistryCertificate>,
}

impl Outcome {
    /// A scan's outcome before (or without) any registry answer.
    pub fn offline(report: &Report) -> Outcome {
        Outcome {
            verdict: report.verdict.clone(),
            basis: Basis::Offline,
            agreement: None,
            record: None,
        }
    }

    /// The outcome of one record of a typed lookup, checked on `today`.
    pub fn of_record(record: &RegistryCertificate, today: Date) -> Outcome {
        Outcome {
            verdict: record_verdict(record, today),
            basis: Basis::Registry,
            agreement: None,
            record: Some(record.clone()),
        }
    }

    /// A typed lookup that found nothing.
    pub fn not_found() -> Outcome {
        Outcome {
            verdict: Verdict::NotInRegistry {
                other_certificates: false,
            },
            basis: Basis::Registry,
            agreement: None,
            record: None,
        }
    }
}

/// True for verdicts that already say the code is forged or misused,
/// whatever the registry holds.
fn is_forgery_sign(v: &Verdict) -> bool {
    matches!(
        v,
        Verdict::SignatureInvalid { .. }
            | Verdict::KeyNotAllowed { .. }
            | Verdict::NotACertificate { .. }
            | Verdict::Unreadable { .. }
    )
}

/// The date and revocation verdict a signature-checked report stands on,
/// with what the device could not settle (stale revocation data, an expired
/// trust list) taken off; `None` when the signature was not checked.
fn checked_status(v: &Verdict) -> Option<&Verdict> {
    match v {
        Verdict::RevocationUnknown { status, .. } | Verdict::TrustOutdated { status, .. } => {
            checked_status(status)
        }
        Verdict::UnknownKey { .. } => None,
        other => Some(other),
    }
}

/// One outcome from a scan's report and the registry's answer for the
/// number and name in its QR code. In order:
/// 1. A forgery sign offline (bad signature, a key that may not sign it,
///    not our format) stays the headline.
/// 2. The registry holds this certificate with other facts: the
///    contradiction is the headline.
/// 3. The registry does not hold it: `not_in_registry` (new certificates
///    take days to appear, so it is a caution, not a forgery).
/// 4. The registry holds it with the same facts: its record is checked with
///    the date and revocation rules at the report's instant. A revocation
///    the registry knows of wins; otherwise the signature's verdict stands,
///    and what the device could not settle (stale revocation data, an
///    expired trust list) is settled by the registry. A code whose key is
///    unknown here takes the record's verdict, resting on the registry.
pub fn combine(report: &Report, answer: RegistryAnswer<'_>) -> Outcome {
    let offline = &report.verdict;
    let Some(qr) = report.certificate.as_ref() else {
        return Outcome::offline(report);
    };
    if is_forgery_sign(offline) {
        return Outcome::offline(report);
    }
    let agreement = compare(qr, answer);
    let record = match answer {
        RegistryAnswer::Found(found) => found.iter().find(|f| f.cert_id == qr.cert_id),
        RegistryAnswer::NotFound => None,
    };
    let outcome = |verdict, basis| Outcome {
        verdict,
        basis,
        agreement: Some(agreement.clone()),
        record: record.cloned(),
    };
    let record = match (&agreement, record) {
        (Agreement::Differs { mismatches }, _) => {
            return outcome(
                Verdict::RegistryContradicts {
                    fields: mismatches.iter().map(|m| m.field).collect(),
                },
                Basis::Both,
            )
        }
        (Agreement::Same, Some(record)) => record,
        _ => {
            // Nothing to compare with: a card the signature already rules
            // out keeps that verdict; anything else is a caution.
            if checked_status(offline).is_some_and(|s| !s.is_acceptable()) {
                return outcome(offline.clone(), Basis::Offline);
            }
            return outcome(
                Verdict::NotInRegistry {
                    other_certificates: agreement == Agreement::NotListed,
                },
                Basis::Registry,
            );
        }
    };
    let registry = record_verdict(record, report.today);
    match checked_status(offline) {
        None => outcome(registry, Basis::Registry),
        Some(_) if matches!(registry, Verdict::Revoked { .. }) => {
            outcome(registry, Basis::Registry)
        }
        Some(status) => outcome(status.clone(), Basis::Both),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_input_is_checked_and_normalised() {
        let r = LookupRequest::new(" 1101 0519 4912 3100 2x ", " 张三 ").expect("valid");
        assert_eq!(r.number, "11010519491231002X");
        assert_eq!(r.name, "张三");
        let err = |n: &str, m: &str| LookupRequest::new(n, m).err();
        assert_eq!(
            err("1101011990030700", "张三"),
            Some(InputError::NumberShape)
        );
        assert_eq!(
            err("11010119900307001A", "张三"),
            Some(InputError::NumberShape)
        );
        assert_eq!(
            err("110105194912310021", "张三"),
            Some(InputError::NumberChecksum)
        );
        assert_eq!(err("110101199003070011", "  "), Some(InputError::NameEmpty));
        assert_eq!(
            err("110101199003070011", "张\u{200B}三"),
            Some(InputError::NameCharacters)
        );
        assert_eq!(
            err("110101199003070011", &"名".repeat(33)),
            Some(InputError::NameTooLong)
        );
        let dots = [
            "阿卜杜·热合曼",
            "阿卜杜・热合曼",
            "阿卜杜•热合曼",
            "阿卜杜.热合曼",
            "阿卜杜 · 热合曼",
        ];
        for typed in dots {
            assert_eq!(
                normalize_name_chars(typed.chars()).as_deref(),
                Ok("阿卜杜·热合曼"),
                "{typed}"
            );
        }
        assert!(InputError::NameCharacters.is_name() && !InputError::NumberChecksum.is_name());
    }

    #[test]
    fn record_dates_and_revocation_make_the_same_verdicts_as_a_scan() {
        let d = |s: &str| s.parse::<Date>().expect("date");
        let mut r = RegistryCertificate {
            kind: CertKind::SpecialOperations,
            title: Words::default(),
            cert_id: 7,
            name_masked: "张*".into(),
            number_masked: "**************0011".into(),
            details: crate::Details {
                category: None,
                item: None,
                employer: None,
                role: None,
                industry: None,
                first_issued: d("2020-01-01"),
                valid_from: d("2020-01-01"),
                valid_until: d("2026-01-01"),
                review_due: Some(d("2023-01-01")),
            },
            issuer: "x".into(),
            region: 110_000,
            revoked: false,
            revoked_by: None,
            updated_at: UnixTime(0),
        };
        assert_eq!(
            record_verdict(&r, d("2022-06-01")),
            Verdict::Valid,
            "before the review window"
        );
        assert_eq!(
            record_verdict(&r, d("2023-01-02")),
            Verdict::ReviewOverdue {
                due: d("2023-01-01")
            }
        );
        assert_eq!(
            record_verdict(&r, d("2026-01-02")),
            Verdict::Expired {
                valid_until: d("2026-01-01")
            }
        );
        // A safety-management card: its industry is compared too.
        let mgmt = Certificate {
            kind: CertKind::SafetyManagement,
            name: "周伟".into(),
            sex: crate::cert::Sex::Male,
            number: "310115198506112039".into(),
            region: 310_115,
            cert_id: 7,
            signed_on: d("2020-01-01"),
            details: crate::Details {
                first_issued: r.details.first_issued,
                valid_from: r.details.valid_from,
                valid_until: r.details.valid_until,
                review_due: r.details.review_due,
                category: None,
                item: None,
                employer: Some("上海浦江建设工程有限公司".into()),
                role: Some(2),
                industry: Some(7),
            },
        };
        let mut held = r.clone();
        held.kind = CertKind::SafetyManagement;
        held.name_masked = mask_name(&mgmt.name);
        held.details.role = Some(NamedCode::of(crate::catalog::ROLES, 2));
        held.details.industry = Some(NamedCode::of(crate::catalog::INDUSTRIES, 7));
        let same = std::slice::from_ref(&held);
        assert_eq!(compare(&mgmt, RegistryAnswer::Found(same)), Agreement::Same);
        held.details.industry = Some(NamedCode::of(crate::catalog::INDUSTRIES, 8));
        let Agreement::Differs { mismatches } = compare(&mgmt, RegistryAnswer::Found(&[held]))
        else {
            panic!("the industry differs")
        };
        assert_eq!(mismatches.len(), 1);
        assert_eq!(mismatches[0].field, Field::Industry);

        r.revoked = true;
        r.revoked_by = Some(ListStamp {
            version: 9,
            issued_at: UnixTime(5),
        });
        assert_eq!(
            record_verdict(&r, d("2022-06-01")),
            Verdict::Revoked {
                cert_id: 7,
                list_version: 9
            }
        );
    }
}
