// The platform's WHATWG URL parser for the Rust core (src/platform_url.rs):
// the parts it needs, each followed by "\n", so one call crosses the
// boundary instead of eight. "" means the parser failed.
export function urlParts(input) {
  try {
    const u = new URL(input);
    return [u.protocol, u.username, u.password, u.hostname, u.pathname, u.search, u.hash, u.origin, ""].join("\n");
  } catch {
    return "";
  }
}
