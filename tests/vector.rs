//! The test-vector file format and its runner.
//!
//! One case per file, `tests/vectors/NAME.vec`: UTF-8 text, one `key: value`
//! per line (the value is everything after the first `": "`, verbatim, never
//! trimmed: a Base45 payload may end in a space). The first line is
//! `expect: OUTCOME`. Unknown keys and repeated keys (other than `note`) are
//! errors, so a typo cannot silently weaken a case. Files named by `trust`,
//! `revocations`, `current` and `offered` are paths relative to
//! `tests/vectors/` (the binary lists live in `lists/`).
//!
//! **Verdict cases** (`expect` is one of [`VERDICT_CODES`]): the payload is
//! checked with `yanzheng_core::verify` at instant `at`.
//!
//! | key | required | meaning |
//! |---|---|---|
//! | `at` | yes | the caller's clock, `YYYY-MM-DDTHH:MM:SSZ` (UTC) |
//! | `payload` | yes | the QR text |
//! | `root` | with `trust` or `revocations` | the root public key, 64 hex digits |
//! | `trust` | no | a trust-list file; absent = the device holds none |
//! | `revocations` | no | a revocation-list file (a full list) |
//! | `deltas` | no | revocation delta files, space-separated, applied in order to `revocations` |
//! | `status` | with `trust_outdated` and `revocation_unknown` only | the inner verdict code |
//! | `error` | with `unreadable` only | the parse error path, see [`payload_error_path`] |
//! | `registry` | no | the registry's lookup answer for the payload's number and name (JSON, as `POST /v1/lookup` sends it); the case then checks `yanzheng_core::online::combine`'s outcome, not the bare report |
//! | `facts` | no | a JSON object that must be a subset of the report's JSON (of the outcome's, with `registry`) |
//! | `note` | no | what the case is (may repeat) |
//!
//! **List cases** (`expect` is one of [`LIST_OUTCOMES`]): a list is loaded
//! with the root key and, if `current` is given, offered as an update to it
//! (`TrustList::accept_update` / `RevocationList::accept_update`).
//!
//! | key | required | meaning |
//! |---|---|---|
//! | `list` | yes | `trust`, `revocations` or `revocation_delta` |
//! | `root` | yes | the root public key, 64 hex digits |
//! | `current` | no (yes for `revocation_delta`) | the list held (must load; a full list) |
//! | `offered` | yes | the list offered (a delta for `revocation_delta`) |
//! | `reason` | with `list_refused` only | the load error, see [`list_error_code`] |
//! | `note` | no | what the case is (may repeat) |
//!
//! Outcomes: `list_refused` (the offered list does not load), and, when it
//! loads, `update_accepted` (newer, or no current list), `update_unchanged`
//! (the same bytes again), `rollback_refused` (lower version),
//! `conflict_refused` (same version, different bytes). A delta is applied
//! with `RevocationList::apply`: `update_accepted`, `update_unchanged` (it
//! leads to the version and set held), `rollback_refused`, `conflict_refused`
//! (it starts from another set of the held version), `delta_gap_refused` (it
//! starts from another version), `delta_refused` (it does not fit the set).

use std::collections::BTreeMap;

use serde_json::Value;
use yanzheng_core::base45::Base45Error;
use yanzheng_core::cbor::{CborError, CborErrorKind};
use yanzheng_core::cert::{FieldError, RecordError};
use yanzheng_core::cose::CoseError;
use yanzheng_core::crypto::{from_hex, KeyError};
use yanzheng_core::online::{combine, RegistryAnswer, RegistryCertificate};
use yanzheng_core::payload::{self, PayloadError};
use yanzheng_core::revocation::{RevocationDelta, RevocationList};
use yanzheng_core::trust::{ListError, TrustList, UpdateError};
use yanzheng_core::verdict::{Verdict, VERDICT_CODES};
use yanzheng_core::{verify, PublicKey, Report, UnixTime};

/// Vector files by path relative to `tests/vectors/`.
pub type Files = BTreeMap<String, Vec<u8>>;

/// The outcomes of list cases.
pub const LIST_OUTCOMES: &[&str] = &[
    "list_refused",
    "update_accepted",
    "update_unchanged",
    "rollback_refused",
    "conflict_refused",
    "delta_gap_refused",
    "delta_refused",
];

/// Which kind of signed list a list case is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// A trust list.
    Trust,
    /// A revocation list.
    Revocations,
    /// A revocation delta offered to a full revocation list.
    RevocationDelta,
}

/// A case checked with `verify`.
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictCase {
    /// The caller's clock.
    pub at: UnixTime,
    /// The QR text.
    pub payload: String,
    /// Root key for loading the lists.
    pub root: Option<PublicKey>,
    /// Trust-list file.
    pub trust: Option<String>,
    /// Revocation-list file.
    pub revocations: Option<String>,
    /// Revocation delta files applied to it, in order.
    pub deltas: Vec<String>,
    /// Inner verdict code of `trust_outdated` or `revocation_unknown`.
    pub status: Option<String>,
    /// Parse error path of `unreadable`.
    pub error: Option<String>,
    /// The registry's answer, when the case is about the combined outcome.
    pub registry: Option<Value>,
    /// Subset of the report's JSON.
    pub facts: Option<Value>,
}

/// A case about loading or updating a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListCase {
    /// Trust or revocation list.
    pub kind: ListKind,
    /// Root key.
    pub root: PublicKey,
    /// The list held, if any.
    pub current: Option<String>,
    /// The list offered.
    pub offered: String,
    /// Load error code of `list_refused`.
    pub reason: Option<String>,
}

/// What a vector checks.
#[derive(Debug, Clone, PartialEq)]
pub enum Case {
    /// A payload through `verify`.
    Verdict(VerdictCase),
    /// A list through load and `accept_update`.
    List(ListCase),
}

/// One parsed vector file.
#[derive(Debug, Clone, PartialEq)]
pub struct Vector {
    /// The expected outcome.
    pub expect: String,
    /// The case.
    pub case: Case,
    /// The `note` lines.
    pub notes: Vec<String>,
}

fn root_key(hex: &str) -> Result<PublicKey, String> {
    let bytes = from_hex(hex).ok_or("root: not hex")?;
    PublicKey::from_bytes(&bytes).map_err(|e| format!("root: {e}"))
}

/// Parses a vector file's text.
pub fn parse(text: &str) -> Result<Vector, String> {
    let body = text
        .strip_suffix('\n')
        .ok_or("the file must end with a newline")?;
    let mut lines = body.split('\n');
    let first = lines.next().unwrap_or_default();
    let expect = first
        .strip_prefix("expect: ")
        .ok_or("the first line must be `expect: OUTCOME`")?
        .to_string();
    let mut fields: BTreeMap<&str, &str> = BTreeMap::new();
    let mut notes = Vec::new();
    for (i, line) in lines.enumerate() {
        let (key, value) = line
            .split_once(": ")
            .ok_or_else(|| format!("line {}: not `key: value`", i + 2))?;
        if key == "note" {
            notes.push(value.to_string());
        } else if key == "expect" {
            return Err(format!(
                "line {}: `expect` must be the first line only",
                i + 2
            ));
        } else if fields.insert(key, value).is_some() {
            return Err(format!("line {}: `{key}` repeated", i + 2));
        }
    }
    let mut take = |key: &str| fields.remove(key).map(str::to_string);
    let case = if VERDICT_CODES.contains(&expect.as_str()) {
        let at_text = take("at").ok_or("verdict case without `at`")?;
        let at = UnixTime::parse(&at_text).map_err(|e| format!("at: {e}"))?;
        if at.to_rfc3339() != at_text {
            return Err("at: not of the form YYYY-MM-DDTHH:MM:SSZ".into());
        }
        let case = VerdictCase {
            at,
            payload: take("payload").ok_or("verdict case without `payload`")?,
            root: take("root").map(|h| root_key(&h)).transpose()?,
            trust: take("trust"),
            revocations: take("revocations"),
            deltas: take("deltas")
                .map(|d| d.split(' ').map(str::to_string).collect())
                .unwrap_or_default(),
            status: take("status"),
            error: take("error"),
            registry: take("registry")
                .map(|f| serde_json::from_str::<Value>(&f).map_err(|e| format!("registry: {e}")))
                .transpose()?,
            facts: take("facts")
                .map(|f| serde_json::from_str::<Value>(&f).map_err(|e| format!("facts: {e}")))
                .transpose()?,
        };
        if (case.trust.is_some() || case.revocations.is_some()) && case.root.is_none() {
            return Err("lists given without `root`".into());
        }
        if !case.deltas.is_empty() && case.revocations.is_none() {
            return Err("`deltas` given without `revocations`".into());
        }
        if case.status.is_some()
            != matches!(expect.as_str(), "trust_outdated" | "revocation_unknown")
        {
            return Err(
                "`status` goes with `expect: trust_outdated` or `revocation_unknown`, and only there"
                    .into(),
            );
        }
        if case.error.is_some() && expect != "unreadable" {
            return Err("`error` goes with `expect: unreadable` only".into());
        }
        if case.facts.as_ref().is_some_and(|f| !f.is_object()) {
            return Err("facts: not a JSON object".into());
        }
        Case::Verdict(case)
    } else if LIST_OUTCOMES.contains(&expect.as_str()) {
        let kind = match take("list").as_deref() {
            Some("trust") => ListKind::Trust,
            Some("revocations") => ListKind::Revocations,
            Some("revocation_delta") => ListKind::RevocationDelta,
            Some(other) => {
                return Err(format!(
                    "list: `{other}` is not trust, revocations or revocation_delta"
                ))
            }
            None => return Err("list case without `list`".into()),
        };
        let case = ListCase {
            kind,
            root: root_key(&take("root").ok_or("list case without `root`")?)?,
            current: take("current"),
            offered: take("offered").ok_or("list case without `offered`")?,
            reason: take("reason"),
        };
        if case.kind == ListKind::RevocationDelta && case.current.is_none() {
            return Err("a revocation_delta case needs `current`".into());
        }
        if case.reason.is_some() != (expect == "list_refused") {
            return Err("`reason` goes with `expect: list_refused`, and only there".into());
        }
        Case::List(case)
    } else {
        return Err(format!("expect: `{expect}` is not a known outcome"));
    };
    if let Some(key) = fields.keys().next() {
        return Err(format!("`{key}` is not a key of this kind of case"));
    }
    Ok(Vector {
        expect,
        case,
        notes,
    })
}

fn cbor_kind(e: &CborError) -> &'static str {
    match e.kind {
        CborErrorKind::Truncated => "truncated",
        CborErrorKind::NonCanonical => "non_canonical",
        CborErrorKind::IndefiniteLength => "indefinite_length",
        CborErrorKind::Unsupported => "unsupported",
        CborErrorKind::UnexpectedType { .. } => "unexpected_type",
        CborErrorKind::KeyOrder => "key_order",
        CborErrorKind::InvalidUtf8 => "invalid_utf8",
        CborErrorKind::TrailingBytes => "trailing_bytes",
        CborErrorKind::TooLong => "too_long",
        _ => "other",
    }
}

fn cose_path(e: &CoseError) -> String {
    match e {
        CoseError::Cbor(c) => format!("cbor/{}", cbor_kind(c)),
        CoseError::NotSign1 => "not_sign1".into(),
        CoseError::Algorithm => "algorithm".into(),
        CoseError::KeyId => "key_id".into(),
        CoseError::UnknownHeader(label) => format!("unknown_header/{label}"),
        CoseError::UnprotectedHeader => "unprotected_header".into(),
        CoseError::SignatureLength => "signature_length".into(),
        _ => "other".into(),
    }
}

/// A stable path naming why payload text did not parse, e.g.
/// `record/cbor/key_order` or `cose/unknown_header/2`: the
/// [`PayloadError::code`] followed by the inner error's kind.
pub fn payload_error_path(e: &PayloadError) -> String {
    match e {
        PayloadError::TooLong { .. } => "too_long".into(),
        PayloadError::UnsupportedVersion => "unsupported_version".into(),
        PayloadError::Base45(b) => format!(
            "base45/{}",
            match b {
                Base45Error::BadCharacter { .. } => "bad_character",
                Base45Error::BadLength => "bad_length",
                Base45Error::Overflow { .. } => "overflow",
                _ => "other",
            }
        ),
        PayloadError::Cose(c) => format!("cose/{}", cose_path(c)),
        PayloadError::Record(RecordError::Cbor(c)) => format!("record/cbor/{}", cbor_kind(c)),
        PayloadError::Record(RecordError::Field(f)) => format!(
            "record/field/{}",
            match f {
                FieldError::Missing(n) => format!("missing/{n}"),
                FieldError::NotAllowed(n) => format!("not_allowed/{n}"),
                FieldError::Invalid { field, .. } => format!("invalid/{field}"),
                FieldError::UnknownField(k) => format!("unknown_field/{k}"),
                _ => "other".into(),
            }
        ),
        _ => "other".into(),
    }
}

/// A stable code for why a list did not load, e.g. `wrong_root`,
/// `key/weak`, `key/non_canonical`, `duplicate_kid`.
pub fn list_error_code(e: &ListError) -> String {
    match e {
        ListError::TooLarge => "too_large".into(),
        ListError::Cose(c) => format!("cose/{}", cose_path(c)),
        ListError::WrongRoot { .. } => "wrong_root".into(),
        ListError::BadSignature => "bad_signature".into(),
        ListError::Cbor(c) => format!("cbor/{}", cbor_kind(c)),
        ListError::Invalid(_) => "invalid".into(),
        ListError::Key { error, .. } => format!(
            "key/{}",
            match error {
                KeyError::WrongLength => "wrong_length",
                KeyError::NotOnCurve => "not_on_curve",
                KeyError::NonCanonical => "non_canonical",
                KeyError::Weak => "weak",
                _ => "other",
            }
        ),
        ListError::DuplicateKid(_) => "duplicate_kid".into(),
        ListError::KidMismatch(_) => "kid_mismatch".into(),
        _ => "other".into(),
    }
}

/// Checks that every member of `expected` is in `actual` with an equal value
/// (objects recursively by the same rule; anything else by equality).
pub fn json_subset(expected: &Value, actual: &Value, path: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(want), Value::Object(have)) => {
            for (key, value) in want {
                let here = format!("{path}.{key}");
                let got = have.get(key).ok_or_else(|| format!("{here}: missing"))?;
                json_subset(value, got, &here)?;
            }
            Ok(())
        }
        _ if expected == actual => Ok(()),
        _ => Err(format!("{path}: expected {expected}, got {actual}")),
    }
}

fn file<'a>(files: &'a Files, name: &str) -> Result<&'a [u8], String> {
    files
        .get(name)
        .map(Vec::as_slice)
        .ok_or_else(|| format!("file `{name}` is not among the vectors"))
}

fn run_verdict(expect: &str, case: &VerdictCase, files: &Files) -> Result<(), String> {
    let load_err = |what: &str, e: ListError| format!("{what}: does not load: {e}");
    let trust = match (&case.trust, &case.root) {
        (Some(name), Some(root)) => {
            Some(TrustList::load(file(files, name)?, root).map_err(|e| load_err("trust", e))?)
        }
        _ => None,
    };
    let revocations = match (&case.revocations, &case.root) {
        (Some(name), Some(root)) => {
            let mut list = RevocationList::load(file(files, name)?, root)
                .map_err(|e| load_err("revocations", e))?;
            for d in &case.deltas {
                let delta =
                    RevocationDelta::load(file(files, d)?, root).map_err(|e| load_err(d, e))?;
                if let Some(next) = list.apply(&delta).map_err(|e| format!("{d}: {e}"))? {
                    list = next;
                }
            }
            Some(list)
        }
        _ => None,
    };
    let report = verify(&case.payload, trust.as_ref(), revocations.as_ref(), case.at);
    if let Some(answer) = &case.registry {
        return run_outcome(expect, case, &report, answer);
    }
    let got = report.verdict.code();
    if got != expect {
        return Err(format!(
            "expected `{expect}`, got `{got}`: {:?}",
            report.verdict
        ));
    }
    if let Some(status) = &case.status {
        let (Verdict::TrustOutdated { status: inner, .. }
        | Verdict::RevocationUnknown { status: inner, .. }) = &report.verdict
        else {
            return Err("no inner status".into());
        };
        if inner.code() != status {
            return Err(format!(
                "inner status: expected `{status}`, got `{}`",
                inner.code()
            ));
        }
    }
    if let Some(path) = &case.error {
        let got = match payload::parse(&case.payload) {
            Ok(_) => "parses".to_string(),
            Err(e) => payload_error_path(&e),
        };
        if &got != path {
            return Err(format!("error: expected `{path}`, got `{got}`"));
        }
    }
    if let Some(facts) = &case.facts {
        let json = serde_json::to_value(&report).map_err(|e| format!("report JSON: {e}"))?;
        json_subset(facts, &json, "facts")?;
    }
    Ok(())
}

/// A lookup answer as the registry sends it.
#[derive(serde::Deserialize)]
struct WireAnswer {
    status: String,
    #[serde(default)]
    certificates: Vec<RegistryCertificate>,
}

fn run_outcome(
    expect: &str,
    case: &VerdictCase,
    report: &Report,
    answer: &Value,
) -> Result<(), String> {
    let wire: WireAnswer =
        serde_json::from_value(answer.clone()).map_err(|e| format!("registry: {e}"))?;
    let answer = match wire.status.as_str() {
        "found" => RegistryAnswer::Found(&wire.certificates),
        "not_found" => RegistryAnswer::NotFound,
        other => return Err(format!("registry: unknown status `{other}`")),
    };
    let outcome = combine(report, answer);
    let got = outcome.verdict.code();
    if got != expect {
        return Err(format!(
            "expected `{expect}`, got `{got}`: {:?}",
            outcome.verdict
        ));
    }
    if let Some(facts) = &case.facts {
        let json = serde_json::to_value(&outcome).map_err(|e| format!("outcome JSON: {e}"))?;
        json_subset(facts, &json, "facts")?;
    }
    Ok(())
}

fn run_list(expect: &str, case: &ListCase, files: &Files) -> Result<(), String> {
    let (got, reason) = match case.kind {
        ListKind::Trust => {
            let current = case
                .current
                .as_ref()
                .map(|n| TrustList::load(file(files, n)?, &case.root).map_err(|e| e.to_string()))
                .transpose()
                .map_err(|e| format!("current: does not load: {e}"))?;
            match TrustList::load(file(files, &case.offered)?, &case.root) {
                Err(e) => ("list_refused", Some(list_error_code(&e))),
                Ok(offered) => (
                    update_outcome(TrustList::accept_update(current.as_ref(), &offered)),
                    None,
                ),
            }
        }
        ListKind::Revocations => {
            let current = case
                .current
                .as_ref()
                .map(|n| {
                    RevocationList::load(file(files, n)?, &case.root).map_err(|e| e.to_string())
                })
                .transpose()
                .map_err(|e| format!("current: does not load: {e}"))?;
            match RevocationList::load(file(files, &case.offered)?, &case.root) {
                Err(e) => ("list_refused", Some(list_error_code(&e))),
                Ok(offered) => (
                    update_outcome(RevocationList::accept_update(current.as_ref(), &offered)),
                    None,
                ),
            }
        }
        ListKind::RevocationDelta => {
            let name = case.current.as_deref().unwrap_or_default();
            let current = RevocationList::load(file(files, name)?, &case.root)
                .map_err(|e| format!("current: does not load: {e}"))?;
            match RevocationDelta::load(file(files, &case.offered)?, &case.root) {
                Err(e) => ("list_refused", Some(list_error_code(&e))),
                Ok(delta) => match current.apply(&delta) {
                    Ok(Some(_)) => ("update_accepted", None),
                    Ok(None) => ("update_unchanged", None),
                    Err(e) => (e.code(), None),
                },
            }
        }
    };
    if got != expect {
        return Err(format!(
            "expected `{expect}`, got `{got}`{}",
            reason.map(|r| format!(" ({r})")).unwrap_or_default()
        ));
    }
    if case.reason.is_some() && reason != case.reason {
        return Err(format!(
            "reason: expected `{}`, got `{}`",
            case.reason.as_deref().unwrap_or_default(),
            reason.as_deref().unwrap_or_default()
        ));
    }
    Ok(())
}

fn update_outcome(r: Result<bool, UpdateError>) -> &'static str {
    match r {
        Ok(true) => "update_accepted",
        Ok(false) => "update_unchanged",
        Err(UpdateError::Rollback { .. }) => "rollback_refused",
        Err(UpdateError::Conflict { .. }) => "conflict_refused",
        Err(_) => "update_refused_otherwise",
    }
}

/// Runs one parsed vector against the files it names.
pub fn run(vector: &Vector, files: &Files) -> Result<(), String> {
    match &vector.case {
        Case::Verdict(c) => run_verdict(&vector.expect, c, files),
        Case::List(c) => run_list(&vector.expect, c, files),
    }
}

/// What a successful run of every vector covered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Cases run.
    pub cases: usize,
    /// Cases per expected outcome.
    pub by_outcome: BTreeMap<String, usize>,
}

/// Runs every `*.vec` file at the top of `files`. Fails (listing every
/// failing file by name) if any case's outcome differs, if a file does not
/// parse, or if there is no vector at all.
pub fn run_all(files: &Files) -> Result<Summary, String> {
    let mut summary = Summary::default();
    let mut failures = Vec::new();
    for (name, bytes) in files {
        if name.contains('/') || !name.ends_with(".vec") {
            continue;
        }
        let outcome = std::str::from_utf8(bytes)
            .map_err(|e| format!("not UTF-8: {e}"))
            .and_then(parse)
            .and_then(|v| run(&v, files).map(|()| v.expect));
        match outcome {
            Ok(expect) => {
                summary.cases += 1;
                *summary.by_outcome.entry(expect).or_default() += 1;
            }
            Err(why) => failures.push(format!("{name}: {why}")),
        }
    }
    if !failures.is_empty() {
        return Err(format!(
            "{} of {} vectors failed:\n{}",
            failures.len(),
            failures.len() + summary.cases,
            failures.join("\n")
        ));
    }
    if summary.cases == 0 {
        return Err("no vector files (*.vec) found: the vector set is empty".into());
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "2012cb90ca60e8e5d8daf66e2272d2233e0486d557e8c66141ed8920177d7eb7";

    fn verdict_case(extra: &str) -> String {
        format!("expect: valid\nat: 2025-06-01T02:00:00Z\npayload: YZ1:AB \n{extra}")
    }

    #[test]
    fn values_are_verbatim() {
        let v = parse(&verdict_case("note: a\nnote: b\n")).expect("parses");
        let Case::Verdict(c) = v.case else {
            panic!("verdict case")
        };
        assert_eq!(c.payload, "YZ1:AB ", "trailing space kept");
        assert_eq!(v.notes, ["a", "b"]);
    }

    #[test]
    fn strict_about_form() {
        let bad = [
            verdict_case("colour: red\n"),
            verdict_case("payload: again\n"),
            verdict_case("trust: lists/x.cose\n"),
            verdict_case("status: valid\n"),
            verdict_case("facts: [1]\n"),
            verdict_case("expect: valid\n"),
            verdict_case("no separator\n"),
            verdict_case("").trim_end().to_string(),
            "expect: valid\nat: 2025-06-01\npayload: x\n".to_string(),
            "at: 2025-06-01T02:00:00Z\nexpect: valid\n".to_string(),
            "expect: maybe\n".to_string(),
            format!("expect: list_refused\nlist: trust\nroot: {ROOT}\noffered: x\n"),
            format!("expect: rollback_refused\nlist: both\nroot: {ROOT}\noffered: x\n"),
        ];
        for text in bad {
            assert!(parse(&text).is_err(), "accepted:\n{text}");
        }
    }

    #[test]
    fn facts_are_a_subset() {
        let have = serde_json::json!({"verdict": "expired", "a": {"b": 1, "c": 2}});
        assert!(json_subset(&serde_json::json!({"a": {"b": 1}}), &have, "facts").is_ok());
        assert!(json_subset(&serde_json::json!({"a": {"b": 2}}), &have, "facts").is_err());
        assert!(json_subset(&serde_json::json!({"d": null}), &have, "facts").is_err());
    }
}
