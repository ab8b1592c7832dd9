// genauth-logout/admin: the administrator's force-logout API for servers.
// Every rule (request, answer table, retries, options) lives in the Rust core
// compiled to the inlined WebAssembly module beside this file; this facade
// loads it on first use and gives its errors the package's GenAuthError class
// (the same class object `genauth-logout` exports).
import { initSync, AdminClient as WasmAdminClient } from "./glue.js";
import { wasmBytes } from "./wasm.js";
import { GenAuthError, toGenAuthError } from "../error.js";

export { GenAuthError };

let loaded = false;

function load() {
  if (!loaded) {
    initSync({ module: wasmBytes });
    loaded = true;
  }
}

/**
 * Forces users offline: `POST <appDomain>/api/applications/:appId/kick-active-users`.
 * The token stays inside the WebAssembly instance: this object has no
 * enumerable state, so `JSON.stringify`, `util.inspect` and `console.log`
 * cannot show it.
 */
export class AdminClient {
  #inner;

  constructor(options) {
    try {
      load();
      this.#inner = new WasmAdminClient(options);
    } catch (e) {
      throw toGenAuthError(e);
    }
  }

  async kickActiveUsers(appId, userIds, options) {
    try {
      return await this.#inner.kickActiveUsers(appId, userIds, options);
    } catch (e) {
      throw toGenAuthError(e);
    }
  }

  get [Symbol.toStringTag]() {
    return "AdminClient";
  }
}
