//! The app shell: turns browser events into [`Action`]s and runs the effects
//! (loading trust data, reading images, remembering the language). It
//! decides nothing; [`State::apply`] and core do.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement, HtmlVideoElement};
use yanzheng_core::messages::Lang;
use yew::prelude::*;

use crate::camera::CameraError;
use crate::crew;
use crate::embed::{EmbedParams, ResizeMessage, VerdictMessage};
use crate::platform::web::camera::CameraScanner;
use crate::platform::web::decoder::Decoder;
use crate::platform::web::record_store;
use crate::platform::web::{self, LocalStorage, WebFetch};
use crate::record::{self, RecordEntry};
use crate::scan::{self, ImageOutcome};
use crate::state::{Action, CameraState, Focus, Followup, ScanState, State};
use crate::view::{self, Handlers};
use crate::{prefs, trust_data};

/// How often the trust data is fetched again while the page stays open.
const TRUST_REFRESH_MS: i32 = 60 * 60 * 1000;

/// The attribute that marks the element the app is mounted in.
pub(crate) const ROOT_MARK: &str = "data-yanzheng-root";

/// Mounts the page into `root`. Called by `index.html` after `init()`; not a
/// wasm start function, so the same module can later be loaded by a worker
/// or an embedding script without drawing a page.
#[wasm_bindgen]
pub fn start(root: Element) {
    install_panic_notice();
    // Only the panic notice uses the mark; without it the notice goes to <body>.
    let _ = root.set_attribute(ROOT_MARK, "");
    yew::Renderer::<App>::with_root(root).render();
}

/// A panic aborts the wasm instance (`panic = "abort"`), after which the page
/// would silently stop responding. Say so instead, in both languages.
fn install_panic_notice() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
        show_crash_notice();
    }));
}

/// Replaces the app (or the body) with a "reload" notice.
pub(crate) fn show_crash_notice() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let target = document
        .query_selector(&format!("[{ROOT_MARK}]"))
        .ok()
        .flatten()
        .or_else(|| document.body().map(Into::into));
    if let Some(el) = target {
        el.set_inner_html(
            "<main class=\"page\"><section class=\"notice tone-unknown\" data-state=\"crashed\">\
             <div class=\"verdict-head\"><h2>页面出错，请刷新后重试。</h2></div>\
             <p lang=\"en\">Something went wrong. Reload the page and try again.</p>\
             </section></main>",
        );
    }
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

/// The shell's camera handles, shared by the callbacks.
#[derive(Clone)]
struct CameraShell {
    scanner: CameraScanner,
    decoder: Decoder,
    video: NodeRef,
    dispatcher: UseReducerDispatcher<State>,
    /// The person wants the camera on (it may be paused while hidden).
    wanted: Rc<Cell<bool>>,
    /// Stopped because the page was hidden: restart when visible.
    paused: Rc<Cell<bool>>,
    /// Crew mode: codes do not stop the camera.
    crew: Rc<Cell<bool>>,
}

impl CameraShell {
    fn start(&self) {
        let Some(video) = self.video.cast::<HtmlVideoElement>() else {
            return;
        };
        self.wanted.set(true);
        self.paused.set(false);
        self.dispatcher.dispatch(Action::CameraStarting);
        let this = self.clone();
        spawn_local(async move {
            let on_code: Rc<dyn Fn(String) -> bool> = {
                let this = this.clone();
                Rc::new(move |text| {
                    let keep_going = this.crew.get();
                    if !keep_going {
                        this.wanted.set(false);
                    }
                    this.dispatcher.dispatch(Action::CodeScanned {
                        text,
                        now: web::now(),
                    });
                    keep_going
                })
            };
            let on_ended: Rc<dyn Fn()> = {
                let this = this.clone();
                Rc::new(move || {
                    this.wanted.set(false);
                    this.dispatcher
                        .dispatch(Action::CameraFailed(CameraError::Ended));
                })
            };
            match this
                .scanner
                .start(video, this.decoder.clone(), on_code, on_ended)
                .await
            {
                Ok(Some(info)) => this.dispatcher.dispatch(Action::CameraOn {
                    torch_supported: info.torch,
                    cameras: info.cameras,
                }),
                Ok(None) => {}
                Err(e) => {
                    this.wanted.set(false);
                    this.dispatcher.dispatch(Action::CameraFailed(e));
                }
            }
        });
    }

    fn stop(&self) {
        self.wanted.set(false);
        self.paused.set(false);
        self.scanner.stop();
        self.dispatcher.dispatch(Action::CameraStopped);
    }

    /// The page was hidden or shown: release the camera, or take it back.
    fn visibility_changed(&self, hidden: bool) {
        if hidden && self.wanted.get() && !self.paused.get() {
            self.paused.set(true);
            self.scanner.stop();
            self.dispatcher.dispatch(Action::CameraPaused);
        } else if !hidden && self.paused.get() {
            self.start();
        }
    }
}

/// Deletes the record's checks older than `days` and counts what is left.
fn prune_record(dispatcher: yew::UseReducerDispatcher<State>, days: u32) {
    spawn_local(async move {
        let keep_from = record::keep_from(web::now(), days);
        match record_store::prune(keep_from).await {
            Ok(n) => dispatcher.dispatch(Action::RecordCount(n)),
            Err(e) => web_sys::console::warn_1(&e.into()),
        }
    });
}

#[function_component(App)]
fn app() -> Html {
    // Embedded in a host page? (embed.js puts the host's origin in the
    // address; results go there only if config.json allows it.)
    let embed = use_memo((), |_| EmbedParams::from_query(&web::page_query()));
    let state = {
        let lang = embed.lang;
        use_reducer_eq(move || State::new(lang.unwrap_or_else(|| prefs::load_lang(&LocalStorage))))
    };
    let embed_target: Option<String> = state
        .trust_data()
        .and_then(|d| d.config.as_ref())
        .and_then(|c| embed.target(&c.embed_origins))
        .map(str::to_string);
    {
        // Each new check goes into the device's inspection record, and to
        // the host page if one may have it.
        let target = embed_target.clone();
        let params = (*embed).clone();
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
    {
        // ...and the page's height, so the frame fits it.
        use_effect_with(embed_target.clone(), |target| {
            let observer = target.clone().and_then(|target| {
                web::observe_height(move |height| {
                    web::post_to_host(&target, &ResizeMessage::new(height));
                })
            });
            move || drop(observer)
        });
    }
    let scans = use_mut_ref(|| 0u64);
    let paste_field = use_node_ref();
    let video = use_node_ref();
    let camera = {
        let scanner = use_memo((), |_| CameraScanner::new());
        let decoder = use_memo((), |_| Decoder::new());
        CameraShell {
            scanner: (*scanner).clone(),
            decoder: (*decoder).clone(),
            video: video.clone(),
            dispatcher: state.dispatcher(),
            wanted: use_memo((), |_| Cell::new(false)),
            paused: use_memo((), |_| Cell::new(false)),
            crew: use_memo((), |_| Cell::new(false)),
        }
    };
    {
        let crew = Rc::clone(&camera.crew);
        use_effect_with(state.crew_on, move |on| crew.set(*on));
    }
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
    {
        // The camera is released whenever the page is hidden (another app,
        // a locked screen) and taken back when it is shown again.
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

    {
        // Trust data on start (the saved copy if the network fails), then
        // refreshed hourly while the page is open.
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
    use_effect_with(state.lang, |lang| web::set_document_lang(lang.tag()));
    {
        // Whatever appeared last takes focus and is scrolled into view (a
        // new verdict can otherwise be drawn above the viewport).
        let focus = state.focus;
        use_effect_with(state.focus_seq, move |_| {
            web::move_focus(focus_selector(focus))
        });
    }

    // A photo from the file input or the clipboard: decoded in the worker.
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
            if camera.wanted.get() || camera.scanner.running() {
                camera.stop();
            }
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
        let dispatcher = state.dispatcher();
        let lang = match state.lang {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        };
        Callback::from(move |_: MouseEvent| {
            prefs::save_lang(&LocalStorage, lang);
            dispatcher.dispatch(Action::SetLang(lang));
        })
    };

    let on_scan = {
        let camera = camera.clone();
        Callback::from(move |_: MouseEvent| camera.start())
    };
    let on_stop = {
        let camera = camera.clone();
        Callback::from(move |_: MouseEvent| camera.stop())
    };
    let on_switch = {
        let camera = camera.clone();
        Callback::from(move |_: MouseEvent| {
            camera.scanner.next_device();
            camera.start();
        })
    };
    let on_torch = {
        let camera = camera.clone();
        let lit = matches!(
            state.camera,
            CameraState::On {
                torch: Some(true),
                ..
            }
        );
        Callback::from(move |_: MouseEvent| {
            let camera = camera.clone();
            spawn_local(async move {
                if camera.scanner.set_torch(!lit).await {
                    camera.dispatcher.dispatch(Action::TorchSet(!lit));
                }
            });
        })
    };

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
    let on_check_online = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::LookupScanned))
    };
    {
        // The effects the state asks for: a trust refresh (a scan named an
        // unknown key) or a registry lookup.
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

    let on_toggle_number = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::ToggleNumber))
    };
    let on_crew = {
        let dispatcher = state.dispatcher();
        let on = state.crew_on;
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::CrewMode(!on)))
    };
    let on_end_round = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            dispatcher.dispatch(Action::EndRound {
                next_key: web::random_key(),
            })
        })
    };
    let on_export_record = Callback::from(move |_: MouseEvent| {
        spawn_local(async move {
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
        });
    });
    let on_clear_record = {
        let dispatcher = state.dispatcher();
        let question = crate::text::t(state.lang, crate::text::Msg::RecordClearConfirm);
        Callback::from(move |_: MouseEvent| {
            let sure = web_sys::window()
                .and_then(|w| w.confirm_with_message(question).ok())
                .unwrap_or(false);
            if !sure {
                return;
            }
            let dispatcher = dispatcher.clone();
            spawn_local(async move {
                match record_store::clear().await {
                    Ok(()) => dispatcher.dispatch(Action::RecordCount(0)),
                    Err(e) => web_sys::console::warn_1(&e.into()),
                }
            });
        })
    };
    let on_record_days = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: Event| {
            let days = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .and_then(|s| s.value().parse::<u32>().ok())
                .filter(|d| prefs::RECORD_DAYS_CHOICES.contains(d));
            if let Some(days) = days {
                prefs::save_record_days(&LocalStorage, days);
                dispatcher.dispatch(Action::RecordDays(days));
                prune_record(dispatcher.clone(), days);
            }
        })
    };
    let handlers = Handlers {
        on_crew,
        on_end_round,
        on_export_record,
        on_clear_record,
        on_record_days,
        full_page_url: embed
            .host
            .as_ref()
            .and_then(|_| web::page_url_without_query()),
        on_toggle_number,
        on_lookup,
        on_check_online,
        lookup_number,
        lookup_name,
        on_file,
        on_paste,
        on_lang,
        paste_field,
        on_scan,
        on_stop,
        on_torch,
        on_switch,
        video,
    };
    view::page(&state, &handlers)
}

/// The first image file on the clipboard, if any.
fn pasted_image(data: &web_sys::DataTransfer) -> Option<web_sys::File> {
    let files = data.files()?;
    (0..files.length())
        .filter_map(|i| files.get(i))
        .find(|f| f.type_().starts_with("image/"))
}
