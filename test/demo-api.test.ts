// The offline demo through the real pipeline, then the API and the Jekyll export on top of it.
import { test, before, after } from 'node:test';
import { describeEachStore } from './helpers/stores.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { FastifyInstance } from 'fastify';
import { validateConfig } from '../src/config/load.ts';
import { openDesk, type Desk } from '../src/jobs/desk.ts';
import { seedSources } from '../src/cli/context.ts';
import { runDueSources } from '../src/jobs/ingest.ts';
import { buildServer } from '../src/publish/server.ts';
import { exportNews } from '../src/publish/export/jekyll.ts';
import { silentLogger } from '../src/log.ts';

const CORPUS = join(import.meta.dirname, '..', '..', 'shared', 'corpus', 'everyday-ai', 'news.jsonl');
const corpusMissing = existsSync(CORPUS) ? false : `corpus not found at ${CORPUS} (a user's clone has no ../shared)`;

describeEachStore('demo, API and export', (fixture) => {
  let desk: Desk;
  let app: FastifyInstance;
  let base = '';

  before(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'newsdesk-demo-'));
    desk = await openDesk(validateConfig({ dataDir }), { log: silentLogger, store: fixture().store });
    await seedSources(desk);
    await runDueSources(desk);
    app = await buildServer(desk);
    base = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
  });

  after(async () => {
    await app.close();
    await desk.close();
  });

  const get = async (path: string) => {
    const response = await fetch(base + path);
    return { status: response.status, body: (await response.json()) as any };
  };

  test('the demo stores at least 300 records with topics, quality, heat and published computed', async () => {
    assert.equal(desk.config.useDemo, true);
    const counts = await desk.store.counts();
    assert.ok(counts.articles >= 300, `${counts.articles} articles`);
    assert.ok(counts.published > 0);
    let scored = 0;
    for await (const article of desk.store.iterateArticles()) {
      assert.ok(article.topics.includes('AI'), 'root topic always added');
      if (article.quality !== null && article.heat !== null && article.published !== null) scored++;
    }
    assert.ok(scored >= 300, `${scored} scored`);
  });

  test('GET /api/health reports counts', async () => {
    const { status, body } = await get('/api/health');
    assert.equal(status, 200);
    assert.equal(body.status, 'ok');
    const counts = await desk.store.counts();
    assert.equal(body.articles, counts.articles);
    assert.equal(body.published, counts.published);
    assert.equal(body.sources, 185);
  });

  test('GET /api/news/ pages hold 30 published or unscored items, newest first, in the reference item shape', async () => {
    const { status, body } = await get('/api/news/');
    assert.equal(status, 200);
    assert.equal(body.page, 1);
    assert.ok(body.value.length <= 30 && body.value.length > 0);
    const dates = body.value.map((i: any) => i.publishedDateTime);
    assert.deepEqual(dates, [...dates].sort().reverse());
    for (const item of body.value) {
      assert.ok(item.heat === null || item.heat >= desk.config.thresholds.publish || (await desk.store.getArticleByPathKey(item.path.slice(6, -3)))!.published);
      assert.match(item.path, /^_news\/\d{4}-\d{2}-\d{2}-[a-z0-9-]+\.md$/);
    }
    if (!corpusMissing) {
      const reference = readFileSync(CORPUS, 'utf8').split('\n').find((l) => l.includes('"api-item"'))!;
      const referenceKeys = Object.keys(JSON.parse(reference)).filter((k) => !k.startsWith('_'));
      assert.deepEqual(Object.keys(body.value[0]), referenceKeys);
      assert.deepEqual(Object.keys(body.value[0].provider), ['name', 'domain', 'images', 'publishers', 'authors']);
    }
    const item = await get(`/api/news/item/${body.value[0].path.slice(6, -3)}/`);
    assert.equal(item.status, 200);
    assert.equal(item.body.webUrl, body.value[0].webUrl);
  });

  test('paging follows nextPage; a page past the end is a coded 404', async () => {
    const seen = new Set<string>();
    let page = 1;
    for (let next: number | null = 1; next !== null; ) {
      const { body } = await get(next === 1 ? '/api/news/' : `/api/news/page/${next}/`);
      assert.equal(body.page, next);
      for (const item of body.value) seen.add(item.path);
      page = next;
      next = body.nextPage;
    }
    const missing = await get(`/api/news/page/${page + 1}/`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'ND_NOT_FOUND');
    const bad = await get('/api/news/page/zero/');
    assert.equal(bad.status, 400);
    assert.equal(seen.size, (await desk.store.listStream({ page: 1, perPage: 100000 })).items.length);
  });

  test('topic pages list only that topic; an unknown topic is a 404', async () => {
    const { status, body } = await get('/api/news/machine-learning/page/1/');
    assert.equal(status, 200);
    assert.ok(body.value.length > 0);
    assert.ok(body.value.every((i: any) => i.topics.includes('Machine Learning')));
    assert.equal((await get('/api/news/no-such-topic/')).status, 404);
  });

  test('the front page lists published stories and says it is the demo', async () => {
    const response = await fetch(base + '/');
    const html = await response.text();
    assert.equal(response.status, 200);
    assert.match(html, /demo/i);
    const published = (await desk.store.listStream({ page: 1, perPage: 5 })).items.filter((a) => a.published);
    for (const article of published) assert.ok(html.includes(article.title.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;')), article.title);
  });

  test('export jekyll writes _news files whose front matter has the reference keys, order and value formats', { skip: corpusMissing }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsdesk-jekyll-'));
    const written = await exportNews(desk.store, dir);
    const files = readdirSync(join(dir, '_news'));
    assert.equal(files.length, written);
    assert.ok(files.every((f) => /^\d{4}-\d{2}-\d{2}-[a-z0-9-]+\.md$/.test(f)));
    const referenceOrder = ['category', 'title', 'excerpt', 'publishedDateTime', 'originalUrl', 'webUrl', 'ampWebUrl', 'cdnAmpWebUrl', 'type', 'quality', 'heat', 'published', 'provider', 'topics', 'images', 'related', 'secured'];
    const referenceRecords = readFileSync(CORPUS, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r._record === 'front-matter');
    const referenceTypes = new Map<string, string>();
    for (const r of referenceRecords) for (const [k, v] of Object.entries(r)) if (!k.startsWith('_')) referenceTypes.set(k, Array.isArray(v) ? 'array' : typeof v);
    let withRelated = 0;
    for (const file of files) {
      const text = readFileSync(join(dir, '_news', file), 'utf8');
      const match = /^---\n([\s\S]*?)\n---\n/.exec(text);
      assert.ok(match, file);
      // Timestamps stay strings, as in the corpus (YAML 1.1 timestamps read as text).
      const record = parseYaml(match[1]!, { schema: 'core' }) as Record<string, unknown>;
      const keys = Object.keys(record);
      assert.deepEqual(keys, referenceOrder.filter((k) => keys.includes(k)), file);
      for (const key of keys) assert.equal(Array.isArray(record[key]) ? 'array' : typeof record[key], referenceTypes.get(key), `${file}: ${key}`);
      assert.match(String(record.publishedDateTime), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.match(match[1]!, /^publishedDateTime: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/m, 'timestamps are bare, as in the reference');
      assert.ok(file.startsWith(String(record.publishedDateTime).slice(0, 10)));
      if (record.related) {
        withRelated++;
        const qualities = (record.related as Array<{ quality: number }>).map((r) => r.quality);
        assert.deepEqual(qualities, [...qualities].sort((a, b) => b - a), 'related is sorted by quality');
      }
    }
    assert.ok(withRelated > 0, 'some demo stories have related coverage');
  });

  test('the explain route shows the quality parts, the story and the score history', async () => {
    const { body: page } = await get('/api/news/');
    const key = page.value[0].path.slice(6, -3);
    const { status, body } = await get(`/api/news/item/${key}/explain/`);
    assert.equal(status, 200);
    assert.equal(body.quality, body.qualityParts.reduce((sum: number, p: { points: number }) => sum + p.points, 0));
    assert.ok(body.qualityParts.every((p: any) => typeof p.name === 'string' && typeof p.reason === 'string'));
    assert.ok(body.story.members.some((m: any) => m.path === page.value[0].path));
    assert.ok(body.history.some((h: any) => h.field === 'quality'));
    assert.ok(body.history.some((h: any) => h.field === 'heat'));
  });
});
