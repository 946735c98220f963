// scripts/patch-linkedom.mjs changes when linkedom creates a node's listener map; events must work as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parsePage } from './extract.ts';

test('listeners on parsed nodes still fire, bubble, run once and come off', () => {
  const document = parsePage('<html><body><div id="outer"><p id="inner">text</p></div></body></html>', 'https://example.org/');
  const outer = document.getElementById('outer')!;
  const inner = document.getElementById('inner')!;
  const { Event } = document.defaultView!;
  const heard: string[] = [];
  const onOuter = () => heard.push('outer');
  outer.addEventListener('ping', onOuter);
  inner.addEventListener('ping', () => heard.push('inner'), { once: true });
  const ping = () => inner.dispatchEvent(new Event('ping', { bubbles: true }));
  ping();
  ping();
  outer.removeEventListener('ping', onOuter);
  ping();
  // A node that never had a listener can be asked to remove one and to dispatch.
  const bare = document.createElement('span');
  bare.removeEventListener('ping', onOuter);
  assert.equal(bare.dispatchEvent(new Event('ping')), true);
  assert.deepEqual(heard, ['inner', 'outer', 'outer']);
});

test('the installed linkedom creates listener maps on first use (npm install ran scripts/patch-linkedom.mjs)', () => {
  const require = createRequire(import.meta.url);
  const esm = require.resolve('linkedom').replace(/cjs[\\/]index\.js$/, 'esm/interface/event-target.js');
  assert.match(readFileSync(esm, 'utf8'), /newsdesk: listener maps are created on first use/);
});
