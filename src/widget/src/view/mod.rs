//! Renders a [`State`]: one component per area, each with the part of the
//! state it shows and its own callbacks. No effects and no decisions:
//! verdicts and their words come from core, the shell supplies the
//! callbacks.
//!
//! The DOM contract the end-to-end tests rely on: the result area has
//! `data-state` ([`ScanState::code`](crate::state::ScanState::code)); a
//! verdict is a `.result` element with `data-outcome` (the headline's
//! verdict code: core's [`combine`](yanzheng_core::online::combine) of the
//! scan and the registry's answer), `data-verdict` (the QR code's own
//! verdict, offline), `data-basis` and `data-source`; its registry part has
//! `data-lookup` and `data-match`; a typed lookup's answers are `.result`
//! elements too. The trust banner has `data-trust` (`loading`, `ready` or
//! `failed`) and, when the lists could not be refreshed for want of a
//! network, `data-offline`.

mod camera;
mod lookup;
mod parts;
mod record;
mod result;
mod trust;

use yanzheng_core::messages::explain_outcome;
use yanzheng_core::online::Outcome;
use yanzheng_core::Date;
use yew::prelude::*;

pub use camera::{CameraArea, CameraHandlers};
pub use lookup::{LookupHandlers, ManualEntry};
pub use record::{RecordHandlers, RecordPanel};
pub use result::{scan_outcome, ResultArea, ResultHandlers};
pub use trust::TrustBanner;

use crate::lookup::LookupAnswer;
use crate::state::{Focus, LookupOrigin, LookupState, ScanState, State};
use crate::text::{t, Msg};

/// The page's own callbacks and fields.
#[derive(Clone, PartialEq, Default)]
pub struct PageHandlers {
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
}

/// Every callback and element reference the page needs from the shell,
/// by area.
#[derive(Clone, PartialEq, Default)]
pub struct Handlers {
    /// The page's own.
    pub page: PageHandlers,
    /// The camera and crew mode.
    pub camera: CameraHandlers,
    /// The result area.
    pub result: ResultHandlers,
    /// Manual entry.
    pub lookup: LookupHandlers,
    /// The inspection record.
    pub record: RecordHandlers,
}

/// The whole page.
pub fn page(state: &State, h: &Handlers) -> Html {
    let lang = state.lang;
    let paste_empty = state.scan.paste_empty;
    html! {
        <main class="page">
            <header class="top">
                <div class="titles">
                    <h1>{ t(lang, Msg::Title) }</h1>
                    <p class="subtitle">{ t(lang, Msg::Subtitle) }</p>
                </div>
                // Named by its visible text, in the language it switches to.
                <button type="button" class="lang" lang={lang.other().tag()}
                    onclick={h.page.on_lang.clone()}>
                    { t(lang, Msg::OtherLanguage) }
                </button>
            </header>
            if let Some(url) = &h.page.full_page_url {
                <p class="full-page">
                    <a href={url.clone()} target="_blank" rel="noopener noreferrer"
                        data-action="open-full-page">{ t(lang, Msg::OpenFullPage) }</a>
                </p>
            }
            <TrustBanner {lang} trust={state.trust.clone()} />
            <ResultArea {lang} scan={state.scan.clone()} lookup={state.lookup.clone()}
                on={h.result.clone()} />
            // Inside WeChat the live camera is often refused: the photo comes first.
            if state.in_wechat {
                { photo_section(lang, true, h) }
            }
            <CameraArea {lang} camera={state.camera.clone()} crew={state.crew.clone()}
                on={h.camera.clone()} />
            if !state.in_wechat {
                { photo_section(lang, false, h) }
            }
            <form class="paste" onsubmit={h.page.on_paste.clone()}>
                <label for="payload">{ t(lang, Msg::PasteLabel) }</label>
                <p class="hint" id="paste-hint">{ t(lang, Msg::PasteHint) }</p>
                <textarea id="payload" ref={h.page.paste_field.clone()} rows="3"
                    autocomplete="off" autocapitalize="off" spellcheck="false"
                    aria-invalid={paste_empty.to_string()}
                    aria-describedby={if paste_empty { "paste-hint paste-error" } else { "paste-hint" }} />
                if paste_empty {
                    <p class="note warn" id="paste-error" role="alert" data-paste="empty">
                        { t(lang, Msg::PasteEmpty) }
                    </p>
                }
                <button type="submit" class="check">{ t(lang, Msg::Check) }</button>
            </form>
            <ManualEntry {lang} lookup={state.lookup.clone()} on={h.lookup.clone()} />
            <RecordPanel {lang} record={state.record.clone()} on={h.record.clone()} />
            <p class="sr-only" role="status" aria-live="polite" aria-atomic="true">
                { announcement(state) }
            </p>
        </main>
    }
}

/// The photo button: a photo taken with the system camera, or picked.
/// First on the page in WeChat, with how to get the live camera there.
fn photo_section(lang: yanzheng_core::messages::Lang, wechat: bool, h: &Handlers) -> Html {
    html! {
        <section class="scan" data-wechat={wechat.then_some("true")}>
            if wechat {
                <p class="note" data-note="wechat">{ t(lang, Msg::WeChatPhotoFirst) }</p>
            }
            <input id="photo" class="file-input" type="file" accept="image/*"
                capture="environment" onchange={h.page.on_file.clone()} />
            <label for="photo" class="photo-button">
                <span class="camera" aria-hidden="true"></span>
                { t(lang, Msg::TakePhoto) }
            </label>
            <p class="hint">{ t(lang, Msg::TakePhotoHint) }</p>
        </section>
    }
}

/// What the live region says: the headline of whatever appeared last, so
/// a screen reader hears each outcome once, in words.
pub fn announcement(state: &State) -> String {
    let lang = state.lang;
    let lookup = &state.lookup;
    if state.focus == Focus::Lookup && lookup.origin == LookupOrigin::Typed {
        return match &lookup.shown {
            LookupState::Answered(answer) => {
                let outcome = match &**answer {
                    LookupAnswer::Found { certificates } => certificates
                        .first()
                        .map(|c| Outcome::of_record(c, Date::in_china_at(lookup.answered_at))),
                    LookupAnswer::NotFound { .. } => Some(Outcome::not_found()),
                };
                outcome.map_or_else(String::new, |o| {
                    let words = explain_outcome(&o, None, lookup.answered_at, lang);
                    format!("{} {}", words.headline, words.why)
                })
            }
            LookupState::Failed(f) => t(lang, parts::failure_words(lang, f).0).into(),
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
            let outcome = scan_outcome(&state.lookup, r);
            let words = explain_outcome(&outcome, Some(&r.report), r.report.checked_at, lang);
            format!("{} {}", words.headline, words.why)
        }
    }
}

#[cfg(test)]
mod tests;
