// Same-story clustering on external data, with the one fixed default configuration (chosen by
// bench/cluster-calibrate.ts on bbc-synthetic, everyday-ai and everyday-all, never on ECB+). Every
// figure is of the shipped path, as `inspect cluster` runs it: the incremental clusterer in publication
// order, then consolidation; `incremental only` and `batch` rows are there for comparison.
//  - ECB+ (982 documents, gold = the 86 subtopics): B³ P/R/F1 and ARI, in file order and in three
//    seeded random orders (consolidation makes the stories independent of the order);
//  - the calibration sets, and beside them the windowed TF-IDF baseline of issue 15 (unigrams and
//    bigrams, title twice, single link, never across more than 3 days) at the cut that suits each set
//    best (fit to the set itself: an upper bound for that baseline, not a configuration);
//  - bbc-news: all 2,225 articles; how many of the 98 exact-duplicate groups end up in one story.
// Usage: npm run bench:cluster [-- --override '{"regroup":{"cut":0.3}}']
// --override runs another configuration as a labeled diagnostic; it is not the shipped configuration.
import { bbcSyntheticReports, everydayAiLabeled, everydayAllLabeled, loadBbc, loadBbcDuplicateGroups, loadEcbPlus, sharedAvailable, shuffled, type LabeledArticle } from './cluster-data.ts';
import { clusterConfig, DEFAULT_CLUSTER_CONFIG, type ClusterConfig } from '../src/curate/cluster/config.ts';
import { clusterArticles, type ClusterMode } from '../src/cli/inspect-cluster.ts';
import { scoreClustering, type ClusteringScores } from '../src/curate/cluster/metrics.ts';
import { windowedTfidfBaseline } from './cluster-baseline.ts';

if (!sharedAvailable) {
  console.log('bench:cluster: ../shared is not available; nothing to measure');
  process.exit(0);
}
const overrideAt = process.argv.indexOf('--override');
const override = overrideAt >= 0 ? JSON.parse(process.argv[overrideAt + 1] ?? '{}') : null;
const config: ClusterConfig = override ? clusterConfig(override) : clusterConfig();
if (override) console.log(`DIAGNOSTIC: shipped configuration with ${JSON.stringify(override)} (not the shipped configuration)\n`);
const f3 = (x: number) => x.toFixed(3);

async function run(items: readonly LabeledArticle[], mode: ClusterMode = 'production'): Promise<ClusteringScores & { ms: number }> {
  const t0 = performance.now();
  const rows = await clusterArticles(items.map((i) => i.article), config, mode);
  const ms = (performance.now() - t0) / (items.length || 1);
  return { ...scoreClustering(rows.map((r) => r[1]), items.map((i) => i.gold)), ms };
}
const line = (name: string, s: ClusteringScores) => `${name}\t${f3(s.precision)}\t${f3(s.recall)}\t${f3(s.f1)}\t${f3(s.ari)}\t${s.clusters}`;

console.log('ECB+ (982 docs, 86 subtopics; title = first sentence, no URL, no dates)');
console.log('run\tB3 P\tB3 R\tB3 F1\tARI\tclusters\tms/article');
const ecb = loadEcbPlus();
const f1s: number[] = [];
for (const [name, items] of [['file order', ecb], ['seed 1', shuffled(ecb, 1)], ['seed 2', shuffled(ecb, 2)], ['seed 3', shuffled(ecb, 3)]] as const) {
  const s = await run(items);
  f1s.push(s.f1);
  console.log(`${line(name, s)}\t${s.ms.toFixed(2)}`);
}
console.log(`mean over the 4 orders: B3 F1 ${f3(f1s.reduce((a, b) => a + b, 0) / f1s.length)} (bar: >= 0.85; TF-IDF average link at a cut fit to ECB+: 0.893)`);
for (const mode of ['incremental-only', 'batch'] as const) console.log(`${line(`${mode} (file order)`, await run(ecb, mode))}`);

const bbc = loadBbc();
const bbcArticles = bbc.map((d) => ({ id: d.id, title: d.title, text: d.text }));
{
  // A desk's index is not empty: ECB+ again, after the 2,225 bbc-news articles (other events,
  // 2004-2005), so that document frequencies are not cold. Scored on the ECB+ documents.
  const rows = await clusterArticles([...bbcArticles, ...ecb.map((i) => i.article)], config, 'production');
  const storyOf = new Map(rows);
  console.log(line('warm (after bbc-news)', scoreClustering(ecb.map((i) => storyOf.get(i.article.id)!), ecb.map((i) => i.gold))));
}

console.log('\ncalibration sets (the configuration was chosen on these)');
console.log('set\tB3 P\tB3 R\tB3 F1\tARI\tstories\t| windowed TF-IDF baseline at its best cut: F1 (cut)');
const calibration: Array<[string, LabeledArticle[]]> = [
  ['bbc-synthetic (calibration half)', shuffled(bbcSyntheticReports().filter((x) => Number(x.gold.split('/')[1]) % 2 === 0), 11)],
  ['bbc-synthetic (other half)', shuffled(bbcSyntheticReports().filter((x) => Number(x.gold.split('/')[1]) % 2 === 1), 11)],
  ['everyday-ai (related lists, hand-checked)', everydayAiLabeled()],
  ['everyday-all (379 items, hand-labeled)', everydayAllLabeled()],
];
for (const [name, items] of calibration) {
  const s = await run(items);
  const dated = items.some((i) => i.article.publishedDateTime);
  const baseline = dated ? windowedTfidfBaseline(items) : null;
  console.log(`${line(name, s)}\t| ${baseline ? `${f3(baseline.f1)} (${baseline.cut})` : 'undated: not run'}`);
}

const groups = loadBbcDuplicateGroups();
const bbcRows = new Map(await clusterArticles(bbcArticles, config, 'production'));
const merged = groups.filter((group) => new Set(group.map((id) => bbcRows.get(id))).size === 1).length;
console.log(`\nbbc-news: ${bbc.length} articles -> ${new Set(bbcRows.values()).size} stories; exact-duplicate groups merged: ${merged}/${groups.length}`);

console.log(override ? '\nconfiguration (DIAGNOSTIC override, not the shipped one):' : '\nconfiguration (calibrated by bench/cluster-calibrate.ts):');
console.log(JSON.stringify(override ? config : DEFAULT_CLUSTER_CONFIG));
