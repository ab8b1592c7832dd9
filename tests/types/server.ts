// A strict TypeScript consumer of genauth-logout/server's published types.
import { GenAuthError, logoutResponse, revokeTokens } from "genauth-logout/server";
import type { LogoutResponseOptions, RevokeTokensResult, TokenRevocation } from "genauth-logout/server";
import { GenAuthError as MainGenAuthError } from "genauth-logout";

const options: LogoutResponseOptions = {
  appDomain: "myapp.genauth.ai",
  appOrigin: "https://app.example.com",
  redirect: "/goodbye",
  clearCookies: ["session", { name: "__Host-sid", sameSite: "lax", httpOnly: true }],
  protocol: "oidc",
  getLogout: "never",
};

export const POST = (request: Request): Response => logoutResponse(request, options);

export async function revoke(refreshToken: string): Promise<boolean> {
  const result: RevokeTokensResult = await revokeTokens({
    appDomain: "myapp.genauth.ai",
    clientId: "app",
    clientSecret: "secret",
    clientAuth: "client_secret_post",
    refreshToken,
    timeoutMs: 5000,
  });
  const outcome: TokenRevocation | undefined = result.refreshToken;
  return outcome?.outcome === "revoked" && result.revoked;
}

export const sameClass: typeof MainGenAuthError = GenAuthError;

// @ts-expect-error appOrigin is required
logoutResponse(new Request("https://x/"), { appDomain: "myapp.genauth.ai" });
// @ts-expect-error an unknown SameSite value
logoutResponse(new Request("https://x/"), { ...options, clearCookies: [{ name: "s", sameSite: "sometimes" }] });
// @ts-expect-error clientId is required
void revokeTokens({ appDomain: "myapp.genauth.ai", clientSecret: "s", accessToken: "a" });
