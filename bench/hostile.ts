// The attack inputs of issue 21, with the time and the outcome of each, against the bars:
//   feeds: 100,000 attributes on one element (1.09 MB); `&lt;a href=` repeated 5k..200k times,
//   pages: 20,000 elements deep, 100,000 unclosed <span>, a 14 MB page of `<` (each ≤ 5 s, parsed
//          or refused with an ND_ code),
//   login: 60 concurrent wrong passwords over HTTP (at most 20 answered 401), then the right one
//          from a fresh address (logged in),
//   edge:  the malformed requests the probe answered 5xx (none may),
//   serve: `newsdesk serve` ingesting the 14 MB page (and a long ordinary page) while /api/health is
//          polled (each answer < 1 s, RSS < 1 GB); again with extraction on the main thread, to compare.
//
// Usage: npx tsx bench/hostile.ts [--only feeds,pages,login,edge,serve]
// Loopback only: the site, the server and every client are on 127.0.0.x of this machine.
import { createServer, request, type Server } from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { parseFeed } from '../src/feeds/parse.ts';
import { extractArticle } from '../src/extract/extract.ts';
import { ExtractionPool } from '../src/extract/pool.ts';
import { isNewsdeskError } from '../src/errors.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = (() => {
  const i = process.argv.indexOf('--only');
  return i >= 0 ? new Set(process.argv[i + 1]!.split(',')) : null;
})();
const wanted = (part: string) => !only || only.has(part);

function outcomeOf(run: () => unknown): { ms: number; outcome: string } {
  const started = performance.now();
  let outcome: string;
  try {
    run();
    outcome = 'parsed';
  } catch (err) {
    outcome = isNewsdeskError(err) ? `refused ${err.code}: ${err.message.slice(0, 90)}` : `UNCODED ${(err as Error).message.slice(0, 90)}`;
  }
  return { ms: performance.now() - started, outcome };
}

function line(label: string, ms: number, outcome: string, barMs?: number): void {
  const verdict = barMs === undefined ? '' : ms <= barMs && !outcome.startsWith('UNCODED') ? '  ok' : '  OVER THE BAR';
  console.log(`  ${label.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${outcome}${verdict}`);
}

const feedWith = (item: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title><link>https://example.com/</link>${item}</channel></rss>`;
const pageWith = (body: string) => `<!doctype html><html><head><title>Hostile page</title></head><body>${body}</body></html>`;

function feeds(): void {
  console.log('feeds (parseFeed: decode, well-formedness, parse, normalize), bar 5 s each:');
  const attrs = feedWith(`<item${Array.from({ length: 100_000 }, (_, i) => ` a${i}="v"`).join('')}><title>x</title><link>https://example.com/a</link></item>`);
  const r = outcomeOf(() => parseFeed(Buffer.from(attrs), { url: 'https://example.com/feed.xml' }));
  line(`100,000 attributes on one element (${(attrs.length / 1e6).toFixed(2)} MB)`, r.ms, r.outcome, 5000);
  for (const n of [5_000, 10_000, 20_000, 40_000, 200_000]) {
    const xml = feedWith(`<item><title>x</title><link>https://example.com/a</link><description>${'&lt;a href='.repeat(n)}</description></item>`);
    const result = outcomeOf(() => parseFeed(Buffer.from(xml), { url: 'https://example.com/feed.xml' }));
    line(`'&lt;a href=' x ${n.toLocaleString('en-US')}`, result.ms, result.outcome, 5000);
  }
}

const HOSTILE_PAGES: Array<[string, () => string]> = [
  ['20,000 elements deep', () => pageWith(`${'<div>'.repeat(20_000)}<p>${'Words at the bottom. '.repeat(20)}</p>${'</div>'.repeat(20_000)}`)],
  ['100,000 unclosed <span>', () => pageWith(`${'<span>'.repeat(100_000)}${'Words in spans. '.repeat(20)}`)],
  ['14 MB of "<"', () => pageWith('<'.repeat(14 * 1024 * 1024))],
  ['1,000 deep (37 s before)', () => pageWith(`${'<div>'.repeat(1000)}${'text '.repeat(50)}${'</div>'.repeat(1000)}`)],
  ['200,000 "&amp;" in one paragraph', () => pageWith(`<p>${'&amp;'.repeat(200_000)}</p>`)],
  ['40,000 empty paragraphs', () => pageWith(`${'<p>'.repeat(40_000)}deep`)],
];

async function pages(): Promise<void> {
  console.log('pages (extractArticle on this thread), bar 5 s each:');
  for (const [label, make] of HOSTILE_PAGES) {
    const html = make();
    const r = outcomeOf(() => extractArticle(html, 'https://example.com/hostile'));
    line(label, r.ms, r.outcome, 5000);
  }
  console.log('pages through the worker pool (2 workers, 20 s deadline, 512 MiB heap):');
  const pool = new ExtractionPool({ workers: 2 });
  try {
    await pool.run({ bytes: Buffer.from(pageWith('<p>warm up</p>')), contentType: 'text/html', url: 'https://example.com/warm' });
    for (const [label, make] of HOSTILE_PAGES) {
      const bytes = Buffer.from(make());
      const started = performance.now();
      const outcome = await pool.run({ bytes, contentType: 'text/html', url: 'https://example.com/hostile' }).then(
        () => 'parsed',
        (err: unknown) => (isNewsdeskError(err) ? `refused ${err.code}: ${err.message.slice(0, 90)}` : `UNCODED ${String(err)}`),
      );
      line(label, performance.now() - started, outcome, 5000);
    }
  } finally {
    await pool.close();
  }
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
}

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  ms: number;
}

function http(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; localAddress?: string; timeoutMs?: number } = {}): Promise<HttpAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, localAddress: options.localAddress, timeout: options.timeoutMs ?? 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(options.body);
  });
}

interface Served {
  base: string;
  pid: number;
  stop(): Promise<void>;
  rssMb(): number;
}

async function serveNewsdesk(config: Record<string, unknown>, dir: string): Promise<Served> {
  const configFile = join(dir, 'newsdesk.json.yaml');
  writeFileSync(configFile, JSON.stringify(config));
  const child = spawn(process.execPath, [join(root, 'bin', 'newsdesk.mjs'), '--config', configFile, 'serve'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NEWSDESK_LOG_LEVEL: 'warn' } });
  let output = '';
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      const m = /serving (http:\/\/\S+?)\/ /.exec(c.toString());
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output.slice(-500)}`)));
  });
  return {
    base,
    pid: child.pid!,
    rssMb: () => {
      try {
        return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;
      } catch {
        return 0;
      }
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

async function withServer<T>(extraConfig: Record<string, unknown>, work: (served: Served, dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'nd-hostile-'));
  const served = await serveNewsdesk({ demo: false, dataDir: dir, store: join(dir, 'store.sqlite'), server: { host: '127.0.0.1', port: 0 }, ...extraConfig }, dir);
  try {
    return await work(served, dir);
  } finally {
    await served.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function login(): Promise<void> {
  console.log('login over HTTP (newsdesk serve, SQLite):');
  await withServer({}, async (served, dir) => {
    const created = spawn(process.execPath, [join(root, 'bin', 'newsdesk.mjs'), '--config', join(dir, 'newsdesk.json.yaml'), 'admin', 'create', 'ed', '--password-stdin'], { cwd: dir, stdio: ['pipe', 'ignore', 'inherit'] });
    created.stdin.end('the right password\n');
    await new Promise((resolve) => created.on('exit', resolve));
    const attempt = async (username: string, password: string, localAddress: string) => {
      const form = await http(`${served.base}/desk/login`, { localAddress });
      const cookie = [form.headers['set-cookie'] ?? []].flat().map((c) => c.split(';')[0]).join('; ');
      const csrf = /name="csrf" value="([^"]+)"/.exec(form.body)![1]!;
      return http(`${served.base}/desk/login`, { method: 'POST', localAddress, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf, username, password }).toString() });
    };
    const burst = async (label: string, username: (i: number) => string, localAddress: string, bar: number) => {
      const started = performance.now();
      const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => attempt(username(i), `wrong guess ${i}`, localAddress)));
      const counts = new Map<number, number>();
      for (const a of answers) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
      const wrong = counts.get(401) ?? 0;
      console.log(`  ${label}: ${[...counts].map(([s, n]) => `${n}x${s}`).join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s (bar: at most ${bar} answered 401)${wrong <= bar ? '  ok' : '  OVER THE BAR'}`);
    };
    await burst('60 concurrent wrong passwords for "ed" from 127.0.0.1', () => 'ed', '127.0.0.1', 20);
    await burst('60 concurrent wrong logins, 60 names, from 127.0.0.3', (i) => `name${i}`, '127.0.0.3', 20);
    const fresh = await attempt('ed', 'the right password', '127.0.0.9');
    console.log(`  the right password for "ed" from a fresh address (127.0.0.9): HTTP ${fresh.status}${fresh.status === 303 ? ' (logged in)  ok' : '  NOT LOGGED IN'}`);
    const limited = await attempt('ed', 'the right password', '127.0.0.3');
    console.log(`  the right password from the address at its limit (127.0.0.3): HTTP ${limited.status}${limited.status === 429 ? ' (refused, as it should be)' : ''}`);
  });
}

const MALFORMED: Array<[string, string, Record<string, string>?, (string | Buffer)?]> = [
  ['GET', '/search?q=x&to=2026-99-99'],
  ['GET', '/events/?page=1e309'],
  ['GET', '/learning/?page=1e309'],
  ['GET', '/companies/?page=99999999999999999999'],
  ['GET', '/people/?page=99999999999999999999'],
  ['GET', '/desk?page=1e309'],
  ['GET', '/api/news/page/99999999999999999999/'],
  ['GET', '/search?q=a&q=b'],
  ['GET', '/api/news/item/%E0%A4%A/'],
  ['POST', '/desk/story/1/decide', { 'content-type': 'multipart/form-data; boundary=x' }, '--x--\r\n'],
  ['POST', '/desk/taxonomy', { 'content-type': 'application/xml' }, '<a/>'],
  ['POST', '/desk/sources', { 'content-type': 'application/octet-stream' }, Buffer.from([0, 1, 2, 255])],
  ['POST', '/desk/login', { 'content-type': 'application/x-www-form-urlencoded' }, `a=${'b'.repeat(2 * 1024 * 1024)}`],
];

async function edge(): Promise<void> {
  console.log('malformed requests over HTTP (newsdesk serve), bar: no 5xx:');
  await withServer({}, async (served) => {
    let fivexx = 0;
    for (const [method, path, headers, body] of MALFORMED) {
      const answer = await http(`${served.base}${path}`, { method, headers, body });
      if (answer.status >= 500) fivexx++;
      console.log(`  ${method.padEnd(4)} ${path.slice(0, 50).padEnd(50)} ${answer.status}`);
    }
    console.log(`  ${fivexx} of ${MALFORMED.length} answered 5xx${fivexx === 0 ? '  ok' : '  OVER THE BAR'}`);
  });
}

// Two article pages behind one feed: the 14 MB page of `<`, and an ordinary but long page (3,000
// paragraphs, 1.6 MB) that takes a second or more to extract, during which a server extracting on
// its own event loop cannot answer.
async function serve(workers: number | undefined): Promise<void> {
  const label = workers === 0 ? 'extraction on the main thread (extract.workers: 0)' : 'extraction in worker threads (the default)';
  console.log(`newsdesk serve, ${label}, ingesting the 14 MB page of "<" and a 1.6 MB page; /api/health polled every 100 ms:`);
  const hostile = Buffer.from(pageWith('<'.repeat(14 * 1024 * 1024)));
  const long = Buffer.from(pageWith(`<article><h1>A long page</h1>${`<p>${'A sentence of plain words in a long article. '.repeat(12)}</p>`.repeat(3000)}</article>`));
  let firstPageServed = 0;
  const site = createServer((req, res) => {
    const host = `http://127.0.0.2:${(site.address() as AddressInfo).port}`;
    if (req.url === '/feed.xml') {
      const item = (path: string, title: string) => `<item><title>${title}</title><link>${host}${path}</link><description>The feed's own text for ${title}.</description><pubDate>${new Date().toUTCString()}</pubDate></item>`;
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feedWith(item('/hostile.html', 'A hostile page') + item('/long.html', 'A long page')));
    } else if (req.url === '/hostile.html' || req.url === '/long.html') {
      firstPageServed ||= performance.now();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(req.url === '/long.html' ? long : hostile);
    } else {
      res.writeHead(404).end();
    }
  });
  const port = await listen(site, '127.0.0.2');
  try {
    const config = { sources: [{ url: `http://127.0.0.2:${port}/feed.xml` }], fetch: { allow: { cidrs: ['127.0.0.2/32'] } }, jobs: { hostGapMs: 0, hostJitterMs: 0 }, ...(workers === undefined ? {} : { extract: { workers } }) };
    await withServer(config, async (served, dir) => {
      let worst = 0;
      let maxRss = 0;
      let polls = 0;
      let stored = 0;
      const deadline = Date.now() + 180_000;
      while (Date.now() < deadline && stored < 2) {
        const answer = await http(`${served.base}/api/health`, { timeoutMs: 30_000 }).catch(() => ({ status: 0, body: '{}', ms: 30_000 }) as HttpAnswer);
        polls++;
        if (firstPageServed) worst = Math.max(worst, answer.ms);
        maxRss = Math.max(maxRss, served.rssMb());
        if (answer.status === 200) stored = (JSON.parse(answer.body) as { articles?: number }).articles ?? 0;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(join(dir, 'store.sqlite'), { readonly: true, fileMustExist: true });
      const rows = db.prepare('select title, extraction_status as status, extraction_reason as reason from articles order by id').all() as Array<{ title: string; status: string; reason: string | null }>;
      db.close();
      for (const r of rows) console.log(`  stored "${r.title}": extraction ${r.status}${r.reason ? ` (${r.reason.slice(0, 110)})` : ''}`);
      console.log(`  ${polls} health polls; slowest after the first page was served: ${worst.toFixed(0)} ms (bar < 1000)${worst < 1000 ? '  ok' : '  OVER THE BAR'}`);
      console.log(`  peak RSS of the serve process: ${maxRss.toFixed(0)} MiB (bar < 1024)${maxRss < 1024 ? '  ok' : '  OVER THE BAR'}`);
    });
  } finally {
    site.close();
  }
}

console.log('bench:hostile');
if (wanted('feeds')) feeds();
if (wanted('pages')) await pages();
if (wanted('login')) await login();
if (wanted('edge')) await edge();
if (wanted('serve')) {
  await serve(undefined);
  await serve(0);
}
