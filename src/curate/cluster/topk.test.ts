import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topKGroups, type Edge } from './topk.ts';
import { seededUint32 } from '../../random.ts';

const singletons = (n: number) => Array.from({ length: n }, (_, i) => [i]);

/** A ring of `n` reports: each is like the two on either side of it (0.5) and like nobody else. */
function ring(n: number): Edge[] {
  return Array.from({ length: n }, (_, i) => [
    { a: i, b: (i + 1) % n, similarity: 0.5 },
    { a: i, b: (i + 2) % n, similarity: 0.5 },
  ]).flat();
}

test('a big story whose reports each resemble only a few others stays one story (average link splits it)', () => {
  const edges = ring(12);
  const groups = topKGroups(singletons(12), edges, { k: 2, cut: 0.3 });
  assert.deepEqual(groups, [Array.from({ length: 12 }, (_, i) => i)]);
  // The same ring by average link: two halves share 6 of their 36 pairs, a mean of 6 x 0.5 / 36.
  const halves = edges.filter((e) => e.a < 6 !== e.b < 6).length;
  assert.equal(halves, 6);
  assert.ok((halves * 0.5) / 36 < 0.3);
});

test('one stray pair does not chain two stories of a few reports each (the best pair alone would)', () => {
  const edges: Edge[] = [
    ...[[0, 1], [0, 2], [1, 2]].map(([a, b]) => ({ a: a!, b: b!, similarity: 0.6 })),
    ...[[3, 4], [3, 5], [4, 5]].map(([a, b]) => ({ a: a!, b: b!, similarity: 0.6 })),
    { a: 2, b: 3, similarity: 0.55 },
  ];
  assert.deepEqual(topKGroups(singletons(6), edges, { k: 3, cut: 0.3 }), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(topKGroups(singletons(6), edges, { k: 1, cut: 0.3 }), [[0, 1, 2, 3, 4, 5]]);
});

test('groups with fewer than K pairs are linked by the mean of the pairs they have', () => {
  // Two singletons: one pair, its similarity is the link.
  assert.deepEqual(topKGroups(singletons(2), [{ a: 0, b: 1, similarity: 0.31 }], { k: 3, cut: 0.3 }), [[0, 1]]);
  // A pair joining a singleton: two pairs, one of them missing (0): (0.5 + 0) / 2 < 0.3.
  const edges = [{ a: 0, b: 1, similarity: 0.9 }, { a: 1, b: 2, similarity: 0.5 }];
  assert.deepEqual(topKGroups(singletons(3), edges, { k: 3, cut: 0.3 }), [[0, 1], [2]]);
});

test('atoms stay whole and groups that must stay apart never merge', () => {
  const atoms = [[0, 1], [2], [3]];
  const edges = [{ a: 1, b: 2, similarity: 0.9 }, { a: 0, b: 2, similarity: 0.9 }, { a: 2, b: 3, similarity: 0.9 }, { a: 0, b: 3, similarity: 0.9 }, { a: 1, b: 3, similarity: 0.9 }];
  // Atom 0 (items 0 and 1) may not meet atom 2 (item 3).
  const apart = (left: readonly number[], right: readonly number[]) => (left.includes(0) && right.includes(2)) || (left.includes(2) && right.includes(0));
  const groups = topKGroups(atoms, edges, { k: 2, cut: 0.3, apart });
  assert.equal(groups.length, 2);
  assert.ok(groups.some((g) => g.includes(0)) && groups.some((g) => g.includes(2)));
  assert.ok(!groups.some((g) => g.includes(0) && g.includes(2)));
});

test('the same edges in any order give the same groups', () => {
  const next = seededUint32(3);
  const edges: Edge[] = [];
  for (let i = 0; i < 400; i++) {
    const a = next() % 120;
    const b = next() % 120;
    if (a !== b) edges.push({ a, b, similarity: (next() % 1000) / 1000 });
  }
  const expected = topKGroups(singletons(120), edges, { k: 3, cut: 0.4 });
  for (let round = 0; round < 5; round++) {
    const shuffled = [...edges];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    assert.deepEqual(topKGroups(singletons(120), shuffled, { k: 3, cut: 0.4 }), expected);
  }
  assert.ok(expected.length > 1 && expected.length < 120);
});
