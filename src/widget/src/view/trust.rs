//! The trust-data banner. Offline (the lists could not be fetched, the
//! copies saved on this device are used) is the normal case on a site: one
//! calm line with the lists' dates, the raw errors behind a toggle.

use yanzheng_core::messages::{list_version, phrase, Lang, Phrase};
use yew::prelude::*;

use super::parts::details_toggle;
use crate::state::TrustState;
use crate::text::{self, t, Msg};
use crate::trust_data::{TrustData, TrustFile};

/// What the banner draws from.
#[derive(Properties, PartialEq)]
pub struct TrustProps {
    /// Display language.
    pub lang: Lang,
    /// The trust data.
    pub trust: TrustState,
}

/// The banner, `data-trust` (and `data-offline`, `data-saved-copy`) on it.
#[function_component]
pub fn TrustBanner(p: &TrustProps) -> Html {
    let lang = p.lang;
    let TrustState::Ready { data, loaded_at } = &p.trust else {
        return html! {
            <section class="trust" data-trust="loading">
                <p>{ t(lang, Msg::TrustLoading) }</p>
            </section>
        };
    };
    let status = if data.trust.is_some() {
        "ready"
    } else {
        "failed"
    };
    let offline = data.trust.is_some()
        && !data.saved_copy.is_empty()
        && data.saved_copy.iter().all(|p| p.error.is_network());
    if offline {
        let line = text::offline_line(
            lang,
            data.trust.as_ref().map(|l| l.issued_at),
            data.revocations.as_ref().map(|l| l.issued_at),
            *loaded_at,
        );
        let raw: Vec<String> = data
            .saved_copy
            .iter()
            .map(|p| text::saved_copy(lang, p.file, &p.error))
            .collect();
        return html! {
            <section class="trust trust-offline" data-trust={status} data-offline="true"
                data-saved-copy="true">
                <p class="offline-line">{ line }</p>
                { for problems(data, lang) }
                { details_toggle(lang, Some(raw.join(" "))) }
            </section>
        };
    }
    let summary = data.trust.as_ref().map(|tl| {
        let mut s = list_version(lang, tl.version, tl.issued_at, *loaded_at);
        if tl.is_expired(*loaded_at) {
            s = format!("{s} · {}", phrase(Phrase::Expired, lang));
        }
        let r = data
            .revocations
            .as_ref()
            .map(|r| list_version(lang, r.version, r.issued_at, *loaded_at));
        text::trust_ready(lang, &s, r.as_deref())
    });
    html! {
        <section class={classes!("trust", (status == "failed").then_some("trust-failed"))}
            data-trust={status} data-saved-copy={(!data.saved_copy.is_empty()).then_some("true")}>
            if let Some(s) = summary { <p>{ s }</p> }
            { for problems(data, lang) }
            { for data.saved_copy.iter().map(|p| html! {
                <p class="problem saved-copy">{ text::saved_copy(lang, p.file, &p.error) }</p>
            }) }
        </section>
    }
}

fn problems(data: &TrustData, lang: Lang) -> impl Iterator<Item = Html> + '_ {
    data.problems.iter().map(move |p| {
        let class = if p.file == TrustFile::Revocations {
            "problem"
        } else {
            "problem serious"
        };
        html! { <p class={class}>{ text::load_problem(lang, p.file, &p.error) }</p> }
    })
}
