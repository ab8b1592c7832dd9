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

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, ErrorCode, Result};
use crate::options::OptionValue;

fn malformed() -> Error {
    Error::new(ErrorCode::InvalidOption, "malformed option records")
}

/// Undoes the U+0002 escapes.
fn unescape(s: &str) -> Result<String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{2}' {
            match chars.next() {
                Some('0') => out.push('\u{0}'),
                Some('1') => out.push('\u{1}'),
                Some('2') => out.push('\u{2}'),
                _ => return Err(malformed()),
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// Decodes one tagged value.
pub(super) fn decode_value(tagged: &str) -> Result<OptionValue> {
    let mut chars = tagged.chars();
    let tag = chars.next();
    let rest = chars.as_str();
    Ok(match tag {
        None | Some('u') => OptionValue::Undefined,
        Some('s') => OptionValue::String(unescape(rest)?),
        Some('t') => OptionValue::Bool(true),
        Some('f') => OptionValue::Bool(false),
        Some('F') => OptionValue::Function,
        Some('l') => {
            let mut items = Vec::new();
            let mut rest = rest;
            while let Some((item, tail)) = rest.split_once('\u{1}') {
                items.push(unescape(item)?);
                rest = tail;
            }
            if !rest.is_empty() {
                return Err(malformed());
            }
            OptionValue::StringList(items)
        }
        Some('L') => OptionValue::TooLong,
        Some(_) => OptionValue::Other,
    })
}

/// Decodes a whole options object.
pub(super) fn decode(records: &str) -> Result<Vec<(String, OptionValue)>> {
    let mut out = Vec::new();
    let mut fields = records.split('\u{0}');
    while let Some(key) = fields.next() {
        if key.is_empty() && fields.clone().next().is_none() {
            break;
        }
        let value = fields.next().ok_or_else(malformed)?;
        out.push((unescape(key)?, decode_value(value)?));
    }
    Ok(out)
}
