//! The narrow interfaces between the app and the browser, with in-memory
//! versions for tests. The browser versions live in `platform::web` (wasm32
//! only); nothing else in the crate touches `web-sys` except the app shell.

use core::fmt;
#[cfg(test)]
use std::cell::RefCell;
#[cfg(test)]
use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde::Serialize;

#[cfg(target_arch = "wasm32")]
pub mod web;

/// Why a fetch gave no body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// No response at all (offline, blocked, CORS).
    Network(String),
    /// A response with a status other than 2xx.
    Status(u16),
    /// The body could not be read.
    Body(String),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Network(e) => write!(f, "network error: {e}"),
            FetchError::Status(s) => write!(f, "HTTP {s}"),
            FetchError::Body(e) => write!(f, "could not read the response: {e}"),
        }
    }
}

/// Gets a resource's bytes by URL (relative URLs resolve against the page).
// The widget is single-threaded (wasm), so the futures need no `Send` bound.
#[allow(async_fn_in_trait)]
pub trait Fetch {
    /// The body of a successful response.
    async fn bytes(&self, url: &str) -> Result<Vec<u8>, FetchError>;
}

/// Small persistent settings (the browser's `localStorage`). Failures are
/// silent: a setting that cannot be stored is simply not remembered.
pub trait Storage {
    /// The stored value.
    fn get(&self, key: &str) -> Option<String>;
    /// Stores a value.
    fn set(&self, key: &str, value: &str);
}

/// A [`Fetch`] that serves fixed bodies by URL; anything else is a 404.
#[cfg(test)]
#[derive(Debug, Default)]
pub struct MemoryFetch {
    files: HashMap<String, Vec<u8>>,
}

#[cfg(test)]
impl MemoryFetch {
    /// Serves `body` at `url`.
    pub fn with(mut self, url: &str, body: impl Into<Vec<u8>>) -> Self {
        self.files.insert(url.into(), body.into());
        self
    }
}

#[cfg(test)]
impl Fetch for MemoryFetch {
    async fn bytes(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        self.files.get(url).cloned().ok_or(FetchError::Status(404))
    }
}

/// A [`Storage`] in memory.
#[cfg(test)]
#[derive(Debug, Default)]
pub struct MemoryStorage {
    values: RefCell<HashMap<String, String>>,
}

#[cfg(test)]
impl Storage for MemoryStorage {
    fn get(&self, key: &str) -> Option<String> {
        self.values.borrow().get(key).cloned()
    }

    fn set(&self, key: &str, value: &str) {
        self.values.borrow_mut().insert(key.into(), value.into());
    }
}

/// Parses JSON bytes: in the browser with `JSON.parse` (no JSON parser in
/// the wasm), natively with serde_json (tests only).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let text = core::str::from_utf8(bytes).map_err(|e| e.to_string())?;
    #[cfg(target_arch = "wasm32")]
    {
        let value = js_sys::JSON::parse(text)
            .map_err(|e| e.as_string().unwrap_or_else(|| "not JSON".into()))?;
        serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

/// A JavaScript value of `value`, maps (and flattened structs, which serde
/// writes as maps) as plain objects, as JSON has them.
#[cfg(target_arch = "wasm32")]
pub fn to_js<T: Serialize>(value: &T) -> Result<wasm_bindgen::JsValue, serde_wasm_bindgen::Error> {
    value.serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true))
}

/// Writes JSON: in the browser with `JSON.stringify`, natively with
/// serde_json (tests only).
pub fn to_json<T: Serialize>(value: &T) -> Result<String, String> {
    #[cfg(target_arch = "wasm32")]
    {
        let value = to_js(value).map_err(|e| e.to_string())?;
        js_sys::JSON::stringify(&value)
            .map(String::from)
            .map_err(|e| e.as_string().unwrap_or_else(|| "not JSON".into()))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::to_string(value).map_err(|e| e.to_string())
    }
}
