//! Settings the page remembers across visits: the language, and how long
//! the inspection record keeps a check.

use yanzheng_core::messages::Lang;

use crate::platform::Storage;

/// The storage key of the display language.
pub const LANG_KEY: &str = "yanzheng.lang";

/// The remembered language; Simplified Chinese if none.
pub fn load_lang(storage: &impl Storage) -> Lang {
    storage
        .get(LANG_KEY)
        .map_or(Lang::Zh, |tag| Lang::parse(&tag))
}

/// Remembers the language.
pub fn save_lang(storage: &impl Storage, lang: Lang) {
    storage.set(LANG_KEY, lang.tag());
}

/// The storage key of the record's retention period, in days.
pub const RECORD_DAYS_KEY: &str = "yanzheng.record-days";

/// The periods the inspector can choose, in days; the first is the default.
pub const RECORD_DAYS_CHOICES: [u32; 4] = [90, 30, 180, 365];

/// How long the inspection record keeps a check: a remembered choice, else
/// 90 days (personal data is kept no longer than the job needs).
pub fn load_record_days(storage: &impl Storage) -> u32 {
    storage
        .get(RECORD_DAYS_KEY)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|d| RECORD_DAYS_CHOICES.contains(d))
        .unwrap_or(RECORD_DAYS_CHOICES[0])
}

/// Remembers the retention period (only one of the choices).
pub fn save_record_days(storage: &impl Storage, days: u32) {
    if RECORD_DAYS_CHOICES.contains(&days) {
        storage.set(RECORD_DAYS_KEY, &days.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::MemoryStorage;

    #[test]
    fn chinese_until_english_is_chosen() {
        let s = MemoryStorage::default();
        assert_eq!(load_lang(&s), Lang::Zh);
        save_lang(&s, Lang::En);
        assert_eq!(load_lang(&s), Lang::En);
        save_lang(&s, Lang::Zh);
        assert_eq!(load_lang(&s), Lang::Zh);
    }

    #[test]
    fn the_record_keeps_90_days_unless_another_choice_is_made() {
        let s = MemoryStorage::default();
        assert_eq!(load_record_days(&s), 90);
        save_record_days(&s, 30);
        assert_eq!(load_record_days(&s), 30);
        save_record_days(&s, 5);
        assert_eq!(load_record_days(&s), 30, "not a choice: ignored");
        s.set(RECORD_DAYS_KEY, "100000");
        assert_eq!(load_record_days(&s), 90);
    }
}
