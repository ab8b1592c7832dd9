// `logoutResponse` and `revokeTokens` over the server-side WebAssembly
// module (the admin entry's, which also holds the server's exports), for
// any way of getting that module. Every rule — which requests may log the
// user out, how cookies are deleted, where the browser goes, how tokens are
// revoked — is the Rust core's; this file reads the Web Request, draws the
// CSP nonce, hands both over, and builds the Web Response from the plan it
// gets back. Whatever goes wrong reaches the caller as the package's
// GenAuthError (the class `genauth-logout` exports), before any Response
// exists.
import { initSync, logoutPlan, revokeTokens as wasmRevokeTokens } from "../admin/glue.js";
import { fromModule, lazyModule } from "../admin/facade.js";
import { GenAuthError } from "../error.js";

export { GenAuthError };

const invalid = (message) => new GenAuthError("invalid_option", message);

// 18 random bytes: 24 base64 characters, 144 bits (CSP Level 3 asks for 128).
function nonce() {
  const bytes = new Uint8Array(18);
  globalThis.crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

// The request's method and the headers the cross-site decision reads
// (never Host: it is whatever the client sent).
function requestFacts(request) {
  if (
    request === null ||
    typeof request !== "object" ||
    typeof request.method !== "string" ||
    typeof request.headers?.get !== "function"
  ) {
    throw invalid("logoutResponse(request, options): request must be a Fetch API Request");
  }
  const header = (name) => request.headers.get(name) ?? undefined;
  return [
    request.method,
    header("origin"),
    header("sec-fetch-site"),
    header("sec-fetch-mode"),
    header("sec-fetch-dest"),
  ];
}

/**
 * Defines the server entry over the module `loadModule()` returns: a
 * `WebAssembly.Module` (runtimes that import `.wasm` files) or its bytes
 * (compiled here). Called on first use; after a failure, the next call
 * tries again.
 */
export function defineServer(loadModule) {
  const load = lazyModule(loadModule, "genauth-logout/server");

  /**
   * The answer of a logout endpoint: `303` to the logout URL with the named
   * cookies deleted (or the form page of a form-POST logout), or `403`/`405`
   * for a request that may not log the user out, which touches nothing.
   */
  function logoutResponse(request, options) {
    const facts = requestFacts(request);
    if (typeof Response !== "function") {
      throw invalid("this runtime has no global Response (the Fetch API's)");
    }
    load();
    let plan;
    try {
      plan = logoutPlan(...facts, options, nonce());
    } catch (e) {
      throw fromModule(e);
    }
    return new Response(plan.body, { status: plan.status, headers: plan.headers });
  }

  /**
   * Revokes the refresh token, then the access token (RFC 7009), as a
   * confidential client. Resolves with each token's outcome; rejects only
   * for bad options, before any request.
   */
  async function revokeTokens(options) {
    load();
    try {
      return await wasmRevokeTokens(options);
    } catch (e) {
      throw fromModule(e);
    }
  }

  return { logoutResponse, revokeTokens };
}
