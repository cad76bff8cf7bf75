//! Crew mode (a round of checks without leaving the camera) and the
//! device's inspection record.

use super::{Action, Effect, State};
use crate::crew::Round;
use crate::prefs::RECORD_DAYS_CHOICES;

/// Crew mode and its round.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CrewArea {
    /// Crew mode is on: codes do not stop the camera.
    pub on: bool,
    /// The round of checks.
    pub round: Round,
}

/// The device's inspection record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordArea {
    /// Entries it holds, once known.
    pub count: Option<u64>,
    /// How long it keeps a check, in days.
    pub days: u32,
}

impl Default for RecordArea {
    fn default() -> RecordArea {
        RecordArea {
            count: None,
            days: RECORD_DAYS_CHOICES[0],
        }
    }
}

impl State {
    /// Crew mode, the round and the record.
    pub(super) fn crew_action(&mut self, action: Action) {
        match action {
            Action::CrewMode(on) => self.crew.on = on,
            Action::EndRound { next_key } => {
                self.crew.round = Round::with_key(next_key);
                self.emit(Effect::SaveRound(self.crew.round.clone()));
            }
            Action::Restored { round, record_days } => {
                self.crew.round = round;
                self.record.days = record_days;
                self.emit(Effect::PruneRecord(record_days));
            }
            Action::RecordCount(n) => self.record.count = Some(n),
            Action::RecordDaysChosen(days) if RECORD_DAYS_CHOICES.contains(&days) => {
                self.record.days = days;
                self.emit(Effect::SaveRecordDays(days));
                self.emit(Effect::PruneRecord(days));
            }
            Action::ClearRecord => {
                self.emit(Effect::ClearRecord);
            }
            Action::ExportRecord => {
                self.emit(Effect::ExportRecord);
            }
            // The other areas' actions, and days that are not a choice.
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
