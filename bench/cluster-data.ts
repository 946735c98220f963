// Data for the clustering benches: ECB+ (evaluation only), bbc-news (exact duplicates, and the
// synthetic multi-report set used to calibrate), and the everyday-ai corpus's `related` lists.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { ClusterArticle } from '../src/curate/types.ts';
import { seededUint32 as seededRandom } from '../src/random.ts';

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

/** Drops words at random, keeping capitalized words and numbers more often: a crude rewording. */
function reword(sentence: string, next: () => number, dropRate: number): string {
  const words = sentence.split(/\s+/).filter(Boolean);
  const kept = words.filter((w) => {
    const named = /^[A-Z0-9$£€]/.test(w);
    return next() % 1000 >= (named ? dropRate / 4 : dropRate) * 1000;
  });
  return kept.length > 0 ? kept.join(' ') : words.join(' ');
}

/**
 * Synthetic "several outlets, one story" set from bbc-news, for calibration. Each article becomes 1 to 4
 * reports (a quarter stay single). Every report restates the lead, as reports of one event do; the
 * other sentences are dealt out among the reports (each goes to one report or, one time in five, to
 * none), so that beyond the lead the reports carry different details, as independent outlets do. Every
 * sentence is reworded by dropping 30% of its words (capitalized words and numbers less often). Report
 * 0 keeps the headline; the others get a reworded headline or the start of their reworded lead.
 * Gold = the source article, byte-identical articles (the duplicate groups) being one story. Other BBC
 * articles about similar events (another match, another company's results) are different stories:
 * the look-alike problem of same-story clustering. (An earlier variant without the shared lead left
 * reports too unlike; one with overlapping sentences made them near-copies.)
 */
export function bbcSyntheticReports(seed = 7): LabeledArticle[] {
  const next = seededRandom(seed);
  const docs = loadBbc();
  const goldOf = new Map<string, string>();
  for (const group of loadBbcDuplicateGroups()) for (const id of group) goldOf.set(id, group[0]!);
  const out: LabeledArticle[] = [];
  for (const doc of docs) {
    const all = sentences(doc.text);
    if (all.length < 2) continue;
    const reports = next() % 4 === 0 ? 1 : 2 + (next() % 3);
    const shares: string[][] = Array.from({ length: reports }, () => []);
    for (const sentence of shuffled(all.slice(1), next())) {
      if (next() % 5 === 0) continue;
      shares[next() % reports]!.push(sentence);
    }
    shares.forEach((share, r) => {
      const lead = reword(all[0]!, next, 0.3);
      const body = share.map((s) => reword(s, next, 0.3));
      const title = r === 0 ? doc.title : next() % 2 === 0 ? reword(doc.title, next, 0.3) : lead.split(' ').slice(0, 12).join(' ');
      out.push({ article: { id: `${doc.id}#${r}`, title, text: [lead, ...body].join(' ') }, gold: goldOf.get(doc.id) ?? doc.id });
    });
  }
  return out;
}

/**
 * Same-story sets among the items of the corpus's `related` lists, checked by hand (by reading titles
 * and excerpts): the reference grouped loosely, so only these are one story; every other item of those
 * lists is a story of its own (market-report press releases, listicles, a podcast covering five things,
 * another company's result in the same test). Keys are URL fragments.
 */
export const EVERYDAY_AI_SAME_STORY: string[][] = [
  ['federal-study-confirms-racial-bias', 'sns-facial-recognition-bias-20191226', 'ai-face-recognition-racist-us-government-nist-study'],
  ['artificial-intelligence-that-tracks-down-leukemia', 'sciencedaily.com/releases/2019/12/191223095351', 'artificial-intelligence-tracks-down-acu'],
  ['amazons-facial-recognition-moratorium', 'facial-recognition-technology-police-departments', 'the-technology-202/2020/06/11'],
  ['state-street-to-implement-machine-learning', 'state-street-turns-to-cloud-based', 'state-street-uses-machine-learning'],
  ['iiit-hyderabad-launches-online-foundat', 'iiit-hyderabad-launches-online-course', 'iith-announces-online-course-on-foundations', '-iith-announces-online-course-foundations', 'usubmit/2021/06/24/9397647'],
  ['technology-business-f9a4dee661c078eee3d827267be39e58', 'idemias-facial-recognition-accuracy-confirmed'],
  ['techcentral.ie/jqa4h', 'ireland-at-centre-of-3m-european'],
  ['mainichi.jp/english/articles/20211109', 'feature-ai-being-employed-to-translate-sign'],
  ['nvidias-latest-ai-tech-translates-text', 'hacking-nvidias-gaugan-2', 'nvidias-new-ai-eats-words', 'nvidia-research-unveils-gaugan2'],
];

/** The items of the corpus's `related` lists (each once, by URL), gold from EVERYDAY_AI_SAME_STORY. */
export function everydayAiLabeled(): LabeledArticle[] {
  const seen = new Map<string, LabeledArticle>();
  for (const group of everydayAiRelatedGroups()) {
    for (const item of group) {
      if (seen.has(item.webUrl)) continue;
      const story = EVERYDAY_AI_SAME_STORY.findIndex((set) => set.some((fragment) => item.webUrl.includes(fragment)));
      seen.set(item.webUrl, {
        article: { id: item.webUrl, title: item.title, text: item.excerpt, publishedDateTime: item.publishedDateTime, url: item.webUrl },
        gold: story >= 0 ? `story-${story}` : item.webUrl,
      });
    }
  }
  return [...seen.values()];
}

/**
 * Every item of the corpus (each record and each element of each `related` list, by exact URL), gold
 * from the hand-labeled same-story groups of bench/data/everyday-stories.json (labeling rules in its
 * README); every item not in a group is a story of its own. In publication order.
 */
export function everydayAllLabeled(): LabeledArticle[] {
  const byUrl = new Map<string, ClusterArticle>();
  for (const r of jsonl(join(SHARED, 'corpus/everyday-ai/news.jsonl'))) {
    for (const x of [r, ...(Array.isArray(r.related) ? r.related : [])]) {
      const url = String(x.webUrl ?? '');
      if (!url || byUrl.has(url)) continue;
      byUrl.set(url, { id: url, title: String(x.title ?? ''), text: String(x.excerpt ?? ''), publishedDateTime: x.publishedDateTime ?? null, url });
    }
  }
  const groups: string[][] = JSON.parse(readFileSync(join(import.meta.dirname, 'data', 'everyday-stories.json'), 'utf8'));
  const gold = new Map<string, string>();
  groups.forEach((group, i) => group.forEach((url) => gold.set(url, `story-${i}`)));
  const time = (a: ClusterArticle) => (a.publishedDateTime ? Date.parse(a.publishedDateTime) : 0);
  return [...byUrl.values()].sort((a, b) => time(a) - time(b) || (a.id < b.id ? -1 : 1)).map((article) => ({ article, gold: gold.get(article.id) ?? article.id }));
}

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
