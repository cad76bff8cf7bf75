//! The app's state and the only place it changes: [`State::apply`] takes an
//! [`Action`] and returns the next state, with what the shell must do next
//! as data ([`Effect`]s in the state's [`Outbox`]). Pure: the clock comes
//! in with the actions that need it; fetching, storage, the camera and
//! focus happen in the shell, which runs the effects and dispatches their
//! results.
//!
//! Each area has its own sub-state and reducer, in its own file: the
//! result area ([`scan`]), the camera ([`camera`]), the online lookup
//! ([`lookup`]), crew mode and the inspection record ([`crew`]). Trust
//! data and language are here.

mod camera;
mod crew;
mod effect;
mod lookup;
mod scan;

use std::rc::Rc;

use yanzheng_core::messages::Lang;
use yanzheng_core::UnixTime;

pub use camera::CameraState;
pub use crew::{CrewArea, RecordArea};
pub use effect::{Effect, Focus, Outbox};
pub use lookup::{LookupArea, LookupOrigin, LookupState};
pub use scan::{ScanArea, ScanResult, ScanState};

use crate::camera::CameraError;
use crate::crew::Round;
use crate::lookup::{LookupAnswer, LookupFailure};
use crate::scan::ImageOutcome;
use crate::trust_data::TrustData;

/// The trust data, once loading has finished (successfully or not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustState {
    /// Still fetching.
    Loading,
    /// Finished; either list may be missing (see [`TrustData::problems`]).
    Ready {
        /// What was loaded.
        data: Rc<TrustData>,
        /// When loading finished (for the lists' age).
        loaded_at: UnixTime,
    },
}

/// Everything that can happen to the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Switch the display language (and remember it).
    SetLang(Lang),
    /// Loading the trust data finished.
    TrustLoaded {
        /// What was loaded (shared: the state keeps it as it is).
        data: Rc<TrustData>,
        /// The clock when it finished.
        now: UnixTime,
    },
    /// The user picked an image; `scan` identifies this attempt.
    ImageChosen {
        /// A number the shell never reuses.
        scan: u64,
    },
    /// An image was read.
    ImageRead {
        /// The attempt it belongs to; results of superseded attempts are
        /// dropped.
        scan: u64,
        /// What it held.
        outcome: ImageOutcome,
        /// The clock when decoding finished.
        now: UnixTime,
    },
    /// Payload text was typed or pasted.
    PayloadEntered {
        /// The text (surrounding whitespace is ignored).
        text: String,
        /// The clock.
        now: UnixTime,
    },
    /// The scan button was tapped.
    CameraStart,
    /// The switch-camera button was tapped.
    CameraSwitch,
    /// The camera runs.
    CameraOn {
        /// Whether the track reports a torch.
        torch_supported: bool,
        /// How many video inputs the device has.
        cameras: usize,
    },
    /// The camera could not be started, or stopped by itself.
    CameraFailed(CameraError),
    /// The person stopped the camera.
    CameraStop,
    /// The page was hidden (another app, a locked screen) or shown again.
    PageVisibility {
        /// Hidden now.
        hidden: bool,
    },
    /// The torch button was tapped.
    TorchToggle,
    /// The torch was switched.
    TorchSet(bool),
    /// A camera frame held a QR code.
    CodeScanned {
        /// The code's content.
        text: String,
        /// The clock when it was decoded.
        now: UnixTime,
    },
    /// The manual-entry form was submitted.
    LookupTyped {
        /// The number as typed.
        number: String,
        /// The name as typed.
        name: String,
    },
    /// "Check live status" on a result: look up the scanned certificate.
    LookupScanned,
    /// A lookup finished.
    LookupDone {
        /// The `seq` of its [`Effect::Lookup`]; answers to superseded
        /// requests are dropped.
        seq: u64,
        /// The answer.
        result: Result<Rc<LookupAnswer>, LookupFailure>,
        /// The clock when it arrived (a record's dates are checked then).
        now: UnixTime,
    },
    /// The full ID number on a result was revealed or hidden again.
    ToggleNumber,
    /// Crew mode switched on or off (checks go on without leaving the
    /// camera, into the round's list).
    CrewMode(bool),
    /// The inspector ended the round (its list is cleared).
    EndRound {
        /// The next round's random key.
        next_key: [u8; 32],
    },
    /// What the device remembered, read at start.
    Restored {
        /// The crew round in progress.
        round: Round,
        /// How long the record keeps a check (days).
        record_days: u32,
    },
    /// How many checks the device's inspection record holds.
    RecordCount(u64),
    /// The person chose how long the record keeps a check (days).
    RecordDaysChosen(u32),
    /// The person confirmed clearing the record.
    ClearRecord,
    /// The person asked for the record as a file.
    ExportRecord,
    /// The shell ran the effects numbered up to `upto`.
    EffectsTaken {
        /// The last effect run.
        upto: u64,
    },
}

/// The whole app state. Cheap to clone: the trust data is shared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// Display language.
    pub lang: Lang,
    /// Trust data.
    pub trust: TrustState,
    /// The result area.
    pub scan: ScanArea,
    /// The camera.
    pub camera: CameraState,
    /// The online lookup.
    pub lookup: LookupArea,
    /// Crew mode and its round.
    pub crew: CrewArea,
    /// The device's inspection record.
    pub record: RecordArea,
    /// Where focus went last: what the live region announces.
    pub focus: Focus,
    /// Running inside WeChat's built-in browser, where the live camera is
    /// often refused: the page leads with the photo.
    pub in_wechat: bool,
    /// What the shell must do next.
    pub outbox: Outbox,
}

impl State {
    /// The start state.
    pub fn new(lang: Lang) -> State {
        State {
            lang,
            trust: TrustState::Loading,
            scan: ScanArea::default(),
            camera: CameraState::Off,
            lookup: LookupArea::default(),
            crew: CrewArea::default(),
            record: RecordArea::default(),
            focus: Focus::None,
            in_wechat: false,
            outbox: Outbox::default(),
        }
    }

    /// The loaded trust data, if loading has finished.
    pub fn trust_data(&self) -> Option<&TrustData> {
        match &self.trust {
            TrustState::Ready { data, .. } => Some(data),
            TrustState::Loading => None,
        }
    }

    /// The next state: each area of the app has its own reducer.
    pub fn apply(&self, action: Action) -> State {
        let mut next = self.clone();
        match action {
            Action::SetLang(..) | Action::TrustLoaded { .. } | Action::EffectsTaken { .. } => {
                next.app_action(action)
            }
            Action::ImageChosen { .. }
            | Action::ImageRead { .. }
            | Action::PayloadEntered { .. }
            | Action::CodeScanned { .. }
            | Action::ToggleNumber => next.scan_action(action),
            Action::CameraStart
            | Action::CameraSwitch
            | Action::CameraOn { .. }
            | Action::CameraFailed(..)
            | Action::CameraStop
            | Action::PageVisibility { .. }
            | Action::TorchToggle
            | Action::TorchSet(..) => next.camera_action(action),
            Action::LookupTyped { .. } | Action::LookupScanned | Action::LookupDone { .. } => {
                next.lookup_action(action)
            }
            Action::CrewMode(..)
            | Action::EndRound { .. }
            | Action::Restored { .. }
            | Action::RecordCount(..)
            | Action::RecordDaysChosen(..)
            | Action::ClearRecord
            | Action::ExportRecord => next.crew_action(action),
        }
        next
    }

    /// Trust data, language and the outbox.
    fn app_action(&mut self, action: Action) {
        match action {
            Action::SetLang(lang) => {
                self.lang = lang;
                self.emit(Effect::SaveLang(lang));
            }
            Action::TrustLoaded { data, now } => {
                self.trust = TrustState::Ready {
                    data,
                    loaded_at: now,
                };
                self.trust_arrived();
            }
            Action::EffectsTaken { upto } => self.outbox.taken(upto),
            // The other areas' actions.
            _ => {}
        }
    }

    fn emit(&mut self, effect: Effect) -> u64 {
        self.outbox.push(effect)
    }

    fn set_focus(&mut self, focus: Focus) {
        self.focus = focus;
        self.emit(Effect::Focus(focus));
    }
}

impl yew::Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

#[cfg(test)]
mod test_helpers;
