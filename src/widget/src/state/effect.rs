//! What the reducer asks the shell to do. [`State::apply`](super::State::apply)
//! decides everything once and appends [`Effect`]s to the state's
//! [`Outbox`]; one shell hook runs each effect once, in order, and then
//! reports them taken ([`Action::EffectsTaken`](super::Action::EffectsTaken)).
//! No effect is inferred by watching state fields change.

use std::rc::Rc;

use yanzheng_core::messages::Lang;

use super::scan::ScanResult;
use crate::crew::Round;
use crate::lookup::LookupRequest;

/// Where keyboard focus goes after something new is shown (the shell moves
/// it, and scrolls it into view).
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

/// One thing for the shell to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Fetch the trust data again; it comes back as
    /// [`Action::TrustLoaded`](super::Action::TrustLoaded).
    RefreshTrust,
    /// Ask the registry; the answer comes back as
    /// [`Action::LookupDone`](super::Action::LookupDone) with this `seq`.
    Lookup {
        /// The request's number (answers to other numbers are dropped).
        seq: u64,
        /// What to ask.
        request: LookupRequest,
    },
    /// A new check: append it to the device's inspection record (the count
    /// comes back as [`Action::RecordCount`](super::Action::RecordCount))
    /// and post it to the host page if one may have it.
    Record(Rc<ScanResult>),
    /// Save the crew round (an entry was added or the round ended).
    SaveRound(Round),
    /// Remember the display language.
    SaveLang(Lang),
    /// Remember how long the record keeps a check.
    SaveRecordDays(u32),
    /// Delete the record's checks older than this many days, then count it.
    PruneRecord(u32),
    /// Delete the whole record (the person confirmed it).
    ClearRecord,
    /// Download the record as CSV.
    ExportRecord,
    /// Move focus there, once the page has been drawn.
    Focus(Focus),
    /// Open the camera and decode its frames; `next_device` switches to
    /// the device's next camera first.
    StartCamera {
        /// Use the next camera.
        next_device: bool,
    },
    /// Release the camera (its light goes off).
    StopCamera,
    /// Switch the torch; success comes back as
    /// [`Action::TorchSet`](super::Action::TorchSet).
    SetTorch(bool),
}

/// Effects not yet taken by the shell, each with a number that is never
/// reused.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outbox {
    last: u64,
    pending: Vec<(u64, Effect)>,
}

impl Outbox {
    /// Appends an effect; returns its number.
    pub(super) fn push(&mut self, effect: Effect) -> u64 {
        self.last += 1;
        self.pending.push((self.last, effect));
        self.last
    }

    /// The newest effect's number (0 before the first).
    pub fn last(&self) -> u64 {
        self.last
    }

    /// The effects numbered after `taken`, oldest first.
    pub fn after(&self, taken: u64) -> impl Iterator<Item = &(u64, Effect)> {
        self.pending.iter().filter(move |(n, _)| *n > taken)
    }

    /// The effects not yet taken, oldest first.
    #[cfg(test)]
    pub fn pending(&self) -> impl DoubleEndedIterator<Item = &Effect> {
        self.pending.iter().map(|(_, e)| e)
    }

    /// Forgets the effects up to `upto` (the shell has run them).
    pub(super) fn taken(&mut self, upto: u64) {
        self.pending.retain(|(n, _)| *n > upto);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn effects_are_numbered_once_and_forgotten_when_taken() {
        let mut out = Outbox::default();
        assert_eq!(out.last(), 0);
        let a = out.push(Effect::RefreshTrust);
        let b = out.push(Effect::StopCamera);
        assert_eq!((a, b, out.last()), (1, 2, 2));
        assert_eq!(out.after(1).count(), 1);
        out.taken(1);
        assert_eq!(out.pending().collect::<Vec<_>>(), vec![&Effect::StopCamera]);
        out.taken(2);
        assert_eq!(out.pending().count(), 0);
        assert_eq!(out.push(Effect::ClearRecord), 3, "numbers never repeat");
    }
}
