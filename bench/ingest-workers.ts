// Ingest throughput with 1, 2 and 4 `newsdesk worker` processes sharing PostgreSQL, against a local
// replay: feeds and article pages generated and served over HTTP from many loopback addresses
// (127.0.0.2, 127.0.0.3, ...: one host per address, so per-host politeness applies as it would on
// the web). Every article goes through the real fetch, extraction, curation and scoring jobs.
//
// Usage: npx tsx bench/ingest-workers.ts [--articles 10000] [--workers 1,2,4] [--hosts 40]
//          [--concurrency 4] [--timeout-minutes 20] [--profile DIR]
// Prints, per worker count: seconds to store every article, seconds until every article is curated
// and consolidated (queue empty, no article waiting for its pass), articles/s for both, the speed-up
// over one worker, the milliseconds per article spent in the one serial step (the consolidation pass,
// all workers together), the CPU milliseconds per article of the workers and of their PostgreSQL
// backends, and the number of stories.
import { createServer, type Server } from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { textFor } from './synthetic-text.ts';
import { argument } from './options.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ARTICLES = Number(argument('--articles', '10000'));
const WORKER_COUNTS = argument('--workers', '1,2,4').split(',').map(Number);
const HOSTS = Number(argument('--hosts', '40'));
const CONCURRENCY = argument('--concurrency', '4');
const TIMEOUT_MS = Number(argument('--timeout-minutes', '20')) * 60_000;
// --profile DIR: each worker writes a V8 CPU profile there when it exits (open in Chrome DevTools).
const PROFILE_DIR = argument('--profile', '');
const PER_FEED = 100;
const SOURCES = Math.ceil(ARTICLES / PER_FEED);
const postgresUrl = process.env.NEWSDESK_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

const hostOf = (source: number) => `127.0.0.${2 + (source % HOSTS)}`;
const START = Date.parse('2026-11-20T00:00:00Z');

function feed(source: number, port: number): string {
  const host = hostOf(source);
  const items = Array.from({ length: PER_FEED }, (_, i) => {
    const n = source * PER_FEED + i;
    if (n >= ARTICLES) return '';
    return `<item><title>${textFor(n, 9)}</title><link>http://${host}:${port}/a/${n}.html</link><description>${textFor(n + 7, 30)}</description><pubDate>${new Date(START + n * 40_000).toUTCString()}</pubDate></item>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Loopback ${source}</title><link>http://${host}:${port}/</link>${items}</channel></rss>`;
}
function page(n: number): string {
  const paragraphs = Array.from({ length: 8 }, (_, i) => `<p>${textFor(n * 13 + i, 60)}.</p>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${textFor(n, 9)}</title></head><body><nav><a href="/">Home</a></nav><article><h1>${textFor(n, 9)}</h1>${paragraphs}</article><footer>Loopback</footer></body></html>`;
}

async function serve(): Promise<{ port: number; servers: Server[] }> {
  const handler = (port: () => number) => (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const url = req.url ?? '/';
    const feedMatch = /^\/feed\/(\d+)\.xml$/.exec(url);
    const pageMatch = /^\/a\/(\d+)\.html$/.exec(url);
    if (feedMatch) res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed(Number(feedMatch[1]), port()));
    else if (pageMatch) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(Number(pageMatch[1])));
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };
  let port = 0;
  const servers: Server[] = [];
  for (let h = 0; h < HOSTS; h++) {
    const server = createServer(handler(() => port));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, `127.0.0.${2 + h}`, () => resolve());
    });
    if (port === 0) port = (server.address() as { port: number }).port;
    servers.push(server);
  }
  return { port, servers };
}

// CPU time from /proc (Linux): a worker's own, read just before it is stopped, and PostgreSQL's
// backends', which the postmaster collects as they exit (every backend that exits meanwhile, so
// another user of the same PostgreSQL adds to it). The sum bounds the rate two cores can reach at all.
const TICKS_PER_SECOND = 100;
function cpuSeconds(pid: number, children = false): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // Fields after the command: state is [0], utime [11], stime [12], cutime [13], cstime [14].
    const own = Number(fields[11]) + Number(fields[12]);
    return (children ? Number(fields[13]) + Number(fields[14]) : own) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}
function postmasterPid(): number | null {
  try {
    const file = readdirSync('/var/run/postgresql').find((f) => f.endsWith('.pid'));
    return file ? Number(readFileSync(join('/var/run/postgresql', file), 'utf8').split('\n')[0]) : null;
  } catch {
    return null;
  }
}

interface RunResult {
  /** CPU seconds of the workers and of the PostgreSQL backends they used (NaN when /proc does not tell). */
  workerCpu: number;
  postgresCpu: number;
  storedSeconds: number;
  curatedSeconds: number;
  firstSeconds: number;
  /** Milliseconds inside the one serial step (the consolidation pass, rescoring included), all workers together. */
  serialMs: number;
  stories: number;
}

async function run(workers: number, port: number): Promise<RunResult> {
  const schema = `nd_bench_ingest_${workers}_${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'newsdesk-bench-ingest-'));
  const config = join(dir, 'newsdesk.yaml');
  const sources = Array.from({ length: SOURCES }, (_, s) => `  - url: http://${hostOf(s)}:${port}/feed/${s}.xml`).join('\n');
  writeFileSync(
    config,
    `dataDir: ${dir}\nstore: ${postgresUrl}\ntopics:\n  classifier: keywords\nfetch:\n  allow:\n    cidrs: ['127.0.0.0/8']\njobs:\n  hostConcurrency: 2\n  hostGapMs: 0\n  hostJitterMs: 0\nsources:\n${sources}\n`,
  );
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  for (const s of [schema, `${schema}_jobs`]) await client.query(`drop schema if exists "${s}" cascade`);
  const children: ChildProcess[] = [];
  const postmaster = postmasterPid();
  const postgresBefore = postmaster ? cpuSeconds(postmaster, true) : NaN;
  let workerCpu = NaN;
  let done: Omit<RunResult, 'workerCpu' | 'postgresCpu'> | null = null;
  const started = Date.now();
  try {
    for (let i = 0; i < workers; i++) {
      const profile = PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [];
      const child = spawn(process.execPath, [...profile, join(root, 'bin/newsdesk.mjs'), 'worker', '--concurrency', CONCURRENCY, '--tick', '5'], {
        cwd: dir,
        env: { ...process.env, NEWSDESK_CONFIG: config, NEWSDESK_STORE_SCHEMA: schema, NEWSDESK_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' },
        stdio: ['ignore', openSync(join(dir, `worker-${i + 1}.log`), 'w'), 'inherit'],
      });
      children.push(child);
    }
    let firstSeconds = 0;
    let storedSeconds = 0;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (Date.now() - started > TIMEOUT_MS) throw new Error(`timed out with ${workers} workers (worker logs in ${dir})`);
      const articles = await client.query(`select count(*)::int as n from "${schema}".articles`).catch(() => ({ rows: [{ n: 0 }] }));
      const stored = articles.rows[0].n as number;
      if (stored > 0 && !firstSeconds) firstSeconds = (Date.now() - started) / 1000;
      if (stored >= ARTICLES && !storedSeconds) storedSeconds = (Date.now() - started) / 1000;
      if (storedSeconds) {
        const pending = await client.query(`select count(*)::int as n from "${schema}_jobs".jobs where attempts < max_attempts or locked_at is not null`);
        const waiting = await client.query(`select count(*)::int as n from "${schema}".articles where story_state < 2`);
        if (pending.rows[0].n === 0 && waiting.rows[0].n === 0) {
          const curatedSeconds = (Date.now() - started) / 1000;
          const serial = await client.query(`select coalesce(sum(value), 0)::int as ms from "${schema}".counters where name = 'consolidation_ms'`);
          const stories = await client.query(`select count(*)::int as n from "${schema}".stories`);
          done = { storedSeconds, curatedSeconds, firstSeconds, serialMs: serial.rows[0].ms, stories: stories.rows[0].n };
          workerCpu = children.reduce((sum, c) => sum + cpuSeconds(c.pid!), 0);
          break;
        }
      }
    }
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once('exit', resolve)))));
    for (const s of [schema, `${schema}_jobs`]) await client.query(`drop schema if exists "${s}" cascade`);
    await client.end();
  }
  // The workers' backends have exited with them: the postmaster has their time now.
  const postgresCpu = postmaster ? cpuSeconds(postmaster, true) - postgresBefore : NaN;
  return { ...done!, workerCpu, postgresCpu };
}

const { port, servers } = await serve();
process.stdout.write(`ingest-workers: ${ARTICLES} articles in ${SOURCES} feeds on ${HOSTS} loopback hosts, PostgreSQL, ${CONCURRENCY} jobs per worker, ${cpus().length} CPU cores\n`);
process.stdout.write('| workers | first article s | all stored s | stored art/s | all curated s | curated art/s | speed-up | serial ms/article | CPU ms/article workers + PostgreSQL | stories |\n|---|---|---|---|---|---|---|---|---|---|\n');
let baseline = 0;
for (const workers of WORKER_COUNTS) {
  const result = await run(workers, port);
  const rate = ARTICLES / result.curatedSeconds;
  baseline ||= rate;
  process.stdout.write(
    `| ${workers} | ${result.firstSeconds.toFixed(1)} | ${result.storedSeconds.toFixed(1)} | ${(ARTICLES / result.storedSeconds).toFixed(1)} | ${result.curatedSeconds.toFixed(1)} | ${rate.toFixed(1)} | ${(rate / baseline).toFixed(2)}x | ${(result.serialMs / ARTICLES).toFixed(2)} | ${((1000 * result.workerCpu) / ARTICLES).toFixed(1)} + ${((1000 * result.postgresCpu) / ARTICLES).toFixed(1)} | ${result.stories} |\n`,
  );
}
for (const server of servers) server.close();
