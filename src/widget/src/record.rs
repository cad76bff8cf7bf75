//! The inspection record: one line per check, kept on the device
//! (IndexedDB, `platform::web::record_store`) until the inspector exports it
//! as CSV or clears it. Nothing here leaves the device on its own, and no
//! line holds a full ID number or the payload itself: a hash of the payload
//! ties a line to a card without revealing it.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use yanzheng_core::{Date, UnixTime};

use crate::state::ScanResult;

/// One check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordEntry {
    /// When (Unix seconds).
    pub at: u64,
    /// Core's verdict code.
    pub verdict: String,
    /// Certificate type (`special_operations`, `safety_management`), if read.
    #[serde(default)]
    pub kind: String,
    /// Operation category (Chinese name), if any.
    #[serde(default)]
    pub category: String,
    /// Operation item or role (Chinese name), if any.
    #[serde(default)]
    pub item: String,
    /// The ID number, all but the last four hidden.
    #[serde(default)]
    pub number_masked: String,
    /// The trust list's version the check used.
    #[serde(default)]
    pub trust_list_version: Option<u64>,
    /// SHA-256 of the QR text, first 16 bytes in hex.
    pub payload_sha256: String,
}

/// The oldest check time (Unix seconds) a record keeping `days` days
/// still holds at `now`.
pub fn keep_from(now: UnixTime, days: u32) -> u64 {
    now.0.saturating_sub(u64::from(days) * 86_400)
}

/// The hash that stands for a payload in records and rounds.
pub fn payload_hash(payload: &str) -> String {
    let digest = Sha256::digest(payload.as_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

impl RecordEntry {
    /// The line for a finished check made at `at`.
    pub fn of(r: &ScanResult, at: UnixTime) -> RecordEntry {
        let report = &r.report;
        let fields = report.fields.as_ref();
        RecordEntry {
            at: at.0,
            verdict: report.verdict.code().to_string(),
            kind: fields
                .map(|f| f.kind.as_str().to_string())
                .unwrap_or_default(),
            category: fields
                .and_then(|f| f.details.category.as_ref())
                .map(|c| c.zh.clone())
                .unwrap_or_default(),
            item: fields
                .and_then(|f| f.details.item.as_ref().or(f.details.role.as_ref()))
                .map(|c| c.zh.clone())
                .unwrap_or_default(),
            number_masked: fields.map(|f| f.number_masked.clone()).unwrap_or_default(),
            trust_list_version: report.trust_list.map(|t| t.version),
            payload_sha256: payload_hash(&r.payload),
        }
    }
}

/// China time, `YYYY-MM-DD HH:MM:SS`.
pub fn china_time(t: u64) -> String {
    let local = t.saturating_add(8 * 3600);
    let date = Date::in_china_at(UnixTime(t));
    let s = local % 86_400;
    format!("{date} {:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// The record as CSV (UTF-8 with a byte-order mark, so spreadsheet programs
/// read the Chinese names), oldest first.
pub fn to_csv(entries: &[RecordEntry]) -> String {
    let mut out = String::from(
        "\u{feff}time_china,verdict,type,category,item,number_masked,trust_list_version,payload_sha256\r\n",
    );
    for e in entries {
        let cells = [
            china_time(e.at),
            e.verdict.clone(),
            e.kind.clone(),
            e.category.clone(),
            e.item.clone(),
            e.number_masked.clone(),
            e.trust_list_version
                .map(|v| v.to_string())
                .unwrap_or_default(),
            e.payload_sha256.clone(),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Quotes a cell when needed, and defuses cells a spreadsheet would run as
/// a formula.
fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{now, Fixture};

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn a_check_becomes_a_csv_line_without_the_full_number() {
        let fx = Fixture::new();
        let r = &fx.checked(&fx.valid_payload());
        let e = RecordEntry::of(r, now());
        assert_eq!(e.verdict, "valid");
        assert_eq!(e.kind, "special_operations");
        assert_eq!(e.category, "电工作业");
        assert_eq!(e.payload_sha256.len(), 32);
        let csv = to_csv(&[e.clone(), e]);
        let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
        assert_eq!(lines.len(), 3, "{csv}");
        assert!(lines[1].starts_with("2025-06-01 00:00:00,valid,special_operations,电工作业,"));
        assert!(lines[1].contains(",**************1232,3,"), "{}", lines[1]);
        assert!(!csv.contains("320102199001011232"));
        assert!(!csv.contains(&fx.valid_payload()));
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"x\""), "\"say \"\"x\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_cell("**1234"), "**1234");
        assert_eq!(china_time(0), "1970-01-01 08:00:00");
    }
}
