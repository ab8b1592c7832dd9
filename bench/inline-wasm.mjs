// Finds the WebAssembly modules a bundled JavaScript file carries inline, so
// the size and admin-marker checks see their bytes however they are stored:
//
// * base64 runs (they start "AGFzbQ", the "\0asm" magic);
// * string or template literals holding one byte per character, as they are
//   or XOR-masked with one byte up to the data section. genauth-logout ships
//   its browser module so (xtask/src/pkg.rs says why): since every module
//   starts with a zero byte, a literal's first character is its mask, and
//   walking the sections finds where the mask stops (at a data section, whose
//   id byte, 11, is stored as it is).
//
// Literals are looked for at every quote and backtick and read only as far
// as needed, so no regular expression has to pair quotes across a minified
// file.

const MAGIC = [0x00, 0x61, 0x73, 0x6d]; // "\0asm"
const VERSION = [0x01, 0x00, 0x00, 0x00];

/** Every inlined module in `text`: `{ index, form, bytes }`. */
export function inlinedModules(text) {
  const found = [];
  for (const m of text.matchAll(/AGFzbQ[A-Za-z0-9+/]*={0,2}/g)) {
    found.push({ index: m.index, form: "base64", bytes: Buffer.from(m[0], "base64") });
  }
  for (let i = 0; i < text.length; i++) {
    const quote = text[i];
    if (quote !== "`" && quote !== '"' && quote !== "'") continue;
    const head = readLiteral(text, i + 1, quote, 8);
    if (!head || head.chars.length < 8) continue;
    const mask = head.chars[0];
    const bytes = head.chars.map((c) => c ^ mask);
    if (mask > 255 || !MAGIC.concat(VERSION).every((b, k) => bytes[k] === b)) continue;
    const whole = readLiteral(text, i + 1, quote, Infinity);
    if (!whole || whole.chars.some((c) => c > 255)) continue;
    found.push({
      index: i,
      form: mask ? `escaped string, XOR ${mask}` : "escaped string",
      bytes: unmask(whole.chars, mask),
    });
    i = whole.end;
  }
  return found;
}

/**
 * Reads the literal whose body starts at `at` and ends at `quote`: its
 * character codes (at most `limit`) and where it ends; null when it is not
 * a well-formed literal.
 */
function readLiteral(text, at, quote, limit) {
  const chars = [];
  let i = at;
  while (chars.length < limit) {
    if (i >= text.length) return null;
    const c = text[i];
    if (c === quote) return { chars, end: i };
    if (c !== "\\") {
      if ((c === "\n" || c === "\r") && quote !== "`") return null;
      chars.push(text.codePointAt(i));
      i += c.codePointAt(0) > 0xffff ? 2 : 1;
      continue;
    }
    const e = text[i + 1];
    i += 2;
    if (e === "x") {
      chars.push(parseInt(text.slice(i, i + 2), 16));
      i += 2;
    } else if (e === "u") {
      const braced = text[i] === "{";
      const close = braced ? text.indexOf("}", i) : i + 4;
      chars.push(parseInt(text.slice(braced ? i + 1 : i, close), 16));
      i = braced ? close + 1 : close;
    } else if (e === "\n") {
      // A line continuation adds nothing.
    } else {
      const simple = { 0: 0, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13 }[e];
      chars.push(simple ?? e.codePointAt(0));
    }
    if (Number.isNaN(chars[chars.length - 1])) return null;
  }
  return { chars, end: i };
}

/**
 * The module whose bytes (`chars`, one per character) are XOR-ed with
 * `mask` before its data section and stored as they are from there on. The
 * sections are walked on the unmasked bytes; a section that does not read
 * as one (a probe, or an unknown layout) ends the walk with the rest masked.
 */
function unmask(chars, mask) {
  const bytes = Buffer.from(chars.map((c) => c ^ mask));
  let at = 8;
  while (mask && at < bytes.length) {
    if (chars[at] === 11) {
      // The data section: stored as it is, up to the end. (No masked id
      // reads as 11: xtask refuses a mask for which 11 ^ mask is an id.)
      for (let k = at; k < bytes.length; k++) bytes[k] = chars[k];
      break;
    }
    if (bytes[at] > 13) break;
    let size = 0;
    let next = at + 1;
    for (let shift = 0; ; shift += 7) {
      if (next >= bytes.length || shift > 28) return bytes;
      const b = bytes[next++];
      size += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    at = next + size;
  }
  return bytes;
}
