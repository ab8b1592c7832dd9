// Types for the entry `genauth-logout/admin` (servers). Installed at the
// package root as `admin.d.ts` (the `types` of the "./admin" export).
import { GenAuthError } from "./index.js";

export { GenAuthError };
export type { GenAuthErrorCode } from "./index.js";

/** A `fetch`-compatible function (Node's global fetch, undici, a test double). */
export type FetchLike = (
  url: string,
  init: {
    method: "POST";
    headers: Record<string, string>;
    body: string;
    signal: AbortSignal;
    redirect: "manual";
    cache: "no-store";
  },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/** Settings for {@link AdminClient}; unknown keys are rejected with `invalid_option`. */
export interface AdminClientOptions {
  /** The application domain: `myapp.genauth.ai`, `https://myapp.genauth.ai` or a custom domain (`http://` only on loopback). */
  appDomain: string;
  /** The user pool id, sent as `x-authing-userpool-id`. */
  userPoolId: string;
  /**
   * The user pool administrator's token, sent as `Authorization`: as given when it has a
   * scheme (`"Bearer abc"`), with `Bearer ` in front when it has none. Never shown in
   * errors, logs, `JSON.stringify` or `util.inspect`.
   */
  token: string;
  /** Time limit for a whole call, retries and waits included, in ms (1–600000, default 10000). */
  timeoutMs?: number;
  /** Retries after a network error or HTTP 502/503/504 (0–10, default 2). Never after a 4xx. */
  retries?: number;
  /** The `fetch` to use (default: `globalThis.fetch`, looked up at each call). */
  fetch?: FetchLike;
  /** Allow construction in a browser page, where the token is visible to the user. Default false. */
  dangerouslyAllowBrowser?: boolean;
}

/** Per-call options of {@link AdminClient.kickActiveUsers}. */
export interface KickActiveUsersOptions {
  /** Cancels the call (in flight or between retries); the promise rejects with code `aborted`. */
  signal?: AbortSignal;
}

/** The API's success answer, e.g. `{ code: 200, message: "Forced offline successful" }`. */
export interface KickActiveUsersResult {
  code: number;
  message: string;
}

/**
 * The administrator's force-logout API. Throws {@link GenAuthError}
 * (`invalid_option`, `invalid_app_domain`, `browser_forbidden`) when the options are wrong,
 * and `wasm_unavailable` (its message names the cause) where the runtime has no
 * WebAssembly or refuses to compile it.
 */
export declare class AdminClient {
  constructor(options: AdminClientOptions);
  /**
   * Forces `userIds` offline in application `appId`
   * (`POST <appDomain>/api/applications/<appId>/kick-active-users`).
   * Rejects with {@link GenAuthError}: `api_error` (`apiCode`, server message),
   * `http_error` (`status`), `network_error`, `timeout`, `aborted`,
   * `invalid_response` or `invalid_option`.
   */
  kickActiveUsers(
    appId: string,
    userIds: readonly string[],
    options?: KickActiveUsersOptions,
  ): Promise<KickActiveUsersResult>;
}
