//! The library in-process over real HTTP on 127.0.0.1: widget files, config,
//! lists and a lookup, with a world built from core alone and an SQLite
//! file. (The full suite, on SQLite and PostgreSQL through the `yanzheng`
//! binary, is in src/cli/tests/registry_*.rs.)

use std::path::PathBuf;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use yanzheng_core::{
    CertKind, Certificate, Date, IssuerKey, KeyStatus, SecretKey, Sex, TrustList, UnixTime,
};
use yanzheng_registry::{
    serve, CertificateRecord, Database, ListStore, OpenOptions, Registry, ServerConfig,
};

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("yz-reg-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

async fn request(addr: std::net::SocketAddr, raw: String) -> String {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(raw.as_bytes()).await.expect("write");
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.expect("read");
    String::from_utf8_lossy(&out).into_owned()
}

async fn get(addr: std::net::SocketAddr, path: &str) -> String {
    request(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    )
    .await
}

async fn post(addr: std::net::SocketAddr, path: &str, body: &str) -> String {
    request(
        addr,
        format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
    .await
}

#[tokio::test]
async fn serves_widget_lists_config_and_lookup() {
    let www = temp_dir("www");
    let data = temp_dir("data");
    std::fs::write(www.join("index.html"), "<h1>widget</h1>").expect("write");
    std::fs::write(data.join("config.json"), "{\"root_public_key\":\"00\"}").expect("write");
    let root = SecretKey::from_seed(&[7; 32]);
    let issuer = SecretKey::from_seed(&[8; 32]);
    let today = Date::from_ymd(2025, 6, 1).expect("date");
    let entry = IssuerKey {
        key: issuer.public(),
        issuer: "上海市应急管理局".into(),
        region: 310_000,
        types: vec![CertKind::SpecialOperations],
        sign_from: today.add_years(-1),
        sign_until: today.add_years(3),
        status: KeyStatus::Active,
    };
    let trust = TrustList::sign(1, UnixTime(0), UnixTime(u64::MAX / 2), &[entry], &root);
    std::fs::write(data.join("trust-list"), &trust).expect("write");

    let db = Database::open(
        data.join("registry.db").to_str().expect("utf-8"),
        OpenOptions::default(),
    )
    .await
    .expect("open");
    let cert = Certificate {
        kind: CertKind::SpecialOperations,
        name: "张建国".into(),
        sex: Sex::Male,
        number: "11010519491231002X".into(),
        region: 310_000,
        cert_id: 3_100_000_000_000_001,
        signed_on: today,
        details: yanzheng_core::Details {
            first_issued: today.add_years(-6),
            valid_from: today,
            valid_until: today.add_years(6).add_days(-1),
            review_due: Some(today.add_years(3)),
            category: Some(1),
            item: Some(102),
            employer: None,
            role: None,
            industry: None,
        },
    };
    let record = CertificateRecord::new(
        &cert,
        issuer.public().kid(),
        "上海市应急管理局",
        false,
        db.lookup_key(),
        UnixTime(1),
    )
    .expect("record");
    db.upsert(&[record]).await.expect("upsert");

    let lists = ListStore::load(&data, root.public()).expect("lists");
    let registry = Registry::new(
        db,
        lists,
        ServerConfig {
            www: Some(www),
            ..ServerConfig::default()
        },
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, registry, async {
        let _ = rx.await;
    }));

    let index = get(addr, "/").await;
    assert!(index.starts_with("HTTP/1.1 200"), "{index}");
    assert!(index.contains("<h1>widget</h1>"));
    assert!(index
        .to_ascii_lowercase()
        .contains("x-content-type-options: nosniff"));

    let cfg = get(addr, "/config.json").await;
    assert!(
        cfg.contains("application/json") && cfg.contains("root_public_key"),
        "{cfg}"
    );

    let tl = get(addr, "/v1/trust-list").await;
    assert!(
        tl.starts_with("HTTP/1.1 200") && tl.contains("application/cose"),
        "{tl}"
    );

    let missing = get(addr, "/revocations").await;
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
    assert!(missing.contains("not_published"), "{missing}");

    let found = post(
        addr,
        "/v1/lookup",
        r#"{"number":"11010519491231002x","name":"张建国"}"#,
    )
    .await;
    assert!(found.contains("\"status\":\"found\""), "{found}");
    assert!(found.contains("\"name_masked\":\"张**\""), "{found}");
    assert!(!found.contains("11010519491231002X"), "{found}");

    let _ = tx.send(());
    server.await.expect("join").expect("serve");
}
