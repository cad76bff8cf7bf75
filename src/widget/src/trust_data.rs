//! Getting the trust data: `config.json` (the root key), then the
//! root-signed trust list and revocation list, each loaded and checked by
//! core. Every failure is kept as a [`LoadProblem`] for the screen: with no
//! trust list, scans end in core's "no trust data" verdict, never in
//! "forged".

use core::fmt;

use yanzheng_core::{RevocationList, TrustList};

use crate::config::{Config, CONFIG_URL};
use crate::platform::{parse_json, Fetch, FetchError};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::MemoryFetch;
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
}
