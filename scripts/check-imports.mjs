#!/usr/bin/env node
// The import graph of src/: circles between files, and arrows that run against the pipeline's order
// (a stage importing a later stage, or the store importing a stage). Exits 1 when it finds either,
// listing each, so a redesign step can be checked by a command rather than by reading.
//
// Usage: node scripts/check-imports.mjs [--quiet]
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

// Lower layers may be imported by higher ones, never the reverse. Files at src/ top level (errors,
// log, record, config ...) are the base every stage may use. A folder missing here is reported, so a
// new stage has to be placed in the order on purpose.
const LAYERS = [
  ['base', ['errors.ts', 'log.ts', 'random.ts', 'files.ts', 'record.ts', 'config', 'base']],
  ['store', ['store']],
  ['fetch', ['fetch']],
  ['feeds', ['feeds']],
  ['extract', ['extract']],
  ['normalize', ['normalize']],
  ['curate', ['curate']],
  ['collections', ['collections']],
  ['jobs', ['jobs']],
  ['publish', ['publish']],
  ['cli', ['cli']],
];
const layerOfTop = new Map();
LAYERS.forEach(([, tops], index) => tops.forEach((top) => layerOfTop.set(top, index)));

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'testdata' || name === 'static') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(ts|mts|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

function importsOf(file) {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const targets = new Set();
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2] ?? match[3];
    if (!spec || !spec.startsWith('.')) continue;
    let target = resolve(dirname(file), spec);
    if (!existsSync(target) && existsSync(target.replace(/\.js$/, '.ts'))) target = target.replace(/\.js$/, '.ts');
    if (existsSync(target) && statSync(target).isDirectory()) target = join(target, 'index.ts');
    if (target.startsWith(src + sep)) targets.add(target);
  }
  return [...targets];
}

function layerOf(file) {
  const top = relative(src, file).split(sep)[0];
  return layerOfTop.has(top) ? layerOfTop.get(top) : undefined;
}

const files = walk(src, []);
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const show = (file) => relative(root, file);

const unplaced = [...new Set(files.filter((f) => layerOf(f) === undefined).map((f) => relative(src, f).split(sep)[0]))];

const backward = [];
for (const [file, targets] of graph) {
  const from = layerOf(file);
  for (const target of targets) {
    const to = layerOf(target);
    if (from !== undefined && to !== undefined && to > from) backward.push([file, target]);
  }
}

// Tarjan's strongly connected components: every component with more than one file is a circle.
const circles = [];
{
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const visit = (start) => {
    // Iterative, so a deep chain of imports cannot overflow the call stack.
    const work = [[start, 0]];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1];
      const [node, i] = frame;
      const targets = graph.get(node) ?? [];
      if (i < targets.length) {
        frame[1]++;
        const next = targets[i];
        if (!graph.has(next)) continue;
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          work.push([next, 0]);
        } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), index.get(next)));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) === index.get(node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        if (component.length > 1) circles.push(component.sort());
      }
    }
  };
  for (const file of files) if (!index.has(file)) visit(file);
}

const quiet = process.argv.includes('--quiet');
if (!quiet) {
  for (const [file, target] of backward) {
    console.log(`backward: ${show(file)} (${LAYERS[layerOf(file)][0]}) -> ${show(target)} (${LAYERS[layerOf(target)][0]})`);
  }
  for (const circle of circles) console.log(`circle: ${circle.map(show).join(' <-> ')}`);
  for (const top of unplaced) console.log(`unplaced: src/${top} has no layer in scripts/check-imports.mjs`);
}
console.log(
  `check-imports: ${files.length} files, ${[...graph.values()].reduce((n, t) => n + t.length, 0)} imports, ` +
    `${backward.length} backward arrows, ${circles.length} circles, ${unplaced.length} unplaced`,
);
process.exit(backward.length || circles.length || unplaced.length ? 1 : 0);
