//! The deployment file `config.json`, fetched from the page's own origin.
//!
//! The root public key comes only from this file: trust lists and
//! revocation lists may be served from anywhere (a CDN), because they are
//! checked against this key.

use core::fmt;

use serde::Deserialize;
use yanzheng_core::crypto::{from_hex, KeyError};
use yanzheng_core::PublicKey;

/// Where the page finds its configuration, relative to the page.
pub const CONFIG_URL: &str = "config.json";

/// What `config.json` holds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Config {
    /// The root key that signs trust and revocation lists, 64 hex digits.
    pub root_public_key: String,
    /// The signed trust list (relative to the page, or absolute).
    #[serde(default = "default_trust_list_url")]
    pub trust_list_url: String,
    /// The signed revocation list.
    #[serde(default = "default_revocations_url")]
    pub revocations_url: String,
    /// The registry's online lookup (used by the full widget).
    #[serde(default = "default_lookup_url")]
    pub lookup_url: String,
    /// When the deployment moves to a new root key: the current root's
    /// signed statement naming the new one (hex of the COSE bytes,
    /// `yanzheng keys endorse-root`). A device that has pinned the current
    /// root moves to the new one only with it.
    #[serde(default)]
    pub root_transition: Option<String>,
    /// Exact origins of pages that may embed the widget; the only ones it
    /// posts results to (the server fills this from its own list, which is
    /// also its `frame-ancestors`).
    #[serde(default)]
    pub embed_origins: Vec<String>,
}

fn default_trust_list_url() -> String {
    "trust-list".into()
}

fn default_revocations_url() -> String {
    "revocations".into()
}

fn default_lookup_url() -> String {
    "/v1/lookup".into()
}

/// Why the configured root key is unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootKeyError {
    /// Not hex.
    NotHex,
    /// Hex, but not an acceptable Ed25519 key.
    Key(KeyError),
}

impl fmt::Display for RootKeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RootKeyError::NotHex => f.write_str("root_public_key is not hex"),
            RootKeyError::Key(e) => write!(f, "root_public_key: {e}"),
        }
    }
}

impl Config {
    /// A config with the default list locations.
    #[cfg(test)]
    pub fn with_root(root_public_key_hex: &str) -> Config {
        Config {
            root_public_key: root_public_key_hex.into(),
            trust_list_url: default_trust_list_url(),
            revocations_url: default_revocations_url(),
            lookup_url: default_lookup_url(),
            root_transition: None,
            embed_origins: Vec::new(),
        }
    }

    /// The root key, checked by core (canonical, not weak).
    pub fn root_key(&self) -> Result<PublicKey, RootKeyError> {
        let bytes = from_hex(&self.root_public_key).ok_or(RootKeyError::NotHex)?;
        PublicKey::from_bytes(&bytes).map_err(RootKeyError::Key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::parse_json;
    use yanzheng_core::crypto::to_hex;
    use yanzheng_core::SecretKey;

    // JSON is parsed differently in the browser (JSON.parse): run both.
    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn parses_the_documented_shape_and_fills_defaults() {
        let key = to_hex(&SecretKey::from_seed(&[1; 32]).public().to_bytes());
        let json = format!(
            r#"{{"root_public_key":"{key}","trust_list_url":"tl","revocations_url":"rv","lookup_url":"/x"}}"#
        );
        let c: Config = parse_json(json.as_bytes()).expect("config");
        assert_eq!(c.trust_list_url, "tl");
        assert!(c.root_key().is_ok());

        let c: Config =
            parse_json(format!(r#"{{"root_public_key":"{key}"}}"#).as_bytes()).expect("config");
        assert_eq!(c, Config::with_root(&key));
    }

    #[test]
    fn refuses_bad_root_keys() {
        assert_eq!(
            Config::with_root("zz").root_key(),
            Err(RootKeyError::NotHex)
        );
        assert_eq!(
            Config::with_root("00").root_key(),
            Err(RootKeyError::Key(KeyError::WrongLength))
        );
        // The identity point: small order, would "verify" forged lists.
        let mut weak = [0u8; 32];
        weak[0] = 1;
        assert_eq!(
            Config::with_root(&to_hex(&weak)).root_key(),
            Err(RootKeyError::Key(KeyError::Weak))
        );
    }
}
