// The loader of `genauth-logout/js` (and of the `react-native` condition):
// the same module compiled to plain JavaScript by binaryen's wasm2js
// (./main/wasm2js.js), for engines without WebAssembly (Hermes,
// `node --jitless`) and pages whose Content-Security-Policy refuses it. No
// eval and no `new Function`: only typed arrays.
import { instantiate as compiled } from "./main/wasm2js.js";
import { GenAuthError } from "./error.js";

export function instantiate(imports) {
  // The core parses URLs with the platform's WHATWG URL. React Native's
  // global URL has no parser (its getters throw) and Hermes alone has none:
  // say so, instead of answering that every URL is invalid.
  let works = false;
  try {
    works = new URL("https://h.example:1/p?q#f").pathname == "/p";
  } catch {}
  if (!works) {
    // Its own GenAuthError, which the facade passes on as it is.
    throw new GenAuthError(
      "wasm_unavailable",
      "this JavaScript engine has no working WHATWG URL (React Native's global URL cannot parse); install a URL polyfill such as react-native-url-polyfill and import it before genauth-logout",
    );
  }
  return compiled(imports);
}
