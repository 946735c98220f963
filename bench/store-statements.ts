// Cost of the store's short statements, the kind curation and the API issue by the thousand: store
// N articles one at a time, then read each by id and by URL four times. Prints microseconds per
// article for both, for SQLite (and PostgreSQL with --postgres).
//
// Usage: npx tsx bench/store-statements.ts [--articles 5000] [--postgres]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Store } from '../src/store/index.ts';
import type { NewsRecord } from '../src/record.ts';

const articlesArg = process.argv.indexOf('--articles');
const ARTICLES = articlesArg >= 0 ? Number(process.argv[articlesArg + 1]) : 5000;
const postgresUrl = process.env.NEWSDESK_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

const record = (i: number): NewsRecord => ({
  title: `Title ${i} about the things that happened`, excerpt: 'An excerpt of some length. '.repeat(8), publishedDateTime: '2026-11-01T00:00:00Z',
  updatedDateTime: null, originalUrl: `https://example.com/${i}`, webUrl: `https://example.com/${i}`, ampWebUrl: null, cdnAmpWebUrl: null,
  type: 'article', provider: { name: 'Example', domain: 'example.com' }, topics: [], images: [], locale: 'en', authors: [],
  text: 'Body text of the article. '.repeat(120), html: null, extraction: { status: 'feed' },
});

async function measure(store: Store): Promise<{ insertUs: number; readUs: number }> {
  let started = performance.now();
  const ids: number[] = [];
  for (let i = 0; i < ARTICLES; i++) ids.push((await store.insertArticle(record(i), { sourceId: null, pathKey: `path-${i}` })).id);
  const insertUs = ((performance.now() - started) * 1000) / ARTICLES;
  started = performance.now();
  for (let round = 0; round < 4; round++) {
    for (const [i, id] of ids.entries()) {
      await store.getArticle(id);
      await store.getArticleByUrl(`https://example.com/${i}`);
    }
  }
  const readUs = ((performance.now() - started) * 1000) / (ARTICLES * 4);
  return { insertUs, readUs };
}

const dir = mkdtempSync(join(tmpdir(), 'newsdesk-statements-'));
const sqlite = await Store.open(join(dir, 'store.sqlite'));
const lite = await measure(sqlite);
await sqlite.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`store-statements: sqlite ${ARTICLES} articles: insert ${lite.insertUs.toFixed(1)} us/article, read by id + by URL ${lite.readUs.toFixed(1)} us/article\n`);

if (process.argv.includes('--postgres')) {
  const schema = `nd_bench_statements_${randomBytes(4).toString('hex')}`;
  const store = await Store.open(postgresUrl, { schema });
  const result = await measure(store);
  await store.close();
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
  process.stdout.write(`store-statements: postgres ${ARTICLES} articles: insert ${result.insertUs.toFixed(1)} us/article, read by id + by URL ${result.readUs.toFixed(1)} us/article\n`);
}
