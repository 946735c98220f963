// Reads at scale through the store, without HTTP: a store of synthetic articles (fillSynthetic), then
// p50/p95 of what readers and editors page through, first pages and deep ones: the API stream, a
// topic, the largest provider, a day, a story, search, the desk's views, and reader apps' streams.
// The plans of the same statements are asserted in src/store/plans.test.ts.
//
// Usage: npx tsx bench/scale-reads.ts --store sqlite|postgres [--articles 200000] [--samples 40]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Store } from '../src/store/index.ts';
import { fillSynthetic } from '../src/store/synthetic.ts';
import { SiteStore } from '../src/store/site.ts';
import { ReaderStore } from '../src/store/readers.ts';
import { argument, timeRuns } from './options.ts';

const kind = argument('--store', 'sqlite');
const articles = Number(argument('--articles', '200000'));
const samples = Number(argument('--samples', '40'));
const postgresUrl = process.env.NEWSDESK_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
if (kind !== 'sqlite' && kind !== 'postgres') throw new Error('--store is sqlite or postgres');

const dir = kind === 'sqlite' ? mkdtempSync(join(tmpdir(), 'newsdesk-reads-')) : null;
const schema = `nd_bench_reads_${randomBytes(4).toString('hex')}`;
const store = dir ? await Store.open(join(dir, 'store.sqlite')) : await Store.open(postgresUrl, { schema });
try {
  const t0 = performance.now();
  await fillSynthetic(store, { count: articles });
  process.stdout.write(`scale-reads: ${kind}, ${articles} articles generated in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  const site = new SiteStore(store);
  const readers = new ReaderStore(store);
  const reader = (await readers.readerById(await readers.createReader({ name: 'bench', role: 'reader', passwordHash: 'x' })))!;
  await readers.numberItems();
  const listed = (await store.db.selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).where('listed', '=', 1).executeTakeFirst())?.n;
  const deep = Math.max(2, Math.floor(Number(listed) / 30 / 2));
  const cases: Array<[string, (i: number) => Promise<unknown>]> = [
    ['API stream page 1', () => store.listStream({ page: 1, perPage: 30 })],
    [`API stream page ${deep} (middle)`, () => store.listStream({ page: deep, perPage: 30 })],
    ['topic page 1', () => store.listStream({ page: 1, perPage: 30, topic: 'Robotics' })],
    ['topic page 300', () => store.listStream({ page: 300, perPage: 30, topic: 'Robotics' })],
    ['largest provider page 100', () => site.listed({ provider: 'p0.example' }, 100, 20)],
    ['day page 1', (i) => site.listed({ day: `2024-0${1 + (i % 6)}-1${i % 10}` }, 1, 20)],
    ['story page (members)', (i) => site.storyMembers([1000 + i * 97])],
    ['search, two common words', (i) => site.search({ query: `w${i % 5}x w${(i % 7) + 5}x`, page: 1, perPage: 20 })],
    ['search, one rarer word', (i) => site.search({ query: `w${150 + (i % 200)}x`, page: 1, perPage: 20 })],
    ['desk borderline page 1', () => site.reviewQueue('borderline', 70, 1)],
    ['desk held back page 100', () => site.reviewQueue('unpublished', 70, 100)],
    ['reader app stream, newest 20', () => readers.items(reader, { scope: { kind: 'all' }, order: 'newest', limit: 21 })],
    ['Fever items since_id, 50', (i) => readers.items(reader, { scope: { kind: 'all' }, order: 'number-asc', limit: 50, numberAbove: 1000 + i * 100 })],
  ];
  process.stdout.write(`| read (${samples} samples) | p50 ms | p95 ms |\n|---|---|---|\n`);
  for (const [name, run] of cases) {
    const { p50, p95 } = await timeRuns(samples, run);
    process.stdout.write(`| ${name} | ${p50.toFixed(1)} | ${p95.toFixed(1)} |\n`);
  }
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
