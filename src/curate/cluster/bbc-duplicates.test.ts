// Every exact-duplicate group of bbc-news (byte-identical title + text) must end up in one story when
// the whole corpus is clustered in its file order. Needs ../shared (benchmark data); skips without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { assign } from './clusterer.ts';
import { MemoryCandidateIndex } from './memory-index.ts';

const bench = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'bench', 'bbc-news');
const skip = existsSync(join(bench, 'exact-duplicate-groups.json')) ? false : `benchmark data not found at ${bench}`;

test('bbc-news: every exact-duplicate group is merged into one story', { skip }, async () => {
  const docs: Array<{ id: string; title: string; text: string }> = gunzipSync(readFileSync(join(bench, 'bbc-news.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const groups: string[][] = JSON.parse(readFileSync(join(bench, 'exact-duplicate-groups.json'), 'utf8'));
  const index = new MemoryCandidateIndex();
  for (const doc of docs) await assign({ id: doc.id, title: doc.title, text: doc.text }, index);
  const unmerged: string[] = [];
  for (const group of groups) if (new Set(await index.storiesOf(group)).size !== 1) unmerged.push(group.join('='));
  assert.equal(groups.length, 98);
  assert.deepEqual(unmerged, []);
  // Not everything collapsed into a few stories: clustering stayed selective.
  const stories = new Set(await index.storiesOf(docs.map((d) => d.id))).size;
  assert.ok(stories > 1500, `only ${stories} stories for ${docs.length} articles`);
});
