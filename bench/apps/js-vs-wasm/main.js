// Not an app of the size table: the speed probe of the JavaScript build
// against the wasm build, both in one page. `__measure(build)` times the
// first configure() + buildLogoutUrl (which instantiates the module) and
// then the mean of many calls, for one build; each build is measured in its
// own fresh page, so neither finds the other's instance or caches.
import * as wasm from "genauth-logout";
import * as js from "genauth-logout/js";

const REDIRECT = "https://app.example.com/after?x=1";
const CALLS = 2000;

window.__measure = (build) => {
  const lib = build === "js" ? js : wasm;
  const t0 = performance.now();
  lib.configure({ appDomain: "myapp.genauth.ai", allowedRedirectOrigins: ["https://app.example.com"] });
  const url = lib.buildLogoutUrl(REDIRECT);
  const t1 = performance.now();
  for (let i = 0; i < CALLS; i++) lib.buildLogoutUrl(REDIRECT);
  const t2 = performance.now();
  return { url, firstMs: t1 - t0, perCallUs: ((t2 - t1) / CALLS) * 1000 };
};
window.__firstUrlAt = performance.now();
