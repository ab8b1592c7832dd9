'use server';
// Logout as a server action: the action is a POST from the app's own page,
// so logoutResponse checks it as it checks a route handler's request; its
// cookie deletions go through Next's cookie store and its Location through
// redirect().
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { NextResponse } from 'next/server';
import { logoutResponse } from 'genauth-logout/server';

import { APP_ORIGIN, logoutOptions } from '../../options.js';

export async function logOut() {
  const request = new Request(new URL('/', APP_ORIGIN), { method: 'POST', headers: await headers() });
  const response = logoutResponse(request, logoutOptions);
  if (response.status !== 303) throw new Error(`logout refused (${response.status})`);
  const jar = await cookies();
  for (const cookie of new NextResponse(null, { headers: response.headers }).cookies.getAll()) {
    jar.set(cookie);
  }
  redirect(response.headers.get('location'));
}
