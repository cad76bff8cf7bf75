//! The online lookup's data: checking what was typed, the request body and
//! the registry's answer (`POST` to the configured `lookup_url`; name and
//! number travel in the body, never in a URL). Sending is the shell's
//! (`platform::web::post_json`), with a timeout and one retry.

use serde::{Deserialize, Serialize};
use yanzheng_core::cert::{id_number_checksum_ok, mask_name, MAX_NAME_CHARS};
use yanzheng_core::verdict::{NamedCode, ShownFields};
use yanzheng_core::{CertKind, Certificate, Date};

/// The request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LookupRequest {
    /// The 18-character certificate (ID) number, upper-case `X`.
    pub number: String,
    /// The holder's name.
    pub name: String,
}

/// Why typed input was not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputError {
    /// Not 17 digits followed by a digit or `X`.
    Number,
    /// The shape is right but the last character is not the check digit of
    /// the first 17 (a typing error, most likely).
    CheckDigit,
    /// Empty or implausibly long.
    Name,
}

impl LookupRequest {
    /// Checks and normalises typed input (spaces removed, `x` → `X`).
    pub fn new(number: &str, name: &str) -> Result<LookupRequest, InputError> {
        let number: String = number
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let shape = number.is_ascii()
            && number.len() == 18
            && number[..17].bytes().all(|b| b.is_ascii_digit())
            && number[17..]
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'X');
        if !shape {
            return Err(InputError::Number);
        }
        if !id_number_checksum_ok(&number) {
            return Err(InputError::CheckDigit);
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(InputError::Name);
        }
        Ok(LookupRequest {
            number,
            name: name.to_string(),
        })
    }
}

/// Words in both languages (with the catalogue code, for named codes).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Words {
    /// The catalogue code, when the words name one (category, item, role).
    #[serde(default)]
    pub code: Option<u16>,
    /// Simplified Chinese.
    #[serde(default)]
    pub zh: String,
    /// English.
    #[serde(default)]
    pub en: String,
}

impl Words {
    /// The words in `zh` or English.
    pub fn get(&self, zh: bool) -> &str {
        if zh {
            &self.zh
        } else {
            &self.en
        }
    }
}

/// One certificate the registry holds under the number and name (masked).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FoundCertificate {
    /// The certificate's title.
    #[serde(default)]
    pub title: Words,
    /// `special_operations` or `safety_management`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The certificate id (what a QR code's certificate is matched by).
    #[serde(default)]
    pub cert_id: Option<u64>,
    /// Name, mostly hidden.
    #[serde(default)]
    pub name_masked: String,
    /// Number, all but the last four hidden.
    #[serde(default)]
    pub number_masked: String,
    /// Operation category (special operations).
    #[serde(default)]
    pub category: Option<Words>,
    /// Operation item (special operations).
    #[serde(default)]
    pub item: Option<Words>,
    /// Employer (safety management).
    #[serde(default)]
    pub employer: Option<String>,
    /// Role (safety management).
    #[serde(default)]
    pub role: Option<Words>,
    /// First issued (YYYY-MM-DD).
    #[serde(default)]
    pub first_issued: String,
    /// Valid from.
    #[serde(default)]
    pub valid_from: String,
    /// Valid until (inclusive).
    #[serde(default)]
    pub valid_until: String,
    /// Review due.
    #[serde(default)]
    pub review_due: Option<String>,
    /// Issuing authority.
    #[serde(default)]
    pub issuer: String,
    /// Revoked by the issuer.
    #[serde(default)]
    pub revoked: bool,
    /// When the registry's record changed last.
    #[serde(default)]
    pub updated_at: String,
}

/// The registry's answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "WireAnswer")]
pub enum LookupAnswer {
    /// Certificates under this number and name, newest first.
    Found {
        /// The certificates.
        certificates: Vec<FoundCertificate>,
    },
    /// Nothing matches; the registry's explanation (not "fake").
    NotFound {
        /// Why, and whom to ask.
        message: Words,
    },
}

/// The answer as sent. A plain struct rather than serde's internally tagged
/// enum, whose buffering deserializer costs the wasm about 20 KB.
#[derive(Deserialize)]
struct WireAnswer {
    status: String,
    #[serde(default)]
    certificates: Vec<FoundCertificate>,
    #[serde(default)]
    message: Words,
}

impl TryFrom<WireAnswer> for LookupAnswer {
    type Error = String;

    fn try_from(w: WireAnswer) -> Result<LookupAnswer, String> {
        match w.status.as_str() {
            "found" => Ok(LookupAnswer::Found {
                certificates: w.certificates,
            }),
            "not_found" => Ok(LookupAnswer::NotFound { message: w.message }),
            other => Err(format!("unknown lookup status {other:?}")),
        }
    }
}

/// Why a lookup gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupFailure {
    /// No network.
    Offline,
    /// No answer in time.
    Timeout,
    /// The registry answered with an error status or an unreadable body.
    Server(String),
    /// The registry refused the request and said why (a 4xx answer with a
    /// code and words, such as `number_check_digit`).
    Refused {
        /// The registry's error code.
        code: String,
        /// Its explanation.
        message: Words,
    },
}

/// A registry error body: `{"error": code, "message": {"zh", "en"}}`.
#[derive(Debug, Deserialize)]
pub struct ErrorBody {
    /// The error code.
    pub error: String,
    /// The explanation.
    #[serde(default)]
    pub message: Words,
}

/// A field on which the QR code and the registry's record disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Holder's name (masked on both sides).
    Name,
    /// Certificate type.
    Kind,
    /// Operation category.
    Category,
    /// Operation item.
    Item,
    /// Role (safety management).
    Role,
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
    /// The value of a mismatch row's `data-field` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Kind => "type",
            Field::Category => "category",
            Field::Item => "item",
            Field::Role => "role",
            Field::FirstIssued => "first_issued",
            Field::ValidFrom => "valid_from",
            Field::ValidUntil => "valid_until",
            Field::ReviewDue => "review_due",
        }
    }
}

/// One disagreement, as the two sides state it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Which field.
    pub field: Field,
    /// What the QR code says.
    pub qr: Words,
    /// What the registry says.
    pub registry: Words,
}

/// How a scanned certificate compares with the registry's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    /// The registry holds this certificate with the same facts.
    Same,
    /// The registry holds this certificate id, with different facts.
    Differs(Vec<Mismatch>),
    /// Certificates were found under the number and name, none with this
    /// card's certificate id.
    NotListed,
}

/// Compares what a QR code carries with what the registry answered for its
/// number and name. Only facts both sides state are compared; the ID number
/// itself was the lookup key.
pub fn compare(qr: &Certificate, found: &[FoundCertificate]) -> Comparison {
    let Some(record) = found.iter().find(|f| f.cert_id == Some(qr.cert_id)) else {
        return Comparison::NotListed;
    };
    let shown = ShownFields::of(qr);
    let plain = |s: String| Words {
        code: None,
        zh: s.clone(),
        en: s,
    };
    let named = |n: &Option<NamedCode>| {
        n.as_ref().map_or_else(Words::default, |n| Words {
            code: Some(n.code),
            zh: n.zh.clone(),
            en: n.en.clone(),
        })
    };
    let date = |d: Option<Date>| plain(d.map(|d| d.to_string()).unwrap_or_default());
    let text = |s: &Option<String>| plain(s.clone().unwrap_or_default());
    let title = |k: CertKind| Words {
        code: Some(u16::from(k.code())),
        zh: k.title(true).into(),
        en: k.title(false).into(),
    };
    let registry_kind = match CertKind::parse(&record.kind) {
        Some(k) => title(k),
        None => record.title.clone(),
    };
    // Named codes are compared by code, everything else by its text.
    let pairs = [
        (
            Field::Name,
            plain(mask_name(&qr.name)),
            plain(record.name_masked.clone()),
        ),
        (Field::Kind, title(qr.kind), registry_kind),
        (
            Field::Category,
            named(&shown.category),
            record.category.clone().unwrap_or_default(),
        ),
        (
            Field::Item,
            named(&shown.item),
            record.item.clone().unwrap_or_default(),
        ),
        (
            Field::Role,
            named(&shown.role),
            record.role.clone().unwrap_or_default(),
        ),
        (
            Field::FirstIssued,
            date(Some(qr.first_issued)),
            plain(record.first_issued.clone()),
        ),
        (
            Field::ValidFrom,
            date(Some(qr.valid_from)),
            plain(record.valid_from.clone()),
        ),
        (
            Field::ValidUntil,
            date(Some(qr.valid_until)),
            plain(record.valid_until.clone()),
        ),
        (
            Field::ReviewDue,
            date(qr.review_due),
            text(&record.review_due),
        ),
    ];
    let differs: Vec<Mismatch> = pairs
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
    if differs.is_empty() {
        Comparison::Same
    } else {
        Comparison::Differs(differs)
    }
}

/// How long one attempt may take.
pub const TIMEOUT_MS: i32 = 8_000;
/// Attempts in all (network errors, timeouts and 5xx/429 are retried).
pub const ATTEMPTS: u32 = 2;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::parse_json;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn typed_input_is_checked_and_normalised() {
        let r = LookupRequest::new(" 11010519491231002x ", " 张三 ").expect("valid");
        assert_eq!(r.number, "11010519491231002X");
        assert_eq!(r.name, "张三");
        assert_eq!(
            LookupRequest::new("1101011990030700", "张三"),
            Err(InputError::Number)
        );
        assert_eq!(
            LookupRequest::new("11010119900307001A", "张三"),
            Err(InputError::Number)
        );
        assert_eq!(
            LookupRequest::new("110101199003070011", "  "),
            Err(InputError::Name)
        );
        assert_eq!(
            LookupRequest::new("110105194912310021", "张三"),
            Err(InputError::CheckDigit)
        );
    }

    fn record_of(c: &Certificate) -> FoundCertificate {
        let json = format!(
            r#"{{"type":"special_operations","title":{{"zh":"特种作业操作证","en":"x"}},
            "cert_id":{},"name_masked":"{}","number_masked":"{}",
            "category":{{"code":{},"zh":"电工作业","en":"Electrical work"}},
            "item":{{"code":{},"zh":"低压电工作业","en":"Low-voltage"}},
            "first_issued":"{}","valid_from":"{}","valid_until":"{}","review_due":"{}",
            "issuer":"江苏省应急管理厅","region":320000,"revoked":false,
            "updated_at":"2025-01-01T00:00:00Z"}}"#,
            c.cert_id,
            mask_name(&c.name),
            c.masked_number(),
            c.category.unwrap_or(0),
            c.item.unwrap_or(0),
            c.first_issued,
            c.valid_from,
            c.valid_until,
            c.review_due.map(|d| d.to_string()).unwrap_or_default(),
        );
        parse_json(json.as_bytes()).expect("record")
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_scanned_certificate_is_compared_with_the_registry_record() {
        let qr = crate::test_support::Fixture::new().certificate();
        let same = record_of(&qr);
        assert_eq!(compare(&qr, std::slice::from_ref(&same)), Comparison::Same);

        // The registry says the certificate ends earlier and is for another
        // item: both are named, with each side's words.
        let mut changed = same.clone();
        changed.valid_until = "2027-02-28".into();
        changed.item = Some(Words {
            code: Some(101),
            zh: "高压电工作业".into(),
            en: "High-voltage".into(),
        });
        let Comparison::Differs(diffs) = compare(&qr, &[changed]) else {
            panic!("no difference found")
        };
        let fields: Vec<Field> = diffs.iter().map(|d| d.field).collect();
        assert_eq!(fields, [Field::Item, Field::ValidUntil]);
        assert_eq!(diffs[1].qr.zh, qr.valid_until.to_string());
        assert_eq!(diffs[1].registry.zh, "2027-02-28");
        assert_eq!(diffs[0].registry.code, Some(101));

        // Other certificates under the same number and name, none this one.
        let mut other = same.clone();
        other.cert_id = Some(qr.cert_id + 1);
        assert_eq!(compare(&qr, &[other]), Comparison::NotListed);
        assert_eq!(compare(&qr, &[]), Comparison::NotListed);

        // A different holder name behind the same number and certificate id.
        let mut renamed = same;
        renamed.name_masked = "李*".into();
        let Comparison::Differs(diffs) = compare(&qr, &[renamed]) else {
            panic!("no difference found")
        };
        assert_eq!(diffs[0].field, Field::Name);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn registry_answers_parse() {
        let found = r#"{"status":"found","certificates":[{"type":"special_operations",
            "title":{"zh":"特种作业操作证","en":"Special operations certificate"},"cert_id":7,
            "name_masked":"张*","number_masked":"**************0011",
            "category":{"code":1,"zh":"电工作业","en":"Electrical work"},
            "first_issued":"2020-01-01","valid_from":"2020-01-01","valid_until":"2026-01-01",
            "review_due":"2023-01-01","issuer":"江苏省应急管理厅","region":320000,
            "revoked":false,"updated_at":"2025-01-01T00:00:00Z"}]}"#;
        let LookupAnswer::Found { certificates } =
            parse_json::<LookupAnswer>(found.as_bytes()).expect("found")
        else {
            panic!("not found?")
        };
        assert_eq!(certificates[0].number_masked, "**************0011");
        assert_eq!(
            certificates[0].category.as_ref().map(|c| c.zh.as_str()),
            Some("电工作业")
        );
        let none = r#"{"status":"not_found","message":{"zh":"约需3天","en":"about 3 days"}}"#;
        assert_eq!(
            parse_json::<LookupAnswer>(none.as_bytes()),
            Ok(LookupAnswer::NotFound {
                message: Words {
                    code: None,
                    zh: "约需3天".into(),
                    en: "about 3 days".into()
                }
            })
        );
        assert!(parse_json::<LookupAnswer>(br#"{"status":"maybe"}"#).is_err());
    }
}
