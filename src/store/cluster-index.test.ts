// The store's candidate index must cluster exactly as the in-memory one does: same stories for the
// same articles in the same order, on both stores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachStore } from '../../test/helpers/stores.ts';
import { StoreCandidateIndex } from './cluster-index.ts';
import { MemoryCandidateIndex } from '../curate/cluster/memory-index.ts';
import { assign } from '../curate/cluster/clusterer.ts';
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
  test('clusters the fixture exactly as the in-memory index does', async () => {
    const { store } = fixture();
    const memory = new MemoryCandidateIndex();
    const stored = new StoreCandidateIndex(store);
    const viaMemory = new Map<string, string>();
    const viaStore = new Map<string, string>();
    let n = 5000;
    for (const article of fixtures) {
      const { id } = await store.insertArticle(sampleRecord(n++, { title: article.title, text: article.text }), { sourceId: null, pathKey: `c-${article.id}` });
      const input = { title: article.title, text: article.text, publishedDateTime: article.publishedDateTime };
      viaMemory.set(article.id, (await assign({ ...input, id: article.id }, memory)).storyId);
      const result = await assign({ ...input, id: String(id) }, stored);
      viaStore.set(article.id, result.storyId);
      assert.equal((await store.getArticle(id))!.storyId, Number(result.storyId), 'the article row records its story');
    }
    assert.deepEqual(partition(viaStore), partition(viaMemory));
    const gold = new Map(fixtures.map((f) => [f.id, f.gold]));
    assert.ok(partition(viaStore).length < fixtures.length, 'some articles share a story');
    for (const group of partition(viaStore)) assert.equal(new Set(group.split(',').map((id) => gold.get(id))).size, 1, `one event per story: ${group}`);
    assert.equal(await stored.documentCount(), fixtures.length);
  });

  test('lookup returns the ids that match the most keys first', async () => {
    const { store } = fixture();
    const index = new StoreCandidateIndex(store);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await store.insertArticle(sampleRecord(6000 + i), { sourceId: null, pathKey: `l-${i}` })).id);
    const story = await index.createStory(String(ids[0]));
    const features = { v: 1 as const, time: null, terms: [], titleTerms: [], entities: [] };
    await index.add({ id: String(ids[0]), features, keys: ['k:a'], distinctTerms: [], storyId: story });
    await index.add({ id: String(ids[1]), features, keys: ['k:a', 'k:b', 'k:c'], distinctTerms: [], storyId: story });
    await index.add({ id: String(ids[2]), features, keys: ['k:a', 'k:b'], distinctTerms: [], storyId: story });
    assert.deepEqual(await index.lookup(['k:a', 'k:b', 'k:c'], 10), [ids[1], ids[2], ids[0]].map(String));
  });
});
