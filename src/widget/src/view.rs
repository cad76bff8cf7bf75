//! Renders a [`State`]. No effects and no decisions: verdicts and their
//! words come from core, the shell supplies the event callbacks.
//!
//! The DOM contract the end-to-end tests rely on: the result area has
//! `data-state` ([`ScanState::code`]); a verdict is a `.result` element with
//! `data-verdict` (core's code) and `data-source`; the trust banner has
//! `data-trust` (`loading`, `ready` or `failed`).

use yanzheng_core::messages::{explain, Lang, Tone};
use yanzheng_core::verdict::ShownFields;
use yanzheng_core::{CertKind, Certificate, Report, Verdict};
use yew::prelude::*;

use crate::camera::CameraError;
use crate::crew::{CrewEntry, CrewFlag};
use crate::lookup::{
    compare, Comparison, Field, FoundCertificate, InputError, LookupAnswer, LookupFailure, Mismatch,
};
use crate::state::{
    CameraState, LookupOrigin, LookupState, ScanResult, ScanState, State, TrustState,
};
use crate::text::{self, t, Msg};
use crate::trust_data::{TrustData, TrustFile};

/// The callbacks and element references the page needs from the shell.
#[derive(Clone, PartialEq)]
pub struct Handlers {
    /// When embedded in another page: the widget's own address, offered as
    /// a link (a host page could draw anything around a frame).
    pub full_page_url: Option<String>,
    /// The file input changed.
    pub on_file: Callback<Event>,
    /// The paste form was submitted.
    pub on_paste: Callback<SubmitEvent>,
    /// The language button was pressed.
    pub on_lang: Callback<MouseEvent>,
    /// The paste field (the shell reads its value).
    pub paste_field: NodeRef,
    /// The scan button (starts the camera).
    pub on_scan: Callback<MouseEvent>,
    /// The stop button.
    pub on_stop: Callback<MouseEvent>,
    /// The torch button.
    pub on_torch: Callback<MouseEvent>,
    /// The camera switch button.
    pub on_switch: Callback<MouseEvent>,
    /// "Check live status" on a result (the QR's number and name).
    pub on_check_online: Callback<MouseEvent>,
    /// The tap that reveals or hides the whole ID number on a result.
    pub on_toggle_number: Callback<MouseEvent>,
    /// The crew-mode switch.
    pub on_crew: Callback<MouseEvent>,
    /// Ends the crew round.
    pub on_end_round: Callback<MouseEvent>,
    /// Downloads the inspection record as CSV.
    pub on_export_record: Callback<MouseEvent>,
    /// Clears the inspection record (after a confirmation).
    pub on_clear_record: Callback<MouseEvent>,
    /// The record's retention period was changed.
    pub on_record_days: Callback<Event>,
    /// The manual-entry form was submitted.
    pub on_lookup: Callback<SubmitEvent>,
    /// The number field.
    pub lookup_number: NodeRef,
    /// The name field.
    pub lookup_name: NodeRef,
    /// The `<video>` the camera plays into (always in the page, hidden
    /// while the camera is off, so the shell can attach a stream at once).
    pub video: NodeRef,
}

/// The whole page.
pub fn page(state: &State, h: &Handlers) -> Html {
    let lang = state.lang;
    html! {
        <main class="page">
            <header class="top">
                <div class="titles">
                    <h1>{ t(lang, Msg::Title) }</h1>
                    <p class="subtitle">{ t(lang, Msg::Subtitle) }</p>
                </div>
                // Named by its visible text, in the language it switches to.
                <button type="button" class="lang" lang={other_lang(lang).tag()}
                    onclick={h.on_lang.clone()}>
                    { t(lang, Msg::OtherLanguage) }
                </button>
            </header>
            if let Some(url) = &h.full_page_url {
                <p class="full-page">
                    <a href={url.clone()} target="_blank" rel="noopener noreferrer"
                        data-action="open-full-page">{ t(lang, Msg::OpenFullPage) }</a>
                </p>
            }
            { trust_banner(state) }
            { result_area(state, h) }
            { camera_area(state, h) }
            <section class="scan">
                <input id="photo" class="file-input" type="file" accept="image/*"
                    capture="environment" onchange={h.on_file.clone()} />
                <label for="photo" class="photo-button">
                    <span class="camera" aria-hidden="true"></span>
                    { t(lang, Msg::TakePhoto) }
                </label>
                <p class="hint">{ t(lang, Msg::TakePhotoHint) }</p>
            </section>
            <form class="paste" onsubmit={h.on_paste.clone()}>
                <label for="payload">{ t(lang, Msg::PasteLabel) }</label>
                <textarea id="payload" ref={h.paste_field.clone()} rows="3"
                    autocomplete="off" autocapitalize="off" spellcheck="false" />
                <button type="submit" class="check">{ t(lang, Msg::Check) }</button>
            </form>
            { manual_entry(state, h) }
            { record_area(state, h) }
            <p class="sr-only" role="status" aria-live="polite" aria-atomic="true">
                { announcement(state) }
            </p>
        </main>
    }
}

/// The camera: the start button (`data-action="scan"`: iOS only opens the
/// camera after a tap), the viewfinder with its scan frame and controls, or
/// why the camera cannot be used and the other ways in.
pub fn camera_area(state: &State, h: &Handlers) -> Html {
    let lang = state.lang;
    let camera = &state.camera;
    let error = match camera {
        CameraState::Failed(e) => Some(e),
        _ => None,
    };
    let scan_button = |label: Msg| {
        html! {
            <button type="button" class="scan-button" data-action="scan"
                onclick={h.on_scan.clone()}>
                <span class="camera" aria-hidden="true"></span>{ t(lang, label) }
            </button>
        }
    };
    let controls = match camera {
        CameraState::Off | CameraState::Paused => scan_button(Msg::ScanButton),
        CameraState::Starting => html! {
            <div class="camera-controls">
                <p class="hint">{ t(lang, Msg::CameraStarting) }</p>
                <button type="button" class="secondary" data-action="stop"
                    onclick={h.on_stop.clone()}>{ t(lang, Msg::StopCamera) }</button>
            </div>
        },
        CameraState::On { torch, cameras } => html! {
            <div class="camera-controls">
                <p class="hint">{ t(lang, Msg::CameraHint) }</p>
                <div class="buttons">
                    <button type="button" class="secondary" data-action="stop"
                        onclick={h.on_stop.clone()}>{ t(lang, Msg::StopCamera) }</button>
                    if let Some(lit) = torch {
                        <button type="button" class="secondary" data-action="torch"
                            aria-pressed={lit.to_string()} onclick={h.on_torch.clone()}>
                            { t(lang, if *lit { Msg::TorchOff } else { Msg::TorchOn }) }
                        </button>
                    }
                    if *cameras > 1 {
                        <button type="button" class="secondary" data-action="switch"
                            onclick={h.on_switch.clone()}>{ t(lang, Msg::SwitchCamera) }</button>
                    }
                </div>
            </div>
        },
        CameraState::Failed(e) => html! {
            <div class="notice tone-unknown camera-failed" role="alert">
                <div class="verdict-head">
                    <span class="icon" aria-hidden="true">{ "!" }</span>
                    <h2>{ t(lang, camera_error_msg(e)) }</h2>
                </div>
                if let CameraError::Other(detail) = e { <p class="detail">{ detail.clone() }</p> }
                <p class="next">{ t(lang, Msg::CameraFallback) }</p>
                { scan_button(Msg::ScanButton) }
            </div>
        },
    };
    html! {
        <section class="camera-area" data-camera={camera.code()}
            data-camera-error={error.map(|e| e.code())}>
            <div class={classes!("viewfinder", (!camera.live()).then_some("off"))}>
                <video ref={h.video.clone()} muted=true playsinline=true autoplay=true
                    aria-hidden="true"></video>
                <div class="scan-frame" aria-hidden="true"></div>
            </div>
            { controls }
            <div class="crew">
                <button type="button" class="secondary crew-toggle" data-action="crew"
                    aria-pressed={state.crew_on.to_string()} onclick={h.on_crew.clone()}>
                    { t(lang, Msg::CrewMode) }
                </button>
                if state.crew_on { <p class="hint">{ t(lang, Msg::CrewHint) }</p> }
                { crew_list(state, h) }
            </div>
        </section>
    }
}

/// The round's checks, newest first, flagged ones marked.
fn crew_list(state: &State, h: &Handlers) -> Html {
    let lang = state.lang;
    let round = &state.round;
    if round.entries.is_empty() {
        return Html::default();
    }
    let entry = |e: &CrewEntry| {
        let words = |m: Msg, n: u32| t(lang, m).replace("{n}", &n.to_string());
        let warning = e.flag.map(|f| match f {
            CrewFlag::Repeat { first } => words(Msg::CrewRepeat, first),
            CrewFlag::OtherHolder { first } => words(Msg::CrewOtherHolder, first),
        });
        let tone = match (e.flag, e.verdict.as_str()) {
            (Some(_), _) => "tone-bad",
            (None, "valid" | "review_due_soon") => "tone-good",
            (None, _) => "tone-caution",
        };
        html! {
            <li class={classes!("crew-entry", tone)} data-verdict={e.verdict.clone()}
                data-flag={e.flag.map(|f| f.code())}>
                <span class="seq">{ e.seq }</span>
                <span class="who">{ format!("{} {}", e.name_masked, e.number_masked) }</span>
                <span class="verdict-code">{ e.verdict.clone() }</span>
                if let Some(w) = warning { <p class="note warn">{ w }</p> }
            </li>
        }
    };
    html! {
        <section class="crew-round" data-entries={round.entries.len().to_string()}
            data-flagged={round.flagged().to_string()}>
            <h3>{ format!("{} · {}", t(lang, Msg::CrewListTitle), round.entries.len()) }</h3>
            <ol class="crew-list" reversed=true>
                { for round.entries.iter().rev().map(entry) }
            </ol>
            <button type="button" class="secondary" data-action="end-round"
                onclick={h.on_end_round.clone()}>{ t(lang, Msg::EndRound) }</button>
        </section>
    }
}

/// The device's inspection record: its size, export and clear.
fn record_area(state: &State, h: &Handlers) -> Html {
    let lang = state.lang;
    let count = state.record_count.unwrap_or(0);
    html! {
        <section class="record" data-record-count={count.to_string()}>
            <h2>{ t(lang, Msg::RecordTitle) }</h2>
            <p class="hint">{ t(lang, Msg::RecordHint) }</p>
            <p>{ text::record_count(lang, count) }</p>
            <label class="retention">
                { t(lang, Msg::RecordRetention) }
                <select data-setting="record-days" onchange={h.on_record_days.clone()}>
                    { for crate::prefs::RECORD_DAYS_CHOICES.iter().map(|d| html! {
                        <option value={d.to_string()} selected={*d == state.record_days}>
                            { text::record_days(lang, *d) }
                        </option>
                    }) }
                </select>
            </label>
            <div class="buttons">
                <button type="button" class="secondary" data-action="export-record"
                    disabled={count == 0} onclick={h.on_export_record.clone()}>
                    { t(lang, Msg::RecordExport) }
                </button>
                <button type="button" class="secondary" data-action="clear-record"
                    disabled={count == 0} onclick={h.on_clear_record.clone()}>
                    { t(lang, Msg::RecordClear) }
                </button>
            </div>
        </section>
    }
}

/// Manual entry (number + name → online lookup) and its answer.
pub fn manual_entry(state: &State, h: &Handlers) -> Html {
    let lang = state.lang;
    let sending = state.lookup == LookupState::Sending;
    html! {
        <section class="manual">
            <h2>{ t(lang, Msg::ManualTitle) }</h2>
            <p class="hint">{ t(lang, Msg::ManualHint) }</p>
            <form class="lookup-form" onsubmit={h.on_lookup.clone()}>
                <label for="lookup-number">{ t(lang, Msg::NumberLabel) }</label>
                <input id="lookup-number" ref={h.lookup_number.clone()} inputmode="text"
                    autocomplete="off" autocapitalize="characters" spellcheck="false"
                    maxlength="24" />
                <label for="lookup-name">{ t(lang, Msg::NameLabel) }</label>
                <input id="lookup-name" ref={h.lookup_name.clone()} autocomplete="off"
                    spellcheck="false" maxlength="40" />
                <button type="submit" class="check" data-action="lookup" disabled={sending}>
                    { t(lang, Msg::LookupButton) }
                </button>
            </form>
            if state.lookup_origin == LookupOrigin::Typed { { lookup_result(state, None) } }
        </section>
    }
}

/// The registry's answer: for typed input (`scanned` is `None`) or for the
/// certificate on screen, whose QR facts it is then compared with.
fn lookup_result(state: &State, scanned: Option<&Certificate>) -> Html {
    let lang = state.lang;
    let zh = lang == Lang::Zh;
    let line = |tone: &'static str,
                icon: &'static str,
                headline: String,
                matching: Option<&'static str>,
                body: Html| {
        html! {
            <section class={classes!("notice", "lookup-result", tone)}
                data-lookup={state.lookup.code()} data-source="online" data-match={matching}
                role="status">
                if scanned.is_some() { <p class="kicker">{ t(lang, Msg::OnlineBesideScan) }</p> }
                <div class="verdict-head">
                    <span class="icon" aria-hidden="true">{ icon }</span>
                    <h2>{ headline }</h2>
                </div>
                { body }
                <p class="meta">{ t(lang, Msg::CheckedOnline) }</p>
            </section>
        }
    };
    match &state.lookup {
        LookupState::Idle => Html::default(),
        LookupState::Sending => html! {
            <div class="progress" data-lookup="sending">
                <span class="spinner" aria-hidden="true"></span>
                <p>{ t(lang, Msg::LookupSending) }</p>
            </div>
        },
        LookupState::Invalid(e) => {
            let msg = match e {
                InputError::Number => Msg::LookupBadNumber,
                InputError::CheckDigit => Msg::LookupBadCheckDigit,
                InputError::Name => Msg::LookupBadName,
            };
            html! { <p class="note warn" data-lookup="invalid" role="alert">{ t(lang, msg) }</p> }
        }
        LookupState::Failed(f) => {
            let (msg, detail) = match f {
                LookupFailure::Offline => (Msg::LookupOffline, None),
                LookupFailure::Timeout => (Msg::LookupTimeout, None),
                LookupFailure::Server(d) => (Msg::LookupError, Some(d.clone())),
                LookupFailure::Refused { message, .. } => {
                    (Msg::LookupRefused, Some(message.get(zh).to_string()))
                }
            };
            line(
                "tone-unknown",
                "?",
                t(lang, msg).to_string(),
                None,
                html! { if let Some(d) = detail { <p class="detail">{ d }</p> } },
            )
        }
        LookupState::Answered(answer) => match &**answer {
            LookupAnswer::NotFound { message } => {
                let why = match scanned {
                    Some(_) => t(lang, Msg::ScanNotFound).to_string(),
                    None => message.get(zh).to_string(),
                };
                line(
                    "tone-unknown",
                    "?",
                    t(lang, Msg::LookupNotFound).to_string(),
                    None,
                    html! { <p class="why">{ why }</p> },
                )
            }
            LookupAnswer::Found { certificates } => {
                let any_revoked = certificates.iter().any(|c| c.revoked);
                let listed = html! { { for certificates.iter().map(|c| found(lang, c)) } };
                let Some(qr) = scanned else {
                    return line(
                        if any_revoked { "tone-bad" } else { "tone-good" },
                        if any_revoked { "✕" } else { "✓" },
                        t(lang, Msg::LookupFound).to_string(),
                        None,
                        listed,
                    );
                };
                match compare(qr, certificates) {
                    Comparison::Same => line(
                        if any_revoked { "tone-bad" } else { "tone-good" },
                        if any_revoked { "✕" } else { "✓" },
                        t(lang, Msg::RegistryMatches).to_string(),
                        Some("same"),
                        listed,
                    ),
                    Comparison::Differs(diffs) => line(
                        "tone-bad",
                        "✕",
                        t(lang, Msg::RegistryDiffers).to_string(),
                        Some("differs"),
                        html! {
                            <>
                                { mismatch_table(lang, &diffs) }
                                <p class="next">{ t(lang, Msg::RegistryDiffersNext) }</p>
                                { listed }
                            </>
                        },
                    ),
                    Comparison::NotListed => line(
                        "tone-caution",
                        "!",
                        t(lang, Msg::RegistryNotListed).to_string(),
                        Some("not_listed"),
                        html! {
                            <>
                                <p class="next">{ t(lang, Msg::RegistryDiffersNext) }</p>
                                { listed }
                            </>
                        },
                    ),
                }
            }
        },
    }
}

/// The fields on which the QR code and the registry disagree, side by side.
fn mismatch_table(lang: Lang, diffs: &[Mismatch]) -> Html {
    let zh = lang == Lang::Zh;
    let label = |f: Field| {
        t(
            lang,
            match f {
                Field::Name => Msg::Name,
                Field::Kind => Msg::CertType,
                Field::Category => Msg::Category,
                Field::Item => Msg::Item,
                Field::Role => Msg::Role,
                Field::FirstIssued => Msg::FirstIssued,
                Field::ValidFrom => Msg::ValidFrom,
                Field::ValidUntil => Msg::ValidUntil,
                Field::ReviewDue => Msg::ReviewDue,
            },
        )
    };
    let empty = if zh { "（无）" } else { "(none)" };
    let value = |w: &crate::lookup::Words| {
        let v = w.get(zh);
        if v.is_empty() {
            empty.to_string()
        } else {
            v.to_string()
        }
    };
    html! {
        <table class="mismatch">
            <thead><tr>
                <th scope="col">{ t(lang, Msg::FieldColumn) }</th>
                <th scope="col">{ t(lang, Msg::QrColumn) }</th>
                <th scope="col">{ t(lang, Msg::RegistryColumn) }</th>
            </tr></thead>
            <tbody>
                { for diffs.iter().map(|d| html! {
                    <tr data-field={d.field.code()}>
                        <th scope="row">{ label(d.field) }</th>
                        <td>{ value(&d.qr) }</td>
                        <td>{ value(&d.registry) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

fn found(lang: Lang, c: &FoundCertificate) -> Html {
    let zh = lang == Lang::Zh;
    let words = |w: &Option<crate::lookup::Words>| w.as_ref().map(|w| w.get(zh).to_string());
    let mut rows = vec![
        row(t(lang, Msg::CertType), c.title.get(zh).to_string()),
        row(t(lang, Msg::Name), c.name_masked.clone()),
        number(lang, &c.number_masked),
    ];
    for (label, value) in [
        (Msg::Category, words(&c.category)),
        (Msg::Item, words(&c.item)),
        (Msg::Employer, c.employer.clone()),
        (Msg::Role, words(&c.role)),
    ] {
        if let Some(v) = value {
            rows.push(row(t(lang, label), v));
        }
    }
    let to = if zh { " 至 " } else { " to " };
    rows.push(row(
        t(lang, Msg::Validity),
        format!("{}{to}{}", c.valid_from, c.valid_until),
    ));
    if let Some(d) = &c.review_due {
        rows.push(row(t(lang, Msg::ReviewDue), d.clone()));
    }
    rows.push(row(t(lang, Msg::FirstIssued), c.first_issued.clone()));
    rows.push(row(t(lang, Msg::Issuer), c.issuer.clone()));
    rows.push(row(t(lang, Msg::RecordUpdated), c.updated_at.clone()));
    html! {
        <div class={classes!("found", c.revoked.then_some("revoked"))}>
            if c.revoked { <p class="note warn">{ t(lang, Msg::LookupRevoked) }</p> }
            <dl class="fields">{ for rows }</dl>
        </div>
    }
}

fn camera_error_msg(e: &CameraError) -> Msg {
    match e {
        CameraError::Denied => Msg::CameraDenied,
        CameraError::NotFound => Msg::CameraNotFound,
        CameraError::Busy => Msg::CameraBusy,
        CameraError::Unsupported => Msg::CameraUnsupported,
        CameraError::Other(_) => Msg::CameraOther,
        CameraError::Ended => Msg::CameraEnded,
    }
}

fn other_lang(lang: Lang) -> Lang {
    match lang {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    }
}

/// What the live region says: the headline of whatever the result area
/// shows, so a screen reader hears each outcome once.
pub fn announcement(state: &State) -> String {
    let lang = state.lang;
    match &state.scan {
        ScanState::Idle => String::new(),
        ScanState::Reading => t(lang, Msg::Reading).into(),
        ScanState::WaitingForTrust => t(lang, Msg::Waiting).into(),
        ScanState::NoCode => t(lang, Msg::NoCode).into(),
        ScanState::ImageUnreadable { .. } => t(lang, Msg::ImageUnreadable).into(),
        ScanState::Done(r) => {
            let words = explain(&r.report, lang);
            format!("{} {}", words.headline, words.why)
        }
    }
}

/// The trust-data banner.
pub fn trust_banner(state: &State) -> Html {
    let lang = state.lang;
    let TrustState::Ready { data, loaded_at } = &state.trust else {
        return html! {
            <section class="trust" data-trust="loading">
                <p>{ t(lang, Msg::TrustLoading) }</p>
            </section>
        };
    };
    let status = if data.trust.is_some() {
        "ready"
    } else {
        "failed"
    };
    let summary = data.trust.as_ref().map(|tl| {
        let mut s = text::list_version(lang, tl.version, tl.issued_at, *loaded_at);
        if tl.is_expired(*loaded_at) {
            s = format!("{s} · {}", t(lang, Msg::Expired));
        }
        let r = data
            .revocations
            .as_ref()
            .map(|r| text::list_version(lang, r.version, r.issued_at, *loaded_at));
        text::trust_ready(lang, &s, r.as_deref())
    });
    html! {
        <section class={classes!("trust", (status == "failed").then_some("trust-failed"))}
            data-trust={status} data-saved-copy={(!data.saved_copy.is_empty()).then_some("true")}>
            if let Some(s) = summary { <p>{ s }</p> }
            { for problems(data, lang) }
            { for data.saved_copy.iter().map(|p| html! {
                <p class="problem saved-copy">{ text::saved_copy(lang, p.file, &p.error) }</p>
            }) }
        </section>
    }
}

fn problems(data: &TrustData, lang: Lang) -> impl Iterator<Item = Html> + '_ {
    data.problems.iter().map(move |p| {
        let class = if p.file == TrustFile::Revocations {
            "problem"
        } else {
            "problem serious"
        };
        html! { <p class={class}>{ text::load_problem(lang, p.file, &p.error) }</p> }
    })
}

/// The result area (empty until something is scanned).
pub fn result_area(state: &State, h: &Handlers) -> Html {
    let lang = state.lang;
    let inner = match &state.scan {
        ScanState::Idle => Html::default(),
        ScanState::Reading => progress(t(lang, Msg::Reading)),
        ScanState::WaitingForTrust => progress(t(lang, Msg::Waiting)),
        ScanState::NoCode => notice(lang, Msg::NoCode, Msg::NoCodeNext, None),
        ScanState::ImageUnreadable { detail } => notice(
            lang,
            Msg::ImageUnreadable,
            Msg::ImageUnreadableNext,
            Some(detail),
        ),
        ScanState::Done(r) => result(state, r, h),
    };
    html! {
        <div class="result-area" data-state={state.scan.code()}>{ inner }</div>
    }
}

fn progress(words: &str) -> Html {
    html! {
        <div class="progress">
            <span class="spinner" aria-hidden="true"></span>
            <p>{ words.to_string() }</p>
        </div>
    }
}

fn notice(lang: Lang, headline: Msg, next: Msg, detail: Option<&str>) -> Html {
    html! {
        <section class="notice tone-unknown">
            <div class="verdict-head">
                <span class="icon" aria-hidden="true">{ "?" }</span>
                <h2>{ t(lang, headline) }</h2>
            </div>
            <p class="next">{ t(lang, next) }</p>
            if let Some(d) = detail { <p class="detail">{ d.to_string() }</p> }
        </section>
    }
}

fn tone_class(tone: Tone) -> (&'static str, &'static str) {
    match tone {
        Tone::Good => ("tone-good", "✓"),
        Tone::Caution => ("tone-caution", "!"),
        Tone::Bad => ("tone-bad", "✕"),
        Tone::Unknown => ("tone-unknown", "?"),
    }
}

fn result(state: &State, r: &ScanResult, h: &Handlers) -> Html {
    let lang = state.lang;
    let report = &r.report;
    let words = explain(report, lang);
    let (class, icon) = tone_class(words.tone);
    let details = if report.signature_verified {
        report
            .fields
            .as_ref()
            .map(|f| fields(lang, f, report, state, h))
            .unwrap_or_default()
    } else if report.fields.is_some() {
        html! { <p class="note">{ t(lang, Msg::FieldsHidden) }</p> }
    } else {
        Html::default()
    };
    // The verdict itself says when revocation data is missing or stale.
    let no_revocations = report.trust_list.is_some()
        && report.revocations.is_none()
        && !matches!(report.verdict, Verdict::RevocationUnknown { .. });
    let revocations_line = report.revocations.map(|rl| {
        let mut s = text::list_version(lang, rl.version, rl.issued_at, report.checked_at);
        if report.checked_at > rl.expires_at {
            s = format!("{s} · {}", t(lang, Msg::Stale));
        }
        format!("{}{}", t(lang, Msg::RevocationsLabel), s)
    });
    let trust_line = report.trust_list.map(|tl| {
        let mut s = text::list_version(lang, tl.version, tl.issued_at, report.checked_at);
        if report.checked_at > tl.expires_at {
            s = format!("{s} · {}", t(lang, Msg::Expired));
        }
        format!("{}{}", t(lang, Msg::TrustListLabel), s)
    });
    html! {
        <section class={classes!("result", class)} data-verdict={report.verdict.code()}
            data-source={r.source.code()}>
            <div class="verdict-head">
                <span class="icon" aria-hidden="true">{ icon }</span>
                <h2>{ words.headline }</h2>
            </div>
            <p class="why">{ words.why }</p>
            <p class="next"><strong>{ t(lang, Msg::NextLabel) }</strong>{ words.next }</p>
            { details }
            if no_revocations { <p class="note warn">{ t(lang, Msg::RevocationsMissing) }</p> }
            if report.clock_raised { <p class="note">{ t(lang, Msg::ClockRaised) }</p> }
            <p class="meta">
                { t(lang, Msg::CheckedOffline) }
                if let Some(line) = trust_line { { " · " }{ line } }
                if let Some(line) = revocations_line {
                    <span data-list="revocations">
                        { if lang == Lang::Zh { "；" } else { "; " } }{ line }
                    </span>
                }
            </p>
            if state.refreshing_for_scan { { progress(t(lang, Msg::RefreshingTrust)) } }
            if state.lookup_origin == LookupOrigin::Scan {
                { lookup_result(state, report.certificate.as_ref()) }
            }
            if report.certificate.is_some() && state.lookup != LookupState::Sending {
                <button type="button" class="secondary check-online" data-action="check-online"
                    onclick={h.on_check_online.clone()}>{ t(lang, Msg::CheckOnline) }</button>
            }
        </section>
    }
}

fn row(label: &str, value: String) -> Html {
    html! { <><dt>{ label.to_string() }</dt><dd>{ value }</dd></> }
}

/// The masked ID number with its visible last digits set large: the
/// inspector compares exactly those with the holder's ID card.
fn number(lang: Lang, masked: &str) -> Html {
    html! {
        <>
            <dt>{ t(lang, Msg::Number) }</dt>
            <dd class="number">{ masked_digits(masked) }</dd>
        </>
    }
}

fn masked_digits(masked: &str) -> Html {
    let split = masked
        .char_indices()
        .find(|&(_, c)| c != '*')
        .map_or(masked.len(), |(i, _)| i);
    let (hidden, shown) = masked.split_at(split);
    html! {
        <>
            <span class="hidden-digits">{ hidden.to_string() }</span>
            <span class="last-digits">{ shown.to_string() }</span>
        </>
    }
}

/// A verified result's ID number: masked, the whole of it on a tap (and
/// masked again on the next).
fn revealable_number(
    lang: Lang,
    masked: &str,
    full: Option<&str>,
    state: &State,
    h: &Handlers,
) -> Html {
    let revealed = state.number_revealed && full.is_some();
    let shown = match (revealed, full) {
        (true, Some(full)) => html! { <span class="full-number">{ full.to_string() }</span> },
        _ => masked_digits(masked),
    };
    html! {
        <>
            <dt>{ t(lang, Msg::Number) }</dt>
            <dd class="number" data-revealed={revealed.to_string()}>
                { shown }
                if full.is_some() {
                    <button type="button" class="link reveal" data-action="reveal-number"
                        aria-pressed={revealed.to_string()} onclick={h.on_toggle_number.clone()}>
                        { t(lang, if revealed { Msg::HideNumber } else { Msg::ShowNumber }) }
                    </button>
                }
            </dd>
        </>
    }
}

fn fields(lang: Lang, f: &ShownFields, report: &Report, state: &State, h: &Handlers) -> Html {
    let zh = lang == Lang::Zh;
    let named = |n: &yanzheng_core::verdict::NamedCode| {
        if zh {
            n.zh.clone()
        } else {
            n.en.clone()
        }
    };
    let mut rows = vec![
        html! {
            <><dt>{ t(lang, Msg::Name) }</dt><dd class="holder">{ f.name.clone() }</dd></>
        },
        revealable_number(
            lang,
            &f.number_masked,
            report.certificate.as_ref().map(|c| c.number.as_str()),
            state,
            h,
        ),
        row(t(lang, Msg::Sex), f.sex.label(zh).into()),
        row(t(lang, Msg::CertType), f.kind.title(zh).into()),
    ];
    match f.kind {
        CertKind::SpecialOperations => {
            if let Some(c) = &f.category {
                rows.push(row(t(lang, Msg::Category), named(c)));
            }
            if let Some(i) = &f.item {
                rows.push(row(t(lang, Msg::Item), named(i)));
            }
        }
        CertKind::SafetyManagement => {
            if let Some(e) = &f.employer {
                rows.push(row(t(lang, Msg::Employer), e.clone()));
            }
            if let Some(r) = &f.role {
                rows.push(row(t(lang, Msg::Role), named(r)));
            }
            if let Some(i) = &f.industry {
                rows.push(row(t(lang, Msg::Industry), named(i)));
            }
        }
    }
    rows.push(html! {
        <>
            <dt>{ t(lang, Msg::Validity) }</dt>
            <dd>
                <span class="nowrap">{ f.valid_from.to_string() }</span>
                { if zh { " 至 " } else { " to " } }
                <span class="nowrap">{ f.valid_until.to_string() }</span>
            </dd>
        </>
    });
    if let Some(d) = f.review_due {
        rows.push(row(t(lang, Msg::ReviewDue), d.to_string()));
    }
    rows.push(row(t(lang, Msg::FirstIssued), f.first_issued.to_string()));
    if let Some(i) = &report.issuer {
        rows.push(row(t(lang, Msg::Issuer), i.name.clone()));
    }
    html! { <dl class="fields">{ for rows }</dl> }
}
