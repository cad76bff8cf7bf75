//! Renders a [`State`]. No effects and no decisions: verdicts and their
//! words come from core, the shell supplies the event callbacks.
//!
//! The DOM contract the end-to-end tests rely on: the result area has
//! `data-state` ([`ScanState::code`]); a verdict is a `.result` element with
//! `data-outcome` (the headline's verdict code: core's
//! [`combine`] of the scan and the registry's answer), `data-verdict` (the
//! QR code's own verdict, offline), `data-basis` and `data-source`; its
//! registry part has `data-lookup` and `data-match`; a typed lookup's
//! answers are `.result` elements too. The trust banner has `data-trust`
//! (`loading`, `ready` or `failed`) and, when the lists could not be
//! refreshed for want of a network, `data-offline`.

use yanzheng_core::messages::{
    explain_outcome, input_error, label, Explanation, Label, Lang, Tone, HOTLINE, OFFICIAL_SITE,
};
use yanzheng_core::online::{combine, Agreement, Basis, Mismatch, Outcome, RegistryCertificate};
use yanzheng_core::verdict::ShownFields;
use yanzheng_core::{CertKind, Date, Report, Verdict};
use yew::prelude::*;

use crate::camera::CameraError;
use crate::crew::{CrewEntry, CrewFlag};
use crate::lookup::{InputError, LookupAnswer, LookupFailure};
use crate::state::{
    CameraState, Focus, LookupOrigin, LookupState, ScanResult, ScanState, State, TrustState,
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
                    autocomplete="off" autocapitalize="off" spellcheck="false"
                    aria-invalid={state.scan.paste_empty.to_string()}
                    aria-describedby={state.scan.paste_empty.then_some("paste-error")} />
                if state.scan.paste_empty {
                    <p class="note warn" id="paste-error" role="alert" data-paste="empty">
                        { t(lang, Msg::PasteEmpty) }
                    </p>
                }
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
                    aria-pressed={state.crew.on.to_string()} onclick={h.on_crew.clone()}>
                    { t(lang, Msg::CrewMode) }
                </button>
                if state.crew.on { <p class="hint">{ t(lang, Msg::CrewHint) }</p> }
                { crew_list(state, h) }
            </div>
        </section>
    }
}

/// The round's checks, newest first, flagged ones marked.
fn crew_list(state: &State, h: &Handlers) -> Html {
    let lang = state.lang;
    let round = &state.crew.round;
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
    let count = state.record.count.unwrap_or(0);
    html! {
        <section class="record" data-record-count={count.to_string()}>
            <h2>{ t(lang, Msg::RecordTitle) }</h2>
            <p class="hint">{ t(lang, Msg::RecordHint) }</p>
            <p>{ text::record_count(lang, count) }</p>
            <label class="retention">
                { t(lang, Msg::RecordRetention) }
                <select data-setting="record-days" onchange={h.on_record_days.clone()}>
                    { for crate::prefs::RECORD_DAYS_CHOICES.iter().map(|d| html! {
                        <option value={d.to_string()} selected={*d == state.record.days}>
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
    let sending = state.lookup.shown == LookupState::Sending;
    let typed = state.lookup.origin == LookupOrigin::Typed;
    let invalid = match (&state.lookup.shown, typed) {
        (LookupState::Invalid(e), true) => Some(*e),
        _ => None,
    };
    let number_invalid = invalid.is_some_and(|e| !e.is_name());
    let name_invalid = invalid.is_some_and(InputError::is_name);
    html! {
        <section class="manual">
            <h2>{ t(lang, Msg::ManualTitle) }</h2>
            <p class="hint">{ t(lang, Msg::ManualHint) }</p>
            <form class="lookup-form" onsubmit={h.on_lookup.clone()}>
                <label for="lookup-number">{ t(lang, Msg::NumberLabel) }</label>
                <input id="lookup-number" ref={h.lookup_number.clone()} inputmode="text"
                    autocomplete="off" autocapitalize="characters" spellcheck="false"
                    maxlength="24" aria-invalid={number_invalid.to_string()}
                    aria-describedby={number_invalid.then_some("lookup-error")} />
                <label for="lookup-name">{ t(lang, Msg::NameLabel) }</label>
                <input id="lookup-name" ref={h.lookup_name.clone()} autocomplete="off"
                    spellcheck="false" maxlength="40" aria-invalid={name_invalid.to_string()}
                    aria-describedby={name_invalid.then_some("lookup-error")} />
                <button type="submit" class="check" data-action="lookup" disabled={sending}>
                    { t(lang, Msg::LookupButton) }
                </button>
            </form>
            if typed { <div class="lookup-answer">{ typed_lookup(state) }</div> }
        </section>
    }
}

/// The words for a lookup that got no answer.
fn failure_words(lang: Lang, f: &LookupFailure) -> (Msg, Option<String>) {
    let zh = lang == Lang::Zh;
    match f {
        LookupFailure::Offline => (Msg::LookupOffline, None),
        LookupFailure::Timeout => (Msg::LookupTimeout, None),
        LookupFailure::Server(d) => (Msg::LookupError, Some(d.clone())),
        LookupFailure::Refused { message, .. } => {
            (Msg::LookupRefused, Some(message.get(zh).to_string()))
        }
    }
}

/// A technical detail, folded away behind a toggle.
fn details_toggle(lang: Lang, detail: Option<String>) -> Html {
    match detail {
        Some(d) if !d.is_empty() => html! {
            <details class="tech">
                <summary>{ t(lang, Msg::TechDetails) }</summary>
                <p class="detail">{ d }</p>
            </details>
        },
        _ => Html::default(),
    }
}

/// A lookup's state other than an answer: progress, refused input, failure.
fn lookup_progress(state: &State) -> Option<Html> {
    let lang = state.lang;
    Some(match &state.lookup.shown {
        LookupState::Idle | LookupState::Answered(_) => return None,
        LookupState::Sending => html! {
            <div class="progress" data-lookup="sending">
                <span class="spinner" aria-hidden="true"></span>
                <p>{ t(lang, Msg::LookupSending) }</p>
            </div>
        },
        LookupState::Invalid(e) => html! {
            <p class="note warn" id="lookup-error" data-lookup="invalid" role="alert">
                { input_error(*e, lang) }
            </p>
        },
        LookupState::Failed(f) => {
            let (msg, detail) = failure_words(lang, f);
            // Refused input is the registry's word on what was typed; the
            // rest is about the connection, said calmly.
            let class = if matches!(f, LookupFailure::Refused { .. }) {
                "note warn"
            } else {
                "note calm"
            };
            html! {
                <div class="lookup-failed" data-lookup={state.lookup.shown.code()} data-source="online">
                    <p class={class} tabindex="-1" data-focus="headline">{ t(lang, msg) }</p>
                    if let LookupFailure::Refused { .. } = f {
                        if let Some(d) = detail.clone() { <p class="detail">{ d }</p> }
                    } else {
                        { details_toggle(lang, detail) }
                    }
                </div>
            }
        }
    })
}

/// The answer to a typed lookup: one result per certificate found, each
/// with core's verdict for the registry's record, or "not found".
fn typed_lookup(state: &State) -> Html {
    if let Some(html) = lookup_progress(state) {
        return html;
    }
    let LookupState::Answered(answer) = &state.lookup.shown else {
        return Html::default();
    };
    let lang = state.lang;
    let today = Date::in_china_at(state.lookup.answered_at);
    let card = |outcome: Outcome, first: bool| {
        let words = explain_outcome(&outcome, None, state.lookup.answered_at, lang);
        let record = outcome.record.as_ref().map(|r| registry_fields(lang, r));
        let lookup = if outcome.record.is_some() {
            "found"
        } else {
            "not_found"
        };
        html! {
            <section class={classes!("result", tone_class(words.tone).0)}
                data-outcome={outcome.verdict.code()} data-basis="registry"
                data-lookup={lookup} data-source="online">
                { headline(&words, first) }
                { verdict_words(lang, &words) }
                { for record }
                <p class="meta">{ t(lang, Msg::CheckedOnline) }</p>
            </section>
        }
    };
    match &**answer {
        LookupAnswer::NotFound { .. } => card(Outcome::not_found(), true),
        LookupAnswer::Found { certificates } => html! {
            <>
                if certificates.len() > 1 {
                    <p class="hint">{ text::found_count(lang, certificates.len()) }</p>
                }
                { for certificates.iter().enumerate().map(|(i, c)| {
                    card(Outcome::of_record(c, today), i == 0)
                }) }
            </>
        },
    }
}

/// A result's headline: icon and words; the first heading of a result
/// takes focus when it appears (`tabindex=-1`, `data-focus`).
fn headline(words: &Explanation, first: bool) -> Html {
    let (_, icon) = tone_class(words.tone);
    html! {
        <div class="verdict-head">
            <span class="icon" aria-hidden="true">{ icon }</span>
            <h2 tabindex="-1" data-focus={first.then_some("headline")}>{ words.headline.clone() }</h2>
        </div>
    }
}

/// Why, what next, the official channels where they help and the detail.
fn verdict_words(lang: Lang, words: &Explanation) -> Html {
    html! {
        <>
            <p class="why">{ words.why.clone() }</p>
            <p class="next"><strong>{ t(lang, Msg::NextLabel) }</strong>{ words.next.clone() }</p>
            if words.official_channels { { official_channels(lang) } }
            if let Some(d) = &words.detail { <p class="detail">{ d.clone() }</p> }
        </>
    }
}

/// The ministry's query platform and the hotline, as links.
fn official_channels(lang: Lang) -> Html {
    html! {
        <ul class="channels" data-channels="official">
            <li>
                { t(lang, Msg::OfficialSite) }
                <a href={format!("https://{OFFICIAL_SITE}/")} target="_blank"
                    rel="noopener noreferrer">{ OFFICIAL_SITE }</a>
            </li>
            <li>
                { t(lang, Msg::OfficialHotline) }
                <a href={format!("tel:{HOTLINE}")}>{ HOTLINE }</a>
            </li>
        </ul>
    }
}

/// The registry's part of a scan's result: how its record compares with
/// the QR code (a detail: the headline already says what it means), or
/// why there is no answer.
fn registry_part(state: &State, outcome: &Outcome) -> Html {
    let lang = state.lang;
    if let Some(html) = lookup_progress(state) {
        return html;
    }
    let LookupState::Answered(answer) = &state.lookup.shown else {
        return Html::default();
    };
    let agreement = outcome.agreement.as_ref();
    let body = match agreement {
        Some(Agreement::Same) => {
            let updated = outcome.record.as_ref().map(|r| r.updated_at);
            html! {
                <p class="agreement">
                    { t(lang, Msg::RegistryMatches) }
                    if let Some(at) = updated { { " " }{ text::record_updated(lang, at) } }
                </p>
            }
        }
        Some(Agreement::Differs { mismatches }) => mismatch_table(lang, mismatches),
        Some(Agreement::NotListed) => {
            let LookupAnswer::Found { certificates } = &**answer else {
                return Html::default();
            };
            html! {
                <>
                    <p>{ t(lang, Msg::RegistryNotListed) }</p>
                    { for certificates.iter().map(|c| registry_fields(lang, c)) }
                </>
            }
        }
        Some(Agreement::NotFound) | None => Html::default(),
    };
    html! {
        <div class="registry" data-lookup={state.lookup.shown.code()} data-source="online"
            data-match={agreement.map(Agreement::code)}>
            <h3>{ t(lang, Msg::OnlineBesideScan) }</h3>
            { body }
        </div>
    }
}

/// The fields on which the QR code and the registry disagree, side by side.
fn mismatch_table(lang: Lang, diffs: &[Mismatch]) -> Html {
    let zh = lang == Lang::Zh;
    let empty = if zh { "（无）" } else { "(none)" };
    let value = |w: &yanzheng_core::online::Words| {
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
                        <th scope="row">{ label(d.field.label(), lang) }</th>
                        <td class="nowrap-cell">{ value(&d.qr) }</td>
                        <td class="nowrap-cell">{ value(&d.registry) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

/// A registry record's fields (masked, as the registry sends them).
fn registry_fields(lang: Lang, c: &RegistryCertificate) -> Html {
    let zh = lang == Lang::Zh;
    let named = |n: &Option<yanzheng_core::verdict::NamedCode>| {
        n.as_ref()
            .map(|n| if zh { n.zh.clone() } else { n.en.clone() })
    };
    let mut rows = vec![
        row(label(Label::CertType, lang), c.kind.title(zh).to_string()),
        row(label(Label::Name, lang), c.name_masked.clone()),
        number(lang, &c.number_masked),
    ];
    for (field, value) in [
        (Label::Category, named(&c.category)),
        (Label::Item, named(&c.item)),
        (Label::Employer, c.employer.clone()),
        (Label::Role, named(&c.role)),
        (Label::Industry, named(&c.industry)),
    ] {
        if let Some(v) = value {
            rows.push(row(label(field, lang), v));
        }
    }
    rows.push(validity(lang, c.valid_from, c.valid_until));
    if let Some(d) = c.review_due {
        rows.push(date_row(label(Label::ReviewDue, lang), d));
    }
    rows.push(date_row(label(Label::FirstIssued, lang), c.first_issued));
    rows.push(row(label(Label::Issuer, lang), c.issuer.clone()));
    rows.push(row(
        t(lang, Msg::RecordUpdated),
        text::beijing_time(lang, c.updated_at),
    ));
    html! {
        <div class={classes!("found", c.revoked.then_some("revoked"))}>
            <dl class="fields">{ for rows }</dl>
        </div>
    }
}

/// The validity row: two dates that never break inside.
fn validity(lang: Lang, from: Date, until: Date) -> Html {
    html! {
        <>
            <dt>{ label(Label::Validity, lang) }</dt>
            <dd>
                <span class="nowrap">{ from.to_string() }</span>
                { if lang == Lang::Zh { " 至 " } else { " to " } }
                <span class="nowrap">{ until.to_string() }</span>
            </dd>
        </>
    }
}

fn date_row(label: &str, d: Date) -> Html {
    html! { <><dt>{ label.to_string() }</dt><dd><span class="nowrap">{ d.to_string() }</span></dd></> }
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

/// The outcome a scan's result shows: the QR code's verdict, combined with
/// the registry's answer when one is on screen for it.
pub fn scan_outcome(state: &State, r: &ScanResult) -> Outcome {
    match (&state.lookup.origin, &state.lookup.shown) {
        (LookupOrigin::Scan, LookupState::Answered(answer)) => {
            combine(&r.report, answer.as_registry())
        }
        _ => Outcome::offline(&r.report),
    }
}

/// What the live region says: the headline of whatever appeared last, so
/// a screen reader hears each outcome once, in words.
pub fn announcement(state: &State) -> String {
    let lang = state.lang;
    if state.focus == Focus::Lookup && state.lookup.origin == LookupOrigin::Typed {
        return match &state.lookup.shown {
            LookupState::Answered(answer) => {
                let outcome = match &**answer {
                    LookupAnswer::Found { certificates } => certificates.first().map(|c| {
                        Outcome::of_record(c, Date::in_china_at(state.lookup.answered_at))
                    }),
                    LookupAnswer::NotFound { .. } => Some(Outcome::not_found()),
                };
                outcome.map_or_else(String::new, |o| {
                    let words = explain_outcome(&o, None, state.lookup.answered_at, lang);
                    format!("{} {}", words.headline, words.why)
                })
            }
            LookupState::Failed(f) => t(lang, failure_words(lang, f).0).into(),
            _ => String::new(),
        };
    }
    match &state.scan.shown {
        ScanState::Idle => String::new(),
        ScanState::Reading => t(lang, Msg::Reading).into(),
        ScanState::WaitingForTrust => t(lang, Msg::Waiting).into(),
        ScanState::NoCode => t(lang, Msg::NoCode).into(),
        ScanState::ImageUnreadable { .. } => t(lang, Msg::ImageUnreadable).into(),
        ScanState::Done(r) => {
            let outcome = scan_outcome(state, r);
            let words = explain_outcome(&outcome, Some(&r.report), r.report.checked_at, lang);
            format!("{} {}", words.headline, words.why)
        }
    }
}

/// The trust-data banner. Offline (the lists could not be fetched, the
/// copies saved on this device are used) is the normal case on a site: one
/// calm line with the lists' dates, the raw errors behind a toggle.
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
    let offline = data.trust.is_some()
        && !data.saved_copy.is_empty()
        && data.saved_copy.iter().all(|p| p.error.is_network());
    if offline {
        let line = text::offline_line(
            lang,
            data.trust.as_ref().map(|l| l.issued_at),
            data.revocations.as_ref().map(|l| l.issued_at),
            *loaded_at,
        );
        let raw: Vec<String> = data
            .saved_copy
            .iter()
            .map(|p| text::saved_copy(lang, p.file, &p.error))
            .collect();
        return html! {
            <section class="trust trust-offline" data-trust={status} data-offline="true"
                data-saved-copy="true">
                <p class="offline-line">{ line }</p>
                { for problems(data, lang) }
                { details_toggle(lang, Some(raw.join(" "))) }
            </section>
        };
    }
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
    let inner = match &state.scan.shown {
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
        <div class="result-area" data-state={state.scan.shown.code()}>{ inner }</div>
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
                <h2 tabindex="-1" data-focus="headline">{ t(lang, headline) }</h2>
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
    let outcome = scan_outcome(state, r);
    let words = explain_outcome(&outcome, Some(report), report.checked_at, lang);
    let (class, _) = tone_class(words.tone);
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
        && !matches!(report.verdict, Verdict::RevocationUnknown { .. })
        && outcome.basis == Basis::Offline;
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
    let basis = match outcome.basis {
        Basis::Offline => "offline",
        Basis::Registry => "registry",
        Basis::Both => "both",
    };
    html! {
        <section class={classes!("result", class)} data-outcome={outcome.verdict.code()}
            data-verdict={report.verdict.code()} data-basis={basis}
            data-source={r.source.code()}>
            { headline(&words, true) }
            { verdict_words(lang, &words) }
            { details }
            if no_revocations { <p class="note warn">{ t(lang, Msg::RevocationsMissing) }</p> }
            if report.clock_raised { <p class="note">{ t(lang, Msg::ClockRaised) }</p> }
            if state.lookup.origin == LookupOrigin::Scan { { registry_part(state, &outcome) } }
            <p class="meta">
                { t(lang, if outcome.basis == Basis::Offline { Msg::CheckedOffline } else { Msg::CheckedBoth }) }
                if let Some(line) = trust_line { { " · " }{ line } }
                if let Some(line) = revocations_line {
                    <span data-list="revocations">
                        { if lang == Lang::Zh { "；" } else { "; " } }{ line }
                    </span>
                }
            </p>
            if state.scan.refreshing_for_scan { { progress(t(lang, Msg::RefreshingTrust)) } }
            if report.certificate.is_some() && state.lookup.shown != LookupState::Sending {
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
            <dt>{ label(Label::Number, lang) }</dt>
            <dd class="number">{ masked_digits(lang, masked) }</dd>
        </>
    }
}

/// The masked number as the eye sees it (asterisks, then the last digits
/// set large) and as a screen reader says it ("证号末四位 0135"): the
/// asterisks are never read aloud.
fn masked_digits(lang: Lang, masked: &str) -> Html {
    let split = masked
        .char_indices()
        .find(|&(_, c)| c != '*')
        .map_or(masked.len(), |(i, _)| i);
    let (hidden, shown) = masked.split_at(split);
    html! {
        <>
            <span class="sr-only">{ text::last_digits(lang, shown) }</span>
            <span class="masked" aria-hidden="true">
                <span class="hidden-digits">{ hidden.to_string() }</span>
                <span class="last-digits">{ shown.to_string() }</span>
            </span>
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
    let revealed = state.scan.number_revealed && full.is_some();
    let shown = match (revealed, full) {
        (true, Some(full)) => html! { <span class="full-number">{ full.to_string() }</span> },
        _ => masked_digits(lang, masked),
    };
    html! {
        <>
            <dt>{ label(Label::Number, lang) }</dt>
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
            <><dt>{ label(Label::Name, lang) }</dt><dd class="holder">{ f.name.clone() }</dd></>
        },
        revealable_number(
            lang,
            &f.number_masked,
            report.certificate.as_ref().map(|c| c.number.as_str()),
            state,
            h,
        ),
        row(label(Label::Sex, lang), f.sex.label(zh).into()),
        row(label(Label::CertType, lang), f.kind.title(zh).into()),
    ];
    match f.kind {
        CertKind::SpecialOperations => {
            if let Some(c) = &f.category {
                rows.push(row(label(Label::Category, lang), named(c)));
            }
            if let Some(i) = &f.item {
                rows.push(row(label(Label::Item, lang), named(i)));
            }
        }
        CertKind::SafetyManagement => {
            if let Some(e) = &f.employer {
                rows.push(row(label(Label::Employer, lang), e.clone()));
            }
            if let Some(r) = &f.role {
                rows.push(row(label(Label::Role, lang), named(r)));
            }
            if let Some(i) = &f.industry {
                rows.push(row(label(Label::Industry, lang), named(i)));
            }
        }
    }
    rows.push(validity(lang, f.valid_from, f.valid_until));
    if let Some(d) = f.review_due {
        rows.push(date_row(label(Label::ReviewDue, lang), d));
    }
    rows.push(date_row(label(Label::FirstIssued, lang), f.first_issued));
    if let Some(i) = &report.issuer {
        rows.push(row(label(Label::Issuer, lang), i.name.clone()));
    }
    html! { <dl class="fields">{ for rows }</dl> }
}
