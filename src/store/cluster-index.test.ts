// The store's candidate index must cluster exactly as the in-memory one does: same stories for the
// same articles in the same order, on both stores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachStore } from '../../test/helpers/stores.ts';
import { StoreCandidateIndex } from './cluster-index.ts';
import { StoreStories } from './stories.ts';
import { MemoryCandidateIndex } from '../curate/cluster/memory-index.ts';
import { assign } from '../curate/cluster/clusterer.ts';
import { clusterConfig } from '../curate/cluster/config.ts';
import { sampleRecord } from '../../test/helpers/records.ts';

interface Fixture { id: string; gold: string; title: string; text: string; publishedDateTime: string }
const fixtures = readFileSync(join(import.meta.dirname, '..', 'curate', 'cluster', 'testdata', 'stories.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Fixture);

/** Stories as sets of fixture ids, comparable whatever the story ids are. */
function partition(storyOf: Map<string, string>): string[] {
  const groups = new Map<string, string[]>();
  for (const [id, story] of storyOf) groups.set(story, [...(groups.get(story) ?? []), id]);
  return [...groups.values()].map((g) => g.sort().join(',')).sort();
}

describeEachStore('store candidate index', (fixture) => {
  test('postings: per key the newest within its limit (and days); story members newest first within the limit', async () => {
    const { store } = fixture();
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push((await store.insertArticle(sampleRecord(9000 + i), { sourceId: null, pathKey: `postings-${i}` })).id);
    // k1 holds the first five articles on days 10..14, k2 the last two on day 20.
    const rows = [...ids.slice(0, 5).map((id, i) => ({ band_key: 'k1', article_id: id, day: 10 + i })), ...ids.slice(5).map((id) => ({ band_key: 'k2', article_id: id, day: 20 }))];
    await store.db.insertInto('story_bands').values(rows).execute();
    const index = new StoreCandidateIndex(store);
    const byKey = (postings: Array<{ key: string; articleId: string }>) => postings.map((p) => `${p.key}:${p.articleId}`).sort();
    const newest = await index.latestPostings([{ key: 'k1', limit: 2 }, { key: 'k2', limit: 5 }, { key: 'none', limit: 3 }]);
    assert.deepEqual(byKey(newest), [`k1:${ids[3]}`, `k1:${ids[4]}`, `k2:${ids[5]}`, `k2:${ids[6]}`].sort());
    const inDays = await index.latestPostings([{ key: 'k1', limit: 2 }, { key: 'k2', limit: 2 }], { from: 11, to: 12 });
    assert.deepEqual(byKey(inDays), [`k1:${ids[1]}`, `k1:${ids[2]}`].sort());

    const [a, b] = await Promise.all([store.db.insertInto('stories').values({ lead_article_id: ids[0]!, member_count: 4, heat: null, override: null, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' }).returning('id').executeTakeFirstOrThrow(), store.db.insertInto('stories').values({ lead_article_id: ids[5]!, member_count: 1, heat: null, override: null, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' }).returning('id').executeTakeFirstOrThrow()]);
    await store.db.updateTable('articles').set({ story_id: Number(a.id) }).where('id', 'in', ids.slice(0, 4)).execute();
    await store.db.updateTable('articles').set({ story_id: Number(b.id) }).where('id', '=', ids[5]!).execute();
    const members = await index.storyMembers([String(b.id), String(a.id), '999999'], 3);
    assert.deepEqual(members, [[String(ids[5])], [ids[3], ids[2], ids[1]].map(String), []]);
  });

  test('clusters the fixture exactly as the in-memory index does', async () => {
    const { store } = fixture();
    const memory = new MemoryCandidateIndex();
    const stored = new StoreCandidateIndex(store);
    const viaMemory = new Map<string, string>();
    const viaStore = new Map<string, string>();
    const counts = new StoreStories(store);
    let n = 5000;
    for (const article of fixtures) {
      const { id } = await store.insertArticle(sampleRecord(n++, { title: article.title, text: article.text }), { sourceId: null, pathKey: `c-${article.id}` });
      const input = { title: article.title, text: article.text, publishedDateTime: article.publishedDateTime };
      viaMemory.set(article.id, (await assign({ ...input, id: article.id }, memory)).storyId);
      const result = await assign({ ...input, id: String(id) }, stored);
      viaStore.set(article.id, result.storyId);
      assert.equal((await store.getArticle(id))!.storyId, Number(result.storyId), 'the article row records its story');
      // The in-memory index counts an article as it is added; the store counts in batches (a
      // consolidation pass does): counted after each article, the two must decide alike.
      await counts.refreshDocumentFrequencies();
    }
    assert.deepEqual(partition(viaStore), partition(viaMemory));
    const gold = new Map(fixtures.map((f) => [f.id, f.gold]));
    assert.ok(partition(viaStore).length < fixtures.length, 'some articles share a story');
    for (const group of partition(viaStore)) assert.equal(new Set(group.split(',').map((id) => gold.get(id))).size, 1, `one event per story: ${group}`);
    assert.equal(await stored.documentCount(), fixtures.length);
  });

  test('regrouping merges the touched stories on the store as in memory', async () => {
    const { store } = fixture();
    const memory = new MemoryCandidateIndex();
    const stored = new StoreCandidateIndex(store);
    const apart = clusterConfig({ relative: false, threshold: 0.99, mergeThreshold: null, regroupThreshold: null });
    const regroup = clusterConfig({ relative: false, threshold: 0.2, mergeThreshold: null, regroupThreshold: 0.2 });
    const other = fixtures[0]!;
    const steps = [
      { key: 'P1', config: apart, title: 'Brightline Labs raises $25 million from Orchard Capital', text: 'Brightline Labs, the Fresno maker of crop-spraying drones, raised $25 million from Orchard Capital, founder Miguel Arroyo said on Tuesday.' },
      { key: 'P2', config: apart, title: 'Orchard Capital puts $25 million into Brightline Labs', text: 'Fresno drone start-up Brightline Labs has raised $25 million in a round led by Orchard Capital, its founder Miguel Arroyo said.' },
      { key: 'O', config: apart, title: other.title, text: other.text },
      { key: 'P3', config: regroup, title: 'Brightline Labs gets $25 million from Orchard Capital', text: 'Orchard Capital led a $25 million investment in Brightline Labs, the Fresno company that makes crop-spraying drones, said founder Miguel Arroyo.' },
    ];
    const viaMemory = new Map<string, string>();
    const idOf = new Map<string, number>();
    let n = 7000;
    let last: Awaited<ReturnType<typeof assign>> | null = null;
    for (const step of steps) {
      const { id } = await store.insertArticle(sampleRecord(n++, { title: step.title, text: step.text }), { sourceId: null, pathKey: `r-${step.key}` });
      idOf.set(step.key, id);
      await assign({ id: step.key, title: step.title, text: step.text }, memory, step.config);
      last = await assign({ id: String(id), title: step.title, text: step.text }, stored, step.config);
    }
    for (const step of steps) viaMemory.set(step.key, (await memory.storiesOf([step.key]))[0]!);
    const viaStore = new Map<string, string>();
    for (const step of steps) viaStore.set(step.key, String((await store.getArticle(idOf.get(step.key)!))!.storyId));
    assert.deepEqual(partition(viaStore), partition(viaMemory));
    assert.deepEqual(partition(viaStore), ['O', 'P1,P2,P3']);
    // The store may hold earlier tests' articles: other stories can take part, but every story
    // reported merged is gone and the two apart stories are among them or the result.
    const pStories = new Set([...viaStore].filter(([k]) => k.startsWith('P')).map(([, s]) => s));
    assert.equal(pStories.size, 1);
    assert.ok(last!.mergedStoryIds.length >= 1);
    for (const merged of last!.mergedStoryIds) assert.equal(await store.getStory(Number(merged)), null, 'a merged story is gone');
  });

  test('lookup returns the ids that match the most keys first', async () => {
    const { store } = fixture();
    const index = new StoreCandidateIndex(store);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await store.insertArticle(sampleRecord(6000 + i), { sourceId: null, pathKey: `l-${i}` })).id);
    const story = await index.createStory(String(ids[0]));
    const features = { v: 1 as const, time: null, terms: [], titleTerms: [], entities: [] };
    await index.add({ id: String(ids[0]), features, keys: ['k:a'], documentTerms: [], storyId: story });
    await index.add({ id: String(ids[1]), features, keys: ['k:a', 'k:b', 'k:c'], documentTerms: [], storyId: story });
    await index.add({ id: String(ids[2]), features, keys: ['k:a', 'k:b'], documentTerms: [], storyId: story });
    assert.deepEqual(await index.lookup(['k:a', 'k:b', 'k:c'], 10), [ids[1], ids[2], ids[0]].map(String));
  });
});
