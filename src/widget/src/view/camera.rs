//! The camera: the start button (`data-action="scan"`: iOS only opens the
//! camera after a tap), the viewfinder with its scan frame and controls, or
//! why the camera cannot be used and the other ways in; crew mode and its
//! round.

use yanzheng_core::messages::Lang;
use yew::prelude::*;

use crate::camera::CameraError;
use crate::crew::{CrewEntry, CrewFlag};
use crate::state::{CameraState, CrewArea};
use crate::text::{t, Msg};

/// The camera's and crew mode's buttons, and the video element.
#[derive(Clone, PartialEq, Default)]
pub struct CameraHandlers {
    /// The `<video>` the camera plays into (always in the page, hidden
    /// while the camera is off, so the shell can attach a stream at once).
    pub video: NodeRef,
    /// The scan button (starts the camera).
    pub on_scan: Callback<MouseEvent>,
    /// The stop button.
    pub on_stop: Callback<MouseEvent>,
    /// The torch button.
    pub on_torch: Callback<MouseEvent>,
    /// The camera switch button.
    pub on_switch: Callback<MouseEvent>,
    /// The crew-mode switch.
    pub on_crew: Callback<MouseEvent>,
    /// Ends the crew round.
    pub on_end_round: Callback<MouseEvent>,
}

/// What the camera area draws from.
#[derive(Properties, PartialEq)]
pub struct CameraProps {
    /// Display language.
    pub lang: Lang,
    /// The camera.
    pub camera: CameraState,
    /// Crew mode and its round.
    pub crew: CrewArea,
    /// Its buttons.
    pub on: CameraHandlers,
}

/// The camera area, `data-camera` (and `data-camera-error`) on it.
#[function_component]
pub fn CameraArea(p: &CameraProps) -> Html {
    let camera = &p.camera;
    let error = match camera {
        CameraState::Failed(e) => Some(e),
        _ => None,
    };
    html! {
        <section class="camera-area" data-camera={camera.code()}
            data-camera-error={error.map(|e| e.code())}>
            <div class={classes!("viewfinder", (!camera.live()).then_some("off"))}>
                <video ref={p.on.video.clone()} muted=true playsinline=true autoplay=true
                    aria-hidden="true"></video>
                <div class="scan-frame" aria-hidden="true"></div>
            </div>
            { controls(p) }
            <div class="crew">
                <button type="button" class="secondary crew-toggle" data-action="crew"
                    aria-pressed={p.crew.on.to_string()} onclick={p.on.on_crew.clone()}>
                    { t(p.lang, Msg::CrewMode) }
                </button>
                if p.crew.on { <p class="hint">{ t(p.lang, Msg::CrewHint) }</p> }
                { crew_list(p) }
            </div>
        </section>
    }
}

/// The buttons for what the camera is doing, or why it cannot be used.
fn controls(p: &CameraProps) -> Html {
    let lang = p.lang;
    let scan_button = html! {
        <button type="button" class="scan-button" data-action="scan"
            onclick={p.on.on_scan.clone()}>
            <span class="camera" aria-hidden="true"></span>{ t(lang, Msg::ScanButton) }
        </button>
    };
    let stop_button = html! {
        <button type="button" class="secondary" data-action="stop"
            onclick={p.on.on_stop.clone()}>{ t(lang, Msg::StopCamera) }</button>
    };
    match &p.camera {
        CameraState::Off | CameraState::Paused => scan_button,
        CameraState::Starting => html! {
            <div class="camera-controls">
                <p class="hint">{ t(lang, Msg::CameraStarting) }</p>
                { stop_button }
            </div>
        },
        CameraState::On { torch, cameras } => html! {
            <div class="camera-controls">
                <p class="hint">{ t(lang, Msg::CameraHint) }</p>
                <div class="buttons">
                    { stop_button }
                    if let Some(lit) = torch {
                        <button type="button" class="secondary" data-action="torch"
                            aria-pressed={lit.to_string()} onclick={p.on.on_torch.clone()}>
                            { t(lang, if *lit { Msg::TorchOff } else { Msg::TorchOn }) }
                        </button>
                    }
                    if *cameras > 1 {
                        <button type="button" class="secondary" data-action="switch"
                            onclick={p.on.on_switch.clone()}>{ t(lang, Msg::SwitchCamera) }</button>
                    }
                </div>
            </div>
        },
        CameraState::Failed(e) => html! {
            <div class="notice tone-unknown camera-failed" role="alert">
                <div class="verdict-head">
                    <span class="icon" aria-hidden="true">{ "!" }</span>
                    <h2>{ t(lang, camera_error_msg(e)) }</h2>
                </div>
                if let CameraError::Other(detail) = e { <p class="detail">{ detail.clone() }</p> }
                <p class="next">{ t(lang, Msg::CameraFallback) }</p>
                { scan_button }
            </div>
        },
    }
}

fn camera_error_msg(e: &CameraError) -> Msg {
    match e {
        CameraError::Denied => Msg::CameraDenied,
        CameraError::NotFound => Msg::CameraNotFound,
        CameraError::Busy => Msg::CameraBusy,
        CameraError::Unsupported => Msg::CameraUnsupported,
        CameraError::Other(_) => Msg::CameraOther,
        CameraError::Ended => Msg::CameraEnded,
    }
}

/// The round's checks, newest first, flagged ones marked.
fn crew_list(p: &CameraProps) -> Html {
    let lang = p.lang;
    let round = &p.crew.round;
    if round.entries.is_empty() {
        return Html::default();
    }
    let entry = |e: &CrewEntry| {
        let words = |m: Msg, n: u32| t(lang, m).replace("{n}", &n.to_string());
        let warning = e.flag.map(|f| match f {
            CrewFlag::Repeat { first } => words(Msg::CrewRepeat, first),
            CrewFlag::OtherHolder { first } => words(Msg::CrewOtherHolder, first),
        });
        let tone = match (e.flag, e.verdict.as_str()) {
            (Some(_), _) => "tone-bad",
            (None, "valid" | "review_due_soon") => "tone-good",
            (None, _) => "tone-caution",
        };
        html! {
            <li class={classes!("crew-entry", tone)} data-verdict={e.verdict.clone()}
                data-flag={e.flag.map(|f| f.code())}>
                <span class="seq">{ e.seq }</span>
                <span class="who">{ format!("{} {}", e.name_masked, e.number_masked) }</span>
                <span class="verdict-code">{ e.verdict.clone() }</span>
                if let Some(w) = warning { <p class="note warn">{ w }</p> }
            </li>
        }
    };
    html! {
        <section class="crew-round" data-entries={round.entries.len().to_string()}
            data-flagged={round.flagged().to_string()}>
            <h3>{ format!("{} · {}", t(lang, Msg::CrewListTitle), round.entries.len()) }</h3>
            <ol class="crew-list" reversed=true>
                { for round.entries.iter().rev().map(entry) }
            </ol>
            <button type="button" class="secondary" data-action="end-round"
                onclick={p.on.on_end_round.clone()}>{ t(lang, Msg::EndRound) }</button>
        </section>
    }
}
