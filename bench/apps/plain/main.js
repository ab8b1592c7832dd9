// The floor: no SDK, just the hosted logout URL built by hand.
const REDIRECT = "https://app.example.com/after?x=1";
const BASE = "https://myapp.genauth.ai/login/profile/logout?redirect_uri=";

const logoutUrl = (redirect) => BASE + encodeURIComponent(redirect);

// Start-up probe: the logout URL computed once, then the time stamp.
window.__firstUrl = logoutUrl(REDIRECT);
window.__firstUrlAt = performance.now();

document.getElementById("logout").addEventListener("click", () => {
  location.assign(logoutUrl(REDIRECT));
});
