import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compact, compactSimilarity, prepare, similarity } from './similarity.ts';
import { DEFAULT_CLUSTER_CONFIG } from './config.ts';
import { seededRandom } from '../../random.ts';
import type { ClusterFeatures } from '../types.ts';

test('the compact vectors of a region score every pair as the maps do', () => {
  const random = seededRandom(42);
  const pick = (n: number, vocabulary: number) => [...new Set(Array.from({ length: n }, () => `w${Math.floor(random() * vocabulary)}`))];
  const features = (): ClusterFeatures => ({
    v: 2,
    time: 0,
    terms: pick(40, 120).map((t) => [t, 1 + Math.floor(random() * 3)] as [string, number]),
    titleTerms: pick(random() < 0.2 ? 0 : 6, 60),
    entities: pick(random() < 0.3 ? 0 : 4, 30),
  });
  const idfOf = (term: string) => (term.endsWith('7') ? 0 : 1 + (term.length % 3));
  const numbers = new Map<string, number>();
  const intern = (t: string) => numbers.get(t) ?? (numbers.set(t, numbers.size), numbers.size - 1);
  const all = Array.from({ length: 30 }, features).map((f) => prepare(f, idfOf));
  const compacted = all.map((p) => compact(p, intern));
  let compared = 0;
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const expected = similarity(all[i]!, all[j]!, DEFAULT_CLUSTER_CONFIG);
      const got = compactSimilarity(compacted[i]!, compacted[j]!, DEFAULT_CLUSTER_CONFIG);
      for (const part of ['text', 'entities', 'title', 'score'] as const) {
        if (expected[part] === null) assert.equal(got[part], null);
        else assert.ok(Math.abs(expected[part]! - got[part]!) < 1e-12, `${part} ${expected[part]} ${got[part]}`);
      }
      if (expected.score > 0) compared++;
    }
  }
  assert.ok(compared > 100, `only ${compared} pairs had anything in common`);
});
