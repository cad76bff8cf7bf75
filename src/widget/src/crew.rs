//! Crew mode: an inspector checks a whole crew in one round, card after card,
//! without leaving the camera. Each check joins the round's list; a card
//! whose code was already seen in this round is flagged (a copied QR on two
//! cards), and so is a certificate that comes back with another holder's
//! name. The round is kept on the device (keyed hashes and masked fields
//! only) until the inspector ends it, so it survives a reload or a closed
//! tab. The hashes of ID numbers and names are HMAC-SHA256 under a random
//! key of the round's own, dropped with the round: unsalted hashes of an ID
//! number could be reversed by trying every birth date and area code.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use yanzheng_core::cert::mask_name;
use yanzheng_core::crypto::to_hex;
use yanzheng_core::UnixTime;

use crate::record::payload_hash;
use crate::state::ScanResult;

/// The same code again within this many seconds of its last sighting is the
/// same card still in front of the camera, not a second card.
pub const SAME_CARD_SECONDS: u64 = 5;

/// `localStorage` key of the round in progress.
pub const SAVED_ROUND: &str = "yanzheng.crew-round";

/// The round saved on this device (empty if none or unreadable), under
/// `fresh_key` if it has no key of its own (a round saved before rounds
/// had keys keeps its entries, without their unkeyed hashes).
pub fn load(storage: &impl crate::platform::Storage, fresh_key: [u8; 32]) -> Round {
    let mut round: Round = storage
        .get(SAVED_ROUND)
        .and_then(|text| crate::platform::parse_json(text.as_bytes()).ok())
        .unwrap_or_default();
    if round.key.len() != 64 {
        round.key = to_hex(&fresh_key);
        for e in &mut round.entries {
            e.number_key.clear();
            e.name_key.clear();
        }
    }
    round
}

/// HMAC-SHA256 (RFC 2104) of `text` under `key`, first 16 bytes in hex.
fn hmac_hex(key: &[u8], text: &str) -> String {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(text.as_bytes())
        .finalize();
    let outer = Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize();
    to_hex(&outer[..16])
}

/// Saves the round (hashes and masked fields only).
pub fn save(storage: &impl crate::platform::Storage, round: &Round) {
    if let Ok(text) = crate::platform::to_json(round) {
        storage.set(SAVED_ROUND, &text);
    }
}

/// Why an entry needs a second look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum CrewFlag {
    /// This exact code was checked earlier in the round (entry `first`).
    Repeat {
        /// The earlier entry's number in the round.
        first: u32,
    },
    /// The same certificate (id or ID number) was checked earlier in the
    /// round with another holder's name (entry `first`).
    OtherHolder {
        /// The earlier entry's number in the round.
        first: u32,
    },
}

impl CrewFlag {
    /// The value of an entry's `data-flag` attribute.
    pub fn code(self) -> &'static str {
        match self {
            CrewFlag::Repeat { .. } => "repeat",
            CrewFlag::OtherHolder { .. } => "other_holder",
        }
    }
}

/// One check in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrewEntry {
    /// 1, 2, 3... in the round.
    pub seq: u32,
    /// When it was checked (Unix seconds).
    pub at: u64,
    /// When the same code was last in view (for [`SAME_CARD_SECONDS`]).
    pub last_seen: u64,
    /// Core's verdict code.
    pub verdict: String,
    /// The holder's name, first character only.
    #[serde(default)]
    pub name_masked: String,
    /// The ID number, last four only.
    #[serde(default)]
    pub number_masked: String,
    /// The certificate id, if the code could be read.
    #[serde(default)]
    pub cert_id: Option<u64>,
    /// HMAC of the full ID number under the round's key (to match without
    /// keeping it).
    #[serde(default)]
    pub number_key: String,
    /// HMAC of the holder's name under the round's key.
    #[serde(default)]
    pub name_key: String,
    /// Hash of the QR text.
    pub payload_sha256: String,
    /// Why this entry needs a second look, if it does.
    #[serde(default)]
    pub flag: Option<CrewFlag>,
}

/// A round of checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    /// The checks, oldest first.
    pub entries: Vec<CrewEntry>,
    /// The round's random HMAC key (hex), gone when the round ends.
    #[serde(default)]
    pub key: String,
}

impl Round {
    /// An empty round under a new random key.
    pub fn with_key(key: [u8; 32]) -> Round {
        Round {
            entries: Vec::new(),
            key: to_hex(&key),
        }
    }

    fn keyed(&self, text: &str) -> String {
        hmac_hex(self.key.as_bytes(), text)
    }

    /// True (and the sighting noted) if `payload` is the last card, still
    /// in view: not a new check.
    pub fn still_in_view(&mut self, payload: &str, at: UnixTime) -> bool {
        let hash = payload_hash(payload);
        match self.entries.last_mut() {
            Some(last)
                if last.payload_sha256 == hash
                    && at.0.saturating_sub(last.last_seen) <= SAME_CARD_SECONDS =>
            {
                last.last_seen = at.0;
                true
            }
            _ => false,
        }
    }

    /// Adds a check made at `at`. Returns false (and only notes the
    /// sighting) when it is the last card still in view.
    pub fn add(&mut self, r: &ScanResult, at: UnixTime) -> bool {
        if self.still_in_view(&r.payload, at) {
            return false;
        }
        let hash = payload_hash(&r.payload);
        let cert = r.report.certificate.as_ref();
        let number_key = cert.map(|c| self.keyed(&c.number)).unwrap_or_default();
        let name_key = cert.map(|c| self.keyed(&c.name)).unwrap_or_default();
        let cert_id = cert.map(|c| c.cert_id);
        let repeat = self
            .entries
            .iter()
            .find(|e| e.payload_sha256 == hash)
            .map(|e| CrewFlag::Repeat { first: e.seq });
        let other_holder = || {
            self.entries
                .iter()
                .find(|e| {
                    let same_cert = (cert_id.is_some() && e.cert_id == cert_id)
                        || (!number_key.is_empty() && e.number_key == number_key);
                    same_cert && !name_key.is_empty() && e.name_key != name_key
                })
                .map(|e| CrewFlag::OtherHolder { first: e.seq })
        };
        let flag = repeat.or_else(other_holder);
        let seq = self.entries.last().map_or(1, |e| e.seq.saturating_add(1));
        self.entries.push(CrewEntry {
            seq,
            at: at.0,
            last_seen: at.0,
            verdict: r.report.verdict.code().to_string(),
            name_masked: cert.map(|c| mask_name(&c.name)).unwrap_or_default(),
            number_masked: cert.map(|c| c.masked_number()).unwrap_or_default(),
            cert_id,
            number_key,
            name_key,
            payload_sha256: hash,
            flag,
        });
        true
    }

    /// How many entries are flagged.
    pub fn flagged(&self) -> usize {
        self.entries.iter().filter(|e| e.flag.is_some()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{now, Fixture};

    fn result(fx: &Fixture, payload: &str) -> ScanResult {
        fx.checked(payload)
    }

    fn at(s: u64) -> UnixTime {
        UnixTime(now().0 + s)
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn a_card_in_view_counts_once_and_a_second_card_with_its_code_is_flagged() {
        let fx = Fixture::new();
        let a = result(&fx, &fx.valid_payload());
        let mut other = fx.certificate();
        other.cert_id += 1;
        other.name = "李娜".into();
        other.number = "110105194912310021".into();
        let b = result(&fx, &fx.sign(&other));
        let mut round = Round::default();
        assert!(round.add(&a, at(0)));
        // The same card, frame after frame: one entry.
        assert!(!round.add(&a, at(1)));
        assert!(!round.add(&a, at(5)));
        assert!(round.add(&b, at(9)));
        // The first card's code again, on another card: flagged.
        assert!(round.add(&a, at(20)));
        assert_eq!(round.entries.len(), 3);
        assert_eq!(round.entries[2].flag, Some(CrewFlag::Repeat { first: 1 }));
        assert_eq!(round.entries[1].flag, None);
        assert_eq!(round.flagged(), 1);
        assert_eq!(round.entries[0].number_masked, "**************1232");
        assert_eq!(round.entries[0].name_masked, "张*");
        // Nothing in the saved round spells out the number or the name.
        let saved = crate::platform::to_json(&round).expect("json");
        assert!(!saved.contains("320102199001011232") && !saved.contains("张伟"));
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn number_and_name_hashes_are_keyed_per_round() {
        let fx = Fixture::new();
        let a = result(&fx, &fx.valid_payload());
        let mut one = Round::with_key([1; 32]);
        let mut two = Round::with_key([2; 32]);
        one.add(&a, at(0));
        two.add(&a, at(0));
        let (e1, e2) = (&one.entries[0], &two.entries[0]);
        // Not the plain SHA-256 anyone could recompute from a guessed number.
        assert_ne!(e1.number_key, payload_hash("320102199001011232"));
        assert_ne!(e1.name_key, payload_hash("张伟"));
        // Another round, another key: the same card hashes differently.
        assert_ne!(e1.number_key, e2.number_key);
        assert_eq!(e1.number_key.len(), 32);
        // RFC 4231 test case 2, to know the HMAC is the standard one.
        assert_eq!(
            hmac_hex(b"Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c7"
        );
        // A round saved before rounds had keys: entries kept, unkeyed hashes
        // dropped, a fresh key given.
        let storage = crate::platform::MemoryStorage::default();
        let mut legacy = one.clone();
        legacy.key.clear();
        legacy.entries[0].number_key = payload_hash("320102199001011232");
        crate::crew::save(&storage, &legacy);
        let loaded = load(&storage, [9; 32]);
        assert_eq!(loaded.entries.len(), 1);
        assert!(loaded.entries[0].number_key.is_empty());
        assert_eq!(loaded.key, to_hex(&[9; 32]));
        // A keyed round loads as it was.
        crate::crew::save(&storage, &one);
        assert_eq!(load(&storage, [9; 32]), one);
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn the_same_certificate_with_another_holder_is_flagged() {
        let fx = Fixture::new();
        let mut forged = fx.certificate();
        forged.name = "王五".into();
        let mut round = Round::default();
        round.add(&result(&fx, &fx.valid_payload()), at(0));
        round.add(&result(&fx, &fx.sign(&forged)), at(30));
        assert_eq!(
            round.entries[1].flag,
            Some(CrewFlag::OtherHolder { first: 1 })
        );
        // A renewed card of the same holder (new code, same name) is not.
        let mut renewed = fx.certificate();
        renewed.details.valid_from = renewed.details.valid_from.add_years(1);
        renewed.details.valid_until = renewed.details.valid_until.add_years(1);
        let mut round = Round::default();
        round.add(&result(&fx, &fx.valid_payload()), at(0));
        round.add(&result(&fx, &fx.sign(&renewed)), at(60));
        assert_eq!(round.entries[1].flag, None);
    }
}
