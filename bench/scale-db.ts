// A large store built through the store's own bulk write path (`insertArticles`, the path of ingest
// batches and `import everyday`), then timed through the real HTTP API: p50/p95 of an API page (first
// and deep), a topic page (first and deep), the keyset stream at the deep page's position, a site search
// and a story page; the size of the database; and the cost of ingesting and curating 1,000 more
// articles (stored in ingest's batches, classified, scored, clustered, consolidated) at 10k and at the
// end, in the same run. Articles are synthetic but shaped like real ones: titles and text drawn from
// the words of the demo archive, 2 topics each, 3 articles a story, ~70% listed, one every 90 seconds.
// The generated articles come with their curation (as an import does) and carry no clustering
// features: clustering at scale is bench:cluster-scale's; the 1,000 ingested ones are clustered for real.
//
// Usage: npm run bench:scale-db -- [--articles 1000000] [--store sqlite|postgres|both] [--minutes 20]
//          [--path /tmp/newsdesk-scale.sqlite] [--schema nd_bench_scale] [--samples 40] [--keep]
// Each store is built afresh (a run with --keep adds to what is there) up to --articles or for at most
// --minutes; the last line per store is `scale-db: <store> <articles> articles, build <s> s, worst p95 <ms> ms`.
import { statSync, existsSync, rmSync, readFileSync, mkdtempSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { Store, type NewArticle } from '../src/store/index.ts';
import { validateConfig } from '../src/config/load.ts';
import { openDesk, type Desk } from '../src/jobs/desk.ts';
import { buildServer } from '../src/publish/server.ts';
import { listStreamAfter } from '../src/store/jobs.ts';
import { loadTaxonomy } from '../src/curate/topics/taxonomy.ts';
import { pathKey } from '../src/normalize/slug.ts';
import { insertNewArticles } from '../src/jobs/ingest.ts';
import { consolidateStories, curateArticle } from '../src/jobs/curate.ts';
import type { NewsRecord } from '../src/record.ts';
import { silentLogger } from '../src/log.ts';
import { argument, timeRuns } from './options.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const storeArgument = argument('--store', 'both');
const kinds = (storeArgument === 'both' ? ['sqlite', 'postgres'] : [storeArgument]) as Array<'sqlite' | 'postgres'>;
const target = Number(argument('--articles', argument('--target', '1000000')));
const budgetMs = Number(argument('--minutes', '20')) * 60_000;
const samples = Number(argument('--samples', '40'));
const sqlitePath = argument('--path', '/tmp/newsdesk-scale.sqlite');
const schema = argument('--schema', 'nd_bench_scale');
const postgresUrl = process.env.NEWSDESK_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
const fresh = !process.argv.includes('--keep');
/** Articles a batch: what one ingest of many feeds, or one import chunk, hands the store at most. */
const BATCH = 3000;
/** The cost of more articles is measured when the store first holds this many, and again at the end. */
const EARLY = 10_000;
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
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The n-th generated article (n from 1), published n × 90 s after the start. */
function makeRecord(n: number): NewsRecord {
  const title = phrase(7 + Math.floor(random() * 6));
  const text = phrase(90 + Math.floor(random() * 60));
  const first = topics[Math.floor(topics.length * random() ** 1.5)]!;
  const second = topics[Math.floor(topics.length * random())]!;
  const provider = providers[Math.floor(providers.length * random() ** 1.3)]!;
  return {
    title: title[0]!.toUpperCase() + title.slice(1),
    excerpt: text.slice(0, 240),
    publishedDateTime: isoSeconds(START + n * 90_000),
    updatedDateTime: null,
    originalUrl: `https://${provider}/news/${n}?utm_source=rss`,
    webUrl: `https://${provider}/news/${n}`,
    ampWebUrl: null,
    cdnAmpWebUrl: null,
    type: 'article',
    provider: { name: provider.replace(/\d+\.example$/, ''), domain: provider },
    topics: [...new Set([taxonomy.root.name, first.name, second.name])],
    images: [],
    locale: 'en',
    authors: [],
    text,
    html: null,
    extraction: { status: 'feed' },
  };
}

/** The generated articles and their stories (3 articles each, the first one the lead), one batch. */
async function generateBatch(store: Store, first: number, count: number): Promise<void> {
  const storyIds = await store.createStories(Math.ceil(count / 3));
  const stories: Array<{ id: number; heat: number; members: number[] }> = storyIds.map((id) => ({ id, heat: 0, members: [] }));
  const batch: NewArticle[] = [];
  for (let i = 0; i < count; i++) {
    const record = makeRecord(first + i);
    const published = random() < 0.6;
    const quality = Math.floor(random() * 100);
    const heat = published ? 70 + Math.floor(random() * 30) : Math.floor(random() * 70);
    // A few not yet scored: listed as the stream lists them.
    const scored = published || random() >= 0.1;
    const story = stories[Math.floor(i / 3)]!;
    if (story.members.length === 0) story.heat = heat;
    batch.push({
      record,
      sourceId: null,
      // Stored as it was published, as on a desk that grew over the years (consolidation looks back by storing time).
      storedAt: record.publishedDateTime!,
      pathKey: `${pathKey(record.title, record.publishedDateTime)}-${first + i}`,
      curated: { quality: scored ? quality : null, heat: scored ? heat : null, published: scored ? published : null, storyId: story.id, reason: 'generated' },
    });
  }
  const outcomes = await store.insertArticles(batch);
  for (const [i, outcome] of outcomes.entries()) {
    if (!outcome.inserted) throw new Error(`generated article ${first + i} was not stored`);
    stories[Math.floor(i / 3)]!.members.push(outcome.id);
  }
  await store.inTransaction(async (tx) => {
    for (const story of stories) await tx.updateStory(story.id, { leadArticleId: story.members[0]!, memberCount: story.members.length, heat: story.heat });
  });
}

/**
 * Ingests and curates 1,000 new articles as a worker does: stored in ingest's batches, each classified,
 * scored and given a first story, then one consolidation. Returns the milliseconds it took.
 */
async function ingestThousand(desk: Desk, after: number): Promise<{ ms: number; parts: string }> {
  const records = Array.from({ length: 1000 }, (_, i) => {
    const record = makeRecord(after + i + 1);
    return { ...record, topics: [], webUrl: `${record.webUrl}-ingested`, originalUrl: `${record.webUrl}-ingested` };
  });
  const started = performance.now();
  let storing = 0;
  let curating = 0;
  for (let i = 0; i < records.length; i += 25) {
    const t0 = performance.now();
    const outcomes = await insertNewArticles(desk, records.slice(i, i + 25), null);
    const t1 = performance.now();
    for (const { id, inserted } of outcomes) if (inserted) await curateArticle(desk, id);
    storing += t1 - t0;
    curating += performance.now() - t1;
  }
  const t2 = performance.now();
  const consolidation = await consolidateStories(desk, { wait: true });
  const ms = performance.now() - started;
  const steps = new Map<string, number>();
  for (const pass of consolidation.passes) for (const [step, stepMs] of Object.entries(pass.steps)) steps.set(step, (steps.get(step) ?? 0) + stepMs);
  const stepText = [...steps].map(([step, stepMs]) => `${step} ${(stepMs / 1000).toFixed(2)}`).join(', ');
  return { ms, parts: `store ${(storing / 1000).toFixed(2)} s, curate ${(curating / 1000).toFixed(2)} s, consolidate ${((performance.now() - t2) / 1000).toFixed(2)} s in ${consolidation.passes.length} passes: ${stepText}` };
}

async function openScaleStore(kind: 'sqlite' | 'postgres'): Promise<Store> {
  if (kind === 'sqlite') {
    if (fresh) for (const suffix of ['', '-wal', '-shm']) rmSync(sqlitePath + suffix, { force: true });
    return Store.open(sqlitePath);
  }
  if (fresh) {
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`drop schema if exists "${schema}" cascade`);
    await admin.end();
  }
  return Store.open(postgresUrl, { schema });
}

async function openBenchDesk(store: Store, nowMs: number): Promise<Desk> {
  return openDesk(validateConfig({ demo: true, dataDir: mkdtempSync(join(tmpdir(), 'newsdesk-scale-')), topics: { classifier: 'keywords' } }), {
    store,
    log: silentLogger,
    extractPages: false,
    now: () => new Date(nowMs),
  });
}

// ---- measurement -------------------------------------------------------------------------------------

interface Result {
  kind: string;
  stored: number;
  buildSeconds: number;
  added: number;
  costEarlyMs: number | null;
  costLateMs: number;
  rows: Array<{ name: string; p50: number; p95: number }>;
  bytes: number;
}

async function run(kind: 'sqlite' | 'postgres'): Promise<Result> {
  process.stdout.write(`scale-db: ${kind}, up to ${target} articles, build budget ${budgetMs / 60_000} min\n`);
  const store = await openScaleStore(kind);
  let generated = (await store.counts()).articles;
  const first = generated;
  let costEarlyMs: number | null = null;
  let measuredMs = 0;
  const started = Date.now();
  while (generated < target && Date.now() - started - measuredMs < budgetMs) {
    const count = Math.min(BATCH, target - generated, generated < EARLY ? EARLY - generated : BATCH);
    await generateBatch(store, generated + 1, count);
    generated += count;
    if (generated === EARLY && costEarlyMs === null && target > EARLY) {
      const t0 = Date.now();
      const desk = await openBenchDesk(store, START + (generated + 1000) * 90_000);
      const cost = await ingestThousand(desk, generated);
      costEarlyMs = cost.ms;
      await desk.close();
      process.stdout.write(`  ${kind}: 1,000 more articles ingested and curated at ${generated}: ${(cost.ms / 1000).toFixed(2)} s (${cost.parts})\n`);
      generated += 1000;
      measuredMs += Date.now() - t0;
    }
    if (generated % 50_000 < count) process.stdout.write(`  ${kind}: ${generated} articles, ${((Date.now() - started - measuredMs) / 1000).toFixed(0)} s\n`);
  }
  // What autovacuum does on a desk that grew over a year: PostgreSQL's index-only scans need the
  // visibility map that VACUUM sets (a deep page read every row otherwise).
  if (kind === 'postgres') await sql`vacuum analyze`.execute(store.db);
  else await sql`analyze`.execute(store.db);
  const buildSeconds = (Date.now() - started - measuredMs) / 1000;
  const desk = await openBenchDesk(store, START + (generated + 1000) * 90_000);
  const late = await ingestThousand(desk, generated);
  const costLateMs = late.ms;
  const stored = (await store.counts()).articles;
  process.stdout.write(`  ${kind}: 1,000 more articles ingested and curated at ${stored - 1000}: ${(late.ms / 1000).toFixed(2)} s (${late.parts})\n`);

  const app = await buildServer(desk);
  const listed = Number((await store.db.selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).where('listed', '=', 1).executeTakeFirst())?.n ?? 0);
  const topic = topics[0]!;
  const topicListed = Number((await store.db.selectFrom('article_topics').select((eb) => eb.fn.countAll().as('n')).where('topic', '=', topic.name).where('listed', '=', 1).executeTakeFirst())?.n ?? 0);
  const topicDeepPage = Math.max(2, Math.min(100, Math.floor(topicListed / 30 / 2)));
  const deepPage = Math.max(2, Math.min(1000, Math.floor(listed / 30 / 2)));
  const vocabularyHead = words.slice(0, 2000);
  // Stories a reader can open (a published lead), spread over the whole store, the newest and the oldest alike.
  const maxStory = Number((await store.db.selectFrom('stories').select((eb) => eb.fn.max('id').as('n')).executeTakeFirst())?.n ?? 1);
  const spread = Array.from({ length: 400 }, (_, i) => 1 + Math.floor((i / 400) * (maxStory - 1)));
  const storyIds = (
    await store.db.selectFrom('stories').innerJoin('articles', 'articles.id', 'stories.lead_article_id').select('stories.id').where('stories.id', 'in', spread).where('articles.published', '=', 1).execute()
  ).map((r) => Number(r.id));

  const rows: Result['rows'] = [];
  const timeIt = async (name: string, runOnce: (i: number) => Promise<void>) => {
    rows.push({ name, ...(await timeRuns(samples, runOnce)) });
  };
  const get = async (url: string) => {
    const response = await app.inject({ method: 'GET', url });
    if (response.statusCode !== 200) throw new Error(`${url}: HTTP ${response.statusCode}`);
  };
  await timeIt('API page 1 /api/news/page/1/', () => get('/api/news/page/1/'));
  await timeIt(`API page ${deepPage} /api/news/page/${deepPage}/`, () => get(`/api/news/page/${deepPage}/`));
  // The keyset stream at the same depth: the cursor is the last item of the page before.
  const pageBefore = await store.listStream({ page: deepPage - 1, perPage: 30 });
  const lastBefore = pageBefore.items[pageBefore.items.length - 1]!;
  await timeIt(`keyset stream at page ${deepPage}`, async () => {
    await listStreamAfter(store, { perPage: 30, after: { publishedAt: lastBefore.publishedDateTime, id: lastBefore.id } });
  });
  await timeIt(`topic page 1 /api/news/${topic.id}/page/1/`, () => get(`/api/news/${topic.id}/page/1/`));
  await timeIt(`topic page ${topicDeepPage}`, () => get(`/api/news/${topic.id}/page/${topicDeepPage}/`));
  await timeIt('search /search?q=<two words>', (i) => get(`/search?q=${encodeURIComponent(`${vocabularyHead[(i * 37) % 300]} ${vocabularyHead[(i * 101 + 7) % 2000]}`)}`));
  await timeIt('search /search?q=<one rarer word>', (i) => get(`/search?q=${encodeURIComponent(vocabularyHead[(i * 53 + 500) % 2000]!)}`));
  await timeIt('story page /story/<id>', (i) => get(`/story/${storyIds[(i * 7919) % storyIds.length]}`));

  let bytes = 0;
  if (kind === 'sqlite') {
    for (const suffix of ['', '-wal']) if (existsSync(sqlitePath + suffix)) bytes += statSync(sqlitePath + suffix).size;
  } else {
    const row = await sql<{ bytes: string }>`select sum(pg_total_relation_size(c.oid))::bigint as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema} and c.relkind in ('r', 'm')`.execute(store.db);
    bytes = Number(row.rows[0]?.bytes ?? 0);
  }
  await app.close();
  await desk.close();
  await store.close();
  return { kind, stored, buildSeconds, added: generated - first, costEarlyMs, costLateMs, rows, bytes };
}

const results: Result[] = [];
for (const kind of kinds) results.push(await run(kind));

const cell = (v: string, width: number) => v.padStart(width);
process.stdout.write(`\n| request (${samples} samples each, page cache off) | ${results.map((r) => `${r.kind} p50 ms | ${r.kind} p95 ms`).join(' | ')} |\n`);
process.stdout.write(`|---|${results.map(() => '---|---').join('|')}|\n`);
for (const [i, row] of results[0]!.rows.entries()) {
  process.stdout.write(`| ${row.name.padEnd(40)} | ${results.map((r) => `${cell(r.rows[i]!.p50.toFixed(1), 8)} | ${cell(r.rows[i]!.p95.toFixed(1), 8)}`).join(' | ')} |\n`);
}
for (const r of results) {
  process.stdout.write(`\n${r.kind}: ${r.stored} articles stored (${r.added} added this run), build ${r.buildSeconds.toFixed(0)} s (${(r.added / Math.max(1, r.buildSeconds)).toFixed(0)} articles/s, ANALYZE and on PostgreSQL VACUUM included); database ${(r.bytes / 1024 ** 3).toFixed(2)} GiB (${(r.bytes / Math.max(1, r.stored)).toFixed(0)} bytes an article)\n`);
  if (r.costEarlyMs !== null) {
    process.stdout.write(`${r.kind}: 1,000 more articles ingested and curated: ${(r.costEarlyMs / 1000).toFixed(2)} s at ${EARLY}, ${(r.costLateMs / 1000).toFixed(2)} s at ${r.stored - 1000} (${(r.costLateMs / r.costEarlyMs).toFixed(2)}×; the bar is 1.5×)\n`);
  }
}
for (const r of results) {
  process.stdout.write(`scale-db: ${r.kind} ${r.stored} articles, build ${r.buildSeconds.toFixed(0)} s, worst p95 ${Math.max(...r.rows.map((x) => x.p95)).toFixed(1)} ms\n`);
}
