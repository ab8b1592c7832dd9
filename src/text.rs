//! Byte-level string helpers shared by the rules.
//!
//! The size-bound browser build links every helper it calls, so searches
//! here are plain byte loops (the `str` searchers would bring a general
//! string-search algorithm), and lists of names and messages are joined
//! strings read with [`piece`] instead of tables of `&str`.

use alloc::string::String;

/// `text` cut to at most `max` bytes (on a character boundary), with `…`
/// after a cut: a server's message quoted in an error stays short.
pub(crate) fn shortened(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

/// The first position of the byte `b` in `s`.
pub(crate) fn find_byte(s: &str, b: u8) -> Option<usize> {
    s.bytes().position(|x| x == b)
}

/// The last position of the byte `b` in `s`.
pub(crate) fn rfind_byte(s: &str, b: u8) -> Option<usize> {
    s.bytes().rposition(|x| x == b)
}

/// The `n`th of the pieces of `joined` that each end with the byte `end`;
/// `""` when there are fewer.
///
/// A list kept as one string, every entry followed by a NUL, costs the
/// browser build one byte per entry where a table of `&str` costs a
/// pointer and a length, eight bytes that compress poorly (the benchmark
/// app measured it on the messages, the option names and the OpenID Connect
/// field names together). [`crate::url_parser::UrlParts`] reads its parts with it too.
pub fn piece(joined: &str, end: u8, n: usize) -> &str {
    let mut start = 0;
    let mut seen = 0;
    for (i, b) in joined.bytes().enumerate() {
        if b == end {
            if seen == n {
                return joined.get(start..i).unwrap_or("");
            }
            seen += 1;
            start = i + 1;
        }
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_are_found_by_index() {
        assert_eq!(piece("a\0bc\0\0d\0", 0, 1), "bc");
        assert_eq!(piece("a\0bc\0\0d\0", 0, 2), "");
        assert_eq!(piece("a\0bc\0\0d\0", 0, 3), "d");
        assert_eq!(piece("a\0bc\0\0d\0", 0, 4), "");
        assert_eq!(
            piece("a\nb", b'\n', 1),
            "",
            "an unterminated piece is not one"
        );
    }

    #[test]
    fn bytes_are_found_from_either_end() {
        assert_eq!(find_byte("a:b:c", b':'), Some(1));
        assert_eq!(rfind_byte("a:b:c", b':'), Some(3));
        assert_eq!(find_byte("abc", b':'), None);
        assert_eq!(rfind_byte("", b':'), None);
    }
}
