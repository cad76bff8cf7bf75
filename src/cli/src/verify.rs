//! `yanzheng verify`: core's verdict for a payload or a QR image, explained in
//! the words the widget uses ([`yanzheng_core::messages`]).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use yanzheng_core::cert::mask_number;
use yanzheng_core::messages::{
    explain, label, list_version, phrase, Label, Lang, Phrase, Tone, HOTLINE, OFFICIAL_SITE,
};
use yanzheng_core::verdict::Report;
use yanzheng_core::{payload, verify, RevocationList, TrustList};

use crate::clock;
use crate::error::{CliError, CliResult, EXIT_FAILED, EXIT_OK};
use crate::files;
use crate::lists;
use crate::outln;
use crate::qr;

/// Display language.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// Simplified Chinese.
    Zh,
    /// English.
    En,
}

/// Arguments of `verify`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("what").required(true).args(["payload", "image"]))]
#[command(
    after_help = "Exit status: 0 if the holder may work (valid, review_due_soon), \
1 for any other verdict, 2 if the trust data or input could not be read.\n\n\
Example:\n  yanzheng verify --trust-list demo/trust-list --revocations demo/revocations \
--image demo/valid.png"
)]
pub struct VerifyArgs {
    /// The QR text (YZ1:...); `-` reads standard input.
    payload: Option<String>,
    /// An image with the QR code (PNG, JPEG, WebP) instead of the text.
    #[arg(long, value_name = "IMAGE")]
    image: Option<PathBuf>,
    /// The signed trust list file.
    #[arg(long, value_name = "FILE")]
    trust_list: PathBuf,
    /// The root public key (default: root.pub next to the trust list).
    #[arg(long, value_name = "FILE")]
    root: Option<PathBuf>,
    /// The signed revocation list file (same root key).
    #[arg(long, value_name = "FILE")]
    revocations: Option<PathBuf>,
    /// Check as of this time instead of now: YYYY-MM-DD (00:00 China time)
    /// or YYYY-MM-DDTHH:MM:SSZ.
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// Print core's report as JSON: {"verdict": CODE, ...facts}.
    #[arg(long)]
    json: bool,
    /// Language of the explanation.
    #[arg(long, value_enum, default_value = "zh")]
    lang: LangArg,
    /// Show the full ID number instead of its last four characters.
    #[arg(long)]
    show_number: bool,
}

/// Runs `verify`.
pub fn run(a: VerifyArgs) -> CliResult {
    let root = lists::root_for(&a.trust_list, a.root.as_deref(), "--root")?;
    let trust = lists::load_trust(&a.trust_list, &root)?;
    let revocations = a
        .revocations
        .as_deref()
        .map(|p| lists::load_revocations(p, &root))
        .transpose()?;
    let now = match &a.at {
        Some(s) => clock::parse_instant("--at", s)?,
        None => clock::now(),
    };
    let texts: Vec<String> = match (&a.payload, &a.image) {
        (_, Some(path)) => {
            let codes = qr::decode_file(path)?;
            if codes.is_empty() {
                return Err(
                    CliError::failed(format!("no QR code found in {}", path.display())).hint(
                        "photograph the code flat and sharp, filling a good part of the picture",
                    ),
                );
            }
            codes
                .into_iter()
                .map(|c| {
                    c.text
                        .unwrap_or_else(|| String::from_utf8_lossy(&c.bytes).into_owned())
                })
                .collect()
        }
        // Pasted text, as the code holds it (see payload::from_pasted).
        (Some(p), None) if p == "-" => vec![payload::from_pasted(&files::read_stdin()?)],
        (Some(p), None) => vec![payload::from_pasted(p)],
        (None, None) => return Err(CliError::usage("give a payload or --image")),
    };
    let lang = match a.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    };
    let mut exit = EXIT_OK;
    for (i, text) in texts.iter().enumerate() {
        let report = verify(text, Some(&trust), revocations.as_ref(), now);
        if !report.verdict.is_acceptable() {
            exit = EXIT_FAILED;
        }
        if a.json {
            let v = serde_json::to_string(&report)
                .map_err(|e| CliError::usage(format!("cannot write the report as JSON: {e}")))?;
            outln!("{v}")?;
        } else {
            if i > 0 {
                outln!()?;
            }
            print_report(&report, &trust, revocations.as_ref(), lang, a.show_number)?;
        }
    }
    Ok(exit)
}

fn mark(t: Tone) -> &'static str {
    match t {
        Tone::Good => "[✓]",
        Tone::Caution => "[!]",
        Tone::Bad => "[✗]",
        Tone::Unknown => "[?]",
    }
}

fn print_report(
    r: &Report,
    trust: &TrustList,
    revocations: Option<&RevocationList>,
    lang: Lang,
    show_number: bool,
) -> Result<(), CliError> {
    let zh = lang == Lang::Zh;
    let e = explain(r, lang);
    outln!("{} {}  ({})", mark(e.tone), e.headline, r.verdict.code())?;
    outln!("{}", e.why)?;
    outln!("{}{}", phrase(Phrase::NextLabel, lang), e.next)?;
    if e.official_channels {
        outln!("{}{OFFICIAL_SITE}", phrase(Phrase::OfficialSite, lang))?;
        outln!("{}{HOTLINE}", phrase(Phrase::OfficialHotline, lang))?;
    }
    if let Some(d) = &e.detail {
        outln!("{d}")?;
    }
    if let Some(f) = &r.fields {
        outln!()?;
        if !r.signature_verified {
            outln!("{}", phrase(Phrase::FieldsUnverified, lang))?;
        }
        let mut rows: Vec<(&str, String)> = vec![
            (label(Label::CertType, lang), f.kind.title(zh).to_string()),
            (label(Label::Name, lang), f.name.clone()),
            (label(Label::Sex, lang), f.sex.label(zh).to_string()),
        ];
        let number = match (&r.certificate, show_number) {
            (Some(c), true) => c.number.clone(),
            (Some(c), false) => mask_number(&c.number),
            (None, _) => f.number_masked.clone(),
        };
        rows.push((label(Label::Number, lang), number));
        if let Some(c) = &f.details.category {
            rows.push((label(Label::Category, lang), c.get(zh).to_string()));
        }
        if let Some(c) = &f.details.item {
            rows.push((label(Label::Item, lang), c.get(zh).to_string()));
        }
        if let Some(emp) = &f.details.employer {
            rows.push((label(Label::Employer, lang), emp.clone()));
        }
        if let Some(c) = &f.details.role {
            rows.push((label(Label::Role, lang), c.get(zh).to_string()));
        }
        if let Some(c) = &f.details.industry {
            rows.push((label(Label::Industry, lang), c.get(zh).to_string()));
        }
        rows.push((
            label(Label::FirstIssued, lang),
            f.details.first_issued.to_string(),
        ));
        rows.push((
            label(Label::Validity, lang),
            format!(
                "{}{}{}",
                f.details.valid_from,
                phrase(Phrase::ValidityTo, lang),
                f.details.valid_until
            ),
        ));
        if let Some(d) = f.details.review_due {
            rows.push((label(Label::ReviewDue, lang), d.to_string()));
        }
        if let Some(i) = &r.issuer {
            rows.push((
                label(Label::Issuer, lang),
                format!("{} ({})", i.name, i.kid),
            ));
        }
        rows.push((label(Label::CertId, lang), f.cert_id.to_string()));
        for (k, v) in rows {
            outln!("  {k}: {v}")?;
        }
    }
    outln!()?;
    outln!("{}{}", phrase(Phrase::CheckedOn, lang), r.today)?;
    let tl = trust.summary();
    let mut line = format!(
        "{}{}",
        phrase(Phrase::TrustListLabel, lang),
        list_version(lang, tl.version, tl.issued_at, r.checked_at)
    );
    if r.checked_at > tl.expires_at {
        line = format!("{line} · {}", phrase(Phrase::Expired, lang));
    } else {
        let until = tl.expires_at.to_rfc3339();
        line = format!("{line} · {}{until}", phrase(Phrase::ValidUntil, lang));
    }
    outln!("{line}")?;
    match revocations {
        Some(rl) => {
            let mut line = format!(
                "{}{}",
                phrase(Phrase::RevocationsLabel, lang),
                list_version(lang, rl.version, rl.issued_at, r.checked_at)
            );
            if rl.is_stale(r.checked_at) {
                line = format!("{line} · {}", phrase(Phrase::Stale, lang));
            } else {
                let until = rl.fresh_until().to_rfc3339();
                line = format!("{line} · {}{until}", phrase(Phrase::ValidUntil, lang));
            }
            outln!("{line}")?;
        }
        None => outln!("{}", phrase(Phrase::RevocationsNotGiven, lang))?,
    }
    if r.clock_raised {
        outln!("{}", phrase(Phrase::ClockRaised, lang))?;
    }
    Ok(())
}
