//! Test fixtures: a root key, one issuer key, signed lists and payloads,
//! built with core's signing functions, plus a minimal executor.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use yanzheng_core::crypto::to_hex;
use yanzheng_core::payload;
use yanzheng_core::revocation::DEFAULT_MAX_AGE;
use yanzheng_core::{
    CertKind, Certificate, Date, IssuerKey, KeyStatus, RevocationList, RevokedSet, SecretKey, Sex,
    TrustList, UnixTime,
};

use crate::platform::MemoryFetch;
use crate::trust_data::TrustData;

/// Runs a future that completes without waiting (the in-memory fakes do).
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    match f.as_mut().poll(&mut cx) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the test future waited on something"),
    }
}

/// 2025-06-01 00:00 in China: the lists' issue time and the tests' "now".
pub fn now() -> UnixTime {
    day(2025, 6, 1).start_in_china()
}

/// A date that exists.
pub fn day(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd(y, m, d).expect("test date")
}

/// The id the fixture's revocation list revokes.
pub const REVOKED_ID: u64 = 3_201_000_000_000 + 13;

/// A deployment: root, issuer key, signed lists.
pub struct Fixture {
    /// The root secret key.
    pub root: SecretKey,
    /// The issuer's secret key.
    pub issuer: SecretKey,
    /// Trust list file (version 3).
    pub trust_list: Vec<u8>,
    /// Revocation list file (version 5).
    pub revocations: Vec<u8>,
}

impl Fixture {
    /// The standard fixture.
    pub fn new() -> Fixture {
        Fixture::with_root_seed([7; 32])
    }

    /// A fixture under another root.
    pub fn with_root_seed(seed: [u8; 32]) -> Fixture {
        let root = SecretKey::from_seed(&seed);
        let issuer = SecretKey::from_seed(&[9; 32]);
        let issued = now();
        let expires = UnixTime(issued.0 + 90 * 86_400);
        let trust_list = TrustList::sign(3, issued, expires, &[issuer_key(&issuer)], &root);
        let revocations = RevocationList::sign(
            5,
            issued,
            DEFAULT_MAX_AGE,
            &RevokedSet::from_pairs([(issuer.public().kid(), REVOKED_ID)]),
            &root,
        );
        Fixture {
            root,
            issuer,
            trust_list,
            revocations,
        }
    }

    /// The `config.json` naming this fixture's root.
    pub fn config_json(&self) -> String {
        format!(
            r#"{{"root_public_key":"{}","trust_list_url":"trust-list","revocations_url":"revocations","lookup_url":"/v1/lookup"}}"#,
            to_hex(&self.root.public().to_bytes())
        )
    }

    /// Serves config, trust list and revocations at their default URLs.
    pub fn fetch(&self) -> MemoryFetch {
        MemoryFetch::default()
            .with("config.json", self.config_json())
            .with("trust-list", self.trust_list.clone())
            .with("revocations", self.revocations.clone())
    }

    /// The loaded trust data.
    pub fn data(&self) -> TrustData {
        block_on(crate::trust_data::load(&self.fetch()))
    }

    /// A valid special-operations certificate (review due 2026-03-01).
    pub fn certificate(&self) -> Certificate {
        Certificate {
            kind: CertKind::SpecialOperations,
            name: "张伟".into(),
            sex: Sex::Male,
            number: "320102199001011232".into(),
            region: 320_100,
            cert_id: 3_201_000_000_000 + 1,
            signed_on: day(2023, 3, 1),
            details: yanzheng_core::Details {
                first_issued: day(2023, 3, 1),
                valid_from: day(2023, 3, 1),
                valid_until: day(2029, 2, 28),
                review_due: Some(day(2026, 3, 1)),
                category: Some(1),
                item: Some(102),
                employer: None,
                role: None,
                industry: None,
            },
        }
    }

    /// Signs a certificate with the issuer key.
    pub fn sign(&self, cert: &Certificate) -> String {
        payload::encode(cert, &self.issuer).expect("valid test certificate")
    }

    /// The finished check of `payload` with this fixture's trust data.
    pub fn checked(&self, payload: &str) -> crate::state::ScanResult {
        use crate::state::ScanState;
        match checked_state(self, payload).scan.shown {
            ScanState::Done(r) => (*r).clone(),
            other => panic!("no result: {other:?}"),
        }
    }

    /// The payload of [`Fixture::certificate`].
    pub fn valid_payload(&self) -> String {
        self.sign(&self.certificate())
    }

    /// [`Fixture::certificate`] signed by a key the trust list (version 3)
    /// does not hold yet.
    pub fn signed_by_unlisted_key(&self) -> String {
        payload::encode(&self.certificate(), &unlisted_key()).expect("valid test certificate")
    }

    /// Trust data whose list (version 4) also holds the key of
    /// [`Fixture::signed_by_unlisted_key`].
    pub fn data_listing_the_unlisted_key(&self) -> TrustData {
        let issued = UnixTime(now().0 + 3600);
        let keys = [issuer_key(&self.issuer), issuer_key(&unlisted_key())];
        let list = TrustList::sign(
            4,
            issued,
            UnixTime(issued.0 + 90 * 86_400),
            &keys,
            &self.root,
        );
        let fetch = self.fetch().with("trust-list", list);
        block_on(crate::trust_data::load(&fetch))
    }
}

/// The second issuer key of [`Fixture::data_listing_the_unlisted_key`].
fn unlisted_key() -> SecretKey {
    SecretKey::from_seed(&[11; 32])
}

/// A trust-list entry for `key`: Jiangsu, both certificate types.
fn issuer_key(key: &SecretKey) -> IssuerKey {
    IssuerKey {
        key: key.public(),
        issuer: "江苏省应急管理厅".into(),
        region: 320_000,
        types: vec![CertKind::SpecialOperations, CertKind::SafetyManagement],
        sign_from: day(2019, 8, 10),
        sign_until: day(2030, 12, 31),
        status: KeyStatus::Active,
    }
}

/// Renders QR text as an RGBA image (4 px per module, 4-module quiet zone),
/// as a canvas would hold a photo of it (browser tests).
#[cfg(target_arch = "wasm32")]
pub fn qr_rgba(text: &str) -> (u32, u32, Vec<u8>) {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
        .expect("text fits a QR code");
    let modules = code.width();
    let colors = code.to_colors();
    let (scale, quiet) = (4, 4);
    let side = (modules + 2 * quiet) * scale;
    let mut rgba = Vec::with_capacity(side * side * 4);
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = (
                (x / scale).wrapping_sub(quiet),
                (y / scale).wrapping_sub(quiet),
            );
            let dark =
                mx < modules && my < modules && colors[my * modules + mx] == qrcode::Color::Dark;
            let v = if dark { 0 } else { 255 };
            rgba.extend_from_slice(&[v, v, v, 255]);
        }
    }
    (side as u32, side as u32, rgba)
}

/// The app's state after `payload` was pasted, with `fx`'s trust data
/// loaded (in Chinese).
pub fn checked_state(fx: &Fixture, payload: &str) -> crate::state::State {
    checked_state_in(fx, yanzheng_core::messages::Lang::Zh, payload)
}

/// [`checked_state`] in `lang`.
pub fn checked_state_in(
    fx: &Fixture,
    lang: yanzheng_core::messages::Lang,
    payload: &str,
) -> crate::state::State {
    use crate::state::{Action, State};
    State::new(lang)
        .apply(Action::TrustLoaded {
            data: std::rc::Rc::new(fx.data()),
            now: now(),
        })
        .apply(Action::PayloadEntered {
            text: payload.into(),
            now: now(),
        })
}

/// The newest lookup `state` asked the shell for: its `seq` and request.
pub fn last_lookup(state: &crate::state::State) -> Option<(u64, crate::lookup::LookupRequest)> {
    state.outbox.pending().rev().find_map(|e| match e {
        crate::state::Effect::Lookup { seq, request } => Some((*seq, request.clone())),
        _ => None,
    })
}

/// Draws component `C` with `props` into a fresh element of the page.
#[cfg(target_arch = "wasm32")]
pub async fn mount<C: yew::BaseComponent>(props: C::Properties) -> web_sys::Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let root = document.create_element("div").expect("div");
    document
        .body()
        .expect("body")
        .append_child(&root)
        .expect("attach");
    yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

/// The attribute `name` of the first element under `root` that matches.
#[cfg(target_arch = "wasm32")]
pub fn attr(root: &web_sys::Element, selector: &str, name: &str) -> Option<String> {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute(name))
}
