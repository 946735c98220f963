#!/usr/bin/env node
// Compiles src/ to dist/ (tsc with tsconfig.build.json) and copies what tsc does not: the site's static
// files and the extraction worker's .mjs entry. dist/ mirrors src/ folder for folder, so paths a module
// builds from import.meta.url (models/, taxonomy/, demo/) resolve the same from either.
// Writes dist/.build-stamp last: bin/newsdesk.mjs runs dist/ only when the stamp is newer than every source.
//
// Usage: node scripts/build.mjs [--if-possible]   (--if-possible: exit 0 without building when
//        typescript is not installed, as in `npm ci --omit=dev`)
import { cpSync, rmSync, writeFileSync, existsSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  if (process.argv.includes('--if-possible')) {
    console.log('build: typescript is not installed (a production install); dist/ left as it is');
    process.exit(0);
  }
  console.error('build: typescript is not installed; run `npm ci` (with dev dependencies) first');
  process.exit(1);
}

const started = Date.now();
rmSync(dist, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
if (compiled.status !== 0) {
  console.error('build: tsc failed; dist/ is incomplete and will not be used');
  process.exit(compiled.status ?? 1);
}

let copied = 0;
function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'testdata' || name === 'node_modules') continue;
    if (statSync(path).isDirectory()) copyAssets(path);
    else if (!/\.ts$/.test(name)) {
      const target = join(dist, relative(src, path));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(path, target);
      copied++;
    }
  }
}
copyAssets(src);
writeFileSync(join(dist, '.build-stamp'), `${new Date().toISOString()}\n`);
console.log(`build: dist/ from src/ in ${((Date.now() - started) / 1000).toFixed(1)} s (${copied} assets copied)`);
if (!existsSync(join(dist, 'cli', 'main.js'))) {
  console.error('build: dist/cli/main.js is missing');
  process.exit(1);
}
