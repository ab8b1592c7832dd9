// The browser module's boundary, the JavaScript side. The Rust side, which
// documents the ABI, the operations and the record and answer formats, is
// pkg-template/browser/src/wire.rs; its tests read this file and check that
// both sides agree.
//
// A block is a u32 length, then the bytes: strings cross as WTF-8, encoded
// and decoded here, with no TextEncoder or TextDecoder.
import { platform } from "./platform.js";
import { instantiate } from "./load.js";
import { GenAuthError } from "./error.js";
import { MAX_KEYS, MAX_LEN, MAX_ITEMS } from "./limits.js";

export { MAX_KEYS };

// Operations.
export const ORIGIN = 0;
export const PERSONAL_CENTER = 1;
export const LOGOUT_URL = 2;
export const PLAN = 3;
export const PLAN_WITHOUT_DOCUMENT = 4;
// A plan's kind.
export const ASSIGN = "A";
export const REPLACE = "R";
export const NAVIGATE = "N";
export const POST = "P";

let wasm;

// `s` in a new block, for the module to take: WTF-8, written code point by
// code point (a lone surrogate too, which the core then refuses).
function put(s) {
  const block = wasm.a(s.length * 3);
  const bytes = new Uint8Array(wasm.memory.buffer);
  let at = block + 4;
  for (const ch of s) {
    const c = ch.codePointAt(0);
    // How many continuation bytes follow the first (six bits each).
    let n = c < 128 ? 0 : c < 2048 ? 1 : c < 65536 ? 2 : 3;
    bytes[at++] = n ? 65408 >> n | c >> 6 * n : c;
    while (n) bytes[at++] = 128 | c >> 6 * --n & 63;
  }
  new Uint32Array(bytes.buffer, block, 1)[0] = at - block - 4;
  return block;
}

// A block from the module (UTF-8), read.
function take(block) {
  const bytes = new Uint8Array(wasm.memory.buffer);
  const end = block + 4 + new Uint32Array(bytes.buffer, block, 1)[0];
  let s = "";
  for (let at = block + 4; at < end; ) {
    let c = bytes[at++];
    let n = c < 128 ? 0 : c < 224 ? 1 : c < 240 ? 2 : 3;
    if (n) c &= 63 >> n;
    while (n--) c = c << 6 | bytes[at++] & 63;
    s += String.fromCodePoint(c);
  }
  return s;
}

const imports = { p: { p: (op, block) => put(platform(op, take(block))) } };

// The loader's error names why the module cannot run here and what to do
// instead (each runtime's load.js knows its own causes).
const unavailable = (e) => new GenAuthError("wasm_unavailable", e?.message);

// Asks the core about a configuration: [`op`, config records, page origin,
// redirect record, params records]. The module is instantiated on the first
// call; an answer `!code\nmessage` throws that GenAuthError.
export function ask(op, config, page, redirect = "", params = "") {
  let out;
  if (!wasm) {
    try {
      // The core parses URLs with the platform's URL: without it, nothing
      // would parse and every call would fail as a bad input.
      if (typeof globalThis.URL != "function") throw Error("no global URL in this runtime: load a URL polyfill");
      wasm = instantiate(imports);
    } catch (e) {
      throw unavailable(e);
    }
  }
  try {
    // Nothing lives in the module between calls: its heap starts over.
    wasm.r();
    out = take(wasm.c(op, put(config), put(page), put(redirect), put(params)));
  } catch (e) {
    // The core answers errors; a throw is a trap (out of memory, a bug) or
    // a failing platform, after which the instance's heap cannot be
    // trusted: it is dropped so the next call starts afresh.
    wasm = undefined;
    throw new GenAuthError("wasm_unavailable", "the WebAssembly module failed: " + e?.message);
  }
  if (out[0] == "!") {
    // `!code\nmessage`; the message may itself hold newlines.
    const [code, message] = out.slice(1).split(/\n([^]*)/);
    throw new GenAuthError(code, message);
  }
  return out;
}

// A string in a record: its length in UTF-16 units, ":", the string.
const str = (s) => s.length + ":" + s;

// One value as [tagged record, the value to keep]. Strings go as they are:
// the core refuses one with a lone surrogate.
export function tag(v) {
  if (!Array.isArray(v)) {
    return [
      v === undefined ? "u"
      : typeof v == "boolean" ? (v ? "t" : "f")
      : typeof v == "function" ? "F"
      : typeof v != "string" ? "o"
      : v.length > MAX_LEN ? "L"
      : "s" + str(v),
      v,
    ];
  }
  // A list of strings, copied (each item read once) so later changes to the
  // caller's array cannot reach what the core accepted.
  const n = v.length;
  if (n > MAX_ITEMS) return ["o"];
  const items = [];
  let out = "l" + n + ":";
  for (let i = 0; i < n; i++) {
    const item = items[i] = v[i];
    if (typeof item != "string" || item.length > MAX_LEN) return ["o"];
    out += str(item);
    // A list is copied into wasm only up to the size of one long string.
    if (out.length > MAX_LEN) return ["L"];
  }
  return [out, items];
}

// A key and its tagged value. The core names an unknown key in its error,
// cut short; a key is copied in up to MAX_LEN units, like any string.
export const keyed = (key, t) => str(key.slice(0, MAX_LEN)) + t;
