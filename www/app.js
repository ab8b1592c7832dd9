// The demo page. It uses genauth-logout exactly as an app without a bundler
// would: a bare import resolved by the page's import map.
import {
  configure, buildLogoutUrl, logout, onLogout, personalCenterUrl, GenAuthError,
} from 'genauth-logout';
import { tenant, localTenant, packageVersion, admin } from './config.js';

// What the app keeps in the browser. The first two belong to the signed-in
// user and are cleared on logout; the theme is a device preference and stays.
const CLEARED = [
  { key: 'demo.profile', area: 'localStorage' },
  { key: 'demo.token', area: 'sessionStorage' },
];
const KEPT = [{ key: 'demo.theme', area: 'localStorage' }];
const CLEAR_STORAGE_KEYS = CLEARED.map((k) => k.key);

const $ = (id) => document.getElementById(id);
const here = window.location.origin;

// Landing choices. The tenant (local or real) must have the absolute ones
// registered as logout redirect URIs: <origin>/ and <origin>/signed-out.html.
const LANDINGS = [
  { value: '/', label: 'This page — "/" (a relative path)' },
  { value: `${here}/signed-out.html`, label: 'The signed-out page — an absolute registered URL' },
  { value: '/signed-out.html', label: 'The signed-out page — "/signed-out.html" (relative)' },
  { value: `${here}/not-registered.html`, label: 'A page the tenant has not registered (the tenant refuses it)' },
  { value: '', label: 'Nowhere: the tenant\'s own signed-out page' },
  { value: 'https://evil.example/phish', label: 'Another site — the open-redirect guard refuses it' },
];

// While signed in, the page asks the tenant again every POLL_MS (and when the
// tab regains focus), so a session ended elsewhere — by an administrator's
// force-offline, typically — shows up without a reload.
const POLL_MS = 2000;
let signedInUser = null; // { id, name } while the page shows "signed in"
let kicksBefore = Promise.resolve(0); // the demo server's force-offline count for that user
let polling = false;

function setStatus(state, text, userName) {
  const status = $('status');
  status.dataset.state = state;
  status.textContent = text;
  const avatar = $('avatar');
  avatar.dataset.state = state;
  avatar.textContent = userName ? userName.slice(0, 1).toUpperCase() : (state === 'signed-out' ? '–' : '?');
  $('logout').disabled = false;
  $('sign-in-link').hidden = state === 'signed-in';
}

function showMessage(kind, html) {
  const box = $('message');
  box.hidden = false;
  box.className = `message ${kind}`;
  box.innerHTML = html;
}

function clearMessage() {
  const box = $('message');
  box.hidden = true;
  box.textContent = '';
  delete box.dataset.code;
}

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function renderStorage() {
  const rows = [...CLEARED.map((k) => ({ ...k, cleared: true })), ...KEPT.map((k) => ({ ...k, cleared: false }))];
  $('storage').innerHTML = rows.map(({ key, area, cleared }) => {
    const value = window[area].getItem(key);
    return `<tr data-key="${escapeHtml(key)}"><td><code>${escapeHtml(key)}</code></td><td>${area}</td>`
      + `<td>${value === null ? '<span class="muted">(none)</span>' : `<code>${escapeHtml(value)}</code>`}</td>`
      + `<td>${cleared ? '<span class="tag clear">cleared</span>' : '<span class="tag keep">kept</span>'}</td></tr>`;
  }).join('');
}

/** Ask the tenant who is signed in, and keep the app's per-user storage in step. */
async function refreshStatus() {
  setStatus('checking', 'Asking the tenant…');
  let me;
  try {
    const res = await fetch(`${tenant}/api/me`, { credentials: 'include', cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    me = await res.json();
  } catch (err) {
    setStatus('unknown', localTenant
      ? `Could not ask the local tenant (${err.message}). Is genauth-emulator running?`
      : `This tenant does not answer ${tenant}/api/me (that endpoint belongs to the local tenant), so the sign-in state is not shown. Logout still works.`);
    renderStorage();
    return;
  }
  if (me && me.signedIn && me.user) {
    setStatus('signed-in', `Signed in as ${me.user.name}`, me.user.name);
    noticeSignedIn(me.user);
    // What a real app would keep after sign-in.
    localStorage.setItem('demo.profile', JSON.stringify({ id: me.user.id, name: me.user.name }));
    if (!sessionStorage.getItem('demo.token')) {
      sessionStorage.setItem('demo.token', `opaque-${Math.random().toString(36).slice(2, 10)}`);
    }
  } else {
    signedInUser = null;
    setStatus('signed-out', 'Signed out');
  }
  renderStorage();
}

/** How many times the demo server has forced `userId` offline (0 when it cannot say). */
async function kickCount(userId) {
  try {
    const res = await fetch(`/admin/kicks?userId=${encodeURIComponent(userId)}`, { cache: 'no-store' });
    return res.ok ? (await res.json()).kicks : 0;
  } catch {
    return 0;
  }
}

function noticeSignedIn(user) {
  $('session-note').hidden = true;
  if (signedInUser?.id !== user.id) kicksBefore = kickCount(user.id);
  signedInUser = user;
}

/** The poll: only a signed-in page asks, and only a change to "signed out" is acted on. */
async function pollSession() {
  if (polling || !signedInUser || $('status').dataset.state !== 'signed-in') return;
  polling = true;
  try {
    let me;
    try {
      const res = await fetch(`${tenant}/api/me`, { credentials: 'include', cache: 'no-store' });
      if (!res.ok) return;
      me = await res.json();
    } catch {
      return; // a network blip is not a logout; ask again next time
    }
    if (me?.signedIn || $('status').dataset.state !== 'signed-in') return;
    const user = signedInUser;
    signedInUser = null;
    const byAdmin = (await kickCount(user.id)) > (await kicksBefore);
    if ($('status').dataset.state !== 'signed-in') return; // something else took over meanwhile
    setStatus('signed-out', 'Signed out');
    for (const { key, area } of CLEARED) window[area].removeItem(key);
    renderStorage();
    const note = $('session-note');
    note.dataset.reason = byAdmin ? 'admin' : 'elsewhere';
    note.textContent = byAdmin
      ? 'Your session was ended by an administrator.'
      : 'Your session ended outside this page (signed out elsewhere, or it expired).';
    note.hidden = false;
  } finally {
    polling = false;
  }
}

function initAdmin() {
  const select = $('kick-user');
  const button = $('kick');
  const result = $('kick-result');
  $('admin-app').textContent = admin.appId ?? '(no app configured)';
  for (const { id, name } of admin.users) {
    const option = document.createElement('option');
    option.value = id;
    option.textContent = name === id ? id : `${name} (${id})`;
    select.append(option);
  }
  if (!admin.enabled) {
    select.disabled = true;
    button.disabled = true;
    result.hidden = false;
    result.className = 'message notice';
    result.dataset.state = 'disabled';
    result.textContent = `Disabled: ${admin.reason}`;
    return;
  }
  button.addEventListener('click', async () => {
    const userId = select.value;
    button.disabled = true;
    result.hidden = false;
    result.className = 'message';
    result.dataset.state = 'pending';
    delete result.dataset.code;
    result.textContent = `Forcing ${userId} offline…`;
    let answer;
    try {
      const res = await fetch('/admin/kick', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
        cache: 'no-store',
      });
      answer = await res.json();
    } catch (err) {
      answer = { ok: false, error: { code: 'network_error', message: `The demo server did not answer (${err.message}).` } };
    } finally {
      button.disabled = false;
    }
    result.dataset.state = 'done';
    if (answer.ok) {
      result.className = 'message ok';
      result.dataset.code = String(answer.code);
      result.innerHTML = `<strong>${escapeHtml(userId)}</strong>: code <code id="kick-code">${escapeHtml(answer.code)}</code> — ${escapeHtml(answer.message)}`;
    } else {
      const { name, code, message, status, apiCode } = answer.error ?? {};
      const extra = [status !== undefined && `HTTP ${status}`, apiCode !== undefined && `apiCode ${apiCode}`].filter(Boolean).join(', ');
      result.className = 'message error';
      result.dataset.code = String(code);
      result.innerHTML = `<strong>Not forced offline</strong> — ${name === 'GenAuthError' ? 'GenAuthError ' : ''}<code id="kick-code">${escapeHtml(code)}</code>${extra ? ` (${escapeHtml(extra)})` : ''}<br>${escapeHtml(message)}`;
    }
  });
}

function selectedLanding() {
  const value = $('landing').value;
  return value === '' ? undefined : value;
}

function updatePreview() {
  const target = $('logout-url');
  try {
    target.textContent = buildLogoutUrl(selectedLanding());
    target.classList.remove('refused');
  } catch (err) {
    target.textContent = err instanceof GenAuthError ? `nothing: refused with ${err.code}` : String(err);
    target.classList.add('refused');
  }
}

function onLogoutClick() {
  clearMessage();
  const replace = $('replace').checked;
  try {
    logout(selectedLanding(), { replace });
    setStatus('leaving', 'Logging out…');
  } catch (err) {
    if (err instanceof GenAuthError) {
      showMessage('error', `<strong>Logout refused by genauth-logout</strong> — code <code id="error-code">${escapeHtml(err.code)}</code><br>`
        + `${escapeHtml(err.message)}<br><span class="small">Nothing was cleared and you are still signed in.</span>`);
      $('message').dataset.code = err.code;
    } else {
      showMessage('error', `<strong>Unexpected error</strong>: ${escapeHtml(err && err.message ? err.message : err)}`);
    }
  }
}

function heardLogout(event) {
  signedInUser = null;
  setStatus('signed-out', 'Signed out (another tab logged out)');
  // The other tab cleared the shared localStorage; this tab's sessionStorage
  // is its own, so the app drops its per-user keys here too.
  for (const { key, area } of CLEARED) window[area].removeItem(key);
  renderStorage();
  const list = $('tab-events');
  if (list.querySelector('.muted')) list.innerHTML = '';
  const item = document.createElement('li');
  const time = new Date().toLocaleTimeString();
  item.innerHTML = `<span class="tag clear">logout</span> another tab logged out of <code>${escapeHtml(event && event.appDomain)}</code> at ${escapeHtml(time)}`;
  list.prepend(item);
}

function init() {
  $('tenant-origin').textContent = tenant;
  $('tenant-info').dataset.kind = localTenant ? 'local' : 'real';
  $('tenant-info').title = localTenant ? 'The local GenAuth tenant (genauth-emulator)' : 'A real GenAuth tenant (GENAUTH_APP_DOMAIN)';
  $('code-domain').textContent = JSON.stringify(tenant);
  $('pkg-version').textContent = packageVersion;
  if (!localStorage.getItem('demo.theme')) localStorage.setItem('demo.theme', 'light');

  const signIn = new URL('/login', tenant);
  signIn.searchParams.set('redirect_uri', `${here}/`);
  $('sign-in-link').href = signIn.href;

  const select = $('landing');
  for (const { value, label } of LANDINGS) {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = label;
    select.append(option);
  }

  try {
    configure({ appDomain: tenant, clearStorageKeys: CLEAR_STORAGE_KEYS });
  } catch (err) {
    showMessage('error', `<strong>configure() refused the tenant</strong> — code <code>${escapeHtml(err.code)}</code>: ${escapeHtml(err.message)}`);
    $('logout').disabled = true;
    return;
  }
  $('personal-center').href = personalCenterUrl();

  select.addEventListener('change', () => { clearMessage(); updatePreview(); });
  $('logout').addEventListener('click', onLogoutClick);
  $('refresh').addEventListener('click', refreshStatus);
  onLogout(heardLogout);
  window.addEventListener('storage', renderStorage);
  // Coming Back from the tenant restores this page from the back/forward
  // cache: ask again instead of showing a stale "Signed in".
  window.addEventListener('pageshow', (e) => { if (e.persisted) refreshStatus(); });

  initAdmin();
  setInterval(pollSession, POLL_MS);
  window.addEventListener('focus', pollSession);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') pollSession(); });

  updatePreview();
  renderStorage();
  document.body.dataset.ready = 'true';
  refreshStatus();
}

init();
