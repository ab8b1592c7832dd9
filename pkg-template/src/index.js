// genauth-logout: the browser entry. Every rule lives in the Rust core
// (compiled to the inlined WebAssembly module); this file loads it on first
// use, forwards calls, and turns its errors into GenAuthError.
import { initSync, Client } from "./main/glue.js";
import { wasmBytes } from "./main/wasm.js";
import { GenAuthError, toGenAuthError } from "./error.js";

export { GenAuthError };

let loaded = false;

// Identifies this page's listeners: a page's own logout is not "another tab".
const sender = Math.random().toString(36).slice(2) + Date.now().toString(36);

function call(fn) {
  try {
    if (!loaded) {
      initSync({ module: wasmBytes });
      loaded = true;
    }
    return fn();
  } catch (e) {
    throw toGenAuthError(e);
  }
}

/** A logout client with its own configuration. */
export class LogoutClient {
  #inner;
  constructor(config) {
    this.#inner = call(() => new Client(config));
  }
  buildLogoutUrl(redirect, params) {
    return call(() => this.#inner.buildLogoutUrl(redirect, params));
  }
  logout(redirect, params) {
    call(() => this.#inner.logout(redirect, params, sender));
  }
  personalCenterUrl() {
    return call(() => this.#inner.personalCenterUrl());
  }
  onLogout(callback) {
    if (typeof callback !== "function") {
      throw new GenAuthError("invalid_option", "onLogout needs a function");
    }
    if (typeof BroadcastChannel !== "function") return () => {};
    const origin = this.#inner.origin;
    const channel = new BroadcastChannel(this.#inner.channelName);
    channel.onmessage = (event) => {
      const data = event.data;
      if (data && data.type === "logout" && data.appDomain === origin && data.sender !== sender) {
        callback({ type: "logout", appDomain: origin });
      }
    };
    return () => channel.close();
  }
}

let current;

function configured() {
  if (!current) {
    throw new GenAuthError(
      "not_configured",
      "call configure({ appDomain }) before using genauth-logout",
    );
  }
  return current;
}

/** Sets the configuration used by the module-level functions. */
export function configure(config) {
  current = new LogoutClient(config);
}

/** The logout URL for the configured application. */
export function buildLogoutUrl(redirect, params) {
  return configured().buildLogoutUrl(redirect, params);
}

/** Logs the user out: clears the configured storage keys, tells other tabs, navigates. */
export function logout(redirect, params) {
  configured().logout(redirect, params);
}

/** The GenAuth personal center URL (`<origin>/u`). */
export function personalCenterUrl() {
  return configured().personalCenterUrl();
}

/** Calls `callback` when another tab of this application logs out; returns an unsubscribe function. */
export function onLogout(callback) {
  return configured().onLogout(callback);
}
