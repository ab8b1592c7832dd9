//! Option records: how the JavaScript facade hands an options object to wasm.
//!
//! The facade reads each own enumerable property once (running any getter
//! once, catching what it throws) and writes, per property, the key as a
//! string and then the tagged value. A string is its length in UTF-16 code
//! units (JavaScript's `length`), `:`, and the string itself, so no
//! character needs escaping. Tags: `u` undefined, `s` and a string, `t`/`f`
//! booleans, `F` a function, `l` a list (its item count, `:`, and each item
//! as a string), `L` a string too long to copy, `o` anything else (including
//! strings with lone surrogates, which `TextEncoder` would silently
//! replace). The meaning of each name and tag is the core's
//! ([`crate::options`]).
//!
//! Decoding borrows every string from the records. Records the facade would
//! never write decode to values the core refuses: a value that does not
//! parse is `o`, and an entry whose key does not parse ends the records with
//! an option named `""`, which no option has. Either way the call ends as
//! `invalid_option`, like any other bad option.

use alloc::borrow::Cow;
use alloc::vec::Vec;

use crate::options::OptionValue;

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

    /// A length-prefixed string.
    fn text(&mut self) -> Option<&'a str> {
        let units = self.number()?;
        let mut counted = 0;
        let mut end = 0;
        for c in self.0.chars() {
            if counted >= units {
                break;
            }
            counted += c.len_utf16();
            end += c.len_utf8();
        }
        let text = self.0.get(..end).filter(|_| counted == units)?;
        self.0 = self.0.get(end..)?;
        Some(text)
    }

    /// A tagged value; `None` when it does not parse (including when the
    /// records end where a tag should be).
    fn value(&mut self) -> Option<OptionValue<'a>> {
        Some(match self.tag() {
            Some(b'u') => OptionValue::Undefined,
            Some(b's') => OptionValue::String(Cow::Borrowed(self.text()?)),
            Some(b't') => OptionValue::Bool(true),
            Some(b'f') => OptionValue::Bool(false),
            Some(b'F') => OptionValue::Function,
            Some(b'L') => OptionValue::TooLong,
            Some(b'l') => {
                let mut items = Vec::new();
                for _ in 0..self.number()? {
                    items.push(Cow::Borrowed(self.text()?));
                }
                OptionValue::StringList(items)
            }
            _ => return None,
        })
    }
}

/// Decodes one tagged value (the redirect argument); `""` is `undefined`
/// (the operations that take no redirect pass nothing).
pub(super) fn value(tagged: &str) -> OptionValue<'_> {
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
pub(super) fn entries(records: &str) -> impl Iterator<Item = (&str, OptionValue<'_>)> {
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
