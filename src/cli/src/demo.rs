//! `yanzheng demo`: a complete demo world, dated from today (China time), in
//! which each QR image gives the verdict it is named after. Everything is
//! signed through core with fresh keys, and the images are read back and
//! verified before the command reports success.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::json;
use yanzheng_core::cert::id_number_checksum_ok;
use yanzheng_core::crypto::to_hex;
use yanzheng_core::revocation::DEFAULT_MAX_AGE;
use yanzheng_core::{
    base45, catalog, payload, verify, CertKind, Certificate, Date, KeyStatus, RevocationList,
    RevokedSet, SecretKey, Sex, TrustList,
};

use crate::batch::COLUMNS;
use crate::clock;
use crate::error::{CliError, CliResult, EXIT_OK};
use crate::files;
use crate::keyfile::{IssuerMeta, KeyKind, LoadedKey};
use crate::keys::random_seed;
use crate::outln;
use crate::qr::{self, Symbol};

/// Arguments of `demo`.
#[derive(Debug, Args)]
#[command(
    after_help = "Writes into DIR (created if needed; demo files in it are replaced):\n  \
root.key, root.pub                 the root key (root.pub is what verifiers deploy)\n  \
issuer-shanghai.key/.pub           上海市应急管理局, special operations, listed\n  \
issuer-zhejiang.key/.pub           浙江省应急管理厅, safety management only, listed\n  \
issuer-unlisted.key/.pub           北京市应急管理局, not in the trust list\n  \
trust-list, revocations            signed lists (version 1)\n  \
<verdict>.png                      one QR image per verdict, e.g. valid.png, revoked.png\n  \
unknown_key-altered.png            valid.png's holder, altered and signed by a forger's key\n  \
certificates.csv                   the Shanghai holders, in the `sign` batch format\n  \
cases.json                         [{file, payload, expect}]\n  \
config.json                        the widget's configuration\n\n\
Then: yanzheng verify --trust-list DIR/trust-list --revocations DIR/revocations --image DIR/valid.png"
)]
pub struct DemoArgs {
    /// Directory to write the demo world into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

/// Which demo key signs a card.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Signer {
    Shanghai,
    Zhejiang,
    Unlisted,
}

/// One demo holder and the verdict their card must get today.
struct Holder {
    expect: &'static str,
    name: &'static str,
    /// Home area code (first six digits of the ID number) and birth date.
    home: &'static str,
    birth: &'static str,
    /// Sequence digits; odd for men, even for women, as on real ID numbers.
    seq: &'static str,
    region: u32,
    serial: u64,
    item: u16,
    signer: Signer,
}

#[rustfmt::skip]
const HOLDERS: &[Holder] = &[
    Holder { expect: "valid", name: "张建国", home: "310115", birth: "19790823", seq: "013", region: 310_000, serial: 1, item: 102, signer: Signer::Shanghai },
    Holder { expect: "review_due_soon", name: "李秀英", home: "340122", birth: "19860214", seq: "026", region: 310_000, serial: 2, item: 201, signer: Signer::Shanghai },
    Holder { expect: "review_overdue", name: "王志强", home: "410523", birth: "19820507", seq: "051", region: 310_000, serial: 3, item: 301, signer: Signer::Shanghai },
    Holder { expect: "expired", name: "刘海燕", home: "320583", birth: "19751130", seq: "048", region: 310_000, serial: 4, item: 101, signer: Signer::Shanghai },
    Holder { expect: "not_yet_valid", name: "陈明", home: "510921", birth: "19950619", seq: "075", region: 310_000, serial: 5, item: 402, signer: Signer::Shanghai },
    Holder { expect: "revoked", name: "杨磊", home: "310104", birth: "19880302", seq: "117", region: 310_000, serial: 6, item: 201, signer: Signer::Shanghai },
    Holder { expect: "signature_invalid", name: "赵丽娟", home: "310110", birth: "19910925", seq: "064", region: 310_000, serial: 7, item: 302, signer: Signer::Shanghai },
    Holder { expect: "unknown_key", name: "黄伟", home: "110105", birth: "19840711", seq: "031", region: 110_000, serial: 8, item: 102, signer: Signer::Unlisted },
    Holder { expect: "key_not_allowed", name: "周国平", home: "330106", birth: "19770418", seq: "095", region: 330_000, serial: 9, item: 903, signer: Signer::Zhejiang },
];

/// The file of the QR code that is a link to a fake query site.
const FAKE_SITE: &str = "https://cx-mem-gov.cn.example/query?id=";

fn demo_error(what: &str) -> CliError {
    CliError::failed(format!("demo: {what}")).hint("this is a bug in the demo; please report it")
}

/// The ID number with the check character core accepts.
fn id_number(h: &Holder) -> Result<String, CliError> {
    let stem = format!("{}{}{}", h.home, h.birth, h.seq);
    "0123456789X"
        .chars()
        .map(|c| format!("{stem}{c}"))
        .find(|n| id_number_checksum_ok(n))
        .ok_or_else(|| demo_error("no check character fits"))
}

/// The certificate for a holder, dated so it gets `h.expect` on `today`.
fn certificate(h: &Holder, today: Date) -> Result<Certificate, CliError> {
    let number = id_number(h)?;
    let sex = if number.as_bytes().get(16).is_some_and(|d| d % 2 == 1) {
        Sex::Male
    } else {
        Sex::Female
    };
    // Dates follow the six-year validity with a review after three years.
    let (valid_from, review_due) = match h.expect {
        "review_due_soon" => {
            let due = today.add_days(15);
            (due.add_years(-3), due)
        }
        "review_overdue" => {
            let due = today.add_days(-20);
            (due.add_years(-3), due)
        }
        "expired" => {
            let from = today.add_years(-6).add_days(-30);
            (from, from.add_years(3))
        }
        "not_yet_valid" => {
            let from = today.add_days(10);
            (from, from.add_years(3))
        }
        _ => {
            let from = today.add_years(-1).add_days(-40);
            (from, from.add_years(3))
        }
    };
    let first_issued = match h.expect {
        "not_yet_valid" => valid_from,
        _ => valid_from.add_years(-6),
    };
    Ok(Certificate {
        kind: CertKind::SpecialOperations,
        name: h.name.to_string(),
        sex,
        number,
        region: h.region,
        cert_id: u64::from(h.region) * 10_000_000_000 + h.serial,
        signed_on: today,
        details: yanzheng_core::Details {
            first_issued,
            valid_from,
            valid_until: valid_from.add_years(6).add_days(-1),
            review_due: Some(review_due),
            category: Some(h.item / 100),
            item: Some(h.item),
            employer: None,
            role: None,
            industry: None,
        },
    })
}

/// A forger's copy of a genuine card: the same holder, number and
/// certificate id, with the validity stretched and another operation item,
/// signed by a key of the forger's own (no issuer's key is at hand). Offline
/// it is an unknown key; the registry's record shows what was changed.
fn altered_copy(genuine: &Certificate) -> Result<String, CliError> {
    let mut forged = genuine.clone();
    forged.details.valid_until = forged.details.valid_until.add_years(4);
    forged.details.category = Some(1);
    forged.details.item = Some(101);
    let forger = SecretKey::from_seed(&random_seed()?);
    // Ten years of validity: more than the rules allow, which a forger's own
    // key does not care about (our signer would refuse it).
    let record = forged
        .to_cbor_any_span()
        .map_err(|e| demo_error(&e.to_string()))?;
    Ok(payload::encode_record(&record, &forger))
}

/// A signed payload with one digit of the holder's ID number changed inside
/// the signed record: it parses, but the signature no longer matches.
fn tampered(cert: &Certificate, key: &SecretKey) -> Result<String, CliError> {
    let text = payload::encode(cert, key).map_err(|e| demo_error(&e.to_string()))?;
    let body = text
        .strip_prefix(payload::PREFIX)
        .ok_or_else(|| demo_error("payload without prefix"))?;
    let mut cose = base45::decode(body).map_err(|e| demo_error(&e.to_string()))?;
    let number = cert.number.as_bytes();
    let at = cose
        .windows(number.len())
        .position(|w| w == number)
        .ok_or_else(|| demo_error("ID number not found in the record"))?;
    // The last sequence digit: a forger reusing the card for someone else.
    let digit = &mut cose[at + 16];
    *digit = if *digit == b'9' { b'0' } else { *digit + 1 };
    Ok(payload::wrap(&cose))
}

fn key(
    kind: KeyKind,
    meta: Option<IssuerMeta>,
    dir: &Path,
    stem: &str,
) -> Result<LoadedKey, CliError> {
    let k = LoadedKey::new(kind, SecretKey::from_seed(&random_seed()?), meta);
    files::write_secret(
        &dir.join(format!("{stem}.key")),
        k.secret_json().as_bytes(),
        true,
    )?;
    files::write(&dir.join(format!("{stem}.pub")), k.public_json().as_bytes())?;
    Ok(k)
}

fn issuer(name: &str, region: u32, types: Vec<CertKind>, today: Date) -> IssuerMeta {
    IssuerMeta {
        name: name.to_string(),
        region,
        types,
        sign_from: today.add_years(-1),
        sign_until: today.add_years(4),
    }
}

fn secret(k: &LoadedKey) -> Result<&SecretKey, CliError> {
    k.secret
        .as_ref()
        .ok_or_else(|| demo_error("key without secret"))
}

fn entry(k: &LoadedKey) -> Result<yanzheng_core::IssuerKey, CliError> {
    k.issuer_key(KeyStatus::Active)
        .ok_or_else(|| demo_error("issuer key without metadata"))
}

/// One row of certificates.csv, in the batch columns.
fn csv_row(c: &Certificate) -> Vec<String> {
    let name = |table, code: Option<u16>| {
        code.map(|v| catalog::name(table, v, true))
            .unwrap_or_default()
    };
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    COLUMNS
        .iter()
        .map(|col| match *col {
            "type" => c.kind.as_str().to_string(),
            "name" => c.name.clone(),
            "sex" => c.sex.label(true).to_string(),
            "number" => c.number.clone(),
            "region" => c.region.to_string(),
            "cert_id" => c.cert_id.to_string(),
            "first_issued" => c.details.first_issued.to_string(),
            "valid_from" => c.details.valid_from.to_string(),
            "valid_until" => c.details.valid_until.to_string(),
            "review_due" => date(c.details.review_due),
            "category" => name(catalog::CATEGORIES, c.details.category),
            "item" => name(catalog::ITEMS, c.details.item),
            "employer" => c.details.employer.clone().unwrap_or_default(),
            "role" => name(catalog::ROLES, c.details.role),
            "industry" => name(catalog::INDUSTRIES, c.details.industry),
            _ => String::new(),
        })
        .collect()
}

fn write_csv(path: &Path, rows: &[Vec<String>]) -> Result<(), CliError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)
        .map_err(|e| CliError::usage(format!("cannot write {}: {e}", path.display())))?;
    for r in rows {
        w.write_record(r)
            .map_err(|e| CliError::usage(format!("cannot write {}: {e}", path.display())))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| CliError::usage(format!("cannot write {}: {e}", path.display())))?;
    files::write(path, &bytes)
}

fn pretty(v: &serde_json::Value) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}

/// Runs `demo`.
pub fn run(a: DemoArgs) -> CliResult {
    let dir = &a.out;
    files::create_dir(dir)?;
    let now = clock::now();
    let today = Date::in_china_at(now);

    let root = key(KeyKind::Root, None, dir, "root")?;
    let shanghai = key(
        KeyKind::Issuer,
        Some(issuer(
            "上海市应急管理局",
            310_000,
            vec![CertKind::SpecialOperations],
            today,
        )),
        dir,
        "issuer-shanghai",
    )?;
    let zhejiang = key(
        KeyKind::Issuer,
        Some(issuer(
            "浙江省应急管理厅",
            330_000,
            vec![CertKind::SafetyManagement],
            today,
        )),
        dir,
        "issuer-zhejiang",
    )?;
    let unlisted = key(
        KeyKind::Issuer,
        Some(issuer(
            "北京市应急管理局",
            110_000,
            vec![CertKind::SpecialOperations, CertKind::SafetyManagement],
            today,
        )),
        dir,
        "issuer-unlisted",
    )?;
    let root_secret = secret(&root)?;

    let trust_bytes = TrustList::sign(
        1,
        now,
        clock::plus_days(now, 365),
        &[entry(&shanghai)?, entry(&zhejiang)?],
        root_secret,
    );
    let trust = TrustList::load(&trust_bytes, &root.public)
        .map_err(|e| demo_error(&format!("trust list: {e}")))?;
    files::write(&dir.join("trust-list"), &trust_bytes)?;

    let mut cases = Vec::new();
    let mut csv_rows = Vec::new();
    let mut revoked_ids = Vec::new();
    for h in HOLDERS {
        let cert = certificate(h, today)?;
        let signer = match h.signer {
            Signer::Shanghai => secret(&shanghai)?,
            Signer::Zhejiang => secret(&zhejiang)?,
            Signer::Unlisted => secret(&unlisted)?,
        };
        let text = if h.expect == "signature_invalid" {
            tampered(&cert, signer)?
        } else {
            payload::encode(&cert, signer).map_err(|e| demo_error(&e.to_string()))?
        };
        if h.expect == "revoked" {
            revoked_ids.push((signer.public().kid(), cert.cert_id));
        }
        if h.signer == Signer::Shanghai {
            csv_rows.push(csv_row(&cert));
        }
        if h.expect == "valid" {
            cases.push((
                "unknown_key-altered".to_string(),
                "unknown_key",
                altered_copy(&cert)?,
            ));
        }
        cases.push((h.expect.to_string(), h.expect, text));
    }
    cases.sort_by_key(|(file, _, _)| file.contains("altered"));
    cases.push((
        "not_a_certificate".to_string(),
        "not_a_certificate",
        format!("{FAKE_SITE}{}", u64::from(310_000u32) * 10_000_000_000 + 1),
    ));

    let revocation_bytes = RevocationList::sign(
        1,
        now,
        DEFAULT_MAX_AGE,
        &RevokedSet::from_pairs(revoked_ids.iter().copied()),
        root_secret,
    );
    // A re-run replaces the list: its old deltas lead elsewhere.
    let _ = std::fs::remove_dir_all(dir.join("revocation-deltas"));
    let revocations = RevocationList::load(&revocation_bytes, &root.public)
        .map_err(|e| demo_error(&format!("revocation list: {e}")))?;
    files::write(&dir.join("revocations"), &revocation_bytes)?;

    let mut cases_json = Vec::new();
    for (stem, expect, text) in &cases {
        let file = format!("{stem}.png");
        let path = dir.join(&file);
        Symbol::new(text)?.write(&path)?;
        // Read the image back and check it the way `verify --image` will.
        let decoded = qr::decode_file(&path)?;
        let got = decoded.first().and_then(|c| c.text.as_deref()).map(|t| {
            verify(t, Some(&trust), Some(&revocations), now)
                .verdict
                .code()
        });
        if got != Some(*expect) {
            return Err(demo_error(&format!("{file} gives {got:?}, not {expect}")));
        }
        cases_json.push(json!({ "file": file, "payload": text, "expect": expect }));
    }
    files::write(&dir.join("cases.json"), &pretty(&json!(cases_json)))?;
    write_csv(&dir.join("certificates.csv"), &csv_rows)?;
    let config = json!({
        "root_public_key": to_hex(&root.public.to_bytes()),
        "trust_list_url": "trust-list",
        "revocations_url": "revocations",
        "lookup_url": "/v1/lookup",
    });
    files::write(&dir.join("config.json"), &pretty(&config))?;

    outln!("demo world for {today} (China time) in {}", dir.display())?;
    outln!("  root key {}  (root.key, root.pub)", root.public.kid())?;
    outln!(
        "  issuer-shanghai  {}  上海市应急管理局, listed",
        shanghai.public.kid()
    )?;
    outln!(
        "  issuer-zhejiang  {}  浙江省应急管理厅, safety management only",
        zhejiang.public.kid()
    )?;
    outln!(
        "  issuer-unlisted  {}  not in the trust list",
        unlisted.public.kid()
    )?;
    outln!(
        "  trust-list v1 (expires in 365 days), revocations v1 ({} revoked, current for 7 days)",
        revoked_ids.len()
    )?;
    for (stem, _, _) in &cases {
        outln!("  {stem}.png")?;
    }
    outln!("  certificates.csv, cases.json, config.json")?;
    outln!(
        "try: yanzheng verify --trust-list {0}/trust-list --revocations {0}/revocations --image {0}/valid.png",
        dir.display()
    )?;
    Ok(EXIT_OK)
}
