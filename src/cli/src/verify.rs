//! `yanzheng verify`: core's verdict for a payload or a QR image, explained in
//! the words the widget uses ([`yanzheng_core::messages`]).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use yanzheng_core::cert::mask_number;
use yanzheng_core::messages::{explain, label, Label, Lang, Tone, HOTLINE, OFFICIAL_SITE};
use yanzheng_core::verdict::{NamedCode, Report};
use yanzheng_core::{verify, Date, RevocationList, TrustList, UnixTime};

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
        (Some(p), None) if p == "-" => vec![files::read_stdin()?.trim().to_string()],
        (Some(p), None) => vec![p.clone()],
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

fn named(c: &NamedCode, zh: bool) -> String {
    if zh {
        c.zh.clone()
    } else {
        c.en.clone()
    }
}

fn list_age(issued: UnixTime, now: UnixTime, zh: bool) -> String {
    let days = now.0.saturating_sub(issued.0) / 86_400;
    if zh {
        format!("{days} 天前")
    } else {
        format!("{days} days old")
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
    outln!("{}{}", if zh { "下一步：" } else { "Next: " }, e.next)?;
    if e.official_channels {
        if zh {
            outln!("官方查询平台：{OFFICIAL_SITE}；安全生产举报热线：{HOTLINE}")?;
        } else {
            outln!("Official query platform: {OFFICIAL_SITE}; work-safety hotline: {HOTLINE}")?;
        }
    }
    if let Some(d) = &e.detail {
        outln!("{d}")?;
    }
    if let Some(f) = &r.fields {
        outln!()?;
        if !r.signature_verified {
            outln!(
                "{}",
                if zh {
                    "以下内容未经签名验证，仅供参考："
                } else {
                    "Not verified by a trusted signature; for reference only:"
                }
            )?;
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
            rows.push((label(Label::Category, lang), named(c, zh)));
        }
        if let Some(c) = &f.details.item {
            rows.push((label(Label::Item, lang), named(c, zh)));
        }
        if let Some(emp) = &f.details.employer {
            rows.push((label(Label::Employer, lang), emp.clone()));
        }
        if let Some(c) = &f.details.role {
            rows.push((label(Label::Role, lang), named(c, zh)));
        }
        if let Some(c) = &f.details.industry {
            rows.push((label(Label::Industry, lang), named(c, zh)));
        }
        rows.push((
            label(Label::FirstIssued, lang),
            f.details.first_issued.to_string(),
        ));
        rows.push((
            label(Label::Validity, lang),
            format!(
                "{} {} {}",
                f.details.valid_from,
                if zh { "至" } else { "to" },
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
    let today: Date = r.today;
    let tl = trust.summary();
    outln!(
        "{}",
        if zh {
            format!(
                "核验日期 {today}（北京时间）；信任名单第 {} 版，签发于 {}（{}），有效至 {}",
                tl.version,
                tl.issued_at.to_rfc3339(),
                list_age(tl.issued_at, r.checked_at, true),
                tl.expires_at.to_rfc3339()
            )
        } else {
            format!(
                "Checked on {today} (China time); trust list version {}, issued {} ({}), expires {}",
                tl.version,
                tl.issued_at.to_rfc3339(),
                list_age(tl.issued_at, r.checked_at, false),
                tl.expires_at.to_rfc3339()
            )
        }
    )?;
    match revocations {
        Some(rl) => {
            let stale = rl.is_stale(r.checked_at);
            outln!(
                "{}",
                if zh {
                    format!(
                        "撤销名单第 {} 版，签发于 {}（{}），{} {}",
                        rl.version,
                        rl.issued_at.to_rfc3339(),
                        list_age(rl.issued_at, r.checked_at, true),
                        if stale { "已于" } else { "有效至" },
                        rl.fresh_until().to_rfc3339()
                    ) + if stale { " 过时" } else { "" }
                } else {
                    format!(
                        "revocation list version {}, issued {} ({}), {} {}",
                        rl.version,
                        rl.issued_at.to_rfc3339(),
                        list_age(rl.issued_at, r.checked_at, false),
                        if stale {
                            "stale since"
                        } else {
                            "current until"
                        },
                        rl.fresh_until().to_rfc3339()
                    )
                }
            )?
        }
        None => outln!(
            "{}",
            if zh {
                "没有撤销名单（未提供 --revocations）：有效的证书只能判为“撤销状态未知”"
            } else {
                "no revocation list (no --revocations): a valid card can only be \"revocation status unknown\""
            }
        )?,
    }
    if r.clock_raised {
        outln!(
            "{}",
            if zh {
                "注意：指定的时间早于信任数据的签发时间，已按信任数据签发时间核验。"
            } else {
                "Note: the time given is before the trust data was issued; checked as of its issue time."
            }
        )?;
    }
    Ok(())
}
