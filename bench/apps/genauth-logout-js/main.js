// This package's JavaScript build (wasm2js, no WebAssembly), the same app: configure once, build the URL, log out on click.
import { configure, logout, buildLogoutUrl } from "genauth-logout/js";

const REDIRECT = "https://app.example.com/after?x=1";

// The redirect is on another origin than the page, so it has to be allowed
// explicitly (open-redirect guard, see shared/DESIGN.md).
configure({ appDomain: "myapp.genauth.ai", allowedRedirectOrigins: ["https://app.example.com"] });

// Start-up probe: the logout URL computed once, then the time stamp.
window.__firstUrl = buildLogoutUrl(REDIRECT);
window.__firstUrlAt = performance.now();

document.getElementById("logout").addEventListener("click", () => {
  logout(REDIRECT);
});
