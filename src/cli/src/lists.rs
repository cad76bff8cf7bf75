//! `yanzheng trust-list` and `yanzheng revocations`: signing the root's two
//! lists and showing what a list file says. Every list is loaded back through
//! core right after signing, so the tool never writes a list that a verifier
//! would refuse.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::json;
use yanzheng_core::crypto::to_hex;
use yanzheng_core::trust::{ListError, ListSummary};
use yanzheng_core::{KeyStatus, PublicKey, RevocationList, RevokedSet, TrustList, UnixTime};

use crate::clock;
use crate::error::{CliError, CliResult, EXIT_OK};
use crate::files;
use crate::keyfile::{self, KeyKind};
use crate::outln;
use crate::revoke;

/// Trust-list commands.
#[derive(Debug, Subcommand)]
pub enum TrustListCommand {
    /// Sign a trust list: the issuer keys verifiers believe.
    ///
    /// The version must be higher than the one deployed (verifiers refuse a
    /// rollback). A key's name, region, types and signing period come from its
    /// key file; --status marks keys retired (no longer signs; old signatures
    /// stay good) or revoked (compromised: nothing it signed is trusted).
    #[command(after_help = "Example:\n  \
        yanzheng trust-list sign --root root.key --issuer sh.pub zj.pub \\\n      \
        --version 2 --expires 2026-12-31 --status 0123456789abcdef=retired --out trust-list")]
    Sign(TrustSignArgs),
    /// Check a trust list's root signature and print what it says.
    Show(ShowArgs),
}

/// Revocation-list commands.
#[derive(Debug, Subcommand)]
pub enum RevocationsCommand {
    /// Sign a revocation list: the revoked (issuer key, certificate id) pairs.
    ///
    /// The list replaces the previous one, so give every pair still revoked
    /// (or --keep the ones of the list at --out). If --out holds an older
    /// version, the delta from it is written to revocation-deltas/VERSION
    /// beside it, for devices that hold that version. Devices treat the data
    /// as stale after --max-age: re-sign at least that often, even with no
    /// change, or valid cards will read "revocation status unknown".
    #[command(after_help = "Example:\n  \
        yanzheng revocations sign --root root.key --version 3 --max-age 7d \\\n      \
        --key sh.pub --ids-file revoked.txt 3100000000000042 --keep --out revocations\n\n\
An entry is KID:ID (the issuer key id, 16 hex characters, then the certificate id), or a\n\
bare ID with --key naming the issuer key file. Certificate ids are unique per issuer key.")]
    Sign(RevokeSignArgs),
    /// Check a revocation list's root signature and print what it says.
    Show(ShowArgs),
}

/// Arguments of `trust-list sign`.
#[derive(Debug, Args)]
pub struct TrustSignArgs {
    /// The root's secret key file.
    #[arg(long, value_name = "FILE")]
    root: PathBuf,
    /// Issuer key files (public .pub files or secret files) to list.
    #[arg(long, value_name = "FILE", num_args = 1.., required = true)]
    issuer: Vec<PathBuf>,
    /// List version; must go up with every list published.
    #[arg(long, value_name = "N")]
    version: u64,
    /// When the list expires: YYYY-MM-DD (00:00 China time) or RFC 3339 UTC.
    #[arg(long, value_name = "TIME")]
    expires: String,
    /// When the list counts as issued (default now). Verifiers never take
    /// "now" to be earlier than this.
    #[arg(long, value_name = "TIME")]
    issued_at: Option<String>,
    /// KID=STATUS: mark a key `retired` or `revoked` (default active).
    /// Repeat for several keys.
    #[arg(long, value_name = "KID=STATUS")]
    status: Vec<String>,
    /// The list file to write.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// Arguments of `revocations sign`.
#[derive(Debug, Args)]
pub struct RevokeSignArgs {
    /// The root's secret key file.
    #[arg(long, value_name = "FILE")]
    root: PathBuf,
    /// List version; must go up with every list published (default: one
    /// more than the list at --out, else 1).
    #[arg(long, value_name = "N")]
    version: Option<u64>,
    /// How long the data counts as current after it is issued: 7d, 36h,
    /// 3600 (seconds). Verifiers say "revocation status unknown" after it.
    #[arg(long, value_name = "DURATION", default_value = crate::revoke::DEFAULT_MAX_AGE_TEXT, conflicts_with = "expires")]
    max_age: String,
    /// Instead of --max-age: when the data goes stale (YYYY-MM-DD, 00:00
    /// China time, or RFC 3339 UTC).
    #[arg(long, value_name = "TIME")]
    expires: Option<String>,
    /// When the list counts as issued (default now).
    #[arg(long, value_name = "TIME")]
    issued_at: Option<String>,
    /// The issuer key file (public or secret) that bare ids belong to.
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,
    /// A file with one entry per line (blank lines and lines starting with
    /// # are skipped).
    #[arg(long, value_name = "FILE")]
    ids_file: Option<PathBuf>,
    /// Keep every pair of the list at --out (add to it rather than replace).
    #[arg(long)]
    keep: bool,
    /// Revoked entries: KID:ID, or ID with --key.
    #[arg(value_name = "ENTRY")]
    ids: Vec<String>,
    /// The list file to write.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// Arguments of `trust-list show` and `revocations show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The list file.
    file: PathBuf,
    /// The root public key file (default: root.pub next to the list).
    #[arg(long, value_name = "FILE")]
    root: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs a `trust-list` subcommand.
pub fn run_trust(cmd: TrustListCommand) -> CliResult {
    match cmd {
        TrustListCommand::Sign(a) => sign_trust(a),
        TrustListCommand::Show(a) => show_trust(a),
    }
}

/// Runs a `revocations` subcommand.
pub fn run_revocations(cmd: RevocationsCommand) -> CliResult {
    match cmd {
        RevocationsCommand::Sign(a) => sign_revocations(a),
        RevocationsCommand::Show(a) => show_revocations(a),
    }
}

fn times(issued_at: Option<&str>, expires: &str) -> Result<(UnixTime, UnixTime), CliError> {
    let issued = match issued_at {
        Some(s) => clock::parse_instant("--issued-at", s)?,
        None => clock::now(),
    };
    let expires = clock::parse_instant("--expires", expires)?;
    if expires <= issued {
        return Err(CliError::usage(format!(
            "--expires ({}) is not after the issue time ({})",
            expires.to_rfc3339(),
            issued.to_rfc3339()
        )));
    }
    Ok((issued, expires))
}

fn parse_status(s: &str) -> Result<(String, KeyStatus), CliError> {
    let bad = || {
        CliError::usage(format!("--status: `{s}` is not KID=STATUS"))
            .hint("e.g. --status 0123456789abcdef=retired (statuses: active, retired, revoked)")
    };
    let (kid, status) = s.split_once('=').ok_or_else(bad)?;
    let status = KeyStatus::parse(status.trim()).ok_or_else(bad)?;
    Ok((kid.trim().to_ascii_lowercase(), status))
}

fn sign_trust(a: TrustSignArgs) -> CliResult {
    let (_, root) = keyfile::load_secret(&a.root, KeyKind::Root)?;
    let (issued, expires) = times(a.issued_at.as_deref(), &a.expires)?;
    let mut statuses = Vec::new();
    for s in &a.status {
        statuses.push((parse_status(s)?, false));
    }
    let mut entries = Vec::new();
    for path in &a.issuer {
        let k = keyfile::load(path)?;
        let kid = k.public.kid().to_hex();
        let status = statuses.iter_mut().find(|((id, _), _)| *id == kid).map_or(
            KeyStatus::Active,
            |((_, st), used)| {
                *used = true;
                *st
            },
        );
        let entry = k.issuer_key(status).ok_or_else(|| {
            CliError::usage(format!(
                "{} is a root key; --issuer takes issuer key files",
                path.display()
            ))
        })?;
        if entries
            .iter()
            .any(|e: &yanzheng_core::IssuerKey| e.key == entry.key)
        {
            return Err(CliError::usage(format!(
                "key {kid} is given twice ({})",
                path.display()
            )));
        }
        entries.push(entry);
    }
    if let Some(((kid, _), _)) = statuses.iter().find(|(_, used)| !used) {
        return Err(CliError::usage(format!(
            "--status names key {kid}, which is not among the --issuer files"
        )));
    }
    let bytes = TrustList::sign(a.version, issued, expires, &entries, &root);
    let list = TrustList::load(&bytes, &root.public())
        .map_err(|e| CliError::usage(format!("the list would not load: {e}")))?;
    files::write(&a.out, &bytes)?;
    outln!(
        "signed trust list version {} with {} key(s), issued {}, expires {}",
        list.version,
        list.keys.len(),
        list.issued_at.to_rfc3339(),
        list.expires_at.to_rfc3339()
    )?;
    outln!("  wrote {} ({} bytes)", a.out.display(), bytes.len())?;
    Ok(EXIT_OK)
}

fn sign_revocations(a: RevokeSignArgs) -> CliResult {
    let (_, root) = keyfile::load_secret(&a.root, KeyKind::Root)?;
    let issued = match a.issued_at.as_deref() {
        Some(s) => clock::parse_instant("--issued-at", s)?,
        None => clock::now(),
    };
    let max_age = match &a.expires {
        Some(e) => {
            let (issued, expires) = times(a.issued_at.as_deref(), e)?;
            let age = expires.0 - issued.0;
            if age > yanzheng_core::revocation::MAX_MAX_AGE {
                return Err(CliError::usage(format!(
                    "--expires ({}) is more than 366 days after the issue time",
                    expires.to_rfc3339()
                ))
                .hint("revocation data must be re-signed at least once a year (7 days is usual)"));
            }
            age
        }
        None => revoke::parse_max_age(&a.max_age)?,
    };
    let default_kid = a.key.as_deref().map(revoke::kid_of_key_file).transpose()?;
    let mut pairs = Vec::new();
    if let Some(path) = &a.ids_file {
        pairs.extend(revoke::read_entries(path, default_kid)?);
    }
    for s in &a.ids {
        pairs.push(revoke::parse_entry(s, "argument", default_kid)?);
    }
    let current = revoke::current_at(&a.out, &root)?;
    if a.keep {
        if let Some(c) = &current {
            pairs.extend(c.set().iter());
        }
    }
    let version = a
        .version
        .unwrap_or_else(|| current.as_ref().map_or(1, |c| c.version + 1));
    let set = RevokedSet::from_pairs(pairs);
    let published = revoke::publish(
        &a.out,
        current.as_ref(),
        version,
        issued,
        max_age,
        &set,
        &root,
    )?;
    let list = &published.list;
    outln!(
        "signed revocation list version {} with {} revoked certificate(s) under {} key(s), issued {}, stale after {}",
        list.version,
        list.set().len(),
        list.set().kids().count(),
        list.issued_at.to_rfc3339(),
        list.fresh_until().to_rfc3339()
    )?;
    outln!(
        "  wrote {} ({} bytes)",
        a.out.display(),
        published.full_bytes
    )?;
    if let Some((path, len)) = &published.delta {
        outln!(
            "  wrote {} ({len} bytes, the delta from the previous version)",
            path.display()
        )?;
    }
    Ok(EXIT_OK)
}

/// The root public key for a list: `--root`, else `root.pub` next to the list.
pub fn root_for(list: &Path, root: Option<&Path>, flag: &str) -> Result<PublicKey, CliError> {
    match root {
        Some(p) => keyfile::load_root_public(p),
        None => {
            let beside = files::sibling(list, "root.pub");
            if beside.is_file() {
                keyfile::load_root_public(&beside)
            } else {
                Err(CliError::usage(format!(
                    "{flag} is needed: no root.pub next to {}",
                    list.display()
                ))
                .hint(
                    "the root public key is the one file a verifier must get from a trusted source",
                ))
            }
        }
    }
}

/// Why a list did not load, with what to do about it.
pub fn list_error(what: &str, path: &Path, e: &ListError) -> CliError {
    let err = CliError::usage(format!("cannot load {what} {}: {e}", path.display()));
    match e {
        ListError::WrongRoot { kid } => err.hint(format!(
            "the list was signed by key {kid}: is --root the right root key for this deployment?"
        )),
        ListError::BadSignature => err
            .hint("the file was changed after signing, is damaged, or is a different kind of list"),
        ListError::Cose(_) | ListError::Cbor(_) => err.hint(
            "this is not a signed list file (the files have no extension: trust-list, revocations)",
        ),
        ListError::TooLarge => err.hint("this is not a list file"),
        _ => err,
    }
}

/// Loads a trust list file with its root key.
pub fn load_trust(path: &Path, root: &PublicKey) -> Result<TrustList, CliError> {
    let bytes = files::read(path)?;
    TrustList::load(&bytes, root).map_err(|e| list_error("trust list", path, &e))
}

/// Loads a revocation list file with its root key.
pub fn load_revocations(path: &Path, root: &PublicKey) -> Result<RevocationList, CliError> {
    let bytes = files::read(path)?;
    RevocationList::load(&bytes, root).map_err(|e| list_error("revocation list", path, &e))
}

fn summary_json(s: &ListSummary, now: UnixTime) -> serde_json::Value {
    json!({
        "version": s.version,
        "issued_at": s.issued_at.to_rfc3339(),
        "expires_at": s.expires_at.to_rfc3339(),
        "expired": now > s.expires_at,
    })
}

fn print_summary(kind: &str, s: &ListSummary, now: UnixTime) -> Result<(), CliError> {
    outln!("{kind} version {}", s.version)?;
    outln!("  issued   {}", s.issued_at.to_rfc3339())?;
    let note = if now > s.expires_at {
        "  (EXPIRED)"
    } else {
        ""
    };
    if kind == "revocation list" {
        outln!("  current until {}", s.expires_at.to_rfc3339())?;
        if now > s.expires_at {
            outln!(
                "  (STALE: verifiers holding it say \"revocation status unknown\" for valid cards; re-sign it)"
            )?;
        }
    } else {
        outln!("  expires  {}{note}", s.expires_at.to_rfc3339())?;
    }
    Ok(())
}

fn status_str(s: KeyStatus) -> &'static str {
    match s {
        KeyStatus::Active => "active",
        KeyStatus::Retired => "retired",
        KeyStatus::Revoked => "revoked",
    }
}

fn show_trust(a: ShowArgs) -> CliResult {
    let root = root_for(&a.file, a.root.as_deref(), "--root")?;
    let list = load_trust(&a.file, &root)?;
    let now = clock::now();
    if a.json {
        let mut v = summary_json(&list.summary(), now);
        v["root_kid"] = json!(root.kid().to_hex());
        v["keys"] = list
            .keys
            .iter()
            .map(|k| {
                json!({
                    "kid": k.key.kid().to_hex(),
                    "public": to_hex(&k.key.to_bytes()),
                    "issuer": k.issuer,
                    "region": k.region,
                    "types": k.types,
                    "sign_from": k.sign_from,
                    "sign_until": k.sign_until,
                    "status": status_str(k.status),
                })
            })
            .collect();
        outln!("{v}")?;
        return Ok(EXIT_OK);
    }
    print_summary("trust list", &list.summary(), now)?;
    outln!("  root     {}", root.kid())?;
    outln!("  {} key(s):", list.keys.len())?;
    for k in &list.keys {
        let types: Vec<&str> = k.types.iter().map(|t| t.as_str()).collect();
        outln!(
            "  {}  {:<7}  {}  {}  signs {} to {}  {}",
            k.key.kid(),
            status_str(k.status),
            k.region,
            types.join(","),
            k.sign_from,
            k.sign_until,
            k.issuer
        )?;
    }
    Ok(EXIT_OK)
}

/// How many ids `revocations show` prints without --json.
const SHOW_IDS: usize = 20;

fn show_revocations(a: ShowArgs) -> CliResult {
    let root = root_for(&a.file, a.root.as_deref(), "--root")?;
    let list = load_revocations(&a.file, &root)?;
    let now = clock::now();
    let set = list.set();
    if a.json {
        let mut v = summary_json(&list.summary(), now);
        v["root_kid"] = json!(root.kid().to_hex());
        v["max_age"] = json!(list.max_age);
        v["count"] = json!(set.len());
        v["revoked"] = set
            .groups()
            .map(|(kid, ids)| (kid.to_hex(), json!(ids)))
            .collect::<serde_json::Map<_, _>>()
            .into();
        outln!("{v}")?;
        return Ok(EXIT_OK);
    }
    print_summary("revocation list", &list.summary(), now)?;
    outln!("  root     {}", root.kid())?;
    outln!(
        "  {} revoked certificate(s) under {} issuer key(s)",
        set.len(),
        set.kids().count()
    )?;
    for (kid, id) in set.iter().take(SHOW_IDS) {
        outln!("  {kid}:{id}")?;
    }
    if set.len() > SHOW_IDS {
        outln!("  ... {} more (--json lists all)", set.len() - SHOW_IDS)?;
    }
    Ok(EXIT_OK)
}
