// genauth-logout/admin: the administrator's force-logout API for servers
// (Node, Deno, Bun and any runtime that compiles WebAssembly from bytes).
// The module's bytes are inlined (./wasm.js), so no bundler plugin and no
// file access are needed; they are compiled on the first `new AdminClient`.
import { defineAdminClient, GenAuthError } from "./facade.js";
import { wasmBytes } from "./wasm.js";

export { GenAuthError };

export const AdminClient = defineAdminClient(() => wasmBytes);
