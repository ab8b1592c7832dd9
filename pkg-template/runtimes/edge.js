// The loader for runtimes that refuse to compile WebAssembly at run time
// but compile a Worker's `.wasm` modules ahead of time (Cloudflare workerd,
// Vercel and Next.js edge, selected by the `workerd` and `edge-light`
// export conditions): the module is imported from its real file as a
// WebAssembly.Module, the `?module` form that wrangler and Next's edge
// bundler both understand.
import module from "./main/genauth_logout.wasm?module";

export const instantiate = (imports) => new WebAssembly.Instance(module, imports).exports;
