// From an article to what the clusterer compares and stores: capped top terms, title terms, named
// things, a time, and the lookup keys (MinHash bands over shingles plus rare entity and term keys).
import type { ClusterArticle, ClusterFeatures } from '../types.ts';
import type { ClusterConfig } from './config.ts';
import { extractEntities } from './entities.ts';
import { bandKeys, minHashScheme, minHashSignature, type MinHashScheme } from './minhash.ts';
import { contentTerms, shingles, termCounts } from './text.ts';

/** Inverse document frequency with add-one smoothing; the article being weighed counts as seen. */
export function idf(documentFrequency: number, documentCount: number): number {
  return Math.log((documentCount + 1) / (documentFrequency + 1)) + 1;
}

export interface AnalyzedArticle {
  id: string;
  time: number | null;
  counts: Map<string, number>;
  titleTerms: string[];
  entities: string[];
  shingles: string[];
}

export function parseTime(value: string | null | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** Everything that does not depend on the rest of the collection. */
export function analyze(article: ClusterArticle, config: ClusterConfig): AnalyzedArticle {
  const title = article.title ?? '';
  const text = (article.text ?? '').slice(0, config.maxTextChars);
  const titleTerms = contentTerms(title);
  const bodyTerms = contentTerms(text);
  const allTerms = [...titleTerms, ...bodyTerms];
  return {
    id: article.id,
    time: parseTime(article.publishedDateTime),
    counts: termCounts(allTerms),
    titleTerms: [...new Set(titleTerms)],
    entities: extractEntities(title, text),
    shingles: shingles(allTerms, config.shingleSize),
  };
}

/** Every distinct term and entity: what document frequencies count. */
export function distinctTerms(analyzed: AnalyzedArticle): string[] {
  return [...new Set([...analyzed.counts.keys(), ...analyzed.entities])];
}

const schemes = new Map<string, MinHashScheme>();
function schemeFor(config: ClusterConfig): MinHashScheme {
  const key = `${config.seed}/${config.bands}/${config.rows}`;
  let scheme = schemes.get(key);
  if (!scheme) {
    scheme = minHashScheme(config.seed, config.bands, config.rows);
    schemes.set(key, scheme);
  }
  return scheme;
}

/** The stored, capped features, given the document frequencies of `distinctTerms(analyzed)`. */
export function buildFeatures(
  analyzed: AnalyzedArticle,
  df: ReadonlyMap<string, number>,
  documentCount: number,
  config: ClusterConfig,
): ClusterFeatures {
  const weighted = [...analyzed.counts].map(([term, count]) => ({
    term,
    count,
    weight: (1 + Math.log(count)) * idf(df.get(term) ?? 0, documentCount),
  }));
  weighted.sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  // The first-named things are kept (title and lead name the story's protagonists, and a long
  // article's later names are asides), then ordered rarest first for the lookup keys.
  const entities = analyzed.entities
    .slice(0, config.maxEntities)
    .map((e, order) => ({ e, order, df: df.get(e) ?? 0 }))
    .sort((a, b) => a.df - b.df || a.order - b.order)
    .map((x) => x.e);
  return {
    v: 1,
    time: analyzed.time,
    terms: weighted.slice(0, config.maxTerms).map((w) => [w.term, w.count]),
    titleTerms: analyzed.titleTerms.slice(0, config.maxTitleTerms),
    entities,
  };
}

/** Lookup keys: LSH bands, then the rarest entities and the top terms (both already ordered so). */
export function lookupKeys(analyzed: AnalyzedArticle, features: ClusterFeatures, config: ClusterConfig): string[] {
  const scheme = schemeFor(config);
  const keys = bandKeys(minHashSignature(analyzed.shingles, scheme), scheme);
  for (const e of features.entities.slice(0, config.entityKeys)) keys.push('e:' + e);
  for (const [t] of features.terms.slice(0, config.termKeys)) keys.push('t:' + t);
  return keys;
}
