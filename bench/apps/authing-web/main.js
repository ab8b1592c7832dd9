// @authing/web: the Authing client; it has no public logout-URL builder.
import { Authing } from "@authing/web";

const REDIRECT = "https://app.example.com/after?x=1";

const authing = new Authing({
  domain: "https://myapp.genauth.ai",
  appId: "app-demo",
  redirectUri: location.origin + "/callback",
  logoutRedirectUri: REDIRECT,
  userPoolId: "pool-demo",
});

// Start-up probe: no builder exists (logoutWithRedirect builds its
// /oidc/session/end URL internally and only when a login state is stored), so
// the app builds the hosted logout URL itself, as a user of this SDK would.
window.__firstUrl = "https://myapp.genauth.ai/login/profile/logout?redirect_uri=" + encodeURIComponent(REDIRECT);
window.__firstUrlAt = performance.now();

document.getElementById("logout").addEventListener("click", () => {
  authing.logoutWithRedirect({ redirectUri: REDIRECT });
});
