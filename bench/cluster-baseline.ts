// The windowed TF-IDF baseline of issue 15, for comparison only: unigrams and bigrams of title and
// text with the title counted twice, log term frequency times smoothed IDF, cosine, single link, and
// no link between two articles more than 3 days apart. `windowedTfidfBaseline` reports it at the cut
// that suits the given set best, which fits the baseline to that set: an upper bound for it.
import type { LabeledArticle } from './cluster-data.ts';
import { scoreClustering } from '../src/curate/cluster/metrics.ts';
import { STOPWORDS, stem, wordTokens } from '../src/curate/cluster/text.ts';

function terms(text: string): string[] {
  const tokens = wordTokens(text).filter((t) => t.length >= 2 && !STOPWORDS.has(t)).map(stem);
  const out = [...tokens];
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]} ${tokens[i + 1]}`);
  return out;
}

function vectors(items: readonly LabeledArticle[]): Array<Map<string, number>> {
  const counts = items.map((i) => {
    const title = terms(i.article.title ?? '');
    const c = new Map<string, number>();
    for (const t of [...title, ...title, ...terms(i.article.text ?? '')]) c.set(t, (c.get(t) ?? 0) + 1);
    return c;
  });
  const df = new Map<string, number>();
  for (const c of counts) for (const t of c.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const n = items.length;
  return counts.map((c) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [t, k] of c) {
      const w = (1 + Math.log(k)) * (Math.log((n + 1) / (df.get(t)! + 1)) + 1);
      v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of v) v.set(t, w / norm);
    return v;
  });
}

export function windowedTfidfBaseline(items: readonly LabeledArticle[], cuts = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5]): { f1: number; cut: number } {
  const v = vectors(items);
  const time = items.map((i) => (i.article.publishedDateTime ? Date.parse(i.article.publishedDateTime) : null));
  const n = items.length;
  const pairs: Array<[number, number, number]> = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (time[i] !== null && time[j] !== null && Math.abs(time[i]! - time[j]!) > 3 * 86_400_000) continue;
      let dot = 0;
      const [small, large] = v[i]!.size <= v[j]!.size ? [v[i]!, v[j]!] : [v[j]!, v[i]!];
      for (const [t, w] of small) dot += w * (large.get(t) ?? 0);
      if (dot >= cuts[0]!) pairs.push([i, j, dot]);
    }
  }
  let best = { f1: 0, cut: cuts[0]! };
  for (const cut of cuts) {
    const parent = Array.from({ length: n }, (_, i) => i);
    const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
    for (const [i, j, s] of pairs) if (s >= cut) parent[find(j)] = find(i);
    const f1 = scoreClustering(items.map((_, i) => String(find(i))), items.map((x) => x.gold)).f1;
    if (f1 > best.f1) best = { f1, cut };
  }
  return best;
}
