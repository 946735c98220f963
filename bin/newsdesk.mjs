#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ when it is current (built after the last change to src/), else
// the TypeScript sources through tsx, so a checkout being edited never runs stale code. An install
// pruned of dev dependencies has no tsx and runs dist/ as it is.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.build-stamp');
const src = join(root, 'src');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'testdata') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function tsxAvailable() {
  try {
    import.meta.resolve('tsx/esm/api');
    return true;
  } catch {
    return false;
  }
}

const built = existsSync(stamp);
const current = built && (!existsSync(src) || statSync(stamp).mtimeMs >= newestSource(src));
if (current || (built && !tsxAvailable())) {
  await import('../dist/cli/main.js');
} else if (tsxAvailable()) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
} else {
  console.error('newsdesk: neither a build (dist/) nor tsx is installed; run `npm ci`, then `npm run build`');
  process.exit(1);
}
