// `newsdesk admin create` as a user runs it: the password from stdin, stored as a scrypt hash
// that logs in.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Store } from '../store/index.ts';
import { SiteStore } from '../store/site.ts';
import { EditorAuth, validatePassword, validateUsername } from '../publish/desk/auth.ts';

const bin = resolve('bin/newsdesk.mjs');

it('creates an editor from a password on stdin', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsdesk-admin-'));
  try {
    writeFileSync(join(dir, 'newsdesk.yaml'), 'store: ./store.sqlite\ndemo: true\n');
    const run = (args: string[], input: string) => spawnSync(process.execPath, [bin, 'admin', ...args], { cwd: dir, input, encoding: 'utf8', timeout: 60_000 });
    const created = run(['create', 'alice', '--password-stdin'], 'a very good password\n');
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.stdout, /created editor alice/);
    const store = await Store.open(join(dir, 'store.sqlite'));
    try {
      const site = new SiteStore(store);
      assert.match((await site.editorByName('alice'))!.passwordHash, /^scrypt\$/);
      const auth = new EditorAuth(site);
      assert.equal((await auth.login('alice', 'a very good password', '127.0.0.1')).ok, true);
      assert.equal((await auth.login('alice', 'a very good passwore', '127.0.0.1')).ok, false);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('asks for passwords of at least 10 characters and plain usernames', () => {
  assert.match(validatePassword('short')!, /at least 10/);
  assert.equal(validatePassword('long enough pass'), null);
  assert.equal(validateUsername('ed.itor-1'), null);
  assert.ok(validateUsername('bad name'));
  assert.ok(validateUsername('x'));
});
