// Greedy agglomeration: the best-linked pair of live groups merges first, while its link reaches a
// stop. The link is pluggable; average link is the one the clusterer's bounded regrouping uses, and
// the batch diagnostic (bench/cluster-explore.ts) tries others on the same loop.

/** How two live groups are linked, and the bookkeeping when `gone` joins `kept`. */
export interface Linkage {
  link(i: number, j: number): number;
  merge(kept: number, gone: number): void;
}

/**
 * Repeatedly merges the two live groups among `n` whose link is highest, while it is at least
 * `stopBelow`. `onMerge` hears of each merge before it is applied: `gone` joins `kept` at `link`.
 */
export function mergeGroups(n: number, linkage: Linkage, stopBelow: number, onMerge: (kept: number, gone: number, link: number) => void): void {
  const alive = new Array<boolean>(n).fill(true);
  for (;;) {
    let best = -Infinity;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < n; i++) {
      if (!alive[i]) continue;
      for (let j = i + 1; j < n; j++) {
        if (!alive[j]) continue;
        const link = linkage.link(i, j);
        if (link > best) [best, bi, bj] = [link, i, j];
      }
    }
    if (bi < 0 || best < stopBelow) return;
    onMerge(bi, bj, best);
    linkage.merge(bi, bj);
    alive[bj] = false;
  }
}

/**
 * Average link, `sums[i][j] / (sizes[i] * sizes[j] + prior)`: `sums` holds the summed pair similarities
 * between groups (square and symmetric) and `sizes` the members of each; merging updates both in place.
 */
export function averageLinkage(sums: number[][], sizes: number[], prior = 0): Linkage {
  return {
    link: (i, j) => sums[i]![j]! / (sizes[i]! * sizes[j]! + prior),
    merge: (kept, gone) => {
      for (let k = 0; k < sizes.length; k++) sums[kept]![k] = sums[k]![kept] = sums[kept]![k]! + sums[gone]![k]!;
      sizes[kept] = sizes[kept]! + sizes[gone]!;
    },
  };
}

/** `mergeGroups` by average link (see `averageLinkage`). */
export function mergeByAverageLink(
  sums: number[][],
  sizes: number[],
  options: { prior?: number; stopBelow: number },
  onMerge: (kept: number, gone: number, link: number) => void,
): void {
  mergeGroups(sizes.length, averageLinkage(sums, sizes, options.prior), options.stopBelow, onMerge);
}
