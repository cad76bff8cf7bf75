//! `yanzheng sign`: one certificate from JSON, or a CSV batch (see
//! [`crate::batch`]). Before signing, the tool insists on what a verifier
//! cannot check: a correct ID-number check digit, and (unless told otherwise)
//! that the key's trust-list entry allows this certificate, since a card the
//! verifier answers "key not allowed" is a card printed for nothing.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;
use yanzheng_core::cert::id_number_checksum_ok;
use yanzheng_core::{payload, Certificate, Date, KeyStatus, SecretKey};

use crate::batch;
use crate::clock;
use crate::error::{CliError, CliResult, EXIT_OK};
use crate::files;
use crate::keyfile::{self, KeyKind, LoadedKey};
use crate::outln;
use crate::qr::Symbol;

/// Arguments of `sign`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    yanzheng sign --key sh.key cert.json                 # prints YZ1:...\n  \
    yanzheng sign --key sh.key cert.json --out card.png  # also writes the QR image\n  \
    yanzheng sign --key sh.key holders.csv --out cards/  # batch\n\n\
JSON input is a certificate as core serializes it, e.g.\n  \
{\"type\":\"special_operations\",\"name\":\"张建国\",\"sex\":\"male\",\n   \
\"number\":\"11010519491231002X\",\"region\":310000,\"cert_id\":3100000000000001,\n   \
\"first_issued\":\"2018-03-01\",\"valid_from\":\"2024-03-01\",\"valid_until\":\"2030-02-28\",\n   \
\"review_due\":\"2027-03-01\",\"category\":1,\"item\":102}\n\
`signed_on` may be left out: it is then today (China time).\n\n\
CSV input is UTF-8 with a header row. Columns: type,name,sex,number,region,cert_id,\n\
first_issued,valid_from,valid_until,review_due,category,item,employer,role,industry\n\
(optional: signed_on). category, item, role and industry take a code or the Chinese or\n\
English name; sex takes 男/女/male/female. Each good row gives DIR/<cert_id>.png and .svg\n\
and a line in DIR/payloads.csv; bad rows go to DIR/failed.csv with their line number.")]
pub struct SignArgs {
    /// The issuer's secret key file.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// A certificate as JSON (`-` for standard input), or a .csv file for a batch.
    input: PathBuf,
    /// JSON input: also write the QR image (.png, .svg, .jpg, .webp).
    /// CSV input: the output directory (required).
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    /// JSON input: print {"cert_id", "payload", "qr_version"} instead of the payload.
    #[arg(long)]
    json: bool,
    /// Sign even if the key's trust-list entry does not allow this
    /// certificate's type, region or signing day (for test vectors).
    #[arg(long)]
    ignore_key_limits: bool,
}

/// Reads a certificate in core's JSON form, strictly: `signed_on` may be
/// left out (it is then `today`), and a field core's form does not have is
/// refused. (Serde cannot refuse unknown fields beside flattened ones, so
/// what was read is written back and the keys compared.)
fn parse_certificate(text: &str, today: Date) -> Result<Certificate, String> {
    let mut value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if let Some(fields) = value.as_object_mut() {
        fields
            .entry("signed_on")
            .or_insert_with(|| json!(today.to_string()));
    }
    let cert: Certificate = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    let known = serde_json::to_value(&cert).map_err(|e| e.to_string())?;
    if let (Some(given), Some(known)) = (value.as_object(), known.as_object()) {
        let unknown = given
            .iter()
            .find(|(k, v)| !v.is_null() && !known.contains_key(k.as_str()));
        if let Some((k, _)) = unknown {
            return Err(format!("unknown field `{k}`"));
        }
    }
    Ok(cert)
}

/// An issuer key ready to sign, with the limits its trust-list entry sets.
pub struct Signer {
    key: LoadedKey,
    secret: SecretKey,
    ignore_limits: bool,
}

impl Signer {
    /// Loads an issuer's secret key file.
    pub fn load(path: &std::path::Path, ignore_limits: bool) -> Result<Signer, CliError> {
        let (key, secret) = keyfile::load_secret(path, KeyKind::Issuer)?;
        Ok(Signer {
            key,
            secret,
            ignore_limits,
        })
    }

    /// Checks a certificate and signs it; the error is a reason for people
    /// (it never repeats the ID number).
    pub fn sign(&self, cert: &Certificate) -> Result<String, String> {
        if !id_number_checksum_ok(&cert.number) {
            return Err(if yanzheng_core::cert::is_id_number_shape(&cert.number) {
                "ID number check digit is wrong (typing error?)".to_string()
            } else {
                "ID number is not 18 characters (17 digits and a digit or X)".to_string()
            });
        }
        cert.validate().map_err(|e| e.to_string())?;
        if !self.ignore_limits {
            if let Some(entry) = self.key.issuer_key(KeyStatus::Active) {
                if !entry.types.contains(&cert.kind) {
                    return Err(format!("this key may not sign {}", cert.kind.as_str()));
                }
                if cert.signed_on < entry.sign_from || cert.signed_on > entry.sign_until {
                    return Err(format!(
                        "signed_on {} is outside the key's signing period {} to {}",
                        cert.signed_on, entry.sign_from, entry.sign_until
                    ));
                }
                if !entry.covers_region(cert.region) {
                    return Err(format!(
                        "region {} is outside the key's region {}",
                        cert.region, entry.region
                    ));
                }
            }
        }
        payload::encode(cert, &self.secret).map_err(|e| e.to_string())
    }
}

/// Runs `sign`.
pub fn run(a: SignArgs) -> CliResult {
    let signer = Signer::load(&a.key, a.ignore_key_limits)?;
    if files::extension(&a.input).as_deref() == Some("csv") {
        let out = a.out.ok_or_else(|| {
            CliError::usage("a CSV batch needs --out DIR for the images and payloads.csv")
        })?;
        return batch::run(&signer, &a.input, &out);
    }
    let text = if a.input.as_os_str() == "-" {
        files::read_stdin()?
    } else {
        files::read_text(&a.input)?
    };
    let cert = parse_certificate(&text, clock::today_in_china()).map_err(|e| {
        CliError::usage(format!("{}: not a certificate: {e}", a.input.display()))
            .hint("see `yanzheng sign --help` for the JSON form; use a .csv file for a batch")
    })?;
    let text = signer
        .sign(&cert)
        .map_err(|why| CliError::usage(format!("{}: {why}", a.input.display())))?;
    let symbol = Symbol::new(&text)?;
    if let Some(out) = &a.out {
        symbol.write(out)?;
        eprintln!(
            "wrote {} (QR version {}, level M)",
            out.display(),
            symbol.version()
        );
    }
    if let Some(w) = symbol.size_warning() {
        eprintln!("{w}");
    }
    if a.json {
        let v = json!({
            "cert_id": cert.cert_id,
            "payload": text,
            "qr_version": symbol.version(),
        });
        outln!("{v}")?;
    } else {
        outln!("{text}")?;
    }
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CERT: &str = r#""type":"special_operations","name":"张建国","sex":"male",
        "number":"11010519491231002X","region":310000,"cert_id":7,
        "first_issued":"2020-01-01","valid_from":"2020-01-01","valid_until":"2025-12-31",
        "review_due":"2023-01-01","category":1,"item":102"#;

    #[test]
    fn the_json_form_is_read_strictly() {
        let today = Date::from_ymd(2026, 1, 2).expect("date");
        let parse = |extra: &str| parse_certificate(&format!("{{{CERT}{extra}}}"), today);
        let cert = parse("").expect("a certificate");
        assert_eq!(cert.signed_on, today, "signed today unless said");
        assert_eq!(cert.details.item, Some(102));
        let dated = parse(r#","signed_on":"2020-01-01""#).expect("a certificate");
        assert_ne!(dated.signed_on, today);
        // An absent detail may be written as null.
        assert!(parse(r#","employer":null"#).is_ok());
        let unknown = parse(r#","grade":"A""#).expect_err("a field core does not have");
        assert_eq!(unknown, "unknown field `grade`");
        let missing = parse_certificate(r#"{"type":"special_operations"}"#, today)
            .expect_err("fields are missing");
        assert!(missing.contains("missing field"), "{missing}");
    }
}
