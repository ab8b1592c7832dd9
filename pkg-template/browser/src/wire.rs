//! The browser module's boundary, the Rust side. The JavaScript side is
//! `pkg-template/src/wire.js`; the tests at the end of this file read it and
//! check that both sides agree on every number and letter below.
//!
//! # ABI
//!
//! The module is WebAssembly 1.0 plus bulk memory (no multi-value, no
//! reference types, so binaryen's `wasm2js --enable-bulk-memory` can also
//! compile it) with a documented interface of its own; no generated glue
//! sits between the two sides.
//!
//! * A **block** is where a string crosses: a `u32` (little-endian), its
//!   length in bytes, then the string's bytes in WTF-8 (UTF-8, in which a
//!   lone surrogate is written like any other code point: `ED A0 80` to
//!   `ED BF BF`). `wire.js` encodes and decodes it itself, code point by
//!   code point, so no `TextEncoder`/`TextDecoder` is needed, and a lone
//!   surrogate crosses as it is: the Rust side finds it ([`Wtf8::to_str`]).
//!   (UTF-16 units across, transcoded in Rust, measured larger; see
//!   docs/size.md.)
//! * Export `memory`; export `a(capacity) -> block`: a new block with room
//!   for `capacity` bytes, for JavaScript to fill; export `r()`: frees
//!   everything the module allocated. Nothing lives between calls, so
//!   JavaScript resets the heap before each call's blocks, and no block is
//!   freed one by one.
//! * Export `c(op, config, page, redirect, params) -> block`: one call
//!   ([`crate::answer::answer`]) over the four blocks, answering one.
//! * Import `p.p(op, block) -> block` (`platform.rs`): the platform's
//!   primitives (`pkg-template/src/platform.js`), one string in, one out.
//!
//! # Operations
//!
//! [`ORIGIN`], [`PERSONAL_CENTER`], [`URL`], [`PLAN`] and
//! [`PLAN_WITHOUT_DOCUMENT`]; see [`crate::answer::answer`].
//!
//! # Records
//!
//! The JavaScript facade reads each own enumerable property of an options
//! object once (running any getter once, catching what it throws) and
//! writes, per property, the key as a string and then the tagged value. A
//! string is its length in UTF-16 code units (JavaScript's `length`), `:`,
//! and the string itself, so no character needs escaping. Tags: `u`
//! undefined, `s` and a string, `t`/`f` booleans, `F` a function, `l` a list
//! (its item count, `:`, and each item as a string), `L` a string or list
//! too long to copy, `o` anything else. A string holding a lone surrogate
//! is not a string to the core: it reads as `o` ([`OptionValue::Other`]),
//! and a key holding one as no option. The meaning of each name is the
//! option table's (`options.rs`).
//!
//! Decoding borrows every string from the records and allocates nothing: a
//! list stays encoded ([`List`]) and is decoded again each time it is read.
//! Records the facade would never write decode to values the core refuses: a
//! value that does not parse is [`OptionValue::Other`], and a key that does
//! not parse ends the records with an option named `""`, which no option has.
//! Either way the call ends as `invalid_option`, like any other bad option.
//!
//! [`RecordWriter`] writes records the way the facade does, for Rust callers
//! and tests.
//!
//! ```
//! use genauth_logout_browser::wire::{entries, OptionValue, RecordWriter};
//!
//! let mut w = RecordWriter::new();
//! w.key("appDomain").string("myapp.genauth.ai");
//! w.key("clearStorageKeys").list(&["token", "user"]);
//! let records = w.finish();
//! assert_eq!(records, "9:appDomains16:myapp.genauth.ai16:clearStorageKeysl2:5:token4:user");
//!
//! let decoded: Vec<_> = entries(records.as_str().into()).collect();
//! assert_eq!(decoded[0], ("appDomain", OptionValue::String("myapp.genauth.ai")));
//! let OptionValue::StringList(keys) = decoded[1].1 else { panic!() };
//! assert_eq!(keys.iter().collect::<Vec<_>>(), ["token", "user"]);
//! ```
//!
//! # Answers
//!
//! An error is `!`, its code, a newline and its message ([`failure`]);
//! anything else is the payload. A plan starts with its kind: [`ASSIGN`],
//! [`REPLACE`], [`NAVIGATE`] and the URL, or [`POST`], the endpoint, a
//! newline and the form fields, URL-encoded.

use alloc::string::String;

use genauth_logout::entry::Fail;

/// The application's origin (`new LogoutClient` checks the config).
pub const ORIGIN: u32 = 0;
/// The personal center URL (`personalCenterUrl`).
pub const PERSONAL_CENTER: u32 = 1;
/// The logout URL (`buildLogoutUrl`).
pub const URL: u32 = 2;
/// What `logout` must do, decided before it acts (any `op` past [`URL`]).
pub const PLAN: u32 = 3;
/// [`PLAN`] in a scope that has an origin but no document to navigate (a
/// worker): the redirect is guarded as in a page, and only the `navigate`
/// callback can carry the logout out.
pub const PLAN_WITHOUT_DOCUMENT: u32 = 4;

/// A plan's kind: `location.assign(url)`.
pub const ASSIGN: &str = "A";
/// A plan's kind: `location.replace(url)`.
pub const REPLACE: &str = "R";
/// A plan's kind: the `navigate(url)` callback.
pub const NAVIGATE: &str = "N";
/// A plan's kind: a form POST.
pub const POST: &str = "P";

/// Strings (and lists) longer than this, in UTF-16 units, are not copied in
/// but written `L`: every limit of the core is lower.
pub const MAX_LEN: usize = 65536;
/// Lists of more items than this are not copied in but written `o`.
pub const MAX_ITEMS: usize = genauth_logout::limits::MAX_LIST_LEN;

/// Every code the browser module reports, in `ErrorCode` order, each
/// followed by a NUL: one string, as for the messages. `ErrorCode::as_str`
/// compiles to a table of pointers and lengths, which measured 17 B gzip
/// larger on the benchmark app.
const CODES: &str = "invalid_app_domain\0invalid_redirect\0redirect_not_allowed\0invalid_option\0not_configured\0no_window\0";

/// `!code\nmessage`: an error answer.
pub fn failure(fail: &Fail<'_>) -> String {
    let mut out = String::from("!");
    out.push_str(genauth_logout::entry::piece(CODES, 0, fail.code() as usize));
    out.push_str("\n");
    out.push_str(fail.name);
    out.push_str(fail.msg.text());
    out
}

/// A string as it crosses the wire: WTF-8, that is UTF-8 in which a lone
/// surrogate may appear, written like any other code point (see the
/// module's documentation). Made from a `&str` (which is WTF-8 without lone
/// surrogates) or, in the module's own ABI, from what `wire.js` wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wtf8<'a>(&'a [u8]);

impl<'a> From<&'a str> for Wtf8<'a> {
    fn from(s: &'a str) -> Self {
        Wtf8(s.as_bytes())
    }
}

impl<'a> Wtf8<'a> {
    /// Bytes taken to be WTF-8.
    ///
    /// # Safety
    /// `bytes` are WTF-8: each code point (a lone surrogate too) in UTF-8's
    /// bit layout, shortest form.
    pub unsafe fn new_unchecked(bytes: &'a [u8]) -> Self {
        Wtf8(bytes)
    }

    /// The string, unless it holds a lone surrogate.
    // An inlining hint measured smaller on the benchmark app (docs/size.md).
    #[inline(never)]
    pub fn to_str(self) -> Option<&'a str> {
        // WTF-8 differs from UTF-8 only in the surrogates, which are exactly
        // the three-byte sequences `ED A0..BF xx`.
        let mut last = 0;
        for &b in self.0 {
            if last == 0xed && b >= 0xa0 {
                return None;
            }
            last = b;
        }
        // SAFETY: WTF-8 without surrogates is UTF-8 (see above).
        Some(unsafe { core::str::from_utf8_unchecked(self.0) })
    }

    /// Whether it holds nothing.
    pub fn is_empty(self) -> bool {
        self.0.is_empty()
    }
}

/// One option value, as read from a JavaScript object.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OptionValue<'a> {
    /// `undefined`: treated as if the option were not given.
    #[default]
    Undefined,
    /// A well-formed string.
    String(&'a str),
    /// A boolean.
    Bool(bool),
    /// An array whose elements are all well-formed strings.
    StringList(List<'a>),
    /// A function.
    Function,
    /// A string or list too long to be copied out of JavaScript (over 64 Ki
    /// UTF-16 units, beyond every limit here).
    TooLong,
    /// Anything else (`null`, a number, an object, a string with lone surrogates …).
    Other,
}

/// A list of strings, still in its record form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct List<'a> {
    count: usize,
    items: Wtf8<'a>,
}

impl<'a> List<'a> {
    /// How many strings the list holds.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The strings, in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> {
        // The items were decoded once already, so each decodes again.
        let mut cursor = Cursor(self.items.0);
        core::iter::from_fn(move || cursor.text())
    }
}

/// A reading position in records. It only ever stops between characters
/// (the byte after an ASCII byte, or where [`Cursor::text`] ends), so what
/// is left of WTF-8 is WTF-8.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    /// One byte; `None` at the end.
    fn tag(&mut self) -> Option<u8> {
        let (&tag, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(tag)
    }

    /// Decimal digits up to a `:`.
    #[inline(never)]
    fn number(&mut self) -> Option<usize> {
        let mut n: usize = 0;
        loop {
            match self.tag()? {
                b':' => return Some(n),
                d @ b'0'..=b'9' => n = n.checked_mul(10)?.checked_add(usize::from(d - b'0'))?,
                _ => return None,
            }
        }
    }

    #[inline(never)]
    /// A length-prefixed string. The length counts UTF-16 units, read off
    /// the WTF-8 bytes: every byte that starts a character is one unit, and
    /// a four-byte character (`F0` to `F4`) is a surrogate pair, two. A
    /// string with a lone surrogate is skipped and refused.
    fn text(&mut self) -> Option<&'a str> {
        let units = self.number()?;
        let mut counted = 0;
        let mut end = self.0.len();
        for (i, &b) in self.0.iter().enumerate() {
            if b & 0xc0 != 0x80 {
                if counted >= units {
                    end = i;
                    break;
                }
                counted += 1 + usize::from(b >= 0xf0);
            }
        }
        if counted != units {
            return None;
        }
        let (text, rest) = self.0.split_at(end);
        self.0 = rest;
        // The text starts after a `:` and ends before a character.
        Wtf8(text).to_str()
    }

    /// A tagged value; `None` when it does not parse (including when the
    /// records end where a tag should be).
    fn value(&mut self) -> Option<OptionValue<'a>> {
        Some(match self.tag() {
            Some(b'u') => OptionValue::Undefined,
            Some(b's') => OptionValue::String(self.text()?),
            Some(b't') => OptionValue::Bool(true),
            Some(b'f') => OptionValue::Bool(false),
            Some(b'F') => OptionValue::Function,
            Some(b'L') => OptionValue::TooLong,
            Some(b'l') => {
                let count = self.number()?;
                let start = self.0;
                for _ in 0..count {
                    self.text()?;
                }
                let items = Wtf8(start.get(..start.len() - self.0.len())?);
                OptionValue::StringList(List { count, items })
            }
            _ => return None,
        })
    }
}

/// Decodes one tagged value (the redirect argument); `""` is `undefined`
/// (the operations that take no redirect pass nothing).
pub fn value(tagged: Wtf8<'_>) -> OptionValue<'_> {
    if tagged.is_empty() {
        return OptionValue::Undefined;
    }
    let mut cursor = Cursor(tagged.0);
    match cursor.value() {
        Some(value) if cursor.0.is_empty() => value,
        _ => OptionValue::Other,
    }
}

/// Decodes a whole options object into `(key, value)` pairs.
pub fn entries(records: Wtf8<'_>) -> impl Iterator<Item = (&str, OptionValue<'_>)> {
    let mut cursor = Cursor(records.0);
    core::iter::from_fn(move || {
        if cursor.0.is_empty() {
            return None;
        }
        let Some(key) = cursor.text() else {
            cursor.0 = &[];
            return Some(("", OptionValue::Other));
        };
        let value = cursor.value();
        if value.is_none() {
            cursor.0 = &[];
        }
        Some((key, value.unwrap_or(OptionValue::Other)))
    })
}

/// Writes option records in the facade's format (for Rust callers that hold
/// options as names and values, and for tests). It writes what it is given:
/// the facade's own limits (strings or lists over 64 Ki UTF-16 units as
/// `L`, lists over 256 items as `o`) are the caller's to apply, and the
/// core refuses what goes past its limits anyway.
#[derive(Clone, Debug, Default)]
pub struct RecordWriter(String);

impl RecordWriter {
    /// An empty options object.
    pub fn new() -> Self {
        RecordWriter::default()
    }

    fn number(&mut self, n: usize) {
        use core::fmt::Write;
        // Writing to a String cannot fail.
        let _ = write!(self.0, "{n}:");
    }

    fn text(&mut self, s: &str) -> &mut Self {
        self.number(s.encode_utf16().count());
        self.0.push_str(s);
        self
    }

    /// Starts a property: its key. A value must follow.
    pub fn key(&mut self, name: &str) -> &mut Self {
        self.text(name)
    }

    /// A string value.
    pub fn string(&mut self, value: &str) -> &mut Self {
        self.0.push_str("s");
        self.text(value)
    }

    /// A boolean value.
    pub fn bool(&mut self, value: bool) -> &mut Self {
        self.0.push_str(if value { "t" } else { "f" });
        self
    }

    /// A list of strings.
    pub fn list<S: AsRef<str>>(&mut self, items: &[S]) -> &mut Self {
        self.0.push_str("l");
        self.number(items.len());
        for item in items {
            self.text(item.as_ref());
        }
        self
    }

    /// A function value.
    pub fn function(&mut self) -> &mut Self {
        self.0.push_str("F");
        self
    }

    /// `undefined`.
    pub fn undefined(&mut self) -> &mut Self {
        self.0.push_str("u");
        self
    }

    /// A string or list too long to copy.
    pub fn too_long(&mut self) -> &mut Self {
        self.0.push_str("L");
        self
    }

    /// Any other value (`null`, a number, an object …).
    pub fn other(&mut self) -> &mut Self {
        self.0.push_str("o");
        self
    }

    /// The records.
    pub fn finish(&mut self) -> String {
        core::mem::take(&mut self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec::Vec;

    #[test]
    fn every_code_is_its_own_string() {
        // Every code a message can carry, at its index in `CODES`.
        let codes: Vec<_> = genauth_logout::entry::Msg::ALL
            .iter()
            .map(|msg| msg.code())
            .collect();
        let last = codes.iter().map(|&code| code as usize).max();
        assert_eq!(Some(CODES.split_terminator('\0').count() - 1), last);
        for code in codes {
            assert_eq!(
                genauth_logout::entry::piece(CODES, 0, code as usize),
                code.as_str()
            );
        }
    }

    #[test]
    fn lengths_count_utf16_units() {
        // "é" is one unit (two UTF-8 bytes), "😀" two units (four bytes).
        assert_eq!(value(w("s1:é")), OptionValue::String("é"));
        assert_eq!(value(w("s2:😀")), OptionValue::String("😀"));
        assert_eq!(value(w("s3:a😀")), OptionValue::String("a😀"));
        // A length that ends inside a surrogate pair, or past the end.
        assert_eq!(value(w("s1:😀")), OptionValue::Other);
        assert_eq!(value(w("s4:a😀")), OptionValue::Other);
        // Trailing bytes after the value.
        assert_eq!(value(w("s1:ab")), OptionValue::Other);
    }

    fn w(s: &str) -> Wtf8<'_> {
        s.into()
    }

    fn raw(bytes: &[u8]) -> Wtf8<'_> {
        // SAFETY: every caller passes what `wtf8` wrote.
        unsafe { Wtf8::new_unchecked(bytes) }
    }

    /// WTF-8 as wire.js writes it: each code point of the UTF-16 units,
    /// a lone surrogate included, in UTF-8's bit layout.
    fn wtf8(units: &[u16]) -> Vec<u8> {
        let mut out = Vec::new();
        for c in char::decode_utf16(units.iter().copied()) {
            let c = c.map_or_else(|e| u32::from(e.unpaired_surrogate()), u32::from);
            let n = [0x80, 0x800, 0x10000, u32::MAX]
                .iter()
                .position(|&m| c < m)
                .unwrap();
            out.push(if n == 0 {
                c as u8
            } else {
                ((0xff80 >> n) | (c >> (6 * n))) as u8
            });
            for k in (0..n).rev() {
                out.push((0x80 | ((c >> (6 * k)) & 0x3f)) as u8);
            }
        }
        out
    }

    fn utf16(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn lone_surrogates_are_refused() {
        for s in [
            "",
            "a",
            "é",
            "€",
            "😀",
            "a\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}z",
        ] {
            assert_eq!(wtf8(&utf16(s)), s.as_bytes(), "{s:?}");
        }
        // Every BMP unit before an ASCII letter.
        for u in 0..=0xffffu16 {
            let bytes = wtf8(&[u, 0x61]);
            match char::from_u32(u32::from(u)) {
                Some(c) => assert_eq!(raw(&bytes).to_str(), Some(&*alloc::format!("{c}a"))),
                None => assert_eq!(raw(&bytes).to_str(), None, "{u:#x}"),
            }
        }
        // A lone surrogate (high at the end, low alone, high before a
        // non-low) inside a string makes it `o`.
        for lone in [&[0xd800u16][..], &[0xdc00], &[0xdbff, 0x61]] {
            let mut units = utf16(&alloc::format!("s{}:b", 1 + lone.len()));
            units.extend_from_slice(lone);
            assert_eq!(value(raw(&wtf8(&units))), OptionValue::Other, "{lone:x?}");
            // The same length with a well-formed character reads.
            let ok = utf16(&alloc::format!(
                "s{}:b{}",
                1 + lone.len(),
                "é".repeat(lone.len())
            ));
            assert!(matches!(value(raw(&wtf8(&ok))), OptionValue::String(_)));
        }
        let mut key = utf16("2:a");
        key.push(0xd800);
        key.extend(utf16("t"));
        assert_eq!(
            entries(raw(&wtf8(&key))).collect::<Vec<_>>(),
            [("", OptionValue::Other)],
            "a key with a lone surrogate is no option"
        );
    }

    #[test]
    fn lists_decode_lazily_and_exactly() {
        let OptionValue::StringList(list) = value(w("l3:1:a0:3:é😀")) else {
            panic!("not a list");
        };
        assert_eq!(list.len(), 3);
        assert_eq!(list.iter().collect::<Vec<_>>(), ["a", "", "é😀"]);
        // "é😀" is three units, not two: the last item does not parse.
        assert_eq!(value(w("l3:1:a0:2:é😀")), OptionValue::Other);
        assert_eq!(value(w("l2:1:a")), OptionValue::Other, "too few items");
        assert_eq!(value(w("l1:1:a1:b")), OptionValue::Other, "too many items");
    }

    #[test]
    fn malformed_records_end_in_a_refused_value() {
        // A key without a value, and a key that does not parse.
        let got: Vec<_> = entries(w("1:ut9:appDomain")).collect();
        assert_eq!(
            got,
            [
                ("u", OptionValue::Bool(true)),
                ("appDomain", OptionValue::Other)
            ]
        );
        let got: Vec<_> = entries(w("1:ut9:app")).collect();
        assert_eq!(
            got,
            [("u", OptionValue::Bool(true)), ("", OptionValue::Other)]
        );
        let got: Vec<_> = entries(w("1:xs5:ab")).collect();
        assert_eq!(got, [("x", OptionValue::Other)]);
        let got: Vec<_> = entries(w("1:x?")).collect();
        assert_eq!(got, [("x", OptionValue::Other)]);
    }

    #[test]
    fn the_writer_and_the_reader_agree() {
        let mut w = RecordWriter::new();
        w.key("a")
            .string("x😀")
            .key("b")
            .bool(false)
            .key("c")
            .list(&["", "é"]);
        w.key("d")
            .function()
            .key("e")
            .undefined()
            .key("f")
            .too_long()
            .key("g")
            .other();
        let records = w.finish();
        let got: Vec<_> = entries(records.as_str().into()).collect();
        assert_eq!(got[0], ("a", OptionValue::String("x😀")));
        assert_eq!(got[1], ("b", OptionValue::Bool(false)));
        let OptionValue::StringList(list) = got[2].1 else {
            panic!("not a list");
        };
        assert_eq!(list.iter().collect::<Vec<_>>(), ["", "é"]);
        assert_eq!(
            got[3..],
            [
                ("d", OptionValue::Function),
                ("e", OptionValue::Undefined),
                ("f", OptionValue::TooLong),
                ("g", OptionValue::Other)
            ]
        );
    }

    /// The JavaScript side of the wire.
    const WIRE_JS: &str = include_str!("../../src/wire.js");

    /// The value of `const <name> = <value>;` in wire.js.
    fn js_const(name: &str) -> &'static str {
        let head = alloc::format!("const {name} = ");
        let at = WIRE_JS
            .find(&head)
            .unwrap_or_else(|| panic!("wire.js has no {head}"));
        let rest = &WIRE_JS[at + head.len()..];
        &rest[..rest.find(';').expect("a ;")]
    }

    /// Both sides of the wire name the same operations, plan kinds,
    /// exports, import and tags.
    #[test]
    fn both_sides_of_the_wire_agree() {
        for (name, op) in [
            ("ORIGIN", ORIGIN),
            ("PERSONAL_CENTER", PERSONAL_CENTER),
            ("LOGOUT_URL", URL),
            ("PLAN", PLAN),
            ("PLAN_WITHOUT_DOCUMENT", PLAN_WITHOUT_DOCUMENT),
        ] {
            assert_eq!(js_const(name), op.to_string(), "op {name}");
        }
        for (name, kind) in [
            ("ASSIGN", ASSIGN),
            ("REPLACE", REPLACE),
            ("NAVIGATE", NAVIGATE),
            ("POST", POST),
        ] {
            assert_eq!(js_const(name), alloc::format!("\"{kind}\""), "kind {name}");
        }
        // The exports and the import by the names the Rust side gives them.
        for (what, text) in [
            ("alloc", "wasm.a("),
            ("call", "wasm.c("),
            ("reset", "wasm.r("),
            ("memory", "wasm.memory.buffer"),
            ("the import", "p: { p: "),
            ("the error mark", "[0] == \"!\""),
        ] {
            assert!(
                WIRE_JS.contains(text),
                "wire.js does not use {what} as {text}"
            );
        }
        // Every tag the reader knows is one the writer writes.
        let src = include_str!("wire.rs");
        for tag in ["u", "s", "t", "f", "F", "L", "l", "o"] {
            assert!(
                WIRE_JS.contains(&alloc::format!("\"{tag}")),
                "wire.js never writes the tag {tag}"
            );
            assert!(src.contains(&alloc::format!("b'{tag}'")) || tag == "o");
        }
        // The limits module wire.js imports (generated by
        // crate::options::limits_js, tested there).
        assert!(WIRE_JS.contains("from \"./limits.js\""));
        // The JavaScript side's failure parse matches `failure`.
        let fail = failure(&Fail::new(genauth_logout::entry::Msg::NoWindow));
        assert!(fail.starts_with("!no_window\n"));
    }
}
