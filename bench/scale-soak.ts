// Memory of a long run at a steady rate: a `newsdesk serve --no-worker` process answers a few pages
// a second (front page, API pages, topic, story and search pages, the feed) while a `newsdesk worker`
// process fetches feeds that gain a new article every few seconds (served over HTTP from loopback
// addresses), for --minutes. The RSS of each process is sampled from /proc every 10 s. Prints, for
// each process and for the two together: RSS at the start (after the warm-up), at the end, the
// peak, and the growth trend (the slope of a least-squares line through the samples after the
// warm-up, and through the second half alone, which a filling cache does not tilt), in MB of 10^6
// bytes; then the articles ingested and the page latencies.
//
// Usage: npx tsx bench/scale-soak.ts [--minutes 30] [--store sqlite|postgres] [--rate 2] [--sources 20]
//          [--pages 3] [--warmup 1] [--classifier learned|keywords] [--from FILE.sqlite] [--schema NAME]
//          [--node-options "--max-semi-space-size=1"]
// --from copies an SQLite store (e.g. the one bench/scale-db.ts leaves) to start large; --schema runs
// on an existing PostgreSQL schema in place (the soak adds its articles there and leaves it). The
// processes run whatever bin/newsdesk.mjs runs: the compiled build when it is current (`npm run build`).
import { createServer, type Server } from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, copyFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { Store } from '../src/store/index.ts';
import { loadTaxonomy } from '../src/curate/topics/taxonomy.ts';
import { textFor } from './synthetic-text.ts';
import { argument } from './options.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MINUTES = Number(argument('--minutes', '30'));
const KIND = argument('--store', 'sqlite');
const RATE = Number(argument('--rate', '2'));
const SOURCES = Number(argument('--sources', '20'));
const PAGES_PER_SECOND = Number(argument('--pages', '3'));
const WARMUP_MINUTES = Number(argument('--warmup', '1'));
const CLASSIFIER = argument('--classifier', 'learned');
const FROM = argument('--from', '');
const EXISTING_SCHEMA = argument('--schema', '');
const NODE_OPTIONS = argument('--node-options', '');
const SAMPLE_MS = 10_000;
const HOSTS = Math.min(SOURCES, 20);
const postgresUrl = process.env.NEWSDESK_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
if (!(MINUTES > WARMUP_MINUTES)) throw new Error(`--minutes (${MINUTES}) must be longer than --warmup (${WARMUP_MINUTES})`);
if (KIND !== 'sqlite' && KIND !== 'postgres') throw new Error(`--store is sqlite or postgres, not ${KIND}`);
if (FROM && (KIND !== 'sqlite' || !existsSync(FROM))) throw new Error(`--from needs --store sqlite and an existing file (${FROM})`);
// Each feed gains an item every PERIOD ms, so all feeds together gain RATE a second.
const PERIOD = (SOURCES / RATE) * 1000;
const T0 = Date.now();

const hostOf = (source: number) => `127.0.0.${2 + (source % HOSTS)}`;

function feed(source: number, port: number): string {
  const latest = Math.floor((Date.now() - T0) / PERIOD);
  const items = [];
  for (let k = latest; k > latest - 20 && k >= 0; k--) {
    const n = k * SOURCES + source;
    items.push(`<item><title>${textFor(n, 9)}</title><link>http://${hostOf(source)}:${port}/a/${n}.html</link><description>${textFor(n + 7, 30)}</description><pubDate>${new Date(T0 + k * PERIOD).toUTCString()}</pubDate></item>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Soak ${source}</title><link>http://${hostOf(source)}:${port}/</link>${items.join('\n')}</channel></rss>`;
}
function page(n: number): string {
  const paragraphs = Array.from({ length: 8 }, (_, i) => `<p>${textFor(n * 13 + i, 60)}.</p>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${textFor(n, 9)}</title></head><body><article><h1>${textFor(n, 9)}</h1>${paragraphs}</article></body></html>`;
}

let port = 0;
const servers: Server[] = [];
for (let h = 0; h < HOSTS; h++) {
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const f = /^\/feed\/(\d+)\.xml$/.exec(url);
    const a = /^\/a\/(\d+)\.html$/.exec(url);
    if (f) res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed(Number(f[1]), port));
    else if (a) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(Number(a[1])));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, `127.0.0.${2 + h}`, () => resolve()));
  if (port === 0) port = (server.address() as { port: number }).port;
  servers.push(server);
}

const dir = mkdtempSync(join(tmpdir(), 'newsdesk-soak-'));
const schema = EXISTING_SCHEMA || `nd_bench_soak_${process.pid}`;
const storeLocation = KIND === 'postgres' ? postgresUrl : join(dir, 'soak.sqlite');
if (FROM) {
  copyFileSync(FROM, storeLocation);
  if (existsSync(`${FROM}-wal`)) copyFileSync(`${FROM}-wal`, `${storeLocation}-wal`);
}
const config = join(dir, 'newsdesk.yaml');
writeFileSync(
  config,
  `dataDir: ${dir}\nstore: ${storeLocation}\nserver: { host: 127.0.0.1, port: 0 }\ntopics:\n  classifier: ${CLASSIFIER}\nfetch:\n  pollMinutes: { min: 0.1, max: 1 }\n  allow:\n    cidrs: ['127.0.0.0/8']\njobs:\n  tickSeconds: 5\n  hostGapMs: 200\n  hostJitterMs: 100\nsources:\n${Array.from({ length: SOURCES }, (_, s) => `  - url: http://${hostOf(s)}:${port}/feed/${s}.xml`).join('\n')}\n`,
);

function start(args: string[]): ChildProcess {
  return spawn(process.execPath, [...NODE_OPTIONS.split(' ').filter(Boolean), join(root, 'bin/newsdesk.mjs'), ...args], {
    cwd: dir,
    env: { ...process.env, NEWSDESK_CONFIG: config, NEWSDESK_LOG_LEVEL: 'error', ...(KIND === 'postgres' ? { NEWSDESK_STORE_SCHEMA: schema } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}
/** Starts a process and resolves with the first line of its output that `pattern` matches. */
async function started(args: string[], pattern: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = start(args);
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = pattern.exec(line);
      if (m) resolve(m);
    });
    child.once('exit', (code) => reject(new Error(`newsdesk ${args[0]} exited (${code}) before it started`)));
  });
  return { child, match };
}
// The worker first, so that it migrates a new store before the server opens it.
const { child: worker } = await started(['worker'], /running jobs/);
const { child: serve, match: listening } = await started(['serve', '--no-worker'], /serving (http:\/\/\S+?)\/ /);
const siteUrl = listening[1]!;
const processes = { serve, worker };
type Name = keyof typeof processes;
const names: Name[] = ['serve', 'worker'];
const MB = 1e6;
const rssMb = (child: ChildProcess) => {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return (Number(/VmRSS:\s+(\d+)/.exec(status)![1]) * 1024) / MB;
};

const store = KIND === 'postgres' ? await Store.open(postgresUrl, { schema }) : await Store.open(storeLocation);
const initialArticles = (await store.counts()).articles;
process.stdout.write(
  `scale-soak: ${KIND}, ${initialArticles} articles stored at the start, ${SOURCES} feeds gaining ${RATE} articles/s in all, ${PAGES_PER_SECOND} pages/s read from ${siteUrl}, ${MINUTES} min (warm-up ${WARMUP_MINUTES} min), classifier ${CLASSIFIER}, serve pid ${serve.pid}, worker pid ${worker.pid}${NODE_OPTIONS ? `, node ${NODE_OPTIONS}` : ''}\n`,
);

// ---- readers: a few pages a second, across the kinds of page a desk serves --------------------------
const topicIds = loadTaxonomy(join(root, 'taxonomy/ai.yaml')).topics.map((t) => t.id);
let storyIds: number[] = [];
const refreshStories = async () => {
  storyIds = (await store.db.selectFrom('stories').select('id').orderBy('id', 'desc').limit(50).execute()).map((r) => Number(r.id));
};
await refreshStories();
let requestNumber = 0;
const pathFor = (n: number): string => {
  const pick = <T>(list: readonly T[]) => list[Math.floor(n / 13) % list.length]!;
  const story = storyIds.length ? pick(storyIds) : 1;
  const paths = [
    '/',
    '/api/news/',
    `/topic/${pick(topicIds)}`,
    `/story/${story}`,
    `/search?q=${encodeURIComponent(textFor(n, 1))}`,
    '/latest',
    `/api/news/page/${1 + (n % 20)}/`,
    `/api/news/${pick(topicIds)}/`,
    `/api/stories/${story}/`,
    '/feed.atom',
    `/provider/${hostOf(n % HOSTS)}`,
    '/api/health',
  ];
  return paths[n % paths.length]!;
};
const latencies: number[] = [];
const statuses = new Map<string, number>();
let reading = true;
const readers = (async () => {
  const gap = 1000 / PAGES_PER_SECOND;
  let next = Date.now();
  const inFlight = new Set<Promise<void>>();
  while (reading) {
    const path = pathFor(requestNumber++);
    const started = performance.now();
    const request = fetch(siteUrl + path)
      .then(async (res) => {
        await res.arrayBuffer();
        const key = res.status === 200 ? '200' : `${res.status} /${path.split(/[/?]/)[1]}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      })
      .catch((err: unknown) => {
        const key = `error ${(err as Error).message}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      })
      .finally(() => {
        latencies.push(performance.now() - started);
        inFlight.delete(request);
      });
    inFlight.add(request);
    next += gap;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
  }
  await Promise.all(inFlight);
})();

// ---- sampling ---------------------------------------------------------------------------------------
interface Sample {
  minute: number;
  rss: Record<Name, number>;
}
const samples: Sample[] = [];
const sample = (): Sample => {
  const s = { minute: (Date.now() - T0) / 60_000, rss: { serve: rssMb(serve), worker: rssMb(worker) } };
  samples.push(s);
  return s;
};
const total = (s: Sample) => s.rss.serve + s.rss.worker;
let stopping = false;
const exited = new Promise<never>((_, reject) => {
  for (const name of names) processes[name].once('exit', (code, signal) => !stopping && reject(new Error(`${name} exited (${code ?? signal}) during the soak`)));
});
const sleep = (ms: number) => Promise.race([new Promise((resolve) => setTimeout(resolve, ms)), exited]);

await sleep(Math.max(0, T0 + WARMUP_MINUTES * 60_000 - Date.now()));
const first = sample();
const startArticles = (await store.counts()).articles;
process.stdout.write(`| minute | serve MB | worker MB | sum MB | articles |\n|---|---|---|---|---|\n`);
const row = (s: Sample, articles: number) =>
  process.stdout.write(`| ${s.minute.toFixed(1)} | ${s.rss.serve.toFixed(0)} | ${s.rss.worker.toFixed(0)} | ${total(s).toFixed(0)} | ${articles} |\n`);
row(first, startArticles);
const end = T0 + MINUTES * 60_000;
let lastRow = first.minute;
while (Date.now() < end) {
  await sleep(Math.min(SAMPLE_MS, Math.max(0, end - Date.now())));
  const s = sample();
  if (s.minute - lastRow >= Math.max(1, MINUTES / 12) - 0.01 || Date.now() >= end) {
    lastRow = s.minute;
    await refreshStories();
    row(s, (await store.counts()).articles);
  }
}
const last = samples.at(-1)!;
const endArticles = (await store.counts()).articles;
reading = false;
await readers;

/** Least-squares slope of value over minutes, in MB per 10 minutes. */
function slope(points: Sample[], value: (s: Sample) => number): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, s) => a + s.minute, 0) / n;
  const my = points.reduce((a, s) => a + value(s), 0) / n;
  let num = 0;
  let den = 0;
  for (const s of points) {
    num += (s.minute - mx) * (value(s) - my);
    den += (s.minute - mx) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 10;
}
const secondHalf = samples.filter((s) => s.minute >= (WARMUP_MINUTES + MINUTES) / 2);
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
const summary = (label: string, value: (s: Sample) => number) =>
  `rss start ${value(first).toFixed(0)} end ${value(last).toFixed(0)} peak ${Math.max(...samples.map(value)).toFixed(0)}, slope ${signed(slope(samples, value))}/10min (second half ${signed(slope(secondHalf, value))})${label}`;

latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]?.toFixed(0) ?? '-';
process.stdout.write(
  `articles: ${endArticles - startArticles} ingested after the warm-up (${((endArticles - startArticles) / ((MINUTES - WARMUP_MINUTES) * 60)).toFixed(2)}/s), ${endArticles} stored at the end\n` +
    `pages: ${latencies.length} read, p50 ${pct(50)} ms, p95 ${pct(95)} ms; ${[...statuses].map(([k, v]) => `${k}: ${v}`).join(', ')}\n`,
);
for (const name of names) process.stdout.write(`scale-soak: ${KIND} ${MINUTES} min, ${name} ${summary('', (s) => s.rss[name])}\n`);
process.stdout.write(`scale-soak: ${KIND} ${MINUTES} min, ${summary(' (serve + worker, MB)', total)}\n`);

stopping = true;
for (const name of names) processes[name].kill('SIGTERM');
await Promise.all(names.map((name) => new Promise((resolve) => (processes[name].exitCode !== null ? resolve(null) : processes[name].once('exit', resolve)))));
await store.close();
for (const server of servers) server.close();
if (KIND === 'postgres' && !EXISTING_SCHEMA) {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  for (const s of [schema, `${schema}_jobs`]) await client.query(`drop schema if exists "${s}" cascade`);
  await client.end();
}
rmSync(dir, { recursive: true, force: true });
