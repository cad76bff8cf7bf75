//! The page's event callbacks, by area: image input (file, clipboard),
//! paste and language, camera buttons, the lookup form, the result and crew
//! buttons, and the inspection record. Each turns an event into an
//! [`Action`] or starts the shell's part of it.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yanzheng_core::messages::Lang;
use yew::prelude::*;

use super::camera_shell::CameraShell;
use crate::embed::EmbedParams;
use crate::platform::web;
use crate::scan::{self, ImageOutcome};
use crate::state::{Action, State};
use crate::view::Handlers;

/// Every callback and element reference the page needs.
#[hook]
pub(super) fn use_handlers(
    state: &UseReducerHandle<State>,
    embed: &Rc<EmbedParams>,
    camera: &CameraShell,
    video: NodeRef,
) -> Handlers {
    let paste_field = use_node_ref();
    let on_file = use_image_input(state, camera);
    let (on_paste, on_lang) = paste_and_lang(state, &paste_field);
    let (on_scan, on_stop, on_switch, on_torch) = camera_buttons(state);
    let (on_lookup, on_check_online, lookup_number, lookup_name) = use_lookup_form(state);
    let (on_toggle_number, on_crew, on_end_round) = result_and_crew_buttons(state);
    let (on_export_record, on_clear_record, on_record_days) = record_buttons(state);
    Handlers {
        full_page_url: embed
            .host
            .as_ref()
            .and_then(|_| web::page_url_without_query()),
        on_file,
        on_paste,
        on_lang,
        paste_field,
        on_scan,
        on_stop,
        on_torch,
        on_switch,
        on_check_online,
        on_toggle_number,
        on_crew,
        on_end_round,
        on_export_record,
        on_clear_record,
        on_record_days,
        on_lookup,
        lookup_number,
        lookup_name,
        video,
    }
}

/// A photo from the file input or the clipboard, decoded in the worker.
#[hook]
fn use_image_input(state: &UseReducerHandle<State>, camera: &CameraShell) -> Callback<Event> {
    let scans = use_mut_ref(|| 0u64);
    let scan_image: Rc<dyn Fn(web_sys::File)> = {
        let dispatcher = state.dispatcher();
        let scans = Rc::clone(&scans);
        let camera = camera.clone();
        Rc::new(move |file: web_sys::File| {
            let scan = {
                let mut n = scans.borrow_mut();
                *n += 1;
                *n
            };
            dispatcher.dispatch(Action::ImageChosen { scan });
            let dispatcher = dispatcher.clone();
            let decoder = camera.decoder.clone();
            spawn_local(async move {
                let done = move |outcome| {
                    dispatcher.dispatch(Action::ImageRead {
                        scan,
                        outcome,
                        now: web::now(),
                    });
                };
                match web::read_image(&file, scan::MAX_SIDE).await {
                    Ok(pixels) => decoder.decode(pixels, done),
                    Err(detail) => done(ImageOutcome::Unreadable { detail }),
                }
            });
        })
    };
    let on_file = {
        let scan_image = Rc::clone(&scan_image);
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            // Let the same photo be chosen again (a change event needs a change).
            input.set_value("");
            scan_image(file);
        })
    };
    {
        // Paste an image anywhere on the page (a screenshot of an
        // e-certificate, say). Text pastes are left to the text field.
        let scan_image = Rc::clone(&scan_image);
        use_effect_with((), move |_| {
            let document = web_sys::window().and_then(|w| w.document());
            let listener = document.as_ref().map(|document| {
                let on_paste = Closure::<dyn FnMut(web_sys::ClipboardEvent)>::new(
                    move |e: web_sys::ClipboardEvent| {
                        if let Some(file) = e.clipboard_data().and_then(|d| pasted_image(&d)) {
                            e.prevent_default();
                            scan_image(file);
                        }
                    },
                );
                let _ = document
                    .add_event_listener_with_callback("paste", on_paste.as_ref().unchecked_ref());
                on_paste
            });
            move || {
                if let (Some(document), Some(listener)) = (document, listener) {
                    let _ = document.remove_event_listener_with_callback(
                        "paste",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }

    on_file
}

fn paste_and_lang(
    state: &UseReducerHandle<State>,
    paste_field: &NodeRef,
) -> (Callback<SubmitEvent>, Callback<MouseEvent>) {
    let on_paste = {
        let dispatcher = state.dispatcher();
        let field = paste_field.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(area) = field.cast::<HtmlTextAreaElement>() {
                dispatcher.dispatch(Action::PayloadEntered {
                    text: area.value(),
                    now: web::now(),
                });
            }
        })
    };

    let on_lang = {
        let lang = match state.lang {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        };
        dispatch(state, move || Action::SetLang(lang))
    };

    (on_paste, on_lang)
}

/// A callback that dispatches what `action` makes, whatever the event.
fn dispatch<E: 'static>(
    state: &UseReducerHandle<State>,
    action: impl Fn() -> Action + 'static,
) -> Callback<E> {
    let dispatcher = state.dispatcher();
    Callback::from(move |_: E| dispatcher.dispatch(action()))
}

#[allow(clippy::type_complexity)]
fn camera_buttons(
    state: &UseReducerHandle<State>,
) -> (
    Callback<MouseEvent>,
    Callback<MouseEvent>,
    Callback<MouseEvent>,
    Callback<MouseEvent>,
) {
    (
        dispatch(state, || Action::CameraStart),
        dispatch(state, || Action::CameraStop),
        dispatch(state, || Action::CameraSwitch),
        dispatch(state, || Action::TorchToggle),
    )
}

#[hook]
fn use_lookup_form(
    state: &UseReducerHandle<State>,
) -> (
    Callback<SubmitEvent>,
    Callback<MouseEvent>,
    NodeRef,
    NodeRef,
) {
    let lookup_number = use_node_ref();
    let lookup_name = use_node_ref();
    let on_lookup = {
        let dispatcher = state.dispatcher();
        let (number, name) = (lookup_number.clone(), lookup_name.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            dispatcher.dispatch(Action::LookupTyped {
                number: value(&number),
                name: value(&name),
            });
        })
    };
    // "Check live status" on a result: the number and name the QR code
    // carries go to the registry (in the POST body, as typed ones do).
    let on_check_online = dispatch(state, || Action::LookupScanned);
    (on_lookup, on_check_online, lookup_number, lookup_name)
}

fn result_and_crew_buttons(
    state: &UseReducerHandle<State>,
) -> (
    Callback<MouseEvent>,
    Callback<MouseEvent>,
    Callback<MouseEvent>,
) {
    let crew_on = state.crew.on;
    (
        dispatch(state, || Action::ToggleNumber),
        dispatch(state, move || Action::CrewMode(!crew_on)),
        dispatch(state, || Action::EndRound {
            next_key: web::random_key(),
        }),
    )
}

fn record_buttons(
    state: &UseReducerHandle<State>,
) -> (Callback<MouseEvent>, Callback<MouseEvent>, Callback<Event>) {
    let on_export_record = dispatch(state, || Action::ExportRecord);
    let on_clear_record = {
        let dispatcher = state.dispatcher();
        let question = crate::text::t(state.lang, crate::text::Msg::RecordClearConfirm);
        Callback::from(move |_: MouseEvent| {
            let sure = web_sys::window()
                .and_then(|w| w.confirm_with_message(question).ok())
                .unwrap_or(false);
            if sure {
                dispatcher.dispatch(Action::ClearRecord);
            }
        })
    };
    let on_record_days = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: Event| {
            let days = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .and_then(|s| s.value().parse::<u32>().ok());
            if let Some(days) = days {
                dispatcher.dispatch(Action::RecordDaysChosen(days));
            }
        })
    };
    (on_export_record, on_clear_record, on_record_days)
}

/// The first image file on the clipboard, if any.
fn pasted_image(data: &web_sys::DataTransfer) -> Option<web_sys::File> {
    let files = data.files()?;
    (0..files.length())
        .filter_map(|i| files.get(i))
        .find(|f| f.type_().starts_with("image/"))
}
