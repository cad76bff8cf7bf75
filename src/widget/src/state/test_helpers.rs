//! What the area reducers' tests share (the lookup asked for last is
//! [`crate::test_support::last_lookup`]).

use std::rc::Rc;

use yanzheng_core::messages::Lang;
use yanzheng_core::Verdict;

use super::{Action, Effect, ScanState, State};
use crate::test_support::{now, Fixture};

/// The start state with the fixture's trust data loaded.
pub fn loaded(fx: &Fixture) -> State {
    State::new(Lang::Zh).apply(Action::TrustLoaded {
        data: Rc::new(fx.data()),
        now: now(),
    })
}

/// The verdict on screen.
pub fn verdict_of(state: &State) -> &Verdict {
    match &state.scan.shown {
        ScanState::Done(r) => &r.report.verdict,
        other => panic!("no verdict: {other:?}"),
    }
}

/// `text` pasted now.
pub fn pasted(state: &State, text: &str) -> State {
    state.apply(Action::PayloadEntered {
        text: text.into(),
        now: now(),
    })
}

/// The effects `after` asked for that `before` had not.
pub fn new_effects(before: &State, after: &State) -> Vec<Effect> {
    after
        .outbox
        .after(before.outbox.last())
        .map(|(_, e)| e.clone())
        .collect()
}

/// How many checks went to the record (effects not yet taken).
pub fn recorded(state: &State) -> usize {
    state
        .outbox
        .pending()
        .filter(|e| matches!(e, Effect::Record(_)))
        .count()
}
