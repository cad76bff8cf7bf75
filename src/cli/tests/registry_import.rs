//! `yanzheng import` against an SQLite file and a real PostgreSQL: bad rows,
//! signed payloads, revocations with a re-signed list the server picks up,
//! the lookup key file, a large import killed with SIGKILL half-way, and a
//! server killed under load while an import runs.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use support::*;
use yanzheng_core::{Date, UnixTime};
use yanzheng_registry::Database;

const HEADER: &str = "type,name,sex,number,region,cert_id,first_issued,valid_from,valid_until,review_due,category,item,employer,role,industry";

fn today() -> Date {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    Date::in_china_at(UnixTime(secs))
}

/// A special-operations row valid since a year.
fn row(name: &str, number: &str, region: u32, cert_id: u64) -> String {
    let from = today().add_years(-1);
    format!(
        "special_operations,{name},男,{number},{region},{cert_id},{},{from},{},{},电工作业,低压电工作业,,,",
        from.add_years(-6),
        from.add_years(6).add_days(-1),
        from.add_years(3),
    )
}

fn count(db: &str) -> u64 {
    block_on(async {
        let d = Database::open(db, open_options(db)).await.expect("open db");
        let n = d.count().await.expect("count");
        d.close().await;
        n
    })
}

#[test]
fn import_reports_bad_rows_by_line_and_keeps_the_good_ones() {
    for backend in BACKENDS {
        let w = World::new();
        let d = w.root();
        let db = backend.fresh_db(d);
        let a = with_check_char("31011519900101123");
        let b = with_check_char("31011519910202124");
        let c = with_check_char("33010619800303125");
        let from = today().add_years(-1);
        let mut bad_number = with_check_char("31011519920303126");
        bad_number.replace_range(17.., if bad_number.ends_with('1') { "2" } else { "1" });
        let lines = [
            HEADER.to_string(),
            row("钱学森", &a, 310_000, 3_100_000_000_100_001), // 2 good
            row("孙悟空", &a, 310_000, 3_100_000_000_100_002).replace(&from.to_string(), "2020-13-01"), // 3 bad date
            row("周树人", &a, 310_000, 3_100_000_000_100_003).replace("special_operations", "driver_license"), // 4 type
            row("吴承恩", &bad_number, 310_000, 3_100_000_000_100_004), // 5 check digit
            row("", &a, 310_000, 3_100_000_000_100_005),               // 6 no name
            "special_operations,郑和,男".to_string(),                   // 7 too few fields
            row("钱学森", &a, 310_000, 3_100_000_000_100_001),          // 8 repeated cert_id
            row("林则徐", &b, 440_000, 4_400_000_000_000_001),          // 9 no key for the region
            row("阿卜杜·热合曼", &b, 310_104, 3_100_000_000_100_009),    // 10 good (district of 310000)
            format!(
                "safety_management,沈括,男,{c},330100,3_301_000_000_000_001,{},{from},{},,,,杭州某化工有限公司,主要负责人,危险化学品",
                from.add_years(-3),
                from.add_years(3).add_days(-1)
            )
            .replace("3_301_000_000_000_001", "3301000000000001"), // 11 good, Zhejiang key
        ];
        std::fs::write(d.join("certs.csv"), lines.join("\n") + "\n").expect("csv");
        let (out, err) = yz_expect(
            d,
            &[
                "import",
                "certs.csv",
                "--db",
                &db,
                "--data",
                "demo",
                "--failed",
                "failed.csv",
            ],
            1,
        );
        assert!(out.contains("3 certificates imported"), "{out}");
        assert!(out.contains("7 bad rows"), "{out}");
        for line in [3, 4, 5, 6, 7, 8, 9] {
            assert!(
                err.contains(&format!("certs.csv:{line}: ")),
                "line {line}: {err}"
            );
        }
        assert!(err.contains("check digit"), "{err}");
        assert!(err.contains("appears twice"), "{err}");
        assert!(err.contains("no key in the trust list"), "{err}");
        assert!(
            !err.contains(&a) && !err.contains("钱学森"),
            "personal data in {err}"
        );
        let failed = std::fs::read_to_string(d.join("failed.csv")).expect("failed.csv");
        assert_eq!(failed.lines().count(), 8, "{failed}");

        let s = Server::start(d, &["--data", "demo", "--db", &db]);
        let found = s.lookup(&a, "钱学森").json();
        assert_eq!(found["status"], "found", "{found}");
        assert_eq!(found["certificates"].as_array().map(Vec::len), Some(1));
        // A middle dot typed another way still finds the name.
        let v = s.lookup(&b, "阿卜杜・热合曼").json();
        assert_eq!(v["status"], "found", "{v}");
        assert_eq!(v["certificates"][0]["issuer"], "上海市应急管理局");
        let z = s.lookup(&c, "沈括").json();
        assert_eq!(z["certificates"][0]["issuer"], "浙江省应急管理厅", "{z}");
        assert_eq!(z["certificates"][0]["role"]["zh"], "主要负责人");
        assert_eq!(z["certificates"][0]["employer"], "杭州某化工有限公司");
        s.stop();

        // Importing the same file again changes nothing.
        let (out, _) = yz_expect(
            d,
            &["import", "certs.csv", "--db", &db, "--data", "demo"],
            1,
        );
        assert!(out.contains("(0 new or changed, 3 unchanged)"), "{out}");
    }
}

#[test]
fn import_of_signed_payloads_takes_what_core_verifies() {
    for backend in BACKENDS {
        let w = World::new();
        let d = w.root();
        let db = backend.fresh_db(d);
        let mut csv = String::from("cert_id,payload\n");
        let mut expected_lines = Vec::new();
        for (i, case) in w.cases.iter().enumerate() {
            let id = match yanzheng_core::verify(&case.payload, None, None, UnixTime(0)).certificate
            {
                Some(c) => c.cert_id.to_string(),
                None => "0".into(),
            };
            csv.push_str(&format!("{id},{}\n", case.payload));
            expected_lines.push((i + 2, case.expect.clone()));
        }
        csv.push_str("42,YZ1:NOT-A-PAYLOAD\n");
        std::fs::write(d.join("payloads.csv"), csv).expect("csv");
        let (out, err) = yz_expect(
            d,
            &["import", "payloads.csv", "--db", &db, "--data", "demo"],
            1,
        );
        // Genuine certificates are imported whatever their dates say; forged,
        // unknown-key, not-allowed and unreadable ones are not.
        let importable = [
            "valid",
            "review_due_soon",
            "review_overdue",
            "expired",
            "not_yet_valid",
            "revoked",
        ];
        for (line, expect) in &expected_lines {
            let reported = err.contains(&format!("payloads.csv:{line}: "));
            assert_eq!(
                reported,
                !importable.contains(&expect.as_str()),
                "{expect} on line {line}: {err}"
            );
        }
        assert!(out.contains("6 certificates imported"), "{out}");
        let s = Server::start(d, &["--data", "demo", "--db", &db]);
        let (name, number, _) = demo_holder(&w, 5);
        let v = s.lookup(&number, &name).json();
        assert_eq!(v["certificates"][0]["revoked"], true, "{v}");
        s.stop();
    }
}

#[test]
fn revocations_import_resigns_the_list_and_the_server_takes_it() {
    for backend in BACKENDS {
        let w = World::new();
        let d = w.root();
        let db = backend.fresh_db(d);
        let demo = w.demo();
        let demo_s = demo.to_str().expect("utf-8");
        let s = Server::start(
            d,
            &[
                "--demo",
                demo_s,
                "--www",
                "www",
                "--db",
                &db,
                "--reload-every",
                "0.2",
            ],
        );
        let (name, number, cert_id) = demo_holder(&w, 0);
        assert_eq!(
            s.lookup(&number, &name).json()["certificates"][0]["revoked"],
            false
        );
        let valid = w.payload("valid").to_string();
        let verdict = |s: &Server| {
            s.post_json(
                "/v1/verify",
                &serde_json::json!({ "payload": valid }).to_string(),
            )
            .json()["verdict"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(verdict(&s), "valid");
        let v1 = std::fs::read(demo.join("revocations")).expect("v1");

        std::fs::write(
            d.join("revoke.txt"),
            format!("# revoked by the issuer\n{cert_id}\n\n9999999999\n"),
        )
        .expect("ids");
        let (out, _) = revoke_in_demo(d, &db, "revoke.txt", 0);
        assert!(
            out.contains("revocation list version 2 with 3 revoked"),
            "{out}"
        );
        let (shown, _) = yz_expect(d, &["revocations", "show", "demo/revocations", "--json"], 0);
        let shown: serde_json::Value = serde_json::from_str(&shown).expect("json");
        assert_eq!(shown["version"], 2);

        wait_until(20, "the server to take revocations v2", || {
            s.get("/v1/revocations").body
                == std::fs::read(demo.join("revocations")).unwrap_or_default()
        });
        let v = s.lookup(&number, &name).json();
        assert_eq!(v["certificates"][0]["revoked"], true, "{v}");
        assert_eq!(verdict(&s), "revoked");
        // A device holding version 1 gets the one delta; one holding 2 gets
        // none; one holding an unknown version is sent to the full list.
        let delta = std::fs::read(demo.join("revocation-deltas/2")).expect("delta written");
        let r = s.get("/v1/revocations/deltas?since=1");
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("application/cbor"));
        let mut cbor = yanzheng_core::cbor::Reader::new(&r.body);
        assert_eq!(cbor.array(10).expect("an array"), 1);
        assert_eq!(cbor.bytes(1 << 20).expect("a delta"), delta.as_slice());
        assert!(cbor.finish().is_ok());
        assert_eq!(s.get("/revocations/deltas?since=2").body, vec![0x80]);
        assert_eq!(s.get("/v1/revocations/deltas?since=7").status, 404);
        assert_eq!(s.get("/v1/revocations/deltas?since=x").status, 400);

        // An older list dropped into the folder is refused: still version 2.
        let v2_tag = s.get("/v1/revocations").header("etag").map(str::to_string);
        std::fs::write(demo.join("revocations"), &v1).expect("rollback");
        std::thread::sleep(Duration::from_millis(1200));
        assert_eq!(
            s.get("/v1/revocations").header("etag").map(str::to_string),
            v2_tag
        );
        wait_until(10, "the refusal in the log", || {
            s.log_text().contains("refused")
        });
        assert_eq!(verdict(&s), "revoked");
        s.stop();

        // A bad id line revokes nothing.
        std::fs::write(d.join("bad.txt"), "3100000000000002\nabc\n").expect("ids");
        let (_, err) = revoke_in_demo(d, &db, "bad.txt", 2);
        assert!(err.contains("bad.txt line 2"), "{err}");
    }
}

#[test]
fn a_lookup_key_file_must_be_given_every_time() {
    for backend in BACKENDS {
        let w = World::new();
        let d = w.root();
        let db = backend.fresh_db(d);
        import_demo(d, &db, &["--lookup-key-file", "lookup.key"], 0);
        let key = std::fs::read_to_string(d.join("lookup.key")).expect("key file");
        assert_eq!(key.trim().len(), 64);
        // Without the file, or with another key, the database is refused.
        let (_, err) = import_demo(d, &db, &[], 2);
        assert!(err.contains("--lookup-key-file"), "{err}");
        let (_, err) = import_demo(d, &db, &["--lookup-key-file", "other.key"], 2);
        assert!(
            err.contains("--lookup-key-file it was created with"),
            "{err}"
        );
        assert!(!d.join("other.key").exists(), "no stray key file is made");
        std::fs::write(d.join("wrong.key"), format!("{}\n", "ab".repeat(32))).expect("key");
        let (_, err) = import_demo(d, &db, &["--lookup-key-file", "wrong.key"], 2);
        assert!(err.contains("different lookup key"), "{err}");
        let s = Server::start(
            d,
            &[
                "--data",
                "demo",
                "--db",
                &db,
                "--lookup-key-file",
                "lookup.key",
            ],
        );
        let (name, number, _) = demo_holder(&w, 0);
        assert_eq!(s.lookup(&number, &name).json()["status"], "found");
        s.stop();
    }
}

#[test]
fn a_lookup_takes_as_long_whether_or_not_the_number_exists() {
    // One number with 300 certificates (the worst case for the old lookup,
    // which read every row of a known number to compare the names), and a
    // number the registry does not hold.
    let w = World::new();
    let d = w.root();
    let db = Backend::Sqlite.fresh_db(d);
    let known = with_check_char("11010519491231002");
    let unknown = with_check_char("11010519500101003");
    let mut csv = format!("{HEADER}\n");
    for i in 0..300u64 {
        csv.push_str(&row("张伟", &known, 310_000, 3_100_000_000_100_000 + i));
        csv.push('\n');
    }
    std::fs::write(d.join("one-holder.csv"), csv).expect("csv");
    yz_expect(
        d,
        &["import", "one-holder.csv", "--db", &db, "--data", "demo"],
        0,
    );
    let s = Server::start(
        d,
        &[
            "--data",
            "demo",
            "--db",
            &db,
            "--lookup-burst",
            "0",
            "--lookup-misses-per-number",
            "0",
        ],
    );
    let timed = |number: &str| {
        let t = Instant::now();
        let r = s.lookup(number, "李娜");
        assert_eq!(r.status, 200);
        assert_eq!(r.json()["status"], "not_found");
        t.elapsed().as_secs_f64() * 1e3
    };
    for _ in 0..30 {
        timed(&known);
        timed(&unknown);
    }
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..300 {
        a.push(timed(&known));
        b.push(timed(&unknown));
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (ma, mb) = (median(&mut a), median(&mut b));
    let (qa, qb) = (a[a.len() * 9 / 10], b[b.len() * 9 / 10]);
    eprintln!(
        "lookup ms, known number + wrong name: median {ma:.3}, p90 {qa:.3}; \
         unknown number: median {mb:.3}, p90 {qb:.3}"
    );
    // The same work: the medians within 35% of each other (the old lookup
    // took several times as long for the known number).
    assert!(
        ma < mb * 1.35 + 0.05 && mb < ma * 1.35 + 0.05,
        "timing tells the answers apart: {ma:.3} ms vs {mb:.3} ms"
    );
    s.stop();
}

/// `n` good rows with distinct numbers and ids.
fn big_csv(n: usize) -> String {
    const SURNAMES: &[&str] = &["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"];
    const GIVEN: &[&str] = &[
        "伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰",
    ];
    let born = Date::from_ymd(1970, 1, 1).expect("date");
    let mut s = String::with_capacity(n * 160);
    s.push_str(HEADER);
    s.push('\n');
    for i in 0..n {
        let birth = born.add_days((i / 900) as i32).to_string().replace('-', "");
        let number = with_check_char(&format!("310115{birth}{:03}", i % 900));
        let name = format!(
            "{}{}{}",
            SURNAMES[i % SURNAMES.len()],
            GIVEN[(i / 10) % GIVEN.len()],
            GIVEN[(i / 120) % GIVEN.len()]
        );
        s.push_str(&row(
            &name,
            &number,
            310_000,
            3_100_000_001_000_000 + i as u64,
        ));
        s.push('\n');
    }
    s
}

/// `yanzheng import demo/certificates.csv` in `d` into `db` with `extra`
/// options, expecting exit `code`; its standard output and error.
fn import_demo(d: &Path, db: &str, extra: &[&str], code: i32) -> (String, String) {
    let mut args = vec![
        "import",
        "demo/certificates.csv",
        "--db",
        db,
        "--data",
        "demo",
    ];
    args.extend_from_slice(extra);
    yz_expect(d, &args, code)
}

/// `yanzheng import big.csv` in `d` into `db`, `batch` rows a transaction,
/// running in the background.
fn start_big_import(d: &Path, db: &str, batch: usize) -> std::process::Child {
    let mut c = Command::new(BIN);
    with_pg_key(&mut c, &[db]);
    c.args([
        "import",
        "big.csv",
        "--db",
        db,
        "--data",
        "demo",
        "--batch-size",
    ])
    .arg(batch.to_string())
    .current_dir(d)
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .expect("spawn import")
}

/// The same import to its end; its standard output.
fn import_big_again(d: &Path, db: &str, batch: usize) -> (String, String) {
    let batch = batch.to_string();
    yz_expect(
        d,
        &[
            "import",
            "big.csv",
            "--db",
            db,
            "--data",
            "demo",
            "--batch-size",
            &batch,
        ],
        0,
    )
}

/// Reopens `db` after a crash: its integrity check must pass; its rows.
fn rows_after_a_crash(db: &str) -> u64 {
    block_on(async {
        let dbh = Database::open(db, open_options(db))
            .await
            .expect("reopen after the kill");
        dbh.integrity_check().await.expect("integrity");
        let n = dbh.count().await.expect("count");
        dbh.close().await;
        n
    })
}

#[test]
fn sigkill_during_a_large_import_leaves_whole_batches_and_a_rerun_completes() {
    const ROWS: usize = 50_000;
    const BATCH: usize = 500;
    for backend in BACKENDS {
        let w = World::new();
        let d = w.root();
        let db = backend.fresh_db(d);
        std::fs::write(d.join("big.csv"), big_csv(ROWS)).expect("csv");
        let mut child = start_big_import(d, &db, BATCH);
        // Kill it once a few batches are in, well before the end.
        let deadline = Instant::now() + Duration::from_secs(120);
        let killed_at = block_on(async {
            let mut opened = None;
            loop {
                assert!(Instant::now() < deadline, "the import wrote nothing");
                if let Ok(Some(status)) = child.try_wait() {
                    panic!("the import ended ({status}) before it could be killed");
                }
                if opened.is_none() {
                    // The import creates the database: open it once it exists.
                    opened = Database::open(&db, open_options(&db)).await.ok();
                }
                if let Some(dbh) = &opened {
                    let n = dbh.count().await.unwrap_or(0);
                    if n >= 3 * BATCH as u64 {
                        child.kill().expect("SIGKILL");
                        let _ = child.wait();
                        dbh.close().await;
                        return n;
                    }
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        });
        assert!(
            killed_at < ROWS as u64,
            "{backend:?}: killed too late ({killed_at})"
        );

        // After the crash: a consistent database holding whole batches only.
        let after = rows_after_a_crash(&db);
        assert!(after >= killed_at && after < ROWS as u64, "{after}");
        eprintln!("{backend:?}: killed at {killed_at}, {after} rows after the kill");
        assert_eq!(
            after % BATCH as u64,
            0,
            "{backend:?}: a half-written batch ({after} rows)"
        );

        // The re-run completes: what is there stays, the rest is added.
        let (out, _) = import_big_again(d, &db, BATCH);
        assert!(
            out.contains(&format!(
                "{ROWS} certificates imported ({} new or changed, {after} unchanged), 0 bad rows",
                ROWS as u64 - after
            )),
            "{out}"
        );
        assert_eq!(count(&db), ROWS as u64);

        // First and last rows answer.
        let s = Server::start(d, &["--data", "demo", "--db", &db]);
        let csv = std::fs::read_to_string(d.join("big.csv")).expect("csv");
        for line in [csv.lines().nth(1), csv.lines().last()] {
            let cells: Vec<&str> = line.expect("row").split(',').collect();
            let v = s.lookup(cells[3], cells[1]).json();
            assert_eq!(v["status"], "found", "{v}");
        }
        s.stop();
    }
}

#[test]
fn sigkill_of_a_loaded_server_and_a_running_import_then_restart_loses_nothing() {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::sync::Arc;
    const ROWS: usize = 40_000;
    const BATCH: usize = 500;
    for backend in BACKENDS {
        let w = World::new();
        let d = w.root();
        let db = backend.fresh_db(d);
        // The demo's certificates are committed before anything is killed.
        import_demo(d, &db, &[], 0);
        let committed = count(&db);
        assert!(committed >= 3, "{committed}");
        std::fs::write(d.join("big.csv"), big_csv(ROWS)).expect("csv");
        let s = Server::start(d, &["--data", "demo", "--db", &db, "--lookup-burst", "0"]);
        let holders: Vec<(String, String, u64)> = (0..3).map(|i| demo_holder(&w, i)).collect();
        let before: Vec<serde_json::Value> = holders
            .iter()
            .map(|(name, number, _)| s.lookup(number, name).json())
            .collect();
        for b in &before {
            assert_eq!(b["status"], "found", "{b}");
        }

        // Load: three clients looking the holders up without pause.
        let stop = Arc::new(AtomicBool::new(false));
        let answered = Arc::new(AtomicU64::new(0));
        let loaders: Vec<_> = (0..3)
            .map(|k| {
                let (stop, answered) = (Arc::clone(&stop), Arc::clone(&answered));
                let (name, number, _) = holders[k].clone();
                let addr = s.addr;
                std::thread::spawn(move || {
                    let body = serde_json::json!({ "number": number, "name": name }).to_string();
                    let mut statuses = Vec::new();
                    while !stop.load(Ordering::Relaxed) {
                        // After the kill, connecting fails: that ends the loop.
                        let Ok(mut c) = std::net::TcpStream::connect(addr) else {
                            break;
                        };
                        let req = format!(
                            "POST /v1/lookup HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
                             content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        use std::io::{Read, Write};
                        let _ = c.write_all(req.as_bytes());
                        let mut out = Vec::new();
                        let _ = c.read_to_end(&mut out);
                        if out.is_empty() {
                            continue; // cut off by the kill
                        }
                        statuses
                            .push(String::from_utf8_lossy(&out[..out.len().min(12)]).into_owned());
                        answered.fetch_add(1, Ordering::Relaxed);
                    }
                    statuses
                })
            })
            .collect();

        // An import writing at the same time.
        let mut import = start_big_import(d, &db, BATCH);
        let deadline = Instant::now() + Duration::from_secs(120);
        let at_kill = block_on(async {
            let dbh = Database::open(&db, open_options(&db))
                .await
                .expect("open db");
            loop {
                assert!(Instant::now() < deadline, "the import wrote nothing");
                if let Ok(Some(status)) = import.try_wait() {
                    panic!("the import ended ({status}) before it could be killed");
                }
                let n = dbh.count().await.unwrap_or(0);
                if n >= committed + 3 * BATCH as u64 && answered.load(Ordering::Relaxed) >= 50 {
                    // Both at once, mid-load and mid-import.
                    let _ = import.kill();
                    s.kill();
                    let _ = import.wait();
                    dbh.close().await;
                    return n;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        });
        stop.store(true, Ordering::Relaxed);
        let mut served = 0;
        for l in loaders {
            for status in l.join().expect("loader") {
                assert_eq!(status, "HTTP/1.1 200", "{backend:?}: an answer under load");
                served += 1;
            }
        }
        assert!(
            at_kill < committed + ROWS as u64,
            "{backend:?}: killed too late"
        );

        // Restart: the database is consistent and holds whole batches only.
        let after = rows_after_a_crash(&db);
        eprintln!(
            "{backend:?}: {served} lookups served, then SIGKILL with {at_kill} rows; {after} after"
        );
        assert!(
            after >= at_kill,
            "{backend:?}: rows lost ({at_kill} -> {after})"
        );
        assert_eq!(
            (after - committed) % BATCH as u64,
            0,
            "{backend:?}: a half-written batch ({after} rows)"
        );
        let s = Server::start(d, &["--data", "demo", "--db", &db]);
        assert_eq!(s.get("/healthz").status, 200);
        for ((name, number, _), b) in holders.iter().zip(&before) {
            assert_eq!(&s.lookup(number, name).json(), b, "{backend:?}");
        }
        s.stop();
        // And the import, run again, completes.
        import_big_again(d, &db, BATCH);
        assert_eq!(count(&db), committed + ROWS as u64);
    }
}
