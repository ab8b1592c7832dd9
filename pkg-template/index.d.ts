/** Which logout endpoint to use. */
export type LogoutProtocol = "genauth" | "oidc" | "cas";

/** How the browser reaches the endpoint: navigation (GET) or a form POST (OIDC only). */
export type LogoutMethod = "get" | "post";

/** Stable error codes carried by {@link GenAuthError.code}. */
export type GenAuthErrorCode =
  | "invalid_app_domain"
  | "invalid_redirect"
  | "redirect_not_allowed"
  | "invalid_option"
  | "not_configured"
  | "no_window"
  | "api_error"
  | "http_error"
  | "network_error"
  | "timeout"
  | "invalid_response"
  | "browser_forbidden"
  | "aborted"
  | "wasm_unavailable";

/** Settings for an application; unknown keys are rejected with `invalid_option`. */
export interface LogoutConfig {
  /** `myapp.genauth.ai`, `https://myapp.genauth.ai`, or a custom domain; `http://` only on loopback. */
  appDomain: string;
  /** Default protocol (default `"genauth"`). */
  protocol?: LogoutProtocol;
  /** OIDC end-session endpoint (default `<appDomain>/oidc/session/end`). */
  endSessionEndpoint?: string;
  /** Default OIDC `client_id`. */
  clientId?: string;
  /** Origins a redirect may have besides the page's own, e.g. `["https://www.example.com"]`. */
  allowedRedirectOrigins?: readonly string[];
  /** Keys removed from localStorage and sessionStorage before navigating. */
  clearStorageKeys?: readonly string[];
  /** Navigate with `location.replace` (no history entry) instead of `location.assign`. */
  replace?: boolean;
  /** Navigate yourself (Capacitor, Electron, tests); called with the logout URL. */
  navigate?: (url: string) => void;
  /** Default method; `"post"` submits a form (OIDC only, for long ID tokens). */
  method?: LogoutMethod;
  /** BroadcastChannel name for cross-tab notices (default `"genauth-logout"`). */
  channelName?: string;
}

/** Per-call parameters; each overrides the configuration. */
export interface LogoutParams {
  protocol?: LogoutProtocol;
  /** OIDC `id_token_hint`. Never stored or logged by the library. */
  idTokenHint?: string;
  /** OIDC `state`, returned to the redirect. */
  state?: string;
  /** OIDC `client_id`. */
  clientId?: string;
  /** OIDC `logout_hint`. */
  logoutHint?: string;
  /** OIDC `ui_locales`, e.g. `"fr-CA en"`. */
  uiLocales?: string;
  /** Navigate with `location.replace` for this call. */
  replace?: boolean;
  method?: LogoutMethod;
}

/** The message other tabs receive through {@link onLogout}. */
export interface LogoutEvent {
  type: "logout";
  /** The origin of the application that logged out, e.g. `https://myapp.genauth.ai`. */
  appDomain: string;
}

/** Every failure of this package. */
export class GenAuthError extends Error {
  readonly name: "GenAuthError";
  readonly code: GenAuthErrorCode;
  /** HTTP status, for admin API failures. */
  readonly status?: number;
  /** The admin API's body `code`, for `api_error`. */
  readonly apiCode?: number;
  constructor(code: GenAuthErrorCode, message: string, extra?: { status?: number; apiCode?: number });
}

/** A logout client with its own configuration. */
export class LogoutClient {
  /**
   * Checks `config` (throws {@link GenAuthError}) and keeps it. Where the
   * WebAssembly module cannot run (no WebAssembly, a Content-Security-Policy
   * without `'wasm-unsafe-eval'`, a runtime that refuses to compile it, no
   * global `URL`) it does not throw: the check is left to the first call,
   * which throws `wasm_unavailable` naming the cause and the fix.
   */
  constructor(config: LogoutConfig);
  buildLogoutUrl(redirect?: string, params?: LogoutParams): string;
  logout(redirect?: string, params?: LogoutParams): void;
  personalCenterUrl(): string;
  onLogout(callback: (event: LogoutEvent) => void): () => void;
}

/**
 * Checks `config` (throws {@link GenAuthError}) and sets it for the functions
 * below. Where the WebAssembly module cannot run it does not throw: the check
 * is left to the first call, which throws `wasm_unavailable` (see
 * {@link LogoutClient}).
 */
export function configure(config: LogoutConfig): void;
/** The logout URL; throws {@link GenAuthError} for a bad redirect or option. */
export function buildLogoutUrl(redirect?: string, params?: LogoutParams): string;
/** Validates, clears `clearStorageKeys`, notifies other tabs, then navigates. */
export function logout(redirect?: string, params?: LogoutParams): void;
/** `https://<appDomain>/u`. */
export function personalCenterUrl(): string;
/** Subscribes to other tabs' logouts; returns the unsubscribe function. */
export function onLogout(callback: (event: LogoutEvent) => void): () => void;
