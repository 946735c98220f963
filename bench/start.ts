// Start-up time of the command: median wall time of `node bin/newsdesk.mjs --help` (and of one light
// command) over N runs, against `node -e 0` measured in the same loop so machine load cancels out.
// Usage: npx tsx bench/start.ts [--runs 15]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 15) || 15;
const bin = fileURLToPath(new URL('../bin/newsdesk.mjs', import.meta.url));
const stamp = fileURLToPath(new URL('../dist/.build-stamp', import.meta.url));
const lines: Record<string, string[]> = { 'node -e 0': ['-e', '0'], 'newsdesk --help': [bin, '--help'], 'newsdesk sources --help': [bin, 'sources', '--help'] };
const times: Record<string, number[]> = Object.fromEntries(Object.keys(lines).map((k) => [k, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(lines)) {
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (run.status !== 0) throw new Error(`${name} exited ${run.status}`);
    times[name]!.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(times['node -e 0']!);
console.log(`start: ${existsSync(stamp) ? 'dist/ build present' : 'no build: tsx runs the sources'}, ${runs} runs each`);
for (const [name, xs] of Object.entries(times)) console.log(`  ${name.padEnd(24)} median ${median(xs).toFixed(0).padStart(5)} ms  ${(median(xs) / base).toFixed(1)}× node -e 0`);
