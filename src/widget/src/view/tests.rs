//! What each area draws, rendered on its own with only its props: the
//! verdict screen's words, masking, the mismatch table, the camera's
//! refusal, the record and the banner. (In a browser: Yew draws into the
//! DOM.) The live region's words are plain strings, tested natively too.

use std::rc::Rc;

use yanzheng_core::messages::Lang;
use yanzheng_core::UnixTime;

use super::*;
use crate::state::{Action, State};
use crate::test_support::{last_lookup, Fixture};

/// The state after `text` was pasted with the fixture's lists.
fn checked(fx: &Fixture, lang: Lang, text: &str) -> State {
    crate::test_support::checked_state_in(fx, lang, text)
}

/// A registry record for the fixture's certificate, valid until `until`.
fn registry_answer(fx: &Fixture, until: &str) -> crate::lookup::LookupAnswer {
    let cert = fx.certificate();
    let record = format!(
        r#"{{"status":"found","certificates":[{{"type":"special_operations",
        "title":{{"zh":"特种作业操作证","en":"Special-operations certificate"}},
        "cert_id":{},"name_masked":"张*","number_masked":"**************1232",
        "category":{{"code":1,"zh":"电工作业","en":"Electrical work"}},
        "item":{{"code":102,"zh":"低压电工作业","en":"Low-voltage"}},
        "first_issued":"{}","valid_from":"{}","valid_until":"{until}","review_due":"{}",
        "issuer":"江苏省应急管理厅","region":320000,"revoked":false,
        "updated_at":"2025-01-01T00:00:00Z"}}]}}"#,
        cert.cert_id,
        cert.details.first_issued,
        cert.details.valid_from,
        cert.details
            .review_due
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    crate::platform::parse_json(record.as_bytes()).expect("answer")
}

/// `state` after "check live status" and the registry's `answer`.
fn answered(state: &State, answer: crate::lookup::LookupAnswer) -> State {
    let asked = state.apply(Action::LookupScanned);
    let (seq, _) = last_lookup(&asked).expect("a lookup asked for");
    asked.apply(Action::LookupDone {
        seq,
        result: Ok(Rc::new(answer)),
        now: UnixTime(0),
    })
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn the_live_region_says_the_newest_headline() {
    let fx = Fixture::new();
    let s = checked(&fx, Lang::Zh, &fx.valid_payload());
    assert!(
        announcement(&s).starts_with("证书有效"),
        "{}",
        announcement(&s)
    );
    let en = checked(&fx, Lang::En, &fx.valid_payload());
    assert!(announcement(&en).contains("valid"), "{}", announcement(&en));
    // A registry record that contradicts the card is what is said.
    let differs = answered(&s, registry_answer(&fx, "2027-02-28"));
    let said = announcement(&differs);
    assert!(!said.starts_with("证书有效"), "{said}");
    assert_eq!(announcement(&State::new(Lang::Zh)), "");
}

#[cfg(target_arch = "wasm32")]
mod in_browser {
    use std::rc::Rc;

    use wasm_bindgen_test::wasm_bindgen_test;
    use yanzheng_core::messages::Lang;

    use super::{answered, checked, registry_answer};
    use crate::camera::CameraError;
    use crate::crew::Round;
    use crate::state::{Action, CameraState, CrewArea, RecordArea, State};
    use crate::test_support::{attr, mount, now, Fixture};
    use crate::view::camera::{CameraArea, CameraHandlers, CameraProps};
    use crate::view::lookup::{LookupHandlers, LookupProps, ManualEntry};
    use crate::view::record::{RecordHandlers, RecordPanel, RecordProps};
    use crate::view::result::{ResultArea, ResultHandlers, ResultProps};
    use crate::view::trust::{TrustBanner, TrustProps};

    fn text(root: &web_sys::Element) -> String {
        root.text_content().unwrap_or_default()
    }

    async fn result_of(state: &State) -> web_sys::Element {
        mount::<ResultArea>(ResultProps {
            lang: state.lang,
            scan: state.scan.clone(),
            lookup: state.lookup.clone(),
            on: ResultHandlers::default(),
        })
        .await
    }

    #[wasm_bindgen_test]
    async fn a_verdict_has_its_codes_words_and_a_masked_number() {
        let fx = Fixture::new();
        let root = result_of(&checked(&fx, Lang::Zh, &fx.valid_payload())).await;
        assert_eq!(
            attr(&root, ".result-area", "data-state").as_deref(),
            Some("result")
        );
        assert_eq!(
            attr(&root, ".result", "data-verdict").as_deref(),
            Some("valid")
        );
        assert_eq!(
            attr(&root, ".result", "data-source").as_deref(),
            Some("offline")
        );
        let words = text(&root);
        assert!(words.contains("证书有效"), "{words}");
        assert!(words.contains("1232") && !words.contains("320102199001011232"));
        assert!(words.contains("江苏省应急管理厅"));
        // The screen reader hears the last digits one by one, never the
        // asterisks.
        let sr = root
            .query_selector(".number .sr-only")
            .ok()
            .flatten()
            .and_then(|e| e.text_content())
            .unwrap_or_default();
        assert!(sr.contains("1 2 3 2") && !sr.contains('*'), "{sr}");
        let en = result_of(&checked(&fx, Lang::En, &fx.valid_payload())).await;
        assert!(text(&en).contains("Valid"), "{}", text(&en));
    }

    #[wasm_bindgen_test]
    async fn the_whole_number_shows_only_after_a_tap() {
        let fx = Fixture::new();
        let state = checked(&fx, Lang::Zh, &fx.valid_payload());
        let masked = result_of(&state).await;
        assert_eq!(
            attr(&masked, "[data-action=\"reveal-number\"]", "aria-pressed").as_deref(),
            Some("false")
        );
        assert!(!text(&masked).contains("320102199001011232"));
        let shown = result_of(&state.apply(Action::ToggleNumber)).await;
        assert_eq!(
            attr(&shown, ".number", "data-revealed").as_deref(),
            Some("true")
        );
        assert!(text(&shown).contains("320102199001011232"));
    }

    #[wasm_bindgen_test]
    async fn a_registry_record_that_differs_is_a_red_headline_and_a_field_table() {
        let fx = Fixture::new();
        let state = answered(
            &checked(&fx, Lang::Zh, &fx.valid_payload()),
            registry_answer(&fx, "2027-02-28"),
        );
        let root = result_of(&state).await;
        assert_eq!(
            attr(&root, ".result", "data-outcome").as_deref(),
            Some("registry_contradicts")
        );
        assert!(attr(&root, ".result", "class").is_some_and(|c| c.contains("tone-bad")));
        assert_eq!(
            attr(&root, ".result [data-lookup]", "data-match").as_deref(),
            Some("differs")
        );
        let rows = root
            .query_selector_all(".mismatch tr[data-field]")
            .expect("rows");
        assert_eq!(rows.length(), 1);
        assert_eq!(
            attr(&root, ".mismatch tr[data-field]", "data-field").as_deref(),
            Some("valid_until")
        );
        let words = text(&root);
        assert!(
            words.contains("2027-02-28") && words.contains("2029-02-28"),
            "{words}"
        );
        assert!(words.contains("12350"), "the hotline: {words}");
        // The same record with the card's own date: agreement, a detail.
        let same = answered(
            &checked(&fx, Lang::Zh, &fx.valid_payload()),
            registry_answer(&fx, "2029-02-28"),
        );
        let root = result_of(&same).await;
        assert_eq!(
            attr(&root, ".result [data-lookup]", "data-match").as_deref(),
            Some("same")
        );
        assert!(root.query_selector(".mismatch").ok().flatten().is_none());
    }

    #[wasm_bindgen_test]
    async fn no_code_is_a_notice_not_a_verdict() {
        let state = State::new(Lang::Zh)
            .apply(Action::ImageChosen { scan: 1 })
            .apply(Action::ImageRead {
                scan: 1,
                outcome: crate::scan::ImageOutcome::NoCode,
                now: now(),
            });
        let root = result_of(&state).await;
        assert_eq!(
            attr(&root, ".result-area", "data-state").as_deref(),
            Some("no_code")
        );
        assert!(root
            .query_selector("[data-verdict]")
            .ok()
            .flatten()
            .is_none());
        assert!(
            text(&root).contains("照片中未找到二维码"),
            "{}",
            text(&root)
        );
    }

    #[wasm_bindgen_test]
    async fn a_typed_lookup_not_found_points_to_the_official_channels() {
        let state = State::new(Lang::Zh).apply(Action::LookupTyped {
            number: "11010519491231002X".into(),
            name: "张三".into(),
        });
        let sending = mount::<ManualEntry>(LookupProps {
            lang: Lang::Zh,
            lookup: state.lookup.clone(),
            on: LookupHandlers::default(),
        })
        .await;
        assert!(attr(&sending, "[data-action=\"lookup\"]", "disabled").is_some());
        let (seq, _) = crate::test_support::last_lookup(&state).expect("sent");
        let none = state.apply(Action::LookupDone {
            seq,
            result: Ok(Rc::new(crate::lookup::LookupAnswer::NotFound {
                message: crate::lookup::Words::default(),
            })),
            now: now(),
        });
        let root = mount::<ManualEntry>(LookupProps {
            lang: Lang::Zh,
            lookup: none.lookup.clone(),
            on: LookupHandlers::default(),
        })
        .await;
        assert_eq!(
            attr(&root, ".lookup-answer .result", "data-lookup").as_deref(),
            Some("not_found")
        );
        assert!(root
            .query_selector("[data-channels=\"official\"] a[href=\"tel:12350\"]")
            .ok()
            .flatten()
            .is_some());
        // Refused input marks the field it is about.
        let bad = State::new(Lang::Zh).apply(Action::LookupTyped {
            number: "1101".into(),
            name: "张三".into(),
        });
        let root = mount::<ManualEntry>(LookupProps {
            lang: Lang::Zh,
            lookup: bad.lookup.clone(),
            on: LookupHandlers::default(),
        })
        .await;
        assert_eq!(
            attr(&root, "#lookup-number", "aria-invalid").as_deref(),
            Some("true")
        );
        assert_eq!(
            attr(&root, "#lookup-name", "aria-invalid").as_deref(),
            Some("false")
        );
    }

    #[wasm_bindgen_test]
    async fn a_refused_camera_explains_itself_and_offers_the_other_ways_in() {
        let camera = |camera: CameraState, crew: CrewArea| CameraProps {
            lang: Lang::Zh,
            camera,
            crew,
            on: CameraHandlers::default(),
        };
        let idle = mount::<CameraArea>(camera(CameraState::Off, CrewArea::default())).await;
        assert_eq!(
            attr(&idle, "[data-camera]", "data-camera").as_deref(),
            Some("off")
        );
        assert!(idle
            .query_selector("[data-action=\"scan\"]")
            .ok()
            .flatten()
            .is_some());
        let root = mount::<CameraArea>(camera(
            CameraState::Failed(CameraError::Denied),
            CrewArea::default(),
        ))
        .await;
        assert_eq!(
            attr(&root, "[data-camera]", "data-camera-error").as_deref(),
            Some("denied")
        );
        let words = text(&root);
        assert!(words.contains("未获准使用摄像头"), "{words}");
        assert!(words.contains("照片"), "{words}");
        // A torch and two cameras: both buttons, the torch's state said.
        let on = mount::<CameraArea>(camera(
            CameraState::On {
                torch: Some(true),
                cameras: 2,
            },
            CrewArea::default(),
        ))
        .await;
        assert_eq!(
            attr(&on, "[data-action=\"torch\"]", "aria-pressed").as_deref(),
            Some("true")
        );
        assert!(on
            .query_selector("[data-action=\"switch\"]")
            .ok()
            .flatten()
            .is_some());
    }

    #[wasm_bindgen_test]
    async fn the_crew_round_lists_checks_newest_first_and_flags_repeats() {
        let fx = Fixture::new();
        let r = fx.checked(&fx.valid_payload());
        let mut round = Round::with_key([1; 32]);
        assert!(round.add(&r, now()));
        assert!(round.add(&r, yanzheng_core::UnixTime(now().0 + 600)));
        let root = mount::<CameraArea>(CameraProps {
            lang: Lang::Zh,
            camera: CameraState::Off,
            crew: CrewArea { on: true, round },
            on: CameraHandlers::default(),
        })
        .await;
        assert_eq!(
            attr(&root, ".crew-round", "data-entries").as_deref(),
            Some("2")
        );
        assert_eq!(
            attr(&root, ".crew-round", "data-flagged").as_deref(),
            Some("1")
        );
        assert_eq!(
            attr(&root, ".crew-entry", "data-flag").as_deref(),
            Some("repeat"),
            "the newest entry comes first"
        );
        assert!(!text(&root).contains("320102199001011232"));
    }

    #[wasm_bindgen_test]
    async fn the_record_panel_counts_and_disables_what_an_empty_record_cannot_do() {
        let panel = |count| RecordProps {
            lang: Lang::Zh,
            record: RecordArea { count, days: 30 },
            on: RecordHandlers::default(),
        };
        let empty = mount::<RecordPanel>(panel(None)).await;
        assert!(attr(&empty, "[data-action=\"export-record\"]", "disabled").is_some());
        let some = mount::<RecordPanel>(panel(Some(3))).await;
        assert_eq!(
            attr(&some, ".record", "data-record-count").as_deref(),
            Some("3")
        );
        assert!(attr(&some, "[data-action=\"export-record\"]", "disabled").is_none());
        let chosen = some
            .query_selector("[data-setting=\"record-days\"]")
            .ok()
            .flatten()
            .and_then(|s| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(s).ok())
            .map(|s| s.value());
        assert_eq!(chosen.as_deref(), Some("30"));
    }

    #[wasm_bindgen_test]
    async fn missing_trust_data_is_explained_in_the_banner() {
        let fx = Fixture::new();
        let fetch = crate::platform::MemoryFetch::default()
            .with("config.json", fx.config_json())
            .with("revocations", fx.revocations.clone());
        let data = crate::test_support::block_on(crate::trust_data::load(&fetch));
        let root = mount::<TrustBanner>(TrustProps {
            lang: Lang::Zh,
            trust: crate::state::TrustState::Ready {
                data: Rc::new(data),
                loaded_at: now(),
            },
        })
        .await;
        assert_eq!(
            attr(&root, "[data-trust]", "data-trust").as_deref(),
            Some("failed")
        );
        let ready = mount::<TrustBanner>(TrustProps {
            lang: Lang::Zh,
            trust: crate::state::TrustState::Ready {
                data: Rc::new(fx.data()),
                loaded_at: now(),
            },
        })
        .await;
        assert_eq!(
            attr(&ready, "[data-trust]", "data-trust").as_deref(),
            Some("ready")
        );
        assert!(attr(&ready, "[data-trust]", "data-offline").is_none());
    }
}
