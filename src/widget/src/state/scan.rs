//! The result area: images, pasted text and camera codes checked by core,
//! codes parked until the trust data arrives, and the one refresh of the
//! lists a scan may ask for.

use std::rc::Rc;

use yanzheng_core::{verify, Report, UnixTime, Verdict};

use super::{Action, CameraState, Effect, Focus, LookupOrigin, LookupState, State, TrustState};
use crate::scan::ImageOutcome;

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

/// What the result area shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ScanState {
    /// Nothing scanned yet.
    #[default]
    Idle,
    /// An image is being read and decoded.
    Reading,
    /// A code was read before the trust data arrived (or while the lists
    /// are fetched again); it is checked as soon as they arrive.
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

    /// The finished check shown, if any.
    pub fn result(&self) -> Option<&Rc<ScanResult>> {
        match self {
            ScanState::Done(r) => Some(r),
            _ => None,
        }
    }
}

/// The result area's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScanArea {
    /// What it shows.
    pub shown: ScanState,
    /// The result shows the whole ID number (tapped to reveal); every new
    /// result starts masked.
    pub number_revealed: bool,
    /// The paste form was submitted empty.
    pub paste_empty: bool,
    /// The trust data is being fetched again because a scan named an
    /// unknown key; the scan is checked again when it arrives.
    pub refreshing_for_scan: bool,
    /// The image attempt whose result is awaited.
    current_image: Option<u64>,
    /// A payload waiting for the trust data: (text, clock when read).
    pending: Option<(String, UnixTime)>,
}

impl State {
    /// Something to check: an image, pasted text, a camera frame.
    pub(super) fn scan_action(&mut self, action: Action) {
        match action {
            Action::ImageChosen { scan } => {
                self.release_camera();
                self.scan.current_image = Some(scan);
                self.scan.pending = None;
                self.scan.shown = ScanState::Reading;
            }
            Action::ImageRead { scan, outcome, now } => {
                if self.scan.current_image != Some(scan) {
                    return;
                }
                self.scan.current_image = None;
                self.scan.shown = match outcome {
                    ImageOutcome::Found { text } => self.check(text, now),
                    ImageOutcome::NoCode => ScanState::NoCode,
                    ImageOutcome::Unreadable { detail } => ScanState::ImageUnreadable { detail },
                };
                self.focus_on_result();
            }
            Action::PayloadEntered { text, now } => {
                // As the code holds it: without the line breaks and spaces
                // a chat app or a note added.
                let text = yanzheng_core::payload::from_pasted(&text);
                self.scan.paste_empty = text.is_empty();
                if text.is_empty() {
                    self.set_focus(Focus::PasteField);
                    return;
                }
                self.scan.current_image = None;
                self.scan.shown = self.check(text, now);
                self.focus_on_result();
            }
            Action::CodeScanned { text, now } => self.code_scanned(text, now),
            Action::ToggleNumber => self.scan.number_revealed = !self.scan.number_revealed,
            // The other areas' actions.
            _ => {}
        }
    }

    /// Back to the start screen.
    pub(super) fn clear_result(&mut self) {
        self.scan.number_revealed = false;
        self.scan.current_image = None;
        self.scan.pending = None;
        self.scan.shown = ScanState::Idle;
    }

    /// A camera frame's code. Out of crew mode the first code stops the
    /// camera (frames decoded after that are dropped); in crew mode the
    /// camera stays on and the card still in front of it is not checked
    /// again.
    fn code_scanned(&mut self, text: String, now: UnixTime) {
        if !self.camera.live() {
            return;
        }
        if self.crew.on {
            if self.crew.round.still_in_view(&text, now) {
                return;
            }
        } else {
            self.camera = CameraState::Off;
            self.emit(Effect::StopCamera);
        }
        self.scan.current_image = None;
        self.scan.shown = self.check(text, now);
        if !self.crew.on {
            self.focus_on_result();
        }
    }

    /// The trust data arrived: a parked code is checked; after the refresh
    /// an unknown key asked for, the same code is checked again (at the
    /// time it was read) and goes online if the key is still unknown.
    pub(super) fn trust_arrived(&mut self) {
        if let Some((text, read_at)) = self.scan.pending.take() {
            self.scan.shown = self.check(text, read_at);
            self.focus_on_result();
        } else if self.scan.refreshing_for_scan {
            self.scan.refreshing_for_scan = false;
            if let Some(r) = self.scan.shown.result() {
                let (text, read_at) = (r.payload.clone(), r.report.checked_at);
                self.scan.shown = self.verify_now(text, read_at);
                self.lookup_if_unknown_key();
            }
        }
    }

    /// A finished result (not one still reading or waiting) takes focus.
    fn focus_on_result(&mut self) {
        if matches!(
            self.scan.shown,
            ScanState::Done(_) | ScanState::NoCode | ScanState::ImageUnreadable { .. }
        ) {
            self.set_focus(Focus::Result);
        }
    }

    /// Verifies with core, or parks the text until the trust data arrives.
    /// A new code replaces the previous one's online answer; a key the
    /// held trust list lacks sends for the trust data once more. Each new
    /// check goes to the record (and the crew round).
    fn check(&mut self, text: String, now: UnixTime) -> ScanState {
        if self.lookup.origin == LookupOrigin::Scan {
            self.lookup.forget(LookupState::Idle);
        }
        self.scan.refreshing_for_scan = false;
        self.scan.number_revealed = false;
        if matches!(self.trust, TrustState::Loading) {
            self.scan.pending = Some((text, now));
            return ScanState::WaitingForTrust;
        }
        let scan = self.verify_now(text.clone(), now);
        if let ScanState::Done(r) = &scan {
            // Stale or missing revocation data: fetch the lists once before
            // saying so (a phone that has a signal gets a real answer); the
            // code waits, and is checked again when they arrive.
            if revocation_unknown(&r.report.verdict) && self.may_refresh_for(now) {
                self.scan.pending = Some((text, now));
                self.emit(Effect::RefreshTrust);
                return ScanState::WaitingForTrust;
            }
            self.emit(Effect::Record(Rc::clone(r)));
            if self.crew.on && self.crew.round.add(r, now) {
                self.emit(Effect::SaveRound(self.crew.round.clone()));
            }
            if matches!(r.report.verdict, Verdict::UnknownKey { .. }) {
                self.scan.refreshing_for_scan = true;
                self.emit(Effect::RefreshTrust);
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
        let unknown = self
            .scan
            .shown
            .result()
            .is_some_and(|r| matches!(r.report.verdict, Verdict::UnknownKey { .. }));
        if unknown {
            self.lookup_scanned();
        }
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
mod tests;
