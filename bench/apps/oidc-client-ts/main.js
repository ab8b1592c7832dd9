// oidc-client-ts: a UserManager with inline metadata (no discovery fetch).
import { OidcClient, UserManager } from "oidc-client-ts";

const REDIRECT = "https://app.example.com/after?x=1";
const ISSUER = "https://myapp.genauth.ai/oidc";

const settings = {
  authority: ISSUER,
  client_id: "app-demo",
  redirect_uri: location.origin + "/callback",
  post_logout_redirect_uri: REDIRECT,
  metadata: {
    issuer: ISSUER,
    authorization_endpoint: ISSUER + "/auth",
    token_endpoint: ISSUER + "/token",
    end_session_endpoint: ISSUER + "/session/end",
  },
};

const userManager = new UserManager(settings);

// Start-up probe: UserManager has no public URL builder; OidcClient.createSignoutRequest
// (public, and the code signoutRedirect itself runs) returns the end-session URL.
const request = await new OidcClient(settings).createSignoutRequest({ post_logout_redirect_uri: REDIRECT });
window.__firstUrl = request.url;
window.__firstUrlAt = performance.now();

document.getElementById("logout").addEventListener("click", () => {
  userManager.signoutRedirect({ post_logout_redirect_uri: REDIRECT });
});
