// `npm run conformance`: the Universal Feed Parser test feeds through newsdesk's parser.
// Cases with HTTP headers are served from a local server on 127.0.0.1 with those headers and
// fetched over real HTTP; the others are read from disk. Prints the pass rate per folder and a
// last line `conformance: PASSED/TOTAL` over the cases that concern parsing, the sanitize folder
// included once newsdesk has a sanitizer (its split is printed on the lines before).
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { runCase, type CaseOutcome, type HtmlTransform, type ManifestItem } from '../src/feeds/conformance.ts';

const root = resolve(process.env.FEEDPARSER_TESTS ?? join(import.meta.dirname, '../../shared/bench/feedparser-tests'));
if (!existsSync(join(root, 'manifest.json'))) {
  console.log(`conformance: skipped, no test set at ${root}`);
  process.exit(0);
}
const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as ManifestItem[];
const verbose = process.argv.includes('--verbose');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);

const sanitizerPath = join(import.meta.dirname, '../src/extract/sanitize.ts');
const hasSanitizer = existsSync(sanitizerPath);
// The sanitize cases check what survives sanitisation, so their HTML goes through newsdesk's sanitizer.
const sanitizeHtml: HtmlTransform | undefined = hasSanitizer ? ((await import(sanitizerPath)) as { sanitizeHtml: HtmlTransform }).sanitizeHtml : undefined;

const server = createServer((req, res) => {
  const item = manifest.find((m) => `/${m.path}` === decodeURIComponent(req.url ?? ''));
  if (!item) {
    res.writeHead(404).end();
    return;
  }
  const headers: Record<string, string> = { 'content-type': 'text/xml' };
  for (const [name, value] of Object.entries(item.http_headers ?? {})) {
    if (name.toLowerCase() === 'content-type') headers['content-type'] = value;
    else headers[name] = value;
  }
  res.writeHead(200, headers);
  res.end(readFileSync(join(root, item.path)));
});
// Expectations name the upstream harness's address (http://127.0.0.1:8097/...), so serve there;
// FEEDPARSER_PORT moves it if 8097 is taken.
await new Promise<void>((done) => server.listen(Number(process.env.FEEDPARSER_PORT ?? 8097), '127.0.0.1', done));
const port = (server.address() as AddressInfo).port;

const outcomes: CaseOutcome[] = [];
for (const item of manifest) {
  if (only && !item.path.includes(only)) continue;
  if (item.category === 'wellformed/sanitize' && !hasSanitizer) continue;
  if (item.input_mode === 'http') {
    const url = `http://127.0.0.1:${port}/${item.path}`;
    const response = await fetch(url);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    // Only the headers the case is about (plus content-type) reach the parser, as a fetch stage passes them.
    outcomes.push(runCase(item, bytes, url, headers, item.category === 'wellformed/sanitize' ? sanitizeHtml : undefined));
  } else {
    const bytes = readFileSync(join(root, item.path));
    outcomes.push(runCase(item, bytes, `http://127.0.0.1:${port}/${item.path}`, {}, item.category === 'wellformed/sanitize' ? sanitizeHtml : undefined));
  }
}
server.close();

const byFolder = new Map<string, { passed: number; total: number }>();
for (const o of outcomes) {
  const folder = byFolder.get(o.category) ?? { passed: 0, total: 0 };
  folder.total++;
  if (o.passed) folder.passed++;
  byFolder.set(o.category, folder);
}
const pct = (p: number, t: number): string => (t ? `${((100 * p) / t).toFixed(1)}%` : '-');
console.log('folder'.padEnd(28), 'passed'.padStart(7), 'total'.padStart(6), 'rate'.padStart(7));
for (const [folder, { passed, total }] of [...byFolder].sort((a, b) => b[1].total - a[1].total)) {
  console.log(folder.padEnd(28), String(passed).padStart(7), String(total).padStart(6), pct(passed, total).padStart(7));
}
const exceptions = outcomes.filter((o) => o.exception);
const refused = outcomes.filter((o) => o.refused);
console.log(`exceptions: ${exceptions.length}; refused as unparseable (coded error): ${refused.length}`);
for (const o of exceptions) console.log(`  exception ${o.path}: ${o.exception}`);
if (verbose) for (const o of outcomes) if (!o.passed) console.log(`  FAIL ${o.path}${o.refused ? ` (refused: ${o.refused})` : ''}`);
const sanitize = outcomes.filter((o) => o.category === 'wellformed/sanitize');
if (hasSanitizer) console.log(`sanitize (through src/extract/sanitize.ts): ${sanitize.filter((o) => o.passed).length}/${sanitize.length}`);
else console.log('sanitize: excluded (src/extract/sanitize.ts does not exist yet)');
const parsing = outcomes.filter((o) => o.category !== 'wellformed/sanitize');
const parsingPassed = parsing.filter((o) => o.passed).length;
console.log(`feed parsing without sanitize: ${parsingPassed}/${parsing.length} (${pct(parsingPassed, parsing.length)})`);
// The sanitize folder counts once the sanitizer exists (it is skipped above when it does not).
const passed = outcomes.filter((o) => o.passed).length;
console.log(`pass rate: ${pct(passed, outcomes.length)}`);
console.log(`conformance: ${passed}/${outcomes.length}`);
