// A strict TypeScript consumer of the package's published types: every export
// used as documented, and wrong usages that must be rejected (each
// `@ts-expect-error` fails the check if the line compiles).
import {
  buildLogoutUrl,
  configure,
  GenAuthError,
  logout,
  LogoutClient,
  onLogout,
  personalCenterUrl,
} from "genauth-logout";
import type {
  GenAuthErrorCode,
  LogoutConfig,
  LogoutEvent,
  LogoutMethod,
  LogoutParams,
  LogoutProtocol,
} from "genauth-logout";
import { AdminClient, GenAuthError as AdminGenAuthError } from "genauth-logout/admin";
import type { AdminClientOptions, KickActiveUsersResult } from "genauth-logout/admin";

const config: LogoutConfig = {
  appDomain: "myapp.genauth.ai",
  protocol: "oidc",
  endSessionEndpoint: "https://myapp.genauth.ai/oidc/session/end",
  clientId: "client",
  allowedRedirectOrigins: ["https://www.example.com"],
  clearStorageKeys: ["token"],
  replace: true,
  navigate: (url: string) => {
    void url;
  },
  method: "get",
  channelName: "genauth-logout",
};
configure(config);
configure({ appDomain: "myapp.genauth.ai" });

const params: LogoutParams = {
  protocol: "oidc",
  idTokenHint: "eyJ...",
  state: "s",
  clientId: "c",
  logoutHint: "alice@example.com",
  uiLocales: "fr-CA en",
  replace: false,
  method: "post",
};
const url: string = buildLogoutUrl("https://app.example.com/", params);
const bare: string = buildLogoutUrl();
const voided: void = logout("/after", { replace: true });
logout();
const center: string = personalCenterUrl();
const unsubscribe: () => void = onLogout((event: LogoutEvent) => {
  const type: "logout" = event.type;
  const domain: string = event.appDomain;
  void type;
  void domain;
});
unsubscribe();

const client = new LogoutClient({ appDomain: "https://myapp.genauth.ai", protocol: "cas" });
const clientUrl: string = client.buildLogoutUrl("https://app.example.com/");
client.logout(undefined, { protocol: "genauth" });
const clientCenter: string = client.personalCenterUrl();
const stop: () => void = client.onLogout((e) => void e.appDomain);
stop();

const protocols: LogoutProtocol[] = ["genauth", "oidc", "cas"];
const methods: LogoutMethod[] = ["get", "post"];

try {
  logout("https://app.example.com/");
} catch (e) {
  if (e instanceof GenAuthError) {
    const code: GenAuthErrorCode = e.code;
    const name: "GenAuthError" = e.name;
    const status: number | undefined = e.status;
    const apiCode: number | undefined = e.apiCode;
    const asError: Error = e;
    void [code, name, status, apiCode, asError];
    switch (e.code) {
      case "invalid_redirect":
      case "redirect_not_allowed":
      case "invalid_app_domain":
      case "invalid_option":
      case "not_configured":
      case "no_window":
        break;
    }
  }
}
const made = new GenAuthError("invalid_option", "message");
const sameClass: typeof GenAuthError = AdminGenAuthError;

const adminOptions: AdminClientOptions = {
  appDomain: "myapp.genauth.ai",
  userPoolId: "pool",
  token: "secret",
  timeoutMs: 5000,
  retries: 1,
  dangerouslyAllowBrowser: false,
};
const admin = new AdminClient(adminOptions);
const controller = new AbortController();
async function kick(): Promise<number> {
  const result: KickActiveUsersResult = await admin.kickActiveUsers("app", ["user-1"], {
    signal: controller.signal,
  });
  const message: string = result.message;
  void message;
  return result.code;
}

// ---- wrong usages the types must reject ----
// @ts-expect-error unknown option key
configure({ appDomain: "myapp.genauth.ai", redirectUri: "https://app.example.com/" });
// @ts-expect-error appDomain is required
configure({ protocol: "oidc" });
// @ts-expect-error wrong protocol string
configure({ appDomain: "myapp.genauth.ai", protocol: "saml" });
// @ts-expect-error wrong method string
new LogoutClient({ appDomain: "myapp.genauth.ai", method: "GET" });
// @ts-expect-error allowedRedirectOrigins is a list
configure({ appDomain: "myapp.genauth.ai", allowedRedirectOrigins: "https://app.example.com" });
// @ts-expect-error number redirect
buildLogoutUrl(42);
// @ts-expect-error number redirect
logout(42);
// @ts-expect-error unknown per-call key
buildLogoutUrl("https://app.example.com/", { redirect_uri: "x" });
// @ts-expect-error wrong per-call protocol
client.buildLogoutUrl(undefined, { protocol: "saml" });
// @ts-expect-error navigate takes the URL string
configure({ appDomain: "myapp.genauth.ai", navigate: (n: number) => n });
// @ts-expect-error the result is a string, not a URL object
const notUrl: URL = buildLogoutUrl();
// @ts-expect-error onLogout needs a callback
onLogout();
// @ts-expect-error not an error code
const badCode: GenAuthErrorCode = "oops";
// @ts-expect-error userIds is a list
void admin.kickActiveUsers("app", "user-1");
// @ts-expect-error token is required
new AdminClient({ appDomain: "myapp.genauth.ai", userPoolId: "pool" });
// @ts-expect-error unknown admin option key
new AdminClient({ appDomain: "myapp.genauth.ai", userPoolId: "pool", token: "t", retry: 3 });

export {
  url, bare, voided, center, clientUrl, clientCenter, protocols, methods, made, sameClass, kick, notUrl, badCode,
};
