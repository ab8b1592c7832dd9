#!/usr/bin/env python3
"""Writes the committed seed corpora under fuzz/corpus/<target>/.

The input formats are documented in fuzz/src/invariants.rs (Scenario::from_bytes)
and fuzz/src/js_options.rs (Call::from_bytes): fields separated by the byte 0xFF.
Run from anywhere: python3 fuzz/seeds.py
"""
import hashlib
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SEP = b"\xff"


def write(target, blobs):
    out = os.path.join(HERE, "corpus", target)
    os.makedirs(out, exist_ok=True)
    for blob in blobs:
        name = "seed-" + hashlib.sha1(blob).hexdigest()[:16]
        with open(os.path.join(out, name), "wb") as f:
            f.write(blob)


def scenario(flags, app, redirect=b"", idt=b"", state=b"", cid=b"", hint=b"", ui=b"",
             ccid=b"", endpoint=b"", allowed=()):
    fields = [bytes(flags), app, redirect, idt, state, cid, hint, ui, ccid, endpoint, *allowed]
    return SEP.join(f if isinstance(f, bytes) else f.encode() for f in fields)


# flags byte 0: bit7 redirect given; bits0-1 protocol (1 oidc, 2 cas); bit4 POST
# flags byte 1: bit0 idTokenHint, 1 state, 2 clientId, 3 logoutHint, 4 uiLocales,
#               5 config clientId, 6 endSessionEndpoint, 7 allowed list
# flags byte 2: 0 no page, 1 page = redirect's origin, 2.. PAGE_ORIGINS
R = 0x80
redirects = [
    "https://app.example.com/after", "https://app.example.com/a?b=c&d=é#frag",
    "/after?x=1", "//evil.example/", "/\\evil.example", "\\\\evil.example",
    "https:\\\\evil.example", "java\tscript:alert(1)", "JaVaScRiPt:alert(1)",
    " javascript:alert(1)", "https://user:pw@app.example.com/", "https://@app.example.com",
    "https://аpp.example.com/", "https://xn--pp-8cd.example.com/", "https://app.example.com/%2e%2e/x",
    "https://app.example.com.evil.example/", "http://[::1]:8080/", "http://127.0.0.1:8080/x",
    "https://0x7f.1/", "data:text/html,hi", "https:evil.example", "https://app.example.com\u2028",
    "\u00a0https://app.example.com/", "https://app.example.com/\u0000", "https://😀.example/😀",
    "https://app.example.com:443/", "HTTPS://APP.EXAMPLE.COM/X", "/%2F%2Fevil.example",
    "/.%2e/", "https://app.example.com/" + "a" * 300,
]
apps = ["myapp.genauth.ai", "https://myapp.genauth.ai/", "http://localhost:3000",
        "http://[::1]:8080/", "MyApp.GenAuth.AI", "https://xn--mnchen-3ya.de", "münchen.de",
        "https://user@myapp.genauth.ai", "myapp.genauth.ai/path", "http://myapp.genauth.ai",
        "1.2.3.4", "0x7f.1", "myapp..genauth.ai", "[::1]", "a_b.example"]

blobs = []
for i, r in enumerate(redirects):
    page = [0, 1, 2, 3, 4, 5][i % 6]
    blobs.append(scenario([R | (i % 3), 0, page], apps[i % 4], r))
for a in apps:
    blobs.append(scenario([0, 0, 0], a))
blobs.append(scenario([R | 1, 0b01111111, 1], "myapp.genauth.ai", "https://rp.example/cb",
                      "eyJhbGciOi.x.y", "st&=#ate é", "client 1", "alice@example.com", "fr en",
                      "cfg-client", "https://idp.example/oidc/end?tenant=a"))
blobs.append(scenario([R | 1 | 0x10, 0b01000000, 0], "myapp.genauth.ai", "https://rp.example/cb",
                      endpoint="https://idp.example/end#frag"))
blobs.append(scenario([R, 0x80, 0], "myapp.genauth.ai", "https://b.example/x",
                      allowed=["https://a.example", "https://b.example/"]))
blobs.append(scenario([R, 0x80, 2], "myapp.genauth.ai", "https://b.example/x",
                      allowed=["https://a.example/path", "javascript:alert(1)"]))
blobs.append(scenario([R | 0x20 | 0x40, 0b00000011, 1], "myapp.genauth.ai",
                      "https://app.example.com/", "tok", "s"))
write("logout_url", blobs)

# js_options: first token picks the page; then tag name 0xFE value tokens.
def tok(tag, name, value=b""):
    v = value if isinstance(value, bytes) else value.encode()
    return bytes([tag]) + name.encode() + b"\xfe" + v

STR, BOOL, LIST, FUNC, OTHER, UNDEF = 1, 2, 3, 4, 5, 0
P, RD = 8, 16
js = [
    [tok(STR, "appDomain", "myapp.genauth.ai"), tok(RD | STR, "", "https://app.example.com/")],
    [tok(STR, "appDomain", "myapp.genauth.ai"), tok(STR, "redirectUri", "x")],
    [tok(STR, "appDomain", "myapp.genauth.ai"), tok(P | STR, "redirect_uri", "x")],
    [tok(OTHER, "appDomain")],
    [tok(STR, "appDomain", "a.example"), tok(STR, "protocol", "oidc"),
     tok(P | STR, "state", "s"), tok(P | STR, "idTokenHint", "t"), tok(RD | STR, "", "/after")],
    [tok(STR, "appDomain", "a.example"), tok(LIST, "allowedRedirectOrigins", b"https://x.example\xfdhttps://y.example/"),
     tok(RD | STR, "", "https://y.example/cb")],
    [tok(STR, "appDomain", "a.example"), tok(FUNC, "navigate"), tok(BOOL, "replace", "1"),
     tok(LIST, "clearStorageKeys", b"token\xfdid_token"), tok(STR, "channelName", "c")],
    [tok(STR, "appDomain", "a.example"), tok(STR, "method", "post"), tok(STR, "protocol", "oidc"),
     tok(STR, "endSessionEndpoint", "https://idp.example/end")],
    [tok(STR, "appDomain", "a.example"), tok(RD | OTHER, "")],
    [tok(STR, "appDomain", "a.example"), tok(UNDEF, "protocol"), tok(P | UNDEF, "state")],
    [tok(STR, "appDomain", "a.example"), tok(STR, "appDomain", "b.example")],
    [tok(STR, "appDomain", "a.example"), tok(STR, "__proto__", "x")],
]
write("js_options", [bytes([i % 5]) + SEP + SEP.join(t) for i, t in enumerate(js)])

enc = ["", "abc", "a b&c=é", "-_.!~*'()", "😀\U0010ffff\ue000\ufdd0\uffff", "%41%", "\x00\x7f\x80",
       "https://app.example.com/a?b=c#d", "中文 テスト", "\u2028\u2029"]
write("encode_component", [e.encode() for e in enc] + [b"\xed\xa0\x80", b"\xff\xfe"])
