// From an article to what the clusterer compares and stores: the terms of its title and lead, title
// terms, named things, a time, and the lookup keys (MinHash bands over shingles plus rare entity and
// term keys).
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
  // The headline states the event; its terms count more than the body's (the same words again).
  const weighted = [...Array.from({ length: Math.max(0, config.titleWeight - 1) }, () => titleTerms).flat(), ...allTerms];
  return {
    id: article.id,
    time: parseTime(article.publishedDateTime),
    counts: termCounts(weighted),
    titleTerms: [...new Set(titleTerms)],
    entities: extractEntities(title, text),
    shingles: shingles(allTerms, config.shingleSize),
  };
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

/**
 * The stored features: every content term of the title and the lead (title first, then in order of
 * appearance, capped), the title's terms and the first named things. Nothing here depends on the rest
 * of the collection, so an article's features are the same whenever and wherever it is curated, and
 * the document frequencies are a plain count of what is stored (an article removed takes its counts
 * with it).
 */
export function buildFeatures(analyzed: AnalyzedArticle, config: ClusterConfig): ClusterFeatures {
  return {
    v: 2,
    time: analyzed.time,
    terms: [...analyzed.counts].slice(0, config.maxTerms),
    titleTerms: analyzed.titleTerms.slice(0, config.maxTitleTerms),
    entities: analyzed.entities.slice(0, config.maxEntities),
  };
}

/** What the document frequencies count of an article: its stored terms and named things, each once. */
export function documentTerms(features: ClusterFeatures): string[] {
  const out = new Set<string>();
  for (const [term] of features.terms) out.add(term);
  for (const e of features.entities) out.add(e);
  return [...out];
}

/**
 * Lookup keys: LSH bands over the shingles, then the rarest named things and the terms of highest
 * TF-IDF (by the document frequencies known now: keys only decide which candidates are read).
 */
export function lookupKeys(analyzed: AnalyzedArticle, features: ClusterFeatures, df: ReadonlyMap<string, number>, documentCount: number, config: ClusterConfig): string[] {
  const scheme = schemeFor(config);
  const keys = bandKeys(minHashSignature(analyzed.shingles, scheme), scheme);
  const entities = features.entities
    .map((e, order) => ({ e, order, df: df.get(e) ?? 0 }))
    .sort((a, b) => a.df - b.df || a.order - b.order);
  for (const { e } of entities.slice(0, config.entityKeys)) keys.push('e:' + e);
  const terms = features.terms
    .map(([term, count], order) => ({ term, order, weight: (1 + Math.log(count)) * idf(df.get(term) ?? 0, documentCount) }))
    .sort((a, b) => b.weight - a.weight || a.order - b.order);
  for (const { term } of terms.slice(0, config.termKeys)) keys.push('t:' + term);
  return keys;
}
