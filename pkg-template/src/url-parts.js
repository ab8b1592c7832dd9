// The platform's WHATWG URL parser for the Rust core: the parts it needs, in
// one string, so one call crosses the boundary instead of nine.
export function urlParts(input) {
  let u;
  try {
    u = new URL(input);
  } catch {
    return "";
  }
  return [u.protocol, u.username, u.password, u.hostname, u.host, u.pathname, u.search, u.hash, u.origin].join("\n");
}
