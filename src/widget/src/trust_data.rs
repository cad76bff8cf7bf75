//! Getting the trust data: `config.json` (the root key), then the
//! root-signed trust list and revocation list, each loaded and checked by
//! core. Every failure is kept as a [`LoadProblem`] for the screen: with no
//! trust list, scans end in core's "no trust data" verdict, never in
//! "forged".
//!
//! Revocations come as a full list and signed deltas: a device that holds
//! version n asks for the deltas since n (`{revocations_url}/deltas?since=n`)
//! and applies them through core; if there are none to be had, or one does
//! not apply, it fetches the full list. The saved copy is the full list it
//! started from plus the deltas applied since, so every load re-checks each
//! signature and digest.
//!
//! The root key is pinned on the device at first use: a `config.json` that
//! names another root later is refused (and the saved lists, checked against
//! the pinned root, stay in use), unless it carries a transition signed by
//! the pinned root naming the new one.

use core::fmt;

use yanzheng_core::cbor::Reader;
use yanzheng_core::crypto::{from_hex, to_hex};
use yanzheng_core::revocation::{RevocationDelta, MAX_REVOCATIONS_BYTES};
use yanzheng_core::trust::{verify_root_transition, UpdateError};
use yanzheng_core::{PublicKey, RevocationList, TrustList};

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
/// The root public key this device trusts (hex), pinned at first use.
pub const PINNED_ROOT: &str = "yanzheng.root";
/// The deltas applied to the saved full revocation list, oldest first:
/// base64 each, one a line.
pub const SAVED_REVOCATION_DELTAS: &str = "yanzheng.revocation-deltas";

/// Most deltas one answer may carry.
const MAX_DELTAS: usize = 1000;

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
    /// The configuration names a root key other than the one this device
    /// pinned, without a transition signed by the pinned root.
    RootChanged,
}

impl LoadError {
    /// True if the file could not be fetched for want of a network.
    pub fn is_network(&self) -> bool {
        matches!(self, LoadError::Fetch(FetchError::Network(_)))
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Fetch(e) => e.fmt(f),
            LoadError::Invalid(e) => f.write_str(e),
            LoadError::RootChanged => f.write_str(
                "the configuration names another root key than the one this device trusts",
            ),
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
    /// The root key the lists were checked against (the pinned one).
    pub root: Option<PublicKey>,
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

#[cfg(test)]
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
/// loaded is missing from the result and named in `problems`. (The page
/// uses [`load_with_saved`], which falls back to the saved copies.)
#[cfg(test)]
pub async fn load<F: Fetch>(fetch: &F) -> TrustData {
    let mut data = load_config_and_trust(fetch, |_, offered| (offered, None)).await;
    if let Some(root) = data.root.clone() {
        let url = data
            .config
            .as_ref()
            .map(|c| c.revocations_url.clone())
            .unwrap_or_default();
        fetch_full_revocations(fetch, &url, &root, &mut data).await;
    }
    data
}

async fn fetch_full_revocations<F: Fetch>(
    fetch: &F,
    url: &str,
    root: &PublicKey,
    data: &mut TrustData,
) {
    let problem = |error| LoadProblem {
        file: TrustFile::Revocations,
        error,
    };
    match fetch.bytes(url).await {
        Ok(bytes) => match RevocationList::load(&bytes, root) {
            Ok(r) => data.revocations = Some(r),
            Err(e) => data
                .problems
                .push(problem(LoadError::Invalid(e.to_string()))),
        },
        Err(e) => data.problems.push(problem(LoadError::Fetch(e))),
    }
}

/// `config.json` and the trust list, checked against the root that
/// `decide_root` keeps (given the config and the root it names), with the
/// problem to report if it kept another.
async fn load_config_and_trust<F: Fetch>(
    fetch: &F,
    decide_root: impl FnOnce(&Config, PublicKey) -> (PublicKey, Option<LoadError>),
) -> TrustData {
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
    let (root, refused) = decide_root(&config, root);
    if let Some(e) = refused {
        data.problems.push(problem(TrustFile::Config, e));
    }
    data.root = Some(root.clone());

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
    let mut data = load_config_and_trust(&config_fetch, |config, offered| {
        pinned_root(storage, config, offered)
    })
    .await;
    if let Some(e) = config_fetch.used_saved.take() {
        data.saved_copy.push(LoadProblem {
            file: TrustFile::Config,
            error: LoadError::Fetch(e),
        });
    }
    let Some(root) = data.root.clone() else {
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

    let saved_revocations = saved_revocations(storage, &root);
    let url = data
        .config
        .as_ref()
        .map(|c| c.revocations_url.clone())
        .unwrap_or_default();
    // A device holding version n asks for what changed since; the full list
    // only when there is no usable chain of deltas.
    let mut by_deltas = None;
    if let Some(held) = &saved_revocations {
        if let Ok(bytes) = fetch.bytes(&deltas_url(&url, held.version)).await {
            by_deltas = apply_deltas(held, &bytes, &root).ok();
        }
    }
    if by_deltas.is_none() {
        fetch_full_revocations(fetch, &url, &root, &mut data).await;
    }
    let fresh = by_deltas.or(data.revocations.take());
    data.revocations = choose(
        &mut data,
        TrustFile::Revocations,
        fresh,
        saved_revocations,
        RevocationList::accept_update,
        |l: &RevocationList| save_revocations(storage, l),
    );
    data
}

/// The root to check the lists against: the one pinned on this device
/// (pinning `offered` at first use), or `offered` if the config carries a
/// transition the pinned root signed naming it; else the pinned root, and
/// [`LoadError::RootChanged`].
fn pinned_root<S: Storage>(
    storage: &S,
    config: &Config,
    offered: PublicKey,
) -> (PublicKey, Option<LoadError>) {
    let pin = |k: &PublicKey| storage.set(PINNED_ROOT, &to_hex(&k.to_bytes()));
    let pinned = storage
        .get(PINNED_ROOT)
        .and_then(|h| from_hex(h.trim()))
        .and_then(|b| PublicKey::from_bytes(&b).ok());
    match pinned {
        None => {
            pin(&offered);
            (offered, None)
        }
        Some(p) if p == offered => (p, None),
        Some(p) => {
            let endorsed = config
                .root_transition
                .as_deref()
                .and_then(|h| from_hex(h.trim()))
                .and_then(|b| verify_root_transition(&b, &p).ok());
            if endorsed.as_ref() == Some(&offered) {
                pin(&offered);
                (offered, None)
            } else {
                (p, Some(LoadError::RootChanged))
            }
        }
    }
}

/// Where the deltas since `version` are: beside the full list.
pub fn deltas_url(revocations_url: &str, version: u64) -> String {
    let base = revocations_url.split(['?', '#']).next().unwrap_or_default();
    format!("{}/deltas?since={version}", base.trim_end_matches('/'))
}

/// Applies a deltas answer (a CBOR array of signed deltas, oldest first).
/// Any delta that does not load or apply refuses the whole answer.
pub fn apply_deltas(
    held: &RevocationList,
    answer: &[u8],
    root: &PublicKey,
) -> Result<RevocationList, String> {
    let mut r = Reader::new(answer);
    let n = r.array(MAX_DELTAS).map_err(|e| e.to_string())?;
    let mut list = held.clone();
    for _ in 0..n {
        let bytes = r.bytes(MAX_REVOCATIONS_BYTES).map_err(|e| e.to_string())?;
        let delta = RevocationDelta::load(bytes, root).map_err(|e| e.to_string())?;
        if let Some(next) = list.apply(&delta).map_err(|e| e.to_string())? {
            list = next;
        }
    }
    r.finish().map_err(|e| e.to_string())?;
    Ok(list)
}

/// The saved revocation state, rebuilt and re-checked from its signed files.
fn saved_revocations<S: Storage>(storage: &S, root: &PublicKey) -> Option<RevocationList> {
    let full = storage
        .get(SAVED_REVOCATIONS)
        .and_then(|t| base64::decode(&t))?;
    let deltas: Option<Vec<Vec<u8>>> = storage
        .get(SAVED_REVOCATION_DELTAS)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.is_empty())
        .map(base64::decode)
        .collect();
    match deltas {
        Some(d) => RevocationList::restore(&full, &d, root)
            .or_else(|_| RevocationList::load(&full, root))
            .ok(),
        None => RevocationList::load(&full, root).ok(),
    }
}

fn save_revocations<S: Storage>(storage: &S, list: &RevocationList) {
    storage.set(SAVED_REVOCATIONS, &base64::encode(list.bytes()));
    let deltas: Vec<String> = list.deltas().iter().map(|d| base64::encode(d)).collect();
    storage.set(SAVED_REVOCATION_DELTAS, &deltas.join("\n"));
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

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn loads_both_lists_with_the_configured_root() {
        let fx = Fixture::new();
        let data = block_on(load(&fx.fetch()));
        assert_eq!(data.problems, vec![]);
        assert_eq!(data.trust.as_ref().map(|t| t.version), Some(3));
        assert_eq!(data.revocations.as_ref().map(|r| r.version), Some(5));
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
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

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
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

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
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

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
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
        block_on(load_with_saved(&fx.fetch(), &foreign));
        foreign.set(SAVED_TRUST_LIST, &crate::base64::encode(&other.trust_list));
        let refused = block_on(load_with_saved(&MemoryFetch::default(), &foreign));
        assert!(refused.trust.is_none());
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn the_root_is_pinned_and_moves_only_with_the_old_roots_word() {
        let fx = Fixture::new();
        let storage = MemoryStorage::default();
        let first = block_on(load_with_saved(&fx.fetch(), &storage));
        assert_eq!(first.problems, vec![]);
        assert!(storage.get(PINNED_ROOT).is_some());
        // A deployment (or an impostor) now names another root, with lists
        // it signed: refused; the saved lists of the pinned root stay.
        let other = Fixture::with_root_seed([42; 32]);
        let swapped = block_on(load_with_saved(&other.fetch(), &storage));
        assert_eq!(
            swapped.problem(TrustFile::Config),
            Some(&LoadError::RootChanged)
        );
        assert_eq!(swapped.trust.as_ref().map(|t| t.version), Some(3));
        assert_eq!(swapped.root, Some(fx.root.public()));
        let v = yanzheng_core::verify(
            &fx.valid_payload(),
            swapped.trust.as_ref(),
            swapped.revocations.as_ref(),
            crate::test_support::now(),
        );
        assert_eq!(v.verdict.code(), "valid", "the pinned lists still verify");
        // With the old root's signed word for the new one, the device moves.
        let word = yanzheng_core::trust::sign_root_transition(&fx.root, &other.root.public());
        let config = other.config_json().replace(
            r#""lookup_url""#,
            &format!(
                r#""root_transition":"{}","lookup_url""#,
                yanzheng_core::crypto::to_hex(&word)
            ),
        );
        let moved = block_on(load_with_saved(
            &other.fetch().with("config.json", config),
            &storage,
        ));
        assert_eq!(moved.problems, vec![]);
        assert_eq!(moved.root, Some(other.root.public()));
        assert_eq!(
            storage.get(PINNED_ROOT),
            Some(yanzheng_core::crypto::to_hex(
                &other.root.public().to_bytes()
            ))
        );
        // A transition signed by the new root itself does not count.
        let fresh = MemoryStorage::default();
        block_on(load_with_saved(&fx.fetch(), &fresh));
        let selfmade =
            yanzheng_core::trust::sign_root_transition(&other.root, &other.root.public());
        let config = other.config_json().replace(
            r#""lookup_url""#,
            &format!(
                r#""root_transition":"{}","lookup_url""#,
                yanzheng_core::crypto::to_hex(&selfmade)
            ),
        );
        let refused = block_on(load_with_saved(
            &other.fetch().with("config.json", config),
            &fresh,
        ));
        assert_eq!(
            refused.problem(TrustFile::Config),
            Some(&LoadError::RootChanged)
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn a_device_that_holds_a_version_takes_only_the_deltas() {
        use yanzheng_core::cbor::Writer;
        use yanzheng_core::revocation::DEFAULT_MAX_AGE;
        use yanzheng_core::RevokedSet;
        let fx = Fixture::new();
        let storage = MemoryStorage::default();
        let held = block_on(load_with_saved(&fx.fetch(), &storage));
        let v5 = held.revocations.expect("version 5");
        // Version 6 revokes one more card of the issuer.
        let kid = fx.issuer.public().kid();
        let v6_set = RevokedSet::from_pairs(v5.set().iter().chain([(kid, 77)]));
        let delta = RevocationDelta::sign(
            &v5,
            &v6_set,
            6,
            crate::test_support::now(),
            DEFAULT_MAX_AGE,
            &fx.root,
        );
        let mut answer = Writer::new();
        answer.array(1);
        answer.bytes(&delta);
        // The full list the server offers is still version 5: only the
        // deltas bring version 6, and the full list is not fetched at all.
        let fetch = fx
            .fetch()
            .with("revocations", b"not fetched".to_vec())
            .with("revocations/deltas?since=5", answer.into_bytes());
        let data = block_on(load_with_saved(&fetch, &storage));
        let v6 = data.revocations.as_ref().expect("version 6");
        assert_eq!(v6.version, 6);
        assert!(v6.contains(&kid, 77));
        assert_eq!(data.problems, vec![]);
        // Offline, the saved full list and delta rebuild version 6.
        let offline = block_on(load_with_saved(&MemoryFetch::default(), &storage));
        assert_eq!(offline.revocations.as_ref().map(|r| r.version), Some(6));
        // A delta that does not apply sends the device to the full list.
        let other = Fixture::with_root_seed([42; 32]);
        let bad = fx
            .fetch()
            .with("revocations/deltas?since=6", other.revocations.clone());
        let data = block_on(load_with_saved(&bad, &storage));
        // The full list is version 5: a rollback from 6, so 6 stays.
        assert_eq!(data.revocations.as_ref().map(|r| r.version), Some(6));
        assert!(data
            .saved_copy
            .iter()
            .any(|p| p.file == TrustFile::Revocations));
        assert_eq!(
            deltas_url("https://cdn.example/r/revocations?x=1", 9),
            "https://cdn.example/r/revocations/deltas?since=9"
        );
    }

    fn fx_expiry() -> yanzheng_core::UnixTime {
        yanzheng_core::UnixTime(crate::test_support::now().0 + 86_400)
    }
}
