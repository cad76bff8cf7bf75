//! The camera's rules that do not need a browser: how a `getUserMedia`
//! failure is classified for the person holding the phone, and how often and
//! how large frames are taken. The browser side is `platform::web::camera`.

/// Why the camera could not be used. Each has its own explanation and
/// always points to the other two ways in (photo and typed entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CameraError {
    /// The person or the browser's settings refused access
    /// (`NotAllowedError`, `SecurityError`).
    Denied,
    /// No camera, or none that fits (`NotFoundError`, `OverconstrainedError`
    /// after the unconstrained retry).
    NotFound,
    /// Another app holds the camera or it failed to start
    /// (`NotReadableError`, `AbortError`).
    Busy,
    /// This browser or page cannot use a camera (no `mediaDevices`: an old
    /// browser or a page not served over HTTPS).
    Unsupported,
    /// The camera ran and then stopped: unplugged, taken by another app,
    /// or switched off by the system (its track ended).
    Ended,
    /// Anything else; the browser's words are kept as a detail.
    Other(String),
}

impl CameraError {
    /// Classifies a `DOMException` by its `name`.
    pub fn from_dom_name(name: &str, detail: &str) -> CameraError {
        match name {
            "NotAllowedError" | "SecurityError" | "PermissionDeniedError" => CameraError::Denied,
            "NotFoundError" | "OverconstrainedError" | "DevicesNotFoundError" => {
                CameraError::NotFound
            }
            "NotReadableError" | "AbortError" | "TrackStartError" => CameraError::Busy,
            _ => CameraError::Other(if detail.is_empty() {
                name.to_string()
            } else {
                detail.to_string()
            }),
        }
    }

    /// The value of the camera area's `data-camera-error` attribute.
    pub fn code(&self) -> &'static str {
        match self {
            CameraError::Denied => "denied",
            CameraError::NotFound => "not_found",
            CameraError::Busy => "busy",
            CameraError::Unsupported => "unsupported",
            CameraError::Ended => "ended",
            CameraError::Other(_) => "other",
        }
    }

    /// Whether asking again with no constraints may succeed: a desktop
    /// without a back camera rejects a strict facing mode.
    pub fn retry_unconstrained(dom_name: &str) -> bool {
        dom_name == "OverconstrainedError"
    }
}

/// Shortest time between two frames sent to the decoder. Decoding is the
/// bottleneck; at most one frame is in flight, so this only caps the rate
/// on fast devices (and keeps a phone cool).
pub const FRAME_INTERVAL_MS: i32 = 100;

/// Longest side a camera frame is scaled down to before decoding. A card
/// held at reading distance keeps several pixels per module at this size.
pub const MAX_FRAME_SIDE: u32 = 1280;

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn dom_errors_map_to_what_the_person_can_do() {
        assert_eq!(
            CameraError::from_dom_name("NotAllowedError", ""),
            CameraError::Denied
        );
        assert_eq!(
            CameraError::from_dom_name("NotFoundError", ""),
            CameraError::NotFound
        );
        assert_eq!(
            CameraError::from_dom_name("OverconstrainedError", ""),
            CameraError::NotFound
        );
        assert_eq!(
            CameraError::from_dom_name("NotReadableError", "busy"),
            CameraError::Busy
        );
        assert_eq!(
            CameraError::from_dom_name("TypeError", "bad constraints"),
            CameraError::Other("bad constraints".into())
        );
        assert!(CameraError::retry_unconstrained("OverconstrainedError"));
        assert!(!CameraError::retry_unconstrained("NotAllowedError"));
        assert_eq!(CameraError::Denied.code(), "denied");
    }
}
