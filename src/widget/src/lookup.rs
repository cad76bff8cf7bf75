//! The online lookup's data: checking what was typed, the request body and
//! the registry's answer (`POST` to the configured `lookup_url`; name and
//! number travel in the body, never in a URL). Sending is the shell's
//! (`platform::web::post_json`), with a timeout and one retry.

use serde::{Deserialize, Serialize};

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
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 40 {
            return Err(InputError::Name);
        }
        Ok(LookupRequest {
            number,
            name: name.to_string(),
        })
    }
}

/// Words in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Words {
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
        let r = LookupRequest::new(" 11010119900307001x ", " 张三 ").expect("valid");
        assert_eq!(r.number, "11010119900307001X");
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
                    zh: "约需3天".into(),
                    en: "about 3 days".into()
                }
            })
        );
        assert!(parse_json::<LookupAnswer>(br#"{"status":"maybe"}"#).is_err());
    }
}
