//! Security headers for everything the registry serves, and the exact-origin
//! rule shared by CORS and embedding.
//!
//! The widget's pages get a Content-Security-Policy with nothing looser than
//! `'wasm-unsafe-eval'` (no inline script, no `eval`), `frame-ancestors`
//! naming exactly the deployment's embedding origins, and a
//! Permissions-Policy that gives the camera to the widget's own origin only
//! (an embedding page still has to delegate it with `allow="camera"`).

use axum::http::HeaderValue;

use crate::error::Error;

/// Checks that `o` is an exact origin (`https://hr.example.com`, a port
/// allowed, no path, no wildcard) and returns it without a trailing slash.
pub fn exact_origin(flag: &str, o: &str) -> Result<String, Error> {
    let o = o.trim().trim_end_matches('/');
    let rest = o
        .strip_prefix("https://")
        .or_else(|| o.strip_prefix("http://"));
    let ok = rest.is_some_and(|host| {
        !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    });
    if !ok {
        return Err(Error::Config(format!(
            "{flag} `{o}` is not an exact origin like https://hr.example.com"
        )));
    }
    Ok(o.to_string())
}

/// The origin of an absolute http(s) URL, if `url` is one.
pub fn origin_of(url: &str) -> Option<String> {
    let scheme_end = url.find("://")?;
    let scheme = &url[..scheme_end];
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let rest = &url[scheme_end + 3..];
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

/// The Content-Security-Policy: `connect` lists the origins besides the
/// widget's own that the page fetches from (lists or lookup on another
/// host), `ancestors` the pages that may frame it.
pub fn content_security_policy(
    connect: &[String],
    ancestors: &[String],
) -> Result<HeaderValue, Error> {
    let join = |extra: &[String]| {
        std::iter::once("'self'")
            .chain(extra.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data: blob:; media-src 'self' blob: mediastream:; \
         connect-src {}; worker-src 'self'; manifest-src 'self'; frame-ancestors {}; \
         base-uri 'none'; form-action 'self'; object-src 'none'",
        join(connect),
        join(ancestors),
    );
    HeaderValue::from_str(&policy).map_err(|_| Error::Config("an origin is not header-safe".into()))
}

/// The Permissions-Policy: the camera for the widget's own origin (and the
/// frames it is embedded in never get more than the embedding page
/// delegates); nothing else a verifier has no use for.
pub const PERMISSIONS_POLICY: &str =
    "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_exact() {
        assert_eq!(
            exact_origin("--x", "https://hr.example.com/")
                .ok()
                .as_deref(),
            Some("https://hr.example.com")
        );
        assert!(exact_origin("--x", "http://127.0.0.1:8081").is_ok());
        for bad in [
            "hr.example.com",
            "https://*.example.com",
            "https://a/b",
            "ftp://a",
            "https://",
        ] {
            assert!(exact_origin("--x", bad).is_err(), "{bad}");
        }
        assert_eq!(
            origin_of("https://cdn.example.com/lists/trust-list").as_deref(),
            Some("https://cdn.example.com")
        );
        assert_eq!(origin_of("trust-list"), None);
        assert_eq!(origin_of("/v1/lookup"), None);
    }

    #[test]
    fn the_policy_allows_wasm_but_no_inline_script_or_eval() {
        let csp = content_security_policy(&[], &["https://hr.example.com".into()]).expect("header");
        let csp = csp.to_str().expect("ascii");
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"));
        assert!(csp.contains("frame-ancestors 'self' https://hr.example.com;"));
    }
}
