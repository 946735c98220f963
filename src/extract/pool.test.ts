// The extraction pool: the same record as extraction on this thread, and a page that overruns its
// deadline or its worker's heap fails with a coded error while the pool goes on with the next page.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ExtractionPool, type PageJob } from './pool.ts';
import { extractHere } from './page-job.ts';
import { isNewsdeskError } from '../errors.ts';
import { spawnSync } from 'node:child_process';

const page = (body: string, title = 'A page'): Uint8Array => Buffer.from(`<!doctype html><html lang="en"><head><title>${title}</title><meta name="author" content="Jane Doe"></head><body>${body}</body></html>`);
const article = (n: number): PageJob => ({
  bytes: page(`<article><h1>Story ${n}</h1><p>${`Sentence number ${n} of an article body that is long enough to be read. `.repeat(30)}</p></article>`, `Story ${n} | Example`),
  contentType: 'text/html; charset=utf-8',
  url: `https://example.com/story-${n}`,
});
// About a second of extraction and a few hundred MiB of heap: long text in thousands of paragraphs.
const heavy: PageJob = { bytes: page(`<p>${'A sentence of plain words. '.repeat(20)}</p>`.repeat(3000)), contentType: 'text/html', url: 'https://example.com/heavy' };

const pools: ExtractionPool[] = [];
after(() => Promise.all(pools.map((p) => p.close())));
const pool = (options: ConstructorParameters<typeof ExtractionPool>[0]) => {
  const created = new ExtractionPool(options);
  pools.push(created);
  return created;
};

test('pages extracted in workers are the records extracted here, more pages than workers included', async () => {
  const workers = pool({ workers: 2 });
  const jobs = Array.from({ length: 6 }, (_, i) => article(i));
  const results = await Promise.all(jobs.map((job) => workers.run(job)));
  results.forEach((result, i) => assert.deepEqual(result, extractHere(jobs[i]!)));
  assert.match(results[3]!.extracted.text, /Sentence number 3/);
});

test('the pool starts a second worker only for a page that waited, and ends a worker left idle', async () => {
  const patient = pool({ workers: 2, growAfterMs: 60_000 });
  const jobs = Array.from({ length: 4 }, (_, i) => article(i));
  const results = await Promise.all(jobs.map((job) => patient.run(job)));
  results.forEach((result, i) => {
    assert.match(result.extracted.text, new RegExp(`Sentence number ${i}`));
  });
  assert.equal(patient.workers, 1, 'four short pages, one worker: none waited a minute');

  const eager = pool({ workers: 2, growAfterMs: 0, idleMs: 100 });
  const slow = eager.run(heavy);
  await eager.run(article(5));
  assert.equal(eager.workers, 2, 'a page waiting behind a heavy one got a worker of its own');
  await slow;
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.equal(eager.workers, 0, 'both ended once idle');
  assert.match((await eager.run(article(6))).extracted.text, /Sentence number 6/);
  assert.equal(eager.workers, 1);
});

test('a page past its deadline fails with ND_EXTRACT_FAILED, and the next page is extracted', async () => {
  const workers = pool({ workers: 1, deadlineMs: 50 });
  await assert.rejects(workers.run(heavy), (err: unknown) => isNewsdeskError(err, 'ND_EXTRACT_FAILED') && /longer than/.test(err.message));
  const slow = pool({ workers: 1, deadlineMs: 30_000 });
  assert.match((await slow.run(article(7))).extracted.text, /Sentence number 7/);
});

test('a worker out of heap fails its page with ND_EXTRACT_FAILED and is replaced', async () => {
  // 32 MiB hold a worker and an ordinary page, not 4,000 blocks of markup and text.
  const workers = pool({ workers: 1, maxHeapMb: 32, deadlineMs: 60_000 });
  assert.match((await workers.run(article(9))).extracted.text, /Sentence number 9/);
  const big: PageJob = { ...heavy, bytes: page(`<div class="x" id="y"><p>${'Words. '.repeat(60)}</p></div>`.repeat(4000)) };
  await assert.rejects(workers.run(big), (err: unknown) => isNewsdeskError(err, 'ND_EXTRACT_FAILED') && /memory/.test(err.message));
  assert.match((await workers.run(article(8))).extracted.text, /Sentence number 8/);
});

test('a hostile page is refused with its coded reason from the worker', async () => {
  const workers = pool({ workers: 1 });
  await assert.rejects(workers.run({ bytes: page('<'.repeat(500_000)), contentType: 'text/html', url: 'https://example.com/lt' }), (err: unknown) => isNewsdeskError(err, 'ND_EXTRACT_FAILED') && /tags and entities/.test(err.message));
});

test('a process waiting on its page stays alive until the page is extracted, and exits once the pool is idle', () => {
  const script = `import { ExtractionPool } from ${JSON.stringify(new URL('./pool.ts', import.meta.url).pathname)};
const pool = new ExtractionPool({ workers: 1 });
const result = await pool.run({ bytes: Buffer.from('<html><head><title>Alive</title></head><body><p>${'words '.repeat(60)}</p></body></html>'), contentType: 'text/html', url: 'https://example.com/alive' });
console.log('title:', result.extracted.title);`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, `exit ${run.status} ${run.signal ?? ''} ${run.stderr.slice(-300)}`);
  assert.match(run.stdout, /title: Alive/);
});
