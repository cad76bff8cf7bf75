//! The certificate record that the QR payload carries, and its CBOR map.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::catalog;
use crate::cbor::{CborError, Reader, Writer};
use crate::date::Date;

/// Which of the two certificates this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertKind {
    /// 特种作业操作证: special-operations certificate (wire value 1).
    SpecialOperations,
    /// 安全生产知识和管理能力考核合格证: safety-management certificate (wire value 2).
    SafetyManagement,
}

impl CertKind {
    /// The longest validity the rules allow, in years from `valid_from`
    /// (the anniversary itself included): 6 for special operations (with a
    /// review every 3, or every 6 for holders approved for it), 3 for
    /// safety management.
    pub fn max_validity_years(self) -> i32 {
        match self {
            CertKind::SpecialOperations => 6,
            CertKind::SafetyManagement => 3,
        }
    }

    /// The wire value.
    pub fn code(self) -> u8 {
        match self {
            CertKind::SpecialOperations => 1,
            CertKind::SafetyManagement => 2,
        }
    }

    /// From the wire value.
    pub fn from_code(code: u64) -> Option<CertKind> {
        match code {
            1 => Some(CertKind::SpecialOperations),
            2 => Some(CertKind::SafetyManagement),
            _ => None,
        }
    }

    /// The JSON / CLI name.
    pub fn as_str(self) -> &'static str {
        match self {
            CertKind::SpecialOperations => "special_operations",
            CertKind::SafetyManagement => "safety_management",
        }
    }

    /// Parses the JSON / CLI name or the wire value.
    pub fn parse(s: &str) -> Option<CertKind> {
        match s.trim() {
            "special_operations" | "1" | "特种作业操作证" => {
                Some(CertKind::SpecialOperations)
            }
            "safety_management" | "2" | "安全生产知识和管理能力考核合格证" => {
                Some(CertKind::SafetyManagement)
            }
            _ => None,
        }
    }

    /// The certificate's Chinese or English title.
    pub fn title(self, chinese: bool) -> &'static str {
        match (self, chinese) {
            (CertKind::SpecialOperations, true) => "特种作业操作证",
            (CertKind::SpecialOperations, false) => "Special-operations certificate",
            (CertKind::SafetyManagement, true) => "安全生产知识和管理能力考核合格证",
            (CertKind::SafetyManagement, false) => "Safety-management certificate",
        }
    }
}

/// The holder's sex as printed on the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// 男 (wire value 1).
    Male,
    /// 女 (wire value 2).
    Female,
}

impl Sex {
    /// Parses `male`/`female`, `男`/`女`, `M`/`F` or the wire value.
    pub fn parse(s: &str) -> Option<Sex> {
        match s.trim() {
            "male" | "男" | "M" | "m" | "1" => Some(Sex::Male),
            "female" | "女" | "F" | "f" | "2" => Some(Sex::Female),
            _ => None,
        }
    }

    /// As printed.
    pub fn label(self, chinese: bool) -> &'static str {
        match (self, chinese) {
            (Sex::Male, true) => "男",
            (Sex::Female, true) => "女",
            (Sex::Male, false) => "Male",
            (Sex::Female, false) => "Female",
        }
    }
}

/// What a certificate says beyond whom it names: its dates and what it
/// covers. Every shape of a certificate embeds this one struct (flattened,
/// so the fields sit beside the others on the wire): the QR code's
/// [`Certificate`] with codes (`C = u16`), a screen's
/// [`ShownFields`](crate::verdict::ShownFields) and the registry's answer
/// [`RegistryCertificate`](crate::online::RegistryCertificate) with the
/// catalogue's names (`C = NamedCode`), the registry's stored record. A new
/// detail is added here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound(serialize = "C: Serialize", deserialize = "C: Deserialize<'de>"))]
pub struct Details<C> {
    /// 初领日期.
    pub first_issued: Date,
    /// 有效期 from.
    pub valid_from: Date,
    /// 有效期 to (inclusive).
    pub valid_until: Date,
    /// 应复审日期 (special operations only; absent for holders approved for six-year review).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_due: Option<Date>,
    /// 作业类别 (special operations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<C>,
    /// 操作项目 (special operations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<C>,
    /// 单位名称 (safety management).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer: Option<String>,
    /// 职务 (safety management).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<C>,
    /// 行业类别 (safety management).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<C>,
}

impl<C> Details<C> {
    /// The same details with each code turned into `f(table, code)` (the
    /// catalogue's names, say).
    pub fn map_codes<D>(&self, f: impl Fn(&'static [catalog::Entry], &C) -> D) -> Details<D> {
        Details {
            first_issued: self.first_issued,
            valid_from: self.valid_from,
            valid_until: self.valid_until,
            review_due: self.review_due,
            category: self.category.as_ref().map(|c| f(catalog::CATEGORIES, c)),
            item: self.item.as_ref().map(|c| f(catalog::ITEMS, c)),
            employer: self.employer.clone(),
            role: self.role.as_ref().map(|c| f(catalog::ROLES, c)),
            industry: self.industry.as_ref().map(|c| f(catalog::INDUSTRIES, c)),
        }
    }
}

/// Everything a certificate's QR code asserts. Which optional details are
/// set depends on `kind` (checked by [`Certificate::validate`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// Which certificate.
    #[serde(rename = "type")]
    pub kind: CertKind,
    /// 姓名.
    pub name: String,
    /// 性别.
    pub sex: Sex,
    /// 证号: the holder's 18-character resident ID number.
    pub number: String,
    /// GB/T 2260 code of the issuing region (six digits).
    pub region: u32,
    /// Issuer-assigned certificate id, unique per issuer; revocations name it.
    pub cert_id: u64,
    /// The day the issuer signed this payload (checked against the key's signing period).
    pub signed_on: Date,
    /// Dates and what it covers (codes).
    #[serde(flatten)]
    pub details: Details<u16>,
}

/// Longest holder name, in characters.
pub const MAX_NAME_CHARS: usize = 32;
/// Longest employer name, in characters.
pub const MAX_EMPLOYER_CHARS: usize = 64;

/// A certificate record that breaks a rule of the format.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldError {
    /// A required field is missing.
    Missing(&'static str),
    /// A field that this certificate type must not carry.
    NotAllowed(&'static str),
    /// A field's value is malformed.
    Invalid {
        /// The field.
        field: &'static str,
        /// Why.
        why: &'static str,
    },
    /// An unknown key in the payload map (every field is critical in version 1).
    UnknownField(i64),
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldError::Missing(n) => write!(f, "missing field `{n}`"),
            FieldError::NotAllowed(n) => write!(f, "field `{n}` is not allowed for this type"),
            FieldError::Invalid { field, why } => write!(f, "field `{field}`: {why}"),
            FieldError::UnknownField(k) => write!(f, "unknown payload field {k}"),
        }
    }
}

impl std::error::Error for FieldError {}

fn check_text(field: &'static str, s: &str, max_chars: usize) -> Result<(), FieldError> {
    let n = s.chars().count();
    if n == 0 {
        return Err(FieldError::Invalid {
            field,
            why: "empty",
        });
    }
    if n > max_chars {
        return Err(FieldError::Invalid {
            field,
            why: "too long",
        });
    }
    if s.trim() != s {
        return Err(FieldError::Invalid {
            field,
            why: "leading or trailing space",
        });
    }
    if s.chars().any(char::is_control) {
        return Err(FieldError::Invalid {
            field,
            why: "control character",
        });
    }
    Ok(())
}

/// True if `n` has the shape of an 18-character resident ID number.
pub fn is_id_number_shape(n: &str) -> bool {
    let b = n.as_bytes();
    b.len() == 18
        && b[..17].iter().all(u8::is_ascii_digit)
        && (b[17].is_ascii_digit() || b[17] == b'X')
}

/// True if the ISO 7064 MOD 11-2 check character of an ID number is right.
/// The issuer tool insists on it; the verifier only checks the shape, since a
/// signed payload is the issuer's word.
pub fn id_number_checksum_ok(n: &str) -> bool {
    is_id_number_shape(n) && id_number_check_char(&n[..17]) == Some(char::from(n.as_bytes()[17]))
}

/// The ISO 7064 MOD 11-2 check character for the first 17 digits of an ID
/// number (`None` unless `first17` is exactly 17 ASCII digits).
pub fn id_number_check_char(first17: &str) -> Option<char> {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: &[u8; 11] = b"10X98765432";
    let b = first17.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = b.iter().zip(W).map(|(d, w)| u32::from(d - b'0') * w).sum();
    Some(char::from(C[(sum % 11) as usize]))
}

/// The ID number with all but the last four characters hidden.
pub fn mask_number(n: &str) -> String {
    let chars: Vec<char> = n.chars().collect();
    let keep = chars.len().min(4);
    let hidden = chars.len() - keep;
    let mut out: String = "*".repeat(hidden);
    out.extend(&chars[hidden..]);
    out
}

/// The name with all but its first character hidden (for the registry's
/// minimal answers).
pub fn mask_name(n: &str) -> String {
    let mut chars = n.chars();
    match chars.next() {
        Some(first) => {
            let mut out = first.to_string();
            out.extend(chars.map(|_| '*'));
            out
        }
        None => String::new(),
    }
}

// Payload map keys (docs/format.md, "Certificate map").
const K_TYPE: i64 = 1;
const K_NAME: i64 = 2;
const K_SEX: i64 = 3;
const K_NUMBER: i64 = 4;
const K_REGION: i64 = 5;
const K_CERT_ID: i64 = 6;
const K_SIGNED_ON: i64 = 7;
const K_FIRST_ISSUED: i64 = 8;
const K_VALID_FROM: i64 = 9;
const K_VALID_UNTIL: i64 = 10;
const K_REVIEW_DUE: i64 = 11;
const K_CATEGORY: i64 = 12;
const K_ITEM: i64 = 13;
const K_EMPLOYER: i64 = 14;
const K_ROLE: i64 = 15;
const K_INDUSTRY: i64 = 16;

/// Why a payload map could not be turned into a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    /// Malformed or non-deterministic CBOR.
    Cbor(CborError),
    /// Well-formed CBOR that breaks a field rule.
    Field(FieldError),
}

impl From<CborError> for RecordError {
    fn from(e: CborError) -> Self {
        RecordError::Cbor(e)
    }
}

impl From<FieldError> for RecordError {
    fn from(e: FieldError) -> Self {
        RecordError::Field(e)
    }
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::Cbor(e) => e.fmt(f),
            RecordError::Field(e) => e.fmt(f),
        }
    }
}

fn read_date(r: &mut Reader<'_>, field: &'static str) -> Result<Date, RecordError> {
    let v = r.int()?;
    Date::from_days(v).ok_or(RecordError::Field(FieldError::Invalid {
        field,
        why: "date out of range",
    }))
}

fn read_code(r: &mut Reader<'_>, field: &'static str) -> Result<u16, RecordError> {
    let v = r.uint()?;
    u16::try_from(v)
        .ok()
        .filter(|&c| c > 0)
        .ok_or(RecordError::Field(FieldError::Invalid {
            field,
            why: "code out of range",
        }))
}

impl Certificate {
    /// Checks every field rule of the format (docs/format.md).
    pub fn validate(&self) -> Result<(), FieldError> {
        check_text("name", &self.name, MAX_NAME_CHARS)?;
        if !is_id_number_shape(&self.number) {
            return Err(FieldError::Invalid {
                field: "number",
                why: "not an 18-character ID number",
            });
        }
        if !(100_000..=999_999).contains(&self.region) {
            return Err(FieldError::Invalid {
                field: "region",
                why: "not a six-digit region code",
            });
        }
        if self.details.first_issued > self.details.valid_from {
            return Err(FieldError::Invalid {
                field: "first_issued",
                why: "after valid_from",
            });
        }
        if self.details.valid_from >= self.details.valid_until {
            return Err(FieldError::Invalid {
                field: "valid_until",
                why: "not after valid_from",
            });
        }

        if let Some(due) = self.details.review_due {
            if due <= self.details.valid_from || due > self.details.valid_until {
                return Err(FieldError::Invalid {
                    field: "review_due",
                    why: "outside the validity period",
                });
            }
        }
        match self.kind {
            CertKind::SpecialOperations => {
                let category = self
                    .details
                    .category
                    .ok_or(FieldError::Missing("category"))?;
                let item = self.details.item.ok_or(FieldError::Missing("item"))?;
                if item / 100 != category || item % 100 == 0 {
                    return Err(FieldError::Invalid {
                        field: "item",
                        why: "not an item of the category",
                    });
                }
                if self.details.employer.is_some() {
                    return Err(FieldError::NotAllowed("employer"));
                }
                if self.details.role.is_some() {
                    return Err(FieldError::NotAllowed("role"));
                }
                if self.details.industry.is_some() {
                    return Err(FieldError::NotAllowed("industry"));
                }
            }
            CertKind::SafetyManagement => {
                let employer = self
                    .details
                    .employer
                    .as_deref()
                    .ok_or(FieldError::Missing("employer"))?;
                check_text("employer", employer, MAX_EMPLOYER_CHARS)?;
                self.details.role.ok_or(FieldError::Missing("role"))?;
                self.details
                    .industry
                    .ok_or(FieldError::Missing("industry"))?;
                if self.details.category.is_some() {
                    return Err(FieldError::NotAllowed("category"));
                }
                if self.details.item.is_some() {
                    return Err(FieldError::NotAllowed("item"));
                }
                if self.details.review_due.is_some() {
                    return Err(FieldError::NotAllowed("review_due"));
                }
            }
        }
        for (field, code) in [
            ("category", self.details.category),
            ("item", self.details.item),
            ("role", self.details.role),
            ("industry", self.details.industry),
        ] {
            if code == Some(0) {
                return Err(FieldError::Invalid {
                    field,
                    why: "code out of range",
                });
            }
        }
        Ok(())
    }

    /// The rule on how long a certificate may last: `valid_until` at most
    /// [`CertKind::max_validity_years`] after `valid_from`. Not a rule of
    /// reading (a reader checks it after the signature, so that an altered
    /// card reads as altered): the signer refuses such a card, the verdict
    /// calls it a card the key may not sign.
    pub fn check_validity_span(&self) -> Result<(), FieldError> {
        if self.details.valid_until
            > self
                .details
                .valid_from
                .add_years(self.kind.max_validity_years())
        {
            return Err(FieldError::Invalid {
                field: "valid_until",
                why: "longer than the certificate type allows",
            });
        }
        Ok(())
    }

    /// The deterministic CBOR map (after validating, the validity span
    /// included: nothing signs a card the rules do not allow).
    pub fn to_cbor(&self) -> Result<Vec<u8>, FieldError> {
        self.check_validity_span()?;
        self.to_cbor_any_span()
    }

    /// The CBOR map without the validity-span rule (the field rules still
    /// apply): what a forger with a key of their own could sign. For demos
    /// and test fixtures; issuers sign through [`Self::to_cbor`].
    pub fn to_cbor_any_span(&self) -> Result<Vec<u8>, FieldError> {
        self.validate()?;
        let optional = [
            self.details.review_due.is_some(),
            self.details.category.is_some(),
            self.details.item.is_some(),
            self.details.employer.is_some(),
            self.details.role.is_some(),
            self.details.industry.is_some(),
        ];
        let len = 10 + optional.iter().filter(|&&b| b).count();
        let mut w = Writer::new();
        w.map(len);
        w.uint(K_TYPE as u64).uint(u64::from(self.kind.code()));
        w.uint(K_NAME as u64).text(&self.name);
        w.uint(K_SEX as u64).uint(match self.sex {
            Sex::Male => 1,
            Sex::Female => 2,
        });
        w.uint(K_NUMBER as u64).text(&self.number);
        w.uint(K_REGION as u64).uint(u64::from(self.region));
        w.uint(K_CERT_ID as u64).uint(self.cert_id);
        for (k, d) in [
            (K_SIGNED_ON, self.signed_on),
            (K_FIRST_ISSUED, self.details.first_issued),
            (K_VALID_FROM, self.details.valid_from),
            (K_VALID_UNTIL, self.details.valid_until),
        ] {
            w.uint(k as u64).int(i64::from(d.days()));
        }
        if let Some(d) = self.details.review_due {
            w.uint(K_REVIEW_DUE as u64).int(i64::from(d.days()));
        }
        if let Some(c) = self.details.category {
            w.uint(K_CATEGORY as u64).uint(u64::from(c));
        }
        if let Some(c) = self.details.item {
            w.uint(K_ITEM as u64).uint(u64::from(c));
        }
        if let Some(e) = &self.details.employer {
            w.uint(K_EMPLOYER as u64).text(e);
        }
        if let Some(c) = self.details.role {
            w.uint(K_ROLE as u64).uint(u64::from(c));
        }
        if let Some(c) = self.details.industry {
            w.uint(K_INDUSTRY as u64).uint(u64::from(c));
        }
        Ok(w.into_bytes())
    }

    /// Strictly decodes the CBOR map: deterministic encoding, keys in order,
    /// no unknown keys, no trailing bytes, every field rule.
    pub fn from_cbor(data: &[u8]) -> Result<Certificate, RecordError> {
        let mut r = Reader::new(data);
        let n = r.map(16)?;
        let mut kind = None;
        let mut name = None;
        let mut sex = None;
        let mut number = None;
        let mut region = None;
        let mut cert_id = None;
        let mut signed_on = None;
        let mut first_issued = None;
        let mut valid_from = None;
        let mut valid_until = None;
        let mut review_due = None;
        let mut category = None;
        let mut item = None;
        let mut employer = None;
        let mut role = None;
        let mut industry = None;
        let mut prev = None;
        let invalid = |field, why| RecordError::Field(FieldError::Invalid { field, why });
        for _ in 0..n {
            let k = r.key_after(prev)?;
            prev = Some(k);
            match k {
                K_TYPE => {
                    kind = Some(
                        CertKind::from_code(r.uint()?)
                            .ok_or_else(|| invalid("type", "unknown certificate type"))?,
                    )
                }
                K_NAME => name = Some(r.text(MAX_NAME_CHARS * 4)?.to_string()),
                K_SEX => {
                    sex = Some(match r.uint()? {
                        1 => Sex::Male,
                        2 => Sex::Female,
                        _ => return Err(invalid("sex", "unknown value")),
                    })
                }
                K_NUMBER => number = Some(r.text(18)?.to_string()),
                K_REGION => {
                    region = Some(
                        u32::try_from(r.uint()?)
                            .map_err(|_| invalid("region", "not a six-digit region code"))?,
                    )
                }
                K_CERT_ID => cert_id = Some(r.uint()?),
                K_SIGNED_ON => signed_on = Some(read_date(&mut r, "signed_on")?),
                K_FIRST_ISSUED => first_issued = Some(read_date(&mut r, "first_issued")?),
                K_VALID_FROM => valid_from = Some(read_date(&mut r, "valid_from")?),
                K_VALID_UNTIL => valid_until = Some(read_date(&mut r, "valid_until")?),
                K_REVIEW_DUE => review_due = Some(read_date(&mut r, "review_due")?),
                K_CATEGORY => category = Some(read_code(&mut r, "category")?),
                K_ITEM => item = Some(read_code(&mut r, "item")?),
                K_EMPLOYER => employer = Some(r.text(MAX_EMPLOYER_CHARS * 4)?.to_string()),
                K_ROLE => role = Some(read_code(&mut r, "role")?),
                K_INDUSTRY => industry = Some(read_code(&mut r, "industry")?),
                other => return Err(FieldError::UnknownField(other).into()),
            }
        }
        r.finish()?;
        let cert = Certificate {
            kind: kind.ok_or(FieldError::Missing("type"))?,
            name: name.ok_or(FieldError::Missing("name"))?,
            sex: sex.ok_or(FieldError::Missing("sex"))?,
            number: number.ok_or(FieldError::Missing("number"))?,
            region: region.ok_or(FieldError::Missing("region"))?,
            cert_id: cert_id.ok_or(FieldError::Missing("cert_id"))?,
            signed_on: signed_on.ok_or(FieldError::Missing("signed_on"))?,
            details: Details {
                first_issued: first_issued.ok_or(FieldError::Missing("first_issued"))?,
                valid_from: valid_from.ok_or(FieldError::Missing("valid_from"))?,
                valid_until: valid_until.ok_or(FieldError::Missing("valid_until"))?,
                review_due,
                category,
                item,
                employer,
                role,
                industry,
            },
        };
        cert.validate()?;
        Ok(cert)
    }

    /// The ID number masked to its last four characters.
    pub fn masked_number(&self) -> String {
        mask_number(&self.number)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::cbor::CborErrorKind;

    pub(crate) fn sample() -> Certificate {
        Certificate {
            kind: CertKind::SpecialOperations,
            name: "张建国".into(),
            sex: Sex::Male,
            number: "11010519900307123X".into(),
            region: 310_100,
            cert_id: 4_200_000_123,
            signed_on: Date::from_ymd(2024, 3, 1).expect("date"),
            details: Details {
                first_issued: Date::from_ymd(2018, 3, 1).expect("date"),
                valid_from: Date::from_ymd(2024, 3, 1).expect("date"),
                valid_until: Date::from_ymd(2030, 2, 28).expect("date"),
                review_due: Some(Date::from_ymd(2027, 3, 1).expect("date")),
                category: Some(1),
                item: Some(102),
                employer: None,
                role: None,
                industry: None,
            },
        }
    }

    #[test]
    fn round_trip() {
        let c = sample();
        let bytes = c.to_cbor().expect("valid");
        assert_eq!(Certificate::from_cbor(&bytes), Ok(c));
    }

    #[test]
    fn trailing_bytes_rejected() {
        let mut bytes = sample().to_cbor().expect("valid");
        bytes.push(0);
        assert!(matches!(
            Certificate::from_cbor(&bytes),
            Err(RecordError::Cbor(CborError {
                kind: CborErrorKind::TrailingBytes,
                ..
            }))
        ));
    }

    #[test]
    fn field_rules() {
        let mut c = sample();
        c.details.item = Some(201);
        assert!(c.validate().is_err());
        let mut c = sample();
        c.details.employer = Some("某公司".into());
        assert_eq!(c.validate(), Err(FieldError::NotAllowed("employer")));
        let mut c = sample();
        c.number = "1101051990030712".into();
        assert!(c.validate().is_err());
    }

    #[test]
    fn nothing_signs_a_card_valid_longer_than_its_type_allows() {
        let mut c = sample();
        c.details.valid_until = c.details.valid_from.add_years(6);
        assert!(
            c.to_cbor().is_ok(),
            "the anniversary is the last day allowed"
        );
        c.details.valid_until = c.details.valid_from.add_years(6).add_days(1);
        assert_eq!(c.check_validity_span().map_err(|_| ()), Err(()));
        assert!(c.to_cbor().is_err());
        // Reading does not refuse it: the verdict does, after the signature.
        assert!(c.validate().is_ok());
        c.kind = CertKind::SafetyManagement;
        c.details.valid_until = c.details.valid_from.add_years(3).add_days(1);
        assert!(c.check_validity_span().is_err());
    }

    #[test]
    fn id_checksum_and_masks() {
        assert!(id_number_checksum_ok("11010519491231002X"));
        assert!(!id_number_checksum_ok("110105194912310021"));
        assert_eq!(mask_number("11010519491231002X"), "**************002X");
        assert_eq!(mask_name("张建国"), "张**");
    }
}
