use yanzheng_core::UnixTime;

use crate::crew::Round;
use crate::state::test_helpers::{loaded, new_effects, recorded, verdict_of};
use crate::state::{Action, Effect, State};
use crate::test_support::{now, Fixture};

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn crew_mode_keeps_the_camera_on_and_lists_each_card_once() {
    let fx = Fixture::new();
    let scanned = |s: &State, text: &str, secs: u64| {
        s.apply(Action::CodeScanned {
            text: text.into(),
            now: UnixTime(now().0 + secs),
        })
    };
    let s = loaded(&fx)
        .apply(Action::CrewMode(true))
        .apply(Action::CameraStart)
        .apply(Action::CameraOn {
            torch_supported: false,
            cameras: 1,
        });
    let card = fx.valid_payload();
    let first = scanned(&s, &card, 0);
    assert_eq!(first.camera.code(), "on");
    assert_eq!(verdict_of(&first).code(), "valid");
    assert_eq!((recorded(&first), first.crew.round.entries.len()), (1, 1));
    let effects = new_effects(&s, &first);
    assert!(effects.contains(&Effect::SaveRound(first.crew.round.clone())));
    assert!(!effects.contains(&Effect::StopCamera));
    // The same card in the next frames: nothing new, nothing saved.
    let s = scanned(&first, &card, 1);
    assert_eq!((recorded(&s), s.crew.round.entries.len()), (1, 1));
    assert_eq!(new_effects(&first, &s), vec![]);
    // Another card, then the first card's code again: flagged.
    let mut other = fx.certificate();
    other.cert_id += 7;
    other.name = "李娜".into();
    other.number = "110105194912310021".into();
    let s = scanned(&s, &fx.sign(&other), 10);
    let s = scanned(&s, &card, 20);
    assert_eq!((recorded(&s), s.crew.round.entries.len()), (3, 3));
    assert_eq!(s.crew.round.flagged(), 1);
    let ended = s.apply(Action::EndRound { next_key: [3; 32] });
    assert_eq!(ended.crew.round.entries.len(), 0);
    assert_ne!(
        ended.crew.round.key, s.crew.round.key,
        "a new round, a new key"
    );
    assert_eq!(
        new_effects(&s, &ended),
        vec![Effect::SaveRound(ended.crew.round.clone())]
    );
    // Out of crew mode a scan stops the camera, as before.
    let single = scanned(&s.apply(Action::CrewMode(false)), &card, 40);
    assert_eq!(single.camera.code(), "off");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn the_record_is_restored_pruned_and_kept_as_chosen() {
    let s = State::new(yanzheng_core::messages::Lang::Zh);
    let restored = s.apply(Action::Restored {
        round: Round::with_key([1; 32]),
        record_days: 30,
    });
    assert_eq!(restored.record.days, 30);
    assert_eq!(new_effects(&s, &restored), vec![Effect::PruneRecord(30)]);
    let chosen = restored.apply(Action::RecordDaysChosen(180));
    assert_eq!(chosen.record.days, 180);
    assert_eq!(
        new_effects(&restored, &chosen),
        vec![Effect::SaveRecordDays(180), Effect::PruneRecord(180)]
    );
    // Not one of the choices: nothing changes.
    assert_eq!(chosen.apply(Action::RecordDaysChosen(5)), chosen);
    let counted = chosen.apply(Action::RecordCount(4));
    assert_eq!(counted.record.count, Some(4));
    assert_eq!(
        new_effects(&counted, &counted.apply(Action::ClearRecord)),
        vec![Effect::ClearRecord]
    );
    assert_eq!(
        new_effects(&counted, &counted.apply(Action::ExportRecord)),
        vec![Effect::ExportRecord]
    );
}
