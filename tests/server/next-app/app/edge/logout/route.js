// The same endpoint on the edge runtime, where the module is imported as a
// .wasm file (the edge-light export condition).
import { logoutResponse } from 'genauth-logout/server';

import { logoutOptions } from '../../../options.js';

export const runtime = 'edge';

export function POST(request) {
  return logoutResponse(request, logoutOptions);
}

export const GET = POST;
export const DELETE = POST;
