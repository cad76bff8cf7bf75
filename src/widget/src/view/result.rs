//! The result area: nothing yet, progress, a notice, or a verdict with the
//! certificate's fields (ID number masked until tapped), the lists it was
//! checked against, and the registry's answer beside it.

use yanzheng_core::messages::{explain_outcome, label, list_version, phrase, Label, Lang, Phrase};
use yanzheng_core::online::{combine, Agreement, Basis, Mismatch, Outcome};
use yanzheng_core::verdict::ShownFields;
use yanzheng_core::{Report, Verdict};
use yew::prelude::*;

use super::parts::{
    detail_rows, headline, lookup_progress, masked_digits, notice, progress, registry_fields, row,
    tone_class, verdict_words,
};
use crate::lookup::LookupAnswer;
use crate::state::{LookupArea, LookupOrigin, LookupState, ScanArea, ScanResult, ScanState};
use crate::text::{self, t, Msg};

/// The result area's buttons.
#[derive(Clone, PartialEq, Default)]
pub struct ResultHandlers {
    /// "Check live status" on a result (the QR's number and name).
    pub on_check_online: Callback<MouseEvent>,
    /// The tap that reveals or hides the whole ID number on a result.
    pub on_toggle_number: Callback<MouseEvent>,
}

/// What the result area draws from.
#[derive(Properties, PartialEq)]
pub struct ResultProps {
    /// Display language.
    pub lang: Lang,
    /// The scan on screen.
    pub scan: ScanArea,
    /// The online lookup (shown with the scan when it was about it).
    pub lookup: LookupArea,
    /// Its buttons.
    pub on: ResultHandlers,
}

/// The result area (empty until something is scanned), `data-state` on it.
#[function_component]
pub fn ResultArea(p: &ResultProps) -> Html {
    let lang = p.lang;
    let inner = match &p.scan.shown {
        ScanState::Idle => Html::default(),
        ScanState::Reading => progress(t(lang, Msg::Reading)),
        ScanState::WaitingForTrust => progress(t(lang, Msg::Waiting)),
        ScanState::NoCode => notice(lang, Msg::NoCode, Msg::NoCodeNext, None),
        ScanState::ImageUnreadable { detail } => notice(
            lang,
            Msg::ImageUnreadable,
            Msg::ImageUnreadableNext,
            Some(detail),
        ),
        ScanState::Done(r) => result(p, r),
    };
    html! {
        <div class="result-area" data-state={p.scan.shown.code()}>{ inner }</div>
    }
}

/// The outcome a scan's result shows: the QR code's verdict, combined with
/// the registry's answer when one is on screen for it.
pub fn scan_outcome(lookup: &LookupArea, r: &ScanResult) -> Outcome {
    match (&lookup.origin, &lookup.shown) {
        (LookupOrigin::Scan, LookupState::Answered(answer)) => {
            combine(&r.report, answer.as_registry())
        }
        _ => Outcome::offline(&r.report),
    }
}

fn result(p: &ResultProps, r: &ScanResult) -> Html {
    let lang = p.lang;
    let report = &r.report;
    let outcome = scan_outcome(&p.lookup, r);
    let words = explain_outcome(&outcome, Some(report), report.checked_at, lang);
    let (class, _) = tone_class(words.tone);
    let details = if report.signature_verified {
        report
            .fields
            .as_ref()
            .map(|f| fields(p, f, report))
            .unwrap_or_default()
    } else if report.fields.is_some() {
        html! { <p class="note">{ t(lang, Msg::FieldsHidden) }</p> }
    } else {
        Html::default()
    };
    // The verdict itself says when revocation data is missing or stale.
    let no_revocations = report.trust_list.is_some()
        && report.revocations.is_none()
        && !matches!(report.verdict, Verdict::RevocationUnknown { .. })
        && outcome.basis == Basis::Offline;
    let basis = match outcome.basis {
        Basis::Offline => "offline",
        Basis::Registry => "registry",
        Basis::Both => "both",
    };
    html! {
        <section class={classes!("result", class)} data-outcome={outcome.verdict.code()}
            data-verdict={report.verdict.code()} data-basis={basis}
            data-source={r.source.code()}>
            { headline(&words, true) }
            { verdict_words(lang, &words) }
            { details }
            if no_revocations { <p class="note warn">{ t(lang, Msg::RevocationsMissing) }</p> }
            if report.clock_raised { <p class="note">{ phrase(Phrase::ClockRaised, lang) }</p> }
            if p.lookup.origin == LookupOrigin::Scan { { registry_part(lang, &p.lookup, &outcome) } }
            { lists_line(lang, report, outcome.basis) }
            if p.scan.refreshing_for_scan { { progress(t(lang, Msg::RefreshingTrust)) } }
            if report.certificate.is_some() && p.lookup.shown != LookupState::Sending {
                <button type="button" class="secondary check-online" data-action="check-online"
                    onclick={p.on.on_check_online.clone()}>{ t(lang, Msg::CheckOnline) }</button>
            }
        </section>
    }
}

/// How it was checked, and the versions of the lists it was checked with.
fn lists_line(lang: Lang, report: &Report, basis: Basis) -> Html {
    let version = |label: Phrase, version, issued_at, expires_at, late: Phrase| {
        let mut s = list_version(lang, version, issued_at, report.checked_at);
        if report.checked_at > expires_at {
            s = format!("{s} · {}", phrase(late, lang));
        }
        format!("{}{}", phrase(label, lang), s)
    };
    let trust_line = report.trust_list.map(|tl| {
        version(
            Phrase::TrustListLabel,
            tl.version,
            tl.issued_at,
            tl.expires_at,
            Phrase::Expired,
        )
    });
    let revocations_line = report.revocations.map(|rl| {
        version(
            Phrase::RevocationsLabel,
            rl.version,
            rl.issued_at,
            rl.expires_at,
            Phrase::Stale,
        )
    });
    let how = if basis == Basis::Offline {
        Msg::CheckedOffline
    } else {
        Msg::CheckedBoth
    };
    html! {
        <p class="meta">
            { t(lang, how) }
            if let Some(line) = trust_line { { " · " }{ line } }
            if let Some(line) = revocations_line {
                <span data-list="revocations">
                    { if lang == Lang::Zh { "；" } else { "; " } }{ line }
                </span>
            }
        </p>
    }
}

/// The registry's part of a scan's result: how its record compares with
/// the QR code (a detail: the headline already says what it means), or
/// why there is no answer.
fn registry_part(lang: Lang, lookup: &LookupArea, outcome: &Outcome) -> Html {
    if let Some(html) = lookup_progress(lang, &lookup.shown) {
        return html;
    }
    let LookupState::Answered(answer) = &lookup.shown else {
        return Html::default();
    };
    let agreement = outcome.agreement.as_ref();
    let body = match agreement {
        Some(Agreement::Same) => {
            let updated = outcome.record.as_ref().map(|r| r.updated_at);
            html! {
                <p class="agreement">
                    { t(lang, Msg::RegistryMatches) }
                    if let Some(at) = updated { { " " }{ text::record_updated(lang, at) } }
                </p>
            }
        }
        Some(Agreement::Differs { mismatches }) => mismatch_table(lang, mismatches),
        Some(Agreement::NotListed) => {
            let LookupAnswer::Found { certificates } = &**answer else {
                return Html::default();
            };
            html! {
                <>
                    <p>{ t(lang, Msg::RegistryNotListed) }</p>
                    { for certificates.iter().map(|c| registry_fields(lang, c)) }
                </>
            }
        }
        Some(Agreement::NotFound) | None => Html::default(),
    };
    html! {
        <div class="registry" data-lookup={lookup.shown.code()} data-source="online"
            data-match={agreement.map(Agreement::code)}>
            <h3>{ t(lang, Msg::OnlineBesideScan) }</h3>
            { body }
        </div>
    }
}

/// The fields on which the QR code and the registry disagree, side by side.
fn mismatch_table(lang: Lang, diffs: &[Mismatch]) -> Html {
    let zh = lang == Lang::Zh;
    let empty = if zh { "（无）" } else { "(none)" };
    let value = |w: &yanzheng_core::online::Words| {
        let v = w.get(zh);
        if v.is_empty() {
            empty.to_string()
        } else {
            v.to_string()
        }
    };
    html! {
        <table class="mismatch">
            <thead><tr>
                <th scope="col">{ t(lang, Msg::FieldColumn) }</th>
                <th scope="col">{ t(lang, Msg::QrColumn) }</th>
                <th scope="col">{ t(lang, Msg::RegistryColumn) }</th>
            </tr></thead>
            <tbody>
                { for diffs.iter().map(|d| html! {
                    <tr data-field={d.field.code()}>
                        <th scope="row">{ label(d.field.label(), lang) }</th>
                        <td class="nowrap-cell">{ value(&d.qr) }</td>
                        <td class="nowrap-cell">{ value(&d.registry) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

/// A verified result's ID number: masked, the whole of it on a tap (and
/// masked again on the next).
fn revealable_number(p: &ResultProps, masked: &str, full: Option<&str>) -> Html {
    let lang = p.lang;
    let revealed = p.scan.number_revealed && full.is_some();
    let shown = match (revealed, full) {
        (true, Some(full)) => html! { <span class="full-number">{ full.to_string() }</span> },
        _ => masked_digits(lang, masked),
    };
    html! {
        <>
            <dt>{ label(Label::Number, lang) }</dt>
            <dd class="number" data-revealed={revealed.to_string()}>
                { shown }
                if full.is_some() {
                    <button type="button" class="link reveal" data-action="reveal-number"
                        aria-pressed={revealed.to_string()} onclick={p.on.on_toggle_number.clone()}>
                        { t(lang, if revealed { Msg::HideNumber } else { Msg::ShowNumber }) }
                    </button>
                }
            </dd>
        </>
    }
}

/// A verified certificate's fields, as the QR code states them.
fn fields(p: &ResultProps, f: &ShownFields, report: &Report) -> Html {
    let lang = p.lang;
    let zh = lang == Lang::Zh;
    let mut rows = vec![
        html! {
            <><dt>{ label(Label::Name, lang) }</dt><dd class="holder">{ f.name.clone() }</dd></>
        },
        revealable_number(
            p,
            &f.number_masked,
            report.certificate.as_ref().map(|c| c.number.as_str()),
        ),
        row(label(Label::Sex, lang), f.sex.label(zh).into()),
        row(label(Label::CertType, lang), f.kind.title(zh).into()),
    ];
    rows.extend(detail_rows(lang, &f.details));
    if let Some(i) = &report.issuer {
        rows.push(row(label(Label::Issuer, lang), i.name.clone()));
    }
    html! { <dl class="fields">{ for rows }</dl> }
}
