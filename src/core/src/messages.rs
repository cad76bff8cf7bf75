//! The words for each verdict: a headline, why, and what to do next, in
//! Simplified Chinese (the default) and English. The widget and the CLI both
//! use these, so an inspector and an issuer read the same explanation.

use crate::date::UnixTime;
use crate::verdict::{KeyNotAllowedReason, NotCertificateKind, Report, Verdict};

/// Display language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Simplified Chinese.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// `zh`/`zh-CN` → Chinese, `en*` → English, anything else Chinese.
    pub fn parse(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// How serious a verdict is, for colour and icon (never colour alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// The holder may work.
    Good,
    /// Acceptable or unresolved, with something to act on.
    Caution,
    /// Not valid for work, or a sign of a fake.
    Bad,
    /// The check could not be completed here; not a statement about the card.
    Unknown,
}

/// Words for one verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// One short line.
    pub headline: String,
    /// Why, with the facts.
    pub why: String,
    /// What to do next.
    pub next: String,
    /// Seriousness.
    pub tone: Tone,
}

const HOTLINE_ZH: &str = "如怀疑证件造假，请拨打 12350 安全生产举报热线。";
const HOTLINE_EN: &str = "If you suspect a fake, report it on the 12350 work-safety hotline.";

/// The tone of a verdict.
pub fn tone(v: &Verdict) -> Tone {
    match v {
        Verdict::Valid => Tone::Good,
        Verdict::ReviewDueSoon { .. } | Verdict::RevocationUnknown { .. } => Tone::Caution,
        Verdict::UnknownKey { .. } | Verdict::TrustOutdated { .. } => Tone::Unknown,
        Verdict::Unreadable { .. } => Tone::Unknown,
        _ => Tone::Bad,
    }
}

/// Words for a verdict (the report supplies the issuer's name where known).
pub fn explain(report: &Report, lang: Lang) -> Explanation {
    explain_verdict(
        &report.verdict,
        report.issuer.as_ref().map(|i| i.name.as_str()),
        report.checked_at,
        lang,
    )
}

/// Whole days from `then` to `now` (0 if `then` is later).
fn days_between(then: UnixTime, now: UnixTime) -> u64 {
    now.0.saturating_sub(then.0) / 86_400
}

fn explain_verdict(v: &Verdict, issuer: Option<&str>, now: UnixTime, lang: Lang) -> Explanation {
    let zh = lang == Lang::Zh;
    let issuer_zh = issuer.unwrap_or("发证机关");
    let issuer_en = issuer.unwrap_or("the issuing authority");
    let (headline, why, next): (String, String, String) = match v {
        Verdict::Valid => {
            if zh {
                (
                    "证书有效".into(),
                    format!("签名经{issuer_zh}的密钥验证，证书在有效期内。"),
                    "请核对持证人本人与姓名、证号末四位是否一致。".into(),
                )
            } else {
                (
                    "Certificate valid".into(),
                    format!("The signature verifies with a key of {issuer_en}, and the certificate is in force."),
                    "Check that the holder is the person named, and compare the last four ID digits.".into(),
                )
            }
        }
        Verdict::ReviewDueSoon { due, days_left } => {
            if zh {
                (
                    "有效，即将到期复审".into(),
                    format!("应复审日期为 {due}，还有 {days_left} 天。"),
                    "可以上岗；请提醒持证人按时到发证机关复审。".into(),
                )
            } else {
                (
                    "Valid, review due soon".into(),
                    format!("The review is due on {due}, in {days_left} days."),
                    "The holder may work; remind them to attend the review in time.".into(),
                )
            }
        }
        Verdict::ReviewOverdue { due } => {
            if zh {
                (
                    "逾期未复审".into(),
                    format!("应复审日期 {due} 已过，证书不能用于上岗作业。"),
                    "请持证人到发证机关办理复审；复审前不得从事该项作业。".into(),
                )
            } else {
                (
                    "Review overdue".into(),
                    format!("The review was due on {due}; the certificate is not valid for work."),
                    "The holder must complete the review with the issuing authority before doing this work.".into(),
                )
            }
        }
        Verdict::Expired { valid_until } => {
            if zh {
                (
                    "证书已过期".into(),
                    format!("有效期至 {valid_until}，已过期。"),
                    "持证人须重新取证后方可作业。".into(),
                )
            } else {
                (
                    "Certificate expired".into(),
                    format!("It was valid until {valid_until}."),
                    "The holder needs a new certificate before doing this work.".into(),
                )
            }
        }
        Verdict::NotYetValid { valid_from } => {
            if zh {
                (
                    "证书尚未生效".into(),
                    format!("有效期自 {valid_from} 起。"),
                    "生效日前不得凭此证作业；如日期有误，请联系发证机关。".into(),
                )
            } else {
                (
                    "Not yet valid".into(),
                    format!("It is valid from {valid_from}."),
                    "It cannot be used before that date; if the date looks wrong, contact the issuing authority.".into(),
                )
            }
        }
        Verdict::Revoked { list_version, .. } => {
            if zh {
                (
                    "证书已撤销".into(),
                    format!("该证书在撤销名单（第 {list_version} 版）中。"),
                    "不得凭此证作业；详情请联系发证机关。".into(),
                )
            } else {
                (
                    "Certificate revoked".into(),
                    format!("The certificate is on the revocation list (version {list_version})."),
                    "It is not valid for work; contact the issuing authority for details.".into(),
                )
            }
        }
        Verdict::SignatureInvalid { kid } => {
            if zh {
                (
                    "签名无效：疑似伪造或被篡改".into(),
                    format!("二维码内容与{issuer_zh}密钥 {kid} 的签名不符，数据被改动过或为伪造。"),
                    format!("不要接受此证件。{HOTLINE_ZH}"),
                )
            } else {
                (
                    "Signature invalid: forged or altered".into(),
                    format!("The QR content does not match the signature of key {kid} ({issuer_en}): it was altered or forged."),
                    format!("Do not accept this certificate. {HOTLINE_EN}"),
                )
            }
        }
        Verdict::UnknownKey { kid, no_trust_data } => match (zh, no_trust_data) {
            (true, true) => (
                "本机尚无信任数据".into(),
                "本设备还没有下载发证机关公钥名单，无法离线核验。这不代表证件是假的。".into(),
                "请联网后重试，或使用在线查询。".into(),
            ),
            (false, true) => (
                "No trust data on this device".into(),
                "This device has not downloaded the issuers' key list yet, so it cannot check offline. This does not mean the card is fake.".into(),
                "Connect and try again, or use the online lookup.".into(),
            ),
            (true, false) => (
                "未知的发证密钥".into(),
                format!("签名密钥 {kid} 不在本机的信任名单中。可能是新启用的密钥，也可能是伪造。"),
                "请更新信任名单或使用在线查询核实。".into(),
            ),
            (false, false) => (
                "Unknown issuer key".into(),
                format!("Key {kid} is not in this device's trust list. It may be a new key, or a fake."),
                "Update the trust list or check with the online lookup.".into(),
            ),
        },
        Verdict::KeyNotAllowed { kid, reason } => {
            let (r_zh, r_en) = match reason {
                KeyNotAllowedReason::KeyRevoked => ("该密钥已被注销（可能泄露）", "the key has been revoked (possibly compromised)"),
                KeyNotAllowedReason::WrongType => ("该密钥无权签发此类证书", "the key may not sign this type of certificate"),
                KeyNotAllowedReason::OutsidePeriod => ("签发日期不在该密钥的有效签发期内", "the signing date is outside the key's signing period"),
                KeyNotAllowedReason::WrongRegion => ("证书所属地区不在该密钥的签发范围内", "the certificate's region is outside the key's region"),
                KeyNotAllowedReason::ValidityTooLong => ("有效期长于此类证书允许的年限（特种作业操作证 6 年，安全生产知识和管理能力考核合格证 3 年）", "it is valid for longer than this type of certificate may be (6 years for special operations, 3 for safety management)"),
                KeyNotAllowedReason::SignedInFuture => ("证书上的签发日期晚于今天（也请检查本机日期是否正确）", "the certificate's signing date is after today (also check this device's date)"),
                KeyNotAllowedReason::ValidBeyondKeyPeriod => ("有效期超出该密钥签发期所能允许的范围", "its validity runs past what the key's signing period allows"),
            };
            if zh {
                (
                    "签发密钥无权签发此证".into(),
                    format!("密钥 {kid}（{issuer_zh}）：{r_zh}。"),
                    format!("不要接受此证件，请通过在线查询核实。{HOTLINE_ZH}"),
                )
            } else {
                (
                    "Key not allowed to sign this".into(),
                    format!("Key {kid} ({issuer_en}): {r_en}."),
                    format!("Do not accept it; check with the online lookup. {HOTLINE_EN}"),
                )
            }
        }
        Verdict::RevocationUnknown {
            issued_at, status, ..
        } => {
            let review_zh = match **status {
                Verdict::ReviewDueSoon { due, .. } => format!("应复审日期 {due} 将到。"),
                _ => String::new(),
            };
            let review_en = match **status {
                Verdict::ReviewDueSoon { due, .. } => format!(" The review is due on {due}."),
                _ => String::new(),
            };
            match (zh, issued_at) {
                (true, Some(at)) => (
                    "签名正确，撤销状态未知".into(),
                    format!(
                        "签名经{issuer_zh}的密钥验证，证书在有效期内；但本机的撤销名单已是 {} 天前的数据，已超过规定时限，无法确认此证之后是否被撤销。{review_zh}",
                        days_between(*at, now)
                    ),
                    "请联网更新撤销名单后再核验，或使用在线查询。更新前不要仅凭此结果放行。".into(),
                ),
                (true, None) => (
                    "签名正确，撤销状态未知".into(),
                    format!("签名经{issuer_zh}的密钥验证，证书在有效期内；但本机没有撤销名单，无法确认此证是否被撤销。{review_zh}"),
                    "请联网下载撤销名单后再核验，或使用在线查询。更新前不要仅凭此结果放行。".into(),
                ),
                (false, Some(at)) => (
                    "Signature correct, revocation status unknown".into(),
                    format!(
                        "The signature verifies with a key of {issuer_en} and the dates are in force, but this device's revocation data is {} days old, past its limit: whether the card was revoked since is unknown.{review_en}",
                        days_between(*at, now)
                    ),
                    "Connect to update the revocation list and check again, or use the online lookup. Do not accept on this result alone.".into(),
                ),
                (false, None) => (
                    "Signature correct, revocation status unknown".into(),
                    format!("The signature verifies with a key of {issuer_en} and the dates are in force, but this device holds no revocation list: whether the card is revoked is unknown.{review_en}"),
                    "Connect to download the revocation list and check again, or use the online lookup. Do not accept on this result alone.".into(),
                ),
            }
        }
        Verdict::TrustOutdated { expired_at, status } => {
            let inner = explain_verdict(status, issuer, now, lang);
            let when = expired_at.to_rfc3339();
            if zh {
                (
                    format!("信任名单已过期（签名显示：{}）", inner.headline),
                    format!("本机信任名单已于 {when} 过期，结果可能不是最新的。{}", inner.why),
                    "请联网更新信任名单后再核验一次。".into(),
                )
            } else {
                (
                    format!("Trust data outdated (signature says: {})", inner.headline),
                    format!("This device's trust list expired at {when}, so the result may be out of date. {}", inner.why),
                    "Go online to update the trust list, then check again.".into(),
                )
            }
        }
        Verdict::NotACertificate { what } => match (zh, what) {
            (true, NotCertificateKind::Link { host }) => (
                "这不是证书二维码".into(),
                format!("二维码是一个网址，指向 {host}。真证书的二维码用普通扫码工具扫描时不会打开任何网站。"),
                format!("这是假证的特征。不要打开该网址。{HOTLINE_ZH}"),
            ),
            (false, NotCertificateKind::Link { host }) => (
                "Not a certificate QR code".into(),
                format!("The QR code is a web link to {host}. A genuine certificate's code never opens a website in a generic scanner."),
                format!("This is a sign of a fake. Do not open the link. {HOTLINE_EN}"),
            ),
            (true, NotCertificateKind::Text) => (
                "这不是证书二维码".into(),
                "二维码内容是普通文字。真证书的二维码用普通扫码工具扫描时不会直接显示证件信息。".into(),
                format!("这是假证的特征。{HOTLINE_ZH}"),
            ),
            (false, NotCertificateKind::Text) => (
                "Not a certificate QR code".into(),
                "The QR code holds plain text. A genuine certificate's code never shows the details in a generic scanner.".into(),
                format!("This is a sign of a fake. {HOTLINE_EN}"),
            ),
        },
        Verdict::Unreadable { detail, .. } => {
            if zh {
                (
                    "二维码无法识读".into(),
                    format!("内容不完整或已损坏（{detail}）。"),
                    "请重新扫描，或改用拍照上传、手工输入证号查询。".into(),
                )
            } else {
                (
                    "QR code unreadable".into(),
                    format!("The content is incomplete or damaged ({detail})."),
                    "Scan again, or upload a photo, or enter the number for an online lookup.".into(),
                )
            }
        }
    };
    Explanation {
        headline,
        why,
        next,
        tone: tone(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::Kid;

    #[test]
    fn every_verdict_has_words_in_both_languages() {
        let kid = Kid([1; 8]);
        let d = crate::date::Date::from_ymd(2025, 1, 1).expect("date");
        let all = [
            Verdict::Valid,
            Verdict::ReviewDueSoon {
                due: d,
                days_left: 3,
            },
            Verdict::ReviewOverdue { due: d },
            Verdict::Expired { valid_until: d },
            Verdict::NotYetValid { valid_from: d },
            Verdict::Revoked {
                cert_id: 1,
                list_version: 2,
            },
            Verdict::SignatureInvalid { kid },
            Verdict::UnknownKey {
                kid,
                no_trust_data: true,
            },
            Verdict::UnknownKey {
                kid,
                no_trust_data: false,
            },
            Verdict::KeyNotAllowed {
                kid,
                reason: KeyNotAllowedReason::WrongType,
            },
            Verdict::TrustOutdated {
                expired_at: crate::date::UnixTime(0),
                status: Box::new(Verdict::Valid),
            },
            Verdict::RevocationUnknown {
                issued_at: None,
                fresh_until: None,
                status: Box::new(Verdict::Valid),
            },
            Verdict::RevocationUnknown {
                issued_at: Some(UnixTime(0)),
                fresh_until: Some(UnixTime(86_400)),
                status: Box::new(Verdict::ReviewDueSoon {
                    due: d,
                    days_left: 3,
                }),
            },
            Verdict::NotACertificate {
                what: NotCertificateKind::Link {
                    host: "x.example".into(),
                },
            },
            Verdict::NotACertificate {
                what: NotCertificateKind::Text,
            },
            Verdict::Unreadable {
                reason: "base45",
                detail: "x".into(),
            },
        ];
        for v in &all {
            for lang in [Lang::Zh, Lang::En] {
                let e = explain_verdict(v, None, UnixTime(0), lang);
                assert!(!e.headline.is_empty() && !e.why.is_empty() && !e.next.is_empty());
            }
        }
        // "No trust data" must never read like a forgery.
        let e = explain_verdict(&all[7], None, UnixTime(0), Lang::Zh);
        assert_eq!(e.tone, Tone::Unknown);
        assert!(e.why.contains("不代表证件是假的"));
        // Stale revocation data says how old it is and never reads as valid.
        let stale = Verdict::RevocationUnknown {
            issued_at: Some(UnixTime(0)),
            fresh_until: Some(UnixTime(7 * 86_400)),
            status: Box::new(Verdict::Valid),
        };
        let e = explain_verdict(&stale, None, UnixTime(9 * 86_400 + 5), Lang::Zh);
        assert_eq!(e.tone, Tone::Caution);
        assert!(e.why.contains("9 天前"), "{}", e.why);
        let e = explain_verdict(&stale, None, UnixTime(9 * 86_400 + 5), Lang::En);
        assert!(e.why.contains("9 days old"), "{}", e.why);
        assert!(!stale.is_acceptable());
    }
}
