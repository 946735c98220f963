// `newsdesk users` as a user runs it: passwords from stdin (not a terminal), readers and editors that
// then log in (reader apps, the desk), a separate API password, clear errors that change nothing.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Store } from '../store/index.ts';
import { SiteStore } from '../store/site.ts';
import { EditorAuth } from '../publish/desk/auth.ts';
import { ReaderAccounts, feverKey } from '../publish/readers/accounts.ts';

const bin = resolve('bin/newsdesk.mjs');

it('adds, lists, re-passwords and removes readers and editors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsdesk-users-'));
  try {
    writeFileSync(join(dir, 'newsdesk.yaml'), 'store: ./store.sqlite\ndemo: true\n');
    const run = (args: string[], input = '') => spawnSync(process.execPath, [bin, ...args], { cwd: dir, input, encoding: 'utf8', timeout: 60_000 });
    const added = run(['users', 'add', 'alice', '--role', 'reader'], 'alice password 1\n');
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /added reader alice/);
    assert.equal(run(['users', 'add', 'ed', '--role', 'editor'], 'editor password 1\n').status, 0);
    assert.equal(run(['admin', 'create', 'boss', '--password-stdin'], 'boss password 12\n').status, 0, 'admin create keeps working');
    const again = run(['users', 'add', 'alice'], 'another password\n');
    assert.equal(again.status, 1);
    assert.match(again.stderr, /a user named alice exists already/);
    const badRole = run(['users', 'add', 'zed', '--role', 'owner'], 'zed password 12\n');
    assert.equal(badRole.status, 1);
    assert.match(badRole.stderr, /--role must be reader or editor/);
    const short = run(['users', 'add', 'zed'], 'short\n');
    assert.equal(short.status, 1);
    assert.match(short.stderr, /at least 10 characters/);
    const list = run(['users', 'list']);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^alice\treader\t/m);
    assert.match(list.stdout, /^ed\teditor\t/m);
    assert.match(list.stdout, /^boss\teditor\t.*\(desk editor\)$/m);
    assert.match(list.stdout, /^3 users$/m);
    assert.equal(run(['users', 'password', 'alice', '--api'], 'alice app password\n').status, 0);
    assert.equal(run(['users', 'resurface', 'alice', 'on']).status, 0);
    const badSwitch = run(['users', 'resurface', 'alice', 'maybe']);
    assert.equal(badSwitch.status, 1);
    assert.match(badSwitch.stderr, /say on or off/);
    const nobody = run(['users', 'resurface', 'nobody', 'on']);
    assert.equal(nobody.status, 1);
    assert.match(nobody.stderr, /no user named nobody/);

    const store = await Store.open(join(dir, 'store.sqlite'));
    try {
      const accounts = new ReaderAccounts(store);
      assert.equal((await accounts.readers.readerByName('alice'))?.resurface, true, 'users resurface on is stored');
      assert.equal((await accounts.passwordLogin('alice', 'alice app password', '10.0.0.1')).ok, true, 'apps use the API password');
      assert.equal((await accounts.passwordLogin('alice', 'alice password 1', '10.0.0.1')).ok, false, 'and not the login password once an API password is set');
      assert.equal((await accounts.bearer('fever', feverKey('alice', 'alice app password'), '10.0.0.1')).ok, true, 'the Fever key follows the API password');
      assert.equal((await accounts.bearer('fever', feverKey('alice', 'alice password 1'), '10.0.0.1')).ok, false);
      const site = new SiteStore(store);
      assert.equal((await new EditorAuth(site).login('ed', 'editor password 1', '10.0.0.2')).ok, true, 'an editor logs in to the desk');
      assert.equal((await accounts.passwordLogin('ed', 'editor password 1', '10.0.0.2')).ok, true, 'and to reader apps');
      assert.equal((await accounts.passwordLogin('boss', 'boss password 12', '10.0.0.2')).ok, true, 'an editor made by admin create is a reader too');
    } finally {
      await store.close();
    }
    assert.equal(run(['users', 'password', 'ed'], 'editor password 2\n').status, 0);
    assert.equal(run(['users', 'remove', 'alice']).status, 0);
    const missing = run(['users', 'remove', 'alice']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no user named alice/);
    const reopened = await Store.open(join(dir, 'store.sqlite'));
    try {
      const site = new SiteStore(reopened);
      assert.equal((await new EditorAuth(site).login('ed', 'editor password 2', '10.0.0.3')).ok, true, "users password sets the editor's desk password");
      assert.equal(await new ReaderAccounts(reopened).readers.readerByName('alice'), null);
    } finally {
      await reopened.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
