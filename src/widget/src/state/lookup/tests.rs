use std::rc::Rc;

use yanzheng_core::messages::Lang;
use yanzheng_core::UnixTime;

use crate::lookup::{InputError, LookupAnswer, LookupFailure};
use crate::state::test_helpers::{loaded, new_effects, pasted, verdict_of};
use crate::state::{Action, Effect, Focus, LookupOrigin, LookupState, State};
use crate::test_support::{last_lookup, now, Fixture};

fn typed(s: &State, number: &str) -> State {
    s.apply(Action::LookupTyped {
        number: number.into(),
        name: "张三".into(),
    })
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn typed_input_is_checked_sent_and_answered_once() {
    let s = State::new(Lang::Zh);
    assert_eq!(s.lookup.shown.code(), "idle");
    let short = typed(&s, "1101");
    assert_eq!(
        short.lookup.shown,
        LookupState::Invalid(InputError::NumberShape)
    );
    assert_eq!(
        new_effects(&s, &short),
        vec![Effect::Focus(Focus::NumberField)]
    );
    // 11010519491231002X has the check digit X; 0 is a typing error.
    assert_eq!(
        typed(&s, "110105194912310021").lookup.shown,
        LookupState::Invalid(InputError::NumberChecksum)
    );
    let sent = typed(&s, "11010519491231002x");
    assert_eq!(sent.lookup.shown.code(), "sending");
    assert_eq!(sent.lookup.origin, LookupOrigin::Typed);
    let (seq, request) = last_lookup(&sent).expect("a lookup asked for");
    assert_eq!(request.number, "11010519491231002X");
    let offline = sent.apply(Action::LookupDone {
        seq,
        result: Err(LookupFailure::Offline),
        now: UnixTime(0),
    });
    assert_eq!(offline.lookup.shown.code(), "offline");
    assert_eq!(offline.focus, Focus::Lookup);
    // A second request supersedes the first: the first's late answer is
    // dropped.
    let again = typed(&sent, "11010519491231002X");
    let (seq2, _) = last_lookup(&again).expect("a second lookup");
    assert_ne!(seq2, seq);
    let late = again.apply(Action::LookupDone {
        seq,
        result: Err(LookupFailure::Offline),
        now: UnixTime(0),
    });
    assert_eq!(late.lookup.shown.code(), "sending");
    let none = again.apply(Action::LookupDone {
        seq: seq2,
        result: Ok(Rc::new(LookupAnswer::NotFound {
            message: crate::lookup::Words::default(),
        })),
        now: UnixTime(0),
    });
    assert_eq!(none.lookup.shown.code(), "not_found");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn an_unknown_key_refreshes_the_trust_list_once_then_goes_online() {
    let fx = Fixture::new();
    let stranger = fx.signed_by_unlisted_key();
    let start = loaded(&fx);
    let s = pasted(&start, &stranger);
    assert_eq!(verdict_of(&s).code(), "unknown_key");
    assert!(s.scan.refreshing_for_scan);
    assert!(new_effects(&start, &s).contains(&Effect::RefreshTrust));
    assert_eq!(s.lookup.shown.code(), "idle");
    // The same list again: still unknown, so the registry is asked with
    // the number and name the code carries.
    let refreshed = s.apply(Action::TrustLoaded {
        data: Rc::new(fx.data()),
        now: now(),
    });
    assert!(!refreshed.scan.refreshing_for_scan);
    assert_eq!(verdict_of(&refreshed).code(), "unknown_key");
    assert_eq!(refreshed.lookup.shown.code(), "sending");
    assert_eq!(refreshed.lookup.origin, LookupOrigin::Scan);
    let (_, request) = last_lookup(&refreshed).expect("a lookup asked for");
    assert_eq!(request.name, fx.certificate().name);
    // Another hourly refresh asks for nothing more.
    let later = refreshed.apply(Action::TrustLoaded {
        data: Rc::new(fx.data()),
        now: now(),
    });
    assert_eq!(new_effects(&refreshed, &later), vec![]);

    // A refresh that brings the key: verified offline, no lookup.
    let fresh = pasted(&loaded(&fx), &stranger).apply(Action::TrustLoaded {
        data: Rc::new(fx.data_listing_the_unlisted_key()),
        now: now(),
    });
    assert_eq!(verdict_of(&fresh).code(), "valid");
    assert_eq!(fresh.lookup.shown.code(), "idle");
    assert_eq!(last_lookup(&fresh), None);

    // A known key never triggers either.
    let known = pasted(&loaded(&fx), &fx.valid_payload());
    assert!(!known.outbox.pending().any(|e| *e == Effect::RefreshTrust));
    assert!(!known.scan.refreshing_for_scan);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn check_live_status_looks_up_the_scanned_holder_and_a_new_scan_clears_it() {
    let fx = Fixture::new();
    let s = pasted(&loaded(&fx), &fx.valid_payload()).apply(Action::LookupScanned);
    assert_eq!(s.lookup.shown.code(), "sending");
    assert_eq!(s.lookup.origin, LookupOrigin::Scan);
    let (seq, request) = last_lookup(&s).expect("a lookup asked for");
    assert_eq!(request.number, fx.certificate().number);
    let answered = s.apply(Action::LookupDone {
        seq,
        result: Err(LookupFailure::Timeout),
        now: UnixTime(0),
    });
    assert_eq!(answered.lookup.shown.code(), "timeout");
    assert_eq!(answered.focus, Focus::Result);
    // The next card's result does not carry the previous card's answer.
    let next = pasted(&answered, &fx.valid_payload());
    assert_eq!(next.lookup.shown.code(), "idle");
    // Without a certificate on screen the button does nothing.
    let idle = loaded(&fx);
    assert_eq!(idle.apply(Action::LookupScanned), idle);
}
