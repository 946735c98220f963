// The similarity of two articles: TF-IDF cosine of their top terms, IDF-weighted overlap of their named
// things and of their title terms, mixed by configured weights. A part that one side cannot provide (an
// empty title, no named things) drops out and the remaining weights are rescaled, so that a short
// item is judged on what it has rather than punished for what it lacks.
import type { ClusterFeatures } from '../types.ts';
import type { ClusterConfig, TimeDecay } from './config.ts';
import { idf } from './features.ts';

export type IdfLookup = (term: string) => number;

/**
 * IDF weights for comparisons. `df` must count the article being assigned. A term found in fewer than
 * `minDf` documents weighs nothing: a word only one of the two articles has cannot make them alike,
 * yet it would dilute their cosine (the common "df >= 2" pruning, applied as articles arrive).
 */
export function idfLookup(df: ReadonlyMap<string, number>, documentCount: number, minDf = 2): IdfLookup {
  // In a small collection almost every term outside the compared pair is unseen, and pruning would
  // leave only the shared terms (every pair alike): prune only once there is a collection to speak of.
  const prune = documentCount >= PRUNE_AFTER_DOCUMENTS;
  return (term) => {
    const f = df.get(term) ?? 0;
    return prune && f < minDf ? 0 : idf(f, documentCount);
  };
}

export const PRUNE_AFTER_DOCUMENTS = 200;

export interface SimilarityParts {
  text: number | null;
  entities: number | null;
  title: number | null;
  score: number;
}

function weightedTermVector(features: ClusterFeatures, idfOf: IdfLookup): Map<string, number> {
  const vector = new Map<string, number>();
  for (const [term, count] of features.terms) vector.set(term, (1 + Math.log(count)) * idfOf(term));
  return vector;
}

function norm(vector: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const v of vector.values()) sum += v * v;
  return Math.sqrt(sum);
}

/** Cosine of two weighted vectors with their norms; null when either has no entries (the part drops out). */
function cosine(a: ReadonlyMap<string, number>, na: number, b: ReadonlyMap<string, number>, nb: number): number | null {
  if (a.size === 0 || b.size === 0) return null;
  if (na === 0 || nb === 0) return 0;
  let dot = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const [k, v] of small) {
    const w = large.get(k);
    if (w !== undefined) dot += v * w;
  }
  return dot / (na * nb);
}

function binaryVector(items: readonly string[], idfOf: IdfLookup): Map<string, number> {
  const vector = new Map<string, number>();
  for (const item of items) vector.set(item, idfOf(item));
  return vector;
}

/** Prepared vectors of one article and their norms, so that comparing it with many candidates weighs it once. */
export interface PreparedFeatures {
  features: ClusterFeatures;
  text: Map<string, number>;
  entities: Map<string, number>;
  title: Map<string, number>;
  norms: { text: number; entities: number; title: number };
}

/** Vectors as given (a centroid, say) with their norms computed. */
export function withNorms(features: ClusterFeatures, text: Map<string, number>, entities: Map<string, number>, title: Map<string, number>): PreparedFeatures {
  return { features, text, entities, title, norms: { text: norm(text), entities: norm(entities), title: norm(title) } };
}

export function prepare(features: ClusterFeatures, idfOf: IdfLookup): PreparedFeatures {
  return withNorms(features, weightedTermVector(features, idfOf), binaryVector(features.entities, idfOf), binaryVector(features.titleTerms, idfOf));
}

export function similarity(a: PreparedFeatures, b: PreparedFeatures, config: ClusterConfig): SimilarityParts {
  const text = cosine(a.text, a.norms.text, b.text, b.norms.text);
  const entities = cosine(a.entities, a.norms.entities, b.entities, b.norms.entities);
  const title = cosine(a.title, a.norms.title, b.title, b.norms.title);
  let sum = 0;
  let weight = 0;
  if (text !== null) {
    sum += config.weights.text * text;
    weight += config.weights.text;
  }
  if (entities !== null) {
    sum += config.weights.entities * entities;
    weight += config.weights.entities;
  }
  if (title !== null) {
    sum += config.weights.title * title;
    weight += config.weights.title;
  }
  return { text, entities, title, score: weight === 0 ? 0 : sum / weight };
}

/** True when both times are known and further apart than the window. */
export function outsideWindow(a: number | null, b: number | null, windowDays: number): boolean {
  if (a === null || b === null) return false;
  return Math.abs(a - b) > windowDays * 86_400_000;
}

/**
 * How much two publication times leave of a link: reports of one event come within a day or two of
 * each other, a follow-up a week later is less likely the same story, and nothing further apart is.
 * Undated articles are compared as if they were close.
 */
export function timeWeight(a: number | null, b: number | null, decay: TimeDecay): number {
  if (a === null || b === null) return 1;
  const days = Math.abs(a - b) / 86_400_000;
  if (days > decay.windowDays) return 0;
  if (days <= decay.fullDays) return 1;
  return Math.exp(-(days - decay.fullDays) / decay.decayDays);
}

/**
 * The same vectors as sorted arrays of interned term numbers, for comparing many pairs of one region:
 * a merge of two short sorted arrays instead of a hash lookup per term (the consolidation weighs tens
 * of thousands of pairs a pass). `similarity` and `compactSimilarity` give the same scores.
 */
export interface CompactVector {
  ids: Int32Array;
  weights: Float64Array;
  norm: number;
}

export interface CompactFeatures {
  text: CompactVector;
  entities: CompactVector;
  title: CompactVector;
  titleTerms: number;
}

function compactVector(vector: ReadonlyMap<string, number>, norm: number, intern: (term: string) => number): CompactVector {
  const entries = [...vector].map(([term, weight]) => [intern(term), weight] as const).sort((a, b) => a[0] - b[0]);
  return { ids: Int32Array.from(entries, (e) => e[0]), weights: Float64Array.from(entries, (e) => e[1]), norm };
}

export function compact(prepared: PreparedFeatures, intern: (term: string) => number): CompactFeatures {
  return {
    text: compactVector(prepared.text, prepared.norms.text, intern),
    entities: compactVector(prepared.entities, prepared.norms.entities, intern),
    title: compactVector(prepared.title, prepared.norms.title, intern),
    titleTerms: prepared.features.titleTerms.length,
  };
}

function compactCosine(a: CompactVector, b: CompactVector): number | null {
  if (a.ids.length === 0 || b.ids.length === 0) return null;
  if (a.norm === 0 || b.norm === 0) return 0;
  let dot = 0;
  let i = 0;
  let j = 0;
  const ai = a.ids;
  const bi = b.ids;
  while (i < ai.length && j < bi.length) {
    const x = ai[i]!;
    const y = bi[j]!;
    if (x === y) {
      dot += a.weights[i++]! * b.weights[j++]!;
    } else if (x < y) i++;
    else j++;
  }
  return dot / (a.norm * b.norm);
}

export function compactSimilarity(a: CompactFeatures, b: CompactFeatures, config: ClusterConfig): SimilarityParts {
  const text = compactCosine(a.text, b.text);
  const entities = compactCosine(a.entities, b.entities);
  const title = compactCosine(a.title, b.title);
  let sum = 0;
  let weight = 0;
  if (text !== null) {
    sum += config.weights.text * text;
    weight += config.weights.text;
  }
  if (entities !== null) {
    sum += config.weights.entities * entities;
    weight += config.weights.entities;
  }
  if (title !== null) {
    sum += config.weights.title * title;
    weight += config.weights.title;
  }
  return { text, entities, title, score: weight === 0 ? 0 : sum / weight };
}
