//! The page's own words in Simplified Chinese and English. The words for
//! verdicts are core's ([`yanzheng_core::messages`]); these are the labels,
//! states and trust-data notices around them.

use yanzheng_core::messages::{age, Lang};
use yanzheng_core::{Date, UnixTime};

use crate::trust_data::{LoadError, TrustFile};

/// A fixed piece of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    /// Page title.
    Title,
    /// What the page checks.
    Subtitle,
    /// The language button's text (names the other language).
    OtherLanguage,
    /// The photo button.
    TakePhoto,
    /// Under the photo button.
    TakePhotoHint,
    /// The paste field's label.
    PasteLabel,
    /// Under the paste field: WeChat's own scanner shows only the code's text.
    PasteHint,
    /// Inside WeChat, above the photo button: photos work there; the live
    /// camera wants the system browser.
    WeChatPhotoFirst,
    /// The paste field's submit button.
    Check,
    /// Trust data loading.
    TrustLoading,
    /// Decoding in progress.
    Reading,
    /// A code waits for the trust data.
    Waiting,
    /// No QR code in the image.
    NoCode,
    /// What to do about it.
    NoCodeNext,
    /// The image could not be read.
    ImageUnreadable,
    /// What to do about it.
    ImageUnreadableNext,
    /// How the verdict was reached.
    CheckedOffline,
    /// The fields were not verified, so they are hidden.
    FieldsHidden,
    /// No revocation list: revocation not checked.
    RevocationsMissing,
    /// The button that starts the camera.
    ScanButton,
    /// The button that stops it.
    StopCamera,
    /// The torch button (off → on).
    TorchOn,
    /// The torch button (on → off).
    TorchOff,
    /// The camera switch button.
    SwitchCamera,
    /// While the camera starts.
    CameraStarting,
    /// Under the viewfinder.
    CameraHint,
    /// Camera refused.
    CameraDenied,
    /// No camera.
    CameraNotFound,
    /// Camera in use elsewhere.
    CameraBusy,
    /// No camera API.
    CameraUnsupported,
    /// Any other camera failure.
    CameraOther,
    /// The camera stopped by itself while scanning.
    CameraEnded,
    /// The other ways in, after a camera failure.
    CameraFallback,
    /// The manual-entry form's heading.
    ManualTitle,
    /// Its explanation.
    ManualHint,
    /// Number field label.
    NumberLabel,
    /// Name field label.
    NameLabel,
    /// The lookup button.
    LookupButton,
    /// While the lookup runs.
    LookupSending,
    /// No network.
    LookupOffline,
    /// No answer in time.
    LookupTimeout,
    /// The registry failed.
    LookupError,
    /// How the online answer was reached.
    CheckedOnline,
    /// "Record updated".
    RecordUpdated,
    /// The button on a result that asks the registry.
    CheckOnline,
    /// The registry refused the request (its own words follow).
    LookupRefused,
    /// While the trust list is fetched again for an unknown key.
    RefreshingTrust,
    /// The link that opens the embedded widget as a page of its own.
    OpenFullPage,
    /// The crew-mode switch.
    CrewMode,
    /// What crew mode does.
    CrewHint,
    /// The round's list heading.
    CrewListTitle,
    /// An entry whose code was seen earlier in the round.
    CrewRepeat,
    /// An entry whose certificate came earlier with another holder.
    CrewOtherHolder,
    /// Ends the round.
    EndRound,
    /// The inspection record's heading.
    RecordTitle,
    /// What the record is.
    RecordHint,
    /// Export button.
    RecordExport,
    /// The label of the record's retention setting.
    RecordRetention,
    /// Clear button.
    RecordClear,
    /// The question before clearing.
    RecordClearConfirm,
    /// The button that reveals the whole ID number.
    ShowNumber,
    /// The button that masks it again.
    HideNumber,
    /// Heading of the online answer shown beside a scan.
    OnlineBesideScan,
    /// The registry's record matches the QR code.
    RegistryMatches,
    /// Certificates found under the number and name, but not this one.
    RegistryNotListed,
    /// The toggle that shows technical details (raw errors).
    TechDetails,
    /// How a result that used the registry was reached.
    CheckedBoth,
    /// The paste form was submitted empty.
    PasteEmpty,
    /// Table heading: the field.
    FieldColumn,
    /// Table heading: the QR code's value.
    QrColumn,
    /// Table heading: the registry's value.
    RegistryColumn,
}

/// The text of `msg` in `lang`.
pub fn t(lang: Lang, msg: Msg) -> &'static str {
    let zh = lang == Lang::Zh;
    let (z, e) = match msg {
        Msg::Title => ("证书核验", "Certificate check"),
        Msg::Subtitle => (
            "特种作业操作证 · 安全生产知识和管理能力考核合格证",
            "Special-operations and safety-management certificates",
        ),
        Msg::OtherLanguage => ("English", "中文"),
        Msg::TakePhoto => ("拍摄或选择二维码照片", "Take or choose a photo of the QR code"),
        Msg::TakePhotoHint => (
            "照片只在本机识别核验，不会上传。",
            "The photo is checked on this device and never uploaded.",
        ),
        Msg::PasteLabel => ("或粘贴二维码内容", "Or paste the QR code's text"),
        Msg::PasteHint => (
            "用微信“扫一扫”扫证上的码，只会显示一串以 YZ1: 开头的文字，那不是核验结果。请用本页扫码，或把那串文字整段复制粘贴到这里核验。",
            "WeChat's own scanner only shows the code's text (starting with YZ1:); that is not a check. Scan with this page, or copy that text and paste it here.",
        ),
        Msg::WeChatPhotoFirst => (
            "在微信里，请拍下证上的二维码来核验。要用实时扫码，请点右上角“…”，选择“在浏览器打开”。",
            "In WeChat, take a photo of the card's QR code to check it. For live scanning, tap \"…\" at the top right and choose \"Open in browser\".",
        ),
        Msg::Check => ("核验", "Check"),
        Msg::TrustLoading => ("正在加载信任名单…", "Loading the trust list…"),
        Msg::Reading => ("正在识别二维码…", "Reading the QR code…"),
        Msg::Waiting => (
            "已读取二维码，正在等待信任名单…",
            "QR code read; waiting for the trust list…",
        ),
        Msg::NoCode => ("照片中未找到二维码", "No QR code found in the image"),
        Msg::NoCodeNext => (
            "请让二维码完整、清晰地位于画面中，避免反光和遮挡，然后重新拍摄。",
            "Make sure the whole QR code is in the picture and sharp, without glare, then try again.",
        ),
        Msg::ImageUnreadable => ("无法读取这张图片", "The image could not be read"),
        Msg::ImageUnreadableNext => (
            "请选择 JPEG 或 PNG 照片，或重新拍摄。",
            "Choose a JPEG or PNG photo, or take a new one.",
        ),
        Msg::CheckedOffline => ("本机离线核验", "Checked offline on this device"),
        // Neutral on purpose: an unknown key is not a forgery.
        Msg::FieldsHidden => (
            "签名未经验证，暂不显示证件内容。",
            "The signature has not been verified, so the certificate's details are not shown.",
        ),
        Msg::RevocationsMissing => (
            "撤销名单未能加载，未检查证书是否已被撤销。",
            "The revocation list could not be loaded: revocation was not checked.",
        ),
        Msg::ScanButton => ("用摄像头扫描二维码", "Scan the QR code with the camera"),
        Msg::StopCamera => ("关闭摄像头", "Stop the camera"),
        Msg::TorchOn => ("打开手电筒", "Torch on"),
        Msg::TorchOff => ("关闭手电筒", "Torch off"),
        Msg::SwitchCamera => ("切换摄像头", "Switch camera"),
        Msg::CameraStarting => ("正在打开摄像头…", "Starting the camera…"),
        Msg::CameraHint => (
            "将证件上的二维码对准框内，保持稳定，避免反光。",
            "Hold the card's QR code inside the frame, steady and without glare.",
        ),
        Msg::CameraDenied => (
            "未获准使用摄像头。请在浏览器的网站设置中允许本页使用摄像头，然后重试。",
            "Camera access was refused. Allow this page to use the camera in the browser's site settings, then try again.",
        ),
        Msg::CameraNotFound => (
            "本设备上未找到可用的摄像头。",
            "No usable camera was found on this device.",
        ),
        Msg::CameraBusy => (
            "摄像头正被其他应用占用或无法启动。请关闭其他使用摄像头的应用后重试。",
            "The camera is in use by another app or could not start. Close other apps that use the camera and try again.",
        ),
        Msg::CameraUnsupported => (
            "此浏览器或此页面无法使用摄像头（需要较新的浏览器和 HTTPS 网址）。",
            "This browser or page cannot use the camera (it needs a recent browser and an HTTPS address).",
        ),
        Msg::CameraOther => ("摄像头无法启动。", "The camera could not start."),
        Msg::CameraEnded => (
            "摄像头在扫描中停止了（可能被拔出、被其他应用占用或被系统关闭）。可以重新打开摄像头。",
            "The camera stopped while scanning (it may have been disconnected, taken by another app or switched off by the system). You can open it again.",
        ),
        Msg::CameraFallback => (
            "您仍可以拍摄或选择二维码照片，或在下方输入证号和姓名在线查询。",
            "You can still take or choose a photo of the QR code, or type the number and name below to look it up online.",
        ),
        Msg::ManualTitle => ("按证号和姓名查询", "Look up by number and name"),
        Msg::ManualHint => (
            "适用于没有二维码的旧版证书。证号和姓名只发送给核验服务，不会出现在网址中。",
            "For old cards without a QR code. The number and name go only to the verification service, never into a web address.",
        ),
        Msg::NumberLabel => ("证号（18 位身份证号）", "Certificate number (18-character ID number)"),
        Msg::NameLabel => ("姓名", "Name"),
        Msg::LookupButton => ("在线查询", "Look up online"),
        Msg::LookupSending => ("正在在线查询…", "Looking up online…"),
        Msg::LookupOffline => (
            "本机目前没有网络连接，无法在线查询。联网后再试；有二维码的证书可以离线扫描核验。",
            "This phone has no connection, so the online lookup cannot run. Try again when online; cards with a QR code can be checked offline.",
        ),
        Msg::LookupTimeout => (
            "核验服务长时间未响应，请稍后重试。",
            "The verification service did not answer in time; try again shortly.",
        ),
        Msg::LookupError => (
            "核验服务暂时无法使用，请稍后重试。",
            "The verification service is unavailable for the moment; try again later.",
        ),
        Msg::CheckedOnline => ("在线查询（登记库）", "Looked up online (registry)"),
        Msg::RecordUpdated => ("记录更新于", "Record updated"),
        Msg::CheckOnline => ("在线核查登记状态", "Check live status online"),
        Msg::LookupRefused => ("核验服务未受理此查询", "The verification service did not accept this lookup"),
        Msg::RefreshingTrust => (
            "本机的信任名单中没有此签名密钥，正在获取最新的信任名单…",
            "This device's trust list lacks the signing key; fetching the newest trust list…",
        ),
        Msg::OnlineBesideScan => ("登记库在线查询", "The registry, online"),
        Msg::RegistryMatches => (
            "登记库记录与二维码内容一致。",
            "The registry's record agrees with the QR code.",
        ),
        Msg::RegistryNotListed => (
            "登记库中此证号和姓名下有证书，但没有二维码中的这张证书。",
            "The registry holds certificates under this number and name, but not the one in this QR code.",
        ),
        Msg::CrewMode => ("连续扫描（班组检查）", "Crew mode (check one worker after another)"),
        Msg::CrewHint => (
            "摄像头保持开启，逐人出示证件即可；同一二维码在本轮再次出现、或同一证书换了持证人，会被标出。",
            "The camera stays on: hold up one card after another. A code seen twice in this round, or one certificate with two holders, is flagged.",
        ),
        Msg::CrewListTitle => ("本轮已检查", "Checked this round"),
        Msg::CrewRepeat => (
            "此二维码本轮已出现过（第 {n} 条）：可能是复制到另一张证件上的二维码，请核对持证人。",
            "This code was already checked this round (entry {n}): it may be copied onto another card; check the holder.",
        ),
        Msg::CrewOtherHolder => (
            "同一证书本轮已出现过，但持证人不同（第 {n} 条）：请核对身份证。",
            "The same certificate was checked this round with another holder (entry {n}): check ID cards.",
        ),
        Msg::EndRound => ("结束本轮", "End round"),
        Msg::RecordTitle => ("本机检查记录", "Inspection record on this device"),
        Msg::RecordHint => (
            "每次核验都记在本机（时间、结果、证书类别、证号末四位、信任名单版本），不会上传；可导出为 CSV 或清空。",
            "Each check is kept on this device (time, verdict, category, last four digits, trust-list version), never uploaded; export it as CSV or clear it.",
        ),
        Msg::RecordRetention => (
            "记录在本机保存的期限（过期的记录自动删除）：",
            "How long this device keeps a check (older ones are deleted): ",
        ),
        Msg::RecordExport => ("导出 CSV", "Export CSV"),
        Msg::RecordClear => ("清空记录", "Clear record"),
        Msg::RecordClearConfirm => (
            "确定清空本机的全部检查记录？此操作不能撤销。 Clear the whole inspection record on this device? This cannot be undone.",
            "Clear the whole inspection record on this device? This cannot be undone. 确定清空本机的全部检查记录？",
        ),
        Msg::OpenFullPage => (
            "在新页面中打开核验（可确认网址为官方核验网址）",
            "Open the checker as a page of its own (to see its official address)",
        ),
        Msg::ShowNumber => ("显示完整证号", "Show full number"),
        Msg::HideNumber => ("隐藏", "Hide"),
        Msg::TechDetails => ("技术详情", "Technical details"),
        Msg::CheckedBoth => ("本机核验并在线查询登记库", "Checked on this device and against the registry online"),
        Msg::PasteEmpty => ("请先粘贴二维码的内容，再点“核验”。", "Paste the QR code's text first, then press Check."),
        Msg::FieldColumn => ("项目", "Field"),
        Msg::QrColumn => ("二维码", "QR code"),
        Msg::RegistryColumn => ("登记库", "Registry"),
    };
    if zh {
        z
    } else {
        e
    }
}

/// The offline line: "离线：使用 12-01 的名单核验（信任名单 6 天前，撤销名单 1 天前）".
pub fn offline_line(
    lang: Lang,
    trust: Option<UnixTime>,
    revocations: Option<UnixTime>,
    now: UnixTime,
) -> String {
    let newest = trust.into_iter().chain(revocations).max().unwrap_or(now);
    let (_, m, d) = Date::in_china_at(newest).ymd();
    let ago = |t: Option<UnixTime>| t.map(|t| age(lang, now.0.saturating_sub(t.0)));
    match lang {
        Lang::Zh => {
            let mut parts = vec![];
            if let Some(a) = ago(trust) {
                parts.push(format!("信任名单 {a}"));
            }
            if let Some(a) = ago(revocations) {
                parts.push(format!("撤销名单 {a}"));
            }
            format!(
                "离线：使用 {m:02}-{d:02} 的名单核验（{}）",
                parts.join("，")
            )
        }
        Lang::En => {
            let mut parts = vec![];
            if let Some(a) = ago(trust) {
                parts.push(format!("trust list {a}"));
            }
            if let Some(a) = ago(revocations) {
                parts.push(format!("revocation list {a}"));
            }
            format!(
                "Offline: checking with the lists of {m:02}-{d:02} ({})",
                parts.join(", ")
            )
        }
    }
}

/// An instant in Beijing time: "2026-12-07 08:19（北京时间）".
pub fn beijing_time(lang: Lang, t: UnixTime) -> String {
    match lang {
        Lang::Zh => format!("{}（北京时间）", t.beijing()),
        Lang::En => format!("{} Beijing time", t.beijing()),
    }
}

/// "记录更新于 …" after the registry's agreement line.
pub fn record_updated(lang: Lang, t: UnixTime) -> String {
    match lang {
        Lang::Zh => format!("记录更新于 {}。", beijing_time(lang, t)),
        Lang::En => format!("Record updated {}.", beijing_time(lang, t)),
    }
}

/// How a masked number is read aloud: its last digits only.
pub fn last_digits(lang: Lang, digits: &str) -> String {
    let spaced: Vec<String> = digits.chars().map(String::from).collect();
    match lang {
        Lang::Zh => format!("证号末四位 {}", spaced.join(" ")),
        Lang::En => format!("ID number ending {}", spaced.join(" ")),
    }
}

/// "N certificates found" above a typed lookup's results.
pub fn found_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("登记库中此证号和姓名下有 {n} 张证书："),
        Lang::En => format!("The registry holds {n} certificates under this number and name:"),
    }
}

/// The banner line for loaded lists.
pub fn trust_ready(lang: Lang, trust: &str, revocations: Option<&str>) -> String {
    match (lang, revocations) {
        (Lang::Zh, Some(r)) => format!("信任名单{trust}；撤销名单{r}"),
        (Lang::Zh, None) => format!("信任名单{trust}"),
        (Lang::En, Some(r)) => format!("Trust list {trust}; revocation list {r}"),
        (Lang::En, None) => format!("Trust list {trust}"),
    }
}

/// A note for a file that could not be refreshed while the saved copy is
/// used instead.
pub fn saved_copy(lang: Lang, file: TrustFile, error: &LoadError) -> String {
    let zh = lang == Lang::Zh;
    let what = match (file, zh) {
        (TrustFile::Config, true) => "配置文件",
        (TrustFile::TrustList, true) => "信任名单",
        (TrustFile::Revocations, true) => "撤销名单",
        (TrustFile::Config, false) => "configuration",
        (TrustFile::TrustList, false) => "trust list",
        (TrustFile::Revocations, false) => "revocation list",
    };
    if zh {
        format!("未能更新{what}（{error}），正在使用本机保存的副本。")
    } else {
        format!("Could not update the {what} ({error}); using the copy saved on this device.")
    }
}

/// A notice for a file that failed to load, saying what it means for scans.
pub fn load_problem(lang: Lang, file: TrustFile, error: &LoadError) -> String {
    let zh = lang == Lang::Zh;
    if *error == LoadError::RootChanged {
        return if zh {
            "配置文件中的根密钥与本机信任的根密钥不同，且没有原根密钥签署的更换声明：已拒绝，继续使用本机保存的名单核验。这可能是冒充的部署；如确为正式更换，请联系管理员。".into()
        } else {
            "The configuration names a root key other than the one this device trusts, without a change signed by that root: refused; checks go on with the lists saved on this device. This may be an impostor deployment; if the change is real, contact the administrator.".into()
        };
    }
    match (file, zh) {
        (TrustFile::Config | TrustFile::TrustList, true) => {
            let what = if file == TrustFile::Config {
                "配置文件"
            } else {
                "信任名单"
            };
            format!(
                "无法加载{what}（{error}）。扫描结果将显示“本机尚无信任名单”——这不代表证件是假的。请联网后刷新页面。"
            )
        }
        (TrustFile::Config | TrustFile::TrustList, false) => {
            let what = if file == TrustFile::Config {
                "configuration"
            } else {
                "trust list"
            };
            format!(
                "Could not load the {what} ({error}). Scans will say there is no trust list on this device; that does not mean a card is fake. Go online and reload the page."
            )
        }
        (TrustFile::Revocations, true) => {
            format!("无法加载撤销名单（{error}），核验时不能检查证书是否已被撤销。")
        }
        (TrustFile::Revocations, false) => format!(
            "Could not load the revocation list ({error}); checks cannot tell whether a certificate was revoked."
        ),
    }
}

/// The record's retention, as the label of its setting.
pub fn record_days(lang: Lang, days: u32) -> String {
    match lang {
        Lang::Zh => format!("保留 {days} 天"),
        Lang::En => format!("kept {days} days"),
    }
}

/// "12 条记录" / "12 checks".
pub fn record_count(lang: Lang, n: u64) -> String {
    match lang {
        Lang::Zh => format!("{n} 条记录"),
        Lang::En if n == 1 => "1 check".into(),
        Lang::En => format!("{n} checks"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::FetchError;

    #[test]
    fn a_missing_trust_list_is_explained_as_no_trust_data() {
        let e = LoadError::Fetch(FetchError::Status(404));
        let zh = load_problem(Lang::Zh, TrustFile::TrustList, &e);
        assert!(
            zh.contains("HTTP 404") && zh.contains("不代表证件是假的"),
            "{zh}"
        );
        let en = load_problem(Lang::En, TrustFile::TrustList, &e);
        assert!(en.contains("does not mean a card is fake"), "{en}");
    }

    #[test]
    fn every_message_exists_in_both_languages() {
        for m in [
            Msg::Title,
            Msg::NoCode,
            Msg::ImageUnreadable,
            Msg::NumberLabel,
            Msg::ScanButton,
            Msg::CameraDenied,
            Msg::CameraNotFound,
            Msg::CameraBusy,
            Msg::CameraEnded,
            Msg::CameraFallback,
        ] {
            assert_ne!(t(Lang::Zh, m), t(Lang::En, m));
            assert!(!t(Lang::Zh, m).is_empty());
        }
    }
}
