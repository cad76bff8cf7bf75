//! The words for each verdict: a headline, why, and what to do next, in
//! Simplified Chinese (the default) and English. The widget and the CLI both
//! use these, so an inspector and an issuer read the same explanation.

use crate::date::{Date, UnixTime};
use crate::online::{ApiError, Basis, Field, InputError, Outcome};
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

    /// The other language (what the language button switches to).
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
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
    /// A technical detail for whoever follows the case up (a key id), kept
    /// out of the sentences above.
    pub detail: Option<String>,
    /// True where the official channels help: the ministry's query platform
    /// ([`OFFICIAL_SITE`]) and the hotline ([`HOTLINE`]).
    pub official_channels: bool,
}

/// The address of the ministry's query platform, the only public registry.
pub const OFFICIAL_SITE: &str = "cx.mem.gov.cn";
/// The work-safety reporting hotline.
pub const HOTLINE: &str = "12350";

const HOTLINE_ZH: &str = "如怀疑证件造假，请拨打 12350 安全生产举报热线。";
const HOTLINE_EN: &str = "If you suspect a fake, report it on the 12350 work-safety hotline.";

/// The tone of a verdict.
pub fn tone(v: &Verdict) -> Tone {
    match v {
        Verdict::Valid => Tone::Good,
        Verdict::ReviewDueSoon { .. } | Verdict::RevocationUnknown { .. } => Tone::Caution,
        Verdict::NotInRegistry {
            other_certificates: true,
        } => Tone::Caution,
        Verdict::NotInRegistry { .. } => Tone::Unknown,
        Verdict::UnknownKey { .. } | Verdict::TrustOutdated { .. } => Tone::Unknown,
        Verdict::Unreadable { .. } => Tone::Unknown,
        _ => Tone::Bad,
    }
}

/// Words for a scan's verdict (the report supplies the issuer's name and the
/// revocation list's date where known).
pub fn explain(report: &Report, lang: Lang) -> Explanation {
    explain_outcome(
        &Outcome::offline(report),
        Some(report),
        report.checked_at,
        lang,
    )
}

/// Words for an outcome: a scan's verdict, a registry record's, or both
/// combined ([`crate::online::combine`]). `report` is the scan's, if any;
/// `now` the instant the rules were applied at.
pub fn explain_outcome(
    outcome: &Outcome,
    report: Option<&Report>,
    now: UnixTime,
    lang: Lang,
) -> Explanation {
    let record = outcome.record.as_ref();
    let issuer = report
        .and_then(|r| r.issuer.as_ref())
        .map(|i| i.name.as_str())
        .or(record.map(|r| r.issuer.as_str()));
    let revocations = match outcome.basis {
        Basis::Registry => record.and_then(|r| r.revoked_by).map(|s| s.issued_at),
        _ => report.and_then(|r| r.revocations).map(|l| l.issued_at),
    };
    let mut e = explain_verdict(&outcome.verdict, issuer, revocations, now, lang);
    let zh = lang == Lang::Zh;
    // A registry record has no signature: say what the verdict rests on.
    if outcome.verdict.is_acceptable() {
        let issuer_zh = issuer.unwrap_or("发证机关");
        let issuer_en = issuer.unwrap_or("the issuing authority");
        let checked = report.is_some_and(|r| r.signature_verified);
        e.why = match (outcome.basis, checked, zh) {
            (Basis::Both, _, true) => format!("签名经{issuer_zh}的签名密钥验证，与登记库记录一致，证书在有效期内，未被撤销。"),
            (Basis::Both, _, false) => format!("The signature verifies with a key of {issuer_en}, the registry's record agrees, and the certificate is in force and not revoked."),
            (Basis::Registry, false, true) if report.is_some() => "登记库记录与二维码一致，证书在有效期内，未被撤销；二维码的签名未能在本机核验。".into(),
            (Basis::Registry, false, false) if report.is_some() => "The registry's record agrees with the QR code and the certificate is in force and not revoked; the QR code's signature could not be checked on this device.".into(),
            (Basis::Registry, _, true) => format!("登记库记录显示：证书由{issuer_zh}发证，在有效期内，未被撤销。"),
            (Basis::Registry, _, false) => format!("The registry's record says the certificate was issued by {issuer_en}, is in force and is not revoked."),
            _ => e.why,
        };
        if let Verdict::ReviewDueSoon { due, days_left } = &outcome.verdict {
            if outcome.basis != Basis::Offline {
                e.why = if zh {
                    format!("{}应复审日期为 {due}，还有 {days_left} 天。", e.why)
                } else {
                    format!("{} The review is due on {due}, in {days_left} days.", e.why)
                };
            }
        }
    }
    e
}

/// A certificate field's label, the same on every screen and in the CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// 证书 (the certificate's type).
    CertType,
    /// 姓名.
    Name,
    /// 性别.
    Sex,
    /// 证号.
    Number,
    /// 作业类别.
    Category,
    /// 操作项目.
    Item,
    /// 单位名称.
    Employer,
    /// 职务.
    Role,
    /// 行业类别.
    Industry,
    /// 初领日期.
    FirstIssued,
    /// 有效期.
    Validity,
    /// 有效期起.
    ValidFrom,
    /// 有效期至.
    ValidUntil,
    /// 应复审日期.
    ReviewDue,
    /// 发证机关.
    Issuer,
    /// 证书编号.
    CertId,
}

/// The label of a field in `lang`.
pub fn label(l: Label, lang: Lang) -> &'static str {
    let (zh, en) = match l {
        Label::CertType => ("证书", "Certificate"),
        Label::Name => ("姓名", "Name"),
        Label::Sex => ("性别", "Sex"),
        Label::Number => ("证号", "ID number"),
        Label::Category => ("作业类别", "Category"),
        Label::Item => ("操作项目", "Operation item"),
        Label::Employer => ("单位名称", "Employer"),
        Label::Role => ("职务", "Role"),
        Label::Industry => ("行业类别", "Industry"),
        Label::FirstIssued => ("初领日期", "First issued"),
        Label::Validity => ("有效期", "Valid"),
        Label::ValidFrom => ("有效期起", "Valid from"),
        Label::ValidUntil => ("有效期至", "Valid until"),
        Label::ReviewDue => ("应复审日期", "Review due"),
        Label::Issuer => ("发证机关", "Issuing authority"),
        Label::CertId => ("证书编号", "Certificate id"),
    };
    if lang == Lang::Zh {
        zh
    } else {
        en
    }
}

/// Why typed lookup input was refused, in `lang` (the widget shows it; the
/// registry answers it).
pub fn input_error(e: InputError, lang: Lang) -> &'static str {
    let (zh, en) = match e {
        InputError::NumberShape => (
            "证号应为 18 位：17 位数字加 1 位数字或 X。",
            "The number has 18 characters: 17 digits, then a digit or X.",
        ),
        InputError::NumberChecksum => (
            "证号最后一位（校验码）与前 17 位不符，请检查是否输错。",
            "The number's last character (the check digit) does not match the other 17: check for a typing error.",
        ),
        InputError::NameEmpty => ("请输入持证人姓名。", "Type the holder's name."),
        InputError::NameTooLong => ("姓名过长。", "The name is too long."),
        InputError::NameCharacters => (
            "姓名中有不能使用的字符（例如从网页复制带来的不可见字符），请重新输入。",
            "The name holds characters that cannot be used (invisible ones, copied from a web page, say): type it again.",
        ),
    };
    if lang == Lang::Zh {
        zh
    } else {
        en
    }
}

/// Words every screen of a report says around core's explanation: the
/// widget and the CLI use these, never their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phrase {
    /// Before the explanation's next step.
    NextLabel,
    /// Before the official query platform's address.
    OfficialSite,
    /// Before the reporting hotline.
    OfficialHotline,
    /// The time of the check was before the trust list's issue time.
    ClockRaised,
    /// Between the two dates of a validity.
    ValidityTo,
    /// The trust list, before its version.
    TrustListLabel,
    /// The revocation list, before its version.
    RevocationsLabel,
    /// A revocation list past its maximum age.
    Stale,
    /// A trust list past its expiry.
    Expired,
    /// Before a list's expiry or end of freshness.
    ValidUntil,
    /// Before the day of a check.
    CheckedOn,
    /// Before fields that no trusted signature vouches for.
    FieldsUnverified,
    /// No revocation list was given to the check.
    RevocationsNotGiven,
}

/// A [`Phrase`] in `lang`.
pub fn phrase(p: Phrase, lang: Lang) -> &'static str {
    let (zh, en) = match p {
        Phrase::NextLabel => ("下一步：", "Next: "),
        Phrase::OfficialSite => (
            "官方查询平台（国家安全生产考试平台）：",
            "The ministry's official query platform: ",
        ),
        Phrase::OfficialHotline => ("安全生产举报热线：", "Work-safety reporting hotline: "),
        Phrase::ClockRaised => (
            "核验时间早于信任名单的签发时间，已按名单的时间核验。",
            "The time of the check is before the trust list was issued, so the list's time was used.",
        ),
        Phrase::ValidityTo => (" 至 ", " to "),
        Phrase::TrustListLabel => ("信任名单", "Trust list "),
        Phrase::RevocationsLabel => ("撤销名单", "revocation list "),
        Phrase::Stale => ("已过时", "stale"),
        Phrase::Expired => ("已过期", "expired"),
        Phrase::ValidUntil => ("有效至 ", "valid until "),
        Phrase::CheckedOn => ("核验日期（北京时间）：", "Checked on (China time): "),
        Phrase::FieldsUnverified => (
            "以下内容未经签名验证，仅供参考：",
            "Not verified by a trusted signature; for reference only:",
        ),
        Phrase::RevocationsNotGiven => (
            "没有撤销名单：有效的证书只能判为“撤销状态未知”。",
            "No revocation list: a valid card can only be \"revocation status unknown\".",
        ),
    };
    if lang == Lang::Zh {
        zh
    } else {
        en
    }
}

/// How long ago, in words: "刚刚", "2 小时前", "3 天前".
pub fn age(lang: Lang, seconds: u64) -> String {
    let zh = lang == Lang::Zh;
    let (hours, days) = (seconds / 3600, seconds / 86_400);
    match (zh, hours, days) {
        (true, 0, _) => "刚刚".into(),
        (false, 0, _) => "just now".into(),
        (true, h, 0) => format!("{h} 小时前"),
        (false, 1, 0) => "1 hour ago".into(),
        (false, h, 0) => format!("{h} hours ago"),
        (true, _, d) => format!("{d} 天前"),
        (false, _, 1) => "1 day ago".into(),
        (false, _, d) => format!("{d} days ago"),
    }
}

/// A signed list's version and age: "第 3 版，2025-06-01 签发（3 天前）".
pub fn list_version(lang: Lang, version: u64, issued_at: UnixTime, now: UnixTime) -> String {
    let issued = Date::in_china_at(issued_at);
    let ago = age(lang, now.0.saturating_sub(issued_at.0));
    match lang {
        Lang::Zh => format!("第 {version} 版，{issued} 签发（{ago}）"),
        Lang::En => format!("version {version}, issued {issued} ({ago})"),
    }
}

/// What the registry says with a refusal, in `lang`.
pub fn api_error(e: ApiError, lang: Lang) -> &'static str {
    let (zh, en) = match e {
        ApiError::Input(input) => return input_error(input, lang),
        ApiError::NotFound => ("没有这个接口。", "No such endpoint."),
        ApiError::MethodNotAllowed => (
            "请求方法不对。",
            "This endpoint does not take that method.",
        ),
        ApiError::Unavailable => (
            "查询服务暂时不可用，请稍后再试。",
            "The lookup service is unavailable for the moment; try again later.",
        ),
        ApiError::Busy => ("服务繁忙，请稍后重试。", "The service is busy; try again shortly."),
        ApiError::RequestTimeout => ("请求超时，请重试。", "The request took too long; try again."),
        ApiError::Internal => ("服务器内部错误。", "Internal server error."),
        ApiError::PayloadTooLarge => ("请求内容过大。", "The request body is too large."),
        ApiError::UnsupportedMediaType => (
            "请求内容须为 JSON（Content-Type: application/json）。",
            "Send JSON with Content-Type: application/json.",
        ),
        ApiError::UnreadableBody => (
            "请求内容读取失败。",
            "The request body could not be read.",
        ),
        ApiError::MalformedJson => ("请求不是有效的 JSON。", "The request body is not valid JSON."),
        ApiError::UnknownField => (
            "请求中有不认识的字段。",
            "The request has a field this endpoint does not take.",
        ),
        ApiError::DuplicateField => ("请求中有重复的字段。", "A field appears twice in the request."),
        ApiError::MissingField => ("请求缺少必填字段。", "The request lacks a required field."),
        ApiError::InvalidField => (
            "请求中的字段类型不对。",
            "A field of the request has the wrong type.",
        ),
        ApiError::RateLimited => (
            "查询过于频繁，请稍后再试。",
            "Too many lookups from this address; wait a moment and try again.",
        ),
        ApiError::TooManyMisses => (
            "此证号近期多次查询未果，请稍后再试或联系发证机关。",
            "This number was looked up too often without a match; try later or contact the issuing authority.",
        ),
        ApiError::ListNotPublished => ("尚未发布此名单。", "This list is not published."),
        ApiError::ConfigNotPublished => ("未配置。", "No widget configuration is published."),
        ApiError::InvalidQuery => (
            "请求格式有误：需要 since=版本号。",
            "Bad request: since=VERSION is required.",
        ),
        ApiError::DeltaUnavailable => (
            "没有从该版本起的增量，请下载完整名单。",
            "No deltas from that version: fetch the full list.",
        ),
    };
    if lang == Lang::Zh {
        zh
    } else {
        en
    }
}

/// Whole days from `then` to `now` (0 if `then` is later).
fn days_between(then: UnixTime, now: UnixTime) -> u64 {
    now.0.saturating_sub(then.0) / 86_400
}

/// The names of mismatching fields, joined for a sentence.
fn field_names(fields: &[Field], zh: bool) -> String {
    let lang = if zh { Lang::Zh } else { Lang::En };
    let names: Vec<&str> = fields.iter().map(|f| label(f.label(), lang)).collect();
    names.join(if zh { "、" } else { ", " })
}

fn explain_verdict(
    v: &Verdict,
    issuer: Option<&str>,
    revocations_issued: Option<UnixTime>,
    now: UnixTime,
    lang: Lang,
) -> Explanation {
    let zh = lang == Lang::Zh;
    let issuer_zh = issuer.unwrap_or("发证机关");
    let issuer_en = issuer.unwrap_or("the issuing authority");
    let mut detail = None;
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
            let on = revocations_issued.map(|t| Date::in_china_at(t).to_string());
            let (list_zh, list_en) = match (*list_version, on) {
                (0, _) => (
                    "登记库记录显示该证书已被发证机关撤销。".to_string(),
                    "The registry's record says the issuing authority revoked it.".to_string(),
                ),
                (v, Some(on)) => (
                    format!("该证书在撤销名单第 {v} 版（{on} 发布）中，已被发证机关撤销。"),
                    format!("The issuing authority revoked it: it is on version {v} of the revocation list, published {on}."),
                ),
                (v, None) => (
                    format!("该证书在撤销名单第 {v} 版中，已被发证机关撤销。"),
                    format!("The issuing authority revoked it: it is on version {v} of the revocation list."),
                ),
            };
            if zh {
                (
                    "证书已撤销".into(),
                    list_zh,
                    format!("不得凭此证作业。撤销原因请向{issuer_zh}了解；可在国家安全生产考试平台（{OFFICIAL_SITE}）查询。"),
                )
            } else {
                (
                    "Certificate revoked".into(),
                    list_en,
                    format!("It is not valid for work. Ask {issuer_en} why; the ministry's query platform ({OFFICIAL_SITE}) shows the record."),
                )
            }
        }
        Verdict::SignatureInvalid { kid } => {
            detail = Some(key_detail(kid, zh));
            if zh {
                (
                    "签名无效：疑似伪造或被篡改".into(),
                    "二维码内容与签名不符：数据被改动过，或为伪造。".into(),
                    format!("不要接受此证件。{HOTLINE_ZH}"),
                )
            } else {
                (
                    "Signature invalid: forged or altered".into(),
                    "The QR code's content does not match its signature: it was altered, or forged.".into(),
                    format!("Do not accept this certificate. {HOTLINE_EN}"),
                )
            }
        }
        Verdict::UnknownKey { kid, no_trust_data } => {
            if !no_trust_data {
                detail = Some(key_detail(kid, zh));
            }
            match (zh, no_trust_data) {
                (true, true) => (
                    "本机尚无信任名单".into(),
                    "本机还没有下载信任名单（发证机关的签名密钥），无法离线核验。这不代表证件是假的。".into(),
                    "请联网后重新核验，或按证号和姓名在线查询。".into(),
                ),
                (false, true) => (
                    "No trust list on this device".into(),
                    "This device has not downloaded the trust list (the issuing authorities' signing keys) yet, so it cannot check offline. This does not mean the card is fake.".into(),
                    "Connect and check again, or look the card up online by number and name.".into(),
                ),
                (true, false) => (
                    "无法在本机核验签名".into(),
                    "签名所用的密钥不在本机的信任名单中：可能是新启用的密钥，也可能是伪造。".into(),
                    "请联网后重新核验（将更新信任名单并查询登记库）；核实前不要接受此证件。".into(),
                ),
                (false, false) => (
                    "Signature cannot be checked here".into(),
                    "The key that signed it is not in this device's trust list: it may be a new key, or a fake.".into(),
                    "Connect and check again (the trust list is updated and the registry asked); do not accept the card until then.".into(),
                ),
            }
        }
        Verdict::KeyNotAllowed { kid, reason } => {
            detail = Some(key_detail(kid, zh));
            let (r_zh, r_en) = match reason {
                KeyNotAllowedReason::KeyRevoked => ("该签名密钥已被注销（可能泄露）", "the signing key has been withdrawn (possibly compromised)"),
                KeyNotAllowedReason::WrongType => ("该签名密钥不能用于此类证书", "the signing key may not sign this type of certificate"),
                KeyNotAllowedReason::OutsidePeriod => ("签名日期不在该密钥的使用期内", "the signing date is outside the key's period of use"),
                KeyNotAllowedReason::WrongRegion => ("证书所属地区不在该密钥的适用地区内", "the certificate's region is outside the key's region"),
                KeyNotAllowedReason::ValidityTooLong => ("有效期长于此类证书允许的年限（特种作业操作证 6 年，安全生产知识和管理能力考核合格证 3 年）", "it is valid for longer than this type of certificate may be (6 years for special operations, 3 for safety management)"),
                KeyNotAllowedReason::SignedInFuture => ("证书上的签名日期晚于今天（也请检查本机日期是否正确）", "the certificate's signing date is after today (also check this device's date)"),
                KeyNotAllowedReason::ValidBeyondKeyPeriod => ("有效期超出该密钥使用期所能允许的范围", "its validity runs past what the key's period of use allows"),
            };
            if zh {
                (
                    "签名密钥无权签发此证".into(),
                    format!("签名来自{issuer_zh}的密钥，但{r_zh}。"),
                    format!("不要接受此证件，请按证号和姓名在线查询核实。{HOTLINE_ZH}"),
                )
            } else {
                (
                    "Signing key not allowed for this card".into(),
                    format!("A key of {issuer_en} signed it, but {r_en}."),
                    format!("Do not accept it; look it up online by number and name. {HOTLINE_EN}"),
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
            let inner = explain_verdict(status, issuer, revocations_issued, now, lang);
            detail = inner.detail;
            let when = expired_at.beijing();
            if zh {
                (
                    format!("信任名单已过期（签名显示：{}）", inner.headline),
                    format!("本机信任名单已于 {when}（北京时间）过期，结果可能不是最新的。{}", inner.why),
                    "请联网更新信任名单后再核验一次。".into(),
                )
            } else {
                (
                    format!("Trust data outdated (signature says: {})", inner.headline),
                    format!("This device's trust list expired at {when} Beijing time, so the result may be out of date. {}", inner.why),
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
        Verdict::RegistryContradicts { fields } => {
            let names = field_names(fields, zh);
            if zh {
                (
                    "信息被篡改或冒用".into(),
                    format!("登记库中的这张证书与二维码不一致（{names}）：二维码被改动过，或被复制到他人的证件上。"),
                    format!("以登记库为准，不要接受此证件。请核对持证人的身份证；{HOTLINE_ZH}"),
                )
            } else {
                (
                    "Altered, or someone else's certificate".into(),
                    format!("The registry holds this certificate with other details than the QR code ({names}): the code was altered, or copied onto someone else's card."),
                    format!("The registry's record prevails: do not accept this card. Check the holder's ID card. {HOTLINE_EN}"),
                )
            }
        }
        Verdict::NotInRegistry { other_certificates } => match (zh, other_certificates) {
            (true, false) => (
                "登记库中未查到".into(),
                "登记库中没有与该证号和姓名相符的证书。新发的证书一般约需 3 天才能查到；查不到不等于证书是假的。".into(),
                format!("请核对证号和姓名是否输入正确；仍查不到的，请在国家安全生产考试平台（{OFFICIAL_SITE}）查询，或联系发证机关（当地应急管理部门）。核实前不要仅凭证件放行。"),
            ),
            (false, false) => (
                "Not found in the registry".into(),
                "No certificate matches this number and name. A new certificate can take about 3 days to appear; not found does not mean fake.".into(),
                format!("Check that the number and name are typed correctly; if it stays missing, search the ministry's query platform ({OFFICIAL_SITE}) or ask the issuing authority (the local emergency-management department). Do not accept the card on sight alone until then."),
            ),
            (true, true) => (
                "登记库中没有这张证书".into(),
                "此证号和姓名下登记有其他证书，但没有二维码中的这一张。新发的证书一般约需 3 天才能查到。".into(),
                format!("请核对持证人的身份证，并在国家安全生产考试平台（{OFFICIAL_SITE}）查询或联系发证机关核实；核实前不要仅凭此结果放行。"),
            ),
            (false, true) => (
                "This certificate is not in the registry".into(),
                "Other certificates are held under this number and name, but not the one in the QR code. A new certificate can take about 3 days to appear.".into(),
                format!("Check the holder's ID card, and search the ministry's query platform ({OFFICIAL_SITE}) or ask the issuing authority; do not accept on this result alone until then."),
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
    let official_channels = matches!(
        v,
        Verdict::Revoked { .. }
            | Verdict::SignatureInvalid { .. }
            | Verdict::KeyNotAllowed { .. }
            | Verdict::NotACertificate { .. }
            | Verdict::RegistryContradicts { .. }
            | Verdict::NotInRegistry { .. }
    );
    Explanation {
        headline,
        why,
        next,
        tone: tone(v),
        detail,
        official_channels,
    }
}

/// A key id, for the detail line.
fn key_detail(kid: &crate::crypto::Kid, zh: bool) -> String {
    if zh {
        format!("签名密钥编号 {kid}")
    } else {
        format!("Signing key id {kid}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::Kid;

    #[test]
    fn ages_and_list_versions_read_naturally() {
        assert_eq!(age(Lang::Zh, 59), "刚刚");
        assert_eq!(age(Lang::Zh, 7200), "2 小时前");
        assert_eq!(age(Lang::En, 3 * 86_400 + 5), "3 days ago");
        assert_eq!(age(Lang::En, 86_400), "1 day ago");
        let issued = UnixTime(1_748_707_200); // 2025-06-01 00:00 in China
        let now = UnixTime(issued.0 + 3 * 86_400);
        assert_eq!(
            list_version(Lang::Zh, 3, issued, now),
            "第 3 版，2025-06-01 签发（3 天前）"
        );
        assert_eq!(
            list_version(Lang::En, 3, issued, now),
            "version 3, issued 2025-06-01 (3 days ago)"
        );
    }

    #[test]
    fn every_api_refusal_has_a_code_and_words_in_both_languages() {
        let mut codes = std::collections::BTreeSet::new();
        for e in ApiError::ALL {
            let code = e.code();
            assert!(
                !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{code}"
            );
            codes.insert(code);
            let (zh, en) = (api_error(e, Lang::Zh), api_error(e, Lang::En));
            assert!(zh.chars().any(|c| c > '\u{2e80}'), "{code}: {zh}");
            assert!(en.is_ascii() && en.ends_with('.'), "{code}: {en}");
        }
        // Three input errors share `invalid_name`; both "not published"
        // refusals share their code.
        assert_eq!(codes.len(), ApiError::ALL.len() - 3);
    }

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
            Verdict::RegistryContradicts {
                fields: vec![crate::online::Field::Item, crate::online::Field::ValidUntil],
            },
            Verdict::NotInRegistry {
                other_certificates: false,
            },
            Verdict::NotInRegistry {
                other_certificates: true,
            },
            Verdict::Unreadable {
                reason: "base45",
                detail: "x".into(),
            },
        ];
        for v in &all {
            for lang in [Lang::Zh, Lang::En] {
                let e = explain_verdict(v, None, None, UnixTime(0), lang);
                assert!(!e.headline.is_empty() && !e.why.is_empty() && !e.next.is_empty());
            }
        }
        // "No trust data" must never read like a forgery.
        let e = explain_verdict(&all[7], None, None, UnixTime(0), Lang::Zh);
        assert_eq!(e.tone, Tone::Unknown);
        assert!(e.why.contains("不代表证件是假的"));
        // Stale revocation data says how old it is and never reads as valid.
        let stale = Verdict::RevocationUnknown {
            issued_at: Some(UnixTime(0)),
            fresh_until: Some(UnixTime(7 * 86_400)),
            status: Box::new(Verdict::Valid),
        };
        let e = explain_verdict(&stale, None, None, UnixTime(9 * 86_400 + 5), Lang::Zh);
        assert_eq!(e.tone, Tone::Caution);
        assert!(e.why.contains("9 天前"), "{}", e.why);
        let e = explain_verdict(&stale, None, None, UnixTime(9 * 86_400 + 5), Lang::En);
        assert!(e.why.contains("9 days old"), "{}", e.why);
        assert!(!stale.is_acceptable());
    }
}
