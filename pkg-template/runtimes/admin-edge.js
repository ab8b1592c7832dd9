// genauth-logout/admin for the `workerd` and `edge-light` conditions: the
// module imported from its real file as a WebAssembly.Module (the `?module`
// form wrangler and Next's edge bundler both understand), which those
// runtimes compile ahead of time; they refuse to compile bytes at run time.
import module from "./genauth_logout_admin_bg.wasm?module";
import { defineAdminClient, GenAuthError } from "./facade.js";

export { GenAuthError };

export const AdminClient = defineAdminClient(() => module);
