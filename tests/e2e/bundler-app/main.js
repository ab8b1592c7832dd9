// A minimal app with a Logout button, as a user would write it with a bundler.
import { configure, logout } from 'genauth-logout';

const status = document.getElementById('status');
// The tenant's origin comes in the query (?tenant=...) so one build works
// with any port the test's emulator gets.
const tenant = new URLSearchParams(window.location.search).get('tenant');

if (tenant) {
  configure({ appDomain: tenant });
  document.getElementById('logout').addEventListener('click', () => {
    logout(`${window.location.origin}/`);
  });
  status.dataset.state = 'ready';
  status.textContent = `Ready to log out of ${tenant}`;
} else {
  status.dataset.state = 'no-tenant';
  status.textContent = 'Back on the app (no tenant in the URL).';
}
