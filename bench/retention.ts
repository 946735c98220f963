// Retention at scale: a store of synthetic articles over two years (one article a story, as most
// stories of a desk are), then a year of unpublished ones deleted by applyRetention in batches while
// a reader and a writer keep going. Prints what was deleted, in how many transactions, how long the
// whole took and the worst batch (the longest a writer could have waited), and the reader's and
// writer's p50/p95 meanwhile.
//
// Usage: npx tsx bench/retention.ts --store sqlite|postgres [--articles 200000] [--batch 1000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Store } from '../src/store/index.ts';
import { fillSynthetic } from '../src/store/synthetic.ts';
import { applyRetention } from '../src/store/jobs.ts';
import { argument, percentile } from './options.ts';

const kind = argument('--store', 'sqlite');
const articles = Number(argument('--articles', '200000'));
const batch = Number(argument('--batch', '1000'));
const postgresUrl = process.env.NEWSDESK_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
if (kind !== 'sqlite' && kind !== 'postgres') throw new Error('--store is sqlite or postgres');
if (!(articles > 0) || !(batch > 0)) throw new Error('--articles and --batch must be positive');


const dir = kind === 'sqlite' ? mkdtempSync(join(tmpdir(), 'newsdesk-retention-')) : null;
const schema = `nd_bench_retention_${randomBytes(4).toString('hex')}`;
const store = dir ? await Store.open(join(dir, 'store.sqlite')) : await Store.open(postgresUrl, { schema });
try {
  const days = 730;
  const start = Date.parse('2024-01-01T00:00:00Z');
  const t0 = performance.now();
  await fillSynthetic(store, { count: articles, start, spacingSeconds: Math.max(1, Math.floor((days * 86400) / articles)), storySize: 1 });
  process.stdout.write(`retention: ${kind}, ${articles} articles over ${days} days generated in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  const now = new Date(start + days * 86_400_000);

  let running = true;
  const reads: number[] = [];
  const writes: number[] = [];
  let n = 0;
  const other = (async () => {
    while (running) {
      let t = performance.now();
      await store.listStream({ page: 1, perPage: 30 });
      reads.push(performance.now() - t);
      t = performance.now();
      n++;
      await store.insertArticle(
        {
          title: `Concurrent ${n}`, excerpt: '', publishedDateTime: now.toISOString(), updatedDateTime: null, originalUrl: `https://bench.example/${n}`,
          webUrl: `https://bench.example/${n}`, ampWebUrl: null, cdnAmpWebUrl: null, type: 'article', provider: { name: 'Bench', domain: 'bench.example' },
          topics: [], images: [], locale: 'en', authors: [], text: 'body', html: null, extraction: { status: 'feed' },
        },
        { sourceId: null, pathKey: `bench-retention-${n}` },
      );
      writes.push(performance.now() - t);
      // Requests arrive from the network: the event loop turns between them.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  const t1 = performance.now();
  const result = await applyRetention(store, { unpublishedDays: 365, fetchLogDays: 14, failedJobDays: 7 }, now, { batch });
  const seconds = (performance.now() - t1) / 1000;
  running = false;
  await other;
  reads.sort((a, b) => a - b);
  writes.sort((a, b) => a - b);
  process.stdout.write(
    `| store | articles | deleted | stories deleted | batches (of ${batch}) | seconds | worst batch ms | read p50/p95 ms | write p50/p95 ms |\n|---|---|---|---|---|---|---|---|---|\n` +
      `| ${kind} | ${articles} | ${result.articles} | ${result.stories} | ${result.batches} | ${seconds.toFixed(1)} | ${result.worstBatchMs.toFixed(1)} | ` +
      `${percentile(reads, 0.5).toFixed(1)}/${percentile(reads, 0.95).toFixed(1)} (${reads.length}) | ${percentile(writes, 0.5).toFixed(1)}/${percentile(writes, 0.95).toFixed(1)} (${writes.length}) |\n`,
  );
} finally {
  await store.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  else {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  }
}
