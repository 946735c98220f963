import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assign } from './clusterer.ts';
import { clusterConfig, DEFAULT_CLUSTER_CONFIG } from './config.ts';
import { MemoryCandidateIndex } from './memory-index.ts';
import { outsideWindow } from './similarity.ts';
import type { CandidateIndex, ClusterArticle } from '../types.ts';
import { seededUint32 as seededRandom } from '../../random.ts';

const fixture: Array<ClusterArticle & { gold: string }> = readFileSync(join(import.meta.dirname, 'testdata', 'stories.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));

async function clusterAll(articles: ClusterArticle[], index: CandidateIndex = new MemoryCandidateIndex(), config = DEFAULT_CLUSTER_CONFIG) {
  for (const a of articles) await assign(a, index, config);
  return index.storiesOf(articles.map((a) => a.id));
}

test('fixture: same-story articles share a story, look-alike and unrelated ones do not', async () => {
  const stories = await clusterAll(fixture);
  const byId = new Map(fixture.map((a, i) => [a.id, stories[i]!]));
  for (const a of fixture) {
    for (const b of fixture) {
      if (a.id >= b.id) continue;
      const same = byId.get(a.id) === byId.get(b.id);
      assert.equal(same, a.gold === b.gold, `${a.id} and ${b.id}: expected ${a.gold === b.gold ? 'same' : 'different'} story`);
    }
  }
});

test('fixture: the result does not depend on arrival order for these clear cases', async () => {
  const reversed = [...fixture].reverse();
  const stories = await clusterAll(reversed);
  const groups = new Map<string, Set<string>>();
  reversed.forEach((a, i) => {
    const set = groups.get(stories[i]!) ?? new Set();
    set.add(a.gold);
    groups.set(stories[i]!, set);
  });
  for (const golds of groups.values()) assert.equal(golds.size, 1);
  assert.equal(groups.size, new Set(fixture.map((a) => a.gold)).size);
});

const windowCases: Array<{ a: string | null; b: string | null; days: number; outside: boolean }> = [
  { a: '2024-03-01T00:00:00Z', b: '2024-03-07T23:00:00Z', days: 7, outside: false },
  { a: '2024-03-01T00:00:00Z', b: '2024-03-08T00:00:01Z', days: 7, outside: true },
  { a: '2024-03-10T00:00:00Z', b: '2024-03-01T00:00:00Z', days: 7, outside: true },
  { a: null, b: '2024-03-01T00:00:00Z', days: 7, outside: false },
  { a: null, b: null, days: 7, outside: false },
  { a: '2024-03-01T00:00:00Z', b: '2024-03-03T00:00:00Z', days: 1, outside: true },
];
for (const c of windowCases) {
  test(`time window: ${c.a} vs ${c.b} (±${c.days} d) -> ${c.outside ? 'outside' : 'inside'}`, () => {
    assert.equal(outsideWindow(c.a ? Date.parse(c.a) : null, c.b ? Date.parse(c.b) : null, c.days), c.outside);
  });
}

test('time window: an identical article 10 weeks later opens a new story; undated copies join', async () => {
  const base = fixture.find((a) => a.id === 'a1')!;
  const index = new MemoryCandidateIndex();
  const first = await assign(base, index);
  const later = await assign({ ...base, id: 'later', publishedDateTime: '2024-05-15T00:00:00Z' }, index);
  const undated = await assign({ ...base, id: 'undated', publishedDateTime: null }, index);
  const nearby = await assign({ ...base, id: 'nearby', publishedDateTime: '2024-03-09T00:00:00Z' }, index);
  assert.equal(later.newStory, true);
  assert.notEqual(later.storyId, first.storyId);
  assert.equal(undated.newStory, false);
  assert.equal(nearby.storyId, first.storyId);
});

test('an exact duplicate joins its original even when the story is diverse', async () => {
  const index = new MemoryCandidateIndex();
  const stories = await clusterAll(fixture, index);
  const original = fixture.findIndex((a) => a.id === 'a3');
  const copy = await assign({ ...fixture[original]!, id: 'a3-copy' }, index);
  assert.equal(copy.storyId, stories[original]);
  assert.ok(copy.bestSimilarity >= DEFAULT_CLUSTER_CONFIG.duplicateThreshold);
});

/** A tiny seeded generator of news-like filler, to grow an index without any same-story pairs. */
function filler(n: number, seed: number): ClusterArticle[] {
  const next = seededRandom(seed);
  const syllables = ['ka', 'lo', 'mi', 'ren', 'tor', 'vel', 'sa', 'dun', 'pi', 'ros', 'tel', 'ba', 'nor', 'qui', 'zan'];
  const word = () => Array.from({ length: 2 + (next() % 2) }, () => syllables[next() % syllables.length]).join('');
  const common = Array.from({ length: 300 }, word);
  const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);
  return Array.from({ length: n }, (_, i) => {
    const name = `${cap(word())} ${cap(word())}`;
    const body = Array.from({ length: 60 }, () => common[next() % common.length]).join(' ');
    return { id: `f${i}`, title: `${name} ${common[next() % 300]} ${common[next() % 300]}`, text: `${name} said ${body}. ${name} added ${next() % 1000}.` };
  });
}

test('candidates come from the index lookup: their number stays bounded as the index grows', async () => {
  // A small per-key limit fills the buckets early, so that growth after that would show.
  const config = clusterConfig({ candidatesPerKey: 4 });
  const index = new MemoryCandidateIndex();
  const articles = filler(1500, 5);
  const checked: number[] = [];
  for (const a of articles) checked.push((await assign(a, index, config)).candidatesChecked);
  // Every key returns at most candidatesPerKey ids, so the count is bounded by keys x limit ...
  const bound = (config.bands + config.entityKeys + config.termKeys) * config.candidatesPerKey;
  assert.ok(Math.max(...checked) <= bound, `max ${Math.max(...checked)} > ${bound}`);
  // ... and once buckets are full it stops growing with the index: the last 300 look like the 300 before 800.
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const middle = mean(checked.slice(500, 800));
  const last = mean(checked.slice(1200));
  assert.ok(last <= middle * 1.1 + 2, `middle ${middle}, last ${last}`);
  assert.equal(index.size, 1500);
});

test('the clusterer reads candidates only through lookup, never by enumerating the index', async () => {
  const inner = new MemoryCandidateIndex();
  const looked: string[][] = [];
  const fetched: string[] = [];
  const spy: CandidateIndex = {
    documentCount: () => inner.documentCount(),
    documentFrequencies: (t) => inner.documentFrequencies(t),
    lookup: async (keys, limit) => {
      const ids = await inner.lookup(keys, limit);
      looked.push(ids);
      return ids;
    },
    getFeatures: async (ids) => {
      fetched.push(...ids);
      return inner.getFeatures(ids);
    },
    storiesOf: (ids) => inner.storiesOf(ids),
    storyMembers: (s, l) => inner.storyMembers(s, l),
    createStory: (id) => inner.createStory(id),
    add: (e) => inner.add(e),
    mergeStories: (i, f) => inner.mergeStories(i, f),
  };
  await clusterAll(fixture, spy);
  const found = new Set(looked.flat());
  // Features are read for looked-up candidates and for members of their stories, nothing else.
  for (const id of fetched) assert.ok(found.has(id) || fixture.some((a) => a.id === id), id);
  assert.ok(looked.length === fixture.length);
});

test('with a merge threshold, a bridging article merges two stories and reports it (off by default: consolidation merges)', async () => {
  const index = new MemoryCandidateIndex();
  const config = clusterConfig({ linkage: 'single', mergeThreshold: 0.35 });
  const left = { id: 'L', title: 'Orchard Capital backs Brightline Labs', text: 'Orchard Capital invested $25 million in Brightline Labs of Fresno, founder Miguel Arroyo said. Brightline builds crop-spraying drones.' };
  const right = { id: 'R', title: 'Brightline Labs to hire 45 in Texas', text: 'Fresno drone maker Brightline Labs will open an office in Austin, Texas, and hire 45 people, founder Miguel Arroyo said.' };
  const l = await assign(left, index, config);
  const r = await assign(right, index, clusterConfig({ linkage: 'single', threshold: 0.99 }));
  assert.notEqual(l.storyId, r.storyId);
  assert.equal(DEFAULT_CLUSTER_CONFIG.mergeThreshold, null);
  const bridge = await assign({ id: 'B', title: 'Brightline Labs raises $25 million, will hire 45 in Texas', text: 'Brightline Labs, the Fresno maker of crop-spraying drones, raised $25 million from Orchard Capital and will hire 45 people at a new office in Austin, Texas, founder Miguel Arroyo said.' }, index, config);
  assert.deepEqual([bridge.storyId, ...bridge.mergedStoryIds].sort(), [l.storyId, r.storyId].sort());
  const stories = await index.storiesOf(['L', 'R', 'B']);
  assert.equal(new Set(stories).size, 1);
});

test('regrouping: two stories opened apart are merged when an article joins one and their members link', async () => {
  const index = new MemoryCandidateIndex();
  const apart = clusterConfig({ relative: false, threshold: 0.99, mergeThreshold: null, regroupThreshold: null });
  const first = { id: 'P1', title: 'Brightline Labs raises $25 million from Orchard Capital', text: 'Brightline Labs, the Fresno maker of crop-spraying drones, raised $25 million from Orchard Capital, founder Miguel Arroyo said on Tuesday.' };
  const second = { id: 'P2', title: 'Orchard Capital puts $25 million into Brightline Labs', text: 'Fresno drone start-up Brightline Labs has raised $25 million in a round led by Orchard Capital, its founder Miguel Arroyo said.' };
  const other = fixture.find((a) => a.gold !== fixture[0]!.gold)!;
  const p1 = await assign(first, index, apart);
  const p2 = await assign(second, index, apart);
  const o = await assign(other, index, apart);
  assert.notEqual(p1.storyId, p2.storyId);
  const third = { id: 'P3', title: 'Brightline Labs gets $25 million from Orchard Capital', text: 'Orchard Capital led a $25 million investment in Brightline Labs, the Fresno company that makes crop-spraying drones, said founder Miguel Arroyo.' };
  // Without regrouping the article joins one of the two stories and the other stays apart ...
  const plain = clusterConfig({ relative: false, threshold: 0.2, mergeThreshold: null, regroupThreshold: null });
  const copy = new MemoryCandidateIndex();
  for (const [a, c] of [[first, apart], [second, apart], [other, apart], [third, plain]] as const) await assign(a, copy, c);
  assert.equal(new Set(await copy.storiesOf(['P1', 'P2', 'P3'])).size, 2);
  // ... with it, the touched stories whose members link at the threshold come together, and it is reported.
  const r = await assign(third, index, clusterConfig({ relative: false, threshold: 0.2, mergeThreshold: null, regroupThreshold: 0.2 }));
  assert.equal(r.newStory, false);
  assert.deepEqual([r.storyId, ...r.mergedStoryIds].sort(), [p1.storyId, p2.storyId].sort());
  const stories = await index.storiesOf(['P1', 'P2', 'P3', other.id]);
  assert.equal(new Set(stories.slice(0, 3)).size, 1);
  assert.equal(stories[3], o.storyId);
  assert.notEqual(stories[3], stories[0]);
});

test('priorPairs shrinks a link that rests on few pairs', async () => {
  const left = { id: 'L', title: 'Orchard Capital backs Brightline Labs', text: 'Orchard Capital invested $25 million in Brightline Labs of Fresno, founder Miguel Arroyo said. Brightline builds crop-spraying drones.' };
  const right = { id: 'R', title: 'Brightline Labs to hire 45 in Texas after raising $25 million', text: 'Fresno drone maker Brightline Labs, backed by Orchard Capital, will open an office in Austin, Texas, and hire 45 people, founder Miguel Arroyo said.' };
  const probe = new MemoryCandidateIndex();
  await assign(left, probe);
  const measured = await assign(right, probe, clusterConfig({ relative: false, threshold: 0.99 }));
  const s = measured.bestSimilarity;
  assert.ok(s > 0.1 && s < DEFAULT_CLUSTER_CONFIG.duplicateThreshold, `similarity ${s}`);
  for (const [priorPairs, joins] of [[0, true], [1, false]] as const) {
    const index = new MemoryCandidateIndex();
    await assign(left, index);
    const r = await assign(right, index, clusterConfig({ relative: false, threshold: s * 0.75, priorPairs }));
    assert.equal(r.newStory, !joins, `priorPairs ${priorPairs}`);
    assert.ok(Math.abs(r.bestSimilarity - s / (1 + priorPairs)) < 1e-9);
  }
});
