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
//! rest in a browser (`wasm-bindgen-test`).
//!
//! - [`state`]: [`state::State`] + [`state::Action`] → new state, one reducer
//!   per area (trust, scan, camera, lookup, result and record). Verification
//!   happens here, with the clock passed in by the action.
//! - [`trust_data`]: fetch `config.json`, then the root-signed trust list and
//!   revocation list, and load them with core. Generic over
//!   [`platform::Fetch`].
//! - [`scan`]: RGBA pixels → QR text (via core's decoder), and the
//!   downscaling rule for large photos.
//! - [`config`], [`prefs`], [`text`], [`base64`]: the deployment file,
//!   remembered settings (language), the page's own words, and the text
//!   encoding of saved lists.
//! - [`view`]: renders a [`state::State`]; no effects.
//! - [`platform`]: the narrow interfaces to the browser ([`platform::Fetch`],
//!   [`platform::Storage`]) with in-memory versions for tests; the web
//!   implementations, image reading and the app shell that wires events to
//!   actions exist only on `wasm32`. The shell (`app`) is composition: one
//!   hook per effect (`app::effects`: record and host page, crew round, page
//!   visibility, trust data, focus, follow-ups), the camera handles
//!   (`app::camera_shell`) and the callbacks by area (`app::handlers`).
//!
//! - [`camera`]: what a camera failure means and how often frames are taken;
//!   the browser side is `platform::web::camera`.
//!
//! Decoding runs in a module worker (`www/decoder-worker.js`) on the
//! decoder's own wasm (`src/decoder`, fetched only when something is
//! scanned): rqrr can panic on some images and a wasm panic aborts the
//! instance, which then is only the worker's; the page replaces the worker
//! and scanning goes on. The page's own panic hook (a "reload" notice)
//! remains for anything else.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod base64;
pub mod camera;
pub mod config;
pub mod crew;
pub mod embed;
pub mod lookup;
pub mod platform;
pub mod prefs;
pub mod record;
pub mod scan;
pub mod state;
pub mod text;
pub mod trust_data;
pub mod view;

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
