//! The shell's effects, one hook each: the inspection record and the host
//! page, the crew round, the camera and page visibility, the trust data,
//! focus and language, and the follow-ups the state asks for.

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
use crate::state::{Action, Focus, Followup, ScanState, State};
use crate::{prefs, trust_data};

/// How often the trust data is fetched again while the page stays open.
const TRUST_REFRESH_MS: i32 = 60 * 60 * 1000;

/// Each new check goes into the device's inspection record, and to the host
/// page if one may have it.
#[hook]
pub(super) fn use_record_and_host(
    state: &UseReducerHandle<State>,
    embed: &Rc<EmbedParams>,
    embed_target: Option<String>,
) {
    let target = embed_target.clone();
    let params = (**embed).clone();
    let scan = state.scan.clone();
    let dispatcher = state.dispatcher();
    use_effect_with(state.checks, move |_| {
        if let ScanState::Done(result) = scan {
            if let Some(target) = &target {
                web::post_to_host(target, &VerdictMessage::of(&result, &params));
            }
            let entry = RecordEntry::of(&result, web::now());
            spawn_local(async move {
                match record_store::append(&entry).await {
                    Ok(n) => dispatcher.dispatch(Action::RecordCount(n)),
                    Err(e) => web_sys::console::warn_1(&e.into()),
                }
            });
        }
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

/// The crew round in progress and the inspection record's retention.
#[hook]
pub(super) fn use_round_and_record(state: &UseReducerHandle<State>) {
    {
        // The round in progress, and the record: checks older than its
        // retention period are deleted, then it is counted.
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            dispatcher.dispatch(Action::RoundLoaded(crew::load(
                &LocalStorage,
                web::random_key(),
            )));
            let days = prefs::load_record_days(&LocalStorage);
            dispatcher.dispatch(Action::RecordDays(days));
            prune_record(dispatcher, days);
        });
    }
    {
        // Saved when an entry is added or the round ends, not on every frame
        // that sees the same card again (only its sighting time changes).
        let round = state.round.clone();
        use_effect_with(state.round.entries.len(), move |_| {
            crew::save(&LocalStorage, &round)
        });
    }
}

/// The camera is released whenever the page is hidden (another app, a
/// locked screen) and taken back when it is shown again.
#[hook]
pub(super) fn use_camera_follows_visibility(camera: &CameraShell) {
    let camera = camera.clone();
    use_effect_with((), move |_| {
        let document = web_sys::window().and_then(|w| w.document());
        let listener = document.as_ref().map(|document| {
            let doc = document.clone();
            let on_change = Closure::<dyn FnMut()>::new(move || {
                camera.visibility_changed(doc.hidden());
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

/// Trust data on start (the saved copy if the network fails), then
/// refreshed hourly while the page is open.
#[hook]
pub(super) fn use_trust_data(state: &UseReducerHandle<State>) {
    let dispatcher = state.dispatcher();
    use_effect_with((), move |_| {
        let refresh = move || {
            let dispatcher = dispatcher.clone();
            spawn_local(async move {
                let data = trust_data::load_with_saved(&WebFetch, &LocalStorage).await;
                dispatcher.dispatch(Action::TrustLoaded {
                    data: Rc::new(data),
                    now: web::now(),
                });
            });
        };
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

/// The document's language, and focus on whatever appeared last.
#[hook]
pub(super) fn use_lang_and_focus(state: &UseReducerHandle<State>) {
    use_effect_with(state.lang, |lang| web::set_document_lang(lang.tag()));
    {
        // Whatever appeared last takes focus and is scrolled into view (a
        // new verdict can otherwise be drawn above the viewport).
        let focus = state.focus;
        use_effect_with(state.focus_seq, move |_| {
            web::move_focus(focus_selector(focus))
        });
    }
}

/// The effects the state asks for: a trust refresh (a scan named an
/// unknown key) or a registry lookup.
#[hook]
pub(super) fn use_followups(state: &UseReducerHandle<State>) {
    let dispatcher = state.dispatcher();
    let followup = state.followup.clone();
    let lookup_url = state
        .trust_data()
        .and_then(|d| d.config.as_ref())
        .map_or_else(|| "/v1/lookup".to_string(), |c| c.lookup_url.clone());
    use_effect_with(state.followup_seq, move |&seq| match followup {
        Followup::None => {}
        Followup::RefreshTrust => spawn_local(async move {
            let data = trust_data::load_with_saved(&WebFetch, &LocalStorage).await;
            dispatcher.dispatch(Action::TrustLoaded {
                data: Rc::new(data),
                now: web::now(),
            });
        }),
        Followup::Lookup(request) => spawn_local(async move {
            let result = web::lookup(&lookup_url, &request).await.map(Rc::new);
            dispatcher.dispatch(Action::LookupDone {
                seq,
                result,
                now: web::now(),
            });
        }),
    });
}

/// Deletes the record's checks older than `days` and counts what is left.
pub(super) fn prune_record(dispatcher: yew::UseReducerDispatcher<State>, days: u32) {
    spawn_local(async move {
        let keep_from = record::keep_from(web::now(), days);
        match record_store::prune(keep_from).await {
            Ok(n) => dispatcher.dispatch(Action::RecordCount(n)),
            Err(e) => web_sys::console::warn_1(&e.into()),
        }
    });
}

/// Where focus goes: the element `focus` names.
pub(super) fn focus_selector(focus: Focus) -> Option<&'static str> {
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
