import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, validateConfig } from './load.ts';
import { isNewsdeskError } from '../errors.ts';

function tempConfig(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'newsdesk-config-'));
  const file = join(dir, 'newsdesk.yaml');
  writeFileSync(file, text);
  return { dir, file };
}

test('no file gives a working default: demo mode, SQLite in ./data, port 8080', () => {
  const config = validateConfig({}, {}, '/srv/desk');
  assert.equal(config.useDemo, true);
  assert.equal(config.storeUrl, '/srv/desk/data/newsdesk.sqlite');
  assert.equal(config.server.port, 8080);
  assert.equal(config.thresholds.publish, 70);
});

test('configured sources turn the demo off', () => {
  const config = validateConfig({ sources: [{ url: 'https://example.com/feed.xml' }] }, {}, '/srv');
  assert.equal(config.useDemo, false);
});

test('environment overrides the file: port, data dir and store', () => {
  const { dir, file } = tempConfig('server:\n  port: 9000\ndataDir: ./here\n');
  const config = loadConfig({ file, cwd: dir, env: { NEWSDESK_PORT: '9100', NEWSDESK_DATA: '/var/lib/nd', NEWSDESK_STORE: 'postgres://u@db/nd' } });
  assert.equal(config.server.port, 9100);
  assert.equal(config.dataDir, '/var/lib/nd');
  assert.equal(config.storeUrl, 'postgres://u@db/nd');
  const sqlite = loadConfig({ file, cwd: dir, env: {} });
  assert.equal(sqlite.storeUrl, join(dir, 'here', 'newsdesk.sqlite'));
});

const invalid: Array<[string, string, RegExp]> = [
  ['a string where a number belongs', 'server:\n  port: eighty\n', /server\.port/],
  ['an unknown key', 'sever:\n  port: 80\n', /\(root\)|sever/],
  ['a source without a URL', 'sources:\n  - name: x\n', /sources\.0\.url/],
  ['a bad URL', 'sources:\n  - url: not a url\n', /sources\.0\.url/],
  ['broken YAML', 'server: [\n', /\(yaml\)/],
];
for (const [name, text, path] of invalid) {
  test(`a bad file stops with the key's path and the reason: ${name}`, () => {
    const { dir, file } = tempConfig(text);
    assert.throws(
      () => loadConfig({ file, cwd: dir, env: {} }),
      (err: unknown) => isNewsdeskError(err, 'ND_CONFIG_INVALID') && path.test(err.message) && !err.message.includes('\n'),
    );
  });
}

test('a bad NEWSDESK_PORT is named', () => {
  assert.throws(() => validateConfig({}, { NEWSDESK_PORT: 'x' }), /NEWSDESK_PORT/);
});

test('a missing named file is a clear error', () => {
  assert.throws(() => loadConfig({ file: '/nonexistent/newsdesk.yaml', env: {} }), (err: unknown) => isNewsdeskError(err, 'ND_CONFIG_UNREADABLE'));
});
