// Diagnostic (development only): batch average-link clustering over full pairwise similarities, to
// tell what a representation can reach from what the incremental clusterer loses. Prints B³ F1 per
// threshold on the calibration sets and on ECB+ (the ECB+ rows are diagnostics fit to nothing).
// Usage: npx tsx bench/cluster-explore.ts [ecb] [bbc] [everyday] [--cdm K]
// --cdm K divides each similarity by the geometric mean of the two articles' mean similarity to their K
// nearest neighbours (a contextual dissimilarity measure, Jégou et al. 2007): a test of whether a
// density-normalized scale lets one threshold transfer between sets. It did not: the three sets still
// peak at different cuts (ECB+ near 0.6, the calibration sets at 0.9 and above, with K 10).
// (A configuration override for the incremental clusterer is `npm run bench:cluster -- --override`.)
import { bbcSyntheticReports, everydayAiLabeled, loadEcbPlus, shuffled, type LabeledArticle } from './cluster-data.ts';
import { DEFAULT_CLUSTER_CONFIG } from '../src/curate/cluster/config.ts';
import { analyze, buildFeatures, distinctTerms } from '../src/curate/cluster/features.ts';
import { idfLookup, prepare, similarity } from '../src/curate/cluster/similarity.ts';
import { mergeByAverageLink } from '../src/curate/cluster/agglomerate.ts';
import { scoreClustering } from '../src/curate/cluster/metrics.ts';

const config = DEFAULT_CLUSTER_CONFIG;
const cdmAt = process.argv.indexOf('--cdm');
const cdmK = cdmAt >= 0 ? Number(process.argv[cdmAt + 1] ?? 10) : 0;
const CUTS = cdmK > 0 ? [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1] : [0.05, 0.08, 0.1, 0.12, 0.15, 0.18, 0.2, 0.25, 0.3, 0.35, 0.4];

/** Similarity of every pair, with document frequencies from the whole set. */
function pairwise(items: readonly LabeledArticle[]): number[][] {
  const analyzed = items.map((i) => analyze(i.article, config));
  const df = new Map<string, number>();
  for (const a of analyzed) for (const t of distinctTerms(a)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = items.length;
  const idfOf = idfLookup(df, n);
  const prepared = analyzed.map((a) => prepare(buildFeatures(a, df, n, config), idfOf));
  const sims = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) sims[i]![j] = sims[j]![i] = similarity(prepared[i]!, prepared[j]!, config).score;
  }
  return cdmK > 0 ? densityNormalized(sims, cdmK) : sims;
}

function densityNormalized(sims: number[][], k: number): number[][] {
  const density = sims.map((row, i) => {
    const nearest = row.filter((_, j) => j !== i).sort((a, b) => b - a).slice(0, k);
    return nearest.reduce((a, b) => a + b, 0) / (nearest.length || 1);
  });
  return sims.map((row, i) => row.map((s, j) => (i === j ? 0 : s / Math.sqrt(density[i]! * density[j]! || 1))));
}

/** Labels at each cut: the groups average-link agglomeration has formed while links stay above it. */
function labelsAtCuts(sims: number[][], cuts: readonly number[]): Map<number, number[]> {
  const n = sims.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  const labels = () => Array.from({ length: n }, (_, i) => find(i));
  const descending = [...cuts].sort((a, b) => b - a);
  const out = new Map<number, number[]>();
  let next = 0;
  mergeByAverageLink(sims, new Array<number>(n).fill(1), { stopBelow: descending[descending.length - 1]! }, (kept, gone, link) => {
    while (next < descending.length && link < descending[next]!) out.set(descending[next++]!, labels());
    parent[gone] = kept;
  });
  while (next < descending.length) out.set(descending[next++]!, labels());
  return out;
}

const wanted = process.argv.slice(2).filter((a, i, all) => a !== '--cdm' && all[i - 1] !== '--cdm');
const sets: Array<[string, () => LabeledArticle[]]> = [
  ['ecb', loadEcbPlus],
  ['bbc', () => shuffled(bbcSyntheticReports().filter((x) => Number(x.gold.split('/')[1]) % 4 === 0), 11)],
  ['everyday', everydayAiLabeled],
];
for (const [name, load] of sets.filter(([name]) => wanted.length === 0 || wanted.includes(name))) {
  const t0 = performance.now();
  const items = load();
  const labels = labelsAtCuts(pairwise(items), CUTS);
  const gold = items.map((i) => i.gold);
  const rows = CUTS.map((cut) => {
    const s = scoreClustering(labels.get(cut)!.map(String), gold);
    return `${cut}: F1 ${s.f1.toFixed(3)} (P ${s.precision.toFixed(2)} / R ${s.recall.toFixed(2)})`;
  });
  console.log(`${name} n=${items.length} ${((performance.now() - t0) / 1000).toFixed(0)} s\n  ${rows.join('\n  ')}`);
}
