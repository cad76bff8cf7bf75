use std::rc::Rc;

use yanzheng_core::messages::{explain, Lang};
use yanzheng_core::{base45, payload, UnixTime, Verdict};

use crate::scan::ImageOutcome;
use crate::state::test_helpers::{loaded, new_effects, pasted, recorded, verdict_of};
use crate::state::{Action, Effect, Focus, ScanState, State, TrustState};
use crate::test_support::{day, now, Fixture, REVOKED_ID};

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn starts_loading_in_chinese_and_remembers_a_switch() {
    let s = State::new(Lang::default());
    assert_eq!(s.lang, Lang::Zh);
    assert_eq!(s.trust, TrustState::Loading);
    assert_eq!(s.scan.shown.code(), "idle");
    let en = s.apply(Action::SetLang(Lang::En));
    assert_eq!(en.lang, Lang::En);
    assert_eq!(new_effects(&s, &en), vec![Effect::SaveLang(Lang::En)]);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_valid_payload_is_valid_offline_and_recorded_once() {
    let fx = Fixture::new();
    let start = loaded(&fx);
    let s = pasted(&start, &format!("  {}\n", fx.valid_payload()));
    assert_eq!(verdict_of(&s).code(), "valid");
    let r = s.scan.shown.result().expect("a result");
    assert_eq!(r.source.code(), "offline");
    assert!(r.report.signature_verified);
    let fields = r.report.fields.as_ref().expect("fields");
    assert_eq!(fields.number_masked, "**************1232");
    assert_eq!(
        new_effects(&start, &s),
        vec![Effect::Record(Rc::clone(r)), Effect::Focus(Focus::Result)]
    );
    // Masked until tapped; the next result starts masked again.
    assert!(!s.scan.number_revealed);
    let shown = s.apply(Action::ToggleNumber);
    assert!(shown.scan.number_revealed);
    assert!(!pasted(&shown, &fx.valid_payload()).scan.number_revealed);
    assert_eq!(
        r.report.issuer.as_ref().map(|i| i.name.as_str()),
        Some("江苏省应急管理厅")
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn taken_effects_are_forgotten() {
    let fx = Fixture::new();
    let s = pasted(&loaded(&fx), &fx.valid_payload());
    assert_eq!(recorded(&s), 1);
    let taken = s.apply(Action::EffectsTaken {
        upto: s.outbox.last(),
    });
    assert_eq!(taken.outbox.pending().count(), 0);
    assert_eq!(taken.outbox.last(), s.outbox.last());
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn dates_and_revocations_come_from_core() {
    let fx = Fixture::new();
    let s = loaded(&fx);
    let mut expired = fx.certificate();
    expired.details.valid_from = day(2018, 1, 1);
    expired.details.first_issued = day(2018, 1, 1);
    expired.details.valid_until = day(2024, 1, 1);
    expired.details.review_due = Some(day(2021, 1, 1));
    assert_eq!(
        verdict_of(&pasted(&s, &fx.sign(&expired))).code(),
        "expired"
    );

    let mut revoked = fx.certificate();
    revoked.cert_id = REVOKED_ID;
    assert_eq!(
        verdict_of(&pasted(&s, &fx.sign(&revoked))).code(),
        "revoked"
    );

    let mut soon = fx.certificate();
    soon.details.review_due = Some(day(2025, 6, 20));
    assert_eq!(
        verdict_of(&pasted(&s, &fx.sign(&soon))).code(),
        "review_due_soon"
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_tampered_signature_is_invalid_and_a_link_is_not_a_certificate() {
    let fx = Fixture::new();
    let s = loaded(&fx);
    let text = fx.valid_payload();
    let mut cose = base45::decode(&text[payload::PREFIX.len()..]).expect("base45");
    let last = cose.len() - 1;
    cose[last] ^= 1;
    assert_eq!(
        verdict_of(&pasted(&s, &payload::wrap(&cose))).code(),
        "signature_invalid"
    );
    assert_eq!(
        verdict_of(&pasted(&s, "https://fake.example/cert?id=1")),
        &Verdict::NotACertificate {
            what: yanzheng_core::verdict::NotCertificateKind::Link {
                host: "fake.example".into()
            }
        }
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn without_a_trust_list_a_scan_says_no_trust_data_never_forged() {
    let fx = Fixture::new();
    let mut data = fx.data();
    data.trust = None;
    let s = State::new(Lang::Zh)
        .apply(Action::TrustLoaded {
            data: Rc::new(data),
            now: now(),
        })
        .apply(Action::PayloadEntered {
            text: fx.valid_payload(),
            now: now(),
        });
    let r = s.scan.shown.result().expect("a verdict");
    assert!(matches!(
        r.report.verdict,
        Verdict::UnknownKey {
            no_trust_data: true,
            ..
        }
    ));
    let words = explain(&r.report, Lang::Zh);
    assert!(words.why.contains("不代表证件是假的"), "{}", words.why);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_code_read_before_the_trust_data_is_checked_when_it_arrives() {
    let fx = Fixture::new();
    let s = State::new(Lang::Zh)
        .apply(Action::ImageChosen { scan: 1 })
        .apply(Action::ImageRead {
            scan: 1,
            outcome: ImageOutcome::Found {
                text: fx.valid_payload(),
            },
            now: now(),
        });
    assert_eq!(s.scan.shown, ScanState::WaitingForTrust);
    assert_eq!(recorded(&s), 0);
    let s = s.apply(Action::TrustLoaded {
        data: Rc::new(fx.data()),
        now: now(),
    });
    assert_eq!(verdict_of(&s).code(), "valid");
    assert_eq!(recorded(&s), 1);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn stale_revocation_data_is_refreshed_once_before_the_verdict() {
    let fx = Fixture::new();
    // Ten days after the lists were loaded, the revocation data (seven
    // days' maximum age) is stale.
    let later = UnixTime(now().0 + 10 * 86_400);
    let start = loaded(&fx);
    let s = start.apply(Action::PayloadEntered {
        text: fx.valid_payload(),
        now: later,
    });
    assert_eq!(s.scan.shown.code(), "waiting");
    assert_eq!(new_effects(&start, &s), vec![Effect::RefreshTrust]);
    // The refresh brought nothing newer (offline): the verdict says so,
    // once, and is recorded once.
    let s = s.apply(Action::TrustLoaded {
        data: Rc::new(fx.data()),
        now: UnixTime(later.0 + 2),
    });
    assert_eq!(verdict_of(&s).code(), "revocation_unknown");
    assert!(!verdict_of(&s).is_acceptable());
    assert_eq!(recorded(&s), 1);
    // The next scan within a minute does not refresh again.
    let again = s.apply(Action::PayloadEntered {
        text: fx.valid_payload(),
        now: UnixTime(later.0 + 30),
    });
    assert_eq!(verdict_of(&again).code(), "revocation_unknown");
    assert!(!new_effects(&s, &again).contains(&Effect::RefreshTrust));
    // Fresh data (as a refresh online brings) gives the real verdict.
    let fresh = pasted(&loaded(&fx), &fx.valid_payload());
    assert_eq!(verdict_of(&fresh).code(), "valid");
    assert!(!fresh.outbox.pending().any(|e| *e == Effect::RefreshTrust));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn image_outcomes_and_superseded_scans() {
    let fx = Fixture::new();
    let s = loaded(&fx).apply(Action::ImageChosen { scan: 1 });
    assert_eq!(s.scan.shown.code(), "reading");
    let s = s.apply(Action::ImageChosen { scan: 2 });
    let read = |s: &State, scan, outcome| {
        s.apply(Action::ImageRead {
            scan,
            outcome,
            now: now(),
        })
    };
    // The first image's result arrives late: dropped.
    let late = read(
        &s,
        1,
        ImageOutcome::Found {
            text: fx.valid_payload(),
        },
    );
    assert_eq!(late.scan.shown.code(), "reading");
    assert_eq!(
        read(&s, 2, ImageOutcome::NoCode).scan.shown.code(),
        "no_code"
    );
    let bad = read(&s, 2, ImageOutcome::Unreadable { detail: "x".into() });
    assert_eq!(bad.scan.shown.code(), "image_unreadable");
    assert_eq!(bad.focus, Focus::Result);
    // Blank input changes no result: it is said, and the paste field
    // takes focus.
    let blank = pasted(&bad, "  \n");
    assert_eq!(blank.scan.shown, bad.scan.shown);
    assert!(blank.scan.paste_empty);
    assert_eq!(
        new_effects(&bad, &blank),
        vec![Effect::Focus(Focus::PasteField)]
    );
    assert!(!pasted(&blank, &fx.valid_payload()).scan.paste_empty);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn text_pasted_from_a_chat_app_with_line_breaks_is_the_card() {
    let fx = Fixture::new();
    let code = fx.valid_payload();
    // WeChat's scanner shows the text wrapped; copied, it keeps the breaks.
    let (head, tail) = code.split_at(30);
    let s = pasted(&loaded(&fx), &format!("\n{head}\r\n{tail}  \n"));
    assert_eq!(verdict_of(&s).code(), "valid");
    assert!(!s.scan.paste_empty);
    // Only white space is "nothing pasted".
    let s = pasted(&loaded(&fx), " \n\u{200B}\n");
    assert!(s.scan.paste_empty);
}
