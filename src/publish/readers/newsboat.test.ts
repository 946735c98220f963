// The newsboat bar: a real newsboat against a real server over the demo. `newsboat -x reload` then
// `-x print-unread` shows as many unread articles as the desk has published stories; after one is
// marked read through the API, a reload shows one fewer. newsboat 2.22 and later read the Google
// Reader API as urls-source "freshrss" (JSON streams); the Debian 12 package (2.21) predates that
// source, and its "feedhq" source speaks the same API (ClientLogin, subscription/list, edit-tag) with
// Atom streams (/reader/atom/...): the test uses whichever the installed newsboat has, and says which.
// Skipped, with the reason printed, when newsboat is not installed.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshStore, type StoreFixture } from '../../../test/helpers/stores.ts';
import { demoServerOnFirstUse, READER } from './testing.ts';

const probe = spawnSync('newsboat', ['-v'], { encoding: 'utf8' });
const version = /newsboat (\d+)\.(\d+)/.exec(probe.stdout ?? '');
const missing = probe.error || !version ? `newsboat is not installed (${probe.error?.message ?? 'no version printed'}); apt-get install newsboat` : null;
if (missing) process.stdout.write(`# skipping the newsboat bar: ${missing}\n`);
const major = Number(version?.[1] ?? 0);
const minor = Number(version?.[2] ?? 0);
const source = major > 2 || (major === 2 && minor >= 22) ? 'freshrss' : 'feedhq';
if (!missing) process.stdout.write(`# newsboat ${major}.${minor}: urls-source "${source}"${source === 'feedhq' ? ' (this newsboat has no "freshrss" source; "feedhq" is the same Google Reader API)' : ''}\n`);

let fixture: (StoreFixture & { dispose(): Promise<void> }) | null = null;
before(async () => {
  if (!missing) fixture = await freshStore('sqlite');
});
const opened = demoServerOnFirstUse(() => fixture!.store);

function newsboat(home: string, ...commands: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('newsboat', ['-C', join(home, 'config'), '-u', join(home, 'urls'), '-c', join(home, 'cache.db'), '-x', ...commands], { env: { ...process.env, HOME: home }, timeout: 120_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`newsboat ${commands.join(' ')}: ${err.message}\n${stdout}${stderr}`)) : resolve(stdout),
    );
  });
}

const unreadOf = (output: string) => {
  const match = /(\d+) unread articles?/.exec(output);
  assert.ok(match, `print-unread said: ${output}`);
  return Number(match[1]);
};

it('newsboat shows every published story unread, and one fewer after one is marked read through the API', { skip: missing ?? false }, async () => {
  const { base, publishedStories } = await opened();
  assert.ok(publishedStories >= 10);
  const home = mkdtempSync(join(tmpdir(), 'newsdesk-newsboat-'));
  try {
    writeFileSync(
      join(home, 'config'),
      [
        `urls-source "${source}"`,
        `${source}-url "${base}/api/greader"`,
        `${source}-login "${READER.name}"`,
        `${source}-password "${READER.password}"`,
        `${source}-min-items 1000`,
        'reload-threads 8',
        '',
      ].join('\n'),
    );
    writeFileSync(join(home, 'urls'), '');
    await newsboat(home, 'reload');
    assert.equal(unreadOf(await newsboat(home, 'print-unread')), publishedStories);

    const login = await fetch(`${base}/api/greader/accounts/ClientLogin`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ Email: READER.name, Passwd: READER.password }) });
    const auth = /^Auth=(.+)$/m.exec(await login.text())![1]!;
    const headers = { authorization: `GoogleLogin auth=${auth}` };
    const ids = (await (await fetch(`${base}/api/greader/reader/api/0/stream/items/ids?s=user/-/state/com.google/reading-list&n=1`, { headers })).json()) as { itemRefs: Array<{ id: string }> };
    const T = await (await fetch(`${base}/api/greader/reader/api/0/token`, { headers })).text();
    const marked = await fetch(`${base}/api/greader/reader/api/0/edit-tag`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ i: ids.itemRefs[0]!.id, a: 'user/-/state/com.google/read', T }),
    });
    assert.equal(await marked.text(), 'OK');

    await newsboat(home, 'reload');
    assert.equal(unreadOf(await newsboat(home, 'print-unread')), publishedStories - 1);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

after(async () => {
  await fixture?.dispose();
});
