// onLogout listeners that throw, in whatever scope runs this (the Chromium
// page, a Node process): every listener must still be told, and each
// exception must be reported as the platform reports an event listener's.
// `reported` is filled by the caller's platform hook (an error event in a
// page, uncaughtException in Node).
export async function listenerChecks(pkg, reported) {
  const seen = [];
  const client = new pkg.LogoutClient({ appDomain: 'myapp.genauth.ai' });
  const offs = [];
  offs.push(client.onLogout(() => { throw new Error('first listener'); }));
  offs.push(client.onLogout((e) => seen.push(`second ${e.appDomain}`)));
  offs.push(client.onLogout(() => { throw 'a thrown string'; }));
  offs.push(client.onLogout(() => { seen.push('fourth unsubscribes itself'); offs[3](); }));
  offs.push(client.onLogout(() => seen.push('fifth')));
  pkg.configure({ appDomain: 'myapp.genauth.ai' });
  offs.push(pkg.onLogout(() => { throw new TypeError('module-level listener'); }));
  offs.push(pkg.onLogout((e) => seen.push(`module ${e.appDomain}`)));
  // Another channel name and another application: their own listeners.
  const named = new pkg.LogoutClient({ appDomain: 'myapp.genauth.ai', channelName: 'other-channel' });
  offs.push(named.onLogout(() => { throw new Error('other channel listener'); }));
  offs.push(named.onLogout(() => seen.push('other channel')));
  offs.push(new pkg.LogoutClient({ appDomain: 'other.genauth.ai' }).onLogout(() => seen.push('other app')));

  const tab = new BroadcastChannel('genauth-logout');
  const otherTab = new BroadcastChannel('other-channel');
  const wait = () => new Promise((resolve) => setTimeout(resolve, 300));
  const rounds = [];
  for (let round = 0; round < 2; round += 1) {
    seen.length = 0;
    reported.length = 0;
    tab.postMessage({ type: 'logout', appDomain: 'https://myapp.genauth.ai' });
    otherTab.postMessage({ type: 'logout', appDomain: 'https://myapp.genauth.ai' });
    await wait();
    rounds.push({ seen: [...seen].sort(), reported: [...reported].sort() });
  }
  for (const off of offs) off();
  seen.length = 0;
  reported.length = 0;
  tab.postMessage({ type: 'logout', appDomain: 'https://myapp.genauth.ai' });
  await wait();
  rounds.push({ seen: [...seen], reported: [...reported] });
  tab.close();
  otherTab.close();
  return rounds;
}
