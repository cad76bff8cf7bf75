//! The server: configuration, routes, the access log, list reloading and
//! graceful shutdown.

use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use axum::http::HeaderName;
use axum::Router;

use crate::api::{self, ApiError, LogKey};
use crate::conn::{self, ConnLimits};
use crate::db::Database;
use crate::error::Error;
use crate::headers;
use crate::limit::{Limiter, RateLimit};
use crate::lists::{ListStore, ReloadEvent};

/// Largest JSON request body accepted by default (a QR payload is under 4 KB).
pub const DEFAULT_BODY_LIMIT: usize = 16 * 1024;

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The widget's static files (`www/` with the built `pkg/`); `None`
    /// serves the API only.
    pub www: Option<PathBuf>,
    /// Lookup rate limit per client address.
    pub rate_limit: RateLimit,
    /// IPv6 clients are counted by this many leading bits (64: one host).
    pub ipv6_prefix: u8,
    /// Lookups of one ID number that find nothing (unknown number, or a
    /// name that does not match), over all clients: 10 an hour by default.
    pub miss_limit: RateLimit,
    /// Exact origins (`https://hr.example.com`) whose pages may call the API
    /// from a browser. Empty: same origin only.
    pub allow_origins: Vec<String>,
    /// Exact origins whose pages may embed the widget in a frame: they go
    /// into `frame-ancestors` and into the served `config.json`
    /// (`embed_origins`), the only origins the widget posts its results to.
    pub embed_origins: Vec<String>,
    /// Largest JSON body, in bytes.
    pub body_limit: usize,
    /// How often the list files are checked for changes (SIGHUP also reloads).
    pub reload_every: Duration,
    /// A header set by a trusted reverse proxy naming the client's address
    /// (e.g. `x-forwarded-for`); without it the peer address counts.
    pub client_ip_header: Option<String>,
    /// The reverse proxies whose client-address header is believed; from
    /// any other peer the header is ignored.
    pub trusted_proxies: Vec<crate::client_addr::AddrRange>,
    /// Longest a request may take from its head to its answer (reading the
    /// body included); past it the answer is 408.
    pub request_timeout: Duration,
    /// Per-connection limits: header read and write stall timeouts, the
    /// connection cap, the shutdown drain time.
    pub conn: ConnLimits,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            www: None,
            rate_limit: RateLimit::default(),
            ipv6_prefix: 64,
            miss_limit: RateLimit {
                burst: 10,
                per_second: 10.0 / 3600.0,
            },
            allow_origins: Vec::new(),
            embed_origins: Vec::new(),
            body_limit: DEFAULT_BODY_LIMIT,
            reload_every: Duration::from_secs(3),
            client_ip_header: None,
            trusted_proxies: Vec::new(),
            request_timeout: Duration::from_secs(30),
            conn: ConnLimits::default(),
        }
    }
}

/// State shared by all requests.
#[derive(Debug)]
pub struct AppState {
    pub(crate) db: Database,
    pub(crate) lists: Arc<ListStore>,
    pub(crate) limiter: Limiter,
    /// Lookups that found nothing, per ID number (its keyed hash).
    pub(crate) misses: Limiter<String>,
    pub(crate) config: ServerConfig,
}

/// A registry ready to serve: database, lists and configuration.
#[derive(Debug, Clone)]
pub struct Registry {
    state: Arc<AppState>,
}

impl Registry {
    /// Puts the parts together.
    pub fn new(db: Database, lists: ListStore, config: ServerConfig) -> Registry {
        Registry {
            state: Arc::new(AppState {
                db,
                lists: Arc::new(lists),
                limiter: Limiter::new(config.rate_limit),
                misses: Limiter::new(config.miss_limit),
                config,
            }),
        }
    }

    /// The database.
    pub fn database(&self) -> &Database {
        &self.state.db
    }

    /// The lists in force.
    pub fn lists(&self) -> &ListStore {
        &self.state.lists
    }

    /// Origins other than its own that the widget fetches from, per the
    /// data folder's `config.json` (lists on a CDN, a lookup elsewhere).
    fn fetched_origins(&self) -> Vec<String> {
        let Ok(bytes) = std::fs::read(self.state.lists.dir().join("config.json")) else {
            return Vec::new();
        };
        let Ok(config) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
            return Vec::new();
        };
        let mut out: Vec<String> = ["trust_list_url", "revocations_url", "lookup_url"]
            .iter()
            .filter_map(|k| config.get(k).and_then(|v| v.as_str()))
            .filter_map(headers::origin_of)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Checks the settings that are only checked when the routes are
    /// built (origins, the client-address header), without serving.
    pub fn check(&self) -> Result<(), Error> {
        self.router().map(drop)
    }

    /// The HTTP routes.
    pub(crate) fn router(&self) -> Result<Router, Error> {
        let s = &self.state;
        if let Some(h) = &s.config.client_ip_header {
            HeaderName::from_bytes(h.as_bytes()).map_err(|_| {
                Error::Config(format!("--client-ip-header `{h}` is not a header name"))
            })?;
        }
        let api_only =
            |r: axum::routing::MethodRouter<api::Shared>| r.fallback(api::api_method_not_allowed);
        let mut router = Router::new()
            .route("/v1/lookup", api_only(post(api::lookup)))
            .route("/v1/verify", api_only(post(api::verify)))
            .route("/v1/trust-list", get(api::trust_list))
            .route("/v1/revocations", get(api::revocations))
            .route("/v1/revocations/deltas", get(api::revocation_deltas))
            .route("/v1/{*rest}", axum::routing::any(api::api_not_found))
            // The widget's config names the lists relative to the page.
            .route("/trust-list", get(api::trust_list))
            .route("/revocations", get(api::revocations))
            .route("/revocations/deltas", get(api::revocation_deltas))
            .route("/config.json", get(api::config_json))
            .route("/healthz", get(api::healthz))
            .with_state(Arc::clone(s));
        router = match &s.config.www {
            // `cargo xtask build-widget` writes .br and .gz beside the shell
            // files; they are sent to browsers that accept them.
            Some(www) => {
                router.fallback_service(ServeDir::new(www).precompressed_br().precompressed_gzip())
            }
            None => router.fallback(api::api_not_found),
        };
        if !s.config.allow_origins.is_empty() {
            let mut origins = Vec::new();
            for o in &s.config.allow_origins {
                let o = headers::exact_origin("--allow-origin", o)?;
                origins
                    .push(HeaderValue::from_str(&o).map_err(|_| {
                        Error::Config(format!("--allow-origin `{o}` is not valid"))
                    })?);
            }
            router = router.layer(
                CorsLayer::new()
                    .allow_origin(AllowOrigin::list(origins))
                    .allow_methods([Method::GET, Method::POST])
                    .allow_headers([header::CONTENT_TYPE, header::IF_NONE_MATCH])
                    .expose_headers([header::ETAG, header::RETRY_AFTER])
                    .max_age(Duration::from_secs(600)),
            );
        }
        let embed = s
            .config
            .embed_origins
            .iter()
            .map(|o| headers::exact_origin("--embed-origin", o))
            .collect::<Result<Vec<_>, _>>()?;
        let csp = headers::content_security_policy(&self.fetched_origins(), &embed)?;
        let request_timeout = s.config.request_timeout;
        Ok(router
            .layer(middleware::from_fn(move |req: Request, next: Next| {
                time_limit(request_timeout, req, next)
            }))
            .layer(CatchPanicLayer::custom(|_panic| {
                tracing::error!("a request handler panicked");
                ApiError::internal().into_response()
            }))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::CONTENT_SECURITY_POLICY,
                csp,
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                HeaderName::from_static("permissions-policy"),
                HeaderValue::from_static(headers::PERMISSIONS_POLICY),
            ))
            .layer(middleware::from_fn(access_log)))
    }
}

/// One log line a request: method, path (never the query), status,
/// latency, and for lookups a short hash of the number's key.
async fn access_log(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let resp = next.run(req).await;
    let status = resp.status();
    let micros = started.elapsed().as_micros() as u64;
    let key = resp.extensions().get::<LogKey>().map(|k| k.0.as_str());
    if status.is_server_error() {
        tracing::warn!(target: "yanzheng::access", %method, path, status = status.as_u16(), micros, key, "request");
    } else {
        tracing::info!(target: "yanzheng::access", %method, path, status = status.as_u16(), micros, key, "request");
    }
    resp
}

/// Answers 408 if the request (its body, the handler) is not done in time.
async fn time_limit(limit: Duration, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => ApiError::request_timeout().into_response(),
    }
}

async fn reload_loop(lists: Arc<ListStore>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    #[cfg(unix)]
    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    loop {
        #[cfg(unix)]
        {
            let hangup = async {
                match hup.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = tick.tick() => {},
                _ = hangup => tracing::info!("SIGHUP: reloading the lists"),
            }
        }
        #[cfg(not(unix))]
        tick.tick().await;
        let store = Arc::clone(&lists);
        let events = tokio::task::spawn_blocking(move || store.reload())
            .await
            .unwrap_or_default();
        for e in events {
            match e {
                ReloadEvent::TrustUpdated { version } => {
                    tracing::info!(version, "trust list updated");
                }
                ReloadEvent::RevocationsUpdated { version } => {
                    tracing::info!(version, "revocation list updated");
                }
                ReloadEvent::Refused { file, why } => {
                    tracing::warn!(
                        file,
                        why,
                        "refused a changed list file; keeping the current one"
                    );
                }
            }
        }
    }
}

/// Serves `registry` on `listener` until `shutdown` resolves, then lets
/// requests in flight finish and closes the database.
pub async fn serve(
    listener: TcpListener,
    registry: Registry,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let router = registry
        .router()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
    let reload = tokio::spawn(reload_loop(
        Arc::clone(&registry.state.lists),
        registry
            .state
            .config
            .reload_every
            .max(Duration::from_millis(100)),
    ));
    let limits = registry.state.config.conn.clone();
    let result = conn::serve_connections(listener, router, limits, shutdown).await;
    reload.abort();
    registry.state.db.close().await;
    result
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// The file of the demo employer portal under the widget's static files.
pub const PORTAL_PAGE: &str = "portal/index.html";

/// Serves a stand-in for an employer's HR portal on `listener` until the
/// process ends, for the demo and the tests: it must run on another origin
/// than the widget, as a real portal does. `GET /` is
/// `www/portal/index.html` with `{{WIDGET_ORIGIN}}` replaced by the
/// widget's origin; nothing else is served. No API, no data: the page
/// embeds the widget and calls the registry across origins like any portal.
pub async fn serve_portal(
    listener: TcpListener,
    www: PathBuf,
    widget_origin: String,
) -> io::Result<()> {
    conn::serve_connections(
        listener,
        portal_router(www, widget_origin),
        ConnLimits::default(),
        std::future::pending(),
    )
    .await
}

fn portal_router(www: PathBuf, widget_origin: String) -> Router {
    Router::new().route(
        "/",
        get(move || {
            let page = www.join(PORTAL_PAGE);
            let widget_origin = widget_origin.clone();
            async move {
                match tokio::fs::read_to_string(&page).await {
                    Ok(html) => (
                        [
                            (
                                header::CONTENT_TYPE,
                                HeaderValue::from_static("text/html; charset=utf-8"),
                            ),
                            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                        ],
                        html.replace("{{WIDGET_ORIGIN}}", &widget_origin),
                    )
                        .into_response(),
                    Err(_) => (
                        axum::http::StatusCode::NOT_FOUND,
                        format!("no {PORTAL_PAGE} in the widget's files"),
                    )
                        .into_response(),
                }
            }
        }),
    )
}
