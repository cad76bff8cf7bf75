//! The camera: `getUserMedia` (back camera preferred, never required),
//! frames drawn to a canvas at a bounded rate and handed to the
//! [`Decoder`] one at a time, torch and camera switching, and releasing the
//! camera. What a failure means for the person is [`crate::camera`]'s.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, MediaDeviceInfo,
    MediaDeviceKind, MediaStream, MediaStreamConstraints, MediaStreamTrack, MediaStreamTrackState,
};

use super::decoder::Decoder;
use super::js_error;
use crate::camera::{CameraError, FRAME_INTERVAL_MS, MAX_FRAME_SIDE};
use crate::scan::{fit_within, ImageOutcome};

/// What the running camera can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CameraInfo {
    /// The track reports a torch.
    pub torch: bool,
    /// Video inputs on the device.
    pub cameras: usize,
}

#[derive(Default)]
struct Inner {
    stream: Option<MediaStream>,
    video: Option<HtmlVideoElement>,
    timer: Option<i32>,
    tick: Option<Closure<dyn FnMut()>>,
    canvas: Option<(HtmlCanvasElement, CanvasRenderingContext2d)>,
    /// Video input ids, once known; `device` indexes it after a switch.
    devices: Vec<String>,
    device: Option<usize>,
    /// Bumped by every start and stop: work for an older session is dropped.
    session: u64,
}

/// Runs the camera and feeds its frames to a decoder. Cheap to clone.
#[derive(Clone, Default)]
pub struct CameraScanner {
    inner: Rc<RefCell<Inner>>,
}

fn set(o: &Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(o, &key.into(), value);
}

fn dom_name(e: &JsValue) -> String {
    Reflect::get(e, &"name".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

impl CameraScanner {
    /// A scanner with the camera off.
    pub fn new() -> CameraScanner {
        CameraScanner::default()
    }

    /// Whether a stream is open.
    pub fn running(&self) -> bool {
        self.inner.borrow().stream.is_some()
    }

    /// Opens the camera into `video` and starts decoding frames; `on_code`
    /// gets every code found until [`CameraScanner::stop`] (the caller
    /// decides when it has what it wants).
    /// `Ok(None)`: stopped or restarted while the permission prompt was up.
    /// `on_ended` is called (after the camera has been released) if the
    /// camera stops by itself: its track ended.
    pub async fn start(
        &self,
        video: HtmlVideoElement,
        decoder: Decoder,
        on_code: Rc<dyn Fn(String)>,
        on_ended: Rc<dyn Fn()>,
    ) -> Result<Option<CameraInfo>, CameraError> {
        self.stop();
        let session = {
            let mut inner = self.inner.borrow_mut();
            inner.session += 1;
            inner.session
        };
        let device = {
            let inner = self.inner.borrow();
            inner.device.and_then(|i| inner.devices.get(i).cloned())
        };
        let stream = open(device.as_deref()).await?;
        if self.inner.borrow().session != session {
            // Stopped (or restarted) while the permission prompt was up.
            stop_stream(&stream);
            return Ok(None);
        }
        let devices = video_inputs().await;
        if self.inner.borrow().session != session {
            stop_stream(&stream);
            return Ok(None);
        }
        video.set_muted(true);
        let _ = video.set_attribute("playsinline", "");
        video.set_src_object(Some(&stream));
        if let Ok(p) = video.play() {
            // Autoplay of a muted inline video is allowed; a refusal only
            // means the first frames come later.
            wasm_bindgen_futures::spawn_local(async move {
                let _ = JsFuture::from(p).await;
            });
        }
        let torch = first_track(&stream).is_some_and(|t| has_torch(&t));
        let cameras = devices.len().max(1);
        {
            let mut inner = self.inner.borrow_mut();
            if inner.devices.is_empty() {
                inner.devices = devices;
            }
            inner.stream = Some(stream);
            inner.video = Some(video);
        }
        self.start_ticking(session, decoder, on_code, on_ended);
        Ok(Some(CameraInfo { torch, cameras }))
    }

    fn start_ticking(
        &self,
        session: u64,
        decoder: Decoder,
        on_code: Rc<dyn Fn(String)>,
        on_ended: Rc<dyn Fn()>,
    ) {
        let this = self.clone();
        let tick = Closure::<dyn FnMut()>::new(move || {
            if this.ended(session) {
                this.stop();
                on_ended();
                return;
            }
            this.tick(session, &decoder, &on_code);
        });
        let Some(window) = web_sys::window() else {
            return;
        };
        let id = window
            .set_interval_with_callback_and_timeout_and_arguments_0(
                tick.as_ref().unchecked_ref(),
                FRAME_INTERVAL_MS,
            )
            .ok();
        let mut inner = self.inner.borrow_mut();
        inner.timer = id;
        inner.tick = Some(tick);
    }

    /// Whether this session's camera stopped by itself: its video track
    /// ended (checked on every tick rather than by the `ended` event, which
    /// some browsers do not fire for every way a camera goes away).
    fn ended(&self, session: u64) -> bool {
        let inner = self.inner.borrow();
        inner.session == session
            && inner
                .stream
                .as_ref()
                .and_then(first_track)
                .is_none_or(|t| t.ready_state() == MediaStreamTrackState::Ended)
    }

    /// One timer tick: if the decoder is free, send it the current frame.
    fn tick(&self, session: u64, decoder: &Decoder, on_code: &Rc<dyn Fn(String)>) {
        if !decoder.idle() || self.inner.borrow().session != session {
            return;
        }
        let Some((w, h, buffer)) = self.grab() else {
            return;
        };
        let this = self.clone();
        let on_code = Rc::clone(on_code);
        decoder.decode_buffer(w, h, buffer, move |outcome| {
            // A decoder crash or an empty frame: keep scanning.
            // A result for a session since stopped is dropped.
            if let ImageOutcome::Found { text } = outcome {
                if this.inner.borrow().session == session && this.running() {
                    on_code(text);
                }
            }
        });
    }

    /// The current video frame as RGBA bytes in a JavaScript buffer.
    fn grab(&self) -> Option<(u32, u32, JsValue)> {
        let mut inner = self.inner.borrow_mut();
        let video = inner.video.clone()?;
        // HAVE_CURRENT_DATA: a frame can be drawn.
        if video.ready_state() < 2 || video.video_width() == 0 || video.video_height() == 0 {
            return None;
        }
        let (w, h) = fit_within(video.video_width(), video.video_height(), MAX_FRAME_SIDE);
        if inner.canvas.is_none() {
            inner.canvas = new_canvas();
        }
        let (canvas, ctx) = inner.canvas.as_ref()?;
        if canvas.width() != w || canvas.height() != h {
            canvas.set_width(w);
            canvas.set_height(h);
        }
        let (fw, fh) = (f64::from(w), f64::from(h));
        ctx.draw_image_with_html_video_element_and_dw_and_dh(&video, 0.0, 0.0, fw, fh)
            .ok()?;
        let data = ctx.get_image_data(0.0, 0.0, fw, fh).ok()?;
        // The pixels stay in JavaScript and move to the worker uncopied.
        let pixels = Reflect::get(&data, &"data".into()).ok()?;
        let buffer = Reflect::get(&pixels, &"buffer".into()).ok()?;
        Some((w, h, buffer))
    }

    /// Stops decoding and releases the camera (its light goes off).
    pub fn stop(&self) {
        let mut inner = self.inner.borrow_mut();
        inner.session += 1;
        if let (Some(id), Some(window)) = (inner.timer.take(), web_sys::window()) {
            window.clear_interval_with_handle(id);
        }
        // The tick closure may be running (it stops an ended camera):
        // keep it until the next start replaces it.
        if let Some(stream) = inner.stream.take() {
            stop_stream(&stream);
        }
        if let Some(video) = &inner.video {
            video.set_src_object(None);
        }
    }

    /// Switches the torch; false if the track refused.
    pub async fn set_torch(&self, on: bool) -> bool {
        let track = {
            let inner = self.inner.borrow();
            inner.stream.as_ref().and_then(first_track)
        };
        let Some(track) = track else {
            return false;
        };
        let advanced = Object::new();
        set(&advanced, "torch", &JsValue::from_bool(on));
        let constraints = Object::new();
        set(&constraints, "advanced", &Array::of1(&advanced));
        let Some(apply) = Reflect::get(&track, &"applyConstraints".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
        else {
            return false;
        };
        match apply.call1(&track, &constraints) {
            Ok(p) => JsFuture::from(js_sys::Promise::from(p)).await.is_ok(),
            Err(_) => false,
        }
    }

    /// Chooses the next camera for the following start.
    pub fn next_device(&self) {
        let mut inner = self.inner.borrow_mut();
        let n = inner.devices.len();
        if n > 1 {
            inner.device = Some(inner.device.map_or(1, |i| (i + 1) % n));
        }
    }
}

/// `getUserMedia` with the back camera as a preference (`ideal`, not
/// `exact`); on `OverconstrainedError` once more with no constraints.
async fn open(device: Option<&str>) -> Result<MediaStream, CameraError> {
    let window = web_sys::window().ok_or(CameraError::Unsupported)?;
    let navigator = window.navigator();
    // Undefined outside secure contexts and in old browsers.
    let has_devices = Reflect::get(&navigator, &"mediaDevices".into())
        .map(|v| !v.is_undefined() && !v.is_null())
        .unwrap_or(false);
    if !has_devices {
        return Err(CameraError::Unsupported);
    }
    let devices = navigator
        .media_devices()
        .map_err(|_| CameraError::Unsupported)?;
    let video = Object::new();
    match device {
        Some(id) => {
            let exact = Object::new();
            set(&exact, "exact", &id.into());
            set(&video, "deviceId", &exact);
        }
        None => {
            let facing = Object::new();
            set(&facing, "ideal", &"environment".into());
            set(&video, "facingMode", &facing);
        }
    }
    let ideal = |n: u32| {
        let o = Object::new();
        set(&o, "ideal", &n.into());
        o
    };
    set(&video, "width", &ideal(1280));
    set(&video, "height", &ideal(720));
    let ask = |video: &JsValue| {
        let c = MediaStreamConstraints::new();
        c.set_audio(&JsValue::FALSE);
        c.set_video(video);
        devices.get_user_media_with_constraints(&c)
    };
    let first = match ask(&video) {
        Ok(p) => JsFuture::from(p).await,
        Err(e) => Err(e),
    };
    let result = match first {
        Err(e) if CameraError::retry_unconstrained(&dom_name(&e)) => match ask(&JsValue::TRUE) {
            Ok(p) => JsFuture::from(p).await,
            Err(e) => Err(e),
        },
        other => other,
    };
    let stream = result.map_err(|e| CameraError::from_dom_name(&dom_name(&e), &js_error(&e)))?;
    stream
        .dyn_into::<MediaStream>()
        .map_err(|_| CameraError::Other("not a media stream".into()))
}

fn stop_stream(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
            track.stop();
        }
    }
}

fn first_track(stream: &MediaStream) -> Option<MediaStreamTrack> {
    stream.get_video_tracks().get(0).dyn_into().ok()
}

/// `track.getCapabilities().torch` (not in every browser, hence by name).
fn has_torch(track: &MediaStreamTrack) -> bool {
    Reflect::get(track, &"getCapabilities".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| f.call0(track).ok())
        .and_then(|caps| Reflect::get(&caps, &"torch".into()).ok())
        .is_some_and(|torch| torch.is_truthy())
}

/// The device's video inputs (ids may be empty before permission).
async fn video_inputs() -> Vec<String> {
    let Some(devices) = web_sys::window().and_then(|w| w.navigator().media_devices().ok()) else {
        return Vec::new();
    };
    let Ok(promise) = devices.enumerate_devices() else {
        return Vec::new();
    };
    let Ok(list) = JsFuture::from(promise).await else {
        return Vec::new();
    };
    Array::from(&list)
        .iter()
        .filter_map(|d| d.dyn_into::<MediaDeviceInfo>().ok())
        .filter(|d| d.kind() == MediaDeviceKind::Videoinput)
        .map(|d| d.device_id())
        .collect()
}

fn new_canvas() -> Option<(HtmlCanvasElement, CanvasRenderingContext2d)> {
    let document = web_sys::window()?.document()?;
    let canvas: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    let options = Object::new();
    set(&options, "willReadFrequently", &JsValue::TRUE);
    let ctx: CanvasRenderingContext2d = canvas
        .get_context_with_context_options("2d", &options)
        .ok()??
        .dyn_into()
        .ok()?;
    Some((canvas, ctx))
}
