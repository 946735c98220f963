// Diagnostic (development only): batch average-link clustering over full pairwise similarities, to
// tell what a representation can reach from what the incremental clusterer loses. Prints B³ F1 per
// threshold on the calibration sets and on ECB+ (the ECB+ rows are diagnostics fit to nothing).
// Usage: npx tsx bench/cluster-explore.ts [ecb|bbc|everyday]...
import { bbcSyntheticReports, everydayAiLabeled, loadEcbPlus, shuffled, type LabeledArticle } from './cluster-data.ts';
import { DEFAULT_CLUSTER_CONFIG, type ClusterConfig } from '../src/curate/cluster/config.ts';
import { analyze, buildFeatures, distinctTerms } from '../src/curate/cluster/features.ts';
import { idfLookup, prepare, similarity } from '../src/curate/cluster/similarity.ts';
import { scoreClustering } from '../src/curate/cluster/metrics.ts';

const config: ClusterConfig = { ...DEFAULT_CLUSTER_CONFIG, ...JSON.parse(process.env.CFG ?? "{}") };

function pairwise(items: readonly LabeledArticle[]): Float64Array {
  const analyzed = items.map((i) => analyze(i.article, config));
  const df = new Map<string, number>();
  for (const a of analyzed) for (const t of distinctTerms(a)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = items.length;
  const features = analyzed.map((a) => buildFeatures(a, df, n, config));
  const idfOf = idfLookup(df, n);
  const prepared = features.map((f) => prepare(f, idfOf));
  const sims = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = similarity(prepared[i]!, prepared[j]!, config).score;
      sims[i * n + j] = s;
      sims[j * n + i] = s;
    }
  }
  return sims;
}

/** Average-link agglomeration; returns labels at each cut threshold (descending). */
function averageLink(sims: Float64Array, n: number, cuts: number[]): Map<number, number[]> {
  const sum = new Float64Array(sims);
  const size = new Int32Array(n).fill(1);
  const alive = new Uint8Array(n).fill(1);
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const out = new Map<number, number[]>();
  const sorted = [...cuts].sort((a, b) => b - a);
  let c = 0;
  const labels = () => {
    const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
    return Array.from({ length: n }, (_, i) => find(i));
  };
  for (;;) {
    let best = -1;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < n; i++) {
      if (!alive[i]) continue;
      for (let j = i + 1; j < n; j++) {
        if (!alive[j]) continue;
        const s = sum[i * n + j]! / (size[i]! * size[j]!);
        if (s > best) {
          best = s;
          bi = i;
          bj = j;
        }
      }
    }
    while (c < sorted.length && (bi < 0 || best < sorted[c]!)) out.set(sorted[c++]!, labels());
    if (bi < 0 || c >= sorted.length) break;
    for (let k = 0; k < n; k++) {
      sum[bi * n + k] += sum[bj * n + k]!;
      sum[k * n + bi] = sum[bi * n + k]!;
    }
    size[bi] += size[bj]!;
    alive[bj] = 0;
    parent[bj] = bi;
  }
  return out;
}

const sets = process.argv.slice(2);
const cuts = [0.05, 0.08, 0.1, 0.12, 0.15, 0.18, 0.2, 0.25, 0.3, 0.35, 0.4];
const data: Array<[string, LabeledArticle[]]> = [];
if (sets[0] !== "priordf" && sets[0] !== "inc" && sets.includes("ecb")) data.push(['ecb', loadEcbPlus()]);
if (sets[0] !== "priordf" && sets[0] !== "inc" && sets.includes("bbc")) data.push(['bbc', shuffled(bbcSyntheticReports().filter((x) => Number(x.gold.split('/')[1]) % 4 === 0), 11)]);
if (sets[0] !== "priordf" && sets[0] !== "inc" && sets.includes("everyday")) data.push(['everyday', everydayAiLabeled()]);
if (sets[0] !== "priordf" && sets[0] !== "inc" && sets.includes("usenet")) data.push(['usenet', await usenetThreads(1500)]);
for (const [name, items] of sets[0] === "inc" ? [] : data) {
  const t0 = performance.now();
  const sims = pairwise(items);
  const labels = averageLink(sims, items.length, cuts);
  const gold = items.map((i) => i.gold);
  const row = cuts.map((c) => {
    const s = scoreClustering(labels.get(c)!.map(String), gold);
    return `${c}:${s.f1.toFixed(3)}(${s.precision.toFixed(2)}/${s.recall.toFixed(2)})`;
  });
  console.log(`${name} n=${items.length} ${((performance.now() - t0) / 1000).toFixed(0)}s\n  ${row.join('\n  ')}`);
}

// Incremental runs with overrides: npx tsx bench/cluster-explore.ts inc '{"relative":false}' ecb bbc everyday
if (sets[0] === 'inc') {
  const { runClustering } = await import('./cluster-data.ts');
  const { clusterConfig } = await import('../src/curate/cluster/config.ts');
  const overrides = JSON.parse(sets[1] ?? '{}');
  const thresholds: number[] = overrides.thresholds ?? [overrides.threshold ?? config.threshold];
  delete overrides.thresholds;
  const incSets: Array<[string, LabeledArticle[]]> = [];
  if (sets.includes('ecb')) incSets.push(['ecb', loadEcbPlus()], ['ecb-s1', shuffled(loadEcbPlus(), 1)]);
  if (sets.includes('bbc')) incSets.push(['bbc', shuffled(bbcSyntheticReports().filter((x) => Number(x.gold.split('/')[1]) % 2 === 0), 11)]);
  if (sets.includes('usenet')) incSets.push(['usenet', await usenetThreads()]);
  if (sets.includes('everyday')) incSets.push(['everyday', everydayAiLabeled().sort((a, b) => (a.article.publishedDateTime ?? '').localeCompare(b.article.publishedDateTime ?? ''))]);
  for (const threshold of thresholds) {
    const parts: string[] = [];
    for (const [name, items] of incSets) {
      const t0 = performance.now();
      const s = await runClustering(items, clusterConfig({ ...overrides, threshold }));
      parts.push(`${name} ${s.f1.toFixed(3)}(${s.precision.toFixed(2)}/${s.recall.toFixed(2)}) ${((performance.now() - t0) / items.length).toFixed(1)}ms`);
    }
    console.log(`t=${threshold}\t${parts.join('\t')}`);
  }
}

// Incremental with the whole collection's document frequencies from the start (how much the cold start costs).
if (sets[0] === 'oracledf') {
  const { assign } = await import('../src/curate/cluster/clusterer.ts');
  const { MemoryCandidateIndex } = await import('../src/curate/cluster/memory-index.ts');
  const { clusterConfig } = await import('../src/curate/cluster/config.ts');
  const overrides = JSON.parse(sets[1] ?? '{}');
  const thresholds: number[] = overrides.thresholds ?? [overrides.threshold ?? config.threshold];
  delete overrides.thresholds;
  for (const [name, items] of [['ecb', loadEcbPlus()], ['ecb-s1', shuffled(loadEcbPlus(), 1)]] as const) {
    const df = new Map<string, number>();
    for (const i of items) for (const t of distinctTerms(analyze(i.article, config))) df.set(t, (df.get(t) ?? 0) + 1);
    const parts: string[] = [];
    for (const threshold of thresholds) {
      const index = new MemoryCandidateIndex();
      index.documentCount = async () => items.length - 1;
      index.documentFrequencies = async (terms) => terms.map((t) => Math.max(0, (df.get(t) ?? 0) - 1));
      for (const i of items) await assign(i.article, index, clusterConfig({ ...overrides, threshold }));
      const s = scoreClustering((await index.storiesOf(items.map((i) => i.article.id))).map((x) => x ?? ''), items.map((i) => i.gold));
      parts.push(`t=${threshold} ${s.f1.toFixed(3)}(${s.precision.toFixed(2)}/${s.recall.toFixed(2)})`);
    }
    console.log(`${name}\t${parts.join('\t')}`);
  }
}

// Incremental with a background document-frequency prior from bbc-news added to the index's counts.
if (sets[0] === 'priordf') {
  const { assign } = await import('../src/curate/cluster/clusterer.ts');
  const { MemoryCandidateIndex } = await import('../src/curate/cluster/memory-index.ts');
  const { clusterConfig } = await import('../src/curate/cluster/config.ts');
  const { loadBbc } = await import('./cluster-data.ts');
  const overrides = JSON.parse(sets[1] ?? '{}');
  const thresholds: number[] = overrides.thresholds ?? [overrides.threshold ?? config.threshold];
  delete overrides.thresholds;
  const prior = new Map<string, number>();
  const bbcDocs = loadBbc();
  for (const d of bbcDocs) for (const t of distinctTerms(analyze({ id: d.id, title: d.title, text: d.text }, config))) prior.set(t, (prior.get(t) ?? 0) + 1);
  const sets2: Array<[string, LabeledArticle[]]> = [['ecb', loadEcbPlus()], ['ecb-s1', shuffled(loadEcbPlus(), 1)]];
  if (sets.includes('bbc')) sets2.push(['bbc', shuffled(bbcSyntheticReports().filter((x) => Number(x.gold.split('/')[1]) % 2 === 0), 11)]);
  if (sets.includes('everyday')) sets2.push(['everyday', everydayAiLabeled().sort((a, b) => (a.article.publishedDateTime ?? '').localeCompare(b.article.publishedDateTime ?? ''))]);
  for (const threshold of thresholds) {
    const parts: string[] = [];
    for (const [name, items] of sets2) {
      const index = new MemoryCandidateIndex();
      const count = index.documentCount.bind(index);
      const dfs = index.documentFrequencies.bind(index);
      index.documentCount = async () => (await count()) + bbcDocs.length;
      index.documentFrequencies = async (terms) => (await dfs(terms)).map((v, i) => v + (prior.get(terms[i]!) ?? 0));
      for (const i of items) await assign(i.article, index, clusterConfig({ ...overrides, threshold }));
      const s = scoreClustering((await index.storiesOf(items.map((i) => i.article.id))).map((x) => x ?? ''), items.map((i) => i.gold));
      parts.push(`${name} ${s.f1.toFixed(3)}(${s.precision.toFixed(2)}/${s.recall.toFixed(2)})`);
    }
    console.log(`t=${threshold}\t${parts.join('\t')}`);
  }
}

// Distributions: per dataset, percentiles of same-story pair similarities and of each article's nearest other-story similarity.
if (sets[0] === 'dist') {
  const q = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(p * (s.length - 1))]!.toFixed(3); };
  const all: Array<[string, LabeledArticle[]]> = [['ecb', loadEcbPlus()], ['bbc', shuffled(bbcSyntheticReports().filter((x) => Number(x.gold.split('/')[1]) % 4 === 0), 11)], ['everyday', everydayAiLabeled()]];
  for (const [name, items] of all) {
    const n = items.length;
    const sims = pairwise(items);
    const same: number[] = [];
    const nearestOther: number[] = [];
    const topic: number[] = [];
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const s = sims[i * n + j]!;
        if (items[i]!.gold === items[j]!.gold) { if (j > i) same.push(s); }
        else { if (s > best) best = s; if (name === 'ecb' && items[i]!.gold.split('_')[0] === items[j]!.gold.split('_')[0] && j > i) topic.push(s); }
      }
      nearestOther.push(best);
    }
    console.log(`${name}: same-story pairs ${same.length} p10 ${q(same, 0.1)} p25 ${q(same, 0.25)} p50 ${q(same, 0.5)} | nearest other story p50 ${q(nearestOther, 0.5)} p75 ${q(nearestOther, 0.75)} p90 ${q(nearestOther, 0.9)}` + (topic.length ? ` | same topic other event p50 ${q(topic, 0.5)} p90 ${q(topic, 0.9)}` : ''));
  }
}

// Per-topic B³ of an incremental run in file order (where the errors are).
if (sets[0] === 'pertopic') {
  const { assign } = await import('../src/curate/cluster/clusterer.ts');
  const { MemoryCandidateIndex } = await import('../src/curate/cluster/memory-index.ts');
  const { clusterConfig } = await import('../src/curate/cluster/config.ts');
  const items = loadEcbPlus();
  const index = new MemoryCandidateIndex();
  const cfg = clusterConfig(JSON.parse(sets[1] ?? '{}'));
  for (const i of items) await assign(i.article, index, cfg);
  const stories = (await index.storiesOf(items.map((i) => i.article.id))).map((x) => x ?? '');
  const byTopic = new Map<string, number[]>();
  items.forEach((it, k) => { const t = it.gold.split('_')[0]!; byTopic.set(t, [...(byTopic.get(t) ?? []), k]); });
  const rows: string[] = [];
  for (const [t, ks] of byTopic) {
    // precision within all predictions for these items (clusters may span topics)
    let p = 0;
    for (const k of ks) {
      const members = stories.map((s, j) => (s === stories[k] ? j : -1)).filter((j) => j >= 0);
      p += members.filter((j) => items[j]!.gold === items[k]!.gold).length / members.length;
    }
    const s = scoreClustering(ks.map((k) => stories[k]!), ks.map((k) => items[k]!.gold));
    rows.push(`${t}:${(p / ks.length).toFixed(2)}/${s.recall.toFixed(2)}`);
  }
  console.log(rows.join(' '));
}

// Batch: mean cross-event similarity per topic vs mean within-event.
if (sets[0] === 'topicsims') {
  const items = loadEcbPlus();
  const n = items.length;
  const sims = pairwise(items);
  const acc = new Map<string, { cross: number; nc: number; within: number; nw: number }>();
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    const ti = items[i]!.gold.split('_')[0]!;
    if (ti !== items[j]!.gold.split('_')[0]) continue;
    const a = acc.get(ti) ?? { cross: 0, nc: 0, within: 0, nw: 0 };
    if (items[i]!.gold === items[j]!.gold) { a.within += sims[i * n + j]!; a.nw++; } else { a.cross += sims[i * n + j]!; a.nc++; }
    acc.set(ti, a);
  }
  console.log([...acc].map(([t, a]) => `${t}:${(a.within / a.nw).toFixed(2)}/${(a.cross / a.nc).toFixed(2)}`).join(' '));
}

// Mixed clusters of an incremental bbc-synthetic run.
if (sets[0] === 'bbcerr') {
  const { assign } = await import('../src/curate/cluster/clusterer.ts');
  const { MemoryCandidateIndex } = await import('../src/curate/cluster/memory-index.ts');
  const { clusterConfig } = await import('../src/curate/cluster/config.ts');
  const items = shuffled(bbcSyntheticReports().filter((x) => Number(x.gold.split('/')[1]) % 2 === 0), 11);
  const index = new MemoryCandidateIndex();
  const cfg = clusterConfig(JSON.parse(sets[1] ?? '{}'));
  const log: string[] = [];
  for (const [k, i] of items.entries()) {
    const r = await assign(i.article, index, cfg);
    if (r.mergedStoryIds.length) log.push(`#${k} ${i.article.id} merged ${r.mergedStoryIds.join(',')} into ${r.storyId}`);
  }
  const stories = (await index.storiesOf(items.map((i) => i.article.id))).map((x) => x ?? '');
  const groups = new Map<string, number[]>();
  stories.forEach((s, k) => groups.set(s, [...(groups.get(s) ?? []), k]));
  let shown = 0;
  for (const [s, ks] of groups) {
    if (new Set(ks.map((k) => items[k]!.gold)).size < 2 || shown++ > 8) continue;
    console.log(`story ${s}:`);
    for (const k of ks) console.log(`  #${k} ${items[k]!.gold} ${items[k]!.article.id} | ${items[k]!.article.title.slice(0, 70)}`);
  }
  console.log(log.slice(0, 10).join('\n'));
}

/**
 * Usenet threads as same-story sets (20 Newsgroups, train split only): the posts of one thread, i.e.
 * one newsgroup and one subject line once "Re:" is stripped, are one story written independently by
 * several people; the other threads of the same newsgroup are its look-alikes. The subject is withheld
 * (it would give the thread away) and quoted lines, attribution lines and signatures are removed, so
 * that a reply is judged on what it says itself. Threads of 2 to 8 posts with at least 300 characters
 * each (whole threads, 70% of the posts), single posts as distractors (30%); in the order of the posts' ids.
 */
async function usenetThreads(maxPosts = 2400): Promise<LabeledArticle[]> {
  const { readTwentyNewsgroups } = await import('./topics-data.ts');
  const posts = readTwentyNewsgroups().train.map((p) => {
    const split = p.text.indexOf('\n\n');
    const headers = split >= 0 ? p.text.slice(0, split) : '';
    const subject = (/^Subject:\s*(.*)$/im.exec(headers)?.[1] ?? '').replace(/^(\s*re\s*:\s*)+/i, '').replace(/\s+/g, ' ').trim().toLowerCase();
    const lines: string[] = [];
    for (const line of (split >= 0 ? p.text.slice(split + 2) : p.text).split('\n')) {
      if (/^--\s*$/.test(line)) break;
      if (/^\s*[>|:]/.test(line) || /(writes|wrote|says):\s*$/i.test(line) || /^in article\s*</i.test(line.trim())) continue;
      lines.push(line);
    }
    return { id: p.id, group: p.label, subject, text: lines.join('\n').trim() };
  }).filter((p) => p.subject.length > 0 && p.text.length >= 300);
  const threads = new Map<string, typeof posts>();
  for (const p of posts) {
    const key = `${p.group}\u0000${p.subject}`;
    threads.set(key, [...(threads.get(key) ?? []), p]);
  }
  const picked: Array<{ id: string; text: string; gold: string }> = [];
  const singles: Array<{ id: string; text: string; gold: string }> = [];
  const threadBudget = Math.round(maxPosts * 0.7);
  for (const [key, members] of shuffled([...threads], 5)) {
    if (members.length === 1) singles.push({ id: members[0]!.id, text: members[0]!.text, gold: key });
    else if (members.length <= 8 && picked.length + members.length <= threadBudget) for (const m of members) picked.push({ id: m.id, text: m.text, gold: key });
  }
  picked.push(...singles.slice(0, maxPosts - picked.length));
  const number = (id: string) => Number(id.split('/')[1]);
  return picked
    .sort((a, b) => number(a.id) - number(b.id))
    .map((p) => ({ article: { id: p.id, title: '', text: p.text }, gold: p.gold }));
}

// Per-channel similarity distributions: same-story pairs vs each article's nearest other-story article.
if (sets[0] === 'channels') {
  const q = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(p * (s.length - 1))]!.toFixed(2) : '-'; };
  const all: Array<[string, LabeledArticle[]]> = [['ecb', loadEcbPlus()], ['bbc', shuffled(bbcSyntheticReports().filter((x) => Number(x.gold.split('/')[1]) % 4 === 0), 11)], ['everyday', everydayAiLabeled()]];
  for (const [name, items] of all) {
    const analyzed = items.map((i) => analyze(i.article, config));
    const df = new Map<string, number>();
    for (const a of analyzed) for (const t of distinctTerms(a)) df.set(t, (df.get(t) ?? 0) + 1);
    const n = items.length;
    const idfOf = idfLookup(df, n);
    const prepared = analyzed.map((a) => prepare(buildFeatures(a, df, n, config), idfOf));
    const parts = { same: { text: [] as number[], entities: [] as number[], title: [] as number[] }, other: { text: [] as number[], entities: [] as number[], title: [] as number[] } };
    for (let i = 0; i < n; i++) {
      let best = -1;
      let bestJ = -1;
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const s = similarity(prepared[i]!, prepared[j]!, config);
        if (items[i]!.gold === items[j]!.gold) {
          if (j > i) for (const k of ['text', 'entities', 'title'] as const) if (s[k] !== null) parts.same[k].push(s[k]!);
        } else if (s.score > best) [best, bestJ] = [s.score, j];
      }
      if (bestJ >= 0) {
        const s = similarity(prepared[i]!, prepared[bestJ]!, config);
        for (const k of ['text', 'entities', 'title'] as const) if (s[k] !== null) parts.other[k].push(s[k]!);
      }
    }
    for (const k of ['text', 'entities', 'title'] as const) console.log(`${name} ${k}: same p25 ${q(parts.same[k], 0.25)} p50 ${q(parts.same[k], 0.5)} | nearest other p50 ${q(parts.other[k], 0.5)} p75 ${q(parts.other[k], 0.75)} p90 ${q(parts.other[k], 0.9)}`);
  }
}

// Retrieval: per article, the share of already-stored same-story articles that the lookup returns (and that are compared).
if (sets[0] === 'retrieval') {
  const { assign } = await import('../src/curate/cluster/clusterer.ts');
  const { MemoryCandidateIndex } = await import('../src/curate/cluster/memory-index.ts');
  const { clusterConfig } = await import('../src/curate/cluster/config.ts');
  const cfg = clusterConfig(JSON.parse(sets[1] ?? '{}'));
  for (const [name, items] of [['ecb', loadEcbPlus()], ['bbc', shuffled(bbcSyntheticReports().filter((x) => Number(x.gold.split('/')[1]) % 2 === 0), 11)]] as const) {
    const index = new MemoryCandidateIndex();
    const gold = new Map(items.map((i) => [i.article.id, i.gold]));
    const seen = new Map<string, number>();
    let stored = 0;
    let found = 0;
    let compared = 0;
    const lookup = index.lookup.bind(index);
    let current = '';
    index.lookup = async (keys, limit) => {
      const ids = await lookup(keys, limit);
      const g = gold.get(current);
      found += ids.filter((id) => gold.get(id) === g).length;
      compared += ids.slice(0, cfg.maxCompared).filter((id) => gold.get(id) === g).length;
      return ids;
    };
    for (const i of items) {
      current = i.article.id;
      stored += seen.get(i.gold) ?? 0;
      await assign(i.article, index, cfg);
      seen.set(i.gold, (seen.get(i.gold) ?? 0) + 1);
    }
    console.log(`${name}: same-story already stored ${stored}, found by lookup ${found} (${(found / stored).toFixed(3)}), compared ${compared}`);
  }
}
