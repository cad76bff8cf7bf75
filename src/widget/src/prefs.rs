//! Settings the page remembers across visits (only the language, so far).

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
}
