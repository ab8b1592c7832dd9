// The one error class of the package, shared by `genauth-logout` and
// `genauth-logout/admin` so `instanceof GenAuthError` works for both.
export class GenAuthError extends Error {
  constructor(code, message, extra) {
    super(message);
    this.name = "GenAuthError";
    this.code = code;
    if (extra?.status !== undefined) this.status = extra.status;
    if (extra?.apiCode !== undefined) this.apiCode = extra.apiCode;
  }
}

// Errors leave wasm as plain `Error`s named GenAuthError with a `code`; give
// them the exported class. Anything else (a throwing `navigate` callback) is
// passed through untouched.
export function toGenAuthError(e) {
  if (e instanceof GenAuthError || !e || e.name !== "GenAuthError") return e;
  return new GenAuthError(e.code, e.message, e);
}
