//! `yanzheng import`: certificates into the registry's database, and
//! revocations into the database and a freshly signed revocation list.
//!
//! Two inputs are understood: the batch CSV that `yanzheng sign` takes (its
//! rows are parsed by [`crate::batch::CertRows`]; the issuer's name comes
//! from the trust-list key that may sign the row's type and region), and the
//! `payloads.csv` that `sign` writes (`cert_id,payload`: each payload is
//! verified by core against the trust list, and imported as core read it).
//! Rows are written in batches, each batch one transaction, so a killed
//! import leaves whole batches and a re-run completes the rest. A bad row is
//! reported with its line number and skipped.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use yanzheng_core::revocation::DEFAULT_MAX_AGE;
use yanzheng_core::{
    verify, CertKind, Certificate, IssuerKey, KeyStatus, Kid, RevocationList, TrustList, UnixTime,
    Verdict,
};
use yanzheng_registry::{CertificateRecord, Database, OpenOptions};

use crate::batch::{csv_reader, progress_bar, CertRows};
use crate::clock;
use crate::error::{CliError, CliResult, EXIT_FAILED, EXIT_OK};
use crate::keyfile::{self, KeyKind};
use crate::lists;
use crate::outln;
use crate::revoke;

/// Arguments of `import`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    yanzheng import holders.csv --db registry.db --data demo\n  \
    yanzheng import cards/payloads.csv --db postgres://yz@127.0.0.1/yz --trust-list trust-list --root root.pub\n  \
    yanzheng import --revocations revoked.txt --key sh.pub --db registry.db --root root.key --data demo\n\n\
A certificate CSV has the columns `yanzheng sign` takes, or is the payloads.csv it writes\n\
(cert_id,payload). Rows go in batches, one transaction each: an import stopped half-way\n\
keeps whole batches, and running it again completes it. Bad rows are reported by line\n\
and skipped (exit status 1). The database never holds clear ID numbers or names, only\n\
keyed hashes under the lookup key, which lives in a file of its own (--lookup-key-file;\n\
for SQLite by default DB.lookup-key beside the database), never in the database.\n\n\
--revocations marks the listed (issuer key, certificate id) pairs revoked and re-signs\n\
DATA/revocations with the next version, listing every pair ever revoked (the old list's\n\
included), and writes the delta from the old version to DATA/revocation-deltas/VERSION.\n\
A line is KID:ID, or a bare ID with --key naming the issuer key file.")]
pub struct ImportArgs {
    /// The certificate CSV (the `sign` batch columns, or cert_id,payload).
    #[arg(value_name = "FILE", required_unless_present = "revocations")]
    input: Option<PathBuf>,
    /// The database: an SQLite file (created if missing), sqlite:PATH, or
    /// postgres://USER@HOST/DB.
    #[arg(long, value_name = "URL")]
    db: String,
    /// A data folder holding trust-list, revocations and root.pub (what
    /// `yanzheng demo --out` writes and `yanzheng serve --data` serves).
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// The trust list (default DATA/trust-list).
    #[arg(long, value_name = "FILE")]
    trust_list: Option<PathBuf>,
    /// The root key file: its public part checks the lists (default: root.pub
    /// next to the trust list); with --revocations, the secret root key that
    /// signs the new list.
    #[arg(long, value_name = "FILE")]
    root: Option<PathBuf>,
    /// A file of revoked certificates, one a line, KID:ID or a bare ID with
    /// --key (# starts a comment): revoke them and re-sign DATA/revocations.
    #[arg(long, value_name = "FILE", conflicts_with = "input")]
    revocations: Option<PathBuf>,
    /// With --revocations: the issuer key file (public or secret) that bare
    /// ids belong to.
    #[arg(long, value_name = "FILE", requires = "revocations")]
    key: Option<PathBuf>,
    /// With --revocations: how long the new list counts as current (7d, 36h,
    /// seconds; default: the old list's, else 7 days).
    #[arg(long, value_name = "DURATION", requires = "revocations")]
    max_age: Option<String>,
    /// The lookup key file (64 hex characters; created, mode 0600, if
    /// missing). Default for an SQLite database: DB.lookup-key beside it;
    /// required for PostgreSQL.
    #[arg(long, value_name = "FILE", env = "YANZHENG_LOOKUP_KEY_FILE")]
    lookup_key_file: Option<PathBuf>,
    /// Rows a transaction.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    batch_size: usize,
    /// Also write every bad row (line, reason) to this CSV file.
    #[arg(long, value_name = "FILE")]
    failed: Option<PathBuf>,
}

/// The lists an import checks rows against.
pub struct Sources {
    /// The trust list (issuer names, payload signatures).
    pub trust: TrustList,
    /// The revocation list, if one is at hand.
    pub revocations: Option<RevocationList>,
}

/// Loads the trust list (and the revocation list next to it, if any).
pub fn load_sources(
    data: Option<&Path>,
    trust_list: Option<&Path>,
    root: Option<&Path>,
) -> Result<Sources, CliError> {
    let trust_path = match (trust_list, data) {
        (Some(p), _) => p.to_path_buf(),
        (None, Some(d)) => d.join("trust-list"),
        (None, None) => {
            return Err(CliError::usage("importing needs the trust list").hint(
                "pass --data DIR (with DIR/trust-list and DIR/root.pub) or --trust-list FILE",
            ))
        }
    };
    let root = lists::root_for(&trust_path, root, "--root")?;
    let trust = lists::load_trust(&trust_path, &root)?;
    let rev_path = data.map(|d| d.join("revocations"));
    let revocations = match rev_path {
        Some(p) if p.is_file() => Some(lists::load_revocations(&p, &root)?),
        _ => None,
    };
    Ok(Sources { trust, revocations })
}

/// Opens the database for the CLI.
pub async fn open_db(
    spec: &str,
    lookup_key_file: Option<&Path>,
    max_connections: u32,
    bulk_import: bool,
) -> Result<Database, CliError> {
    let key_file = match lookup_key_file {
        Some(p) => p.to_path_buf(),
        None => default_key_file(spec).ok_or_else(|| {
            CliError::usage("a PostgreSQL database needs --lookup-key-file FILE").hint(
                "the key that protects the ID numbers must not live in the database it \
                     protects; give every instance and import the same file (or set \
                     YANZHENG_LOOKUP_KEY_FILE)",
            )
        })?,
    };
    Database::open(
        spec,
        OpenOptions {
            max_connections,
            lookup_key: None,
            lookup_key_file: Some(key_file),
            bulk_import,
        },
    )
    .await
    .map_err(|e| CliError::usage(format!("database {}: {e}", shown_db(spec))))
}

/// Where the lookup key lives when no file is named: beside an SQLite
/// database (`FILE.lookup-key`); `None` for PostgreSQL.
pub fn default_key_file(spec: &str) -> Option<PathBuf> {
    let spec = spec.trim();
    let lower = spec.to_ascii_lowercase();
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        return None;
    }
    let path = if lower.starts_with("sqlite:") {
        let rest = &spec["sqlite:".len()..];
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        rest.split('?').next().unwrap_or(rest)
    } else {
        spec
    };
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(format!("{path}.lookup-key")))
}

/// The database argument without a password, for messages.
pub fn shown_db(spec: &str) -> String {
    match (spec.find("://"), spec.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &spec[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &spec[..s + 3], &spec[at..]),
                None => spec.to_string(),
            }
        }
        _ => spec.to_string(),
    }
}

/// The trust-list key whose name a CSV row (no signature) is filed under:
/// one that may sign the type for the region and is not revoked; active keys
/// before retired ones, the narrowest region first.
pub fn issuer_for(trust: &TrustList, kind: CertKind, region: u32) -> Option<&IssuerKey> {
    trust
        .keys
        .iter()
        .filter(|k| {
            k.status != KeyStatus::Revoked && k.types.contains(&kind) && k.covers_region(region)
        })
        .min_by_key(|k| {
            let breadth = if k.region == region {
                0
            } else if k.region % 10_000 != 0 {
                1
            } else {
                2
            };
            (u8::from(k.status != KeyStatus::Active), breadth)
        })
}

/// What an import did.
#[derive(Debug, Default, Clone, Copy)]
pub struct ImportSummary {
    /// Rows stored (written or already stored so).
    pub imported: u64,
    /// Rows inserted or changed.
    pub written: u64,
    /// Rows already stored exactly so.
    pub unchanged: u64,
    /// Rows skipped as bad.
    pub bad: u64,
    /// Seconds taken.
    pub seconds: f64,
}

/// How to report while importing.
pub struct ImportOptions {
    /// Rows a transaction.
    pub batch_size: usize,
    /// Print nothing but errors (used by `serve --demo`).
    pub quiet: bool,
    /// Where to write every bad row, if anywhere.
    pub failed: Option<PathBuf>,
}

/// Bad rows printed before the rest are only counted.
const SHOWN_BAD_ROWS: u64 = 100;

struct BadRows {
    path: PathBuf,
    shown: u64,
    writer: Option<(PathBuf, csv::Writer<File>)>,
}

impl BadRows {
    fn report(
        &mut self,
        pb: &indicatif::ProgressBar,
        line: u64,
        reason: &str,
    ) -> Result<(), CliError> {
        if self.shown < SHOWN_BAD_ROWS {
            pb.suspend(|| eprintln!("{}:{line}: {reason}", self.path.display()));
        } else if self.shown == SHOWN_BAD_ROWS {
            pb.suspend(|| {
                eprintln!("(further bad rows are counted, not shown; --failed FILE lists them all)")
            });
        }
        self.shown += 1;
        if let Some((p, w)) = &mut self.writer {
            w.write_record([line.to_string(), reason.to_string()])
                .map_err(|e| CliError::usage(format!("cannot write {}: {e}", p.display())))?;
        }
        Ok(())
    }
}

enum Layout {
    /// The `sign` batch columns.
    Batch,
    /// `cert_id,payload`.
    Payloads,
}

fn detect(headers: &csv::ByteRecord) -> Layout {
    let names: Vec<String> = headers
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase()
        })
        .collect();
    if names == ["cert_id", "payload"] {
        Layout::Payloads
    } else {
        Layout::Batch
    }
}

/// A row read and checked: the certificate, its issuer key, the issuer's
/// name, revoked or not.
type Checked = Result<(Certificate, Kid, String, bool), String>;

fn check_batch_row(cert: Certificate, sources: &Sources) -> Checked {
    let key = issuer_for(&sources.trust, cert.kind, cert.region).ok_or_else(|| {
        format!(
            "no key in the trust list may sign {} for region {}",
            cert.kind.as_str(),
            cert.region
        )
    })?;
    let kid = key.key.kid();
    let revoked = sources
        .revocations
        .as_ref()
        .is_some_and(|r| r.contains(&kid, cert.cert_id));
    Ok((cert, kid, key.issuer.clone(), revoked))
}

fn check_payload_row(id: &str, payload: &str, sources: &Sources, now: UnixTime) -> Checked {
    let report = verify(
        payload.trim(),
        Some(&sources.trust),
        sources.revocations.as_ref(),
        now,
    );
    let (kid, issuer) = match (&report.issuer, report.signature_verified, &report.verdict) {
        (_, _, Verdict::KeyNotAllowed { reason, .. }) => {
            return Err(format!("the signing key may not sign this ({reason:?})"))
        }
        (Some(issuer), true, _) => (issuer.kid, issuer.name.clone()),
        (_, _, v) => return Err(format!("not importable: the payload is {}", v.code())),
    };
    let cert = report
        .certificate
        .ok_or_else(|| "the payload holds no certificate".to_string())?;
    if id.trim() != cert.cert_id.to_string() {
        return Err(format!(
            "cert_id {} does not match the payload's {}",
            id.trim(),
            cert.cert_id
        ));
    }
    let revoked = match &report.verdict {
        Verdict::Revoked { .. } => true,
        Verdict::TrustOutdated { status, .. } => matches!(**status, Verdict::Revoked { .. }),
        _ => false,
    };
    Ok((cert, kid, issuer, revoked))
}

/// Imports a certificate CSV into `db`.
pub async fn import_file(
    db: &Database,
    path: &Path,
    sources: &Sources,
    opts: &ImportOptions,
) -> Result<ImportSummary, CliError> {
    let started = Instant::now();
    let file = File::open(path).map_err(|e| CliError::io("read", path, &e))?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let read = Arc::new(AtomicU64::new(0));
    let mut reader = csv_reader(BufReader::with_capacity(
        1 << 20,
        CountingReader {
            inner: file,
            count: Arc::clone(&read),
        },
    ));
    let headers = reader
        .byte_headers()
        .map_err(|e| CliError::usage(format!("{}: {e}", path.display())))?
        .clone();
    let today = clock::today_in_china();
    let now = clock::now();
    let key = db.lookup_key().clone();
    let pb = if opts.quiet {
        indicatif::ProgressBar::hidden()
    } else {
        progress_bar(total, "{bar:40} {bytes}/{total_bytes} {msg}")
    };
    let mut bad_rows = BadRows {
        path: path.to_path_buf(),
        shown: 0,
        writer: match &opts.failed {
            Some(p) => {
                let mut w = csv::Writer::from_path(p)
                    .map_err(|e| CliError::usage(format!("cannot write {}: {e}", p.display())))?;
                w.write_record(["line", "reason"])
                    .map_err(|e| CliError::usage(format!("cannot write {}: {e}", p.display())))?;
                Some((p.clone(), w))
            }
            None => None,
        },
    };

    // Every row becomes (line, checked); one loop handles both layouts.
    let rows: Box<dyn Iterator<Item = (u64, Checked)> + '_> = match detect(&headers) {
        Layout::Batch => Box::new(
            CertRows::new(reader, path, today)?
                .map(|(line, cert)| (line, cert.and_then(|c| check_batch_row(c, sources)))),
        ),
        Layout::Payloads => Box::new(PayloadRows::new(reader).map(move |(line, row)| {
            (
                line,
                row.and_then(|(id, payload)| check_payload_row(&id, &payload, sources, now)),
            )
        })),
    };

    let batch_size = opts.batch_size.max(1);
    let mut summary = ImportSummary::default();
    let mut seen: HashSet<(Kid, u64)> = HashSet::new();
    let mut batch: Vec<CertificateRecord> = Vec::with_capacity(batch_size);
    for (line, checked) in rows {
        let result = checked.and_then(|(cert, kid, issuer, revoked)| {
            if !seen.insert((kid, cert.cert_id)) {
                return Err(format!(
                    "cert_id {} appears twice in this file",
                    cert.cert_id
                ));
            }
            CertificateRecord::new(&cert, kid, &issuer, revoked, &key, now)
                .map_err(|e| format!("cert_id {}: {e}", cert.cert_id))
        });
        match result {
            Ok(record) => batch.push(record),
            Err(reason) => {
                summary.bad += 1;
                bad_rows.report(&pb, line, &reason)?;
            }
        }
        if batch.len() >= batch_size {
            flush(db, &mut batch, &mut summary).await?;
            pb.set_position(read.load(Ordering::Relaxed));
            pb.set_message(format!("{} rows", summary.imported));
        }
    }
    flush(db, &mut batch, &mut summary).await?;
    pb.finish_and_clear();
    if let Some((p, mut w)) = bad_rows.writer.take() {
        w.flush().map_err(|e| CliError::io("write", &p, &e))?;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

async fn flush(
    db: &Database,
    batch: &mut Vec<CertificateRecord>,
    summary: &mut ImportSummary,
) -> Result<(), CliError> {
    if batch.is_empty() {
        return Ok(());
    }
    let n = db.upsert(batch).await.map_err(|e| {
        CliError::usage(e.to_string())
            .hint("batches before this one are stored; run the import again to finish it")
    })?;
    summary.written += n.written;
    summary.unchanged += n.unchanged;
    summary.imported += batch.len() as u64;
    batch.clear();
    Ok(())
}

/// Counts the bytes read, for the progress bar.
struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The rows of a `cert_id,payload` file.
struct PayloadRows<R> {
    reader: csv::Reader<R>,
    record: csv::StringRecord,
    done: bool,
}

impl<R: Read> PayloadRows<R> {
    fn new(reader: csv::Reader<R>) -> Self {
        PayloadRows {
            reader,
            record: csv::StringRecord::new(),
            done: false,
        }
    }
}

impl<R: Read> Iterator for PayloadRows<R> {
    type Item = (u64, Result<(String, String), String>);

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => self.done = true,
                Ok(true) => {
                    let line = self.record.position().map_or(0, |p| p.line());
                    if self.record.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    if self.record.len() != 2 {
                        return Some((
                            line,
                            Err(format!(
                                "{} fields, but the header has 2",
                                self.record.len()
                            )),
                        ));
                    }
                    return Some((
                        line,
                        Ok((self.record[0].to_string(), self.record[1].to_string())),
                    ));
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

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::usage(format!("cannot start the async runtime: {e}")))
}

/// Runs `import`.
pub fn run(a: ImportArgs) -> CliResult {
    if let Some(ids_file) = &a.revocations {
        return import_revocations(&a, ids_file);
    }
    let Some(input) = &a.input else {
        return Err(CliError::usage("give the certificate CSV to import"));
    };
    let sources = load_sources(
        a.data.as_deref(),
        a.trust_list.as_deref(),
        a.root.as_deref(),
    )?;
    let rt = runtime()?;
    let summary = rt.block_on(async {
        let db = open_db(&a.db, a.lookup_key_file.as_deref(), 2, true).await?;
        let result = import_file(
            &db,
            input,
            &sources,
            &ImportOptions {
                batch_size: a.batch_size,
                quiet: false,
                failed: a.failed.clone(),
            },
        )
        .await;
        db.close().await;
        result
    })?;
    let rate = summary.imported as f64 / summary.seconds.max(1e-9);
    outln!(
        "{} certificates imported ({} new or changed, {} unchanged), {} bad rows, in {:.1} s ({:.0} rows/s)",
        summary.imported,
        summary.written,
        summary.unchanged,
        summary.bad,
        summary.seconds,
        rate
    )?;
    if summary.bad > 0 {
        if let Some(f) = &a.failed {
            outln!("  bad rows: {}", f.display())?;
        }
        return Ok(EXIT_FAILED);
    }
    Ok(EXIT_OK)
}

fn import_revocations(a: &ImportArgs, ids_file: &Path) -> CliResult {
    let Some(data) = &a.data else {
        return Err(CliError::usage("--revocations needs --data DIR")
            .hint("DIR/revocations is the list that is re-signed"));
    };
    let Some(root_path) = &a.root else {
        return Err(CliError::usage("--revocations needs --root ROOT_KEY")
            .hint("the root's secret key file signs the new revocation list"));
    };
    let (_, root) = keyfile::load_secret(root_path, KeyKind::Root)?;
    let default_kid = a.key.as_deref().map(revoke::kid_of_key_file).transpose()?;
    let pairs = revoke::read_entries(ids_file, default_kid)?;
    let list_path = data.join("revocations");
    let current = revoke::current_at(&list_path, &root)?;
    let now = clock::now();
    let max_age = match &a.max_age {
        Some(s) => revoke::parse_max_age(s)?,
        None => current.as_ref().map_or(DEFAULT_MAX_AGE, |c| c.max_age),
    };
    let mut to_revoke = pairs.clone();
    if let Some(c) = &current {
        to_revoke.extend(c.set().iter());
    }
    let rt = runtime()?;
    let (changed, (all, without_key)) = rt.block_on(async {
        let db = open_db(&a.db, a.lookup_key_file.as_deref(), 2, false).await?;
        let result = async {
            let changed = db
                .revoke(&to_revoke, now)
                .await
                .map_err(|e| CliError::usage(e.to_string()))?;
            let all = db
                .revoked_set()
                .await
                .map_err(|e| CliError::usage(e.to_string()))?;
            Ok::<_, CliError>((changed, all))
        }
        .await;
        db.close().await;
        result
    })?;
    let version = current.as_ref().map_or(1, |c| c.version + 1);
    let published = revoke::publish(
        &list_path,
        current.as_ref(),
        version,
        now,
        max_age,
        &all,
        &root,
    )?;
    let list = &published.list;
    outln!(
        "{} revoked ({} stored certificate(s) flagged); revocation list version {} with {} revoked, stale after {}",
        pairs.len(),
        changed,
        list.version,
        list.set().len(),
        list.fresh_until().to_rfc3339()
    )?;
    outln!(
        "  wrote {} ({} bytes)",
        list_path.display(),
        published.full_bytes
    )?;
    if let Some((path, len)) = &published.delta {
        outln!("  wrote {} ({len} bytes)", path.display())?;
    }
    if without_key > 0 {
        outln!(
            "  {without_key} revoked row(s) imported before issuer keys were recorded are not in the list: import their certificates again"
        )?;
    }
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            shown_db("postgres://yz:secret@127.0.0.1/db"),
            "postgres://yz:***@127.0.0.1/db"
        );
        assert_eq!(shown_db("postgres://yz@h/db"), "postgres://yz@h/db");
        assert_eq!(shown_db("reg.db"), "reg.db");
    }

    #[test]
    fn the_lookup_key_lives_beside_an_sqlite_file_and_nowhere_for_postgres() {
        assert_eq!(
            default_key_file("data/reg.db"),
            Some(PathBuf::from("data/reg.db.lookup-key"))
        );
        assert_eq!(
            default_key_file("sqlite://data/reg.db?mode=rwc"),
            Some(PathBuf::from("data/reg.db.lookup-key"))
        );
        assert_eq!(default_key_file("postgres://yz@h/db"), None);
    }
}
