// genauth-logout/server for runtimes that refuse to compile WebAssembly at
// run time but compile a bundle's `.wasm` files ahead of time (the
// `workerd` and `edge-light` conditions: Cloudflare Workers, Vercel and
// Next.js edge): the module is imported from its real file as a
// WebAssembly.Module, the `?module` form wrangler and Next's edge bundler
// both read.
import module from "../admin/genauth_logout_admin_bg.wasm?module";
import { defineServer, GenAuthError } from "./facade.js";

export { GenAuthError };

export const { logoutResponse, revokeTokens } = defineServer(() => module);
