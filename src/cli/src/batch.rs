//! The CSV batch of `yanzheng sign`: one certificate a row, a QR image pair a
//! good row, and bad rows reported by line without stopping the batch.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::Path;

use csv::{ByteRecord, ReaderBuilder, Writer};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use yanzheng_core::catalog::{self, Entry};
use yanzheng_core::{CertKind, Certificate, Date, Sex};

use crate::clock;
use crate::error::{CliError, CliResult, EXIT_FAILED, EXIT_OK};
use crate::files;
use crate::outln;
use crate::qr::Symbol;
use crate::sign::Signer;

/// The columns, in the order the demo writes them.
pub const COLUMNS: &[&str] = &[
    "type",
    "name",
    "sex",
    "number",
    "region",
    "cert_id",
    "first_issued",
    "valid_from",
    "valid_until",
    "review_due",
    "category",
    "item",
    "employer",
    "role",
    "industry",
];

/// Columns a file may leave out (their values may be empty anyway).
const OPTIONAL_COLUMNS: &[&str] = &[
    "review_due",
    "category",
    "item",
    "employer",
    "role",
    "industry",
    "signed_on",
];

/// Where each known column sits in this file's rows.
struct Layout {
    index: HashMap<&'static str, usize>,
    width: usize,
}

impl Layout {
    fn from_headers(headers: &ByteRecord, path: &Path) -> Result<Layout, CliError> {
        let mut index = HashMap::new();
        for (i, raw) in headers.iter().enumerate() {
            let name = std::str::from_utf8(raw)
                .map_err(|_| {
                    CliError::usage(format!("{}: the header row is not UTF-8", path.display()))
                })?
                .trim()
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase();
            let known = COLUMNS
                .iter()
                .chain(OPTIONAL_COLUMNS)
                .find(|c| **c == name)
                .ok_or_else(|| {
                    CliError::usage(format!("{}: unknown column `{name}`", path.display()))
                        .hint(format!("the columns are: {}", COLUMNS.join(",")))
                })?;
            if index.insert(*known, i).is_some() {
                return Err(CliError::usage(format!(
                    "{}: column `{name}` appears twice",
                    path.display()
                )));
            }
        }
        if let Some(missing) = COLUMNS
            .iter()
            .find(|c| !OPTIONAL_COLUMNS.contains(c) && !index.contains_key(*c))
        {
            return Err(CliError::usage(format!(
                "{}: the header row has no `{missing}` column",
                path.display()
            ))
            .hint(format!(
                "the first row must name the columns: {}",
                COLUMNS.join(",")
            )));
        }
        Ok(Layout {
            index,
            width: headers.len(),
        })
    }
}

/// One row's cells, looked up by column name.
struct Row<'a> {
    layout: &'a Layout,
    record: &'a ByteRecord,
}

impl Row<'_> {
    /// The trimmed cell, `None` if the column is absent or the cell empty.
    fn get(&self, col: &'static str) -> Result<Option<&str>, String> {
        let Some(&i) = self.layout.index.get(col) else {
            return Ok(None);
        };
        let raw = self.record.get(i).unwrap_or_default();
        let s = std::str::from_utf8(raw)
            .map_err(|_| format!("column `{col}` is not UTF-8 text"))?
            .trim();
        Ok((!s.is_empty()).then_some(s))
    }

    fn need(&self, col: &'static str) -> Result<&str, String> {
        self.get(col)?
            .ok_or_else(|| format!("missing value for `{col}`"))
    }

    fn date(&self, col: &'static str) -> Result<Option<Date>, String> {
        self.get(col)?
            .map(|s| {
                s.parse::<Date>()
                    .map_err(|_| format!("`{col}`: `{s}` is not a date (YYYY-MM-DD)"))
            })
            .transpose()
    }

    fn need_date(&self, col: &'static str) -> Result<Date, String> {
        self.date(col)?
            .ok_or_else(|| format!("missing value for `{col}`"))
    }

    fn code(&self, col: &'static str, table: &'static [Entry]) -> Result<Option<u16>, String> {
        self.get(col)?
            .map(|s| {
                catalog::find(table, s)
                    .map(|e| e.code)
                    .ok_or_else(|| format!("unknown {col} `{s}`"))
            })
            .transpose()
    }

    fn number<T: std::str::FromStr>(&self, col: &'static str) -> Result<T, String> {
        let s = self.need(col)?;
        s.parse()
            .map_err(|_| format!("`{col}`: `{s}` is not a number"))
    }

    /// The certificate the row describes (not yet checked against the rules).
    fn certificate(&self, today: Date) -> Result<Certificate, String> {
        if self.record.len() != self.layout.width {
            return Err(format!(
                "{} fields, but the header has {}",
                self.record.len(),
                self.layout.width
            ));
        }
        let kind_s = self.need("type")?;
        let kind = CertKind::parse(kind_s).ok_or_else(|| {
            format!("unknown type `{kind_s}` (special_operations or safety_management)")
        })?;
        let sex_s = self.need("sex")?;
        let sex = Sex::parse(sex_s).ok_or_else(|| format!("unknown sex `{sex_s}` (男/女)"))?;
        Ok(Certificate {
            kind,
            name: self.need("name")?.to_string(),
            sex,
            number: self.need("number")?.to_string(),
            region: self.number("region")?,
            cert_id: self.number("cert_id")?,
            signed_on: self.date("signed_on")?.unwrap_or(today),
            details: yanzheng_core::Details {
                first_issued: self.need_date("first_issued")?,
                valid_from: self.need_date("valid_from")?,
                valid_until: self.need_date("valid_until")?,
                review_due: self.date("review_due")?,
                category: self.code("category", catalog::CATEGORIES)?,
                item: self.code("item", catalog::ITEMS)?,
                employer: self.get("employer")?.map(str::to_string),
                role: self.code("role", catalog::ROLES)?,
                industry: self.code("industry", catalog::INDUSTRIES)?,
            },
        })
    }
}

/// The certificate rows of a batch CSV, read one at a time (a large import
/// never holds the file in memory). Each item is the row's line number
/// (the header is line 1, as editors count) and the certificate or why the
/// row is bad; blank rows are skipped.
pub struct CertRows<R> {
    reader: csv::Reader<R>,
    layout: Layout,
    record: ByteRecord,
    today: Date,
    done: bool,
}

impl<R: std::io::Read> CertRows<R> {
    /// Reads the header row of `reader` (which must have headers on);
    /// `signed_on` defaults to `today`. `path` names the file in errors.
    pub fn new(mut reader: csv::Reader<R>, path: &Path, today: Date) -> Result<Self, CliError> {
        let headers = reader
            .byte_headers()
            .map_err(|e| CliError::usage(format!("{}: {e}", path.display())))?
            .clone();
        let layout = Layout::from_headers(&headers, path)?;
        Ok(CertRows {
            reader,
            layout,
            record: ByteRecord::new(),
            today,
            done: false,
        })
    }
}

/// A CSV reader configured the way batch files are read.
pub fn csv_reader<R: std::io::Read>(input: R) -> csv::Reader<R> {
    ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(input)
}

impl<R: std::io::Read> Iterator for CertRows<R> {
    type Item = (u64, Result<Certificate, String>);

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => self.done = true,
                Ok(true) => {
                    let line = self.record.position().map_or(0, |p| p.line());
                    if self
                        .record
                        .iter()
                        .all(|c| c.iter().all(u8::is_ascii_whitespace))
                    {
                        continue;
                    }
                    let row = Row {
                        layout: &self.layout,
                        record: &self.record,
                    };
                    return Some((line, row.certificate(self.today)));
                }
                Err(e) => {
                    let (line, fatal, message) = crate::batch::csv_row_error(&e);
                    self.done |= fatal;
                    return Some((line, Err(message)));
                }
            }
        }
        None
    }
}

/// A CSV read error as a row report: its line, whether reading must stop
/// (anything but a bad row: a bad UTF-8 sequence or a short or long row
/// leaves the reader able to go on), and the message.
pub fn csv_row_error(e: &csv::Error) -> (u64, bool, String) {
    let line = e.position().map_or(0, |p| p.line());
    let fatal = !matches!(
        e.kind(),
        csv::ErrorKind::Utf8 { .. } | csv::ErrorKind::UnequalLengths { .. }
    );
    (line, fatal, format!("unreadable CSV: {e}"))
}

/// A progress bar on standard error, hidden when that is not a terminal.
pub fn progress_bar(len: u64, template: &str) -> ProgressBar {
    let pb = ProgressBar::with_draw_target(
        Some(len),
        if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    if let Ok(style) = ProgressStyle::with_template(template) {
        pb.set_style(style);
    }
    pb
}

fn csv_error(path: &Path, e: &csv::Error) -> CliError {
    CliError::usage(format!("cannot write {}: {e}", path.display()))
}

/// Signs every row of `input` into `out`; exit 1 if any row failed.
pub fn run(signer: &Signer, input: &Path, out: &Path) -> CliResult {
    let bytes = files::read(input)?;
    let today = clock::today_in_china();
    let rows: Vec<(u64, Result<Certificate, String>)> =
        CertRows::new(csv_reader(bytes.as_slice()), input, today)?.collect();

    files::create_dir(out)?;
    let payloads_path = out.join("payloads.csv");
    let failed_path = out.join("failed.csv");
    let mut payloads =
        Writer::from_path(&payloads_path).map_err(|e| csv_error(&payloads_path, &e))?;
    let mut failed = Writer::from_path(&failed_path).map_err(|e| csv_error(&failed_path, &e))?;
    payloads
        .write_record(["cert_id", "payload"])
        .map_err(|e| csv_error(&payloads_path, &e))?;
    failed
        .write_record(["line", "cert_id", "reason"])
        .map_err(|e| csv_error(&failed_path, &e))?;

    let pb = progress_bar(rows.len() as u64, "{bar:40} {pos}/{len} rows");
    let mut seen: HashMap<u64, u64> = HashMap::new();
    let (mut ok, mut bad) = (0u64, 0u64);
    for (line, parsed) in &rows {
        let mut cert_id = None;
        let result = parsed.as_ref().map_err(Clone::clone).and_then(|cert| {
            cert_id = Some(cert.cert_id);
            if let Some(first) = seen.get(&cert.cert_id) {
                return Err(format!(
                    "cert_id {} was already used on line {first}",
                    cert.cert_id
                ));
            }
            let text = signer.sign(cert)?;
            Ok((cert.cert_id, text))
        });
        match result {
            Ok((id, text)) => {
                let symbol = Symbol::new(&text)?;
                symbol.write(&out.join(format!("{id}.png")))?;
                symbol.write(&out.join(format!("{id}.svg")))?;
                payloads
                    .write_record([id.to_string(), text])
                    .map_err(|e| csv_error(&payloads_path, &e))?;
                seen.insert(id, *line);
                ok += 1;
            }
            Err(reason) => {
                let id = cert_id.map(|i| i.to_string()).unwrap_or_default();
                failed
                    .write_record([line.to_string(), id, reason.clone()])
                    .map_err(|e| csv_error(&failed_path, &e))?;
                pb.suspend(|| eprintln!("{}:{line}: {reason}", input.display()));
                bad += 1;
            }
        }
        pb.inc(1);
    }
    pb.finish_and_clear();
    payloads
        .flush()
        .map_err(|e| CliError::io("write", &payloads_path, &e))?;
    failed
        .flush()
        .map_err(|e| CliError::io("write", &failed_path, &e))?;
    outln!("{ok} signed, {bad} failed")?;
    outln!("  images and {} in {}", "payloads.csv", out.display())?;
    if bad > 0 {
        outln!("  failed rows: {}", failed_path.display())?;
        return Ok(EXIT_FAILED);
    }
    Ok(EXIT_OK)
}
