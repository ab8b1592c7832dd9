//! Percent-encoding identical to ECMAScript's `encodeURIComponent`.
//!
//! ECMA-262 §19.2.6.5 leaves unescaped exactly the ASCII letters, digits and
//! `- _ . ! ~ * ' ( )`; every other code point is written as the upper-case
//! `%XX` of each of its UTF-8 bytes. A Rust `&str` is always well-formed
//! UTF-8, so the one case where `encodeURIComponent` throws (a lone surrogate)
//! is refused earlier, at the JavaScript boundary.

use alloc::string::String;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Whether `encodeURIComponent` leaves this byte as it is.
const fn is_unreserved(byte: u8) -> bool {
    matches!(byte, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9'
        | b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')')
}

/// Appends `encodeURIComponent(input)` to `out`.
pub fn encode_uri_component_into(input: &str, out: &mut String) {
    for &byte in input.as_bytes() {
        if is_unreserved(byte) {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 0x0f)] as char);
        }
    }
}

/// Returns `encodeURIComponent(input)`.
///
/// ```
/// use genauth_logout::encode_uri_component;
/// assert_eq!(encode_uri_component("a b&c=é"), "a%20b%26c%3D%C3%A9");
/// assert_eq!(encode_uri_component("-_.!~*'()"), "-_.!~*'()");
/// ```
pub fn encode_uri_component(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    encode_uri_component_into(input, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ascii_byte_matches_the_ecmascript_table() {
        // The unreserved set written out independently of `is_unreserved`.
        let unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()";
        for b in 0u8..0x80 {
            let s = String::from(b as char);
            let got = encode_uri_component(&s);
            if unreserved.contains(b as char) {
                assert_eq!(got, s);
            } else {
                assert_eq!(got.len(), 3, "byte {b:#x}");
                assert_eq!(u8::from_str_radix(&got[1..], 16).ok(), Some(b));
                assert!(got[1..].chars().all(|c| !c.is_ascii_lowercase()));
            }
        }
    }

    #[test]
    fn multibyte_code_points_become_their_utf8_bytes() {
        assert_eq!(encode_uri_component("é"), "%C3%A9");
        assert_eq!(encode_uri_component("€"), "%E2%82%AC");
        assert_eq!(encode_uri_component("😀"), "%F0%9F%98%80");
        assert_eq!(encode_uri_component("\u{10FFFF}"), "%F4%8F%BF%BF");
    }
}
