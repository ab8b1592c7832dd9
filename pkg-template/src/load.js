// The default loader: the browser module inlined as bytes (./main/wasm.js,
// so no bundler plugin and no fetch are needed), compiled synchronously on
// the first call that needs the core (see ./wire.js). Where that is
// refused, the error says why and what to do instead.
import { wasmBytes } from "./main/wasm.js";

export function instantiate(imports) {
  let module;
  try {
    module = new WebAssembly.Module(wasmBytes);
  } catch (e) {
    const why = e?.message;
    throw Error(
      (typeof WebAssembly != "object"
        ? "no WebAssembly in this runtime"
        : "this runtime refused to compile WebAssembly (" + why + ")") +
        (/CSP|Content.Sec|unsafe-eval/i.test(why)
          ? ": add 'wasm-unsafe-eval' to the Content-Security-Policy script-src, or"
          : ":") +
        " use genauth-logout/js",
    );
  }
  return new WebAssembly.Instance(module, imports).exports;
}
