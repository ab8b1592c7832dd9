// genauth-logout: the browser entry. Every rule lives in the Rust core
// (the inlined WebAssembly module). This file reads options objects once into
// records for it, turns its answers into values or GenAuthErrors, and carries
// out what it decided: clear storage, tell other tabs, navigate.
//
// Each export is a standalone function over a configuration record (see
// `open`), and `LogoutClient` only delegates to them, so a bundler keeps only
// what an application imports: a page that never calls `onLogout` does not
// carry the cross-tab listener.
import { initSync, dropInstance, call } from "./main/glue.js";
import { wasmBytes } from "./main/wasm.js";
import { GenAuthError } from "./error.js";

export { GenAuthError };

// Strings (and lists) longer than this (UTF-16 units) are not copied into
// wasm: every limit in the core is lower.
const MAX_LEN = 65536;
const MAX_ITEMS = 256;

const fail = (code, message) => {
  throw new GenAuthError(code, message);
};

// Asks the core (src/wasm/mod.rs, `call`) about a configuration: 0 origin,
// 1 personal center, 2 logout URL, 3 logout plan. The module is compiled on
// the first call (`initSync` does nothing once it has succeeded).
function ask(op, [config, , page], redirect = "", params = "") {
  let out;
  let failure = "cannot compile WebAssembly here (CSP needs 'wasm-unsafe-eval'): ";
  try {
    initSync(wasmBytes);
    failure = "the WebAssembly module failed: ";
    out = call(op, config, page, redirect, params);
  } catch (e) {
    // The core answers errors; a throw from `call` is a trap (out of
    // memory, a bug), after which the instance's heap cannot be trusted: it
    // is dropped so the next call starts afresh.
    dropInstance();
    fail("wasm_unavailable", failure + e?.message);
  }
  if (out[0] == "!") {
    // `!code\nmessage`; the message may itself hold newlines.
    const [code, message] = out.slice(1).split(/\n([^]*)/);
    fail(code, message);
  }
  return out;
}

// A string in a record: its length in UTF-16 units, ":", the string.
const str = (s) => s.length + ":" + s;

// One value as [tagged record (see src/records.rs), the value to keep].
// Strings with lone surrogates are `o`: TextEncoder would silently replace them.
function tag(v) {
  if (!Array.isArray(v)) {
    return [
      v === undefined ? "u"
      : typeof v == "boolean" ? (v ? "t" : "f")
      : typeof v == "function" ? "F"
      : typeof v != "string" ? "o"
      : v.length > MAX_LEN ? "L"
      : /\p{Cs}/u.test(v) ? "o"
      : "s" + str(v),
      v,
    ];
  }
  // A list of strings, copied (each item read once) so later changes to the
  // caller's array cannot reach what the core accepted.
  const n = v.length;
  if (n > MAX_ITEMS) return ["o"];
  const items = [];
  let out = "l" + n + ":";
  for (let i = 0; i < n; i++) {
    const item = items[i] = v[i];
    if (typeof item != "string" || item.length > MAX_LEN || /\p{Cs}/u.test(item)) return ["o"];
    out += str(item);
    // A list is copied into wasm only up to the size of one long string.
    if (out.length > MAX_LEN) return ["L"];
  }
  return [out, items];
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
  let records = "";
  if (obj !== undefined) {
    try {
      if (obj === null || typeof obj != "object" || Array.isArray(obj)) {
        fail("invalid_option", what + " must be an object");
      }
      // Only 14 option names exist, so the first 15 keys of an object with
      // more always hold an unknown one: the core's first error is among
      // them, and no more is copied into wasm.
      for (const key of Object.keys(obj).slice(0, 15)) {
        if (key.length > 64) fail("invalid_option", key.slice(0, 64) + "… is not an option");
        const [t, value] = tag(obj[key]);
        values[key] = value;
        records += str(key) + t;
      }
    } catch (e) {
      throw e instanceof GenAuthError ? e : new GenAuthError("invalid_option", "reading " + what + " threw");
    }
  }
  return [records, values];
}

// A configuration, checked by the core: [its records, the values read, the
// global scope's origin, the application's origin].
//
// "In a browser" means the global scope is a Window or a WorkerGlobalScope
// (dedicated, shared or service worker): both have `location.origin`, and
// the open-redirect guard protects that origin alike. Node, Bun, workerd and
// other server runtimes have no `location` (Deno throws on reading it unless
// started with --location): there the origin is "", outside a browser.
function open(config) {
  const [records, values] = read(config, "config");
  const state = [records, values, ""];
  try {
    state[2] = location.origin || "";
  } catch {}
  state[3] = ask(0, state);
  return state;
}

// One BroadcastChannel per name and page, [channel, listeners], used both
// to listen and to tell: a channel object never receives its own messages,
// so a page's own logout does not reach its own onLogout listeners.
const channels = new Map();

// Tells other tabs; best effort (no BroadcastChannel here: nothing to tell).
function tell(state) {
  try {
    const name = state[1].channelName || "genauth-logout";
    const own = channels.get(name)?.[0];
    const channel = own || new BroadcastChannel(name);
    channel.postMessage({ type: "logout", appDomain: state[3] });
    own || channel.close();
  } catch {}
}

// The logout URL (op 2), or with op 3 the plan `logoutWith` carries out.
function urlFor(state, redirect, params, op = 2) {
  return ask(op, state, redirectRecord(redirect), read(params, "params")[0]);
}

// Asks the core first, so a refused call throws before any side effect:
// op 3 plans for a page, op 4 for a scope with an origin but no document
// to navigate (a worker), where only `navigate` can carry the logout out.
function logoutWith(state, redirect, params) {
  const plan = urlFor(state, redirect, params, globalThis.document ? 3 : 4);
  const kind = plan[0];
  const rest = plan.slice(1);
  const values = state[1];
  let post;
  if (kind == "P") {
    // The hidden form for a POST logout, built before any side effect so a
    // page without a document fails before anything is cleared. Hidden
    // inputs keep values verbatim (the core refuses the line breaks a form
    // would turn into CRLF), and UTF-8 is asked for: a form otherwise
    // encodes in the page's own charset, which may not be UTF-8.
    const [action, fields] = rest.split(/\n([^]*)/);
    post = Object.assign(document.createElement("form"), { method: "post", action, hidden: true, acceptCharset: "utf-8" });
    for (const [name, value] of new URLSearchParams(fields)) {
      post.append(Object.assign(document.createElement("input"), { type: "hidden", name, value }));
    }
  }
  if (state[2]) {
    for (const key of values.clearStorageKeys || []) {
      for (const store of ["localStorage", "sessionStorage"]) {
        try {
          window[store].removeItem(key);
        } catch {}
      }
    }
  }
  tell(state);
  if (post) {
    // The form (holding any id_token_hint) leaves the document once submitted.
    (document.body || document.documentElement).append(post);
    try {
      post.submit();
    } finally {
      post.remove();
    }
  } else if (kind == "N") {
    // Called as a plain function, not a method of the config.
    (0, values.navigate)(rest);
  } else location[kind == "R" ? "replace" : "assign"](rest);
}

// Subscribes `callback` to other tabs' logouts of this configuration's
// application, sharing one channel per name (see `channels`).
function listenFor(state, callback) {
  if (typeof callback != "function") fail("invalid_option", "onLogout needs a function");
  if (typeof BroadcastChannel != "function") return () => {};
  const name = state[1].channelName || "genauth-logout";
  const appDomain = state[3];
  let entry = channels.get(name);
  if (!entry) {
    const channel = new BroadcastChannel(name);
    // In Node a listening channel would keep the process alive.
    channel.unref?.();
    channels.set(name, (entry = [channel, new Set()]));
  }
  // Each subscription is its own event listener: the platform calls every
  // one whatever another throws, and reports the exception the way it
  // reports any event listener's (an error event in a page, an uncaught
  // exception in Node).
  const listener = ({ data: d }) => {
    if (d && d.type === "logout" && d.appDomain === appDomain) callback({ type: "logout", appDomain });
  };
  entry[0].addEventListener("message", listener);
  entry[1].add(listener);
  return () => {
    entry[0].removeEventListener("message", listener);
    entry[1].delete(listener);
    if (!entry[1].size && channels.get(name) === entry) {
      channels.delete(name);
      entry[0].close();
    }
  };
}

/** A logout client with its own configuration. */
export class LogoutClient {
  #state;
  /** Checks `config` (throws GenAuthError) and keeps it. */
  constructor(config) {
    this.#state = open(config);
  }
  /** The logout URL for this client's application. */
  buildLogoutUrl(redirect, params) {
    return urlFor(this.#state, redirect, params);
  }
  /** Logs the user out: clears the configured storage keys, tells other tabs, navigates. */
  logout(redirect, params) {
    logoutWith(this.#state, redirect, params);
  }
  /** The GenAuth personal center URL (`<origin>/u`). */
  personalCenterUrl() {
    return ask(1, this.#state);
  }
  /** Calls `callback` when another tab of this application logs out; returns an unsubscribe function. */
  onLogout(callback) {
    return listenFor(this.#state, callback);
  }
}

let current;

const configured = () =>
  current || fail("not_configured", "call configure({ appDomain }) before using genauth-logout");

/** Sets the configuration used by the module-level functions. */
export function configure(config) {
  current = open(config);
}

/** The logout URL for the configured application. */
export function buildLogoutUrl(redirect, params) {
  return urlFor(configured(), redirect, params);
}

/** Logs the user out: clears the configured storage keys, tells other tabs, navigates. */
export function logout(redirect, params) {
  logoutWith(configured(), redirect, params);
}

/** The GenAuth personal center URL (`<origin>/u`). */
export function personalCenterUrl() {
  return ask(1, configured());
}

/** Calls `callback` when another tab of this application logs out; returns an unsubscribe function. */
export function onLogout(callback) {
  return listenFor(configured(), callback);
}
