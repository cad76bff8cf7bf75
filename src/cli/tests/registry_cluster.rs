//! Two registry instances on one PostgreSQL, as docs/deployment.md runs
//! them: stateless apart from the database (and the signed list files, which
//! every instance reads from the same published folder). Certificates
//! imported while both serve are answered by both; a revocation imported
//! through the CLI is in both instances' lookups, verdicts, lists and deltas.

mod support;

use support::*;

fn found_revoked(s: &Server, number: &str, name: &str) -> Option<bool> {
    let v = s.lookup(number, name).json();
    v["certificates"][0]["revoked"].as_bool()
}

#[test]
fn two_instances_on_one_postgres_serve_the_same_registry() {
    let w = World::new();
    let d = w.root();
    let db = Backend::Postgres.fresh_db(d);
    let args = ["--data", "demo", "--db", &db, "--reload-every", "0.2"];
    // Both start on an empty database at once: one migrates, the other
    // waits for it (advisory lock) and finds the schema in place.
    let a = Server::start(d, &args);
    let b = Server::start(d, &args);
    let (name, number, cert_id) = demo_holder(&w, 0);
    for s in [&a, &b] {
        assert_eq!(found_revoked(s, &number, &name), None, "empty at first");
    }

    // Import through the CLI while both serve: both answer at once.
    let (out, _) = yz_expect(
        d,
        &[
            "import",
            "demo/certificates.csv",
            "--db",
            &db,
            "--data",
            "demo",
        ],
        0,
    );
    assert!(out.contains("certificates imported"), "{out}");
    for s in [&a, &b] {
        assert_eq!(found_revoked(s, &number, &name), Some(false));
    }

    // A revocation: the database and the published folder (list + delta).
    std::fs::write(d.join("revoke.txt"), format!("{cert_id}\n")).expect("ids");
    revoke_in_demo(d, &db, "revoke.txt", 0);
    let list = std::fs::read(w.demo().join("revocations")).expect("list");
    let valid = serde_json::json!({ "payload": w.payload("valid") }).to_string();
    for s in [&a, &b] {
        wait_until(20, "both instances to take revocations v2", || {
            s.get("/v1/revocations").body == list
        });
        assert_eq!(found_revoked(s, &number, &name), Some(true));
        assert_eq!(
            s.post_json("/v1/verify", &valid).json()["verdict"],
            "revoked"
        );
        let deltas = s.get("/v1/revocations/deltas?since=1");
        assert_eq!(deltas.status, 200);
        assert!(deltas.body.len() > 100, "one delta expected");
        assert_eq!(s.get("/healthz").status, 200);
    }
    // The two serve the same bytes (same ETag): a CDN may front either.
    assert_eq!(
        a.get("/v1/revocations").header("etag").map(str::to_string),
        b.get("/v1/revocations").header("etag").map(str::to_string)
    );
    a.stop();
    b.stop();
}
