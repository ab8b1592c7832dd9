// genauth-logout/server: a logout endpoint for server-rendered apps
// (Web Request -> Response) and token revocation for confidential clients,
// for Node, Deno, Bun and any runtime that compiles WebAssembly from bytes.
// The module's bytes are the admin entry's, inlined (../admin/wasm.js);
// they are compiled on first use.
import { defineServer, GenAuthError } from "./facade.js";
import { wasmBytes } from "../admin/wasm.js";

export { GenAuthError };

export const { logoutResponse, revokeTokens } = defineServer(() => wasmBytes);
