// genauth-logout: the browser entry. Every rule lives in the Rust core
// (the inlined WebAssembly module). This file reads options objects once into
// records for it, turns its answers into values or GenAuthErrors, and carries
// out what it decided: clear storage, tell other tabs, navigate.
import { initSync, dropInstance, call } from "./main/glue.js";
import { wasmBytes } from "./main/wasm.js";
import { GenAuthError } from "./error.js";

export { GenAuthError };

// Strings (and lists) longer than this (UTF-16 units) are not copied into
// wasm: every limit in the core is lower.
const MAX_LEN = 65536;
const MAX_ITEMS = 256;
const loneSurrogate = /\p{Cs}/u;

// Asks the core (src/wasm/mod.rs, `call`): 0 origin, 1 personal center,
// 2 logout URL, 3 logout plan. The module is compiled on the first call
// (`initSync` does nothing once it has succeeded).
function wasm(op, config, page, redirect = "", params = "") {
  try {
    initSync(wasmBytes);
  } catch (e) {
    throw new GenAuthError("wasm_unavailable", "cannot compile WebAssembly here (CSP needs 'wasm-unsafe-eval'): " + (e && e.message));
  }
  let out;
  try {
    out = call(op, config, page, redirect, params);
  } catch (e) {
    // The core answers errors; a throw here is a trap (out of memory, a
    // bug). The instance is dropped so the next call starts afresh.
    dropInstance();
    throw new GenAuthError("wasm_unavailable", "the WebAssembly module failed: " + (e && e.message));
  }
  if (out[0] === "!") {
    const nl = out.indexOf("\n");
    throw new GenAuthError(out.slice(1, nl), out.slice(nl + 1));
  }
  return out;
}

// A string in a record: its length in UTF-16 units, ":", the string.
const str = (s) => s.length + ":" + s;
const okString = (v) => typeof v === "string" && v.length <= MAX_LEN && !loneSurrogate.test(v);

// One value as [tagged record (see src/wasm/records.rs), the value to keep].
function tag(v) {
  if (v === undefined) return ["u"];
  if (typeof v === "string") return v.length > MAX_LEN ? ["L"] : okString(v) ? ["s" + str(v), v] : ["o"];
  if (typeof v === "boolean") return [v ? "t" : "f", v];
  if (typeof v === "function") return ["F", v];
  if (Array.isArray(v)) {
    const n = v.length;
    if (n > MAX_ITEMS) return ["o"];
    const items = [];
    let out = "l" + n + ":";
    for (let i = 0; i < n; i++) {
      const item = v[i];
      if (!okString(item)) return ["o"];
      items.push(item);
      out += str(item);
      // A list is copied into wasm only up to the size of one long string.
      if (out.length > MAX_LEN) return ["L"];
    }
    return [out, items];
  }
  return ["o"];
}

// The redirect argument as a record; a value that throws when inspected (a
// revoked Proxy) is just not a string.
function redirectRecord(v) {
  try {
    return tag(v)[0];
  } catch {
    return "o";
  }
}

// Reads an options object once (each getter runs once): its records for the
// core, and the values the facade acts on after the core has accepted them.
function read(obj, what) {
  // No prototype: a polluted Object.prototype must not supply options.
  const values = Object.create(null);
  if (obj === undefined) return ["", values];
  let records = "";
  try {
    if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
      throw new GenAuthError("invalid_option", what + " must be an object");
    }
    // Only 14 option names exist, so the first 15 keys of an object with
    // more always hold an unknown one: the core's first error is among them,
    // and no more is copied into wasm.
    for (const key of Object.keys(obj).slice(0, 15)) {
      if (key.length > 64) throw new GenAuthError("invalid_option", "unknown option: " + key.slice(0, 64) + "…");
      const [t, value] = tag(obj[key]);
      values[key] = value;
      records += str(key) + t;
    }
  } catch (e) {
    throw e instanceof GenAuthError ? e : new GenAuthError("invalid_option", "reading " + what + " threw");
  }
  return [records, values];
}

const pageOrigin = () => (typeof window === "object" && window.location ? window.location.origin : "");

// One BroadcastChannel per name and page, used both to listen and to tell:
// a channel object never receives its own messages, so a page's own logout
// does not reach its own onLogout listeners.
const channels = new Map();

function listen(name, listener) {
  let entry = channels.get(name);
  if (!entry) {
    const channel = new BroadcastChannel(name);
    // In Node a listening channel would keep the process alive.
    if (typeof channel.unref === "function") channel.unref();
    const listeners = new Set();
    channel.onmessage = (event) => {
      for (const l of listeners) l(event.data);
    };
    channels.set(name, (entry = [channel, listeners]));
  }
  const [channel, listeners] = entry;
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (!listeners.size && channels.get(name) === entry) {
      channels.delete(name);
      channel.close();
    }
  };
}

function tell(name, message) {
  if (typeof BroadcastChannel !== "function") return;
  try {
    const entry = channels.get(name);
    if (entry) return entry[0].postMessage(message);
    const channel = new BroadcastChannel(name);
    channel.postMessage(message);
    channel.close();
  } catch {}
}

// The hidden form for a POST logout, built before any side effect so a
// page without a document fails before anything is cleared.
function form(plan) {
  const nl = plan.indexOf("\n");
  const f = document.createElement("form");
  f.method = "post";
  f.action = plan.slice(0, nl);
  f.hidden = true;
  for (const [name, value] of new URLSearchParams(plan.slice(nl + 1))) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    f.append(input);
  }
  return f;
}

/** A logout client with its own configuration. */
export class LogoutClient {
  #config;
  #values;
  #page;
  #origin;
  constructor(config) {
    [this.#config, this.#values] = read(config, "config");
    this.#page = pageOrigin();
    this.#origin = wasm(0, this.#config, this.#page);
  }
  #ask(op, redirect, params) {
    return wasm(op, this.#config, this.#page, redirectRecord(redirect), read(params, "params")[0]);
  }
  buildLogoutUrl(redirect, params) {
    return this.#ask(2, redirect, params);
  }
  logout(redirect, params) {
    const plan = this.#ask(3, redirect, params);
    const kind = plan[0];
    const rest = plan.slice(1);
    const post = kind === "P" ? form(rest) : null;
    const v = this.#values;
    if (this.#page) {
      for (const key of v.clearStorageKeys || []) {
        for (const store of ["localStorage", "sessionStorage"]) {
          try {
            window[store].removeItem(key);
          } catch {}
        }
      }
    }
    tell(v.channelName || "genauth-logout", { type: "logout", appDomain: this.#origin });
    if (post) {
      // The form (holding any id_token_hint) leaves the document once submitted.
      (document.body || document.documentElement).append(post);
      try {
        post.submit();
      } finally {
        post.remove();
      }
    } else if (kind === "N") {
      const navigate = v.navigate; // called as a plain function, not a method of the config
      navigate(rest);
    } else window.location[kind === "R" ? "replace" : "assign"](rest);
  }
  personalCenterUrl() {
    return wasm(1, this.#config, this.#page);
  }
  onLogout(callback) {
    if (typeof callback !== "function") {
      throw new GenAuthError("invalid_option", "onLogout needs a function");
    }
    if (typeof BroadcastChannel !== "function") return () => {};
    const origin = this.#origin;
    return listen(this.#values.channelName || "genauth-logout", (d) => {
      if (d && d.type === "logout" && d.appDomain === origin) callback({ type: "logout", appDomain: origin });
    });
  }
}

let current;

function configured() {
  if (!current) {
    throw new GenAuthError("not_configured", "call configure({ appDomain }) before using genauth-logout");
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
