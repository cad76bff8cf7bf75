//! `yanzheng keys`: key generation from the operating system's randomness.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use yanzheng_core::crypto::to_hex;
use yanzheng_core::{CertKind, SecretKey};

use crate::clock;
use crate::error::{CliError, CliResult, EXIT_OK};
use crate::files;
use crate::keyfile::{self, IssuerMeta, KeyKind, LoadedKey};
use crate::outln;

/// Key commands.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Generate a root or issuer key pair.
    ///
    /// Writes the secret key file (JSON with the seed; mode 0600) and its
    /// public file next to it: `x.key` gets `x.pub`, any other name gets
    /// `<name>.pub`. Give the public file to whoever builds the trust list
    /// (issuer keys) or deploys the verifier (the root key); keep the secret
    /// file offline.
    #[command(after_help = "Examples:\n  \
        yanzheng keys new --kind root --out root.key\n  \
        yanzheng keys new --kind issuer --name 上海市应急管理局 --region 310000 \\\n      \
        --types special_operations --sign-from 2025-01-01 --sign-until 2027-12-31 --out sh-2025.key")]
    New(NewArgs),
    /// Sign, with the current root key, the statement that names the
    /// deployment's next root key. Verifiers pin the root they first saw;
    /// they move to the new one only if `config.json` carries this
    /// (`"root_transition": "<hex>"`).
    #[command(after_help = "Example:\n  \
        yanzheng keys endorse-root --root root.key --next root-2027.pub\n\n\
Prints the statement in hex: put it in config.json as \"root_transition\", next to\n\
\"root_public_key\" naming the new root.")]
    EndorseRoot(EndorseRootArgs),
}

/// Arguments of `keys new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Root (signs trust and revocation lists) or issuer (signs certificates).
    #[arg(long, value_enum)]
    kind: KeyKind,
    /// Issuing authority's name as the verifier will show it (issuer keys).
    #[arg(long, value_name = "NAME", required_if_eq("kind", "issuer"))]
    name: Option<String>,
    /// GB/T 2260 region code the key signs for, e.g. 310000 (issuer keys).
    #[arg(long, value_name = "CODE", required_if_eq("kind", "issuer"))]
    region: Option<u32>,
    /// Certificate types the key may sign, comma-separated:
    /// special_operations, safety_management (issuer keys).
    #[arg(
        long,
        value_name = "TYPES",
        value_delimiter = ',',
        required_if_eq("kind", "issuer")
    )]
    types: Vec<String>,
    /// First day the key may sign, YYYY-MM-DD (issuer keys; default today).
    #[arg(long, value_name = "DATE")]
    sign_from: Option<String>,
    /// Last day the key may sign, YYYY-MM-DD (issuer keys).
    #[arg(long, value_name = "DATE", required_if_eq("kind", "issuer"))]
    sign_until: Option<String>,
    /// The secret key file to write.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Overwrite existing files.
    #[arg(long)]
    force: bool,
    /// Print the new key's id and public key as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs a `keys` subcommand.
pub fn run(cmd: KeysCommand) -> CliResult {
    match cmd {
        KeysCommand::New(a) => new(a),
        KeysCommand::EndorseRoot(a) => endorse_root(a),
    }
}

/// Arguments of `keys endorse-root`.
#[derive(Debug, clap::Args)]
pub struct EndorseRootArgs {
    /// The current root's secret key file.
    #[arg(long, value_name = "FILE")]
    root: std::path::PathBuf,
    /// The next root's public (or secret) key file.
    #[arg(long, value_name = "FILE")]
    next: std::path::PathBuf,
}

fn endorse_root(a: EndorseRootArgs) -> CliResult {
    let (_, current) = crate::keyfile::load_secret(&a.root, crate::keyfile::KeyKind::Root)?;
    let next = crate::keyfile::load_root_public(&a.next)?;
    if next == current.public() {
        return Err(CliError::usage("--next is the current root key itself"));
    }
    let statement = yanzheng_core::trust::sign_root_transition(&current, &next);
    yanzheng_core::trust::verify_root_transition(&statement, &current.public())
        .map_err(|e| CliError::usage(format!("the statement would not verify: {e}")))?;
    crate::outln!("{}", yanzheng_core::crypto::to_hex(&statement))?;
    Ok(EXIT_OK)
}

/// 32 bytes from the operating system's random source.
pub fn random_seed() -> Result<[u8; 32], CliError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed)
        .map_err(|e| CliError::usage(format!("the operating system gave no randomness: {e}")))?;
    Ok(seed)
}

/// Parses a comma-separated list of certificate types.
pub fn parse_types(items: &[String]) -> Result<Vec<CertKind>, CliError> {
    let mut types = Vec::new();
    for t in items.iter().filter(|t| !t.trim().is_empty()) {
        types.push(CertKind::parse(t).ok_or_else(|| {
            CliError::usage(format!("--types: unknown certificate type `{t}`"))
                .hint("use special_operations and/or safety_management")
        })?);
    }
    keyfile::normalize_types(&mut types);
    if types.is_empty() {
        return Err(CliError::usage(
            "--types: name at least one certificate type",
        ));
    }
    Ok(types)
}

fn new(a: NewArgs) -> CliResult {
    let issuer = match a.kind {
        KeyKind::Root => {
            if a.name.is_some() || a.region.is_some() || !a.types.is_empty() {
                return Err(CliError::usage(
                    "--name, --region and --types are for issuer keys only",
                ));
            }
            None
        }
        KeyKind::Issuer => {
            let need = |v: Option<String>, flag: &str| {
                v.ok_or_else(|| CliError::usage(format!("{flag} is required for an issuer key")))
            };
            let sign_from = match a.sign_from {
                Some(s) => clock::parse_date("--sign-from", &s)?,
                None => clock::today_in_china(),
            };
            let sign_until =
                clock::parse_date("--sign-until", &need(a.sign_until, "--sign-until")?)?;
            Some(IssuerMeta {
                name: need(a.name, "--name")?,
                region: a
                    .region
                    .ok_or_else(|| CliError::usage("--region is required for an issuer key"))?,
                types: parse_types(&a.types)?,
                sign_from,
                sign_until,
            })
        }
    };
    let secret = SecretKey::from_seed(&random_seed()?);
    if let Some(meta) = &issuer {
        keyfile::check_issuer_meta(&secret.public(), meta)?;
    }
    let key = LoadedKey::new(a.kind, secret, issuer);
    let pub_path = keyfile::public_path(&a.out);
    files::check_overwrite(&a.out, a.force)?;
    files::check_overwrite(&pub_path, a.force)?;
    files::write_secret(&a.out, key.secret_json().as_bytes(), a.force)?;
    files::write(&pub_path, key.public_json().as_bytes())?;
    let kid = key.public.kid().to_hex();
    if a.json {
        let v = serde_json::json!({
            "kind": a.kind,
            "kid": kid,
            "public": to_hex(&key.public.to_bytes()),
            "secret_file": a.out.display().to_string(),
            "public_file": pub_path.display().to_string(),
        });
        outln!("{v}")?;
    } else {
        outln!(
            "new {} key {kid}",
            if a.kind == KeyKind::Root {
                "root"
            } else {
                "issuer"
            }
        )?;
        outln!("  secret: {} (keep offline)", a.out.display())?;
        outln!("  public: {}", pub_path.display())?;
    }
    Ok(EXIT_OK)
}
