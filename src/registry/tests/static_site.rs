//! The static site over real HTTP on 127.0.0.1.

use std::path::PathBuf;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use yanzheng_registry::{serve, Site};

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("yz-reg-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

async fn get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let req = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.expect("write");
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.expect("read");
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn serves_widget_lists_and_config() {
    let www = temp_dir("www");
    let data = temp_dir("data");
    std::fs::write(www.join("index.html"), "<h1>widget</h1>").expect("write");
    std::fs::write(data.join("config.json"), "{\"root_public_key\":\"00\"}").expect("write");
    std::fs::write(data.join("trust-list"), [0xd2, 0x84]).expect("write");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, Site { www, data }, async {
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

    let _ = tx.send(());
    server.await.expect("join").expect("serve");
}
