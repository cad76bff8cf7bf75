//! # yanzheng-widget
//!
//! The verification page of yanzheng (验证), a Yew app compiled to
//! WebAssembly. It decides nothing itself: every verdict comes from
//! [`yanzheng_core::verify`] and every verdict's words from
//! [`yanzheng_core::messages::explain`].
//!
//! ## Design
//! The app is a pure reducer with a thin browser shell around it, so almost
//! everything is testable natively (`cargo test -p yanzheng-widget`) and the
//! rest in a browser (`wasm-bindgen-test`). The crate exposes one thing,
//! `start` (on wasm32); everything else is private to it.
//!
//! - `state`: `State` + `Action` → new state, and what the shell must do
//!   next as data (`Effect`s in an outbox). One sub-state and reducer per
//!   area, each in its own file with its tests: result (`scan`), `camera`,
//!   `lookup`, `crew` and the record. Verification happens here, with the
//!   clock passed in by the action.
//! - `view`: one component per area (`ResultArea`, `ManualEntry`,
//!   `CameraArea`, `RecordPanel`, `TrustBanner`), each given only its part
//!   of the state and its own callbacks; render tests per component.
//! - `app` (wasm32): the shell. `fn app` is composition; `app::effects`
//!   runs each effect once after the page is drawn and turns the world
//!   (page visibility, the hourly refresh, what the device remembered) into
//!   actions; `app::camera_shell` opens and releases the camera when told;
//!   `app::handlers` turns events into actions, by area.
//! - `trust_data`: fetch `config.json`, then the root-signed trust list and
//!   revocation list, and load them with core. Generic over
//!   `platform::Fetch`.
//! - `scan`: the decode outcome (core's) and the downscaling rule for large
//!   photos.
//! - `config`, `prefs`, `text`, `base64`: the deployment file, remembered
//!   settings, the page's own words (UI chrome only: verdict words are
//!   core's), and the text encoding of saved lists.
//! - `platform`: the narrow interfaces to the browser (`Fetch`, `Storage`)
//!   with in-memory versions for tests; the web implementations exist only
//!   on wasm32.
//! - `camera`: what a camera failure means and how often frames are taken;
//!   the browser side is `platform::web::camera`.
//!
//! Decoding runs in a module worker (`www/decoder-worker.js`) on the
//! decoder's own wasm (`src/decoder`, fetched after the first screen, when
//! the browser is idle or at the first scan): rqrr can panic on some images and a wasm panic aborts the
//! instance, which then is only the worker's; the page replaces the worker
//! and scanning goes on. The page's own panic hook (a "reload" notice)
//! remains for anything else.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
// The shell that uses the modules exists only on wasm32; native builds of
// the widget are for its tests. Dead code is checked on wasm32.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

mod base64;
mod camera;
mod config;
mod crew;
mod embed;
mod lookup;
mod platform;
mod prefs;
mod record;
mod scan;
mod state;
mod text;
mod trust_data;
mod view;

#[cfg(target_arch = "wasm32")]
mod app;

#[cfg(target_arch = "wasm32")]
pub use app::start;

#[cfg(test)]
mod test_support;

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;

#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
