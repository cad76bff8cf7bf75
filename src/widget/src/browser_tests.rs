//! Tests that need a browser: the web platform code and the rendered DOM
//! contract (`data-verdict`, `data-state`, `data-trust`). The reducer's own
//! tests run here too (they are marked for both native and browser runs).

use std::rc::Rc;

use wasm_bindgen::{Clamped, JsCast};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Blob, CanvasRenderingContext2d, HtmlCanvasElement, ImageData};
use yanzheng_core::messages::Lang;
use yew::prelude::*;

use crate::platform::web::{read_image, LocalStorage, WebFetch};
use crate::platform::{Fetch, FetchError, Storage};
use crate::scan::{ImageOutcome, Rgba};
use crate::state::{Action, State};
use crate::test_support::{attr, block_on, mount, now, qr_rgba, Fixture};
use crate::view::{self, Handlers};
use crate::{prefs, trust_data};

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// Draws RGBA pixels enlarged by `zoom` onto a canvas and encodes them as PNG,
/// as a camera photo arrives: a file the browser must decode.
async fn png_of(rgba: &Rgba, zoom: u32) -> Blob {
    let canvas: HtmlCanvasElement = document()
        .create_element("canvas")
        .expect("canvas")
        .dyn_into()
        .expect("a canvas");
    canvas.set_width(rgba.width * zoom);
    canvas.set_height(rgba.height * zoom);
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .expect("context")
        .expect("2d")
        .dyn_into()
        .expect("a 2d context");
    let data =
        ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba.data), rgba.width, rgba.height)
            .expect("image data");
    let small: HtmlCanvasElement = document()
        .create_element("canvas")
        .expect("canvas")
        .dyn_into()
        .expect("a canvas");
    small.set_width(rgba.width);
    small.set_height(rgba.height);
    let small_ctx: CanvasRenderingContext2d = small
        .get_context("2d")
        .expect("context")
        .expect("2d")
        .dyn_into()
        .expect("a 2d context");
    small_ctx
        .put_image_data(&data, 0.0, 0.0)
        .expect("put pixels");
    ctx.set_image_smoothing_enabled(false);
    ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
        &small,
        0.0,
        0.0,
        f64::from(canvas.width()),
        f64::from(canvas.height()),
    )
    .expect("draw");
    let url = canvas.to_data_url().expect("data url");
    let response = JsFuture::from(web_sys::window().expect("window").fetch_with_str(&url))
        .await
        .expect("fetch data url");
    let response: web_sys::Response = response.dyn_into().expect("response");
    JsFuture::from(response.blob().expect("blob"))
        .await
        .expect("blob")
        .dyn_into()
        .expect("a blob")
}

#[wasm_bindgen_test]
async fn a_photo_is_decoded_downscaled_and_its_code_found() {
    let text = Fixture::new().valid_payload();
    let (width, height, data) = qr_rgba(&text);
    let code = Rgba {
        width,
        height,
        data,
    };
    // Large enough that reading must shrink it to the limit.
    let zoom = 2000 / width + 1;
    let blob = png_of(&code, zoom).await;
    let pixels = read_image(&blob, crate::scan::MAX_SIDE)
        .await
        .expect("the browser reads a PNG");
    assert_eq!(pixels.width.max(pixels.height), crate::scan::MAX_SIDE);
    // What the decoder worker then does with the pixels.
    assert_eq!(
        yanzheng_decoder::find_payload(pixels.width, pixels.height, &pixels.data),
        yanzheng_decoder::Outcome::Found { text }
    );
}

#[wasm_bindgen_test]
async fn a_file_that_is_not_an_image_is_an_error_not_a_crash() {
    let parts = js_sys::Array::of1(&"not an image".into());
    let blob = Blob::new_with_str_sequence(&parts).expect("blob");
    assert!(read_image(&blob, 1600).await.is_err());
}

#[wasm_bindgen_test]
async fn fetch_reports_http_errors() {
    let got = WebFetch.bytes("no-such-file-here").await;
    assert_eq!(got, Err(FetchError::Status(404)));
}

#[wasm_bindgen_test]
fn the_language_is_remembered_in_local_storage() {
    prefs::save_lang(&LocalStorage, Lang::En);
    assert_eq!(LocalStorage.get(prefs::LANG_KEY).as_deref(), Some("en"));
    assert_eq!(prefs::load_lang(&LocalStorage), Lang::En);
    prefs::save_lang(&LocalStorage, Lang::Zh);
    assert_eq!(prefs::load_lang(&LocalStorage), Lang::Zh);
}

#[derive(Properties, PartialEq)]
struct PageProps {
    state: Rc<State>,
}

#[function_component]
fn Page(props: &PageProps) -> Html {
    view::page(&props.state, &Handlers::default())
}

async fn render(state: State) -> web_sys::Element {
    mount::<Page>(PageProps {
        state: Rc::new(state),
    })
    .await
}

#[wasm_bindgen_test]
async fn the_page_composes_every_area_and_announces_the_verdict() {
    let fx = Fixture::new();
    let state = crate::test_support::checked_state(&fx, &fx.valid_payload());
    let root = render(state).await;
    for (selector, name, value) in [
        (".result-area", "data-state", "result"),
        ("[data-trust]", "data-trust", "ready"),
        ("[data-camera]", "data-camera", "off"),
        (".record", "data-record-count", "0"),
    ] {
        assert_eq!(
            attr(&root, selector, name).as_deref(),
            Some(value),
            "{selector}"
        );
    }
    let said = root
        .query_selector("[role=\"status\"]")
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    assert!(said.starts_with("证书有效"), "{said}");
    assert!(root
        .query_selector("#lookup-number")
        .ok()
        .flatten()
        .is_some());
}

#[wasm_bindgen_test]
async fn inside_wechat_the_photo_comes_first_with_the_way_to_the_live_camera() {
    // The order of the photo section and the camera area in the page.
    async fn order(in_wechat: bool) -> (bool, Option<String>) {
        let root = render(State {
            in_wechat,
            ..State::new(Lang::Zh)
        })
        .await;
        let photo_first = root
            .query_selector("section.scan ~ [data-camera]")
            .ok()
            .flatten()
            .is_some();
        let note = root
            .query_selector("[data-note=\"wechat\"]")
            .ok()
            .flatten()
            .and_then(|e| e.text_content());
        (photo_first, note)
    }
    let (photo_first, note) = order(true).await;
    assert!(
        photo_first,
        "in WeChat the photo section precedes the camera"
    );
    assert!(note.is_some_and(|n| n.contains("在浏览器打开")));
    let (photo_first, note) = order(false).await;
    assert!(!photo_first, "elsewhere the camera comes first");
    assert_eq!(note, None);
}

#[wasm_bindgen_test]
async fn no_code_has_no_verdict_and_missing_trust_data_is_explained() {
    let fx = Fixture::new();
    let fetch = crate::platform::MemoryFetch::default()
        .with("config.json", fx.config_json())
        .with("revocations", fx.revocations.clone());
    let state = State::new(Lang::Zh)
        .apply(Action::TrustLoaded {
            data: Rc::new(block_on(trust_data::load(&fetch))),
            now: now(),
        })
        .apply(Action::ImageChosen { scan: 1 })
        .apply(Action::ImageRead {
            scan: 1,
            outcome: ImageOutcome::NoCode,
            now: now(),
        });
    let root = render(state).await;
    assert_eq!(
        attr(&root, ".result-area", "data-state").as_deref(),
        Some("no_code")
    );
    assert!(root
        .query_selector("[data-verdict]")
        .ok()
        .flatten()
        .is_none());
    assert_eq!(
        attr(&root, "[data-trust]", "data-trust").as_deref(),
        Some("failed")
    );
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("照片中未找到二维码"), "{text}");
    assert!(text.contains("不代表证件是假的"), "{text}");
}

#[wasm_bindgen_test]
fn a_crash_replaces_the_app_with_a_reload_notice() {
    let root = document().create_element("div").expect("div");
    root.set_attribute(crate::app::ROOT_MARK, "").expect("mark");
    root.set_inner_html("<p>app</p>");
    document()
        .body()
        .expect("body")
        .append_child(&root)
        .expect("attach");
    crate::app::show_crash_notice();
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("请刷新") && text.contains("Reload"), "{text}");
    assert!(root
        .query_selector("[data-state=\"crashed\"]")
        .ok()
        .flatten()
        .is_some());
    root.remove();
}
