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
        crate::piece(&self.joined, b'\n', index)
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
    /// [`crate::encode_uri_component_into`]).
    fn encode_uri_component_into(&self, input: &str, out: &mut String) {
        crate::encode::encode_uri_component_into(input, out);
    }

    /// What `input` holds that the URL rules look for: control characters
    /// and white space (see [`Characters`]).
    fn characters(&self, input: &str) -> Characters {
        crate::redirect::characters(input)
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
