//! Manual entry: a number and a name sent to the online lookup, and its
//! answer (one result per certificate found, each with core's verdict on
//! the registry's record, or "not found").

use yanzheng_core::messages::{explain_outcome, Lang};
use yanzheng_core::online::Outcome;
use yanzheng_core::Date;
use yew::prelude::*;

use super::parts::{headline, lookup_progress, registry_fields, tone_class, verdict_words};
use crate::lookup::{InputError, LookupAnswer};
use crate::state::{LookupArea, LookupOrigin, LookupState};
use crate::text::{self, t, Msg};

/// The form's callback and fields.
#[derive(Clone, PartialEq, Default)]
pub struct LookupHandlers {
    /// The form was submitted.
    pub on_lookup: Callback<SubmitEvent>,
    /// The number field (the shell reads its value).
    pub number: NodeRef,
    /// The name field.
    pub name: NodeRef,
}

/// What manual entry draws from.
#[derive(Properties, PartialEq)]
pub struct LookupProps {
    /// Display language.
    pub lang: Lang,
    /// The online lookup.
    pub lookup: LookupArea,
    /// The form's callback and fields.
    pub on: LookupHandlers,
}

/// Manual entry (number + name → online lookup) and its answer.
#[function_component]
pub fn ManualEntry(p: &LookupProps) -> Html {
    let lang = p.lang;
    let sending = p.lookup.shown == LookupState::Sending;
    let typed = p.lookup.origin == LookupOrigin::Typed;
    let invalid = match (&p.lookup.shown, typed) {
        (LookupState::Invalid(e), true) => Some(*e),
        _ => None,
    };
    let number_invalid = invalid.is_some_and(|e| !e.is_name());
    let name_invalid = invalid.is_some_and(InputError::is_name);
    html! {
        <section class="manual">
            <h2>{ t(lang, Msg::ManualTitle) }</h2>
            <p class="hint">{ t(lang, Msg::ManualHint) }</p>
            <form class="lookup-form" onsubmit={p.on.on_lookup.clone()}>
                <label for="lookup-number">{ t(lang, Msg::NumberLabel) }</label>
                <input id="lookup-number" ref={p.on.number.clone()} inputmode="text"
                    autocomplete="off" autocapitalize="characters" spellcheck="false"
                    maxlength="24" aria-invalid={number_invalid.to_string()}
                    aria-describedby={number_invalid.then_some("lookup-error")} />
                <label for="lookup-name">{ t(lang, Msg::NameLabel) }</label>
                <input id="lookup-name" ref={p.on.name.clone()} autocomplete="off"
                    spellcheck="false" maxlength="40" aria-invalid={name_invalid.to_string()}
                    aria-describedby={name_invalid.then_some("lookup-error")} />
                <button type="submit" class="check" data-action="lookup" disabled={sending}>
                    { t(lang, Msg::LookupButton) }
                </button>
            </form>
            if typed { <div class="lookup-answer">{ typed_answer(lang, &p.lookup) }</div> }
        </section>
    }
}

/// The answer to a typed lookup.
fn typed_answer(lang: Lang, lookup: &LookupArea) -> Html {
    if let Some(html) = lookup_progress(lang, &lookup.shown) {
        return html;
    }
    let LookupState::Answered(answer) = &lookup.shown else {
        return Html::default();
    };
    let today = Date::in_china_at(lookup.answered_at);
    let card = |outcome: Outcome, first: bool| {
        let words = explain_outcome(&outcome, None, lookup.answered_at, lang);
        let record = outcome.record.as_ref().map(|r| registry_fields(lang, r));
        let found = if outcome.record.is_some() {
            "found"
        } else {
            "not_found"
        };
        html! {
            <section class={classes!("result", tone_class(words.tone).0)}
                data-outcome={outcome.verdict.code()} data-basis="registry"
                data-lookup={found} data-source="online">
                { headline(&words, first) }
                { verdict_words(lang, &words) }
                { for record }
                <p class="meta">{ t(lang, Msg::CheckedOnline) }</p>
            </section>
        }
    };
    match &**answer {
        LookupAnswer::NotFound { .. } => card(Outcome::not_found(), true),
        LookupAnswer::Found { certificates } => html! {
            <>
                if certificates.len() > 1 {
                    <p class="hint">{ text::found_count(lang, certificates.len()) }</p>
                }
                { for certificates.iter().enumerate().map(|(i, c)| {
                    card(Outcome::of_record(c, today), i == 0)
                }) }
            </>
        },
    }
}
