//! Option records: how the JavaScript facade hands an options object to wasm.
//!
//! The facade reads each own enumerable property once (running any getter
//! once, catching what it throws) and writes `key NUL tag value NUL` per
//! property. Tags: `u` undefined, `s` string, `t`/`f` booleans, `F` a
//! function, `l` a list of strings (each followed by U+0001), `L` a string
//! too long to copy, `o` anything else (including strings with lone
//! surrogates, which `TextEncoder` would silently replace). Inside keys and
//! values, U+0000, U+0001 and U+0002 are written as U+0002 followed by `0`,
//! `1` or `2`. The meaning of each name and tag is the core's
//! ([`crate::options`]).
//!
//! Decoding borrows from the records: a value is copied only when it holds
//! an escape. Records the facade would never write (a key without a value,
//! a bad escape) decode to values the core refuses (`o`, or a key no option
//! has), so they end as `invalid_option` like any other bad option.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use crate::domain::{find_byte, split_after};
use crate::options::OptionValue;

/// Undoes the U+0002 escapes; `None` for a bad escape.
fn unescape(s: &str) -> Option<Cow<'_, str>> {
    if find_byte(s, 2).is_none() {
        return Some(Cow::Borrowed(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = find_byte(rest, 2) {
        out.push_str(rest.get(..i)?);
        out.push_str(match rest.as_bytes().get(i + 1) {
            Some(b'0') => "\0",
            Some(b'1') => "\u{1}",
            Some(b'2') => "\u{2}",
            _ => return None,
        });
        rest = rest.get(i + 2..)?;
    }
    out.push_str(rest);
    Some(Cow::Owned(out))
}

/// Decodes one tagged value.
pub(super) fn value(tagged: &str) -> OptionValue<'_> {
    decode(tagged).unwrap_or(OptionValue::Other)
}

fn decode(tagged: &str) -> Option<OptionValue<'_>> {
    let rest = tagged.get(1..).unwrap_or("");
    match tagged.as_bytes().first() {
        None | Some(b'u') => Some(OptionValue::Undefined),
        Some(b's') => unescape(rest).map(OptionValue::String),
        Some(b't') => Some(OptionValue::Bool(true)),
        Some(b'f') => Some(OptionValue::Bool(false)),
        Some(b'F') => Some(OptionValue::Function),
        // Each item is followed by U+0001.
        Some(b'l') if rest.is_empty() || rest.as_bytes().last() == Some(&1) => {
            let mut items = Vec::new();
            for item in split_after(rest, 1) {
                items.push(unescape(item)?);
            }
            Some(OptionValue::StringList(items))
        }
        Some(b'L') => Some(OptionValue::TooLong),
        _ => None,
    }
}

/// Decodes a whole options object into `(key, value)` pairs.
pub(super) fn entries(records: &str) -> impl Iterator<Item = (&str, OptionValue<'_>)> {
    let mut fields = split_after(records, 0);
    core::iter::from_fn(move || Some((fields.next()?, value(fields.next().unwrap_or("o")))))
}
