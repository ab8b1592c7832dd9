//! Option records: how an options object crosses from JavaScript into the core.
//!
//! The JavaScript facade reads each own enumerable property once (running any
//! getter once, catching what it throws) and writes, per property, the key as
//! a string and then the tagged value. A string is its length in UTF-16 code
//! units (JavaScript's `length`), `:`, and the string itself, so no character
//! needs escaping. Tags: `u` undefined, `s` and a string, `t`/`f` booleans,
//! `F` a function, `l` a list (its item count, `:`, and each item as a
//! string), `L` a string or list too long to copy, `o` anything else
//! (including strings with lone surrogates, which `TextEncoder` would
//! silently replace). The meaning of each name and tag is the option
//! table's (`src/options.rs`).
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
//! use genauth_logout::records::{entries, OptionValue, RecordWriter};
//!
//! let mut w = RecordWriter::new();
//! w.key("appDomain").string("myapp.genauth.ai");
//! w.key("clearStorageKeys").list(&["token", "user"]);
//! let records = w.finish();
//! assert_eq!(records, "9:appDomains16:myapp.genauth.ai16:clearStorageKeysl2:5:token4:user");
//!
//! let decoded: Vec<_> = entries(&records).collect();
//! assert_eq!(decoded[0], ("appDomain", OptionValue::String("myapp.genauth.ai")));
//! let OptionValue::StringList(keys) = decoded[1].1 else { panic!() };
//! assert_eq!(keys.iter().collect::<Vec<_>>(), ["token", "user"]);
//! ```

use alloc::string::String;

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
    items: &'a str,
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
        let mut cursor = Cursor(self.items);
        core::iter::from_fn(move || cursor.text())
    }
}

/// A reading position in a record string.
struct Cursor<'a>(&'a str);

impl<'a> Cursor<'a> {
    /// One ASCII byte; `None` at the end or before a non-ASCII character.
    fn tag(&mut self) -> Option<u8> {
        let tag = *self.0.as_bytes().first()?;
        self.0 = self.0.get(1..)?;
        Some(tag)
    }

    /// Decimal digits up to a `:`.
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
    /// the UTF-8 bytes: every byte that starts a character is one unit, and
    /// a four-byte character (`F0` to `F4`) is a surrogate pair, two.
    fn text(&mut self) -> Option<&'a str> {
        let units = self.number()?;
        let mut counted = 0;
        let mut end = self.0.len();
        for (i, &b) in self.0.as_bytes().iter().enumerate() {
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
        let (text, rest) = self.0.split_at_checked(end)?;
        self.0 = rest;
        Some(text)
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
                let items = start.get(..start.len() - self.0.len())?;
                OptionValue::StringList(List { count, items })
            }
            _ => return None,
        })
    }
}

/// Decodes one tagged value (the redirect argument); `""` is `undefined`
/// (the operations that take no redirect pass nothing).
pub fn value(tagged: &str) -> OptionValue<'_> {
    if tagged.is_empty() {
        return OptionValue::Undefined;
    }
    let mut cursor = Cursor(tagged);
    match cursor.value() {
        Some(value) if cursor.0.is_empty() => value,
        _ => OptionValue::Other,
    }
}

/// Decodes a whole options object into `(key, value)` pairs.
pub fn entries(records: &str) -> impl Iterator<Item = (&str, OptionValue<'_>)> {
    let mut cursor = Cursor(records);
    core::iter::from_fn(move || {
        if cursor.0.is_empty() {
            return None;
        }
        let Some(key) = cursor.text() else {
            cursor.0 = "";
            return Some(("", OptionValue::Other));
        };
        let value = cursor.value();
        if value.is_none() {
            cursor.0 = "";
        }
        Some((key, value.unwrap_or(OptionValue::Other)))
    })
}

/// Writes option records in the facade's format (for Rust callers that hold
/// options as names and values, and for tests). It writes what it is given:
/// the facade's own limits (strings or lists over 64 Ki UTF-16 units as
/// `L`, lone surrogates and lists over 256 items as `o`) are the caller's to
/// apply, and the core refuses what goes past its limits anyway.
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
    use alloc::vec::Vec;

    #[test]
    fn lengths_count_utf16_units() {
        // "é" is one unit (two UTF-8 bytes), "😀" two units (four bytes).
        assert_eq!(value("s1:é"), OptionValue::String("é"));
        assert_eq!(value("s2:😀"), OptionValue::String("😀"));
        assert_eq!(value("s3:a😀"), OptionValue::String("a😀"));
        // A length that ends inside a surrogate pair, or past the end.
        assert_eq!(value("s1:😀"), OptionValue::Other);
        assert_eq!(value("s4:a😀"), OptionValue::Other);
        // Trailing bytes after the value.
        assert_eq!(value("s1:ab"), OptionValue::Other);
    }

    #[test]
    fn lists_decode_lazily_and_exactly() {
        let OptionValue::StringList(list) = value("l3:1:a0:3:é😀") else {
            panic!("not a list");
        };
        assert_eq!(list.len(), 3);
        assert_eq!(list.iter().collect::<Vec<_>>(), ["a", "", "é😀"]);
        // "é😀" is three units, not two: the last item does not parse.
        assert_eq!(value("l3:1:a0:2:é😀"), OptionValue::Other);
        assert_eq!(value("l2:1:a"), OptionValue::Other, "too few items");
        assert_eq!(value("l1:1:a1:b"), OptionValue::Other, "too many items");
    }

    #[test]
    fn malformed_records_end_in_a_refused_value() {
        // A key without a value, and a key that does not parse.
        let got: Vec<_> = entries("1:ut9:appDomain").collect();
        assert_eq!(
            got,
            [
                ("u", OptionValue::Bool(true)),
                ("appDomain", OptionValue::Other)
            ]
        );
        let got: Vec<_> = entries("1:ut9:app").collect();
        assert_eq!(
            got,
            [("u", OptionValue::Bool(true)), ("", OptionValue::Other)]
        );
        let got: Vec<_> = entries("1:xs5:ab").collect();
        assert_eq!(got, [("x", OptionValue::Other)]);
        let got: Vec<_> = entries("1:x?").collect();
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
        let got: Vec<_> = entries(&records).collect();
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
}
