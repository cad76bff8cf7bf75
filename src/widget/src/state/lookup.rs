//! The online lookup: a typed number and name, or the scanned card's
//! ("check live status", or by itself for a key this device does not
//! know). Only the newest request's answer is shown.

use std::rc::Rc;

use yanzheng_core::UnixTime;

use super::{Action, Effect, Focus, State};
use crate::lookup::{InputError, LookupAnswer, LookupFailure, LookupRequest};

/// The online lookup (typed number and name), shown beside any offline
/// verdict.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum LookupState {
    /// Nothing asked.
    #[default]
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

/// Whose number and name the online lookup was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LookupOrigin {
    /// Typed into the manual-entry form.
    #[default]
    Typed,
    /// Taken from the scanned certificate (the "check live status" button,
    /// or automatically for an unknown key); its answer is compared with
    /// the QR code's facts.
    Scan,
}

/// The lookup area's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupArea {
    /// What it shows.
    pub shown: LookupState,
    /// Whose data it is about.
    pub origin: LookupOrigin,
    /// When the last answer arrived (a record's dates are judged then).
    pub answered_at: UnixTime,
    /// The `seq` of the request whose answer is awaited.
    awaiting: Option<u64>,
    /// Requests sent so far (the last one's `seq`).
    sent: u64,
}

impl Default for LookupArea {
    fn default() -> LookupArea {
        LookupArea {
            shown: LookupState::Idle,
            origin: LookupOrigin::Typed,
            answered_at: UnixTime(0),
            awaiting: None,
            sent: 0,
        }
    }
}

impl LookupArea {
    /// Shows `shown` and stops waiting for any answer.
    pub(super) fn forget(&mut self, shown: LookupState) {
        self.awaiting = None;
        self.shown = shown;
    }
}

impl State {
    /// The online lookup: typed, for the code on screen, answered.
    pub(super) fn lookup_action(&mut self, action: Action) {
        match action {
            Action::LookupTyped { number, name } => {
                self.lookup.origin = LookupOrigin::Typed;
                match LookupRequest::new(&number, &name) {
                    Ok(request) => self.send_lookup(request),
                    Err(e) => {
                        self.lookup.forget(LookupState::Invalid(e));
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
                if self.lookup.awaiting != Some(seq) {
                    return;
                }
                self.lookup.answered_at = now;
                self.lookup.forget(match result {
                    Ok(answer) => LookupState::Answered(answer),
                    Err(failure) => LookupState::Failed(failure),
                });
                self.set_focus(match self.lookup.origin {
                    LookupOrigin::Typed => Focus::Lookup,
                    LookupOrigin::Scan => Focus::Result,
                });
            }
            // The other areas' actions.
            _ => {}
        }
    }

    /// Looks up the number and name of the certificate on screen (if it
    /// has one); a number that would be refused is shown as such.
    pub(super) fn lookup_scanned(&mut self) {
        let Some(c) = self
            .scan
            .shown
            .result()
            .and_then(|r| r.report.certificate.as_ref())
        else {
            return;
        };
        let request = LookupRequest::new(&c.number, &c.name);
        self.lookup.origin = LookupOrigin::Scan;
        match request {
            Ok(request) => self.send_lookup(request),
            Err(e) => self.lookup.forget(LookupState::Invalid(e)),
        }
    }

    fn send_lookup(&mut self, request: LookupRequest) {
        self.lookup.sent += 1;
        let seq = self.lookup.sent;
        self.emit(Effect::Lookup { seq, request });
        self.lookup.awaiting = Some(seq);
        self.lookup.shown = LookupState::Sending;
    }
}

#[cfg(test)]
mod tests;
