//! The seam between the URL rules and a WHATWG URL parser.
//!
//! The rules in this crate decide on the parts a WHATWG URL parser reports
//! (the same parts as the JavaScript `URL` getters). Where the crate runs in a
//! browser it asks the browser's own `URL`, so the origin we check is the
//! origin the browser will navigate to; natively it asks the `url` crate
//! (feature `url`), which implements the same standard.

use alloc::string::String;

/// How many parts [`UrlParts`] holds.
const COUNT: usize = 8;

/// The parts of a parsed URL, named after the WHATWG `URL` getters
/// (URL Standard §6.1, "API"): `protocol`, `username`, `password`,
/// `hostname`, `pathname`, `search`, `hash` and `origin`.
///
/// They are kept in one string, each part followed by `\n` (a parsed URL's
/// parts never contain a newline: the parser removes them), which is also how
/// the browser hands them over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlParts {
    joined: String,
}

impl UrlParts {
    /// The parts from a string holding each of them followed by `\n`, in the
    /// order `protocol`, `username`, `password`, `hostname`, `pathname`,
    /// `search`, `hash`, `origin`; `None` unless there are exactly eight.
    pub fn from_joined(joined: String) -> Option<Self> {
        let count = joined.bytes().filter(|&b| b == b'\n').count();
        (count == COUNT && joined.ends_with("\n")).then_some(UrlParts { joined })
    }

    /// The platform's answer (`pkg-template/src/platform.js`): the parts as
    /// [`UrlParts::from_joined`] takes them, or `""` when the URL does not
    /// parse. The answer comes from the package's own JavaScript over the
    /// engine's `URL`, so it is not counted again: a part missing from it
    /// reads `""`. Every rule refuses an empty host; an engine whose `URL`
    /// lacks the `origin` getter is not one this package supports.
    #[cfg(all(target_arch = "wasm32", feature = "wasm"))]
    pub(crate) fn from_platform(joined: String) -> Option<Self> {
        (!joined.is_empty()).then_some(UrlParts { joined })
    }

    /// The parts from each getter's value, in the order of [`UrlParts::from_joined`].
    pub fn from_parts(parts: [&str; COUNT]) -> Option<Self> {
        let mut joined = String::new();
        for part in parts {
            joined.push_str(part);
            joined.push_str("\n");
        }
        Self::from_joined(joined)
    }

    /// The part after the `index`th newline, up to the next.
    fn part(&self, index: usize) -> &str {
        crate::text::piece(&self.joined, b'\n', index)
    }

    /// `protocol`: the scheme followed by `:`, lower case.
    pub fn protocol(&self) -> &str {
        self.part(0)
    }

    /// `username`, percent-encoded as serialized.
    pub fn username(&self) -> &str {
        self.part(1)
    }

    /// `password`, percent-encoded as serialized.
    pub fn password(&self) -> &str {
        self.part(2)
    }

    /// `hostname`: the serialized host without the port.
    pub fn hostname(&self) -> &str {
        self.part(3)
    }

    /// `pathname`.
    pub fn pathname(&self) -> &str {
        self.part(4)
    }

    /// `search`: empty or `?` followed by the query.
    pub fn search(&self) -> &str {
        self.part(5)
    }

    /// `hash`: empty or `#` followed by the fragment.
    pub fn hash(&self) -> &str {
        self.part(6)
    }

    /// `origin`: the ASCII serialization of the origin (`null` when opaque).
    pub fn origin(&self) -> &str {
        self.part(7)
    }
}

/// A WHATWG URL parser, and the two ECMAScript string primitives the URL
/// rules use beside it.
///
/// Only [`UrlParser::parse`] must be written. The primitives' provided
/// implementations are this crate's own, written after ECMA-262's tables;
/// the browser build asks the JavaScript engine instead, which has both
/// built in, so the size-bound module carries neither. The wasm-bindgen
/// tests check that the two agree: the encoder on every Unicode scalar
/// value, the classes on every scalar value at the start of a string and
/// every BMP one (and one astral in 97) at its end and inside.
pub trait UrlParser {
    /// Parses the absolute URL `input`; `None` when the URL Standard's parser
    /// returns failure.
    fn parse(&self, input: &str) -> Option<UrlParts>;

    /// Appends `encodeURIComponent(input)` to `out` (by default
    /// [`crate::encode::encode_uri_component_into`]).
    fn encode_uri_component_into(&self, input: &str, out: &mut String) {
        crate::encode::encode_uri_component_into(input, out);
    }

    /// What `input` holds that the URL rules look for: control characters
    /// and white space (see [`Characters`]).
    fn characters(&self, input: &str) -> Characters {
        characters(input)
    }
}

/// Control characters and white space in a string. Where several apply,
/// the last variant listed wins: a control character over white space at an
/// end, over white space inside. White space is what ECMAScript's
/// `String.prototype.trim` removes (`\s` in a regular expression:
/// WhiteSpace and LineTerminator); a control character is Unicode's `Cc`
/// (C0, DEL and C1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Characters {
    /// No control character and no white space.
    Clean,
    /// No control character; white space, but neither at the start nor the end.
    WhiteSpaceInside,
    /// No control character; white space at the start or the end.
    WhiteSpaceAtEnd,
    /// A control character somewhere.
    Control,
}

/// Whether `bytes` (UTF-8) starts with a character that may not start or
/// end a redirect: the ones `String.prototype.trim` removes (ECMA-262
/// WhiteSpace and LineTerminator: TAB, LF, VT, FF, CR, SP, NBSP, ZWNBSP, LS,
/// PS and the other `Zs`), which a pasted URL often carries. Written out as
/// their UTF-8 bytes, so neither a Unicode table nor UTF-8 decoding is
/// linked into the browser build.
fn starts_with_white_space(bytes: &[u8]) -> bool {
    matches!(
        bytes,
        [0x09..=0x0d | 0x20, ..]
            | [0xc2, 0xa0, ..] // U+00A0
            | [0xe1, 0x9a, 0x80, ..] // U+1680
            | [0xe2, 0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf, ..] // U+2000-200A, U+2028, U+2029, U+202F
            | [0xe2, 0x81, 0x9f, ..] // U+205F
            | [0xe3, 0x80, 0x80, ..] // U+3000
            | [0xef, 0xbb, 0xbf, ..] // U+FEFF
    )
}

/// Whether `s` starts or ends with white space (see [`starts_with_white_space`]).
fn white_space_at_ends(s: &str) -> bool {
    let bytes = s.as_bytes();
    // The last character starts at the last byte that is not a continuation byte.
    let last = bytes.iter().rposition(|&b| b & 0xc0 != 0x80).unwrap_or(0);
    starts_with_white_space(bytes) || bytes.get(last..).is_some_and(starts_with_white_space)
}

/// Whether `s` holds white space anywhere (see [`starts_with_white_space`]).
fn has_white_space(s: &str) -> bool {
    let bytes = s.as_bytes();
    (0..bytes.len()).any(|i| bytes.get(i..).is_some_and(starts_with_white_space))
}

/// Whether `s` holds a control character (Unicode `Cc`: C0, DEL, C1),
/// looked for in the UTF-8 bytes: C1 controls are `C2 80` to `C2 9F`.
fn has_control(s: &str) -> bool {
    let mut after_c2 = false;
    s.bytes().any(|b| {
        let control = b < 0x20 || b == 0x7f || (after_c2 && b < 0xa0);
        after_c2 = b == 0xc2;
        control
    })
}

/// [`UrlParser::characters`] in Rust, on the UTF-8 bytes.
fn characters(s: &str) -> Characters {
    if has_control(s) {
        Characters::Control
    } else if white_space_at_ends(s) {
        Characters::WhiteSpaceAtEnd
    } else if has_white_space(s) {
        Characters::WhiteSpaceInside
    } else {
        Characters::Clean
    }
}

/// The `url` crate's WHATWG parser.
#[cfg(feature = "url")]
#[derive(Clone, Copy, Debug, Default)]
pub struct WhatwgUrl;

#[cfg(feature = "url")]
impl UrlParser for WhatwgUrl {
    fn parse(&self, input: &str) -> Option<UrlParts> {
        use url::quirks;
        let url = url::Url::parse(input).ok()?;
        UrlParts::from_parts([
            quirks::protocol(&url),
            quirks::username(&url),
            quirks::password(&url),
            quirks::hostname(&url),
            quirks::pathname(&url),
            quirks::search(&url),
            quirks::hash(&url),
            &quirks::origin(&url),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ECMA-262 WhiteSpace and LineTerminator, as code points.
    fn is_js_white_space(c: char) -> bool {
        matches!(
            c,
            '\u{9}'..='\u{d}'
                | ' '
                | '\u{a0}'
                | '\u{1680}'
                | '\u{2000}'..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
        )
    }

    #[test]
    fn characters_reports_the_class_that_wins() {
        assert_eq!(characters("https://a.example/"), Characters::Clean);
        assert_eq!(characters("a\u{a0}b"), Characters::WhiteSpaceInside);
        assert_eq!(characters("\u{3000}ab"), Characters::WhiteSpaceAtEnd);
        assert_eq!(characters("a b\u{feff}"), Characters::WhiteSpaceAtEnd);
        assert_eq!(characters(" a\u{85}b"), Characters::Control);
        assert_eq!(characters("a\u{7f}"), Characters::Control);
    }

    #[test]
    fn white_space_bytes_match_every_code_point() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let alone = c.encode_utf8(&mut buf);
            let expected = is_js_white_space(c);
            assert_eq!(starts_with_white_space(alone.as_bytes()), expected, "{c:?}");
            let framed = alloc::format!("a{c}b");
            assert!(!white_space_at_ends(&framed), "{c:?}");
            assert_eq!(has_white_space(&framed), expected, "{c:?}");
            assert_eq!(
                white_space_at_ends(&alloc::format!("{c}b")),
                expected,
                "{c:?}"
            );
            assert_eq!(
                white_space_at_ends(&alloc::format!("a{c}")),
                expected,
                "{c:?}"
            );
        }
    }
}
