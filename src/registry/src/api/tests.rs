//! The API's handlers through its real router and a real SQLite file: what
//! each endpoint answers, and that every refusal is core's code and words
//! with its status. (Over TCP and through the CLI: `src/cli/tests`.)

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use tower::ServiceExt;
use yanzheng_core::messages::{api_error, Lang};
use yanzheng_core::online::{ApiError as Refusal, InputError};
use yanzheng_core::{
    CertKind, Certificate, Date, IssuerKey, KeyStatus, SecretKey, Sex, TrustList, UnixTime,
};

use crate::db::now;
use crate::limit::RateLimit;
use crate::{CertificateRecord, Database, ListStore, OpenOptions, Registry, ServerConfig};

const NUMBER: &str = "11010519491231002X";
const NAME: &str = "张建国";

/// A registry with one certificate, its trust list, and `config`.
async fn registry(config: ServerConfig) -> (Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = SecretKey::from_seed(&[7; 32]);
    let issuer = SecretKey::from_seed(&[8; 32]);
    let today = Date::in_china_at(now());
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
    std::fs::write(dir.path().join("trust-list"), &trust).expect("write");
    let db = Database::open(
        dir.path().join("registry.db").to_str().expect("utf-8"),
        OpenOptions::default(),
    )
    .await
    .expect("open");
    let cert = Certificate {
        kind: CertKind::SpecialOperations,
        name: NAME.into(),
        sex: Sex::Male,
        number: NUMBER.into(),
        region: 310_000,
        cert_id: 3_100_000_000_000_001,
        signed_on: today.add_days(-30),
        details: yanzheng_core::Details {
            first_issued: today.add_years(-3),
            valid_from: today.add_days(-30),
            valid_until: today.add_years(6),
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
    let lists = ListStore::load(dir.path(), root.public()).expect("lists");
    let router = Registry::new(db, lists, config).router().expect("router");
    (router, dir)
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    /// Asserts that this is `refusal`: its status, its code, core's words.
    fn is(&self, refusal: Refusal) {
        let v = self.json();
        assert_eq!(v["error"], refusal.code(), "{v}");
        assert_eq!(self.status, super::status(refusal), "{v}");
        assert_eq!(v["message"]["zh"], api_error(refusal, Lang::Zh));
        assert_eq!(v["message"]["en"], api_error(refusal, Lang::En));
        assert_eq!(
            self.headers
                .get(header::CACHE_CONTROL)
                .map(|v| v.as_bytes()),
            Some(&b"no-store"[..])
        );
    }
}

async fn send(router: &Router, request: Request<Body>) -> Answer {
    let response = router.clone().oneshot(request).await.expect("an answer");
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("body")
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

async fn post(router: &Router, path: &str, content_type: &str, body: &str) -> Answer {
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_string()))
        .expect("request");
    send(router, request).await
}

async fn lookup(router: &Router, number: &str, name: &str) -> Answer {
    let body = serde_json::json!({ "number": number, "name": name }).to_string();
    post(router, "/v1/lookup", "application/json", &body).await
}

async fn get(router: &Router, path: &str) -> Answer {
    let request = Request::builder()
        .uri(path)
        .body(Body::empty())
        .expect("request");
    send(router, request).await
}

#[tokio::test]
async fn a_lookup_finds_the_holder_masked_with_core_s_verdict() {
    let (router, _dir) = registry(ServerConfig::default()).await;
    let found = lookup(&router, "110105 19491231002x", NAME).await;
    assert_eq!(found.status, StatusCode::OK);
    let v = found.json();
    assert_eq!(v["status"], "found", "{v}");
    let c = &v["certificates"][0];
    assert_eq!(c["number_masked"], "**************002X");
    assert_eq!(c["name_masked"], "张**");
    assert_eq!(c["status"]["verdict"], "valid", "{c}");
    let text = String::from_utf8_lossy(&found.body);
    assert!(!text.contains(NUMBER) && !text.contains(NAME), "{text}");
}

#[tokio::test]
async fn not_found_says_the_same_for_an_unknown_number_and_a_wrong_name() {
    let (router, _dir) = registry(ServerConfig::default()).await;
    let wrong_name = lookup(&router, NUMBER, "张建").await;
    let first17 = "11010519491231004";
    let check = yanzheng_core::cert::id_number_check_char(first17).expect("17 digits");
    let unknown = lookup(&router, &format!("{first17}{check}"), NAME).await;
    assert_eq!(wrong_name.status, StatusCode::OK);
    assert_eq!(wrong_name.json()["status"], "not_found");
    assert_eq!(wrong_name.body, unknown.body, "the answer tells nothing");
    assert_eq!(
        wrong_name.json()["message"]["zh"],
        super::NotFoundMessage::new().zh
    );
}

#[tokio::test]
async fn typed_input_is_refused_with_core_s_codes_and_words() {
    let (router, _dir) = registry(ServerConfig::default()).await;
    lookup(&router, "1101", NAME)
        .await
        .is(Refusal::Input(InputError::NumberShape));
    lookup(&router, "110105194912310021", NAME)
        .await
        .is(Refusal::Input(InputError::NumberChecksum));
    lookup(&router, NUMBER, "张\u{200b}建国")
        .await
        .is(Refusal::Input(InputError::NameCharacters));
    lookup(&router, NUMBER, "  ")
        .await
        .is(Refusal::Input(InputError::NameEmpty));
}

#[tokio::test]
async fn only_strict_json_is_read() {
    let (router, _dir) = registry(ServerConfig {
        body_limit: 256,
        ..ServerConfig::default()
    })
    .await;
    let json = "application/json";
    let cases = [
        (
            json,
            r#"{"number":"1","name":"x","extra":1}"#,
            Refusal::UnknownField,
        ),
        (
            json,
            r#"{"number":"1","number":"2","name":"x"}"#,
            Refusal::DuplicateField,
        ),
        (json, r#"{"number":"1"}"#, Refusal::MissingField),
        (json, r#"{"number":1,"name":"x"}"#, Refusal::InvalidField),
        (json, r#"{"number":"1","#, Refusal::MalformedJson),
        (
            "text/plain",
            r#"{"number":"1","name":"x"}"#,
            Refusal::UnsupportedMediaType,
        ),
    ];
    for (content_type, body, refusal) in cases {
        post(&router, "/v1/lookup", content_type, body)
            .await
            .is(refusal);
    }
    let big = format!(r#"{{"number":"{}","name":"x"}}"#, "1".repeat(400));
    post(&router, "/v1/lookup", json, &big)
        .await
        .is(Refusal::PayloadTooLarge);
    // A charset parameter is fine.
    let ok = post(
        &router,
        "/v1/lookup",
        "application/json; charset=utf-8",
        &serde_json::json!({ "number": NUMBER, "name": NAME }).to_string(),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_paths_and_wrong_methods_are_json_refusals() {
    let (router, _dir) = registry(ServerConfig::default()).await;
    get(&router, "/v1/nothing").await.is(Refusal::NotFound);
    get(&router, "/nothing").await.is(Refusal::NotFound);
    let wrong = get(&router, "/v1/lookup").await;
    wrong.is(Refusal::MethodNotAllowed);
    assert_eq!(
        wrong.headers.get(header::ALLOW).map(|v| v.as_bytes()),
        Some(&b"POST"[..])
    );
}

#[tokio::test]
async fn lookups_are_limited_per_client_and_per_missed_number() {
    let (router, _dir) = registry(ServerConfig {
        rate_limit: RateLimit {
            burst: 2,
            per_second: 0.001,
        },
        ..ServerConfig::default()
    })
    .await;
    assert_eq!(lookup(&router, NUMBER, NAME).await.status, StatusCode::OK);
    assert_eq!(lookup(&router, NUMBER, NAME).await.status, StatusCode::OK);
    let limited = lookup(&router, NUMBER, NAME).await;
    limited.is(Refusal::RateLimited);
    let wait: u64 = limited
        .headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!(wait >= 1);
    assert_eq!(limited.json()["retry_after"], wait);

    let (router, _dir) = registry(ServerConfig {
        miss_limit: RateLimit {
            burst: 1,
            per_second: 0.001,
        },
        ..ServerConfig::default()
    })
    .await;
    assert_eq!(
        lookup(&router, NUMBER, "李四").await.json()["status"],
        "not_found"
    );
    lookup(&router, NUMBER, "王五")
        .await
        .is(Refusal::TooManyMisses);
}

#[tokio::test]
async fn the_lists_come_with_etags_and_their_own_refusals() {
    let (router, _dir) = registry(ServerConfig::default()).await;
    let list = get(&router, "/v1/trust-list").await;
    assert_eq!(list.status, StatusCode::OK);
    let etag = list.headers.get(header::ETAG).expect("an ETag").clone();
    let again = send(
        &router,
        Request::builder()
            .uri("/v1/trust-list")
            .header(header::IF_NONE_MATCH, etag)
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    get(&router, "/v1/revocations")
        .await
        .is(Refusal::ListNotPublished);
    get(&router, "/v1/revocations/deltas")
        .await
        .is(Refusal::InvalidQuery);
    get(&router, "/v1/revocations/deltas?since=x")
        .await
        .is(Refusal::InvalidQuery);
    get(&router, "/config.json")
        .await
        .is(Refusal::ConfigNotPublished);
}

#[tokio::test]
async fn verify_gives_core_s_report_with_the_server_s_lists() {
    let (router, _dir) = registry(ServerConfig::default()).await;
    let body = serde_json::json!({ "payload": "https://fake.example/cert?id=1" }).to_string();
    let answer = post(&router, "/v1/verify", "application/json", &body).await;
    assert_eq!(answer.status, StatusCode::OK);
    let v = answer.json();
    assert_eq!(v["source"], "server");
    assert_eq!(v["verdict"], "not_a_certificate", "{v}");
    assert_eq!(v["host"], "fake.example", "{v}");
    assert_eq!(
        v["trust_list"]["version"], 1,
        "checked with the server's list"
    );
}
