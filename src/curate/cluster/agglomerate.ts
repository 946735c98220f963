// Average-link agglomeration, shared by the clusterer's bounded regrouping and the batch diagnostic.

/**
 * Repeatedly merges the two live groups whose average link, `sums[i][j] / (sizes[i] * sizes[j] +
 * prior)`, is highest, while it is at least `stopBelow`. `sums` holds the summed pair similarities
 * between groups (square and symmetric) and `sizes` the members of each; both are updated in place.
 * `onMerge` hears of each merge before it is applied: `gone` joins `kept` at `link`.
 */
export function mergeByAverageLink(
  sums: number[][],
  sizes: number[],
  options: { prior?: number; stopBelow: number },
  onMerge: (kept: number, gone: number, link: number) => void,
): void {
  const n = sizes.length;
  const prior = options.prior ?? 0;
  const alive = sizes.map(() => true);
  for (;;) {
    let best = -1;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < n; i++) {
      if (!alive[i]) continue;
      for (let j = i + 1; j < n; j++) {
        if (!alive[j]) continue;
        const link = sums[i]![j]! / (sizes[i]! * sizes[j]! + prior);
        if (link > best) [best, bi, bj] = [link, i, j];
      }
    }
    if (bi < 0 || best < options.stopBelow) return;
    onMerge(bi, bj, best);
    for (let k = 0; k < n; k++) sums[bi]![k] = sums[k]![bi] = sums[bi]![k]! + sums[bj]![k]!;
    sizes[bi] = sizes[bi]! + sizes[bj]!;
    alive[bj] = false;
  }
}
