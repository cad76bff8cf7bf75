//! The device's inspection record: its size, retention, export and clear.

use yanzheng_core::messages::Lang;
use yew::prelude::*;

use crate::prefs::RECORD_DAYS_CHOICES;
use crate::state::RecordArea;
use crate::text::{self, t, Msg};

/// The record's controls.
#[derive(Clone, PartialEq, Default)]
pub struct RecordHandlers {
    /// Downloads the inspection record as CSV.
    pub on_export: Callback<MouseEvent>,
    /// Clears the inspection record (after a confirmation).
    pub on_clear: Callback<MouseEvent>,
    /// The record's retention period was changed.
    pub on_days: Callback<Event>,
}

/// What the record panel draws from.
#[derive(Properties, PartialEq)]
pub struct RecordProps {
    /// Display language.
    pub lang: Lang,
    /// The record.
    pub record: RecordArea,
    /// Its controls.
    pub on: RecordHandlers,
}

/// The record panel, `data-record-count` on it.
#[function_component]
pub fn RecordPanel(p: &RecordProps) -> Html {
    let lang = p.lang;
    let count = p.record.count.unwrap_or(0);
    html! {
        <section class="record" data-record-count={count.to_string()}>
            <h2>{ t(lang, Msg::RecordTitle) }</h2>
            <p class="hint">{ t(lang, Msg::RecordHint) }</p>
            <p>{ text::record_count(lang, count) }</p>
            <label class="retention">
                { t(lang, Msg::RecordRetention) }
                <select data-setting="record-days" onchange={p.on.on_days.clone()}>
                    { for RECORD_DAYS_CHOICES.iter().map(|d| html! {
                        <option value={d.to_string()} selected={*d == p.record.days}>
                            { text::record_days(lang, *d) }
                        </option>
                    }) }
                </select>
            </label>
            <div class="buttons">
                <button type="button" class="secondary" data-action="export-record"
                    disabled={count == 0} onclick={p.on.on_export.clone()}>
                    { t(lang, Msg::RecordExport) }
                </button>
                <button type="button" class="secondary" data-action="clear-record"
                    disabled={count == 0} onclick={p.on.on_clear.clone()}>
                    { t(lang, Msg::RecordClear) }
                </button>
            </div>
        </section>
    }
}
