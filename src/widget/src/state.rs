//! The app's state and the only place it changes: [`State::apply`] takes an
//! [`Action`] and returns the next state. Pure: the clock comes in with the
//! actions that need it, effects (fetching, reading images, storage) happen
//! in the app shell, which only dispatches their results.

use std::rc::Rc;

use yanzheng_core::messages::Lang;
use yanzheng_core::{verify, Report, TrustList, UnixTime, Verdict};

use crate::camera::CameraError;
use crate::crew::Round;
use crate::lookup::{InputError, LookupAnswer, LookupFailure, LookupRequest};
use crate::scan::ImageOutcome;
use crate::trust_data::TrustData;

/// Where a verdict came from. Verdicts are always this device's; the
/// registry's answer is shown beside them (the lookup area carries
/// `data-source="online"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Checked on this device against the cached trust data.
    Offline,
}

impl Source {
    /// The value of the result's `data-source` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Source::Offline => "offline",
        }
    }
}

/// A finished check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanResult {
    /// Core's report (holds the full certificate; screens show masked fields).
    pub report: Report,
    /// The QR text as read (the embedding API will hand it to the host page).
    pub payload: String,
    /// Where the verdict came from.
    pub source: Source,
}

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

/// What the result area shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanState {
    /// Nothing scanned yet.
    Idle,
    /// An image is being read and decoded.
    Reading,
    /// A code was read before the trust data arrived; it is checked as soon
    /// as loading finishes.
    WaitingForTrust,
    /// The image holds no readable QR code.
    NoCode,
    /// The image could not be read at all.
    ImageUnreadable {
        /// Technical detail.
        detail: String,
    },
    /// A verdict.
    Done(Rc<ScanResult>),
}

impl ScanState {
    /// The value of the result area's `data-state` attribute.
    pub fn code(&self) -> &'static str {
        match self {
            ScanState::Idle => "idle",
            ScanState::Reading => "reading",
            ScanState::WaitingForTrust => "waiting",
            ScanState::NoCode => "no_code",
            ScanState::ImageUnreadable { .. } => "image_unreadable",
            ScanState::Done(_) => "result",
        }
    }
}

/// The camera, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CameraState {
    /// Not in use (the start button is shown: iOS needs a tap).
    Off,
    /// Permission asked, stream starting.
    Starting,
    /// Frames are being decoded.
    On {
        /// `Some(lit)` when the track can switch a torch, else `None`.
        torch: Option<bool>,
        /// How many cameras the device has (a switch button when > 1).
        cameras: usize,
    },
    /// Stopped because the page was hidden; resumes when it is visible.
    Paused,
    /// Could not be used.
    Failed(CameraError),
}

impl CameraState {
    /// The value of the camera area's `data-camera` attribute.
    pub fn code(&self) -> &'static str {
        match self {
            CameraState::Off => "off",
            CameraState::Starting => "starting",
            CameraState::On { .. } => "on",
            CameraState::Paused => "paused",
            CameraState::Failed(_) => "failed",
        }
    }

    /// Whether the video should be visible.
    pub fn live(&self) -> bool {
        matches!(self, CameraState::Starting | CameraState::On { .. })
    }
}

/// The online lookup (typed number and name), shown beside any offline
/// verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupState {
    /// Nothing asked.
    Idle,
    /// The typed input was not sent.
    Invalid(InputError),
    /// Waiting for the registry.
    Sending,
    /// The registry answered.
    Answered(Rc<LookupAnswer>),
    /// No answer.
    Failed(LookupFailure),
}

impl LookupState {
    /// The value of the lookup area's `data-lookup` attribute.
    pub fn code(&self) -> &'static str {
        match self {
            LookupState::Idle => "idle",
            LookupState::Invalid(_) => "invalid",
            LookupState::Sending => "sending",
            LookupState::Answered(a) => match **a {
                LookupAnswer::Found { .. } => "found",
                LookupAnswer::NotFound { .. } => "not_found",
            },
            LookupState::Failed(LookupFailure::Offline) => "offline",
            LookupState::Failed(LookupFailure::Timeout) => "timeout",
            LookupState::Failed(LookupFailure::Server(_)) => "error",
            LookupState::Failed(LookupFailure::Refused { .. }) => "refused",
        }
    }
}

/// Where keyboard focus goes after something new is shown (the shell moves
/// it, and scrolls it into view, when [`State::focus_seq`] changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// Nowhere new.
    None,
    /// The result area's headline (a new verdict, or its online answer).
    Result,
    /// The manual lookup's answer (its first headline, or the message).
    Lookup,
    /// The number field (typed input refused).
    NumberField,
    /// The name field.
    NameField,
    /// The paste field (nothing was pasted).
    PasteField,
    /// The camera's stop button (the scan button it replaced is gone).
    Camera,
}

/// Whose number and name the online lookup was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupOrigin {
    /// Typed into the manual-entry form.
    Typed,
    /// Taken from the scanned certificate (the "check live status" button,
    /// or automatically for an unknown key); its answer is compared with
    /// the QR code's facts.
    Scan,
}

/// An effect the state asks the shell to run. Each request gets a new
/// [`State::followup_seq`], which is what the shell watches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Followup {
    /// Nothing to do.
    None,
    /// Fetch the trust data again (a scan named a key the held list lacks).
    RefreshTrust,
    /// Ask the registry; the answer comes back as
    /// [`Action::LookupDone`] with this request's sequence number.
    Lookup(LookupRequest),
}

/// Everything that can happen to the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Switch the display language.
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
    /// Back to the start screen.
    Clear,
    /// The scan button was tapped; the camera is being started.
    CameraStarting,
    /// The camera runs.
    CameraOn {
        /// Whether the track reports a torch.
        torch_supported: bool,
        /// How many video inputs the device has.
        cameras: usize,
    },
    /// The camera could not be started.
    CameraFailed(CameraError),
    /// The person stopped the camera.
    CameraStopped,
    /// The page was hidden and the camera released.
    CameraPaused,
    /// The torch was switched.
    TorchSet(bool),
    /// The manual-entry form was submitted.
    LookupTyped {
        /// The number as typed.
        number: String,
        /// The name as typed.
        name: String,
    },
    /// "Check live status" on a result: look up the scanned certificate.
    LookupScanned,
    /// The full ID number on a result was revealed or hidden again.
    ToggleNumber,
    /// Crew mode switched on or off (checks go on without leaving the
    /// camera, into the round's list).
    CrewMode(bool),
    /// The saved round was read at start.
    RoundLoaded(Round),
    /// The inspector ended the round (its list is cleared).
    EndRound {
        /// The next round's random key.
        next_key: [u8; 32],
    },
    /// How many checks the device's inspection record holds.
    RecordCount(u64),
    /// How long the record keeps a check (days), as remembered or chosen.
    RecordDays(u32),
    /// A lookup finished.
    LookupDone {
        /// The [`State::followup_seq`] of its request; answers to
        /// superseded requests are dropped.
        seq: u64,
        /// The answer.
        result: Result<Rc<LookupAnswer>, LookupFailure>,
        /// The clock when it arrived (a record's dates are checked then).
        now: UnixTime,
    },
    /// A camera frame held a QR code; the camera has been stopped.
    CodeScanned {
        /// The code's content.
        text: String,
        /// The clock when it was decoded.
        now: UnixTime,
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
    pub scan: ScanState,
    /// The camera.
    pub camera: CameraState,
    /// The online lookup.
    pub lookup: LookupState,
    /// Whose data the lookup is about.
    pub lookup_origin: LookupOrigin,
    /// When the last lookup answer arrived.
    pub lookup_at: UnixTime,
    /// The paste form was submitted empty.
    pub paste_empty: bool,
    /// Where focus goes next, and a counter that changes each time.
    pub focus: Focus,
    /// Changes whenever `focus` is set.
    pub focus_seq: u64,
    /// The effect the shell should run next.
    pub followup: Followup,
    /// Changes whenever `followup` is set (also to the same request again).
    pub followup_seq: u64,
    /// The trust data is being fetched again because a scan named an
    /// unknown key; the scan is checked again when it arrives.
    pub refreshing_for_scan: bool,
    /// The result shows the whole ID number (tapped to reveal); every new
    /// result starts masked.
    pub number_revealed: bool,
    /// Crew mode is on.
    pub crew_on: bool,
    /// The round of checks in crew mode.
    pub round: Round,
    /// Counts finished checks (a new code each time; not re-checks of the
    /// same code after a trust refresh): what the shell records and posts.
    pub checks: u64,
    /// Entries in the device's inspection record, once known.
    pub record_count: Option<u64>,
    /// How long the record keeps a check, in days.
    pub record_days: u32,
    /// The sequence number of the lookup whose answer is awaited.
    lookup_seq: Option<u64>,
    /// The image attempt whose result is awaited.
    current_image: Option<u64>,
    /// A payload waiting for the trust data: (text, clock when read).
    pending: Option<(String, UnixTime)>,
}

impl State {
    /// The start state.
    pub fn new(lang: Lang) -> State {
        State {
            lang,
            trust: TrustState::Loading,
            scan: ScanState::Idle,
            camera: CameraState::Off,
            lookup: LookupState::Idle,
            lookup_origin: LookupOrigin::Typed,
            lookup_at: UnixTime(0),
            paste_empty: false,
            focus: Focus::None,
            focus_seq: 0,
            followup: Followup::None,
            followup_seq: 0,
            refreshing_for_scan: false,
            number_revealed: false,
            crew_on: false,
            round: Round::default(),
            checks: 0,
            record_count: None,
            record_days: crate::prefs::RECORD_DAYS_CHOICES[0],
            lookup_seq: None,
            current_image: None,
            pending: None,
        }
    }

    /// The loaded trust data, if loading has finished.
    pub fn trust_data(&self) -> Option<&TrustData> {
        match &self.trust {
            TrustState::Ready { data, .. } => Some(data),
            TrustState::Loading => None,
        }
    }

    /// The trust list, if one loaded.
    pub fn trust_list(&self) -> Option<&TrustList> {
        self.trust_data().and_then(|d| d.trust.as_ref())
    }

    /// The next state: each area of the app has its own reducer.
    pub fn apply(&self, action: Action) -> State {
        let mut next = self.clone();
        match action {
            Action::SetLang(..) | Action::TrustLoaded { .. } => next.trust_action(action),
            Action::ImageChosen { .. }
            | Action::ImageRead { .. }
            | Action::PayloadEntered { .. }
            | Action::Clear
            | Action::CodeScanned { .. } => next.scan_action(action),
            Action::CameraStarting
            | Action::CameraOn { .. }
            | Action::CameraFailed(..)
            | Action::CameraStopped
            | Action::CameraPaused
            | Action::TorchSet(..) => next.camera_action(action),
            Action::LookupTyped { .. } | Action::LookupScanned | Action::LookupDone { .. } => {
                next.lookup_action(action)
            }
            Action::ToggleNumber
            | Action::CrewMode(..)
            | Action::RoundLoaded(..)
            | Action::EndRound { .. }
            | Action::RecordCount(..)
            | Action::RecordDays(..) => next.result_action(action),
        }
        next
    }

    /// Trust data and language.
    fn trust_action(&mut self, action: Action) {
        match action {
            Action::SetLang(lang) => self.lang = lang,
            Action::TrustLoaded { data, now } => {
                self.trust = TrustState::Ready {
                    data,
                    loaded_at: now,
                };
                if let Some((text, read_at)) = self.pending.take() {
                    self.scan = self.check(text, read_at);
                    self.focus_on_result();
                } else if self.refreshing_for_scan {
                    // The refresh a scan asked for: check the same code again
                    // (at the time it was read) and go online if the key is
                    // still unknown.
                    self.refreshing_for_scan = false;
                    if let ScanState::Done(r) = &self.scan {
                        let (text, read_at) = (r.payload.clone(), r.report.checked_at);
                        self.scan = self.verify_now(text, read_at);
                        self.lookup_if_unknown_key();
                    }
                }
            }
            // The other areas' actions, and those that change nothing now.
            _ => {}
        }
    }

    /// Something to check: an image, pasted text, a camera frame.
    fn scan_action(&mut self, action: Action) {
        match action {
            Action::ImageChosen { scan } => {
                self.current_image = Some(scan);
                self.pending = None;
                self.scan = ScanState::Reading;
            }
            Action::ImageRead { scan, outcome, now } => {
                if self.current_image != Some(scan) {
                    return;
                }
                self.current_image = None;
                self.scan = match outcome {
                    ImageOutcome::Found { text } => self.check(text, now),
                    ImageOutcome::NoCode => ScanState::NoCode,
                    ImageOutcome::Unreadable { detail } => ScanState::ImageUnreadable { detail },
                };
                self.focus_on_result();
            }
            Action::PayloadEntered { text, now } => {
                let text = text.trim();
                self.paste_empty = text.is_empty();
                if text.is_empty() {
                    self.set_focus(Focus::PasteField);
                    return;
                }
                self.current_image = None;
                self.scan = self.check(text.to_string(), now);
                self.focus_on_result();
            }
            Action::Clear => {
                self.number_revealed = false;
                self.current_image = None;
                self.pending = None;
                self.scan = ScanState::Idle;
            }
            Action::CodeScanned { text, now } => {
                if self.crew_on {
                    // Crew mode: the camera stays on; the card still in
                    // front of it is not checked again.
                    if self.round.still_in_view(&text, now) {
                        return;
                    }
                } else {
                    self.camera = CameraState::Off;
                }
                self.current_image = None;
                self.scan = self.check(text, now);
                if !self.crew_on {
                    self.focus_on_result();
                }
            }
            // The other areas' actions, and those that change nothing now.
            _ => {}
        }
    }

    /// The camera starting, running, failing or stopping.
    fn camera_action(&mut self, action: Action) {
        match action {
            Action::CameraStarting => {
                self.current_image = None;
                self.pending = None;
                self.scan = ScanState::Idle;
                self.camera = CameraState::Starting;
                self.set_focus(Focus::Camera);
            }
            // A stop or a result that came first wins over a late start.
            Action::CameraOn {
                torch_supported,
                cameras,
            } if self.camera == CameraState::Starting => {
                self.camera = CameraState::On {
                    torch: torch_supported.then_some(false),
                    cameras,
                };
            }
            Action::CameraFailed(error) => self.camera = CameraState::Failed(error),
            Action::CameraStopped => self.camera = CameraState::Off,
            Action::CameraPaused if self.camera.live() => self.camera = CameraState::Paused,
            Action::TorchSet(lit) => {
                if let CameraState::On { torch, .. } = &mut self.camera {
                    if torch.is_some() {
                        *torch = Some(lit);
                    }
                }
            }
            // The other areas' actions, and those that change nothing now.
            _ => {}
        }
    }

    /// The online lookup: typed, for the code on screen, answered.
    fn lookup_action(&mut self, action: Action) {
        match action {
            Action::LookupTyped { number, name } => {
                self.lookup_origin = LookupOrigin::Typed;
                match LookupRequest::new(&number, &name) {
                    Ok(request) => self.send_lookup(request),
                    Err(e) => {
                        self.lookup_seq = None;
                        self.lookup = LookupState::Invalid(e);
                        self.set_focus(if e.is_name() {
                            Focus::NameField
                        } else {
                            Focus::NumberField
                        });
                    }
                }
            }
            Action::LookupScanned => self.lookup_scanned(),
            Action::LookupDone { seq, result, now } => {
                if self.lookup_seq != Some(seq) {
                    return;
                }
                self.lookup_seq = None;
                self.lookup_at = now;
                self.lookup = match result {
                    Ok(answer) => LookupState::Answered(answer),
                    Err(failure) => LookupState::Failed(failure),
                };
                self.set_focus(match self.lookup_origin {
                    LookupOrigin::Typed => Focus::Lookup,
                    LookupOrigin::Scan => Focus::Result,
                });
            }
            // The other areas' actions, and those that change nothing now.
            _ => {}
        }
    }

    /// The result, crew mode and the inspection record.
    fn result_action(&mut self, action: Action) {
        match action {
            Action::ToggleNumber => self.number_revealed = !self.number_revealed,
            Action::CrewMode(on) => self.crew_on = on,
            Action::RoundLoaded(round) => self.round = round,
            Action::EndRound { next_key } => self.round = Round::with_key(next_key),
            Action::RecordCount(n) => self.record_count = Some(n),
            Action::RecordDays(days) => self.record_days = days,
            // The other areas' actions, and those that change nothing now.
            _ => {}
        }
    }
    fn set_focus(&mut self, focus: Focus) {
        self.focus = focus;
        self.focus_seq += 1;
    }

    /// A finished result (not one still reading or waiting) takes focus.
    fn focus_on_result(&mut self) {
        if matches!(
            self.scan,
            ScanState::Done(_) | ScanState::NoCode | ScanState::ImageUnreadable { .. }
        ) {
            self.set_focus(Focus::Result);
        }
    }

    /// Verifies with core, or parks the text until the trust data arrives.
    /// A new code replaces the previous one's online answer; a key the
    /// held trust list lacks sends for the trust data once more.
    fn check(&mut self, text: String, now: UnixTime) -> ScanState {
        if self.lookup_origin == LookupOrigin::Scan {
            self.lookup = LookupState::Idle;
            self.lookup_seq = None;
        }
        self.refreshing_for_scan = false;
        self.number_revealed = false;
        if matches!(self.trust, TrustState::Loading) {
            self.pending = Some((text, now));
            return ScanState::WaitingForTrust;
        }
        let scan = self.verify_now(text.clone(), now);
        if let ScanState::Done(r) = &scan {
            // Stale or missing revocation data: fetch the lists once before
            // saying so (a phone that has a signal gets a real answer); the
            // code waits, and is checked again when they arrive.
            if revocation_unknown(&r.report.verdict) && self.may_refresh_for(now) {
                self.pending = Some((text, now));
                self.request(Followup::RefreshTrust);
                return ScanState::WaitingForTrust;
            }
            self.checks += 1;
            if self.crew_on {
                self.round.add(r, now);
            }
            if matches!(r.report.verdict, Verdict::UnknownKey { .. }) {
                self.refreshing_for_scan = true;
                self.request(Followup::RefreshTrust);
            }
        }
        scan
    }

    /// True unless the trust data was loaded (or refreshed) in the minute
    /// before `now`: a refresh that just failed is not tried again at once.
    fn may_refresh_for(&self, now: UnixTime) -> bool {
        match &self.trust {
            TrustState::Ready { loaded_at, .. } => loaded_at.0.saturating_add(60) < now.0,
            TrustState::Loading => false,
        }
    }

    /// Core's verdict on `text` with the trust data held.
    fn verify_now(&self, text: String, now: UnixTime) -> ScanState {
        let data = self.trust_data();
        let report = verify(
            &text,
            data.and_then(|d| d.trust.as_ref()),
            data.and_then(|d| d.revocations.as_ref()),
            now,
        );
        ScanState::Done(Rc::new(ScanResult {
            report,
            payload: text,
            source: Source::Offline,
        }))
    }

    /// After the refresh: a key still unknown goes to the registry.
    fn lookup_if_unknown_key(&mut self) {
        let unknown = matches!(
            &self.scan,
            ScanState::Done(r) if matches!(r.report.verdict, Verdict::UnknownKey { .. })
        );
        if unknown {
            self.lookup_scanned();
        }
    }

    /// Looks up the number and name of the certificate on screen (if it
    /// has one); a number that would be refused is shown as such.
    fn lookup_scanned(&mut self) {
        let ScanState::Done(r) = &self.scan else {
            return;
        };
        let Some(c) = r.report.certificate.as_ref() else {
            return;
        };
        let request = LookupRequest::new(&c.number, &c.name);
        self.lookup_origin = LookupOrigin::Scan;
        match request {
            Ok(request) => self.send_lookup(request),
            Err(e) => {
                self.lookup_seq = None;
                self.lookup = LookupState::Invalid(e);
            }
        }
    }

    fn send_lookup(&mut self, request: LookupRequest) {
        self.request(Followup::Lookup(request));
        self.lookup_seq = Some(self.followup_seq);
        self.lookup = LookupState::Sending;
    }

    fn request(&mut self, followup: Followup) {
        self.followup = followup;
        self.followup_seq += 1;
    }
}

impl yew::Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

/// True for `revocation_unknown`, also inside `trust_outdated`.
fn revocation_unknown(v: &Verdict) -> bool {
    match v {
        Verdict::RevocationUnknown { .. } => true,
        Verdict::TrustOutdated { status, .. } => revocation_unknown(status),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{day, now, Fixture, REVOKED_ID};
    use yanzheng_core::messages::explain;
    use yanzheng_core::{base45, payload, Verdict};

    fn loaded(fx: &Fixture) -> State {
        State::new(Lang::Zh).apply(Action::TrustLoaded {
            data: Rc::new(fx.data()),
            now: now(),
        })
    }

    fn verdict_of(state: &State) -> &Verdict {
        match &state.scan {
            ScanState::Done(r) => &r.report.verdict,
            other => panic!("no verdict: {other:?}"),
        }
    }

    fn pasted(state: &State, text: &str) -> State {
        state.apply(Action::PayloadEntered {
            text: text.into(),
            now: now(),
        })
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn starts_loading_in_chinese() {
        let s = State::new(Lang::default());
        assert_eq!(s.lang, Lang::Zh);
        assert_eq!(s.trust, TrustState::Loading);
        assert_eq!(s.scan.code(), "idle");
        assert_eq!(s.apply(Action::SetLang(Lang::En)).lang, Lang::En);
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn a_valid_payload_is_valid_offline() {
        let fx = Fixture::new();
        let s = pasted(&loaded(&fx), &format!("  {}\n", fx.valid_payload()));
        assert_eq!(verdict_of(&s).code(), "valid");
        let ScanState::Done(r) = &s.scan else {
            unreachable!()
        };
        assert_eq!(r.source.code(), "offline");
        assert!(r.report.signature_verified);
        let fields = r.report.fields.as_ref().expect("fields");
        assert_eq!(fields.number_masked, "**************1232");
        // Masked until tapped; the next result starts masked again.
        assert!(!s.number_revealed);
        let shown = s.apply(Action::ToggleNumber);
        assert!(shown.number_revealed);
        assert!(!pasted(&shown, &fx.valid_payload()).number_revealed);
        assert_eq!(
            r.report.issuer.as_ref().map(|i| i.name.as_str()),
            Some("江苏省应急管理厅")
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn dates_and_revocations_come_from_core() {
        let fx = Fixture::new();
        let s = loaded(&fx);
        let mut expired = fx.certificate();
        expired.valid_from = day(2018, 1, 1);
        expired.first_issued = day(2018, 1, 1);
        expired.valid_until = day(2024, 1, 1);
        expired.review_due = Some(day(2021, 1, 1));
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
        soon.review_due = Some(day(2025, 6, 20));
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
        let ScanState::Done(r) = &s.scan else {
            panic!("no verdict")
        };
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
        assert_eq!(s.scan, ScanState::WaitingForTrust);
        let s = s.apply(Action::TrustLoaded {
            data: Rc::new(fx.data()),
            now: now(),
        });
        assert_eq!(verdict_of(&s).code(), "valid");
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn a_camera_scan_stops_the_camera_and_shows_the_verdict() {
        let fx = Fixture::new();
        let s = loaded(&fx).apply(Action::CameraStarting);
        assert_eq!(s.camera.code(), "starting");
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
        let lit = s.apply(Action::TorchSet(true));
        assert!(matches!(
            lit.camera,
            CameraState::On {
                torch: Some(true),
                ..
            }
        ));
        let paused = s.apply(Action::CameraPaused);
        assert_eq!(paused.camera, CameraState::Paused);
        let done = s.apply(Action::CodeScanned {
            text: fx.valid_payload(),
            now: now(),
        });
        assert_eq!(done.camera, CameraState::Off);
        assert_eq!(verdict_of(&done).code(), "valid");
        // A start that finishes after the person stopped the camera is ignored.
        let stopped = loaded(&fx)
            .apply(Action::CameraStarting)
            .apply(Action::CameraStopped)
            .apply(Action::CameraOn {
                torch_supported: false,
                cameras: 1,
            });
        assert_eq!(stopped.camera, CameraState::Off);
        let denied = loaded(&fx)
            .apply(Action::CameraStarting)
            .apply(Action::CameraFailed(CameraError::Denied));
        assert_eq!(denied.camera, CameraState::Failed(CameraError::Denied));
        // Without a torch, switching it changes nothing.
        let dark = loaded(&fx)
            .apply(Action::CameraStarting)
            .apply(Action::CameraOn {
                torch_supported: false,
                cameras: 1,
            });
        assert_eq!(dark.apply(Action::TorchSet(true)), dark);
    }

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
            .apply(Action::CameraStarting)
            .apply(Action::CameraOn {
                torch_supported: false,
                cameras: 1,
            });
        let card = fx.valid_payload();
        let s = scanned(&s, &card, 0);
        assert_eq!(s.camera.code(), "on");
        assert_eq!(verdict_of(&s).code(), "valid");
        assert_eq!((s.checks, s.round.entries.len()), (1, 1));
        // The same card in the next frames: nothing new.
        let s = scanned(&s, &card, 1);
        assert_eq!((s.checks, s.round.entries.len()), (1, 1));
        // Another card, then the first card's code again: flagged.
        let mut other = fx.certificate();
        other.cert_id += 7;
        other.name = "李娜".into();
        other.number = "110105194912310021".into();
        let s = scanned(&s, &fx.sign(&other), 10);
        let s = scanned(&s, &card, 20);
        assert_eq!((s.checks, s.round.entries.len()), (3, 3));
        assert_eq!(s.round.flagged(), 1);
        let ended = s.apply(Action::EndRound { next_key: [3; 32] });
        assert_eq!(ended.round.entries.len(), 0);
        assert_ne!(ended.round.key, s.round.key, "a new round, a new key");
        // Out of crew mode a scan stops the camera, as before.
        let single = scanned(&s.apply(Action::CrewMode(false)), &card, 40);
        assert_eq!(single.camera.code(), "off");
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn lookup_states() {
        let s = State::new(Lang::Zh);
        assert_eq!(s.lookup.code(), "idle");
        let typed = |s: &State, number: &str| {
            s.apply(Action::LookupTyped {
                number: number.into(),
                name: "张三".into(),
            })
        };
        assert_eq!(
            typed(&s, "1101").lookup,
            LookupState::Invalid(InputError::NumberShape)
        );
        // 11010519491231002X has the check digit X; 0 is a typing error.
        assert_eq!(
            typed(&s, "110105194912310021").lookup,
            LookupState::Invalid(InputError::NumberChecksum)
        );
        let sent = typed(&s, "11010519491231002x");
        assert_eq!(sent.lookup.code(), "sending");
        assert_eq!(sent.lookup_origin, LookupOrigin::Typed);
        let Followup::Lookup(request) = &sent.followup else {
            panic!("no lookup asked for: {:?}", sent.followup)
        };
        assert_eq!(request.number, "11010519491231002X");
        let seq = sent.followup_seq;
        let offline = sent.apply(Action::LookupDone {
            seq,
            result: Err(LookupFailure::Offline),
            now: UnixTime(0),
        });
        assert_eq!(offline.lookup.code(), "offline");
        // A second request supersedes the first: the first's late answer is
        // dropped.
        let again = typed(&sent, "11010519491231002X");
        assert_ne!(again.followup_seq, seq);
        let late = again.apply(Action::LookupDone {
            seq,
            result: Err(LookupFailure::Offline),
            now: UnixTime(0),
        });
        assert_eq!(late.lookup.code(), "sending");
        let none = again.apply(Action::LookupDone {
            seq: again.followup_seq,
            result: Ok(Rc::new(LookupAnswer::NotFound {
                message: crate::lookup::Words::default(),
            })),
            now: UnixTime(0),
        });
        assert_eq!(none.lookup.code(), "not_found");
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn stale_revocation_data_is_refreshed_once_before_the_verdict() {
        let fx = Fixture::new();
        // Ten days after the lists were loaded, the revocation data (seven
        // days' maximum age) is stale.
        let later = UnixTime(now().0 + 10 * 86_400);
        let s = loaded(&fx).apply(Action::PayloadEntered {
            text: fx.valid_payload(),
            now: later,
        });
        assert_eq!(s.scan.code(), "waiting");
        assert_eq!(s.followup, Followup::RefreshTrust);
        assert_eq!(s.checks, 0);
        // The refresh brought nothing newer (offline): the verdict says so,
        // once, and is counted once.
        let s = s.apply(Action::TrustLoaded {
            data: Rc::new(fx.data()),
            now: UnixTime(later.0 + 2),
        });
        assert_eq!(verdict_of(&s).code(), "revocation_unknown");
        assert!(!verdict_of(&s).is_acceptable());
        assert_eq!(s.checks, 1);
        // The next scan within a minute does not refresh again.
        let again = s.apply(Action::PayloadEntered {
            text: fx.valid_payload(),
            now: UnixTime(later.0 + 30),
        });
        assert_eq!(verdict_of(&again).code(), "revocation_unknown");
        assert_eq!(again.followup_seq, s.followup_seq);
        // Fresh data (as a refresh online brings) gives the real verdict.
        let fresh = pasted(&loaded(&fx), &fx.valid_payload());
        assert_eq!(verdict_of(&fresh).code(), "valid");
        assert_eq!(fresh.followup, Followup::None);
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn an_unknown_key_refreshes_the_trust_list_once_then_goes_online() {
        let fx = Fixture::new();
        let stranger = fx.signed_by_unlisted_key();
        let s = pasted(&loaded(&fx), &stranger);
        assert_eq!(verdict_of(&s).code(), "unknown_key");
        assert!(s.refreshing_for_scan);
        assert_eq!(s.followup, Followup::RefreshTrust);
        assert_eq!(s.lookup.code(), "idle");
        // The same list again: still unknown, so the registry is asked with
        // the number and name the code carries.
        let s = s.apply(Action::TrustLoaded {
            data: Rc::new(fx.data()),
            now: now(),
        });
        assert!(!s.refreshing_for_scan);
        assert_eq!(verdict_of(&s).code(), "unknown_key");
        assert_eq!(s.lookup.code(), "sending");
        assert_eq!(s.lookup_origin, LookupOrigin::Scan);
        let Followup::Lookup(request) = &s.followup else {
            panic!("no lookup asked for: {:?}", s.followup)
        };
        assert_eq!(request.name, fx.certificate().name);
        // Another hourly refresh changes nothing more.
        let later = s.apply(Action::TrustLoaded {
            data: Rc::new(fx.data()),
            now: now(),
        });
        assert_eq!(later.followup_seq, s.followup_seq);

        // A refresh that brings the key: verified offline, no lookup.
        let fresh = pasted(&loaded(&fx), &stranger).apply(Action::TrustLoaded {
            data: Rc::new(fx.data_listing_the_unlisted_key()),
            now: now(),
        });
        assert_eq!(verdict_of(&fresh).code(), "valid");
        assert_eq!(fresh.lookup.code(), "idle");
        assert_eq!(fresh.followup, Followup::RefreshTrust);

        // A known key never triggers either.
        let known = pasted(&loaded(&fx), &fx.valid_payload());
        assert_eq!(known.followup, Followup::None);
        assert!(!known.refreshing_for_scan);
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn check_live_status_looks_up_the_scanned_holder_and_a_new_scan_clears_it() {
        let fx = Fixture::new();
        let s = pasted(&loaded(&fx), &fx.valid_payload()).apply(Action::LookupScanned);
        assert_eq!(s.lookup.code(), "sending");
        assert_eq!(s.lookup_origin, LookupOrigin::Scan);
        let Followup::Lookup(request) = &s.followup else {
            panic!("no lookup asked for")
        };
        assert_eq!(request.number, fx.certificate().number);
        let answered = s.apply(Action::LookupDone {
            seq: s.followup_seq,
            result: Err(LookupFailure::Timeout),
            now: UnixTime(0),
        });
        assert_eq!(answered.lookup.code(), "timeout");
        // The next card's result does not carry the previous card's answer.
        let next = pasted(&answered, &fx.valid_payload());
        assert_eq!(next.lookup.code(), "idle");
        // Without a certificate on screen the button does nothing.
        let idle = loaded(&fx).apply(Action::LookupScanned);
        assert_eq!(idle.lookup.code(), "idle");
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn image_outcomes_and_superseded_scans() {
        let fx = Fixture::new();
        let s = loaded(&fx).apply(Action::ImageChosen { scan: 1 });
        assert_eq!(s.scan.code(), "reading");
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
        assert_eq!(late.scan.code(), "reading");
        assert_eq!(read(&s, 2, ImageOutcome::NoCode).scan.code(), "no_code");
        let bad = read(&s, 2, ImageOutcome::Unreadable { detail: "x".into() });
        assert_eq!(bad.scan.code(), "image_unreadable");
        assert_eq!(bad.apply(Action::Clear).scan, ScanState::Idle);
        // Blank input changes no result: it is said, and the paste field
        // takes focus.
        let blank = pasted(&bad, "  \n");
        assert_eq!(blank.scan, bad.scan);
        assert!(blank.paste_empty);
        assert_eq!(blank.focus, Focus::PasteField);
        assert!(!pasted(&blank, &fx.valid_payload()).paste_empty);
    }
}
