import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCandidateIndex } from './memory-index.ts';
import type { ClusterFeatures } from '../types.ts';

const features = (n: number): ClusterFeatures => ({
  v: 1,
  time: n % 2 === 0 ? 1_700_000_000_000 + n : null,
  terms: [[`term${n}`, 2], ['shared', 1]],
  titleTerms: [`title${n}`],
  entities: [`name:person ${n}`, 'num:2024'],
});

async function filled(count: number, keysOf: (n: number) => string[]) {
  const index = new MemoryCandidateIndex();
  for (let n = 0; n < count; n++) {
    const story = await index.createStory(`a${n}`);
    await index.add({ id: `a${n}`, features: features(n), keys: keysOf(n), documentTerms: [`term${n}`, 'shared'], storyId: story });
  }
  return index;
}

test('features come back exactly as stored (JSON round trip through the compact arena)', async () => {
  const index = await filled(5, () => []);
  const got = await index.getFeatures(['a3', 'a4', 'missing']);
  assert.deepEqual(got, [features(3), features(4), undefined]);
  assert.deepEqual(JSON.parse(JSON.stringify(got[0])), features(3));
});

test('document frequencies and count', async () => {
  const index = await filled(5, () => []);
  assert.equal(await index.documentCount(), 5);
  assert.deepEqual(await index.documentFrequencies(['shared', 'term2', 'never']), [5, 1, 0]);
});

const lookupCases: Array<{ name: string; keys: string[]; limit: number; want: string[] }> = [
  { name: 'newest first, limited per key', keys: ['all'], limit: 3, want: ['a9', 'a8', 'a7'] },
  { name: 'found under more keys first', keys: ['all', 'even'], limit: 10, want: ['a8', 'a6', 'a4', 'a2', 'a0', 'a9', 'a7', 'a5', 'a3', 'a1'] },
  { name: 'unknown key', keys: ['nothing'], limit: 10, want: [] },
  { name: 'the limit applies to each key separately', keys: ['all', 'even'], limit: 2, want: ['a8', 'a9', 'a6'] },
];
for (const c of lookupCases) {
  test(`lookup: ${c.name}`, async () => {
    const index = await filled(10, (n) => (n % 2 === 0 ? ['all', 'even'] : ['all']));
    assert.deepEqual(await index.lookup(c.keys, c.limit), c.want);
  });
}

test('stories: members newest first, merges move every member, ids stay unique', async () => {
  const index = new MemoryCandidateIndex();
  const s1 = await index.createStory('x');
  const s2 = await index.createStory('y');
  const s3 = await index.createStory('x');
  assert.notEqual(s3, s1);
  for (const [id, story] of [['x', s1], ['x2', s1], ['y', s2], ['y2', s2], ['z', s3]] as const) {
    await index.add({ id, features: features(1), keys: [], documentTerms: [], storyId: story });
  }
  assert.deepEqual((await index.storyMembers([s1], 10))[0]!, ['x2', 'x']);
  await index.mergeStories(s1, [s2]);
  assert.deepEqual(await index.storiesOf(['x', 'y', 'y2', 'z']), [s1, s1, s1, s3]);
  assert.deepEqual(((await index.storyMembers([s1], 10))[0]!).sort(), ['x', 'x2', 'y', 'y2']);
  assert.equal(((await index.storyMembers([s1], 2))[0]!).length, 2);
  // Adding under a merged-away story id lands in the surviving story.
  await index.add({ id: 'y3', features: features(1), keys: [], documentTerms: [], storyId: s2 });
  assert.deepEqual(await index.storiesOf(['y3']), [s1]);
  await index.mergeStories(s3, [s1]);
  assert.equal(new Set(await index.storiesOf(['x', 'y', 'z', 'y3'])).size, 1);
});

test('the key table grows past its initial size without losing postings', async () => {
  const index = await filled(50_000, (n) => [`k${n}`, `g${n % 7}`]);
  assert.deepEqual(await index.lookup(['k0', 'k49999', 'k25000'], 5), ['a49999', 'a25000', 'a0']);
  assert.equal((await index.lookup(['g3'], 100)).length, 100);
});
