//! How a URL is written: its scheme and authority as the text reads.
//!
//! Every URL option is checked twice: here on the text the caller wrote,
//! as any reader of that text would split it (RFC 3986 or WHATWG, with or
//! without a base URL), and then by the WHATWG parser for what it means. A
//! form the two kinds of reader split differently is refused here, so the
//! parser's answer is about the same URL everyone else sees.

use crate::text::{find_byte, rfind_byte};

/// Splits a leading `https://` or `http://` (in any ASCII case) from `s`:
/// the scheme in lower case and the rest.
pub(crate) fn split_http_scheme(s: &str) -> Option<(&'static str, &str)> {
    ["https://", "http://"].into_iter().find_map(|scheme| {
        let head = s.get(..scheme.len())?;
        head.eq_ignore_ascii_case(scheme)
            .then(|| (scheme, s.get(scheme.len()..).unwrap_or("")))
    })
}

/// Whether a serialized WHATWG host is a loopback host that may use `http:`.
// An inlining hint measured smaller on the benchmark app (README, size).
#[inline(never)]
pub(crate) fn is_loopback_host(hostname: &str) -> bool {
    matches!(hostname, "localhost" | "127.0.0.1" | "[::1]")
}

/// Where the host ends in `authority` (`host[:port]`): after the `]` of an
/// IPv6 address, else at the last `:`.
pub(crate) fn host_end(authority: &str) -> usize {
    if authority.starts_with("[") {
        find_byte(authority, b']').map_or(authority.len(), |i| i + 1)
    } else {
        rfind_byte(authority, b':').unwrap_or(authority.len())
    }
}

/// Whether `authority` is `host[:port]` in the characters a registered domain,
/// an IPv4 address or a bracketed IPv6 address can have. The WHATWG parser
/// would accept more (and rewrite it); we refuse rather than guess.
pub(crate) fn is_plain_authority(authority: &str) -> bool {
    let (host, port) = authority.as_bytes().split_at(host_end(authority));
    // The port: none, or `:` and one to five digits.
    if let Some((&first, digits)) = port.split_first() {
        if first != b':' || digits.is_empty() || digits.len() > 5 {
            return false;
        }
        if !digits.iter().all(u8::is_ascii_digit) {
            return false;
        }
    }
    if let [b'[', v6 @ .., b']'] = host {
        // `[` hex digits, `:` and `.` `]`.
        return !v6.is_empty()
            && v6
                .iter()
                .all(|&b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    }
    // Labels: non-empty, not starting or ending with `-`, made of ASCII
    // letters, digits, `-`, `_`, or non-ASCII (internationalized names: the
    // WHATWG parser applies IDNA and refuses what is not a valid name).
    // One pass, remembering the byte before: `.` stands for "a label starts".
    let mut before = b'.';
    for &b in host {
        let ok = match b {
            b'.' => before != b'.' && before != b'-',
            b'-' => before != b'.',
            _ => b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80,
        };
        if !ok {
            return false;
        }
        before = b;
    }
    before != b'.' && before != b'-'
}

/// The authority of an origin written `host[:port]`, with at most a trailing
/// `/`: `rest` is what follows the scheme's `//`. `None` when anything else
/// follows (a path, query, fragment, user info) or the host has characters
/// no host can have.
#[inline(always)]
pub(crate) fn bare_authority(rest: &str) -> Option<&str> {
    let authority = rest.strip_suffix("/").unwrap_or(rest);
    is_plain_authority(authority).then_some(authority)
}

/// Whether the absolute URL `url` is written in the plain form.
///
/// The string is sent as written and read again by whoever receives it,
/// possibly with a parser other than WHATWG's. Forms that WHATWG forgives
/// but reads differently from RFC 3986 (`https:host`, `https:///host`, `\\`
/// for `/` before the query) would make the two disagree about where the
/// user lands, so only the plain form is accepted: `https://` or `http://`
/// literally, then an authority without `@`. An `@` there is user info to
/// every reader, even when the user name and password are empty (WHATWG
/// then reports none, RFC 3986 an empty one), and user info is refused.
pub(crate) fn is_plainly_written(url: &str) -> bool {
    let Some((_, after_scheme)) = split_http_scheme(url) else {
        return false;
    };
    let mut in_authority = true;
    !after_scheme.starts_with("/")
        && after_scheme
            .bytes()
            // In the query and fragment `\\` and `@` are just characters.
            .take_while(|&b| b != b'?' && b != b'#')
            .all(|b| {
                in_authority &= b != b'/';
                b != b'\\' && !(in_authority && b == b'@')
            })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_form_is_the_only_one_accepted() {
        for url in [
            "https://a.example/",
            "HTTP://127.0.0.1:8080/x?y=\\@#z@",
            "https://a.example/p@q",
            "https://a.example?@b.example",
        ] {
            assert!(is_plainly_written(url), "{url}");
        }
        for url in [
            "https:a.example",
            "https:/a.example",
            "https:///a.example",
            "https:\\\\a.example",
            "https://a.example\\@b.example/",
            "https://a.example/p\\q",
            "https://@a.example/",
            "https://:@a.example/",
            "ftp://a.example/",
            "//a.example/",
        ] {
            assert!(!is_plainly_written(url), "{url}");
        }
    }

    #[test]
    fn a_bare_authority_is_host_and_port_only() {
        assert_eq!(bare_authority("a.example:8443/"), Some("a.example:8443"));
        assert_eq!(bare_authority("[::1]:1"), Some("[::1]:1"));
        for rest in [
            "a.example/x",
            "a.example//",
            "u@a.example",
            "a.example?x",
            "a..example",
            ":1",
            "a.example:123456",
        ] {
            assert_eq!(bare_authority(rest), None, "{rest}");
        }
    }
}
