//! The page's event callbacks, by area: image input (file, clipboard),
//! paste and language, camera buttons, the lookup form, the result and crew
//! buttons, and the inspection record. Each turns an event into an
//! [`Action`] or starts the shell's part of it.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::camera_shell::CameraShell;
use crate::embed::EmbedParams;
use crate::platform::web;
use crate::scan::{self, ImageOutcome};
use crate::state::{Action, State};
use crate::view::{
    CameraHandlers, Handlers, LookupHandlers, PageHandlers, RecordHandlers, ResultHandlers,
};

/// Every callback and element reference the page needs, by area.
#[hook]
pub(super) fn use_handlers(
    state: &UseReducerHandle<State>,
    embed: &Rc<EmbedParams>,
    camera: &CameraShell,
    video: NodeRef,
) -> Handlers {
    let page = use_page_handlers(state, embed, camera);
    let lookup = use_lookup_form(state);
    let crew_on = state.crew.on;
    Handlers {
        page,
        camera: CameraHandlers {
            video,
            on_scan: dispatch(state, || Action::CameraStart),
            on_stop: dispatch(state, || Action::CameraStop),
            on_torch: dispatch(state, || Action::TorchToggle),
            on_switch: dispatch(state, || Action::CameraSwitch),
            on_crew: dispatch(state, move || Action::CrewMode(!crew_on)),
            on_end_round: dispatch(state, || Action::EndRound {
                next_key: web::random_key(),
            }),
        },
        result: ResultHandlers {
            // "Check live status": the number and name the QR code carries
            // go to the registry (in the POST body, as typed ones do).
            on_check_online: dispatch(state, || Action::LookupScanned),
            on_toggle_number: dispatch(state, || Action::ToggleNumber),
        },
        lookup,
        record: record_handlers(state),
    }
}

/// A callback that dispatches what `action` makes, whatever the event.
fn dispatch<E: 'static>(
    state: &UseReducerHandle<State>,
    action: impl Fn() -> Action + 'static,
) -> Callback<E> {
    let dispatcher = state.dispatcher();
    Callback::from(move |_: E| dispatcher.dispatch(action()))
}

/// Photo, paste and language.
#[hook]
fn use_page_handlers(
    state: &UseReducerHandle<State>,
    embed: &Rc<EmbedParams>,
    camera: &CameraShell,
) -> PageHandlers {
    let paste_field = use_node_ref();
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
    let other = state.lang.other();
    PageHandlers {
        full_page_url: embed
            .host
            .as_ref()
            .and_then(|_| web::page_url_without_query()),
        on_file: use_image_input(state, camera),
        on_paste,
        on_lang: dispatch(state, move || Action::SetLang(other)),
        paste_field,
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
            // The decoder loads while the photo is read.
            decoder.warm();
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

/// The manual-entry form.
#[hook]
fn use_lookup_form(state: &UseReducerHandle<State>) -> LookupHandlers {
    let number = use_node_ref();
    let name = use_node_ref();
    let on_lookup = {
        let dispatcher = state.dispatcher();
        let (number, name) = (number.clone(), name.clone());
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
    LookupHandlers {
        on_lookup,
        number,
        name,
    }
}

/// Export, clear (after a confirmation) and retention of the record.
fn record_handlers(state: &UseReducerHandle<State>) -> RecordHandlers {
    let on_clear = {
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
    let on_days = {
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
    RecordHandlers {
        on_export: dispatch(state, || Action::ExportRecord),
        on_clear,
        on_days,
    }
}

/// The first image file on the clipboard, if any.
fn pasted_image(data: &web_sys::DataTransfer) -> Option<web_sys::File> {
    let files = data.files()?;
    (0..files.length())
        .filter_map(|i| files.get(i))
        .find(|f| f.type_().starts_with("image/"))
}
