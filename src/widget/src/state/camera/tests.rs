use crate::camera::CameraError;
use crate::state::test_helpers::{loaded, new_effects, recorded, verdict_of};
use crate::state::{Action, CameraState, Effect, Focus, State};
use crate::test_support::{now, Fixture};

fn running(s: &State, torch: bool, cameras: usize) -> State {
    s.apply(Action::CameraStart).apply(Action::CameraOn {
        torch_supported: torch,
        cameras,
    })
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_tap_starts_the_camera_and_a_code_stops_it() {
    let fx = Fixture::new();
    let start = loaded(&fx);
    let s = start.apply(Action::CameraStart);
    assert_eq!(s.camera.code(), "starting");
    assert_eq!(
        new_effects(&start, &s),
        vec![
            Effect::Focus(Focus::Camera),
            Effect::StartCamera { next_device: false }
        ]
    );
    let s = s.apply(Action::CameraOn {
        torch_supported: true,
        cameras: 2,
    });
    assert_eq!(
        s.camera,
        CameraState::On {
            torch: Some(false),
            cameras: 2
        }
    );
    let done = s.apply(Action::CodeScanned {
        text: fx.valid_payload(),
        now: now(),
    });
    assert_eq!(done.camera, CameraState::Off);
    assert_eq!(verdict_of(&done).code(), "valid");
    assert!(new_effects(&s, &done).contains(&Effect::StopCamera));
    // A frame decoded after the stop is dropped: one check, not two.
    let late = done.apply(Action::CodeScanned {
        text: fx.valid_payload(),
        now: now(),
    });
    assert_eq!(late, done);
    assert_eq!(recorded(&late), 1);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn the_torch_is_asked_for_and_shown_once_switched() {
    let fx = Fixture::new();
    let s = running(&loaded(&fx), true, 1);
    let asked = s.apply(Action::TorchToggle);
    assert_eq!(new_effects(&s, &asked), vec![Effect::SetTorch(true)]);
    let lit = asked.apply(Action::TorchSet(true));
    assert!(matches!(
        lit.camera,
        CameraState::On {
            torch: Some(true),
            ..
        }
    ));
    assert_eq!(
        new_effects(&lit, &lit.apply(Action::TorchToggle)),
        vec![Effect::SetTorch(false)]
    );
    // Without a torch, neither the button nor a report changes anything.
    let dark = running(&loaded(&fx), false, 1);
    assert_eq!(dark.apply(Action::TorchToggle), dark);
    assert_eq!(dark.apply(Action::TorchSet(true)), dark);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_hidden_page_releases_the_camera_and_takes_it_back() {
    let fx = Fixture::new();
    let s = running(&loaded(&fx), false, 1);
    let hidden = s.apply(Action::PageVisibility { hidden: true });
    assert_eq!(hidden.camera, CameraState::Paused);
    assert_eq!(new_effects(&s, &hidden), vec![Effect::StopCamera]);
    let shown = hidden.apply(Action::PageVisibility { hidden: false });
    assert_eq!(shown.camera, CameraState::Starting);
    assert_eq!(
        new_effects(&hidden, &shown),
        vec![Effect::StartCamera { next_device: false }]
    );
    // A camera the person did not want stays off either way.
    let off = loaded(&fx);
    assert_eq!(off.apply(Action::PageVisibility { hidden: true }), off);
    assert_eq!(off.apply(Action::PageVisibility { hidden: false }), off);
    // A photo releases a paused camera too.
    let photo = hidden.apply(Action::ImageChosen { scan: 1 });
    assert_eq!(photo.camera, CameraState::Off);
    assert_eq!(
        photo.apply(Action::PageVisibility { hidden: false }).camera,
        CameraState::Off
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn late_starts_failures_and_switching() {
    let fx = Fixture::new();
    // A start that finishes after the person stopped the camera is ignored.
    let stopped = loaded(&fx)
        .apply(Action::CameraStart)
        .apply(Action::CameraStop)
        .apply(Action::CameraOn {
            torch_supported: false,
            cameras: 1,
        });
    assert_eq!(stopped.camera, CameraState::Off);
    assert_eq!(
        stopped
            .apply(Action::CameraFailed(CameraError::Ended))
            .camera,
        CameraState::Off
    );
    let denied = loaded(&fx)
        .apply(Action::CameraStart)
        .apply(Action::CameraFailed(CameraError::Denied));
    assert_eq!(denied.camera, CameraState::Failed(CameraError::Denied));
    let on = running(&loaded(&fx), false, 2);
    let switched = on.apply(Action::CameraSwitch);
    assert_eq!(switched.camera, CameraState::Starting);
    assert!(new_effects(&on, &switched).contains(&Effect::StartCamera { next_device: true }));
}
