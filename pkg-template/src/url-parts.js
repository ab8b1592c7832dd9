// The platform's WHATWG URL parser for the Rust core (src/platform_url.rs):
// the parts it needs in one string, so one call crosses the boundary instead
// of nine. "" means the parser failed.
export function urlParts(input, base) {
  let u;
  try {
    u = base ? new URL(input, base) : new URL(input);
  } catch {
    return "";
  }
  return [u.protocol, u.username, u.password, u.hostname, u.host, u.pathname, u.search, u.hash, u.origin].join("\n");
}
