//! The registry over real HTTP on 127.0.0.1, against an SQLite file and a
//! real PostgreSQL: every test runs once per backend.

mod support;

use std::sync::OnceLock;

use support::*;

/// One demo world shared by the tests that only read it.
fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(World::new)
}

/// `serve --demo` on a fresh database of `backend` (the demo's
/// certificates imported), no rate limit unless `extra` sets one.
fn demo_server(backend: Backend, extra: &[&str]) -> Server {
    let w = world();
    let db = backend.fresh_db(w.root());
    let demo = w.demo();
    let www = w.root().join("www");
    let mut args = vec![
        "--demo",
        demo.to_str().expect("utf-8 path"),
        "--www",
        www.to_str().expect("utf-8 path"),
        "--db",
        &db,
    ];
    if !extra.contains(&"--lookup-burst") {
        args.extend_from_slice(&["--lookup-burst", "0"]);
    }
    args.extend_from_slice(extra);
    Server::start(w.root(), &args)
}

#[test]
fn lookup_found_not_found_and_name_mismatch() {
    for backend in BACKENDS {
        let s = demo_server(backend, &[]);
        let (name, number, cert_id) = demo_holder(world(), 0);

        let found = s.lookup(&number, &name);
        assert_eq!(found.status, 200, "{backend:?}: {}", found.text());
        assert_eq!(found.header("cache-control"), Some("no-store"));
        let v = found.json();
        assert_eq!(v["status"], "found", "{v}");
        let c = &v["certificates"][0];
        assert_eq!(c["cert_id"], cert_id);
        assert_eq!(c["type"], "special_operations");
        assert_eq!(c["issuer"], "上海市应急管理局");
        assert_eq!(c["revoked"], false);
        assert_eq!(c["category"]["zh"], "电工作业");
        assert!(c["valid_until"].is_string() && c["updated_at"].is_string());
        // Masked only: neither the name nor the number appear in clear.
        let text = found.text();
        assert!(!text.contains(&number) && !text.contains(&name), "{text}");
        assert_eq!(
            c["number_masked"],
            format!("{}{}", "*".repeat(14), &number[14..])
        );

        // The same person typed differently still matches.
        let spaced = format!(" {} {} ", &name[..3], &name[3..]);
        let lower_x = number.to_lowercase();
        assert_eq!(s.lookup(&lower_x, &spaced).json()["status"], "found");

        // No such number, and the number with another name: the same body.
        let unknown = with_check_char("31011519790823999");
        let a = s.lookup(&unknown, &name);
        let b = s.lookup(&number, "张建军");
        assert_eq!(a.status, 200);
        assert_eq!(b.status, 200);
        assert_eq!(a.body, b.body, "{backend:?}");
        let v = a.json();
        assert_eq!(v["status"], "not_found");
        assert!(v["message"]["zh"].as_str().unwrap_or("").contains("3 天"));
        assert!(v["message"]["en"]
            .as_str()
            .unwrap_or("")
            .contains("does not mean fake"));

        // The revoked demo holder is found, flagged revoked.
        let (rname, rnumber, rid) = demo_holder(world(), 5);
        let r = s.lookup(&rnumber, &rname).json();
        assert_eq!(r["certificates"][0]["cert_id"], rid);
        assert_eq!(r["certificates"][0]["revoked"], true, "{r}");

        // The log has the lookups, with a key hash but no number or name.
        let log = s.log_text();
        assert!(log.contains("path=\"/v1/lookup\""), "{log}");
        assert!(log.contains("key=\""), "{log}");
        assert!(
            !log.contains(&number[..10]) && !log.contains(&name),
            "{log}"
        );
        s.stop();
    }
}

#[test]
fn verify_gives_each_demo_verdict() {
    for backend in BACKENDS {
        let s = demo_server(backend, &[]);
        for case in &world().cases {
            let r = s.post_json(
                "/v1/verify",
                &serde_json::json!({ "payload": case.payload }).to_string(),
            );
            assert_eq!(r.status, 200, "{}: {}", case.expect, r.text());
            let v = r.json();
            assert_eq!(v["verdict"], case.expect.as_str(), "{backend:?}: {v}");
            assert_eq!(v["source"], "server");
            assert!(v["trust_list"]["version"].is_u64(), "{v}");
            if let Some(fields) = v.get("fields") {
                assert!(fields.get("number").is_none(), "clear number in {v}");
            }
        }
        s.stop();
    }
}

#[test]
fn lists_health_and_widget() {
    for backend in BACKENDS {
        let s = demo_server(backend, &[]);
        let demo = world().demo();
        for (path, file) in [
            ("/v1/trust-list", "trust-list"),
            ("/v1/revocations", "revocations"),
            ("/trust-list", "trust-list"),
        ] {
            let r = s.get(path);
            assert_eq!(r.status, 200, "{path}");
            assert_eq!(r.header("content-type"), Some("application/cose"));
            assert_eq!(r.header("cache-control"), Some("no-cache"));
            assert_eq!(
                r.body,
                std::fs::read(demo.join(file)).expect("list file"),
                "{path}: not the signed bytes"
            );
            let etag = r.header("etag").expect("etag").to_string();
            let again = s.req("GET", path, &[("if-none-match", &etag)], b"");
            assert_eq!(again.status, 304, "{path}");
            assert!(again.body.is_empty());
            let other = s.req("GET", path, &[("if-none-match", "\"nope\"")], b"");
            assert_eq!(other.status, 200);
        }
        let h = s.get("/healthz");
        assert_eq!(h.status, 200);
        let v = h.json();
        assert_eq!(v["status"], "ok");
        assert_eq!(
            v["database"],
            if backend == Backend::Sqlite {
                "sqlite"
            } else {
                "postgres"
            }
        );
        assert_eq!(v["trust_list"]["version"], 1);
        let cfg = s.get("/config.json");
        assert_eq!(cfg.status, 200);
        assert!(cfg.json()["root_public_key"].is_string());
        let index = s.get("/");
        assert_eq!(index.status, 200);
        assert!(index.text().contains("<h1>widget</h1>"));
        assert_eq!(s.get("/v1/nothing").json()["error"], "not_found");
        let wrong = s.get("/v1/lookup");
        assert_eq!(wrong.status, 405);
        assert_eq!(wrong.json()["error"], "method_not_allowed");
        s.stop();
    }
}

#[test]
fn rate_limit_answers_429_with_retry_after() {
    for backend in BACKENDS {
        let s = demo_server(backend, &["--lookup-burst", "3", "--lookup-rate", "0.05"]);
        let (name, number, _) = demo_holder(world(), 0);
        for i in 0..3 {
            assert_eq!(s.lookup(&number, &name).status, 200, "lookup {i}");
        }
        let r = s.lookup(&number, &name);
        assert_eq!(r.status, 429, "{}", r.text());
        let retry: u64 = r
            .header("retry-after")
            .and_then(|v| v.parse().ok())
            .expect("Retry-After in seconds");
        assert!((1..=20).contains(&retry), "{retry}");
        assert_eq!(r.json()["error"], "rate_limited");
        // Other endpoints are not limited.
        assert_eq!(s.get("/v1/trust-list").status, 200);
        s.stop();
    }
}

#[test]
fn server_verification_never_says_valid_on_stale_or_missing_revocation_data() {
    // A world of its own: its revocation list is replaced.
    let w = World::new();
    let d = w.root();
    let db = Backend::Sqlite.fresh_db(d);
    let valid = serde_json::json!({ "payload": w.payload("valid") }).to_string();
    let verdict = |s: &Server| s.post_json("/v1/verify", &valid).json();
    // Revocation data signed ten days ago with a maximum age of 7 days.
    let ten_days_ago = {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs()
            - 10 * 86_400;
        yanzheng_core::UnixTime(secs).to_rfc3339()
    };
    std::fs::remove_file(w.demo().join("revocations")).expect("remove");
    yz_expect(
        d,
        &[
            "revocations",
            "sign",
            "--root",
            "demo/root.key",
            "--version",
            "9",
            "--issued-at",
            &ten_days_ago,
            "--max-age",
            "7d",
            "--out",
            "demo/revocations",
        ],
        0,
    );
    let s = Server::start(d, &["--data", "demo", "--db", &db]);
    let v = verdict(&s);
    assert_eq!(v["verdict"], "revocation_unknown", "{v}");
    assert_eq!(v["status"]["verdict"], "valid", "{v}");
    assert_eq!(v["revocations"]["version"], 9, "{v}");
    s.stop();
    // No revocation list at all: the same.
    std::fs::remove_file(w.demo().join("revocations")).expect("remove");
    let s = Server::start(d, &["--data", "demo", "--db", &db]);
    let v = verdict(&s);
    assert_eq!(v["verdict"], "revocation_unknown", "{v}");
    assert_eq!(v["issued_at"], serde_json::Value::Null, "{v}");
    s.stop();
}

#[test]
fn a_number_that_keeps_finding_nothing_is_refused_for_a_while() {
    for backend in BACKENDS {
        let s = demo_server(backend, &["--lookup-misses-per-number", "3"]);
        let (name, number, _) = demo_holder(world(), 0);
        let unknown = with_check_char("11010519500101003");
        // An unknown number: three misses, then refused.
        for _ in 0..3 {
            assert_eq!(s.lookup(&unknown, "张三").json()["status"], "not_found");
        }
        let r = s.lookup(&unknown, "张三");
        assert_eq!(r.status, 429, "{}", r.text());
        assert_eq!(r.json()["error"], "too_many_misses");
        assert!(r.header("retry-after").is_some());
        // A known number tried with other names: the same, so the refusal
        // says nothing about whether the number exists.
        for guess in ["李四", "王五", "赵六"] {
            assert_eq!(s.lookup(&number, guess).json()["status"], "not_found");
        }
        assert_eq!(s.lookup(&number, &name).json()["error"], "too_many_misses");
        // Another holder is not affected.
        let (name2, number2, _) = demo_holder(world(), 1);
        assert_eq!(s.lookup(&number2, &name2).json()["status"], "found");
        s.stop();
    }
}

#[test]
fn a_client_address_header_counts_only_from_a_trusted_proxy() {
    let (name, number, _) = demo_holder(world(), 0);
    let body = serde_json::json!({ "number": number, "name": name }).to_string();
    let lookup = |s: &Server, xff: &str| {
        s.req(
            "POST",
            "/v1/lookup",
            &[
                ("content-type", "application/json"),
                ("x-forwarded-for", xff),
            ],
            body.as_bytes(),
        )
        .status
    };
    // The proxy (here the test, on 127.0.0.1) appends ip:port after
    // whatever the client wrote: the client's own entry never counts.
    let s = demo_server(
        Backend::Sqlite,
        &[
            "--lookup-burst",
            "2",
            "--lookup-rate",
            "0.01",
            "--client-ip-header",
            "x-forwarded-for",
            "--trusted-proxy",
            "127.0.0.0/8",
        ],
    );
    for forged in ["6.6.6.1", "6.6.6.2"] {
        assert_eq!(lookup(&s, &format!("{forged}, 198.51.100.7:40001")), 200);
    }
    assert_eq!(lookup(&s, "6.6.6.3, 198.51.100.7:40002"), 429);
    // Another client behind the proxy has a bucket of its own.
    assert_eq!(lookup(&s, "6.6.6.3, [2001:db8::7]:443"), 200);
    s.stop();
    // A peer that is not a configured proxy: the header is ignored, so a
    // client talking to the registry directly cannot pick its bucket.
    let s = demo_server(
        Backend::Sqlite,
        &[
            "--lookup-burst",
            "2",
            "--lookup-rate",
            "0.01",
            "--client-ip-header",
            "x-forwarded-for",
            "--trusted-proxy",
            "10.0.0.0/8",
        ],
    );
    assert_eq!(lookup(&s, "198.51.100.1"), 200);
    assert_eq!(lookup(&s, "198.51.100.2"), 200);
    assert_eq!(lookup(&s, "198.51.100.3"), 429);
    s.stop();
    // The header without proxies to believe is refused at start.
    let (_, err) = yz_expect(
        world().root(),
        &[
            "serve",
            "--demo",
            "demo",
            "--client-ip-header",
            "x-forwarded-for",
        ],
        2,
    );
    assert!(err.contains("--trusted-proxy"), "{err}");
}

/// Strings an attacker or a confused client might send.
fn nasty_strings() -> Vec<String> {
    let mut v: Vec<String> = [
        "' OR '1'='1",
        "'; DROP TABLE certificates; --",
        "\" OR 1=1 --",
        "310115197908230135' --",
        "1' UNION SELECT name_key FROM certificates --",
        "$1",
        "?",
        "%",
        "_",
        "\\",
        "NULL",
        "null",
        "",
        " ",
        "\u{0}",
        "a\u{0}b",
        "\u{202e}建国张",
        "\u{feff}张建国",
        "张\u{200b}建国",
        "𝕏𝕐ℤ",
        "👷‍♀️🦺",
        "张\u{0301}建国",
        "Ａ１２３",
        "\u{fffd}",
        "\u{10ffff}",
        "<script>alert(1)</script>",
        "{{7*7}}",
        "../../etc/passwd",
        "31011519790823013５",
        "３１０１１５１９７９０８２３０１３５",
        "31011519790823013x",
        "3101151979082301350",
        "31011519790823013",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("张".repeat(10_000));
    v.push("9".repeat(5_000));
    v
}

#[test]
fn odd_input_is_refused_or_not_found_never_a_server_error() {
    for backend in BACKENDS {
        // Hundreds of odd names for one number: the per-number miss limit
        // (tested on its own) is off here.
        let s = demo_server(backend, &["--lookup-misses-per-number", "0"]);
        let (name, number, _) = demo_holder(world(), 0);
        for nasty in nasty_strings() {
            for (n, m) in [
                (nasty.as_str(), name.as_str()),
                (number.as_str(), nasty.as_str()),
            ] {
                let r = s.lookup(n, m);
                assert!(
                    r.status == 200 || (400..500).contains(&r.status),
                    "{backend:?} {nasty:?}: {} {}",
                    r.status,
                    r.text()
                );
                let v = r.json();
                if r.status == 200 {
                    assert_eq!(v["status"], "not_found", "{nasty:?}");
                } else {
                    assert!(v["error"].is_string(), "{v}");
                }
            }
            let r = s.post_json(
                "/v1/verify",
                &serde_json::json!({ "payload": nasty }).to_string(),
            );
            assert!(
                r.status == 200 || (400..500).contains(&r.status),
                "verify {nasty:?}: {} {}",
                r.status,
                r.text()
            );
        }
        // Lone surrogates and other JSON that is not valid text.
        for body in [
            r#"{"number":"\ud800","name":"x"}"#,
            "{\"number\":\"31011519790823013\u{1}5\",\"name\":\"x\"}",
        ] {
            let r = s.post_json("/v1/lookup", body);
            assert_eq!(r.status, 400, "{body}: {}", r.text());
        }
        let raw = s.req(
            "POST",
            "/v1/lookup",
            &[("content-type", "application/json")],
            b"{\"number\":\"\xff\xfe\",\"name\":\"x\"}",
        );
        assert_eq!(raw.status, 400);
        // Nothing was dropped or changed: the holder is still found.
        assert_eq!(s.lookup(&number, &name).json()["status"], "found");
        s.stop();
    }
}

#[test]
fn malformed_oversized_and_strict_bodies() {
    for backend in BACKENDS {
        let s = demo_server(backend, &["--body-limit", "4096"]);
        let (name, number, _) = demo_holder(world(), 0);
        let cases: Vec<(&str, String, u16, &str)> = vec![
            ("/v1/lookup", "{\"number\":".into(), 400, "malformed_json"),
            ("/v1/lookup", "".into(), 400, "malformed_json"),
            ("/v1/lookup", "[]".into(), 400, "invalid_field"),
            ("/v1/lookup", "null".into(), 400, "invalid_field"),
            (
                "/v1/lookup",
                format!("{{\"number\":\"{number}\",\"name\":\"{name}\",\"x\":1}}"),
                400,
                "unknown_field",
            ),
            (
                "/v1/lookup",
                format!("{{\"number\":\"{number}\"}}"),
                400,
                "missing_field",
            ),
            (
                "/v1/lookup",
                format!("{{\"number\":310115197908230135,\"name\":\"{name}\"}}"),
                400,
                "invalid_field",
            ),
            (
                "/v1/lookup",
                format!("{{\"number\":\"{number}\",\"number\":\"{number}\",\"name\":\"{name}\"}}"),
                400,
                "duplicate_field",
            ),
            (
                "/v1/lookup",
                format!("{{\"number\":\"{}\",\"name\":\"{name}\"}}", &number[..17]),
                400,
                "invalid_number",
            ),
            (
                "/v1/lookup",
                format!(
                    "{{\"number\":\"{}{}\",\"name\":\"{name}\"}}",
                    &number[..17],
                    if number.ends_with('1') { '2' } else { '1' }
                ),
                400,
                "number_check_digit",
            ),
            (
                "/v1/lookup",
                format!("{{\"number\":\"{number}\",\"name\":\"   \"}}"),
                400,
                "invalid_name",
            ),
            ("/v1/verify", "{\"payload\":1}".into(), 400, "invalid_field"),
            (
                "/v1/verify",
                "{\"payload\":\"x\",\"extra\":true}".into(),
                400,
                "unknown_field",
            ),
            (
                "/v1/lookup",
                format!(
                    "{{\"number\":\"{number}\",\"name\":\"{}\"}}",
                    "x".repeat(5000)
                ),
                413,
                "payload_too_large",
            ),
            (
                "/v1/verify",
                format!("{{\"payload\":\"{}\"}}", "A".repeat(5000)),
                413,
                "payload_too_large",
            ),
        ];
        for (path, body, status, code) in &cases {
            let r = s.post_json(path, body);
            assert_eq!(
                r.status,
                *status,
                "{backend:?} {path} {body:.80}: {}",
                r.text()
            );
            let v = r.json();
            assert_eq!(v["error"], *code, "{body:.80}: {v}");
            assert!(v["message"]["zh"].is_string() && v["message"]["en"].is_string());
        }
        // A body too large without Content-Length (chunked) is refused too.
        let big = format!("{{\"payload\":\"{}\"}}", "A".repeat(20_000));
        let r = s.req(
            "POST",
            "/v1/verify",
            &[
                ("content-type", "application/json"),
                ("transfer-encoding", "chunked"),
            ],
            big.as_bytes(),
        );
        assert_eq!(r.status, 413, "{}", r.text());
        // Wrong or missing content type.
        for ct in [
            None,
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
        ] {
            let headers: Vec<(&str, &str)> = ct.map(|c| ("content-type", c)).into_iter().collect();
            let r = s.req("POST", "/v1/lookup", &headers, b"{}");
            assert_eq!(r.status, 415, "{ct:?}");
            assert_eq!(r.json()["error"], "unsupported_media_type");
        }
        // A charset parameter is fine.
        let r = s.req(
            "POST",
            "/v1/lookup",
            &[("content-type", "application/json; charset=utf-8")],
            serde_json::json!({"number": number, "name": name})
                .to_string()
                .as_bytes(),
        );
        assert_eq!(r.status, 200);
        s.stop();
    }
}

#[test]
fn cors_allows_only_listed_origins() {
    for backend in BACKENDS {
        let s = demo_server(backend, &["--allow-origin", "https://hr.example.com"]);
        let pre = |origin: &str| {
            s.req(
                "OPTIONS",
                "/v1/verify",
                &[
                    ("origin", origin),
                    ("access-control-request-method", "POST"),
                    ("access-control-request-headers", "content-type"),
                ],
                b"",
            )
        };
        let ok = pre("https://hr.example.com");
        assert_eq!(
            ok.header("access-control-allow-origin"),
            Some("https://hr.example.com"),
            "{:?}",
            ok.headers
        );
        let no = pre("https://evil.example.com");
        assert_eq!(no.header("access-control-allow-origin"), None);
        let r = s.req(
            "POST",
            "/v1/verify",
            &[
                ("content-type", "application/json"),
                ("origin", "https://hr.example.com"),
            ],
            br#"{"payload":"x"}"#,
        );
        assert_eq!(
            r.header("access-control-allow-origin"),
            Some("https://hr.example.com")
        );
        s.stop();
    }
}

#[test]
fn restart_keeps_data() {
    for backend in BACKENDS {
        let w = world();
        let db = backend.fresh_db(w.root());
        let demo = w.demo();
        let demo = demo.to_str().expect("utf-8");
        let (name, number, _) = demo_holder(w, 1);
        let s = Server::start(w.root(), &["--demo", demo, "--www", "www", "--db", &db]);
        let before = s.lookup(&number, &name).json();
        assert_eq!(before["status"], "found");
        s.stop();
        // Serve the same database as a deployment: nothing imported this time.
        let s = Server::start(w.root(), &["--data", demo, "--db", &db]);
        let after = s.lookup(&number, &name).json();
        assert_eq!(after, before, "{backend:?}");
        // Without --www only the API is served.
        assert_eq!(s.get("/").status, 404);
        s.stop();
    }
}

#[test]
fn security_headers_and_the_embedding_allowlist() {
    // Headers do not depend on the database: SQLite only.
    let s = demo_server(
        Backend::Sqlite,
        &["--embed-origin", "https://hr.example.com/"],
    );
    let page = s.get("/");
    assert_eq!(page.status, 200);
    let csp = page
        .header("content-security-policy")
        .expect("CSP")
        .to_string();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "{csp}"
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
        "{csp}"
    );
    assert!(
        csp.contains("frame-ancestors 'self' https://hr.example.com;"),
        "{csp}"
    );
    assert!(csp.contains("object-src 'none'"), "{csp}");
    assert_eq!(
        page.header("permissions-policy")
            .map(|p| p.starts_with("camera=(self)")),
        Some(true)
    );
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    // API answers carry them too.
    assert!(s
        .get("/healthz")
        .header("content-security-policy")
        .is_some());

    // The widget learns the same list from its own config.json.
    let config = s.get("/config.json").json();
    assert_eq!(
        config["embed_origins"],
        serde_json::json!(["https://hr.example.com"])
    );
    assert!(config["root_public_key"].is_string());
    s.stop();

    // Without --embed-origin only the widget's own origin may frame it.
    let plain = demo_server(Backend::Sqlite, &[]);
    let csp = plain
        .get("/")
        .header("content-security-policy")
        .map(str::to_string);
    assert!(
        csp.as_deref()
            .is_some_and(|c| c.contains("frame-ancestors 'self';")),
        "{csp:?}"
    );
    assert_eq!(
        plain.get("/config.json").json()["embed_origins"],
        serde_json::json!([])
    );
    plain.stop();

    // A wildcard or a path is refused before anything is served.
    let w = world();
    for bad in [
        "https://*.example.com",
        "https://hr.example.com/jobs",
        "hr.example.com",
    ] {
        let (_, err) = yz_expect(
            w.root(),
            &[
                "serve",
                "--demo",
                w.demo().to_str().expect("utf-8"),
                "--db",
                &Backend::Sqlite.fresh_db(w.root()),
                "--addr",
                "127.0.0.1:0",
                "--embed-origin",
                bad,
            ],
            2,
        );
        assert!(err.contains("not an exact origin"), "{bad}: {err}");
    }
}
