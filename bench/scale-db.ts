// A large store, generated, then timed through the real HTTP API: p50/p95 of an API page (first and
// deep), a topic page (first and deep), the keyset stream at the deep page's position, and a site
// search; and the size of the database. Articles are synthetic but shaped like real ones: titles and
// text drawn from the words of the demo archive, 2 topics each, 3 articles a story, ~70% listed,
// one every 90 seconds over the years, and the site's full-text index kept by its own triggers.
//
// Usage: npx tsx bench/scale-db.ts --store sqlite|postgres [--target 1000000] [--minutes 10]
//          [--path /tmp/newsdesk-scale.sqlite] [--schema nd_bench_scale] [--samples 40] [--fresh]
// Generation stops at --target articles or after --minutes, whichever comes first; a later run
// without --fresh adds to what is there.
import { statSync, existsSync, rmSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import SqliteDatabase from 'better-sqlite3';
import { Store } from '../src/store/index.ts';
import { validateConfig } from '../src/config/load.ts';
import { openDesk } from '../src/jobs/desk.ts';
import { buildServer } from '../src/publish/server.ts';
import { listStreamAfter } from '../src/store/jobs.ts';
import { loadTaxonomy } from '../src/curate/topics/taxonomy.ts';
import { silentLogger } from '../src/log.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const kind = argument('--store', 'sqlite') as 'sqlite' | 'postgres';
const target = Number(argument('--target', '1000000'));
const budgetMs = Number(argument('--minutes', '10')) * 60_000;
const samples = Number(argument('--samples', '40'));
const sqlitePath = argument('--path', '/tmp/newsdesk-scale.sqlite');
const schema = argument('--schema', 'nd_bench_scale');
const postgresUrl = process.env.NEWSDESK_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
const fresh = process.argv.includes('--fresh');
const BATCH = 5000;
// Time the queries, not the server's 2-second page cache: every request below is rendered afresh.
process.env.NEWSDESK_PAGE_CACHE_MS = '0';

// ---- vocabulary: the words of the demo archive's feeds --------------------------------------------
function vocabulary(): string[] {
  const lines = gunzipSync(readFileSync(join(root, 'demo/archive.jsonl.gz'))).toString('utf8').split('\n');
  const words = new Set<string>();
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const body = (JSON.parse(line) as { body?: string }).body ?? '';
    for (const w of body.replace(/<[^>]+>/g, ' ').match(/\b[a-zA-Z]{3,14}\b/g) ?? []) words.add(w.toLowerCase());
  }
  return [...words].filter((w) => !/^(http|https|www|com|html|xml|rss|cdata|amp|nbsp|quot)$/.test(w));
}

let seed = 12345;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

const taxonomy = loadTaxonomy(join(root, 'taxonomy/ai.yaml'));
const topics = taxonomy.topics;
const words = vocabulary();
// Zipf-like: early words far more often, as in real text.
const word = () => words[Math.floor(words.length * random() ** 2.2)]!;
const phrase = (n: number) => Array.from({ length: n }, word).join(' ');
const providers = Array.from({ length: 600 }, (_, i) => `${phrase(1)}${i}.example`);
const START = Date.parse('2022-01-01T00:00:00Z');

interface Row {
  id: number;
  story: number;
  title: string;
  excerpt: string;
  text: string;
  publishedAt: string;
  provider: string;
  topics: string[];
  quality: number;
  heat: number;
  published: number;
  listed: number;
}

function makeRow(id: number): Row {
  const title = phrase(7 + Math.floor(random() * 6));
  const text = phrase(90 + Math.floor(random() * 60));
  const first = topics[Math.floor(topics.length * random() ** 1.5)]!;
  const second = topics[Math.floor(topics.length * random())]!;
  const published = random() < 0.6 ? 1 : 0;
  const quality = Math.floor(random() * 100);
  return {
    id,
    story: Math.ceil(id / 3),
    title: title[0]!.toUpperCase() + title.slice(1),
    excerpt: text.slice(0, 240),
    text,
    publishedAt: new Date(START + id * 90_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    provider: providers[Math.floor(providers.length * random() ** 1.3)]!,
    topics: [...new Set([taxonomy.root.name, first.name, second.name])],
    quality,
    heat: published ? 70 + Math.floor(random() * 30) : Math.floor(random() * 70),
    published,
    // Listed: published, or not yet scored (a few).
    listed: published || random() < 0.1 ? 1 : 0,
  };
}

const createdAt = '2025-01-01T00:00:00Z';
function articleValues(r: Row): unknown[] {
  return [
    r.id, `https://${r.provider}/news/${r.id}`, `https://${r.provider}/news/${r.id}?utm_source=rss`, null, r.title, r.excerpt, r.publishedAt,
    'article', r.provider.replace(/\d+\.example$/, ''), r.provider, JSON.stringify(r.topics), '[]', 'en', '[]', r.text, 'feed',
    r.quality, '[]', r.heat, r.published, r.listed, r.story, `${r.publishedAt.slice(0, 10)}-${r.id}`, createdAt, createdAt,
  ];
}
const ARTICLE_COLUMNS = 'id, web_url, original_url, source_id, title, excerpt, published_at, type, provider_name, provider_domain, topics, images, locale, authors, text, extraction_status, quality, quality_parts, heat, published, listed, story_id, path_key, created_at, updated_at';

// ---- generation --------------------------------------------------------------------------------------
async function generateSqlite(): Promise<number> {
  // Returns how many articles this run added.
  if (fresh) for (const suffix of ['', '-wal', '-shm']) rmSync(sqlitePath + suffix, { force: true });
  (await Store.open(sqlitePath)).close(); // migrations
  const db = new SqliteDatabase(sqlitePath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  let next = Number((db.prepare('select coalesce(max(id), 0) as n from articles').get() as { n: number }).n) + 1;
  const first = next;
  const insertStory = db.prepare('insert or ignore into stories (id, lead_article_id, member_count, heat, override, created_at, updated_at) values (?, ?, 3, ?, null, ?, ?)');
  const insertArticle = db.prepare(`insert into articles (${ARTICLE_COLUMNS}) values (${ARTICLE_COLUMNS.split(',').map(() => '?').join(', ')})`);
  const insertTopic = db.prepare('insert into article_topics (article_id, topic, published_at, listed) values (?, ?, ?, ?)');
  const batch = db.transaction((rows: Row[]) => {
    for (const r of rows) {
      insertStory.run(r.story, r.id, r.heat, createdAt, createdAt);
      insertArticle.run(...articleValues(r));
      for (const t of r.topics) insertTopic.run(r.id, t, r.publishedAt, r.listed);
    }
  });
  const started = Date.now();
  while (next <= target && Date.now() - started < budgetMs) {
    const rows = Array.from({ length: Math.min(BATCH, target - next + 1) }, (_, i) => makeRow(next + i));
    batch(rows);
    next += rows.length;
    if ((next - 1) % 50_000 < BATCH) process.stdout.write(`  sqlite: ${next - 1} articles, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  db.exec('analyze');
  db.close();
  return next - first;
}

async function generatePostgres(): Promise<number> {
  // Returns how many articles this run added.
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  if (fresh) await admin.query(`drop schema if exists "${schema}" cascade`);
  await admin.end();
  (await Store.open(postgresUrl, { schema })).close();
  const client = new pg.Client({ connectionString: postgresUrl, options: `-c search_path=${schema}` });
  await client.connect();
  let next = Number((await client.query('select coalesce(max(id), 0) as n from articles')).rows[0].n) + 1;
  const first = next;
  const started = Date.now();
  const types = ['int', 'text', 'text', 'int', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'int', 'text', 'int', 'int', 'int', 'int', 'text', 'text', 'text'];
  while (next <= target && Date.now() - started < budgetMs) {
    const rows = Array.from({ length: Math.min(BATCH, target - next + 1) }, (_, i) => makeRow(next + i));
    const columns = types.map((_, c) => rows.map((r) => articleValues(r)[c]));
    await client.query('begin');
    const stories = [...new Map(rows.map((r) => [r.story, r])).values()];
    await client.query(
      `insert into stories (id, lead_article_id, member_count, heat, override, created_at, updated_at)
       select s, l, 3, h, null, $4, $4 from unnest($1::int[], $2::int[], $3::int[]) as t(s, l, h) on conflict (id) do nothing`,
      [stories.map((r) => r.story), stories.map((r) => r.id), stories.map((r) => r.heat), createdAt],
    );
    await client.query(
      `insert into articles (${ARTICLE_COLUMNS}) select * from unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`,
      columns,
    );
    const topicRows = rows.flatMap((r) => r.topics.map((t) => [r.id, t, r.publishedAt, r.listed] as const));
    await client.query(
      'insert into article_topics (article_id, topic, published_at, listed) select * from unnest($1::int[], $2::text[], $3::text[], $4::int[])',
      [topicRows.map((t) => t[0]), topicRows.map((t) => t[1]), topicRows.map((t) => t[2]), topicRows.map((t) => t[3])],
    );
    await client.query('commit');
    next += rows.length;
    if ((next - 1) % 50_000 < BATCH) process.stdout.write(`  postgres: ${next - 1} articles, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  // Ids were given explicitly: move the sequences past them for later inserts.
  await client.query(`select setval(pg_get_serial_sequence('articles', 'id'), (select max(id) from articles))`);
  await client.query(`select setval(pg_get_serial_sequence('stories', 'id'), (select max(id) from stories))`);
  await client.query('analyze');
  await client.end();
  return next - first;
}

// ---- measurement -------------------------------------------------------------------------------------
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function main() {
  process.stdout.write(`scale-db: ${kind}, target ${target} articles, generation budget ${budgetMs / 60_000} min\n`);
  const genStart = Date.now();
  const added = kind === 'sqlite' ? await generateSqlite() : await generatePostgres();
  const genSeconds = (Date.now() - genStart) / 1000;
  const store = kind === 'sqlite' ? await Store.open(sqlitePath) : await Store.open(postgresUrl, { schema });
  const desk = await openDesk(validateConfig({ demo: true, dataDir: mkdtempSync(join(tmpdir(), 'newsdesk-scale-')), topics: { classifier: 'keywords' } }), { store, log: silentLogger });
  const app = await buildServer(desk);
  const stored = (await store.counts()).articles;
  const listed = Number((await store.db.selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).where('listed', '=', 1).executeTakeFirst())?.n ?? 0);
  const topic = topics[0]!;
  const topicListed = Number((await store.db.selectFrom('article_topics').select((eb) => eb.fn.countAll().as('n')).where('topic', '=', topic.name).where('listed', '=', 1).executeTakeFirst())?.n ?? 0);
  const topicDeepPage = Math.max(2, Math.min(100, Math.floor(topicListed / 30 / 2)));
  const deepPage = Math.max(2, Math.min(1000, Math.floor(listed / 30 / 2)));
  const vocabularyHead = words.slice(0, 2000);

  const timeIt = async (name: string, run: (i: number) => Promise<void>) => {
    for (let i = 0; i < 3; i++) await run(i);
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      await run(i);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    process.stdout.write(`| ${name.padEnd(42)} | ${percentile(times, 0.5).toFixed(1).padStart(8)} | ${percentile(times, 0.95).toFixed(1).padStart(8)} |\n`);
  };
  const get = async (url: string) => {
    const response = await app.inject({ method: 'GET', url });
    if (response.statusCode !== 200) throw new Error(`${url}: HTTP ${response.statusCode}`);
  };

  process.stdout.write(`\n${kind}: ${stored} articles (${listed} listed), ${added} added this run in ${genSeconds.toFixed(0)} s (${(added / Math.max(1, genSeconds)).toFixed(0)} articles/s, ANALYZE included)\n`);
  process.stdout.write(`| request (${samples} samples each, page cache off)                   |  p50 ms  |  p95 ms  |\n|---|---|---|\n`);
  await timeIt('API page 1 /api/news/page/1/', () => get('/api/news/page/1/'));
  await timeIt(`API page ${deepPage} (OFFSET ${(deepPage - 1) * 30})`, () => get(`/api/news/page/${deepPage}/`));
  // The keyset stream at the same depth: the cursor is the last item of the page before.
  const pageBefore = await store.listStream({ page: deepPage - 1, perPage: 30 });
  const lastBefore = pageBefore.items[pageBefore.items.length - 1]!;
  await timeIt(`keyset stream at page ${deepPage}`, async () => {
    await listStreamAfter(store, { perPage: 30, after: { publishedAt: lastBefore.publishedDateTime, id: lastBefore.id } });
  });
  await timeIt(`topic page 1 /api/news/${topic.id}/page/1/`, () => get(`/api/news/${topic.id}/page/1/`));
  await timeIt(`topic page ${topicDeepPage} /api/news/${topic.id}/page/${topicDeepPage}/`, () => get(`/api/news/${topic.id}/page/${topicDeepPage}/`));
  await timeIt('search /search?q=<two words> (full text)', (i) => get(`/search?q=${encodeURIComponent(`${vocabularyHead[(i * 37) % 300]} ${vocabularyHead[(i * 101 + 7) % 2000]}`)}`));
  await timeIt('search /search?q=<one rarer word>', (i) => get(`/search?q=${encodeURIComponent(vocabularyHead[(i * 53 + 500) % 2000]!)}`));

  let bytes = 0;
  if (kind === 'sqlite') {
    for (const suffix of ['', '-wal']) if (existsSync(sqlitePath + suffix)) bytes += statSync(sqlitePath + suffix).size;
  } else {
    const row = await sql<{ bytes: string }>`select sum(pg_total_relation_size(c.oid))::bigint as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema} and c.relkind in ('r', 'm')`.execute(store.db);
    bytes = Number(row.rows[0]?.bytes ?? 0);
  }
  process.stdout.write(`database size: ${(bytes / 1024 ** 3).toFixed(2)} GiB (${(bytes / Math.max(1, stored)).toFixed(0)} bytes an article, indexes and full-text index included)\n`);
  await app.close();
  await desk.close();
  await store.close();
}

await main();
