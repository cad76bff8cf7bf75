//! The shell's hooks: one runs the effects the state asks for (each once,
//! in order, after the page is drawn); the others turn the world into
//! actions (what the device remembered, page visibility, the hourly trust
//! refresh) or keep the document in step (language, the host frame's
//! height).

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::camera_shell::CameraShell;
use crate::crew;
use crate::embed::{EmbedParams, ResizeMessage, VerdictMessage};
use crate::platform::web::record_store;
use crate::platform::web::{self, LocalStorage, WebFetch};
use crate::record::{self, RecordEntry};
use crate::state::{Action, Effect, Focus, State};
use crate::{prefs, trust_data};

/// How often the trust data is fetched again while the page stays open.
const TRUST_REFRESH_MS: i32 = 60 * 60 * 1000;

/// What running an effect needs besides the effect.
struct Runner {
    dispatcher: UseReducerDispatcher<State>,
    camera: CameraShell,
    lookup_url: String,
    /// The host page's origin, when results may be posted to it.
    host: Option<(String, Rc<EmbedParams>)>,
}

/// Runs each effect in the state's outbox once, after the page is drawn
/// (so focus finds what was just rendered), then reports them taken. The
/// outbox is read from the state the page was drawn from: nothing is
/// copied on renders that bring no new effect.
#[hook]
pub(super) fn use_effects(
    state: &UseReducerHandle<State>,
    camera: &CameraShell,
    embed: &Rc<EmbedParams>,
    embed_target: Option<String>,
) {
    let taken = use_mut_ref(|| 0u64);
    let state = state.clone();
    let camera = camera.clone();
    let embed = Rc::clone(embed);
    use_effect_with(state.outbox.last(), move |_| {
        let runner = Runner {
            dispatcher: state.dispatcher(),
            camera,
            lookup_url: state
                .trust_data()
                .and_then(|d| d.config.as_ref())
                .map_or_else(|| "/v1/lookup".to_string(), |c| c.lookup_url.clone()),
            host: embed_target.map(|t| (t, embed)),
        };
        let from = *taken.borrow();
        for (n, effect) in state.outbox.after(from) {
            // Marked before it runs: an effect is never run twice.
            *taken.borrow_mut() = *n;
            runner.run(effect.clone());
        }
        let upto = *taken.borrow();
        if upto > from {
            runner.dispatcher.dispatch(Action::EffectsTaken { upto });
        }
    });
}

impl Runner {
    fn run(&self, effect: Effect) {
        let dispatcher = self.dispatcher.clone();
        match effect {
            Effect::RefreshTrust => spawn_local(load_trust(dispatcher)),
            Effect::Lookup { seq, request } => {
                let url = self.lookup_url.clone();
                spawn_local(async move {
                    let result = web::lookup(&url, &request).await.map(Rc::new);
                    dispatcher.dispatch(Action::LookupDone {
                        seq,
                        result,
                        now: web::now(),
                    });
                });
            }
            Effect::Record(result) => {
                if let Some((target, params)) = &self.host {
                    web::post_to_host(target, &VerdictMessage::of(&result, params));
                }
                let entry = RecordEntry::of(&result, web::now());
                spawn_local(async move {
                    match record_store::append(&entry).await {
                        Ok(n) => dispatcher.dispatch(Action::RecordCount(n)),
                        Err(e) => web_sys::console::warn_1(&e.into()),
                    }
                });
            }
            Effect::SaveRound(round) => crew::save(&LocalStorage, &round),
            Effect::SaveLang(lang) => prefs::save_lang(&LocalStorage, lang),
            Effect::SaveRecordDays(days) => prefs::save_record_days(&LocalStorage, days),
            Effect::PruneRecord(days) => spawn_local(async move {
                let keep_from = record::keep_from(web::now(), days);
                match record_store::prune(keep_from).await {
                    Ok(n) => dispatcher.dispatch(Action::RecordCount(n)),
                    Err(e) => web_sys::console::warn_1(&e.into()),
                }
            }),
            Effect::ClearRecord => spawn_local(async move {
                match record_store::clear().await {
                    Ok(()) => dispatcher.dispatch(Action::RecordCount(0)),
                    Err(e) => web_sys::console::warn_1(&e.into()),
                }
            }),
            Effect::ExportRecord => spawn_local(export_record()),
            Effect::Focus(focus) => web::move_focus(focus_selector(focus)),
            Effect::StartCamera { next_device } => self.camera.start(next_device),
            Effect::StopCamera => self.camera.stop(),
            Effect::SetTorch(lit) => self.camera.set_torch(lit),
        }
    }
}

/// Fetches the trust data (the saved copy if the network fails).
async fn load_trust(dispatcher: UseReducerDispatcher<State>) {
    let data = trust_data::load_with_saved(&WebFetch, &LocalStorage).await;
    dispatcher.dispatch(Action::TrustLoaded {
        data: Rc::new(data),
        now: web::now(),
    });
}

/// The record as a CSV download named by today's date.
async fn export_record() {
    let result = match record_store::all().await {
        Ok(entries) => {
            let day = yanzheng_core::Date::in_china_at(web::now());
            record_store::download(
                &format!("yanzheng-checks-{day}.csv"),
                "text/csv;charset=utf-8",
                &record::to_csv(&entries),
            )
        }
        Err(e) => Err(e),
    };
    if let Err(e) = result {
        web_sys::console::warn_1(&e.into());
    }
}

/// What the device remembered: the crew round in progress and how long
/// the record keeps a check.
#[hook]
pub(super) fn use_restore(state: &UseReducerHandle<State>) {
    let dispatcher = state.dispatcher();
    use_effect_with((), move |_| {
        dispatcher.dispatch(Action::Restored {
            round: crew::load(&LocalStorage, web::random_key()),
            record_days: prefs::load_record_days(&LocalStorage),
        });
    });
}

/// The page's height goes to the host page, so the frame fits it.
#[hook]
pub(super) fn use_frame_height(embed_target: Option<String>) {
    use_effect_with(embed_target, |target| {
        let observer = target.clone().and_then(|target| {
            web::observe_height(move |height| {
                web::post_to_host(&target, &ResizeMessage::new(height));
            })
        });
        move || drop(observer)
    });
}

/// The page being hidden (another app, a locked screen) or shown again.
#[hook]
pub(super) fn use_page_visibility(state: &UseReducerHandle<State>) {
    let dispatcher = state.dispatcher();
    use_effect_with((), move |_| {
        let document = web_sys::window().and_then(|w| w.document());
        let listener = document.as_ref().map(|document| {
            let doc = document.clone();
            let on_change = Closure::<dyn FnMut()>::new(move || {
                dispatcher.dispatch(Action::PageVisibility {
                    hidden: doc.hidden(),
                });
            });
            let _ = document.add_event_listener_with_callback(
                "visibilitychange",
                on_change.as_ref().unchecked_ref(),
            );
            on_change
        });
        move || {
            if let (Some(document), Some(listener)) = (document, listener) {
                let _ = document.remove_event_listener_with_callback(
                    "visibilitychange",
                    listener.as_ref().unchecked_ref(),
                );
            }
        }
    });
}

/// Trust data on start, then refreshed hourly while the page is open.
#[hook]
pub(super) fn use_trust_data(state: &UseReducerHandle<State>) {
    let dispatcher = state.dispatcher();
    use_effect_with((), move |_| {
        let refresh = move || spawn_local(load_trust(dispatcher.clone()));
        refresh();
        let hourly = Closure::<dyn FnMut()>::new(refresh);
        let timer = web_sys::window().and_then(|w| {
            w.set_interval_with_callback_and_timeout_and_arguments_0(
                hourly.as_ref().unchecked_ref(),
                TRUST_REFRESH_MS,
            )
            .ok()
        });
        move || {
            if let (Some(id), Some(w)) = (timer, web_sys::window()) {
                w.clear_interval_with_handle(id);
            }
            drop(hourly);
        }
    });
}

/// The user-timing marks bench-widget reads in every engine:
/// `yanzheng:interactive` once the page is drawn (the scan button works),
/// `yanzheng:trust-ready` once the lists are loaded (a scan gets a verdict).
#[hook]
pub(super) fn use_timing_marks(state: &UseReducerHandle<State>) {
    use_effect_with((), |_| web::mark("yanzheng:interactive"));
    let ready = matches!(state.trust, crate::state::TrustState::Ready { .. });
    use_effect_with(ready, |ready| {
        if *ready {
            web::mark("yanzheng:trust-ready");
        }
    });
}

/// Once the lists are loaded and the browser is idle, the decoder worker
/// starts and loads its wasm, so the first tap on scan (or the first photo)
/// does not wait for that download.
#[hook]
pub(super) fn use_idle_decoder(state: &UseReducerHandle<State>, camera: &CameraShell) {
    let ready = matches!(state.trust, crate::state::TrustState::Ready { .. });
    let decoder = camera.decoder.clone();
    use_effect_with(ready, move |ready| {
        if *ready {
            web::when_idle(move || decoder.warm());
        }
    });
}

/// The document's language follows the state's.
#[hook]
pub(super) fn use_document_lang(state: &UseReducerHandle<State>) {
    use_effect_with(state.lang, |lang| web::set_document_lang(lang.tag()));
}

/// Where focus goes: the element `focus` names.
fn focus_selector(focus: Focus) -> Option<&'static str> {
    match focus {
        Focus::None => None,
        Focus::Result => Some(".result-area [data-focus=\"headline\"]"),
        Focus::Lookup => Some(".lookup-answer [data-focus=\"headline\"]"),
        Focus::NumberField => Some("#lookup-number"),
        Focus::NameField => Some("#lookup-name"),
        Focus::PasteField => Some("#payload"),
        Focus::Camera => Some("[data-action=\"stop\"]"),
    }
}
