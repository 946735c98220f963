// How the consolidation's link and cut were chosen, on data other than ECB+ (the evaluation set):
//  1. bbc-synthetic: bbc-news articles turned into 1-4 reworded reports each (bench/cluster-data.ts),
//     half of the articles (every other one), in a seeded random order;
//  2. everyday-ai: the items of the corpus's `related` lists, same-story sets checked by hand;
//  3. everyday-all: every item of the corpus (379), hand-labeled into same-story groups
//     (bench/data/everyday-stories.json; its README has the labeling rules).
// Objective: the mean of the three B³ F1 scores of the shipped path (incremental in publication order,
// then consolidation). ECB+ is not read here. The grid: the pairs per link (K), the title's weight,
// the time decay and the cut. Prints every row and the best; the defaults in
// src/curate/cluster/config.ts are the best row of the last run (the figures are in its header).
// Usage: npx tsx bench/cluster-calibrate.ts
import { bbcSyntheticReports, everydayAiLabeled, everydayAllLabeled, sharedAvailable, shuffled, type LabeledArticle } from './cluster-data.ts';
import { clusterConfig, type ClusterConfig } from '../src/curate/cluster/config.ts';
import { clusterArticles } from '../src/cli/inspect-cluster.ts';
import { scoreClustering } from '../src/curate/cluster/metrics.ts';

if (!sharedAvailable) {
  console.log('cluster-calibrate: ../shared is not available; nothing to do');
  process.exit(0);
}

const sets: Array<[string, LabeledArticle[]]> = [
  ['bbc-synthetic', shuffled(bbcSyntheticReports().filter((x) => Number(x.gold.split('/')[1]) % 2 === 0), 11)],
  ['everyday-ai', everydayAiLabeled()],
  ['everyday-all', everydayAllLabeled()],
];
for (const [name, items] of sets) console.log(`${name}: ${items.length} items, ${new Set(items.map((x) => x.gold)).size} stories`);

async function f1(items: readonly LabeledArticle[], config: ClusterConfig): Promise<number> {
  const rows = await clusterArticles(items.map((i) => i.article), config, 'production');
  return scoreClustering(rows.map((r) => r[1]), items.map((i) => i.gold)).f1;
}

const cuts = [0.25, 0.275, 0.3, 0.325, 0.35, 0.375, 0.4, 0.45];
const rows: Array<{ label: string; scores: number[]; mean: number }> = [];
console.log('k\ttitleWeight\tfullDays/decayDays\tcut\tbbc-synthetic\teveryday-ai\teveryday-all\tmean');
for (const k of [2, 3, 5]) {
  for (const titleWeight of [1, 2]) {
    for (const [fullDays, decayDays] of [[1, 3], [2, 3]] as const) {
      for (const cut of cuts) {
        const config = clusterConfig({ titleWeight, regroup: { k, cut, fullDays, decayDays } as ClusterConfig['regroup'] });
        const scores: number[] = [];
        for (const [, items] of sets) scores.push(await f1(items, config));
        const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
        const label = `${k}\t${titleWeight}\t${fullDays}/${decayDays}\t${cut}`;
        rows.push({ label, scores, mean });
        console.log(`${label}\t${scores.map((s) => s.toFixed(3)).join('\t')}\t${mean.toFixed(3)}`);
      }
    }
  }
}
rows.sort((a, b) => b.mean - a.mean);
const best = rows[0]!;
console.log(`best: k/titleWeight/decay/cut ${best.label.replace(/\t/g, ' ')}: mean F1 ${best.mean.toFixed(3)} (${best.scores.map((s) => s.toFixed(3)).join(' / ')})`);
