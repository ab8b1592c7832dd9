// @auth0/auth0-spa-js v2: a client constructed without checkSession (no network).
import { Auth0Client } from "@auth0/auth0-spa-js";

const REDIRECT = "https://app.example.com/after?x=1";

const auth0 = new Auth0Client({
  domain: "myapp.genauth.ai",
  clientId: "app-demo",
  authorizationParams: { redirect_uri: location.origin + "/callback" },
});

// Start-up probe: v2 removed the public buildLogoutUrl; the public way to obtain
// the URL is logout({ openUrl }) which hands it to the callback instead of
// navigating (it also clears the SDK's local cache, empty here).
let firstUrl;
await auth0.logout({ logoutParams: { returnTo: REDIRECT }, openUrl: (url) => { firstUrl = url; } });
window.__firstUrl = firstUrl;
window.__firstUrlAt = performance.now();

document.getElementById("logout").addEventListener("click", () => {
  auth0.logout({ logoutParams: { returnTo: REDIRECT } });
});
