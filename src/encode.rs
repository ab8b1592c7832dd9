//! Percent-encoding identical to ECMAScript's `encodeURIComponent`.
//!
//! ECMA-262 §19.2.6.5 leaves unescaped exactly the ASCII letters, digits and
//! `- _ . ! ~ * ' ( )`; every other code point is written as the upper-case
//! `%XX` of each of its UTF-8 bytes. A Rust `&str` is always well-formed
//! UTF-8, so the one case where `encodeURIComponent` throws (a lone surrogate)
//! is refused earlier, at the JavaScript boundary.

use alloc::string::String;

const HEX: &str = "0123456789ABCDEF";

/// Whether `encodeURIComponent` leaves this byte as it is.
const fn is_unreserved(byte: u8) -> bool {
    matches!(byte, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9'
        | b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')')
}

/// Appends `encodeURIComponent(input)` to `out`.
pub fn encode_uri_component_into(input: &str, out: &mut String) {
    // Runs of unreserved (ASCII) bytes are copied as they are; every other
    // byte becomes `%XX`. Only `str` pieces are pushed, never a computed
    // `char`, which keeps UTF-8 encoding code out of the browser build.
    let mut run = 0;
    for (i, &byte) in input.as_bytes().iter().enumerate() {
        if !is_unreserved(byte) {
            // A non-empty `run..i` holds only unreserved (ASCII) bytes, so
            // both its ends are char boundaries; an empty one pushes nothing.
            out.push_str(input.get(run..i).unwrap_or(""));
            out.push_str("%");
            let (hi, lo) = (usize::from(byte >> 4), usize::from(byte & 0x0f));
            out.push_str(HEX.get(hi..=hi).unwrap_or(""));
            out.push_str(HEX.get(lo..=lo).unwrap_or(""));
            run = i + 1;
        }
    }
    out.push_str(input.get(run..).unwrap_or(""));
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
