// Child processes for the Node test areas: start a server process, wait for
// the banner it prints when it is listening, and stop it again. Node
// built-ins only, so each area imports it by path ('../support/process.mjs')
// whatever its own dependencies are.
import { spawn } from 'node:child_process';

/** SIGTERM, then SIGKILL after 3 s; resolves when the process is gone. */
export function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

/**
 * Spawns `command args` and resolves once its first stdout line matches
 * `banner`, whose first group is the URL it listens on. Rejects (and kills
 * the child) when it prints anything else first, cannot start, exits, or
 * takes longer than `timeoutMs`.
 *
 * Resolves to `{ name, url, child, first, lines, stderr, stop }`: `first` is
 * the banner line, `lines` the stdout lines after it (appended as they come,
 * each also handed to `onLine`), `stderr` the chunks it printed there.
 * `onSpawn` sees the child as soon as it exists.
 */
export function startProcess(name, command, args, banner, { timeoutMs = 15_000, env, cwd, onLine, onSpawn } = {}) {
  const child = spawn(command, args, {
    cwd,
    env: env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (onSpawn) onSpawn(child);
  const lines = [];
  const stderr = [];
  let pending = '';
  let url;
  return new Promise((resolve, reject) => {
    const failStart = (message) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${name}: ${message}\nstderr:\n${stderr.join('')}`));
    };
    const timer = setTimeout(() => failStart(`not listening within ${timeoutMs} ms`), timeoutMs);
    child.stderr.on('data', (d) => { stderr.push(String(d)); });
    child.stdout.on('data', (d) => {
      pending += d;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (url !== undefined) {
          lines.push(line);
          if (onLine) onLine(line);
          continue;
        }
        const m = banner.exec(line);
        if (!m) {
          failStart(`unexpected first line ${JSON.stringify(line)}`);
          return;
        }
        [, url] = m;
        clearTimeout(timer);
        resolve({ name, url, child, first: line, lines, stderr, stop: () => stopChild(child) });
      }
    });
    child.on('error', (err) => failStart(`cannot start: ${err.message}`));
    child.on('exit', (code, signal) => {
      if (url === undefined) failStart(`exited (${code ?? signal}) before listening`);
    });
  });
}

/**
 * The local tenant's test hooks at `url` (`/__emulator/...`): `hook(method,
 * path, body?)` sends `body` as JSON and answers the parsed JSON reply,
 * throwing on a non-2xx answer; each call gives up after 5 s.
 */
export function emulatorHook(url) {
  return async (method, p, body) => {
    const res = await fetch(url + p, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
    return JSON.parse(text);
  };
}
