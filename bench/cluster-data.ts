// Data for the clustering benches: ECB+ (evaluation only), bbc-news (exact duplicates, and the
// synthetic multi-report set used to calibrate), and the everyday-ai corpus's `related` lists.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { ClusterArticle } from '../src/curate/types.ts';
import { seededRandom } from '../src/curate/cluster/minhash.ts';

export const SHARED = join(import.meta.dirname, '..', '..', 'shared');
export const sharedAvailable = existsSync(SHARED);

export interface LabeledArticle {
  article: ClusterArticle;
  gold: string;
}

function jsonl(path: string): any[] {
  const raw = readFileSync(path);
  const text = path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/**
 * ECB+ documents; gold = subtopic. No headline is given, so the first sentence plays the title (in the
 * ecbplus part that is usually the headline). The source URL is left out: its slug holds the headline.
 */
export function loadEcbPlus(): LabeledArticle[] {
  return jsonl(join(SHARED, 'bench/ecbplus/ecbplus-docs.jsonl.gz')).map((d) => ({
    article: { id: d.doc_id, title: d.sentences[0] ?? '', text: d.sentences.slice(1).join(' ') },
    gold: d.subtopic,
  }));
}

export interface BbcDoc {
  id: string;
  category: string;
  title: string;
  text: string;
}

export function loadBbc(): BbcDoc[] {
  return jsonl(join(SHARED, 'bench/bbc-news/bbc-news.jsonl.gz'));
}

export function loadBbcDuplicateGroups(): string[][] {
  return JSON.parse(readFileSync(join(SHARED, 'bench/bbc-news/exact-duplicate-groups.json'), 'utf8'));
}

export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const next = seededRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function sentences(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((p) => p.split(/(?<=[.!?]["”']?)\s+(?=["“']?[A-Z0-9])/))
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Synthetic "several outlets, one story" set from bbc-news: every article becomes 2 to 4 reports,
 * each with a disjoint share of its sentences (round robin after a seeded shuffle of all but the lead),
 * some sentences dropped; report 0 keeps the headline, the others use their own first sentence as the
 * title. Reports share the story's names and figures but no sentence, like rewrites of one wire story.
 * Gold = the source article, with byte-identical articles (the corpus's duplicate groups) as one story.
 * Different BBC articles about related events (same match series, same company) are different stories
 * here, which makes this set strict.
 */
export function bbcSyntheticReports(seed = 7): LabeledArticle[] {
  const next = seededRandom(seed);
  const docs = loadBbc();
  const goldOf = new Map<string, string>();
  for (const group of loadBbcDuplicateGroups()) for (const id of group) goldOf.set(id, group[0]!);
  const out: LabeledArticle[] = [];
  for (const doc of docs) {
    const all = sentences(doc.text);
    if (all.length < 4) continue;
    const reports = 2 + (next() % 3);
    const rest = shuffled(all.slice(1), next());
    const shares: string[][] = Array.from({ length: reports }, () => []);
    rest.forEach((s, i) => {
      if (next() % 5 === 0) return; // an outlet leaves some details out
      shares[i % reports]!.push(s);
    });
    shares[0]!.unshift(all[0]!);
    shares.forEach((share, r) => {
      if (share.length === 0) return;
      const title = r === 0 ? doc.title : share[0]!;
      const text = r === 0 ? share.join(' ') : share.slice(1).join(' ');
      out.push({ article: { id: `${doc.id}#${r}`, title, text }, gold: goldOf.get(doc.id) ?? doc.id });
    });
  }
  return out;
}

/**
 * The everyday-ai corpus's front-matter records with `related` lists: each record plus its related
 * items (title + excerpt + date) form one reference group. The reference system's grouping was loose
 * (several groups are topic-level, e.g. market-report press releases), so this is a noisy signal.
 */
export function everydayAiRelatedGroups(): Array<Array<{ title: string; excerpt: string; publishedDateTime: string | null; webUrl: string }>> {
  const groups = [];
  for (const r of jsonl(join(SHARED, 'corpus/everyday-ai/news.jsonl'))) {
    if (r._record !== 'front-matter' || !Array.isArray(r.related) || r.related.length === 0) continue;
    groups.push([r, ...r.related].map((x: any) => ({
      title: String(x.title ?? ''),
      excerpt: String(x.excerpt ?? ''),
      publishedDateTime: x.publishedDateTime ?? null,
      webUrl: String(x.webUrl ?? ''),
    })));
  }
  return groups;
}

import { assign } from '../src/curate/cluster/clusterer.ts';
import { MemoryCandidateIndex } from '../src/curate/cluster/memory-index.ts';
import type { ClusterConfig } from '../src/curate/cluster/config.ts';
import { scoreClustering, type ClusteringScores } from '../src/curate/cluster/metrics.ts';

/** Clusters the articles in the given order with a fresh in-memory index; scores against gold. */
export async function runClustering(items: readonly LabeledArticle[], config: ClusterConfig): Promise<ClusteringScores & { meanCandidates: number }> {
  const index = new MemoryCandidateIndex();
  let candidates = 0;
  for (const item of items) candidates += (await assign(item.article, index, config)).candidatesChecked;
  const stories = await index.storiesOf(items.map((i) => i.article.id));
  return { ...scoreClustering(stories.map((s) => s ?? ''), items.map((i) => i.gold)), meanCandidates: candidates / (items.length || 1) };
}
