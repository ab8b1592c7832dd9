//! `encode_uri_component` on any string: only unreserved characters and
//! upper-case `%XX`, and decoding gives back the input byte for byte.
#![no_main]

use genauth_logout::encode_uri_component;
use genauth_logout_fuzz::invariants::{is_component_encoded, percent_decode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let encoded = encode_uri_component(&input);
    assert!(is_component_encoded(&encoded), "{input:?} -> {encoded:?}");
    assert_eq!(percent_decode(&encoded).as_deref(), Some(input.as_bytes()));
});
