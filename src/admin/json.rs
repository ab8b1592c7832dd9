//! Just enough JSON (RFC 8259) for the admin API: writing the request body and
//! reading the answer's `code` and `message`.
//!
//! The admin entry must not pull `serde_json` into a WebAssembly build, and the
//! answer is a small object, so a strict reader of the whole grammar (every
//! value is checked, only the two top-level members we need are kept) is both
//! smaller and enough. A body that is not one well-formed JSON text is
//! `invalid_response`, as `JSON.parse` would refuse it.

use alloc::string::String;

/// Appends `value` to `out` as a JSON string literal.
///
/// Escapes `"`, `\` and every control character below U+0020 (RFC 8259 §7);
/// everything else, including non-ASCII, is written as UTF-8.
pub(crate) fn write_string(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 0x0f)] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A top-level member the answer reader keeps.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct AnswerFields {
    /// The body is a JSON object (not an array, string, …).
    pub is_object: bool,
    /// `code`, when it is a number: `Some(Ok(n))` for an integer that fits an
    /// `i64`, `Some(Err(()))` for any other number.
    pub code: Option<core::result::Result<i64, ()>>,
    /// `code` is present but not a number.
    pub code_not_number: bool,
    /// `message`, when it is a string.
    pub message: Option<String>,
}

/// Deepest nesting accepted, so a hostile body cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// Parses `text` as one JSON value and returns the fields we need, or `None`
/// when it is not well-formed JSON.
pub(crate) fn read_answer(text: &str) -> Option<AnswerFields> {
    let mut r = Reader {
        bytes: text.as_bytes(),
        pos: 0,
    };
    // A UTF-8 byte order mark is not JSON (RFC 8259 §8.1), but fetch's
    // `text()` strips one anyway; do the same for native callers.
    if r.bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        r.pos = 3;
    }
    r.ws();
    let mut fields = AnswerFields::default();
    if r.peek() == Some(b'{') {
        fields.is_object = true;
        r.object(0, Some(&mut fields))?;
    } else {
        r.value(0)?;
    }
    r.ws();
    (r.pos == r.bytes.len()).then_some(fields)
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.bump()? == b).then_some(())
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.pos.checked_add(word.len())?;
        (self.bytes.get(self.pos..end)? == word).then(|| self.pos = end)
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            b'{' => self.object(depth, None),
            b'[' => self.array(depth),
            b'"' => self.string().map(drop),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number().map(drop),
        }
    }

    fn object(&mut self, depth: usize, mut keep: Option<&mut AnswerFields>) -> Option<()> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.eat(b'{')?;
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Some(());
        }
        loop {
            self.ws();
            let key = self.string()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            match (keep.as_deref_mut(), key.as_str()) {
                (Some(fields), "code") => {
                    if matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
                        fields.code = Some(self.number()?);
                        fields.code_not_number = false;
                    } else {
                        self.value(depth + 1)?;
                        fields.code = None;
                        fields.code_not_number = true;
                    }
                }
                (Some(fields), "message") => {
                    if self.peek() == Some(b'"') {
                        fields.message = Some(self.string()?);
                    } else {
                        self.value(depth + 1)?;
                        fields.message = None;
                    }
                }
                _ => self.value(depth + 1)?,
            }
            self.ws();
            match self.bump()? {
                b',' => continue,
                b'}' => return Some(()),
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.eat(b'[')?;
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Some(());
        }
        loop {
            self.ws();
            self.value(depth + 1)?;
            self.ws();
            match self.bump()? {
                b',' => continue,
                b']' => return Some(()),
                _ => return None,
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// Reads a number; `Ok` with its value when it is an integer that fits an `i64`.
    fn number(&mut self) -> Option<core::result::Result<i64, ()>> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let int_len = self.digits();
        if int_len == 0 || (int_len > 1 && self.bytes[int_start] == b'0') {
            return None;
        }
        let mut integral = true;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return None;
            }
            integral = false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return None;
            }
            integral = false;
        }
        let text = core::str::from_utf8(&self.bytes[start..self.pos]).ok()?;
        Some(if integral {
            text.parse::<i64>().map_err(drop)
        } else {
            Err(())
        })
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = char::from(self.bump()?).to_digit(16)?;
            v = v * 16 + d;
        }
        Some(v)
    }

    fn string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // The input is a `&str` and we stopped on ASCII, so this slice is UTF-8.
            out.push_str(core::str::from_utf8(&self.bytes[start..self.pos]).ok()?);
            match self.bump()? {
                b'"' => return Some(out),
                b'\\' => {
                    let c = match self.bump()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let scalar = if (0xD800..0xDC00).contains(&hi) {
                                // A surrogate pair; a lone half is kept as U+FFFD,
                                // as a JS string would render it.
                                let save = self.pos;
                                if self.literal(b"\\u").is_some() {
                                    let lo = self.hex4()?;
                                    if (0xDC00..0xE000).contains(&lo) {
                                        0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                    } else {
                                        self.pos = save;
                                        0xFFFD
                                    }
                                } else {
                                    0xFFFD
                                }
                            } else {
                                hi
                            };
                            char::from_u32(scalar).unwrap_or('\u{FFFD}')
                        }
                        _ => return None,
                    };
                    out.push(c);
                }
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(s: &str) -> String {
        let mut out = String::new();
        write_string(s, &mut out);
        out
    }

    #[test]
    fn writes_strings_as_json_literals() {
        assert_eq!(enc("plain"), "\"plain\"");
        assert_eq!(enc("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(enc("\n\r\t\u{8}\u{c}"), "\"\\n\\r\\t\\b\\f\"");
        assert_eq!(enc("\u{0}\u{1f}"), "\"\\u0000\\u001f\"");
        assert_eq!(enc("é😀\u{2028}/"), "\"é😀\u{2028}/\"");
        // Every written literal reads back to the same string.
        for s in ["", "x", "\u{7f}\u{1}\"\\", "ünï\u{10FFFF}"] {
            let doc = alloc::format!("{{\"message\":{}}}", enc(s));
            assert_eq!(
                read_answer(&doc).and_then(|f| f.message).as_deref(),
                Some(s)
            );
        }
    }

    #[test]
    fn reads_code_and_message() {
        let f = read_answer(
            " {\"code\":200,\"message\":\"Forced offline successful\",\"data\":[1,{\"a\":null}]} ",
        )
        .expect("valid");
        assert!(f.is_object);
        assert_eq!(f.code, Some(Ok(200)));
        assert_eq!(f.message.as_deref(), Some("Forced offline successful"));

        let f = read_answer("{\"code\":2.5,\"message\":1}").expect("valid");
        assert_eq!(f.code, Some(Err(())));
        assert_eq!(f.message, None);
        let f = read_answer("{\"code\":\"200\"}").expect("valid");
        assert!(f.code_not_number);
        let f = read_answer("{\"message\":\"\\u00e9\\ud83d\\ude00\\ud800x\"}").expect("valid");
        assert_eq!(f.message.as_deref(), Some("é😀\u{FFFD}x"));
        assert!(!read_answer("[1,2]").expect("valid").is_object);
        assert!(read_answer("\u{feff}{}").is_some());
    }

    #[test]
    fn refuses_malformed_json() {
        for bad in [
            "",
            "<html>",
            "{",
            "{\"code\":200,}",
            "{\"code\":01}",
            "{\"code\":200} x",
            "{'code':200}",
            "{\"a\":\"\u{1}\"}",
            "{\"a\":tru}",
            "{\"a\":\"\\x\"}",
            "[1,]",
            "-",
            "1.",
            "1e",
        ] {
            assert_eq!(read_answer(bad), None, "{bad:?}");
        }
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert_eq!(read_answer(&deep), None);
    }
}
