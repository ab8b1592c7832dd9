// The Next.js test app: a prerendered page with the logout link and forms,
// a logout route handler on Node (app/logout) and on the edge runtime
// (app/edge/logout), both genauth-logout/server's logoutResponse.
export default {};
