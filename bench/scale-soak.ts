// Memory of a long ingest at a steady rate: one `newsdesk worker` process fetches feeds that gain a
// new article every few seconds (served over HTTP from loopback addresses), for --minutes; its RSS is
// sampled from /proc every 30 s. Prints RSS at the start (after the first minute's warm-up), at the
// end, the peak, and the articles ingested.
//
// Usage: npx tsx bench/scale-soak.ts [--minutes 60] [--store sqlite|postgres] [--rate 2] [--sources 20]
import { createServer, type Server } from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../src/store/index.ts';
import { textFor } from './synthetic-text.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const MINUTES = Number(argument('--minutes', '60'));
const KIND = argument('--store', 'sqlite');
const RATE = Number(argument('--rate', '2'));
const SOURCES = Number(argument('--sources', '20'));
const HOSTS = Math.min(SOURCES, 20);
const postgresUrl = process.env.NEWSDESK_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
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
const schema = `nd_bench_soak_${process.pid}`;
const storeLocation = KIND === 'postgres' ? postgresUrl : join(dir, 'soak.sqlite');
const config = join(dir, 'newsdesk.yaml');
writeFileSync(
  config,
  `dataDir: ${dir}\nstore: ${storeLocation}\ntopics:\n  classifier: keywords\nfetch:\n  pollMinutes: { min: 0.1, max: 1 }\n  allow:\n    cidrs: ['127.0.0.0/8']\njobs:\n  tickSeconds: 5\n  hostGapMs: 200\n  hostJitterMs: 100\nsources:\n${Array.from({ length: SOURCES }, (_, s) => `  - url: http://${hostOf(s)}:${port}/feed/${s}.xml`).join('\n')}\n`,
);
const worker = spawn(process.execPath, [join(root, 'bin/newsdesk.mjs'), 'worker'], {
  cwd: dir,
  env: { ...process.env, NEWSDESK_CONFIG: config, NEWSDESK_LOG_LEVEL: 'error', ...(KIND === 'postgres' ? { NEWSDESK_STORE_SCHEMA: schema } : {}) },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const rssMb = () => {
  const status = readFileSync(`/proc/${worker.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
};
process.stdout.write(`scale-soak: ${KIND}, ${SOURCES} feeds gaining ${RATE} articles/s in all, ${MINUTES} min, worker pid ${worker.pid}\n`);
await new Promise((resolve) => setTimeout(resolve, 60_000));
const store = KIND === 'postgres' ? await Store.open(postgresUrl, { schema }) : await Store.open(storeLocation);
const startRss = rssMb();
const startArticles = (await store.counts()).articles;
let peak = startRss;
process.stdout.write(`| minute | RSS MiB | articles |\n|---|---|---|\n| 1 | ${startRss.toFixed(0)} | ${startArticles} |\n`);
const end = T0 + MINUTES * 60_000;
while (Date.now() < end) {
  await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, Math.max(0, end - Date.now()))));
  const rss = rssMb();
  peak = Math.max(peak, rss);
  const minute = (Date.now() - T0) / 60_000;
  if (Math.round(minute * 2) % 10 === 0 || Date.now() >= end) process.stdout.write(`| ${minute.toFixed(1)} | ${rss.toFixed(0)} | ${(await store.counts()).articles} |\n`);
}
const endRss = rssMb();
const endArticles = (await store.counts()).articles;
process.stdout.write(
  `RSS: ${startRss.toFixed(0)} MiB after the first minute, ${endRss.toFixed(0)} MiB at ${MINUTES} min (peak ${peak.toFixed(0)} MiB); ${endArticles - startArticles} articles ingested after the first minute (${((endArticles - startArticles) / ((MINUTES - 1) * 60)).toFixed(2)}/s)\n`,
);
worker.kill('SIGTERM');
await new Promise((resolve) => worker.once('exit', resolve));
await store.close();
for (const server of servers) server.close();
if (KIND === 'postgres') {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  for (const s of [schema, `${schema}_jobs`]) await client.query(`drop schema if exists "${s}" cascade`);
  await client.end();
}
