//! Pieces more than one area draws: headlines and verdict words, notices
//! and progress, definition-list rows, masked numbers, a registry record's
//! fields, a lookup still in progress or without an answer.

use yanzheng_core::messages::{input_error, label, phrase, Explanation, Label, Lang, Phrase, Tone};
use yanzheng_core::messages::{HOTLINE, OFFICIAL_SITE};
use yanzheng_core::online::RegistryCertificate;
use yanzheng_core::verdict::NamedCode;
use yanzheng_core::{Date, Details};
use yew::prelude::*;

use crate::lookup::LookupFailure;
use crate::state::LookupState;
use crate::text::{self, t, Msg};

/// The tone's class and icon.
pub(super) fn tone_class(tone: Tone) -> (&'static str, &'static str) {
    match tone {
        Tone::Good => ("tone-good", "✓"),
        Tone::Caution => ("tone-caution", "!"),
        Tone::Bad => ("tone-bad", "✕"),
        Tone::Unknown => ("tone-unknown", "?"),
    }
}

/// A result's headline: icon and words; the first heading of a result
/// takes focus when it appears (`tabindex=-1`, `data-focus`).
pub(super) fn headline(words: &Explanation, first: bool) -> Html {
    let (_, icon) = tone_class(words.tone);
    html! {
        <div class="verdict-head">
            <span class="icon" aria-hidden="true">{ icon }</span>
            <h2 tabindex="-1" data-focus={first.then_some("headline")}>{ words.headline.clone() }</h2>
        </div>
    }
}

/// Why, what next, the official channels where they help and the detail.
pub(super) fn verdict_words(lang: Lang, words: &Explanation) -> Html {
    html! {
        <>
            <p class="why">{ words.why.clone() }</p>
            <p class="next"><strong>{ phrase(Phrase::NextLabel, lang) }</strong>{ words.next.clone() }</p>
            if words.official_channels { { official_channels(lang) } }
            if let Some(d) = &words.detail { <p class="detail">{ d.clone() }</p> }
        </>
    }
}

/// The ministry's query platform and the hotline, as links.
fn official_channels(lang: Lang) -> Html {
    html! {
        <ul class="channels" data-channels="official">
            <li>
                { phrase(Phrase::OfficialSite, lang) }
                <a href={format!("https://{OFFICIAL_SITE}/")} target="_blank"
                    rel="noopener noreferrer">{ OFFICIAL_SITE }</a>
            </li>
            <li>
                { phrase(Phrase::OfficialHotline, lang) }
                <a href={format!("tel:{HOTLINE}")}>{ HOTLINE }</a>
            </li>
        </ul>
    }
}

/// Work in progress, with a spinner.
pub(super) fn progress(words: &str) -> Html {
    html! {
        <div class="progress">
            <span class="spinner" aria-hidden="true"></span>
            <p>{ words.to_string() }</p>
        </div>
    }
}

/// Something that is not a verdict (no code, an unreadable image).
pub(super) fn notice(lang: Lang, headline: Msg, next: Msg, detail: Option<&str>) -> Html {
    html! {
        <section class="notice tone-unknown">
            <div class="verdict-head">
                <span class="icon" aria-hidden="true">{ "?" }</span>
                <h2 tabindex="-1" data-focus="headline">{ t(lang, headline) }</h2>
            </div>
            <p class="next">{ t(lang, next) }</p>
            if let Some(d) = detail { <p class="detail">{ d.to_string() }</p> }
        </section>
    }
}

/// A technical detail, folded away behind a toggle.
pub(super) fn details_toggle(lang: Lang, detail: Option<String>) -> Html {
    match detail {
        Some(d) if !d.is_empty() => html! {
            <details class="tech">
                <summary>{ t(lang, Msg::TechDetails) }</summary>
                <p class="detail">{ d }</p>
            </details>
        },
        _ => Html::default(),
    }
}

/// The words for a lookup that got no answer.
pub(super) fn failure_words(lang: Lang, f: &LookupFailure) -> (Msg, Option<String>) {
    let zh = lang == Lang::Zh;
    match f {
        LookupFailure::Offline => (Msg::LookupOffline, None),
        LookupFailure::Timeout => (Msg::LookupTimeout, None),
        LookupFailure::Server(d) => (Msg::LookupError, Some(d.clone())),
        LookupFailure::Refused { message, .. } => {
            (Msg::LookupRefused, Some(message.get(zh).to_string()))
        }
    }
}

/// A lookup's state other than an answer: progress, refused input, failure.
pub(super) fn lookup_progress(lang: Lang, lookup: &LookupState) -> Option<Html> {
    Some(match lookup {
        LookupState::Idle | LookupState::Answered(_) => return None,
        LookupState::Sending => html! {
            <div class="progress" data-lookup="sending">
                <span class="spinner" aria-hidden="true"></span>
                <p>{ t(lang, Msg::LookupSending) }</p>
            </div>
        },
        LookupState::Invalid(e) => html! {
            <p class="note warn" id="lookup-error" data-lookup="invalid" role="alert">
                { input_error(*e, lang) }
            </p>
        },
        LookupState::Failed(f) => {
            let (msg, detail) = failure_words(lang, f);
            // Refused input is the registry's word on what was typed; the
            // rest is about the connection, said calmly.
            let class = if matches!(f, LookupFailure::Refused { .. }) {
                "note warn"
            } else {
                "note calm"
            };
            html! {
                <div class="lookup-failed" data-lookup={lookup.code()} data-source="online">
                    <p class={class} tabindex="-1" data-focus="headline">{ t(lang, msg) }</p>
                    if let LookupFailure::Refused { .. } = f {
                        if let Some(d) = detail.clone() { <p class="detail">{ d }</p> }
                    } else {
                        { details_toggle(lang, detail) }
                    }
                </div>
            }
        }
    })
}

/// A definition-list row.
pub(super) fn row(label: &str, value: String) -> Html {
    html! { <><dt>{ label.to_string() }</dt><dd>{ value }</dd></> }
}

/// A date row (the date never breaks inside).
pub(super) fn date_row(label: &str, d: Date) -> Html {
    html! { <><dt>{ label.to_string() }</dt><dd><span class="nowrap">{ d.to_string() }</span></dd></> }
}

/// The validity row: two dates that never break inside.
pub(super) fn validity(lang: Lang, from: Date, until: Date) -> Html {
    html! {
        <>
            <dt>{ label(Label::Validity, lang) }</dt>
            <dd>
                <span class="nowrap">{ from.to_string() }</span>
                { phrase(Phrase::ValidityTo, lang) }
                <span class="nowrap">{ until.to_string() }</span>
            </dd>
        </>
    }
}

/// The masked number as the eye sees it (asterisks, then the last digits
/// set large: the inspector compares exactly those with the holder's ID
/// card) and as a screen reader says it ("证号末四位 0135"): the asterisks
/// are never read aloud.
pub(super) fn masked_digits(lang: Lang, masked: &str) -> Html {
    let split = masked
        .char_indices()
        .find(|&(_, c)| c != '*')
        .map_or(masked.len(), |(i, _)| i);
    let (hidden, shown) = masked.split_at(split);
    html! {
        <>
            <span class="sr-only">{ text::last_digits(lang, shown) }</span>
            <span class="masked" aria-hidden="true">
                <span class="hidden-digits">{ hidden.to_string() }</span>
                <span class="last-digits">{ shown.to_string() }</span>
            </span>
        </>
    }
}

/// A certificate's details as rows, the same for the QR code and a
/// registry record: what it covers (the catalogue's names; only what its
/// type carries is set), then validity, review date and first issue.
pub(super) fn detail_rows(lang: Lang, d: &Details<NamedCode>) -> Vec<Html> {
    let zh = lang == Lang::Zh;
    let named = |n: &Option<NamedCode>| n.as_ref().map(|n| n.get(zh).to_string());
    let mut rows = Vec::new();
    for (field, value) in [
        (Label::Category, named(&d.category)),
        (Label::Item, named(&d.item)),
        (Label::Employer, d.employer.clone()),
        (Label::Role, named(&d.role)),
        (Label::Industry, named(&d.industry)),
    ] {
        if let Some(v) = value {
            rows.push(row(label(field, lang), v));
        }
    }
    rows.push(validity(lang, d.valid_from, d.valid_until));
    if let Some(due) = d.review_due {
        rows.push(date_row(label(Label::ReviewDue, lang), due));
    }
    rows.push(date_row(label(Label::FirstIssued, lang), d.first_issued));
    rows
}

/// A registry record's fields (masked, as the registry sends them).
pub(super) fn registry_fields(lang: Lang, c: &RegistryCertificate) -> Html {
    let zh = lang == Lang::Zh;
    let mut rows = vec![
        row(label(Label::CertType, lang), c.kind.title(zh).to_string()),
        row(label(Label::Name, lang), c.name_masked.clone()),
        html! {
            <>
                <dt>{ label(Label::Number, lang) }</dt>
                <dd class="number">{ masked_digits(lang, &c.number_masked) }</dd>
            </>
        },
    ];
    rows.extend(detail_rows(lang, &c.details));
    rows.push(row(label(Label::Issuer, lang), c.issuer.clone()));
    rows.push(row(
        t(lang, Msg::RecordUpdated),
        text::beijing_time(lang, c.updated_at),
    ));
    html! {
        <div class={classes!("found", c.revoked.then_some("revoked"))}>
            <dl class="fields">{ for rows }</dl>
        </div>
    }
}
