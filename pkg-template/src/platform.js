// The platform's primitives for the Rust core (pkg-template/browser/src/platform.rs), all
// behind one import so that one shim crosses the boundary:
//   op 0: `new URL(input)`'s parts, each followed by "\n" ("" when the URL
//         does not parse);
//   op 1: encodeURIComponent(input) (input comes from wasm as well-formed
//         UTF-8, so it has no lone surrogate to throw on);
//   op 2: "c" when input holds a control character (Unicode Cc), else "e"
//         when it starts or ends with white space (what trim() removes),
//         else "i" when it holds white space, else "".
export function platform(op, input) {
  if (op == 1) return encodeURIComponent(input);
  if (op) return /\p{Cc}/u.test(input) ? "c" : /^\s|\s$/.test(input) ? "e" : /\s/.test(input) ? "i" : "";
  try {
    const u = new URL(input);
    return [u.protocol, u.username, u.password, u.hostname, u.pathname, u.search, u.hash, u.origin, ""].join("\n");
  } catch {
    return "";
  }
}
