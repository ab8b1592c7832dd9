// The `AdminClient` class over wasm-bindgen's glue, for any way of getting
// the WebAssembly module. Every rule (request, answer table, retries,
// options) lives in the Rust core behind the module; this file only loads
// the module on first use and makes sure that whatever goes wrong reaches
// the caller as the package's GenAuthError (the same class object
// `genauth-logout` exports), never as a ReferenceError, a CompileError or
// at import time.
import { initSync, AdminClient as WasmAdminClient } from "./glue.js";
import { GenAuthError, toGenAuthError } from "../error.js";

export { GenAuthError };

export const unavailable = (message, cause) => {
  const error = new GenAuthError("wasm_unavailable", message);
  if (cause !== undefined) {
    Object.defineProperty(error, "cause", { value: cause, configurable: true, writable: true });
  }
  return error;
};

// Why the module could not be compiled or instantiated, in words that say
// what to change. The engines' own texts: V8 in a page with a CSP names the
// policy; workerd (and any V8 embedder that disallows code generation) says
// "Wasm code generation disallowed by embedder"; Firefox says "blocked by CSP".
export function loadFailure(e) {
  const text = String(e?.message ?? e);
  if (/Content.Security.Policy|\bCSP\b/i.test(text)) {
    return unavailable(
      "the page's Content-Security-Policy refuses to compile WebAssembly (script-src needs " +
        `'wasm-unsafe-eval'): ${text}`,
      e,
    );
  }
  if (/code generation|disallowed by embedder/i.test(text)) {
    return unavailable(
      "this runtime refuses to compile WebAssembly from bytes (code generation is disallowed); " +
        "it must be given the precompiled module, dist/admin/genauth_logout_admin_bg.wasm, " +
        `imported as a WebAssembly.Module: ${text}`,
      e,
    );
  }
  return unavailable(`the WebAssembly module could not be loaded: ${text}`, e);
}

// An error out of the module: the core's own (named GenAuthError) gets the
// exported class; anything else is a trap inside the module.
export const fromModule = (e) =>
  e?.name === "GenAuthError"
    ? toGenAuthError(e)
    : unavailable(`the WebAssembly module failed: ${String(e?.message ?? e)}`, e);

// A WebAssembly.Module made in another JavaScript realm. Next.js's edge
// runtime compiles a route's `.wasm` imports outside the sandbox its code
// runs in, so the module it hands over fails the glue's `instanceof
// WebAssembly.Module` (and would then be taken for bytes), although
// `new WebAssembly.Instance` accepts it: given this realm's prototype, it
// passes as what it is.
const isForeignModule = (value) =>
  value !== null && typeof value === "object" && Object.prototype.toString.call(value) === "[object WebAssembly.Module]";

/**
 * The module's loader, for both server-side entries (they share one
 * module): on first use it compiles or adopts what `loadModule()` returns
 * (a `WebAssembly.Module`, one from another realm, or its bytes) and
 * initialises the glue; after a failure, the next use tries again.
 * `entry` names the package entry in the error for a runtime without
 * WebAssembly.
 */
export function lazyModule(loadModule, entry) {
  let ready = false;
  return function load() {
    if (ready) return;
    if (typeof WebAssembly !== "object" || WebAssembly === null || typeof WebAssembly.Module !== "function") {
      throw unavailable(
        "this JavaScript runtime has no WebAssembly (as under node --jitless, or in an engine " +
          `built without it), and ${entry} runs its core as WebAssembly`,
      );
    }
    try {
      let module = loadModule();
      if (!(module instanceof WebAssembly.Module)) {
        module = isForeignModule(module)
          ? Object.setPrototypeOf(module, WebAssembly.Module.prototype)
          : new WebAssembly.Module(module);
      }
      initSync({ module });
    } catch (e) {
      throw loadFailure(e);
    }
    ready = true;
  };
}

/**
 * Defines `AdminClient` over the module `loadModule()` returns: a
 * `WebAssembly.Module` (runtimes that import `.wasm` files) or its bytes
 * (compiled here). Called once, on the first `new AdminClient`; after a
 * failure, the next construction tries again.
 */
export function defineAdminClient(loadModule) {
  const load = lazyModule(loadModule, "genauth-logout/admin");

  /**
   * Forces users offline: `POST <appDomain>/api/applications/:appId/kick-active-users`.
   * The token stays inside the WebAssembly instance: this object has no
   * enumerable state, so `JSON.stringify`, `util.inspect` and `console.log`
   * cannot show it.
   */
  class AdminClient {
    #inner;

    constructor(options) {
      load();
      try {
        this.#inner = new WasmAdminClient(options);
      } catch (e) {
        throw fromModule(e);
      }
    }

    async kickActiveUsers(appId, userIds, options) {
      try {
        return await this.#inner.kickActiveUsers(appId, userIds, options);
      } catch (e) {
        throw fromModule(e);
      }
    }

    get [Symbol.toStringTag]() {
      return "AdminClient";
    }
  }

  return AdminClient;
}
