//! The app shell: turns browser events into [`Action`]s and runs the effects
//! (loading trust data, reading images, remembering the language). It
//! decides nothing; [`State::apply`] and core do.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};
use yanzheng_core::messages::Lang;
use yew::prelude::*;

use crate::platform::web::{self, LocalStorage, WebFetch};
use crate::scan::{self, ImageOutcome};
use crate::state::{Action, State};
use crate::view::{self, Handlers};
use crate::{prefs, trust_data};

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

#[function_component(App)]
fn app() -> Html {
    let state = use_reducer(|| State::new(prefs::load_lang(&LocalStorage)));
    let scans = use_mut_ref(|| 0u64);
    let paste_field = use_node_ref();

    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            spawn_local(async move {
                let data = trust_data::load(&WebFetch).await;
                dispatcher.dispatch(Action::TrustLoaded {
                    data: Rc::new(data),
                    now: web::now(),
                });
            });
        });
    }
    use_effect_with(state.lang, |lang| web::set_document_lang(lang.tag()));

    let on_file = {
        let dispatcher = state.dispatcher();
        let scans = Rc::clone(&scans);
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            // Let the same photo be chosen again (a change event needs a change).
            input.set_value("");
            let scan = {
                let mut n = scans.borrow_mut();
                *n += 1;
                *n
            };
            dispatcher.dispatch(Action::ImageChosen { scan });
            let dispatcher = dispatcher.clone();
            spawn_local(async move {
                let outcome = match web::read_image(&file, scan::MAX_SIDE).await {
                    Ok(pixels) => scan::find_payload(&pixels),
                    Err(detail) => ImageOutcome::Unreadable { detail },
                };
                dispatcher.dispatch(Action::ImageRead {
                    scan,
                    outcome,
                    now: web::now(),
                });
            });
        })
    };

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

    let handlers = Handlers {
        on_file,
        on_paste,
        on_lang,
        paste_field,
    };
    view::page(&state, &handlers)
}
