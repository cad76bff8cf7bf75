//! Embedding on an employer's page (`www/embed.js` makes the frame): which
//! page the results go to, and what they say.
//!
//! The frame's address names the host page's origin (`?embed=1&host=…`).
//! Results are posted there only if that exact origin is in the
//! deployment's `embed_origins` (from the widget's own `config.json`, never
//! from the host), and `postMessage` with that target origin delivers only
//! if the frame's parent really is that origin. The widget listens to no
//! message from the host: the host can never hand it keys, verdicts or a
//! trust root.

use serde::Serialize;
use yanzheng_core::messages::Lang;
use yanzheng_core::verdict::ShownFields;
use yanzheng_core::{UnixTime, Verdict};

use crate::state::ScanResult;

/// What the frame's address asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmbedParams {
    /// The host page's origin, as `embed.js` put it.
    pub host: Option<String>,
    /// The language the host asked for.
    pub lang: Option<Lang>,
    /// The host takes a card whose only flaw is stale or missing revocation
    /// data as acceptable (`accept-stale-revocations` on the element).
    pub accept_stale_revocations: bool,
    /// The host asked for the signed payload (`include-payload` on the
    /// element): it holds the full ID number and name, for the host's
    /// server to re-verify with `POST /v1/verify`.
    pub include_payload: bool,
}

impl EmbedParams {
    /// Reads `?embed=1&host=ORIGIN&lang=TAG` (a page address's query).
    pub fn from_query(query: &str) -> EmbedParams {
        let mut embed = false;
        let mut out = EmbedParams::default();
        for pair in query.trim_start_matches('?').split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "embed" => embed = v == "1",
                "host" => out.host = percent_decode(v),
                "stale" => out.accept_stale_revocations = v == "accept",
                "payload" => out.include_payload = v == "1",
                "lang" => {
                    out.lang = match v {
                        "en" | "en-US" | "en-GB" => Some(Lang::En),
                        "zh" | "zh-CN" | "zh-Hans" => Some(Lang::Zh),
                        _ => None,
                    }
                }
                _ => {}
            }
        }
        if !embed {
            out.host = None;
        }
        out
    }

    /// The origin to post results to: the host, if the deployment allows
    /// it exactly.
    pub fn target<'a>(&'a self, allowed: &[String]) -> Option<&'a str> {
        let host = self.host.as_deref()?;
        allowed
            .iter()
            .any(|o| o.trim_end_matches('/') == host)
            .then_some(host)
    }
}

/// `%XX` escapes and `+` decoded; `None` if the result is not UTF-8 or an
/// escape is broken.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The message a host page receives for each result
/// (`type: "yanzheng:verdict"`; docs/embedding.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerdictMessage<'a> {
    /// Always `yanzheng:verdict`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The message format's version.
    pub version: u32,
    /// Core's verdict code.
    pub verdict: &'a str,
    /// Whether the holder may work on this certificate (valid, or review
    /// due soon; never with stale or missing revocation data unless the
    /// host opted in with `accept-stale-revocations`).
    pub acceptable: bool,
    /// Where the verdict came from (`offline`: this device's check).
    pub source: &'a str,
    /// True only if an issuer key from the trust list verified the
    /// signature; `fields` are unverified otherwise.
    pub signature_verified: bool,
    /// The fields to show, ID number masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<&'a ShownFields>,
    /// The issuing authority, if its key is listed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<&'a str>,
    /// The signed QR text, for the host's server to check again
    /// (`POST /v1/verify`). It holds the full ID number and name, so it is
    /// sent only to a host that asked for it (`include-payload`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<&'a str>,
    /// The trust list's version the check used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust_list_version: Option<u64>,
    /// The revocation list's version the check used (absent: none held).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocations_version: Option<u64>,
    /// When that revocation data was signed (Unix seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocations_issued_at: Option<UnixTime>,
    /// When the check was made (Unix seconds).
    pub checked_at: UnixTime,
}

impl<'a> VerdictMessage<'a> {
    /// The message for a finished check, as the host's options ask.
    pub fn of(r: &'a ScanResult, params: &EmbedParams) -> VerdictMessage<'a> {
        let accept_stale = params.accept_stale_revocations;
        let report = &r.report;
        let stale_but_fine = match &report.verdict {
            Verdict::RevocationUnknown { status, .. } => status.is_acceptable(),
            _ => false,
        };
        VerdictMessage {
            kind: "yanzheng:verdict",
            version: 1,
            verdict: report.verdict.code(),
            acceptable: report.verdict.is_acceptable() || (accept_stale && stale_but_fine),
            source: r.source.code(),
            signature_verified: report.signature_verified,
            fields: report.fields.as_ref(),
            issuer: report.issuer.as_ref().map(|i| i.name.as_str()),
            payload: params.include_payload.then_some(r.payload.as_str()),
            trust_list_version: report.trust_list.map(|t| t.version),
            revocations_version: report.revocations.map(|r| r.version),
            revocations_issued_at: report.revocations.map(|r| r.issued_at),
            checked_at: report.checked_at,
        }
    }
}

/// The page's height, so the host can size the frame
/// (`type: "yanzheng:resize"`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ResizeMessage {
    /// Always `yanzheng:resize`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// CSS pixels.
    pub height: f64,
}

impl ResizeMessage {
    /// The message for a height.
    pub fn new(height: f64) -> ResizeMessage {
        ResizeMessage {
            kind: "yanzheng:resize",
            height,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::to_json;
    use crate::test_support::Fixture;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn results_go_only_to_an_allowed_host() {
        let allowed = vec!["https://hr.example.com".to_string()];
        let p = EmbedParams::from_query("?embed=1&host=https%3A%2F%2Fhr.example.com&lang=en");
        assert_eq!(p.host.as_deref(), Some("https://hr.example.com"));
        assert_eq!(p.lang, Some(Lang::En));
        assert_eq!(p.target(&allowed), Some("https://hr.example.com"));
        // Not on the list, a look-alike, or no list at all: nothing is posted.
        for query in [
            "?embed=1&host=https%3A%2F%2Fevil.example",
            "?embed=1&host=https%3A%2F%2Fhr.example.com.evil.example",
            "?embed=1&host=http%3A%2F%2Fhr.example.com",
            "?host=https%3A%2F%2Fhr.example.com",
            "?embed=1&host=%ZZ",
            "",
        ] {
            assert_eq!(
                EmbedParams::from_query(query).target(&allowed),
                None,
                "{query}"
            );
        }
        assert_eq!(p.target(&[]), None);
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn the_message_carries_the_verdict_masked_fields_and_the_payload() {
        let fx = Fixture::new();
        let r = &fx.checked(&fx.valid_payload());
        let m = VerdictMessage::of(r, &EmbedParams::default());
        assert_eq!(m.verdict, "valid");
        assert!(m.acceptable && m.signature_verified);
        assert_eq!(m.trust_list_version, Some(3));
        assert_eq!(m.revocations_version, Some(5));
        let json = to_json(&m).expect("json");
        assert!(json.contains(r#""type":"yanzheng:verdict""#), "{json}");
        assert!(json.contains("**************1232"), "{json}");
        assert!(
            !json.contains("320102199001011232"),
            "the full number leaked: {json}"
        );
        // Without the host's opt-in there is no payload, whose Base45 would
        // give the full number back.
        assert!(!json.contains("payload"), "{json}");
        assert!(!json.contains(&fx.valid_payload()[4..20]), "{json}");
        // With it, the payload is there, and it does hold the full number.
        let asked = EmbedParams::from_query("?embed=1&payload=1");
        assert!(asked.include_payload);
        let json = to_json(&VerdictMessage::of(r, &asked)).expect("json");
        assert!(json.contains(&fx.valid_payload()));
        let read = yanzheng_core::payload::parse(&fx.valid_payload()).expect("parses");
        assert_eq!(read.certificate.number, "320102199001011232");
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn stale_revocation_data_is_acceptable_only_when_the_host_opts_in() {
        let fx = Fixture::new();
        let mut r = fx.checked(&fx.valid_payload());
        r.report = yanzheng_core::verify(
            &fx.valid_payload(),
            fx.data().trust.as_ref(),
            None,
            r.report.checked_at,
        );
        assert_eq!(r.report.verdict.code(), "revocation_unknown");
        let stale_ok = EmbedParams::from_query("?embed=1&stale=accept");
        assert!(!VerdictMessage::of(&r, &EmbedParams::default()).acceptable);
        assert!(VerdictMessage::of(&r, &stale_ok).acceptable);
        assert_eq!(VerdictMessage::of(&r, &stale_ok).revocations_version, None);
        assert!(EmbedParams::from_query("?embed=1&stale=accept").accept_stale_revocations);
        assert!(!EmbedParams::from_query("?embed=1").accept_stale_revocations);
        // A card that is bad for another reason stays bad whatever the host says.
        let revoked = fx.checked(&fx.sign(&yanzheng_core::Certificate {
            cert_id: crate::test_support::REVOKED_ID,
            ..fx.certificate()
        }));
        assert_eq!(revoked.report.verdict.code(), "revoked");
        assert!(!VerdictMessage::of(&revoked, &stale_ok).acceptable);
    }
}
