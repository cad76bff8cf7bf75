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
use crate::privacy::{keys_equal, normalize_name, normalize_number, InputError};
use crate::record::FoundCertificate;
use crate::server::AppState;
use yanzheng_core::messages::{explain_outcome, input_error, Lang};
use yanzheng_core::online::{ListStamp, LookupRequest, Outcome};
use yanzheng_core::Date;
use yanzheng_core::UnixTime;

/// Shared state of every handler.
pub(crate) type Shared = Arc<AppState>;

/// An API error: status, stable code, words for people.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    zh: &'static str,
    en: &'static str,
    detail: Option<String>,
    retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, zh: &'static str, en: &'static str) -> Self {
        ApiError {
            status,
            code,
            zh,
            en,
            detail: None,
            retry_after: None,
        }
    }

    fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// 404 for an unknown API path.
    pub fn not_found() -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "没有这个接口。",
            "No such endpoint.",
        )
    }

    /// 405 for a known path with the wrong method.
    pub fn method_not_allowed() -> Self {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "请求方法不对。",
            "This endpoint does not take that method.",
        )
    }

    fn unavailable(e: &DbError) -> Self {
        tracing::error!(error = %e, "database unavailable");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "查询服务暂时不可用，请稍后再试。",
            "The lookup service is unavailable for the moment; try again later.",
        )
    }

    /// 408 for a request (body and answer) that took longer than the
    /// server's request timeout.
    pub fn request_timeout() -> Self {
        ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            "请求超时，请重试。",
            "The request took too long; try again.",
        )
    }

    /// 500 for a handler that panicked.
    pub fn internal() -> Self {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "服务器内部错误。",
            "Internal server error.",
        )
    }

    fn input(e: InputError) -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            e.code(),
            input_error(e, Lang::Zh),
            input_error(e, Lang::En),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "error": self.code,
            "message": { "zh": self.zh, "en": self.en },
        });
        if let Some(d) = &self.detail {
            body["detail"] = json!(d);
        }
        if let Some(s) = self.retry_after {
            body["retry_after"] = json!(s);
        }
        let mut resp = (self.status, no_store(), axum::Json(body)).into_response();
        if let Some(s) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if self.status == StatusCode::METHOD_NOT_ALLOWED {
            resp.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
        }
        resp
    }
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
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "请求内容过大。",
        "The request body is too large.",
    )
}

fn json_error(e: &serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    let msg = e.to_string();
    let (code, zh, en) = match e.classify() {
        Category::Data if msg.starts_with("unknown field") => (
            "unknown_field",
            "请求中有不认识的字段。",
            "The request has a field this endpoint does not take.",
        ),
        Category::Data if msg.starts_with("duplicate field") => (
            "duplicate_field",
            "请求中有重复的字段。",
            "A field appears twice in the request.",
        ),
        Category::Data if msg.starts_with("missing field") => (
            "missing_field",
            "请求缺少必填字段。",
            "The request lacks a required field.",
        ),
        Category::Data => (
            "invalid_field",
            "请求中的字段类型不对。",
            "A field of the request has the wrong type.",
        ),
        Category::Io | Category::Syntax | Category::Eof => (
            "malformed_json",
            "请求不是有效的 JSON。",
            "The request body is not valid JSON.",
        ),
    };
    // serde's words name the field and position, never the value's content
    // beyond its type, except for unknown field names, which are the
    // caller's own words.
    ApiError::new(StatusCode::BAD_REQUEST, code, zh, en).detail(msg)
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
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "请求内容须为 JSON（Content-Type: application/json）。",
                    "Send JSON with Content-Type: application/json.",
                ));
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
                        ApiError::new(
                            StatusCode::BAD_REQUEST,
                            "unreadable_body",
                            "请求内容读取失败。",
                            "The request body could not be read.",
                        )
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
                .get_all(name)
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
                Err(wait) => {
                    let mut e = ApiError::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        "rate_limited",
                        "查询过于频繁，请稍后再试。",
                        "Too many lookups from this address; wait a moment and try again.",
                    );
                    e.retry_after =
                        Some((wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1));
                    Err(e)
                }
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
    let number = normalize_number(&req.number).map_err(ApiError::input)?;
    let name = normalize_name(&req.name).map_err(ApiError::input)?;
    let key = state.db.lookup_key();
    let number_key = key.number_key(&number);
    let name_key = key.name_key(&name);
    let log_tag = key.log_tag(&number);
    drop((number, name, req));

    // A number that keeps finding nothing (unknown, or tried with name
    // after name) is refused for a while, whoever asks: counted the same
    // whether the number exists or not, so the refusal tells nothing.
    if let Err(wait) = state.misses.peek(&number_key, Instant::now()) {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_misses",
            "此证号近期多次查询未果，请稍后再试或联系发证机关。",
            "This number was looked up too often without a match; try later or contact the issuing authority.",
        );
        e.retry_after = Some((wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1));
        return Err(e);
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
    found.sort_by_key(|c| std::cmp::Reverse(c.certificate.valid_from));
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
        return ApiError::new(
            StatusCode::NOT_FOUND,
            "not_published",
            "尚未发布此名单。",
            "This list is not published.",
        )
        .into_response();
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
        return ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            "请求格式有误：需要 since=版本号。",
            "Bad request: since=VERSION is required.",
        )
        .into_response();
    };
    let lists = state.lists.current();
    let Some(chain) = lists.deltas_since(since) else {
        return ApiError::new(
            StatusCode::NOT_FOUND,
            "delta_unavailable",
            "没有从该版本起的增量，请下载完整名单。",
            "No deltas from that version: fetch the full list.",
        )
        .into_response();
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
    let unpublished = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_published",
            "未配置。",
            "No widget configuration is published.",
        )
        .into_response()
    };
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
