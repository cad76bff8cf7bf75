//! The online lookup's data: checking what was typed, the request body and
//! the registry's answer (`POST` to the configured `lookup_url`; name and
//! number travel in the body, never in a URL). Sending is the shell's
//! (`platform::web::post_json`), with a timeout and one retry.

use serde::Deserialize;
pub use yanzheng_core::online::{
    InputError, LookupRequest, RegistryAnswer, RegistryCertificate, Words,
};

/// The registry's answer (its certificates are core's wire type).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "WireAnswer")]
pub enum LookupAnswer {
    /// Certificates under this number and name, newest first.
    Found {
        /// The certificates.
        certificates: Vec<RegistryCertificate>,
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
    certificates: Vec<RegistryCertificate>,
    #[serde(default)]
    message: Words,
}

impl LookupAnswer {
    /// The answer as core's [`combine`](yanzheng_core::online::combine)
    /// takes it.
    pub fn as_registry(&self) -> RegistryAnswer<'_> {
        match self {
            LookupAnswer::Found { certificates } => RegistryAnswer::Found(certificates),
            LookupAnswer::NotFound { .. } => RegistryAnswer::NotFound,
        }
    }
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

/// How long one attempt may take.
pub const TIMEOUT_MS: i32 = 8_000;
/// Attempts in all (network errors, timeouts and 5xx/429 are retried).
pub const ATTEMPTS: u32 = 2;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::parse_json;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
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
            certificates[0]
                .details
                .category
                .as_ref()
                .map(|c| c.zh.as_str()),
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
