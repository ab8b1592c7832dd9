// keycloak-js: init without any server round trip, then its public URL builder.
import Keycloak from "keycloak-js";

const REDIRECT = "https://app.example.com/after?x=1";

const keycloak = new Keycloak({ url: "https://myapp.genauth.ai", realm: "demo", clientId: "app-demo" });

// checkLoginIframe: false keeps init off the network (no session iframe, no
// third-party-cookie probe); endpoints are derived from url + realm.
await keycloak.init({ checkLoginIframe: false });

// Start-up probe: keycloak.createLogoutUrl is its public equivalent of buildLogoutUrl.
window.__firstUrl = keycloak.createLogoutUrl({ redirectUri: REDIRECT });
window.__firstUrlAt = performance.now();

document.getElementById("logout").addEventListener("click", () => {
  keycloak.logout({ redirectUri: REDIRECT });
});
