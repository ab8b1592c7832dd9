// genauth-logout: the browser entry. Every rule lives in the Rust core
// (the inlined WebAssembly module). This file reads options objects once into
// records for it, turns its answers into values or GenAuthErrors, and carries
// out what it decided: clear storage, tell other tabs, navigate.
//
// Each export is a standalone function over a configuration record (see
// `open`), and `LogoutClient` only delegates to them, so a bundler keeps only
// what an application imports: a page that never calls `onLogout` does not
// carry the cross-tab listener.
import { ask, tag, keyed, MAX_KEYS, ORIGIN, PERSONAL_CENTER, LOGOUT_URL, PLAN, PLAN_WITHOUT_DOCUMENT, POST, NAVIGATE, REPLACE } from "./wire.js";
import { GenAuthError } from "./error.js";

export { GenAuthError };

const fail = (code, message) => {
  throw new GenAuthError(code, message);
};

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
      // The first MAX_KEYS keys (one more than there are options) hold the
      // core's first error, if any: no more is read or copied into wasm.
      for (const key of Object.keys(obj).slice(0, MAX_KEYS)) {
        const [t, value] = tag(obj[key]);
        values[key] = value;
        records += keyed(key, t);
      }
    } catch (e) {
      throw e instanceof GenAuthError ? e : new GenAuthError("invalid_option", "reading " + what + " threw");
    }
  }
  return [records, values];
}

// The application's origin, asked of the core once per configuration.
const originOf = (state) => (state[3] ||= ask(ORIGIN, state[0], state[2]));

// A configuration: [its records, the values read, the global scope's
// origin, the application's origin]. The core checks it here; where the
// module cannot run at all (no WebAssembly, a CSP without
// 'wasm-unsafe-eval', a runtime that refuses code generation) the check is
// left to the first call that needs the core, which throws
// `wasm_unavailable` naming the cause; configuring never throws for it.
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
  try {
    originOf(state);
  } catch (e) {
    if (e.code != "wasm_unavailable") throw e;
  }
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
    channel.postMessage({ type: "logout", appDomain: originOf(state) });
    own || channel.close();
  } catch {}
}

// The logout URL, or with a plan op (PLAN, PLAN_WITHOUT_DOCUMENT) what `logoutWith` carries out.
function urlFor(state, redirect, params, op = LOGOUT_URL) {
  return ask(op, state[0], state[2], redirectRecord(redirect), read(params, "params")[0]);
}

// Asks the core first, so a refused call throws before any side effect:
// op 3 plans for a page, op 4 for a scope with an origin but no document
// to navigate (a worker), where only `navigate` can carry the logout out.
function logoutWith(state, redirect, params) {
  const plan = urlFor(state, redirect, params, globalThis.document ? PLAN : PLAN_WITHOUT_DOCUMENT);
  const kind = plan[0];
  const rest = plan.slice(1);
  const values = state[1];
  let post;
  if (kind == POST) {
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
  } else if (kind == NAVIGATE) {
    // Called as a plain function, not a method of the config.
    (0, values.navigate)(rest);
  } else location[kind == REPLACE ? "replace" : "assign"](rest);
}

// Subscribes `callback` to other tabs' logouts of this configuration's
// application, sharing one channel per name (see `channels`).
function listenFor(state, callback) {
  if (typeof callback != "function") fail("invalid_option", "onLogout needs a function");
  if (typeof BroadcastChannel != "function") return () => {};
  const name = state[1].channelName || "genauth-logout";
  const appDomain = originOf(state);
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

const personalCenter = (state) => ask(PERSONAL_CENTER, state[0], state[2]);

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
    return personalCenter(this.#state);
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
  return personalCenter(configured());
}

/** Calls `callback` when another tab of this application logs out; returns an unsubscribe function. */
export function onLogout(callback) {
  return listenFor(configured(), callback);
}
