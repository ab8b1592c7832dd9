// Rendered at build time (a static page): the main entry builds the hosted
// logout link on the server, and the forms post to the two route handlers.
import { LogoutClient } from 'genauth-logout';

import { APP_ORIGIN, TENANT } from '../options.js';

const client = new LogoutClient({ appDomain: TENANT });

export default function Page() {
  return (
    <main>
      <a id="logout-link" href={client.buildLogoutUrl(`${APP_ORIGIN}/`)}>Log out (link)</a>
      <form id="logout-form" method="post" action="/logout">
        <button id="logout" type="submit">Log out</button>
      </form>
      <form id="edge-logout-form" method="post" action="/edge/logout">
        <button id="edge-logout" type="submit">Log out (edge)</button>
      </form>
    </main>
  );
}
