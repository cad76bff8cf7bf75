//! The browser side of [`crate::platform`]: `fetch`, `localStorage`, the
//! clock, and turning an image file into RGBA pixels.

use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap, RequestCache, RequestInit,
    Response,
};
use yanzheng_core::UnixTime;

use super::{Fetch, FetchError, Storage};
use crate::lookup;

pub mod camera;
pub mod decoder;
pub mod record_store;
use crate::scan::{fit_within, Rgba};

/// A readable message from a JavaScript error value.
pub fn js_error(e: &JsValue) -> String {
    if let Some(s) = e.as_string() {
        return s;
    }
    let field = |name: &str| {
        js_sys::Reflect::get(e, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_string())
            .filter(|s| !s.is_empty())
    };
    match (field("name"), field("message")) {
        (Some(n), Some(m)) => format!("{n}: {m}"),
        (None, Some(m)) => m,
        (Some(n), None) => n,
        (None, None) => "unknown error".into(),
    }
}

/// The clock, in whole seconds.
pub fn now() -> UnixTime {
    UnixTime((js_sys::Date::now() / 1000.0) as u64)
}

/// 32 random bytes from the browser's CSPRNG (`crypto.getRandomValues`).
/// Without one (a browser too old to run this page anyway) the bytes mix
/// the clock and `Math.random`: a crew round's key, not a secret that
/// outlives it.
pub fn random_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut key).ok())
        .is_some();
    if !filled {
        for (i, b) in key.iter_mut().enumerate() {
            *b = ((js_sys::Math::random() * 256.0) as u8)
                ^ (js_sys::Date::now() as u64 >> (i % 8)) as u8;
        }
    }
    key
}

/// Whether the page runs in WeChat's built-in browser (`MicroMessenger` in
/// the user agent, as www/main.js checks it too).
pub fn in_wechat() -> bool {
    web_sys::window()
        .and_then(|w| w.navigator().user_agent().ok())
        .is_some_and(|ua| ua.contains("MicroMessenger"))
}

/// Runs `f` once when the browser is idle (`requestIdleCallback`, at most
/// 2 s away), or after 500 ms where there is none (Safari).
pub fn when_idle(f: impl FnOnce() + 'static) {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback = Closure::once_into_js(f);
    let function: &js_sys::Function = callback.unchecked_ref();
    let has_idle = js_sys::Reflect::has(&window, &"requestIdleCallback".into()).unwrap_or(false);
    if has_idle {
        let options = web_sys::IdleRequestOptions::new();
        options.set_timeout(2_000);
        if window
            .request_idle_callback_with_options(function, &options)
            .is_ok()
        {
            return;
        }
    }
    // Without an idle callback, a little after the first screen.
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(function, 500);
}

/// A user-timing mark (`performance.mark`), for the benchmarks to read in
/// any engine.
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        // A measurement aid only: a failure changes nothing.
        let _ = p.mark(name);
    }
}

/// Sets `<html lang>`, so screen readers and fonts follow the language.
pub fn set_document_lang(tag: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        // Cosmetic: a failure leaves the previous language tag.
        let _ = root.set_attribute("lang", tag);
    }
}

/// Moves keyboard focus to the first element matching `selector` and
/// scrolls it to the middle of the viewport (clear of a sticky button).
pub fn move_focus(selector: Option<&str>) {
    use wasm_bindgen::JsCast;
    let Some(selector) = selector else {
        return;
    };
    let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    el.scroll_into_view_with_scroll_into_view_options(&options);
    // Focus moves without a second scroll; a failure leaves focus where it was.
    let _ = el.focus();
}

/// `window.fetch`, revalidating with the server each time (lists change,
/// and an HTTP cache must not hide a newer one).
pub struct WebFetch;

/// The largest photo file read (a phone photo is a few megabytes; a huge
/// file must not take the page's memory).
pub const MAX_IMAGE_FILE_BYTES: f64 = 40e6;

/// How long fetching one trust file may take before the saved copy is used.
pub const TRUST_FETCH_TIMEOUT_MS: i32 = 10_000;

/// The largest trust file accepted: a list of every issuer key in China is
/// a few kilobytes, the national revocation set about 300 KB
/// (docs/benchmarks.md), so 4 MiB leaves room to grow and still refuses
/// garbage.
pub const MAX_TRUST_FILE_BYTES: usize = 4 << 20;

impl Fetch for WebFetch {
    async fn bytes(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let window = web_sys::window().ok_or_else(|| FetchError::Network("no window".into()))?;
        let init = RequestInit::new();
        init.set_cache(RequestCache::NoCache);
        // A server or network that never answers must not keep the page on
        // "loading": after the timeout the saved copy is used.
        // The timer resolves with `undefined`, a fetch with a Response.
        let fetch = window.fetch_with_str_and_init(url, &init);
        let deadline = sleep(TRUST_FETCH_TIMEOUT_MS);
        let response = JsFuture::from(js_sys::Promise::race(&js_sys::Array::of2(
            &fetch, &deadline,
        )))
        .await
        .map_err(|e| FetchError::Network(js_error(&e)))?;
        if response.is_undefined() {
            return Err(FetchError::Network(format!(
                "no answer within {} s",
                TRUST_FETCH_TIMEOUT_MS / 1000
            )));
        }
        let response: Response = response
            .dyn_into()
            .map_err(|_| FetchError::Network("not a response".into()))?;
        if !response.ok() {
            return Err(FetchError::Status(response.status()));
        }
        let too_big =
            || FetchError::Body(format!("larger than {} KiB", MAX_TRUST_FILE_BYTES / 1024));
        let declared = response
            .headers()
            .get("content-length")
            .ok()
            .flatten()
            .and_then(|v| v.trim().parse::<usize>().ok());
        if declared.is_some_and(|n| n > MAX_TRUST_FILE_BYTES) {
            return Err(too_big());
        }
        let body = response
            .array_buffer()
            .map_err(|e| FetchError::Body(js_error(&e)))?;
        let body = JsFuture::from(body)
            .await
            .map_err(|e| FetchError::Body(js_error(&e)))?;
        let bytes = js_sys::Uint8Array::new(&body);
        if bytes.length() as usize > MAX_TRUST_FILE_BYTES {
            return Err(too_big());
        }
        Ok(bytes.to_vec())
    }
}

/// `window.localStorage`; silently absent where the browser refuses it
/// (private modes, sandboxed iframes).
pub struct LocalStorage;

impl LocalStorage {
    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }
}

impl Storage for LocalStorage {
    fn get(&self, key: &str) -> Option<String> {
        Self::storage()?.get_item(key).ok()?
    }

    fn set(&self, key: &str, value: &str) {
        if let Some(s) = Self::storage() {
            // A full or disabled storage only means the setting is not kept.
            let _ = s.set_item(key, value);
        }
    }
}

/// Decodes an image file (any format the browser reads) into RGBA pixels,
/// scaled so its longer side is at most `max_side`. Transparent areas
/// become white, as on paper.
pub async fn read_image(file: &Blob, max_side: u32) -> Result<Rgba, String> {
    if file.size() > MAX_IMAGE_FILE_BYTES {
        return Err(format!(
            "the file is {:.0} MB; photos up to {:.0} MB are read",
            file.size() / 1e6,
            MAX_IMAGE_FILE_BYTES / 1e6
        ));
    }
    let window = web_sys::window().ok_or("no window")?;
    // iPhones take HEIC photos; their picker hands over JPEG for
    // accept="image/*", but a HEIC file sent from elsewhere reaches
    // browsers that cannot read it: say what to do instead.
    let kind = file.type_().to_ascii_lowercase();
    let explain = move |e: &JsValue| {
        if kind.contains("heic") || kind.contains("heif") {
            format!(
                "a HEIC photo, which this browser cannot read: choose it from the photo \
                 library (it then comes as JPEG), take a screenshot of it, or set the camera \
                 to \"Most Compatible\" ({})",
                js_error(e)
            )
        } else {
            js_error(e)
        }
    };
    let promise = window
        .create_image_bitmap_with_blob(file)
        .map_err(|e| explain(&e))?;
    let bitmap: ImageBitmap = JsFuture::from(promise)
        .await
        .map_err(|e| explain(&e))?
        .dyn_into()
        .map_err(|_| "not an image bitmap")?;
    let (w, h) = fit_within(bitmap.width(), bitmap.height(), max_side);
    let pixels = draw(&window, &bitmap, w, h);
    bitmap.close();
    pixels
}

fn draw(window: &web_sys::Window, bitmap: &ImageBitmap, w: u32, h: u32) -> Result<Rgba, String> {
    if w == 0 || h == 0 {
        return Err("the image is empty".into());
    }
    let document = window.document().ok_or("no document")?;
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(|e| js_error(&e))?
        .dyn_into()
        .map_err(|_| "not a canvas")?;
    canvas.set_width(w);
    canvas.set_height(h);
    let options = js_sys::Object::new();
    // Best effort: the hint only speeds up getImageData.
    let _ = js_sys::Reflect::set(&options, &"willReadFrequently".into(), &JsValue::TRUE);
    let ctx: CanvasRenderingContext2d = canvas
        .get_context_with_context_options("2d", &options)
        .map_err(|e| js_error(&e))?
        .ok_or("no 2d canvas")?
        .dyn_into()
        .map_err(|_| "not a 2d context")?;
    let _ = js_sys::Reflect::set(&ctx, &"imageSmoothingQuality".into(), &"high".into());
    let (fw, fh) = (f64::from(w), f64::from(h));
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, fw, fh);
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(bitmap, 0.0, 0.0, fw, fh)
        .map_err(|e| js_error(&e))?;
    let data = ctx
        .get_image_data(0.0, 0.0, fw, fh)
        .map_err(|e| js_error(&e))?;
    Ok(Rgba {
        width: w,
        height: h,
        data: data.data().0,
    })
}

/// Resolves after `ms` milliseconds with `undefined`.
fn sleep(ms: i32) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    })
}

enum Attempt {
    Answer(u16, Vec<u8>),
    Network(String),
    Timeout,
}

async fn post_once(url: &str, body: &str, timeout_ms: i32) -> Attempt {
    let Some(window) = web_sys::window() else {
        return Attempt::Network("no window".into());
    };
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_cache(RequestCache::NoStore);
    let headers = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&headers, &"content-type".into(), &"application/json".into());
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(body));
    let fetch = window.fetch_with_str_and_init(url, &init);
    // Whichever settles first: the response, or the timer (undefined).
    let raced = js_sys::Promise::race(&js_sys::Array::of2(&fetch, &sleep(timeout_ms)));
    let response = match JsFuture::from(raced).await {
        Err(e) => return Attempt::Network(js_error(&e)),
        Ok(v) if v.is_undefined() => return Attempt::Timeout,
        Ok(v) => v,
    };
    let Ok(response) = response.dyn_into::<Response>() else {
        return Attempt::Network("not a response".into());
    };
    let status = response.status();
    let body = match response.array_buffer() {
        Ok(p) => JsFuture::from(p).await,
        Err(e) => Err(e),
    };
    match body {
        Ok(b) => Attempt::Answer(status, js_sys::Uint8Array::new(&b).to_vec()),
        Err(e) => Attempt::Network(js_error(&e)),
    }
}

/// The online lookup: `POST url` with the request as JSON (name and number
/// only in the body), [`lookup::TIMEOUT_MS`] per attempt, network errors,
/// timeouts, 429 and 5xx retried once after a second.
pub async fn lookup(
    url: &str,
    request: &lookup::LookupRequest,
) -> Result<lookup::LookupAnswer, lookup::LookupFailure> {
    use lookup::LookupFailure;
    let offline = || {
        web_sys::window()
            .map(|w| !w.navigator().on_line())
            .unwrap_or(false)
    };
    if offline() {
        return Err(LookupFailure::Offline);
    }
    let body = crate::platform::to_json(request).map_err(LookupFailure::Server)?;
    let mut failure = LookupFailure::Offline;
    for attempt in 0..lookup::ATTEMPTS {
        if attempt > 0 {
            let _ = JsFuture::from(sleep(1_000)).await;
        }
        failure = match post_once(url, &body, lookup::TIMEOUT_MS).await {
            Attempt::Answer(200, bytes) => {
                return crate::platform::parse_json::<lookup::LookupAnswer>(&bytes)
                    .map_err(|e| LookupFailure::Server(format!("unreadable answer: {e}")));
            }
            Attempt::Answer(status, _) if status == 429 || status >= 500 => {
                LookupFailure::Server(format!("HTTP {status}"))
            }
            Attempt::Answer(status, bytes) => {
                // A refusal with the registry's own code and words (for
                // example `number_check_digit`), else the bare status.
                return Err(
                    match crate::platform::parse_json::<lookup::ErrorBody>(&bytes) {
                        Ok(body) => LookupFailure::Refused {
                            code: body.error,
                            message: body.message,
                        },
                        Err(_) => LookupFailure::Server(format!("HTTP {status}")),
                    },
                );
            }
            Attempt::Network(_) if offline() => LookupFailure::Offline,
            Attempt::Network(e) => LookupFailure::Server(format!("network error: {e}")),
            Attempt::Timeout => LookupFailure::Timeout,
        };
    }
    Err(failure)
}

/// The page address's query (`?embed=1&host=…`), or empty.
pub fn page_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// The page's own address without query or fragment: the widget opened as a
/// full page.
pub fn page_url_without_query() -> Option<String> {
    let location = web_sys::window()?.location();
    Some(format!(
        "{}{}",
        location.origin().ok()?,
        location.pathname().ok()?
    ))
}

/// Posts `message` (serialized to a plain object) to the parent page, for
/// `target_origin` only: the browser drops it if the parent is another
/// origin.
pub fn post_to_host<T: serde::Serialize>(target_origin: &str, message: &T) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    if let Ok(value) = crate::platform::to_js(message) {
        // A closed or navigated parent is nobody to tell.
        let _ = parent.post_message(&value, target_origin);
    }
}

/// Calls `on_height` with the document's height now and whenever it
/// changes; the observer lives as long as the returned guard.
pub fn observe_height(on_height: impl Fn(f64) + 'static) -> Option<HeightObserver> {
    let document = web_sys::window()?.document()?;
    let root = document.document_element()?;
    let measure = {
        let root = root.clone();
        move || on_height(f64::from(root.scroll_height()))
    };
    measure();
    let callback = Closure::<dyn FnMut()>::new(measure);
    let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    observer.observe(&root);
    if let Some(body) = document.body() {
        observer.observe(&body);
    }
    Some(HeightObserver {
        observer,
        _callback: callback,
    })
}

/// Keeps a [`observe_height`] observer alive; disconnects it when dropped.
pub struct HeightObserver {
    observer: web_sys::ResizeObserver,
    _callback: Closure<dyn FnMut()>,
}

impl Drop for HeightObserver {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
