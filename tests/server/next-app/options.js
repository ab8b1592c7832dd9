// The app's configuration: the tenant and the app's own origin, given at
// build time and at start (never read from a request).
export const TENANT = process.env.TENANT;
export const APP_ORIGIN = process.env.APP_ORIGIN;

export const logoutOptions = {
  appDomain: TENANT,
  appOrigin: APP_ORIGIN,
  redirect: '/',
  clearCookies: [{ name: 'session', httpOnly: true, sameSite: 'lax' }],
};
