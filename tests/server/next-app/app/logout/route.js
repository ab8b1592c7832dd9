// The logout endpoint on Node.js.
import { logoutResponse } from 'genauth-logout/server';

import { logoutOptions } from '../../options.js';

export function POST(request) {
  return logoutResponse(request, logoutOptions);
}

export const GET = POST;
export const DELETE = POST;
