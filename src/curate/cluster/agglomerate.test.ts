import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeByAverageLink, mergeGroups } from './agglomerate.ts';

// Four singletons: 0 and 1 close, 2 near them on average, 3 alone.
const pairs = (): number[][] => [
  [0, 0.9, 0.5, 0.0],
  [0.9, 0, 0.3, 0.0],
  [0.5, 0.3, 0, 0.1],
  [0.0, 0.0, 0.1, 0],
];

test('merges the closest groups first, by the average over all their pairs, down to the stop', () => {
  const merges: Array<[number, number, number]> = [];
  mergeByAverageLink(pairs(), [1, 1, 1, 1], { stopBelow: 0.35 }, (kept, gone, link) => merges.push([kept, gone, link]));
  // 0+1 at 0.9, then 2 joins at (0.5 + 0.3) / 2 = 0.4; 3 links at 0.1 / 3 and stays apart.
  assert.deepEqual(merges.map(([k, g]) => [k, g]), [[0, 1], [0, 2]]);
  assert.equal(merges[1]![2].toFixed(2), '0.40');
});

test('a prior on the pair count holds back a merge that rests on few pairs', () => {
  const merges: number[] = [];
  mergeByAverageLink(pairs(), [1, 1, 1, 1], { stopBelow: 0.35, prior: 1 }, (_kept, gone) => merges.push(gone));
  // 0.9 / 2 = 0.45 still merges; (0.5 + 0.3) / 3 = 0.27 no longer does.
  assert.deepEqual(merges, [1]);
});

test('the loop takes any linkage: by the best pair, 2 chains in through 0 where the average kept it out', () => {
  const best = pairs();
  const merges: number[] = [];
  const bestPair = {
    link: (i: number, j: number) => best[i]![j]!,
    merge: (kept: number, gone: number) => {
      for (let k = 0; k < best.length; k++) best[kept]![k] = best[k]![kept] = Math.max(best[kept]![k]!, best[gone]![k]!);
    },
  };
  mergeGroups(4, bestPair, 0.45, (_kept, gone) => merges.push(gone));
  // 0+1 at 0.9, then 2 at max(0.5, 0.3) = 0.5; average link (0.40) would stop below 0.45.
  assert.deepEqual(merges, [1, 2]);
});
