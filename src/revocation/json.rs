//! Just enough JSON (RFC 8259) for an OAuth 2.0 error answer
//! (RFC 6749 §5.2): the top-level string members `error` and
//! `error_description` of a well-formed object.
//!
//! The core has no JSON dependency (it is `no_std`, and parts of it ship to
//! browsers), so this is a strict reader of the whole grammar that keeps
//! only the two members: a body that `JSON.parse` would refuse reads as
//! "not JSON", never as a half-read object.

use alloc::string::String;

/// The members of an error answer the reader keeps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ErrorFields {
    /// `error`, when it is a string.
    pub(crate) error: Option<String>,
    /// `error_description`, when it is a string.
    pub(crate) description: Option<String>,
}

/// Deepest nesting accepted, so a hostile body cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// Parses `text` as one JSON object and returns the members we need;
/// `None` when it is not a well-formed JSON object.
pub(crate) fn read_error_object(text: &str) -> Option<ErrorFields> {
    let mut r = Reader {
        bytes: text.as_bytes(),
        pos: 0,
    };
    // fetch's `text()` strips a UTF-8 byte order mark; do the same natively.
    if r.bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        r.pos = 3;
    }
    r.ws();
    let mut fields = ErrorFields::default();
    r.object(0, Some(&mut fields))?;
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
            _ => self.number(),
        }
    }

    fn object(&mut self, depth: usize, mut keep: Option<&mut ErrorFields>) -> Option<()> {
        self.members(depth, b'{', b'}', |p| {
            let key = p.string()?;
            p.ws();
            p.eat(b':')?;
            p.ws();
            let slot = match (keep.as_deref_mut(), key.as_str()) {
                (Some(fields), "error") => Some(&mut fields.error),
                (Some(fields), "error_description") => Some(&mut fields.description),
                _ => None,
            };
            match slot {
                // A repeated member: the last one wins, as in `JSON.parse`.
                Some(slot) if p.peek() == Some(b'"') => *slot = Some(p.string()?),
                Some(slot) => {
                    p.value(depth + 1)?;
                    *slot = None;
                }
                None => p.value(depth + 1)?,
            }
            Some(())
        })
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        self.members(depth, b'[', b']', |p| p.value(depth + 1))
    }

    /// `open`, then `member`s separated by commas, then `close`: the frame
    /// of an object and of an array, nested below `MAX_DEPTH`.
    fn members(
        &mut self,
        depth: usize,
        open: u8,
        close: u8,
        mut member: impl FnMut(&mut Self) -> Option<()>,
    ) -> Option<()> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.eat(open)?;
        self.ws();
        if self.peek() == Some(close) {
            self.pos += 1;
            return Some(());
        }
        loop {
            self.ws();
            member(self)?;
            self.ws();
            match self.bump()? {
                b',' => continue,
                b if b == close => return Some(()),
                _ => return None,
            }
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.bump()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.digit()?;
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.digit()?;
            self.digits();
        }
        Some(())
    }

    fn digit(&mut self) -> Option<()> {
        self.bump().filter(u8::is_ascii_digit).map(drop)
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let end = self.pos.checked_add(4)?;
        let text = core::str::from_utf8(self.bytes.get(self.pos..end)?).ok()?;
        if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.pos = end;
        u32::from_str_radix(text, 16).ok()
    }

    fn string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while self
                .peek()
                .is_some_and(|b| b != b'"' && b != b'\\' && b >= 0x20)
            {
                self.pos += 1;
            }
            // The input is a `&str` and the run stops at ASCII bytes, so
            // both ends are character boundaries.
            out.push_str(core::str::from_utf8(self.bytes.get(start..self.pos)?).ok()?);
            match self.bump()? {
                b'"' => return Some(out),
                b'\\' => {}
                _ => return None, // a raw control character
            }
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
                    let first = self.hex4()?;
                    let code = if (0xD800..0xDC00).contains(&first) {
                        self.eat(b'\\')?;
                        self.eat(b'u')?;
                        let second = self.hex4()?;
                        if !(0xDC00..0xE000).contains(&second) {
                            return None;
                        }
                        0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    } else {
                        first
                    };
                    // A lone surrogate is not a character: refuse it.
                    char::from_u32(code)?
                }
                _ => return None,
            };
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(error: Option<&str>, description: Option<&str>) -> Option<ErrorFields> {
        Some(ErrorFields {
            error: error.map(String::from),
            description: description.map(String::from),
        })
    }

    #[test]
    fn reads_the_two_members_of_well_formed_objects() {
        let table: &[(&str, Option<ErrorFields>)] = &[
            (
                r#"{"error":"invalid_client"}"#,
                fields(Some("invalid_client"), None),
            ),
            (
                " \u{feff}{\"error\":\"x\"}",
                None, // a BOM after white space is not JSON
            ),
            ("\u{feff}{\"error\":\"x\"}", fields(Some("x"), None)),
            (
                r#"{"error_description":"bad \"token\" \u00e9\ud83d\ude00","error":"invalid_request","x":[1,-2.5e3,{"a":null}],"y":true}"#,
                fields(Some("invalid_request"), Some("bad \"token\" é😀")),
            ),
            (r#"{"error":1}"#, fields(None, None)),
            (r#"{"error":"a","error":"b"}"#, fields(Some("b"), None)),
            (r#"{"error":"a","error":null}"#, fields(None, None)),
            ("{}", fields(None, None)),
            (r#"{"nested":{"error":"x"}}"#, fields(None, None)),
            (r#"["error"]"#, None),
            (r#""error""#, None),
            ("", None),
            ("<html>Bad Request</html>", None),
            (r#"{"error":"x"} trailing"#, None),
            (r#"{"error":"x",}"#, None),
            (r#"{"error":"a\u0"}"#, None),
            (r#"{"error":"\ud800"}"#, None),
            ("{\"error\":\"a\nb\"}", None),
            (r#"{"n":01}"#, None),
            (r#"{"n":1.}"#, None),
            (r#"{"n":-}"#, None),
        ];
        for (body, want) in table {
            assert_eq!(&read_error_object(body), want, "{body}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = alloc::format!("{{\"a\":{}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(read_error_object(&deep), None);
    }
}
