#!/usr/bin/env node
// Run by `npm install` / `npm ci` (postinstall). linkedom 0.18.15 gives every node it creates (each
// element, text node and attribute of a parsed page) an empty listener Map, stored in a module-wide
// WeakMap, in the EventTarget constructor. newsdesk parses tens of thousands of nodes per page and
// never listens to them; those maps and weak entries are about a quarter of extraction time
// (`npx tsx bench/extract.ts --only speed`, Readability.js on linkedom included). This edit creates
// the map on the first addEventListener instead. Listeners behave as before: dispatch already
// skips targets without a map (src/extract/linkedom-events.test.ts checks both).
//
// The edit is exact: if the file is not what was expected (another linkedom version), nothing is
// changed and a line says so; extraction then works as before, only slower. It is idempotent.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const linkedom = join(root, 'node_modules', 'linkedom');
const MARK = '/* newsdesk: listener maps are created on first use */';

const edits = [
  ['  constructor() {\n    wm.set(this, new Map);\n  }', `  constructor() {\n    ${MARK}\n  }`],
  [
    '  addEventListener(type, listener, options) {\n    const map = wm.get(this);\n',
    '  addEventListener(type, listener, options) {\n    let map = wm.get(this);\n    if (!map) wm.set(this, map = new Map);\n',
  ],
  ['  removeEventListener(type, listener) {\n    const map = wm.get(this);\n    if (map.has(type)) {', '  removeEventListener(type, listener) {\n    const map = wm.get(this);\n    if (map && map.has(type)) {'],
];

function patch(file) {
  if (!existsSync(file)) return `missing ${file}`;
  const source = readFileSync(file, 'utf8');
  if (source.includes(MARK)) return null;
  let out = source;
  for (const [from, to] of edits) {
    if (out.split(from).length !== 2) return `unexpected contents in ${file}`;
    out = out.replace(from, to);
  }
  writeFileSync(file, out);
  return null;
}

if (!existsSync(linkedom)) process.exit(0);
const version = JSON.parse(readFileSync(join(linkedom, 'package.json'), 'utf8')).version;
const problems = ['esm', 'cjs'].map((flavour) => patch(join(linkedom, flavour, 'interface', 'event-target.js'))).filter(Boolean);
if (problems.length > 0) {
  console.warn(`patch-linkedom: linkedom ${version} left as it is (${problems.join('; ')}); article extraction works, without the speed-up`);
}
