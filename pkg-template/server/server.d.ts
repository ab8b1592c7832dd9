// Types for the entry `genauth-logout/server` (servers and edge runtimes).
// Installed at the package root as `server.d.ts` (the `types` of the
// "./server" export).
import { GenAuthError, LogoutMethod, LogoutProtocol } from "./index.js";
// The `fetch` shape both server-side entries drive: they share one transport.
import type { FetchLike } from "./admin.js";

export { GenAuthError };
export type { GenAuthErrorCode } from "./index.js";
export type { FetchLike };

/** How a cookie to delete was set: its deletion repeats these attributes. */
export interface ClearCookieSpec {
  /** The cookie's name (an RFC 6265 token). `__Host-`, `__Secure-` and `__Http-` prefixes add what they require. */
  name: string;
  /** `Path` it was set with (default `"/"`). */
  path?: string;
  /** `Domain` it was set with; leave out for a host-only cookie. */
  domain?: string;
  /** `Secure` (default: on when the prefix, `sameSite: "none"` or `partitioned` needs it). */
  secure?: boolean;
  /** `HttpOnly` (default: on when the prefix needs it). */
  httpOnly?: boolean;
  /** `SameSite`, any case. */
  sameSite?: "strict" | "lax" | "none" | "Strict" | "Lax" | "None";
  /** `Partitioned` (CHIPS). */
  partitioned?: boolean;
}

/** Options of {@link logoutResponse}; unknown keys are rejected with `invalid_option`. */
export interface LogoutResponseOptions {
  /** The application domain: `myapp.genauth.ai`, `https://myapp.genauth.ai` or a custom domain (`http://` only on loopback). */
  appDomain: string;
  /**
   * The application's own origin, e.g. `"https://app.example.com"`: relative redirects resolve
   * against it, the open-redirect guard allows it, and the cross-site check compares the
   * request's `Origin` with it. Never taken from the request (its `Host` is the client's to choose).
   */
  appOrigin: string;
  /** Where the user lands after the logout: a path (`"/goodbye"`, resolved against `appOrigin`) or an absolute URL. */
  redirect?: string;
  /** Cookies to delete, by name (set with `Path=/`) or with the attributes they were set with. */
  clearCookies?: ReadonlyArray<string | ClearCookieSpec>;
  /** Logout protocol (default `"genauth"`). */
  protocol?: LogoutProtocol;
  /** `"post"` answers with an auto-submitting form page (OIDC only) under a nonce CSP. */
  method?: LogoutMethod;
  /** OIDC end-session endpoint (default `<appDomain>/oidc/session/end`). */
  endSessionEndpoint?: string;
  /** OIDC `client_id`. */
  clientId?: string;
  /** More origins a redirect may have besides `appOrigin`. */
  allowedRedirectOrigins?: readonly string[];
  /** OIDC `id_token_hint`. */
  idTokenHint?: string;
  /** OIDC `state`. */
  state?: string;
  /** OIDC `logout_hint`. */
  logoutHint?: string;
  /** OIDC `ui_locales`. */
  uiLocales?: string;
  /**
   * Which GET requests may log out: top-level navigations from the app's site or typed by
   * the user (`"same-site"`, default), from the app's origin only (`"same-origin"`), or none
   * (`"never"`: logout is a POST). POST always needs the app's own origin.
   */
  getLogout?: "same-site" | "same-origin" | "never";
}

/**
 * The answer of a logout endpoint, for a Web `Request`:
 * - a same-origin `POST` (or a top-level `GET` navigation, see `getLogout`): `303 See Other` to
 *   the logout URL, a `Set-Cookie` deleting each of `clearCookies`, `Cache-Control: no-store`
 *   (for `method: "post"`: `200` with the auto-submitting form page and its nonce CSP);
 * - a cross-site or foreign-origin request: `403` (other methods `405` with `Allow: GET, POST`),
 *   with no cookie touched.
 * Throws {@link GenAuthError} (`invalid_option`, `invalid_app_domain`, `invalid_redirect`,
 * `redirect_not_allowed`) for bad options, whatever the request, before any Response exists.
 */
export declare function logoutResponse(request: Request, options: LogoutResponseOptions): Response;

/** Options of {@link revokeTokens}; unknown keys are rejected with `invalid_option`. */
export interface RevokeTokensOptions {
  /** The application domain; the endpoint is `<appDomain>/oidc/token/revocation` unless `revocationEndpoint` is given. */
  appDomain: string;
  /** The client's `client_id`. */
  clientId: string;
  /** The client secret. Never in a URL, an error, a log, `JSON.stringify` or `util.inspect` of anything this returns. */
  clientSecret?: string;
  /** How the client authenticates (default `"client_secret_basic"`); `"none"` for a public client (no secret). */
  clientAuth?: "client_secret_basic" | "client_secret_post" | "none";
  /** Another revocation endpoint: absolute `https:` (`http:` only on loopback). */
  revocationEndpoint?: string;
  /** The refresh token to revoke (revoked first). */
  refreshToken?: string;
  /** The access token to revoke. */
  accessToken?: string;
  /** Time limit of the whole call, retries included, in ms (1–600000, default 10000). */
  timeoutMs?: number;
  /** Retries after no answer or HTTP 502/503/504, honouring `Retry-After` (0–10, default 2). */
  retries?: number;
  /** The `fetch` to use (default: `globalThis.fetch`). */
  fetch?: FetchLike;
}

/** What became of one token. */
export interface TokenRevocation {
  /** Whether the token is revoked (HTTP 200: revoked, or it was never valid). */
  revoked: boolean;
  /**
   * `revoked`; `refused` (4xx: sending it again changes nothing, e.g. `invalid_client`);
   * `unavailable` (502/503/504 after the retries); `unexpected` (any other status, redirects
   * included: they are not followed); `network_error` (no answer); `timeout` (past `timeoutMs`,
   * or not sent because an earlier token used up the time).
   */
  outcome: "revoked" | "refused" | "unavailable" | "unexpected" | "network_error" | "timeout";
  /** The HTTP status of the last answer, when there was one. */
  status?: number;
  /** The OAuth `error` of a refusal, e.g. `"invalid_client"`. */
  error?: string;
  /** The server's `error_description` (any token or secret removed). */
  description?: string;
  /** The last `Retry-After` of an `unavailable` answer. */
  retryAfter?: string;
  /** How many requests were sent for this token. */
  attempts: number;
}

/** The result of {@link revokeTokens}: one entry per token given. */
export interface RevokeTokensResult {
  /** Whether every token given is revoked. */
  revoked: boolean;
  refreshToken?: TokenRevocation;
  accessToken?: TokenRevocation;
}

/**
 * Revokes the refresh token, then the access token (RFC 7009) as a confidential client.
 * Rejects with {@link GenAuthError} (`invalid_option`, `invalid_app_domain`) for bad options,
 * before any request; otherwise resolves, with each token's outcome.
 */
export declare function revokeTokens(options: RevokeTokensOptions): Promise<RevokeTokensResult>;
