//! The HTTP API: lookup, server-side verification, the signed lists, health.
//! Every error is JSON `{"error": CODE, "message": {"zh", "en"}}` with the
//! right status; no response or log line carries an ID number or a name.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::db::{now, DbError};
use crate::privacy::{keys_equal, normalize_name, normalize_number};
use crate::record::FoundCertificate;
use crate::server::AppState;
use yanzheng_core::messages::{api_error, explain_outcome, Lang};
use yanzheng_core::online::{ApiError as Refusal, ListStamp, LookupRequest, Outcome};
use yanzheng_core::Date;
use yanzheng_core::UnixTime;

/// Shared state of every handler.
pub(crate) type Shared = Arc<AppState>;

/// An API error: core's refusal (its stable code and words), the HTTP
/// status that goes with it, and what the caller may need beside.
#[derive(Debug)]
pub struct ApiError {
    refusal: Refusal,
    detail: Option<String>,
    retry_after: Option<u64>,
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        ApiError {
            refusal,
            detail: None,
            retry_after: None,
        }
    }
}

/// The HTTP status of each refusal.
fn status(refusal: Refusal) -> StatusCode {
    match refusal {
        Refusal::NotFound
        | Refusal::ListNotPublished
        | Refusal::ConfigNotPublished
        | Refusal::DeltaUnavailable => StatusCode::NOT_FOUND,
        Refusal::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        Refusal::Unavailable | Refusal::Busy => StatusCode::SERVICE_UNAVAILABLE,
        Refusal::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        Refusal::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        Refusal::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Refusal::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Refusal::RateLimited | Refusal::TooManyMisses => StatusCode::TOO_MANY_REQUESTS,
        Refusal::UnreadableBody
        | Refusal::MalformedJson
        | Refusal::UnknownField
        | Refusal::DuplicateField
        | Refusal::MissingField
        | Refusal::InvalidField
        | Refusal::Input(_)
        | Refusal::InvalidQuery => StatusCode::BAD_REQUEST,
    }
}

impl ApiError {
    fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Come back after `wait` (whole seconds, at least one).
    fn retry_after(mut self, wait: std::time::Duration) -> Self {
        self.retry_after = Some((wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1));
        self
    }

    /// 404 for an unknown API path.
    pub fn not_found() -> Self {
        Refusal::NotFound.into()
    }

    /// 405 for a known path with the wrong method.
    pub fn method_not_allowed() -> Self {
        Refusal::MethodNotAllowed.into()
    }

    fn unavailable(e: &DbError) -> Self {
        tracing::error!(error = %e, "database unavailable");
        Refusal::Unavailable.into()
    }

    /// 408 for a request (body and answer) that took longer than the
    /// server's request timeout.
    pub fn request_timeout() -> Self {
        Refusal::RequestTimeout.into()
    }

    /// 500 for a handler that panicked.
    pub fn internal() -> Self {
        Refusal::Internal.into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let r = self.refusal;
        let mut body = refusal_body(r);
        if let Some(d) = &self.detail {
            body["detail"] = json!(d);
        }
        if let Some(s) = self.retry_after {
            body["retry_after"] = json!(s);
        }
        let mut resp = (status(r), no_store(), axum::Json(body)).into_response();
        if let Some(s) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if r == Refusal::MethodNotAllowed {
            resp.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
        }
        resp
    }
}

/// `{"error": CODE, "message": {"zh", "en"}}`: core's code and words.
pub(crate) fn refusal_body(r: Refusal) -> serde_json::Value {
    json!({
        "error": r.code(),
        "message": { "zh": api_error(r, Lang::Zh), "en": api_error(r, Lang::En) },
    })
}

fn no_store() -> [(header::HeaderName, HeaderValue); 1] {
    [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))]
}

/// A JSON request body: `Content-Type: application/json`, at most the
/// configured size, and exactly the fields `T` names.
pub struct ApiJson<T>(pub T);

fn is_length_limit(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cur = err.source();
    }
    false
}

fn too_large() -> ApiError {
    Refusal::PayloadTooLarge.into()
}

fn json_error(e: &serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    let msg = e.to_string();
    let refusal = match e.classify() {
        Category::Data if msg.starts_with("unknown field") => Refusal::UnknownField,
        Category::Data if msg.starts_with("duplicate field") => Refusal::DuplicateField,
        Category::Data if msg.starts_with("missing field") => Refusal::MissingField,
        Category::Data => Refusal::InvalidField,
        Category::Io | Category::Syntax | Category::Eof => Refusal::MalformedJson,
    };
    ApiError::from(refusal).detail(msg)
}

impl<T: DeserializeOwned> FromRequest<Shared> for ApiJson<T> {
    type Rejection = ApiError;

    fn from_request(
        req: Request,
        state: &Shared,
    ) -> impl Future<Output = Result<Self, Self::Rejection>> + Send {
        let limit = state.config.body_limit;
        async move {
            let content_type = req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let essence = content_type.split(';').next().unwrap_or("").trim();
            if !essence.eq_ignore_ascii_case("application/json") {
                return Err(Refusal::UnsupportedMediaType.into());
            }
            let declared = req
                .headers()
                .get(header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            if declared.is_some_and(|n| n > limit as u64) {
                return Err(too_large());
            }
            let bytes: Bytes = axum::body::to_bytes(req.into_body(), limit)
                .await
                .map_err(|e| {
                    if is_length_limit(&e) {
                        too_large()
                    } else {
                        Refusal::UnreadableBody.into()
                    }
                })?;
            serde_json::from_slice(&bytes)
                .map(ApiJson)
                .map_err(|e| json_error(&e))
        }
    }
}

/// The client's address for rate limiting: the peer, or, when the peer is
/// a configured proxy, the address the proxies recorded in the header
/// (see [`crate::client_addr`]).
fn client_ip(parts: &Parts, state: &AppState) -> IpAddr {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    match &state.config.client_ip_header {
        Some(name) => crate::client_addr::client_ip(
            peer,
            parts
                .headers
                .get_all(name.as_str())
                .iter()
                .filter_map(|v| v.to_str().ok()),
            &state.config.trusted_proxies,
        ),
        None => peer,
    }
}

/// Passes only if the client's lookup bucket has a token (else 429).
pub struct LookupAllowed;

impl FromRequestParts<Shared> for LookupAllowed {
    type Rejection = ApiError;

    fn from_request_parts(
        parts: &mut Parts,
        state: &Shared,
    ) -> impl Future<Output = Result<Self, Self::Rejection>> + Send {
        let ip = client_ip(parts, state);
        let verdict = state
            .limiter
            .check_client(ip, state.config.ipv6_prefix, Instant::now());
        async move {
            match verdict {
                Ok(()) => Ok(LookupAllowed),
                Err(wait) => Err(ApiError::from(Refusal::RateLimited).retry_after(wait)),
            }
        }
    }
}

/// The lookup answer.
#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum LookupAnswer {
    /// Certificates held under this number and name.
    Found {
        /// Newest first.
        certificates: Vec<FoundCertificate>,
    },
    /// Nothing matches both the number and the name.
    NotFound {
        /// Why that may be, and whom to ask.
        message: NotFoundMessage,
    },
}

/// The words of a `not_found` answer: core's for `not_in_registry` (why,
/// then what to do), so the widget, the CLI and API clients read the same.
#[derive(Debug, Serialize)]
pub struct NotFoundMessage {
    /// Simplified Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl NotFoundMessage {
    /// Said for "no such number" and "the name differs" alike: which of the
    /// two it is would tell a stranger whether someone holds a certificate.
    pub fn new() -> NotFoundMessage {
        let words = |lang| {
            let e = explain_outcome(&Outcome::not_found(), None, UnixTime(0), lang);
            format!(
                "{}{}{}",
                e.why,
                if lang == Lang::Zh { "" } else { " " },
                e.next
            )
        };
        NotFoundMessage {
            zh: words(Lang::Zh),
            en: words(Lang::En),
        }
    }
}

impl Default for NotFoundMessage {
    fn default() -> Self {
        NotFoundMessage::new()
    }
}

/// Marks a response with the short key hash the access log may print.
#[derive(Debug, Clone)]
pub struct LogKey(pub String);

/// `POST /v1/lookup`.
pub async fn lookup(
    _allowed: LookupAllowed,
    State(state): State<Shared>,
    ApiJson(req): ApiJson<LookupRequest>,
) -> Result<Response, ApiError> {
    let number = normalize_number(&req.number).map_err(|e| ApiError::from(Refusal::Input(e)))?;
    let name = normalize_name(&req.name).map_err(|e| ApiError::from(Refusal::Input(e)))?;
    let key = state.db.lookup_key();
    let number_key = key.number_key(&number);
    let name_key = key.name_key(&name);
    let log_tag = key.log_tag(&number);
    drop((number, name, req));

    // A number that keeps finding nothing (unknown, or tried with name
    // after name) is refused for a while, whoever asks: counted the same
    // whether the number exists or not, so the refusal tells nothing.
    if let Err(wait) = state.misses.peek(&number_key, Instant::now()) {
        return Err(ApiError::from(Refusal::TooManyMisses).retry_after(wait));
    }
    let rows = state
        .db
        .find_by_keys(&number_key, &name_key)
        .await
        .map_err(|e| ApiError::unavailable(&e))?;
    let lists = state.lists.current();
    let revocations = lists.revocations();
    let today = Date::in_china_at(now());
    let mut found = Vec::new();
    for r in &rows {
        // The database matched the keys; compare again in constant time.
        if keys_equal(&r.name_key, &name_key) && keys_equal(&r.number_key, &number_key) {
            let revoked_by = revocations
                .zip(r.kid.as_ref())
                .filter(|(l, kid)| l.contains(kid, r.cert_id))
                .map(|(l, _)| ListStamp {
                    version: l.version,
                    issued_at: l.issued_at,
                });
            found.push(FoundCertificate::of(r, revoked_by, today));
        }
    }
    if found.is_empty() {
        let _ = state.misses.take(number_key.clone(), Instant::now());
    }
    found.sort_by_key(|c| std::cmp::Reverse(c.certificate.details.valid_from));
    let answer = if found.is_empty() {
        LookupAnswer::NotFound {
            message: NotFoundMessage::new(),
        }
    } else {
        LookupAnswer::Found {
            certificates: found,
        }
    };
    let mut resp = (no_store(), axum::Json(answer)).into_response();
    resp.extensions_mut().insert(LogKey(log_tag));
    Ok(resp)
}

/// `POST /v1/verify` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    /// The QR text.
    pub payload: String,
}

/// `POST /v1/verify`: core's report, with the server's lists and clock.
pub async fn verify(
    State(state): State<Shared>,
    ApiJson(req): ApiJson<VerifyRequest>,
) -> Result<Response, ApiError> {
    let lists = state.lists.current();
    let report = yanzheng_core::verify(&req.payload, lists.trust(), lists.revocations(), now());
    let mut value = serde_json::to_value(&report).map_err(|_| ApiError::internal())?;
    if let Some(obj) = value.as_object_mut() {
        obj.insert("source".into(), json!("server"));
    }
    Ok((no_store(), axum::Json(value)).into_response())
}

fn signed_list(bytes: Option<(&[u8], &str)>, headers: &HeaderMap) -> Response {
    let Some((bytes, tag)) = bytes else {
        return ApiError::from(Refusal::ListNotPublished).into_response();
    };
    let etag = HeaderValue::from_str(tag).unwrap_or(HeaderValue::from_static("\"\""));
    let cache = (header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let matched = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| crate::lists::etag_matches(v, tag));
    if matched {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag), cache]).into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/cose"),
            ),
            (header::ETAG, etag),
            cache,
        ],
        Body::from(bytes.to_vec()),
    )
        .into_response()
}

/// `GET /v1/trust-list`.
pub async fn trust_list(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let lists = state.lists.current();
    signed_list(
        lists
            .trust
            .as_ref()
            .map(|(l, tag)| (l.bytes(), tag.as_str())),
        &headers,
    )
}

/// `GET /v1/revocations`.
pub async fn revocations(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let lists = state.lists.current();
    signed_list(
        lists
            .revocations
            .as_ref()
            .map(|(l, tag)| (l.bytes(), tag.as_str())),
        &headers,
    )
}

/// The `since` version of a deltas query: `since=N` and nothing else.
fn since_version(uri: &axum::http::Uri) -> Option<u64> {
    let value = uri.query()?.strip_prefix("since=")?;
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// `GET /v1/revocations/deltas?since=N`: the signed deltas from version N to
/// the current list, as a CBOR array of byte strings (each a COSE_Sign1),
/// oldest first; empty if N is current. 404 `delta_unavailable` when the
/// chain does not reach back to N: the client fetches the full list.
pub async fn revocation_deltas(
    State(state): State<Shared>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    let Some(since) = since_version(&uri) else {
        return ApiError::from(Refusal::InvalidQuery).into_response();
    };
    let lists = state.lists.current();
    let Some(chain) = lists.deltas_since(since) else {
        return ApiError::from(Refusal::DeltaUnavailable).into_response();
    };
    let mut w = yanzheng_core::cbor::Writer::new();
    w.array(chain.len());
    for d in chain {
        w.bytes(d.bytes());
    }
    let body = w.into_bytes();
    let tag = crate::lists::etag(&body);
    let mut resp = signed_list(Some((&body, &tag)), &headers);
    if resp.status() == StatusCode::OK {
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/cbor"),
        );
    }
    resp
}

/// `GET /config.json`: the widget's configuration from the data folder,
/// with `embed_origins` set to the server's embedding origins (the same list
/// as its `frame-ancestors`, so the two cannot disagree).
pub async fn config_json(State(state): State<Shared>) -> Response {
    let unpublished = || ApiError::from(Refusal::ConfigNotPublished).into_response();
    let Ok(bytes) = tokio::fs::read(state.lists.dir().join("config.json")).await else {
        return unpublished();
    };
    let Ok(serde_json::Value::Object(mut config)) = serde_json::from_slice(&bytes) else {
        tracing::error!("config.json in the data folder is not a JSON object");
        return unpublished();
    };
    let embed: Vec<String> = state
        .config
        .embed_origins
        .iter()
        .map(|o| o.trim().trim_end_matches('/').to_string())
        .collect();
    config.insert("embed_origins".into(), json!(embed));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        serde_json::Value::Object(config).to_string(),
    )
        .into_response()
}

/// `GET /healthz`: the database answers and the lists are loaded.
pub async fn healthz(State(state): State<Shared>) -> Response {
    let lists = state.lists.current();
    let summary = |s: yanzheng_core::trust::ListSummary| {
        json!({
            "version": s.version,
            "expires_at": s.expires_at.to_rfc3339(),
            "expired": now() > s.expires_at,
        })
    };
    let body = |status: &str| {
        json!({
            "status": status,
            "database": state.db.backend().as_str(),
            "trust_list": lists.trust().map(|l| summary(l.summary())),
            "revocations": lists.revocations().map(|l| summary(l.summary())),
        })
    };
    match state.db.ping().await {
        Ok(()) => (no_store(), axum::Json(body("ok"))).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                no_store(),
                axum::Json(body("unavailable")),
            )
                .into_response()
        }
    }
}

/// Unknown `/v1/...` paths.
pub async fn api_not_found() -> ApiError {
    ApiError::not_found()
}

/// Known API paths asked with the wrong method.
pub async fn api_method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}

#[cfg(test)]
mod tests;
