//! Batch signing from CSV: good rows become images and payloads, bad rows are
//! reported by line and do not stop the batch.

mod support;

use support::*;

const HEADER: &str = "type,name,sex,number,region,cert_id,first_issued,valid_from,valid_until,review_due,category,item,employer,role,industry";

fn row(name: &str, number: &str, cert_id: u64, category: &str, item: &str) -> String {
    let from = today().add_years(-1);
    format!(
        "special_operations,{name},男,{number},310000,{cert_id},{},{from},{},{},{category},{item},,,",
        from.add_years(-6),
        from.add_years(6).add_days(-1),
        from.add_years(3),
    )
}

#[test]
fn batch_signs_good_rows_and_reports_bad_ones_by_line() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    world(d);
    let lines = [
        HEADER.to_string(),
        // line 2: good, names in Chinese
        row("张建国", ID_NUMBER, 3_100_000_000_000_001, "电工作业", "低压电工作业"),
        // line 3: wrong check digit
        row("李秀英", "110105194912310021", 3_100_000_000_000_002, "1", "102"),
        // line 4: good, codes and English names
        row("王志强", "310115197908230135", 3_100_000_000_000_003, "Work at height", "301"),
        // line 5: unknown category
        row("刘海燕", ID_NUMBER, 3_100_000_000_000_004, "电焊作业", "201"),
        // line 6: missing name
        row("", ID_NUMBER, 3_100_000_000_000_005, "2", "201"),
        // line 7: the same cert_id as line 2
        row("陈明", ID_NUMBER, 3_100_000_000_000_001, "2", "201"),
        // line 8: an item of another category
        row("杨磊", ID_NUMBER, 3_100_000_000_000_008, "1", "201"),
        // line 9: too few fields
        "special_operations,赵丽娟,女".to_string(),
        // line 10: a safety-management certificate this key may not sign
        format!(
            "safety_management,周国平,男,{ID_NUMBER},310000,3100000000000010,2023-01-01,2023-01-01,2025-12-31,,,,上海某化工有限公司,主要负责人,危险化学品"
        ),
    ];
    std::fs::write(d.join("holders.csv"), lines.join("\n") + "\n").expect("write");
    let o = yz(
        d,
        &["sign", "--key", "issuer.key", "holders.csv", "--out", "out"],
    );
    expect_code(&o, 1);
    assert!(stdout(&o).contains("2 signed, 7 failed"), "{}", stdout(&o));
    let err = stderr(&o);
    for (line, why) in [
        (3, "check digit"),
        (5, "unknown category `电焊作业`"),
        (6, "missing value for `name`"),
        (7, "already used on line 2"),
        (8, "not an item of the category"),
        (9, "fields"),
        (10, "may not sign safety_management"),
    ] {
        assert!(
            err.contains(&format!("holders.csv:{line}: ")) && err.contains(why),
            "line {line} ({why}) not reported:\n{err}"
        );
    }
    assert!(
        !err.contains("110105194912310021"),
        "an ID number was echoed"
    );

    let failed = std::fs::read_to_string(d.join("out/failed.csv")).expect("failed.csv");
    let failed_lines: Vec<&str> = failed.lines().collect();
    assert_eq!(failed_lines[0], "line,cert_id,reason");
    let reported: Vec<&str> = failed_lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap_or_default())
        .collect();
    assert_eq!(reported, ["3", "5", "6", "7", "8", "9", "10"]);
    assert!(failed.contains("3,3100000000000002,"), "{failed}");

    let payloads = std::fs::read_to_string(d.join("out/payloads.csv")).expect("payloads.csv");
    let rows: Vec<&str> = payloads.lines().collect();
    assert_eq!(rows[0], "cert_id,payload");
    assert_eq!(rows.len(), 3, "{payloads}");
    for id in ["3100000000000001", "3100000000000003"] {
        assert!(d.join(format!("out/{id}.png")).is_file());
        assert!(d.join(format!("out/{id}.svg")).is_file());
    }
    assert!(!d.join("out/3100000000000002.png").exists());
    // The images are real: line 4's card verifies.
    let (v, c) = verdict_of(d, &["--image", "out/3100000000000003.png"]);
    assert_eq!((v.as_str(), c), ("valid", 0));
    // payloads.csv holds the same text the image does.
    let decoded = ok(d, &["decode", "out/3100000000000001.png"]);
    assert!(rows[1].ends_with(decoded.trim()), "{}", rows[1]);
}

#[test]
fn batch_all_good_exits_zero_and_a_bad_header_is_a_usage_error() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    world(d);
    let csv = format!(
        "\u{feff}{HEADER}\n{}\n",
        row("张建国", ID_NUMBER, 3_100_000_000_000_001, "1", "102")
    );
    std::fs::write(d.join("a.csv"), csv).expect("write");
    let out = ok(d, &["sign", "--key", "issuer.key", "a.csv", "--out", "out"]);
    assert!(out.contains("1 signed, 0 failed"), "{out}");
    std::fs::write(d.join("b.csv"), "name,catgory\n张三,1\n").expect("write");
    let o = yz(
        d,
        &["sign", "--key", "issuer.key", "b.csv", "--out", "out2"],
    );
    expect_code(&o, 2);
    assert!(
        stderr(&o).contains("unknown column `catgory`"),
        "{}",
        stderr(&o)
    );
    // A batch needs --out.
    expect_code(&yz(d, &["sign", "--key", "issuer.key", "a.csv"]), 2);
    // Not UTF-8 in a cell: that row fails, the batch goes on.
    let mut bytes = format!("{HEADER}\n").into_bytes();
    bytes.extend(
        row("X", ID_NUMBER, 3_100_000_000_000_007, "1", "102")
            .replace('X', "\u{1}")
            .into_bytes(),
    );
    let bad_at = bytes.iter().position(|b| *b == 1).expect("marker");
    bytes[bad_at] = 0xff;
    bytes.push(b'\n');
    bytes.extend(row("张建国", ID_NUMBER, 3_100_000_000_000_008, "1", "102").into_bytes());
    std::fs::write(d.join("c.csv"), bytes).expect("write");
    let o = yz(
        d,
        &["sign", "--key", "issuer.key", "c.csv", "--out", "out3"],
    );
    expect_code(&o, 1);
    assert!(stdout(&o).contains("1 signed, 1 failed"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("c.csv:2: column `name` is not UTF-8"),
        "{}",
        stderr(&o)
    );
}
