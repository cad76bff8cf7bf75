//! Property tests: no single-bit change to a genuine payload is ever accepted,
//! and no input, however malformed, makes the decoders panic.

#![cfg(not(target_arch = "wasm32"))]

use std::sync::OnceLock;

use proptest::prelude::*;
use yanzheng_core::cert::Certificate;
use yanzheng_core::{base45, cose, payload, verify, RevocationList, TrustList, UnixTime};
use yanzheng_tests::generate;
use yanzheng_tests::vector::{self, Case};

struct Fixture {
    root: yanzheng_core::PublicKey,
    trust: TrustList,
    revocations: RevocationList,
    at: UnixTime,
    /// Genuine payloads: `valid`, `valid` (safety management), `review_due_soon`.
    texts: Vec<String>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let files = generate::files();
        let root = yanzheng_core::SecretKey::from_seed(&generate::ROOT_SEED).public();
        let trust = TrustList::load(&files[generate::TRUST_V2], &root).expect("trust v2");
        let revocations =
            RevocationList::load(&files[generate::REVOCATIONS_V2], &root).expect("revocations v2");
        let at = UnixTime::parse(generate::AT).expect("instant");
        let texts: Vec<String> = [
            "valid.vec",
            "valid-safety-management.vec",
            "review-due-soon.vec",
        ]
        .iter()
        .map(|name| {
            let text = std::str::from_utf8(&files[*name]).expect("UTF-8");
            match vector::parse(text).expect("vector parses").case {
                Case::Verdict(c) => c.payload,
                Case::List(_) => panic!("{name} is not a verdict case"),
            }
        })
        .collect();
        let f = Fixture {
            root,
            trust,
            revocations,
            at,
            texts,
        };
        for t in &f.texts {
            assert!(
                check(&f, t).is_acceptable(),
                "base payload must be acceptable"
            );
        }
        f
    })
}

fn check(f: &Fixture, text: &str) -> yanzheng_core::Verdict {
    verify(text, Some(&f.trust), Some(&f.revocations), f.at).verdict
}

fn body_bytes(text: &str) -> Vec<u8> {
    base45::decode(&text[payload::PREFIX.len()..]).expect("genuine payload decodes")
}

/// The payload with bit `bit` of its decoded bytes flipped, re-encoded.
fn flip_byte_bit(text: &str, bit: usize) -> String {
    let mut bytes = body_bytes(text);
    bytes[bit / 8] ^= 1 << (bit % 8);
    payload::wrap(&bytes)
}

/// The text with bit `bit` (0-6, so it stays ASCII) of character `i` flipped.
fn flip_char_bit(text: &str, i: usize, bit: u8) -> String {
    let mut bytes = text.as_bytes().to_vec();
    bytes[i] ^= 1 << bit;
    String::from_utf8(bytes).expect("still ASCII")
}

/// Every bit of valid.vec's payload, not a sample (the properties below
/// sample all three payloads; exhaustive runs of all three take a minute in a
/// debug build).
#[test]
fn no_single_bit_flip_of_the_bytes_is_acceptable() {
    let f = fixture();
    let text = &f.texts[0];
    let bits = body_bytes(text).len() * 8;
    for bit in 0..bits {
        let v = check(f, &flip_byte_bit(text, bit));
        assert!(!v.is_acceptable(), "bit {bit} flipped: {v:?}");
    }
    println!("{bits} single-bit changes to payload bytes, none acceptable");
}

#[test]
fn no_single_bit_flip_of_the_text_is_acceptable() {
    let f = fixture();
    let text = &f.texts[0];
    for i in 0..text.len() {
        for bit in 0..7 {
            let v = check(f, &flip_char_bit(text, i, bit));
            assert!(!v.is_acceptable(), "char {i} bit {bit}: {v:?}");
        }
    }
    println!(
        "{} single-bit changes to payload characters, none acceptable",
        text.len() * 7
    );
}

fn assert_no_panic_anywhere(f: &Fixture, bytes: &[u8]) {
    let as_text = String::from_utf8_lossy(bytes);
    let _ = verify(&as_text, Some(&f.trust), Some(&f.revocations), f.at);
    let _ = verify(&payload::wrap(bytes), Some(&f.trust), None, f.at);
    let _ = verify(&payload::wrap(bytes), None, None, f.at);
    let _ = payload::parse(&as_text);
    let _ = base45::decode(&as_text);
    let _ = cose::parse(bytes, payload::MAX_RECORD_BYTES);
    let _ = Certificate::from_cbor(bytes);
    let _ = TrustList::load(bytes, &f.root);
    let _ = RevocationList::load(bytes, &f.root);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn flipping_a_payload_bit_is_never_acceptable(
        which in 0..3usize,
        bit in any::<prop::sample::Index>(),
    ) {
        let f = fixture();
        let text = &f.texts[which];
        let bit = bit.index(body_bytes(text).len() * 8);
        let v = check(f, &flip_byte_bit(text, bit));
        prop_assert!(!v.is_acceptable(), "bit {} flipped: {:?}", bit, v);
    }

    #[test]
    fn flipping_a_character_bit_is_never_acceptable(
        which in 0..3usize,
        i in any::<prop::sample::Index>(),
        bit in 0u8..7,
    ) {
        let f = fixture();
        let text = &f.texts[which];
        let i = i.index(text.len());
        let v = check(f, &flip_char_bit(text, i, bit));
        prop_assert!(!v.is_acceptable(), "char {} bit {}: {:?}", i, bit, v);
    }

    #[test]
    fn changing_a_byte_or_truncating_is_never_acceptable(
        which in 0..3usize,
        at in any::<prop::sample::Index>(),
        value in any::<u8>(),
        cut in any::<prop::sample::Index>(),
    ) {
        let f = fixture();
        let mut bytes = body_bytes(&f.texts[which]);
        let at = at.index(bytes.len());
        prop_assume!(bytes[at] != value);
        bytes[at] = value;
        let v = check(f, &payload::wrap(&bytes));
        prop_assert!(!v.is_acceptable(), "byte {} set to {}: {:?}", at, value, v);
        let cut = cut.index(bytes.len());
        let v = check(f, &payload::wrap(&bytes[..cut]));
        prop_assert!(!v.is_acceptable(), "truncated to {}: {:?}", cut, v);
    }

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        let f = fixture();
        let _ = verify(&s, Some(&f.trust), Some(&f.revocations), f.at);
        let _ = payload::parse(&s);
        let _ = base45::decode(&s);
    }

    #[test]
    fn arbitrary_base45_payloads_never_panic(body in "[0-9A-Z $%*+./:-]{0,700}") {
        let f = fixture();
        let text = format!("{}{}", payload::PREFIX, body);
        let _ = verify(&text, Some(&f.trust), Some(&f.revocations), f.at);
        let _ = payload::parse(&text);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1200)) {
        assert_no_panic_anywhere(fixture(), &bytes);
    }

    #[test]
    fn cbor_shaped_bytes_never_panic(
        head in proptest::collection::vec(
            prop_oneof![Just(0xd2u8), Just(0x84), Just(0x43), Just(0xa0), Just(0x58), Just(0x59),
                        Just(0x5b), Just(0x7f), Just(0x9f), Just(0xbf), Just(0xff), any::<u8>()],
            0..64),
        tail in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        let mut bytes = head;
        bytes.extend(tail);
        assert_no_panic_anywhere(fixture(), &bytes);
    }
}
