//! # yanzheng-registry
//!
//! The registry service. Today it serves the widget's static files together
//! with a demo world's signed lists and widget configuration; the online
//! lookup, server-side verification and databases come with the registry
//! issue. The lists are served as the exact signed bytes the issuer tool
//! wrote: trust comes from the root signature, not from this server.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Where the served files come from.
#[derive(Debug, Clone)]
pub struct Site {
    /// The widget's static files (`www/` with the built `pkg/`).
    pub www: PathBuf,
    /// A folder holding `config.json`, `trust-list` and `revocations`
    /// (what `yanzheng demo --out DIR` writes).
    pub data: PathBuf,
}

async fn data_file(dir: &Path, name: &str, content_type: &'static str) -> Response {
    match tokio::fs::read(dir.join(name)).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => (StatusCode::NOT_FOUND, "not published\n").into_response(),
    }
}

/// The HTTP routes: signed lists, widget config, health, and the widget.
pub fn router(site: Site) -> Router {
    let www = ServeDir::new(&site.www);
    let data = site.data.clone();
    Router::new()
        .route(
            "/config.json",
            get(|State(d): State<PathBuf>| async move {
                data_file(&d, "config.json", "application/json").await
            }),
        )
        .route(
            "/trust-list",
            get(|State(d): State<PathBuf>| async move {
                data_file(&d, "trust-list", "application/cose").await
            }),
        )
        .route(
            "/v1/trust-list",
            get(|State(d): State<PathBuf>| async move {
                data_file(&d, "trust-list", "application/cose").await
            }),
        )
        .route(
            "/revocations",
            get(|State(d): State<PathBuf>| async move {
                data_file(&d, "revocations", "application/cose").await
            }),
        )
        .route(
            "/v1/revocations",
            get(|State(d): State<PathBuf>| async move {
                data_file(&d, "revocations", "application/cose").await
            }),
        )
        .route("/healthz", get(|| async { "ok\n" }))
        .with_state(data)
        .fallback_service(www)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}

/// Serves `site` on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    site: Site,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    axum::serve(listener, router(site))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Binds `addr`, prints the URL as `yanzheng: serving http://ADDR/`, and
/// serves until Ctrl-C (or SIGTERM). Blocks the calling thread.
pub fn run_blocking(addr: SocketAddr, site: Site) -> io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        println!("yanzheng: serving http://{local}/");
        serve(listener, site, shutdown_signal()).await
    })
}

async fn shutdown_signal() {
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
}
