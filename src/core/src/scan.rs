//! What reading an image gave. The decoder worker (its own wasm module)
//! reports it to the page as a plain JS object, `{kind, text | detail}`;
//! both sides take the names from here.

/// What an image held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageOutcome {
    /// A QR code; its text (lossily decoded if it was not UTF-8, which the
    /// verifier then reports as not a certificate).
    Found {
        /// The code's content.
        text: String,
    },
    /// No readable QR code.
    NoCode,
    /// The image itself could not be used.
    Unreadable {
        /// Why, for people (not translated: it is a technical detail).
        detail: String,
    },
}

impl ImageOutcome {
    /// The JS object's member that holds [`ImageOutcome::kind`].
    pub const KIND: &'static str = "kind";
    /// The member that holds the text or the detail ([`ImageOutcome::value`]).
    pub const VALUE: &'static str = "value";

    /// `found`, `none` or `unreadable`.
    pub fn kind(&self) -> &'static str {
        match self {
            ImageOutcome::Found { .. } => "found",
            ImageOutcome::NoCode => "none",
            ImageOutcome::Unreadable { .. } => "unreadable",
        }
    }

    /// The text found, or why the image could not be used.
    pub fn value(&self) -> Option<&str> {
        match self {
            ImageOutcome::Found { text } => Some(text),
            ImageOutcome::NoCode => None,
            ImageOutcome::Unreadable { detail } => Some(detail),
        }
    }

    /// Back from the two members; anything else is an unusable answer.
    pub fn from_parts(kind: Option<&str>, value: Option<String>) -> ImageOutcome {
        match (kind, value) {
            (Some("found"), Some(text)) => ImageOutcome::Found { text },
            (Some("found" | "none"), _) => ImageOutcome::NoCode,
            (Some("unreadable"), Some(detail)) => ImageOutcome::Unreadable { detail },
            _ => ImageOutcome::Unreadable {
                detail: "the decoder gave no answer".into(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_round_trip() {
        for o in [
            ImageOutcome::Found {
                text: "YZ1:x".into(),
            },
            ImageOutcome::NoCode,
            ImageOutcome::Unreadable {
                detail: "bad size".into(),
            },
        ] {
            let back = ImageOutcome::from_parts(Some(o.kind()), o.value().map(String::from));
            assert_eq!(back, o);
        }
        assert!(matches!(
            ImageOutcome::from_parts(None, None),
            ImageOutcome::Unreadable { .. }
        ));
    }
}
