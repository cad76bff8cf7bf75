//! Getting the trust data: `config.json` (the root key), then the
//! root-signed trust list and revocation list, each loaded and checked by
//! core. Every failure is kept as a [`LoadProblem`] for the screen: with no
//! trust list, scans end in core's "no trust data" verdict, never in
//! "forged".

use core::fmt;

use yanzheng_core::trust::UpdateError;
use yanzheng_core::{RevocationList, TrustList};

use crate::base64;
use crate::config::{Config, CONFIG_URL};
use crate::platform::{parse_json, Fetch, FetchError, Storage};

/// `localStorage` keys of the offline copy: the last good `config.json`
/// (text) and the newest valid lists (signed bytes, base64).
pub const SAVED_CONFIG: &str = "yanzheng.config";
/// See [`SAVED_CONFIG`].
pub const SAVED_TRUST_LIST: &str = "yanzheng.trust-list";
/// See [`SAVED_CONFIG`].
pub const SAVED_REVOCATIONS: &str = "yanzheng.revocations";

/// Which file a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustFile {
    /// `config.json`.
    Config,
    /// The trust list.
    TrustList,
    /// The revocation list.
    Revocations,
}

/// Why a file gave nothing usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// It could not be fetched.
    Fetch(FetchError),
    /// It was fetched but refused (bad JSON, bad root key, bad signature...).
    Invalid(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Fetch(e) => e.fmt(f),
            LoadError::Invalid(e) => f.write_str(e),
        }
    }
}

/// One file that failed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProblem {
    /// Which file.
    pub file: TrustFile,
    /// Why.
    pub error: LoadError,
}

/// What the page verifies with. Either list may be missing; `problems` says
/// why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustData {
    /// The deployment's configuration, if it was readable.
    pub config: Option<Config>,
    /// The trust list, if it loaded and its root signature verified.
    pub trust: Option<TrustList>,
    /// The revocation list, likewise.
    pub revocations: Option<RevocationList>,
    /// What went wrong, in the order it happened.
    pub problems: Vec<LoadProblem>,
    /// Files that could not be refreshed (offline, or a lower version was
    /// offered) while the saved copy was used instead, and why.
    pub saved_copy: Vec<LoadProblem>,
}

impl TrustData {
    /// The problem with one file, if any.
    pub fn problem(&self, file: TrustFile) -> Option<&LoadError> {
        self.problems
            .iter()
            .find(|p| p.file == file)
            .map(|p| &p.error)
    }
}

/// Fetches and loads everything. Never fails as a whole: what could not be
/// loaded is missing from the result and named in `problems`.
pub async fn load<F: Fetch>(fetch: &F) -> TrustData {
    let mut data = TrustData::default();
    let problem = |file, error| LoadProblem { file, error };

    let config = match fetch.bytes(CONFIG_URL).await {
        Ok(bytes) => parse_json::<Config>(&bytes).map_err(LoadError::Invalid),
        Err(e) => Err(LoadError::Fetch(e)),
    };
    let config = match config {
        Ok(c) => c,
        Err(e) => {
            data.problems.push(problem(TrustFile::Config, e));
            return data;
        }
    };
    let root = match config.root_key() {
        Ok(k) => k,
        Err(e) => {
            data.problems.push(problem(
                TrustFile::Config,
                LoadError::Invalid(e.to_string()),
            ));
            data.config = Some(config);
            return data;
        }
    };

    match fetch.bytes(&config.trust_list_url).await {
        Ok(bytes) => match TrustList::load(&bytes, &root) {
            Ok(t) => data.trust = Some(t),
            Err(e) => data.problems.push(problem(
                TrustFile::TrustList,
                LoadError::Invalid(e.to_string()),
            )),
        },
        Err(e) => data
            .problems
            .push(problem(TrustFile::TrustList, LoadError::Fetch(e))),
    }
    match fetch.bytes(&config.revocations_url).await {
        Ok(bytes) => match RevocationList::load(&bytes, &root) {
            Ok(r) => data.revocations = Some(r),
            Err(e) => data.problems.push(problem(
                TrustFile::Revocations,
                LoadError::Invalid(e.to_string()),
            )),
        },
        Err(e) => data
            .problems
            .push(problem(TrustFile::Revocations, LoadError::Fetch(e))),
    }
    data.config = Some(config);
    data
}

/// Serves `config.json` from the saved copy when the network cannot, and
/// saves every good one. Only the config: the lists are chosen by version
/// in [`load_with_saved`].
struct ConfigFallback<'a, F, S> {
    fetch: &'a F,
    storage: &'a S,
    /// Set when the saved copy answered.
    used_saved: core::cell::Cell<Option<FetchError>>,
}

impl<F: Fetch, S: Storage> Fetch for ConfigFallback<'_, F, S> {
    async fn bytes(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let got = self.fetch.bytes(url).await;
        if url != CONFIG_URL {
            return got;
        }
        match got {
            Ok(bytes) => {
                if parse_json::<Config>(&bytes).is_ok() {
                    if let Ok(text) = core::str::from_utf8(&bytes) {
                        self.storage.set(SAVED_CONFIG, text);
                    }
                }
                Ok(bytes)
            }
            Err(e) => match self.storage.get(SAVED_CONFIG) {
                Some(text) => {
                    self.used_saved.set(Some(e));
                    Ok(text.into_bytes())
                }
                None => Err(e),
            },
        }
    }
}

/// [`load`], plus the offline copy: the newest valid lists are kept in
/// `storage`; when the network fails the saved ones are used, and a list
/// with a lower version than the saved one is refused (rollback), as core's
/// `accept_update` decides. Saved lists are checked against the root key
/// again on every load.
pub async fn load_with_saved<F: Fetch, S: Storage>(fetch: &F, storage: &S) -> TrustData {
    let config_fetch = ConfigFallback {
        fetch,
        storage,
        used_saved: core::cell::Cell::new(None),
    };
    let mut data = load(&config_fetch).await;
    if let Some(e) = config_fetch.used_saved.take() {
        data.saved_copy.push(LoadProblem {
            file: TrustFile::Config,
            error: LoadError::Fetch(e),
        });
    }
    let Some(root) = data.config.as_ref().and_then(|c| c.root_key().ok()) else {
        return data;
    };
    let saved = |key: &str| storage.get(key).and_then(|t| base64::decode(&t));

    let saved_trust = saved(SAVED_TRUST_LIST).and_then(|b| TrustList::load(&b, &root).ok());
    let fresh = data.trust.take();
    data.trust = choose(
        &mut data,
        TrustFile::TrustList,
        fresh,
        saved_trust,
        TrustList::accept_update,
        |l: &TrustList| {
            storage.set(SAVED_TRUST_LIST, &base64::encode(l.bytes()));
        },
    );

    let saved_revocations =
        saved(SAVED_REVOCATIONS).and_then(|b| RevocationList::load(&b, &root).ok());
    let fresh = data.revocations.take();
    data.revocations = choose(
        &mut data,
        TrustFile::Revocations,
        fresh,
        saved_revocations,
        RevocationList::accept_update,
        |l: &RevocationList| {
            storage.set(SAVED_REVOCATIONS, &base64::encode(l.bytes()));
        },
    );
    data
}

/// Picks between a freshly fetched list and the saved one, saving the
/// winner when it is new.
fn choose<L>(
    data: &mut TrustData,
    file: TrustFile,
    fresh: Option<L>,
    saved: Option<L>,
    accept: fn(Option<&L>, &L) -> Result<bool, UpdateError>,
    save: impl Fn(&L),
) -> Option<L> {
    match (fresh, saved) {
        (Some(fresh), saved) => match accept(saved.as_ref(), &fresh) {
            Ok(true) => {
                save(&fresh);
                Some(fresh)
            }
            // The same list again.
            Ok(false) => Some(fresh),
            Err(e) => {
                data.saved_copy.push(LoadProblem {
                    file,
                    error: LoadError::Invalid(e.to_string()),
                });
                saved
            }
        },
        (None, Some(saved)) => {
            // The fetch failed or was refused: the saved copy stands in, and
            // the failure is a note, not "no trust data".
            if let Some(i) = data.problems.iter().position(|p| p.file == file) {
                let problem = data.problems.remove(i);
                data.saved_copy.push(problem);
            }
            Some(saved)
        }
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::{MemoryFetch, MemoryStorage};
    use crate::test_support::{block_on, Fixture};

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn loads_both_lists_with_the_configured_root() {
        let fx = Fixture::new();
        let data = block_on(load(&fx.fetch()));
        assert_eq!(data.problems, vec![]);
        assert_eq!(data.trust.as_ref().map(|t| t.version), Some(3));
        assert_eq!(data.revocations.as_ref().map(|r| r.version), Some(5));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_missing_trust_list_is_a_problem_not_a_failure() {
        let fx = Fixture::new();
        let fetch = MemoryFetch::default()
            .with("config.json", fx.config_json())
            .with("revocations", fx.revocations.clone());
        let data = block_on(load(&fetch));
        assert!(data.trust.is_none());
        assert!(data.revocations.is_some());
        assert_eq!(
            data.problem(TrustFile::TrustList),
            Some(&LoadError::Fetch(FetchError::Status(404)))
        );
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn lists_signed_by_another_root_are_refused() {
        let fx = Fixture::new();
        let other = Fixture::with_root_seed([42; 32]);
        let fetch = MemoryFetch::default()
            .with("config.json", fx.config_json())
            .with("trust-list", other.trust_list.clone())
            .with("revocations", other.revocations.clone());
        let data = block_on(load(&fetch));
        assert!(data.trust.is_none() && data.revocations.is_none());
        assert!(matches!(
            data.problem(TrustFile::TrustList),
            Some(LoadError::Invalid(_))
        ));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn no_config_means_no_lists() {
        let data = block_on(load(&MemoryFetch::default()));
        assert!(data.config.is_none() && data.trust.is_none());
        assert_eq!(data.problems.len(), 1);
        let bad = MemoryFetch::default().with("config.json", "{not json");
        let data = block_on(load(&bad));
        assert!(matches!(
            data.problem(TrustFile::Config),
            Some(LoadError::Invalid(_))
        ));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_saved_copy_answers_offline_and_a_rollback_is_refused() {
        let fx = Fixture::new();
        let storage = MemoryStorage::default();
        // Online: everything loads and is saved.
        let online = block_on(load_with_saved(&fx.fetch(), &storage));
        assert_eq!(online.problems, vec![]);
        assert_eq!(online.saved_copy, vec![]);
        assert!(storage.get(SAVED_TRUST_LIST).is_some());
        assert!(storage.get(SAVED_CONFIG).is_some());

        // Offline: nothing fetches, the saved copy answers.
        let offline = block_on(load_with_saved(&MemoryFetch::default(), &storage));
        assert_eq!(offline.trust.as_ref().map(|t| t.version), Some(3));
        assert_eq!(offline.revocations.as_ref().map(|r| r.version), Some(5));
        assert_eq!(offline.problems, vec![]);
        assert_eq!(offline.saved_copy.len(), 3, "{:?}", offline.saved_copy);

        // A lower version from the network is refused; the saved one stays.
        let older = TrustList::sign(2, crate::test_support::now(), fx_expiry(), &[], &fx.root);
        let fetch = fx.fetch().with("trust-list", older);
        let rolled = block_on(load_with_saved(&fetch, &storage));
        assert_eq!(rolled.trust.as_ref().map(|t| t.version), Some(3));
        assert!(matches!(
            rolled.saved_copy.as_slice(),
            [LoadProblem {
                file: TrustFile::TrustList,
                error: LoadError::Invalid(_)
            }]
        ));

        // A saved list under another root is not believed.
        let other = Fixture::with_root_seed([42; 32]);
        let foreign = MemoryStorage::default();
        block_on(load_with_saved(&other.fetch(), &foreign));
        foreign.set(SAVED_CONFIG, &fx.config_json());
        let refused = block_on(load_with_saved(&MemoryFetch::default(), &foreign));
        assert!(refused.trust.is_none());
    }

    fn fx_expiry() -> yanzheng_core::UnixTime {
        yanzheng_core::UnixTime(crate::test_support::now().0 + 86_400)
    }
}
