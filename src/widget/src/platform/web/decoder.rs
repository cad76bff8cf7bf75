//! Decoding off the page's thread. `www/decoder-worker.js` is a module
//! worker that loads the decoder's own wasm (`src/decoder`, built for speed
//! and fetched after the page's first screen) and calls its `decode_rgba`
//! for each frame; the page talks to it through [`Decoder`].
//!
//! rqrr can panic on some images, and a wasm panic aborts the instance. In
//! the worker that kills only the worker's instance: the worker reports the
//! crash, the page drops it and starts a fresh one for the next frame, and
//! scanning goes on. A browser without module workers cannot scan; it says
//! so, and pasting the text or looking up by number still work.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::{Closure, JsValue};
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

use super::js_error;
use crate::scan::{ImageOutcome, Rgba};

/// The worker script, relative to the page (same origin as the widget).
const WORKER_URL: &str = "./decoder-worker.js";

fn get_str(o: &JsValue, key: &str) -> Option<String> {
    Reflect::get(o, &key.into()).ok()?.as_string()
}

fn outcome_from_js(v: &JsValue) -> ImageOutcome {
    ImageOutcome::from_parts(
        get_str(v, ImageOutcome::KIND).as_deref(),
        get_str(v, ImageOutcome::VALUE),
    )
}

type Done = Box<dyn FnOnce(ImageOutcome)>;

#[derive(Default)]
struct Inner {
    worker: Option<Worker>,
    /// Requests sent and not answered, by id.
    pending: HashMap<u64, Done>,
    next_id: u64,
    /// How many times a worker was replaced (shown in the console only).
    restarts: u32,
    on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
    on_error: Option<Closure<dyn FnMut(JsValue)>>,
    /// Module workers are unavailable: nothing can be decoded.
    no_worker: bool,
}

/// The page's handle on the decoder worker. Cheap to clone.
#[derive(Clone, Default)]
pub struct Decoder {
    inner: Rc<RefCell<Inner>>,
}

impl Decoder {
    /// A decoder; the worker starts with [`Decoder::warm`] or the first frame.
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// Starts the worker (and so the loading of its wasm) now, so that it
    /// is ready by the time the first frame or photo is: called when the
    /// camera is asked for and when a photo is chosen.
    pub fn warm(&self) {
        let _ = self.worker();
    }

    /// Whether no frame is being decoded (the camera sends one at a time).
    pub fn idle(&self) -> bool {
        self.inner.borrow().pending.is_empty()
    }

    /// Decodes an image held in Rust memory (a photo).
    pub fn decode(&self, image: Rgba, done: impl FnOnce(ImageOutcome) + 'static) {
        let bytes = Uint8Array::from(image.data.as_slice());
        self.decode_buffer(image.width, image.height, bytes.buffer().into(), done);
    }

    /// Decodes RGBA bytes held in a JavaScript `ArrayBuffer` (a camera
    /// frame straight from `getImageData`), which is moved to the worker.
    pub fn decode_buffer(
        &self,
        width: u32,
        height: u32,
        buffer: JsValue,
        done: impl FnOnce(ImageOutcome) + 'static,
    ) {
        let Some(worker) = self.worker() else {
            done(ImageOutcome::Unreadable {
                detail: "this browser cannot run the QR decoder (no module workers); \
                         update it, or paste the code's text"
                    .into(),
            });
            return;
        };
        let id = {
            let mut inner = self.inner.borrow_mut();
            inner.next_id += 1;
            let id = inner.next_id;
            inner.pending.insert(id, Box::new(done));
            id
        };
        let message = Object::new();
        let _ = Reflect::set(&message, &"id".into(), &JsValue::from(id as f64));
        let _ = Reflect::set(&message, &"width".into(), &width.into());
        let _ = Reflect::set(&message, &"height".into(), &height.into());
        let _ = Reflect::set(&message, &"data".into(), &buffer);
        let transfer = js_sys::Array::of1(&buffer);
        if let Err(e) = worker.post_message_with_transfer(&message, &transfer) {
            self.fail_all(&format!("could not reach the decoder: {}", js_error(&e)));
        }
    }

    /// The running worker, started if needed.
    fn worker(&self) -> Option<Worker> {
        if let Some(w) = &self.inner.borrow().worker {
            return Some(w.clone());
        }
        if self.inner.borrow().no_worker {
            return None;
        }
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = match Worker::new_with_options(WORKER_URL, &options) {
            Ok(w) => w,
            Err(e) => {
                web_sys::console::warn_1(
                    &format!("decoder worker unavailable: {}", js_error(&e)).into(),
                );
                self.inner.borrow_mut().no_worker = true;
                return None;
            }
        };
        // One pair of handlers for every worker this decoder starts: a
        // handler is never dropped while it may be running.
        if self.inner.borrow().on_message.is_none() {
            let weak = Rc::downgrade(&self.inner);
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                if let Some(inner) = weak.upgrade() {
                    Decoder { inner }.answer(&e.data());
                }
            });
            let weak = Rc::downgrade(&self.inner);
            let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
                if let Some(inner) = weak.upgrade() {
                    Decoder { inner }.crashed(&js_error(&e));
                }
            });
            let mut inner = self.inner.borrow_mut();
            inner.on_message = Some(on_message);
            inner.on_error = Some(on_error);
        }
        let mut inner = self.inner.borrow_mut();
        if let Some(f) = &inner.on_message {
            worker.set_onmessage(Some(f.as_ref().unchecked_ref()));
        }
        if let Some(f) = &inner.on_error {
            worker.set_onerror(Some(f.as_ref().unchecked_ref()));
        }
        inner.worker = Some(worker.clone());
        Some(worker)
    }

    fn answer(&self, data: &JsValue) {
        let id = Reflect::get(data, &"id".into())
            .ok()
            .and_then(|v| v.as_f64())
            .map(|v| v as u64);
        if let Some(why) = get_str(data, "crashed") {
            self.crashed(&why);
            return;
        }
        let done = id.and_then(|id| self.inner.borrow_mut().pending.remove(&id));
        if let Some(done) = done {
            let outcome = Reflect::get(data, &"outcome".into()).unwrap_or(JsValue::UNDEFINED);
            done(outcome_from_js(&outcome));
        }
    }

    /// The worker's instance died (a decoder panic) or the worker failed:
    /// drop it; the next frame starts a fresh one.
    fn crashed(&self, why: &str) {
        {
            let mut inner = self.inner.borrow_mut();
            if let Some(w) = inner.worker.take() {
                w.terminate();
            }
            inner.restarts += 1;
            web_sys::console::warn_1(
                &format!("decoder restarted ({}): {why}", inner.restarts).into(),
            );
        }
        self.fail_all(&format!("the decoder stopped on this image: {why}"));
    }

    fn fail_all(&self, detail: &str) {
        let pending: Vec<Done> = {
            let mut inner = self.inner.borrow_mut();
            inner.pending.drain().map(|(_, d)| d).collect()
        };
        for done in pending {
            done(ImageOutcome::Unreadable {
                detail: detail.to_string(),
            });
        }
    }
}
