// The default loader: the browser module inlined as bytes (./main/wasm.js,
// so no bundler plugin and no fetch are needed), compiled synchronously on
// the first call that needs the core (see ./wire.js).
import { wasmBytes } from "./main/wasm.js";

export const instantiate = (imports) =>
  new WebAssembly.Instance(new WebAssembly.Module(wasmBytes), imports).exports;
