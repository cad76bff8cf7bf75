//! The app shell: turns browser events into [`Action`](crate::state::Action)s
//! and runs the [`Effect`](crate::state::Effect)s the state asks for
//! (fetching, storage, the camera, focus). It decides nothing;
//! [`State::apply`] and core do.

mod camera_shell;
mod effects;
mod handlers;

use wasm_bindgen::prelude::*;
use web_sys::Element;
use yew::prelude::*;

use crate::embed::EmbedParams;
use crate::platform::web::{self, LocalStorage};
use crate::prefs;
use crate::state::State;
use crate::view;

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
    // Embedded in a host page? (embed.js puts the host's origin in the
    // address; results go there only if config.json allows it.)
    let embed = use_memo((), |_| EmbedParams::from_query(&web::page_query()));
    let state = {
        let lang = embed.lang;
        use_reducer_eq(move || State {
            in_wechat: web::in_wechat(),
            ..State::new(lang.unwrap_or_else(|| prefs::load_lang(&LocalStorage)))
        })
    };
    let embed_target: Option<String> = state
        .trust_data()
        .and_then(|d| d.config.as_ref())
        .and_then(|c| embed.target(&c.embed_origins))
        .map(str::to_string);
    let video = use_node_ref();
    let camera = camera_shell::use_camera_shell(&state, &video);
    effects::use_effects(&state, &camera, &embed, embed_target.clone());
    effects::use_frame_height(embed_target);
    effects::use_restore(&state);
    effects::use_page_visibility(&state);
    effects::use_trust_data(&state);
    effects::use_document_lang(&state);
    effects::use_timing_marks(&state);
    effects::use_idle_decoder(&state, &camera);
    let handlers = handlers::use_handlers(&state, &embed, &camera, video);
    view::page(&state, &handlers)
}
