import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachStore } from '../../test/helpers/stores.ts';
import { sampleRecord } from '../../test/helpers/records.ts';
import { Store, PathTakenError } from './index.ts';
import { isNewsdeskError } from '../errors.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describeEachStore('store', (fixture) => {
  test('an article is keyed by its canonical URL: a second insert adds nothing', async () => {
    const { store } = fixture();
    const first = await store.insertArticle(sampleRecord(1), { sourceId: null, pathKey: '2021-08-11-story-number-1' });
    const again = await store.insertArticle(sampleRecord(1, { title: 'changed' }), { sourceId: null, pathKey: 'other' });
    assert.equal(first.inserted, true);
    assert.equal(again.inserted, false);
    assert.equal(again.id, first.id);
    const stored = await store.getArticle(first.id);
    assert.equal(stored!.title, 'Story number 1');
    assert.deepEqual(stored!.images[0], { url: 'https://img.example.com/1.jpg', width: 800, height: 600, title: null });
    assert.equal((await store.getArticleByUrl('https://news.example.com/1?utm_source=feed'))!.id, first.id);
    assert.equal((await store.getArticleByPathKey('2021-08-11-story-number-1'))!.id, first.id);
  });

  test('work in one transaction commits together, or not at all when it fails midway', async () => {
    const { store } = fixture();
    const { id } = await store.insertArticle(sampleRecord(400), { sourceId: null, pathKey: 'k400' });
    await assert.rejects(
      store.inTransaction(async (tx) => {
        await tx.setScores(id, { quality: 61 }, 'quality scored');
        const story = await tx.createStory();
        await tx.assignStory(id, story);
        throw new Error('killed midway');
      }),
      /killed midway/,
    );
    const untouched = await store.getArticle(id);
    assert.equal(untouched!.quality, null);
    assert.equal(untouched!.storyId, null);
    assert.deepEqual(await store.history(id), []);

    const storyId = await store.inTransaction(async (tx) => {
      await tx.setScores(id, { quality: 61 }, 'quality scored');
      const story = await tx.createStory();
      await tx.assignStory(id, story);
      // A nested transaction (setScores opens one) runs inside this one rather than apart.
      return tx.inTransaction(async () => story);
    });
    const committed = await store.getArticle(id);
    assert.equal(committed!.quality, 61);
    assert.equal(committed!.storyId, storyId);
  });

  test('a path names one article: a second article on a taken path is refused, not stored', async () => {
    const { store } = fixture();
    await store.insertArticle(sampleRecord(300), { sourceId: null, pathKey: '2021-08-11-same-title' });
    await assert.rejects(store.insertArticle(sampleRecord(301), { sourceId: null, pathKey: '2021-08-11-same-title' }), PathTakenError);
    assert.equal(await store.getArticleByUrl(sampleRecord(301).webUrl), null);
  });

  test('scores are written with their history, and unchanged values leave none', async () => {
    const { store } = fixture();
    const { id } = await store.insertArticle(sampleRecord(2), { sourceId: null, pathKey: 'k2' });
    await store.setScores(id, { quality: 44, qualityParts: [{ name: 'image', points: 20, reason: 'has an image' }] }, 'quality scored');
    await store.setScores(id, { heat: 44, published: false }, 'lone article');
    await store.setScores(id, { heat: 44, published: false }, 'rescored, nothing changed');
    await store.setScores(id, { heat: 74, published: true }, 'joined a story');
    const article = await store.getArticle(id);
    assert.equal(article!.quality, 44);
    assert.equal(article!.heat, 74);
    assert.equal(article!.published, true);
    assert.deepEqual(article!.qualityParts, [{ name: 'image', points: 20, reason: 'has an image' }]);
    const history = await store.history(id);
    assert.deepEqual(
      history.map((h) => [h.field, h.oldValue, h.newValue, h.reason]),
      [
        ['quality', null, '44', 'quality scored'],
        ['heat', null, '44', 'lone article'],
        ['published', null, 'false', 'lone article'],
        ['heat', '44', '74', 'joined a story'],
        ['published', 'false', 'true', 'joined a story'],
      ],
    );
  });

  test('the stream lists published and unscored articles, newest first, 30 a page, per topic', async () => {
    const { store } = fixture();
    const ids: number[] = [];
    for (let n = 100; n < 140; n++) {
      const { id } = await store.insertArticle(sampleRecord(n, { publishedDateTime: `2022-01-01T00:${String(n - 100).padStart(2, '0')}:00Z` }), { sourceId: null, pathKey: `p${n}` });
      ids.push(id);
      await store.setTopics(id, n % 2 ? ['AI', 'Machine Learning'] : ['AI']);
    }
    // 100..109 scored and unpublished: they leave the stream. 110..119 published. The rest unscored.
    for (let i = 0; i < 10; i++) await store.setScores(ids[i]!, { quality: 30, heat: 30, published: false }, 'test');
    for (let i = 10; i < 20; i++) await store.setScores(ids[i]!, { quality: 90, heat: 90, published: true }, 'test');
    const page1 = await store.listStream({ page: 1, perPage: 30 });
    const listedTitles = page1.items.map((a) => a.title);
    assert.equal(listedTitles[0], 'Story number 139');
    assert.ok(!listedTitles.includes('Story number 105'));
    const all = [...page1.items, ...(await store.listStream({ page: 2, perPage: 30 })).items].filter((a) => a.webUrl.includes('/1'));
    const mine = all.filter((a) => Number(a.webUrl.split('/').pop()) >= 100);
    assert.equal(mine.length, 30);
    const ml = await store.listStream({ page: 1, perPage: 30, topic: 'Machine Learning' });
    assert.ok(ml.items.every((a) => a.topics.includes('Machine Learning')));
    assert.equal(ml.items.filter((a) => Number(a.webUrl.split('/').pop()) >= 100).length, 15);
  });

  test('stories: members, merge keeps the stronger override', async () => {
    const { store } = fixture();
    const a = (await store.insertArticle(sampleRecord(200), { sourceId: null, pathKey: 'p200' })).id;
    const b = (await store.insertArticle(sampleRecord(201), { sourceId: null, pathKey: 'p201' })).id;
    const s1 = await store.createStory();
    const s2 = await store.createStory();
    await store.assignStory(a, s1);
    await store.assignStory(b, s2);
    await store.setStoryOverride(s2, 'pin');
    await store.mergeStories(s1, s2);
    assert.deepEqual((await store.storyMembers(s1)).map((m) => m.id), [a, b]);
    assert.equal(await store.getStory(s2), null);
    assert.equal((await store.getStory(s1))!.override, 'pin');
  });

  test('sources: add is idempotent, failures are recorded with the reason and logged', async () => {
    const { store } = fixture();
    const source = await store.addSource({ url: 'https://feeds.example.com/rss', name: 'Example' });
    assert.equal((await store.addSource({ url: 'https://feeds.example.com/rss' })).id, source.id);
    await store.recordFetchFailure(source.id, { url: source.url, code: 'ND_FETCH_HTTP_STATUS', message: 'ND_FETCH_HTTP_STATUS: fetch returned HTTP 404', httpStatus: 404, nextFetchAt: '2030-01-01T00:00:00Z', durationMs: 5 });
    const failed = await store.getSource(source.id);
    assert.equal(failed!.status, 'error');
    assert.equal(failed!.lastErrorCode, 'ND_FETCH_HTTP_STATUS');
    assert.equal(failed!.errorCount, 1);
    assert.ok(!(await store.dueSources('2029-01-01T00:00:00Z')).some((s) => s.id === source.id));
    assert.ok((await store.dueSources('2030-01-01T00:00:00Z')).some((s) => s.id === source.id));
    await store.recordFetchSuccess(source.id, { url: source.url, httpStatus: 200, etag: '"v1"', nextFetchAt: '2030-01-02T00:00:00Z', itemsNew: 3, durationMs: 7 });
    const ok = await store.getSource(source.id);
    assert.equal(ok!.status, 'ok');
    assert.equal(ok!.lastError, null);
    assert.equal(ok!.etag, '"v1"');
    const log = await store.fetchLog(source.id);
    assert.deepEqual(log.map((l) => [l.outcome, l.httpStatus, l.itemsNew]), [['ok', 200, 3], ['ND_FETCH_HTTP_STATUS', 404, 0]]);
    const counts = await store.counts();
    assert.equal(typeof counts.articles, 'number');
    assert.ok(counts.sources >= 1);
  });
});

test('a store that cannot be opened is one clear coded error', async () => {
  await assert.rejects(Store.open('postgres://nobody@127.0.0.1:1/none'), (err: unknown) => isNewsdeskError(err, 'ND_STORE_UNAVAILABLE') && !err.message.includes('\n'));
  const notADirectory = join(mkdtempSync(join(tmpdir(), 'newsdesk-')), 'file');
  writeFileSync(notADirectory, 'x');
  await assert.rejects(Store.open(join(notADirectory, 'store.sqlite')), (err: unknown) => isNewsdeskError(err, 'ND_STORE_UNAVAILABLE'));
});

describeEachStore('store: batches', (fixture) => {
  test('a batch goes in as one write: each row says whether it was stored, already there, or its path taken', async () => {
    const { store } = fixture();
    const before = await store.insertArticle(sampleRecord(500), { sourceId: null, pathKey: 'p500' });
    const rows = Array.from({ length: 450 }, (_, i) => ({ record: sampleRecord(1000 + i), sourceId: null, pathKey: `p${1000 + i}` }));
    const outcomes = await store.insertArticles([
      ...rows,
      { record: sampleRecord(500), sourceId: null, pathKey: 'p500-again' }, // URL stored before
      { record: sampleRecord(1000), sourceId: null, pathKey: 'p1000-again' }, // URL earlier in this batch
      { record: sampleRecord(600), sourceId: null, pathKey: 'p1001' }, // path earlier in this batch
      { record: sampleRecord(601), sourceId: null, pathKey: 'p500' }, // path stored before
    ]);
    assert.equal(outcomes.length, 454);
    // More rows than one statement carries: every one is stored, in the order given.
    const stored = await store.getArticles(outcomes.slice(0, 450).map((o) => o.id));
    assert.equal(stored.length, 450);
    for (const [i, o] of outcomes.slice(0, 450).entries()) {
      assert.equal(o.inserted, true);
      assert.equal(stored.find((a) => a.id === o.id)!.webUrl, sampleRecord(1000 + i).webUrl);
    }
    assert.deepEqual(outcomes[450], { id: before.id, inserted: false, pathTaken: false });
    assert.deepEqual(outcomes[451], { id: outcomes[0]!.id, inserted: false, pathTaken: false });
    assert.equal(outcomes[452]!.pathTaken, true);
    assert.equal(outcomes[453]!.pathTaken, true);
    assert.equal(await store.getArticleByUrl(sampleRecord(600).webUrl), null);
    assert.equal((await store.counts()).articles, 451); // this block's store holds only these
  });

  test('an article stored with its curation has its topics in the topic stream and its scores in the history', async () => {
    const { store } = fixture();
    const [published, rejected] = await store.insertArticles([
      { record: sampleRecord(700, { topics: ['AI', 'Robotics'] }), sourceId: null, pathKey: 'p700', curated: { quality: 80, heat: 90, published: true, reason: 'imported' } },
      { record: sampleRecord(701, { topics: ['AI'] }), sourceId: null, pathKey: 'p701', curated: { quality: 20, heat: 10, published: false, reason: 'imported' } },
    ]);
    const article = (await store.getArticle(published!.id))!;
    assert.equal(article.quality, 80);
    assert.equal(article.heat, 90);
    assert.equal(article.published, true);
    assert.deepEqual(article.topics, ['AI', 'Robotics']);
    assert.deepEqual((await store.listedIds({ page: 1, perPage: 10, topic: 'Robotics' })).ids, [published!.id]);
    // Turned away by the gate: out of every stream.
    assert.equal((await store.listedIds({ page: 1, perPage: 1000 })).ids.includes(rejected!.id), false);
    assert.equal((await store.listedIds({ page: 1, perPage: 1000, topic: 'AI' })).ids.includes(rejected!.id), false);
    assert.equal((await store.listedIds({ page: 1, perPage: 1000, topic: 'AI' })).ids.includes(published!.id), true);
    const history = await store.history(rejected!.id);
    assert.deepEqual(history.map((h) => [h.field, h.oldValue, h.newValue, h.reason]).sort(), [['heat', null, '10', 'imported'], ['published', null, 'false', 'imported'], ['quality', null, '20', 'imported']]);
  });
});
