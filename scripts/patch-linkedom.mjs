#!/usr/bin/env node
// Run by `npm install` / `npm ci` (postinstall): two exact edits of linkedom 0.18.15. First, it gives
// every node it creates (each element, text node and attribute of a parsed page) an empty listener Map, stored in a module-wide
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
// A second edit, in mixin/inner-html.js: setting innerHTML spread the parsed children as arguments
// of one replaceChildren call, which overflows the call stack past some 100,000 children (every
// entity of a text is a text node of its own). They are appended one by one instead, which is what
// replaceChildren does with its arguments.
const files = [
  {
    path: ['interface', 'event-target.js'],
    mark: '/* newsdesk: listener maps are created on first use */',
    edits: (mark) => [
      ['  constructor() {\n    wm.set(this, new Map);\n  }', `  constructor() {\n    ${mark}\n  }`],
      [
        '  addEventListener(type, listener, options) {\n    const map = wm.get(this);\n',
        '  addEventListener(type, listener, options) {\n    let map = wm.get(this);\n    if (!map) wm.set(this, map = new Map);\n',
      ],
      ['  removeEventListener(type, listener) {\n    const map = wm.get(this);\n    if (map.has(type)) {', '  removeEventListener(type, listener) {\n    const map = wm.get(this);\n    if (map && map.has(type)) {'],
    ],
  },
  {
    path: ['mixin', 'inner-html.js'],
    mark: '/* newsdesk: parsed children are appended one by one, not spread as arguments */',
    edits: (mark) => [
      [
        '  node.replaceChildren(...childNodes.map(setOwnerDocument, ownerDocument));',
        `  ${mark}\n  node.replaceChildren();\n  for (const child of childNodes.map(setOwnerDocument, ownerDocument)) node.appendChild(child);`,
      ],
    ],
  },
];

function patch(file, mark, edits) {
  if (!existsSync(file)) return `missing ${file}`;
  const source = readFileSync(file, 'utf8');
  if (source.includes(mark)) return null;
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
const problems = files.flatMap(({ path, mark, edits }) => ['esm', 'cjs'].map((flavour) => patch(join(linkedom, flavour, ...path), mark, edits(mark)))).filter(Boolean);
if (problems.length > 0) {
  console.warn(`patch-linkedom: linkedom ${version} left as it is where it differs (${problems.join('; ')}); article extraction works, slower, and pages with 100,000+ text nodes fail with a coded error`);
}
