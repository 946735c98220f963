// The default topic classifier: a multi-label linear model (hashed word and character n-gram TF-IDF,
// plus per topic one feature for a match of its reference keywords, one for a match of its cues and one
// for a cue in the title, one-vs-rest logistic regression; see linear.ts). Company topics are not the model's: the subject rule
// gives them (subject.ts); a topic implies its parent. It ships trained for the AI taxonomy
// (models/ai-topics.json) and keeps its training examples in the model file, so that editors'
// corrections can be added and the model retrained anywhere.
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { newsdeskError } from '../../errors.ts';
import type { ClassifierInput, Taxonomy, TopicClassifier } from '../types.ts';
import { classifierText, inTaxonomyOrder, keywordMatchers, keywordPattern } from './keywords.ts';
import { subjectRule } from './subject.ts';
import { ancestorsOf } from './taxonomy.ts';
import {
  countFeatures,
  defaultLogisticOptions,
  seededRandom,
  shuffleInPlace,
  TfIdf,
  trainOneVsRest,
  type BinaryModel,
  type FeatureOptions,
  type LogisticOptions,
} from './linear.ts';

/** A labeled article: what training data and editors' corrections look like. */
export interface TopicExample {
  title: string;
  excerpt?: string;
  text?: string;
  /** Topic names; the root may be included or not, it is ignored. */
  topics: string[];
}

export interface TopicTrainingOptions {
  features: FeatureOptions;
  logistic: LogisticOptions;
  /** Probability above which a topic is given; null = chosen by inner cross-validation. */
  threshold: number | null;
  /** Add one example per topic built from its name, description and keywords. */
  taxonomySeeds: boolean;
  /** How much a taxonomy seed example counts. */
  seedWeight: number;
  /** How much more a correction counts than an ordinary example. */
  correctionWeight: number;
  /** Characters of article text used beyond title and excerpt (the model is trained on short texts). */
  textChars: number;
  /** Value of the per-topic keyword-match feature (0 = no keyword features). */
  keywordFeature: number;
  /** Keyword features also match plurals, possessives and hyphenated forms (see keywords.ts). */
  keywordInflections: boolean;
  /** Value of the per-topic cue feature (0 = none; see `TopicSignals`). */
  cueFeature: number;
  /** Value of a second per-topic cue feature, for a cue in the title (0 = none). */
  titleCueFeature: number;
}

export const defaultTopicTrainingOptions: TopicTrainingOptions = {
  features: { hashBits: 18, wordNgrams: 2, charNgrams: [3, 5], minDocumentFrequency: 1 },
  logistic: { ...defaultLogisticOptions, C: 10, positiveWeight: 2 },
  threshold: null,
  taxonomySeeds: true,
  seedWeight: 3,
  correctionWeight: 3,
  textChars: 1500,
  keywordFeature: 1,
  keywordInflections: true,
  cueFeature: 1,
  titleCueFeature: 1,
};

const featureOptionsSchema = z.object({
  hashBits: z.number().int().min(8).max(24),
  wordNgrams: z.number().int().min(1).max(2),
  charNgrams: z.tuple([z.number().int().positive(), z.number().int().positive()]).nullable(),
  minDocumentFrequency: z.number().int().min(1),
});

const exampleSchema = z.object({
  title: z.string(),
  excerpt: z.string().optional(),
  text: z.string().optional(),
  topics: z.array(z.string()),
});

export const topicModelFileSchema = z.object({
  format: z.literal('newsdesk-topic-model'),
  version: z.literal(1),
  root: z.string(),
  topics: z.array(z.string()),
  features: featureOptionsSchema,
  options: z.object({
    C: z.number().positive(),
    positiveWeight: z.number().positive(),
    bias: z.number(),
    maxEpochs: z.number().int().positive(),
    tolerance: z.number().positive(),
    seed: z.number().int(),
    taxonomySeeds: z.boolean(),
    seedWeight: z.number().positive(),
    correctionWeight: z.number().positive(),
    textChars: z.number().int().min(0),
    keywordFeature: z.number().min(0),
    keywordInflections: z.boolean(),
    cueFeature: z.number().min(0).default(0),
    titleCueFeature: z.number().min(0).default(0),
  }),
  threshold: z.number().min(0).max(1),
  /** Buckets seen in training, ascending, as differences from the previous one. */
  bucketDeltas: z.array(z.number().int().positive()),
  /** Float32 IDF per bucket, base64. */
  idf: z.string(),
  /** Per topic: int16 weights over the buckets then the keyword features, base64, times `scale`. */
  weights: z.array(z.object({ bias: z.number(), scale: z.number(), values: z.string() })),
  examples: z.array(exampleSchema),
  corrections: z.array(exampleSchema),
});

export type TopicModelFile = z.infer<typeof topicModelFileSchema>;

/** The trained state: what `classify` needs. */
export interface TopicModel {
  root: string;
  topics: string[];
  tfidf: TfIdf;
  weights: TopicWeights;
  threshold: number;
  options: TopicTrainingOptions;
  examples: TopicExample[];
  corrections: TopicExample[];
}

function inputOf(example: TopicExample | ClassifierInput, textChars: number): ClassifierInput {
  return { title: example.title, excerpt: example.excerpt ?? '', text: (example.text ?? '').slice(0, textChars) };
}

type FeatureSettings = Pick<TopicTrainingOptions, 'features' | 'keywordFeature' | 'keywordInflections' | 'cueFeature' | 'titleCueFeature'>;

/**
 * Per-topic signals beside the hashed text: whether the topic's reference keywords match, whether one of
 * its cues does (its keywords and taxonomy `cues`), and whether one does in the title (a title names what
 * an item is about; a cue further down is more often an aside). A cue feature is shared by all of a
 * topic's cues, so what the model learns from the cues it saw carries over to the ones it did not, and a
 * keyword an editor adds to the taxonomy counts at once.
 */
interface TopicSignals {
  settings: FeatureSettings;
  keywords: Array<RegExp | null>;
  cues: Array<RegExp | null>;
}

function topicSignals(taxonomy: Taxonomy, settings: FeatureSettings): TopicSignals {
  return {
    settings,
    keywords: keywordMatchers(taxonomy, { inflections: settings.keywordInflections }).map((m) => m.pattern),
    cues: taxonomy.topics.map((t) => keywordPattern([...t.keywords, ...(t.cues ?? [])], { inflections: true })),
  };
}

/** Hashed text features, and the per-topic signal features (indices above the hash range). */
interface ArticleFeatures {
  counts: Map<number, number>;
  signals: Array<readonly [number, number]>;
}

function articleFeatures(input: ClassifierInput, signals: TopicSignals): ArticleFeatures {
  const { features, keywordFeature, cueFeature, titleCueFeature } = signals.settings;
  const text = classifierText(input);
  const base = 1 << features.hashBits;
  const topicCount = signals.keywords.length;
  const hits: Array<readonly [number, number]> = [];
  if (keywordFeature > 0) signals.keywords.forEach((pattern, i) => pattern?.test(text) && hits.push([base + i, keywordFeature]));
  if (cueFeature > 0) signals.cues.forEach((pattern, i) => pattern?.test(text) && hits.push([base + topicCount + i, cueFeature]));
  if (titleCueFeature > 0) signals.cues.forEach((pattern, i) => pattern?.test(input.title) && hits.push([base + 2 * topicCount + i, titleCueFeature]));
  return { counts: countFeatures(text, features), signals: hits };
}

/** Hash buckets, then one keyword feature per topic, then (when on) one cue feature per topic, then one title-cue feature per topic. */
function dimensionOf(settings: Pick<FeatureSettings, 'features' | 'cueFeature' | 'titleCueFeature'>, topicCount: number): number {
  const groups = settings.titleCueFeature > 0 ? 3 : settings.cueFeature > 0 ? 2 : 1;
  return (1 << settings.features.hashBits) + topicCount * groups;
}

function seedExamples(taxonomy: Taxonomy): TopicExample[] {
  return taxonomy.topics.map((topic) => ({
    title: topic.name,
    excerpt: [topic.description ?? '', ...topic.keywords].join('. '),
    topics: [topic.name],
  }));
}

function sameArticle(a: TopicExample, b: TopicExample): boolean {
  return a.title.trim().toLowerCase() === b.title.trim().toLowerCase();
}

interface Prepared {
  counts: ArticleFeatures[];
  labelSets: Set<number>[];
  weights: number[];
}

function prepare(taxonomy: Taxonomy, examples: TopicExample[], corrections: TopicExample[], options: TopicTrainingOptions): Prepared {
  const names = taxonomy.topics.map((t) => t.name);
  const signals = topicSignals(taxonomy, options);
  // A correction replaces what the training data said about the same article.
  const kept = examples.filter((e) => !corrections.some((c) => sameArticle(c, e)));
  const all: Array<[TopicExample, number]> = [
    ...kept.map((e): [TopicExample, number] => [e, 1]),
    ...(options.taxonomySeeds ? seedExamples(taxonomy) : []).map((e): [TopicExample, number] => [e, options.seedWeight]),
    ...corrections.map((e): [TopicExample, number] => [e, options.correctionWeight]),
  ];
  return {
    counts: all.map(([e]) => articleFeatures(inputOf(e, options.textChars), signals)),
    labelSets: all.map(([e]) => new Set(e.topics.map((t) => names.indexOf(t)).filter((i) => i >= 0))),
    weights: all.map(([, w]) => w),
  };
}

function fit(prepared: Prepared, classCount: number, options: TopicTrainingOptions, onModel?: () => void): { tfidf: TfIdf; models: BinaryModel[] } {
  const tfidf = TfIdf.fit(prepared.counts.map((c) => c.counts), options.features);
  const vectors = prepared.counts.map((c) => tfidf.vector(c.counts, c.signals));
  const dimension = dimensionOf(options, classCount);
  const models = trainOneVsRest(vectors, prepared.labelSets, classCount, dimension, options.logistic, prepared.weights, onModel);
  return { tfidf, models };
}

/**
 * Every topic's weights over only the features the model knows (its IDF buckets, then the signal
 * features), feature by feature. Training works on dense vectors over the whole hash range, 2^hashBits
 * doubles per topic (44 MB for the shipped model's 21 topics, held by every process that classifies),
 * of which a few percent are ever non-zero: the rest are buckets no training text hashed into, which
 * the IDF leaves out of every vector, so they never count.
 */
export interface TopicWeights {
  /** Row of a feature index in `values`, -1 for a feature the model does not know. */
  rows: Int32Array;
  /** `values[row * topics + topic]`. */
  values: Float64Array;
  /** Per topic. */
  bias: Float64Array;
}

function compactWeights(tfidf: TfIdf, models: BinaryModel[], dimension: number): TopicWeights {
  const indices = storedIndices(tfidf, dimension);
  const topics = models.length;
  const rows = new Int32Array(dimension).fill(-1);
  const values = new Float64Array(indices.length * topics);
  indices.forEach((index, row) => {
    rows[index] = row;
    for (let t = 0; t < topics; t++) values[row * topics + t] = models[t]!.weights[index]!;
  });
  return { rows, values, bias: Float64Array.from(models, (m) => m.bias) };
}

function probabilities(tfidf: TfIdf, weights: TopicWeights, features: ArticleFeatures): number[] {
  const x = tfidf.vector(features.counts, features.signals);
  const topics = weights.bias.length;
  const sums = new Float64Array(topics);
  // Summed in the order of the vector's indices, as a dense dot product would: the same decisions.
  for (let k = 0; k < x.indices.length; k++) {
    const row = weights.rows[x.indices[k]!]!;
    if (row < 0) continue;
    const value = x.values[k]!;
    for (let t = 0, at = row * topics; t < topics; t++, at++) sums[t] += weights.values[at]! * value;
  }
  return Array.from(sums, (sum, t) => 1 / (1 + Math.exp(-(sum + weights.bias[t]!))));
}

const THRESHOLD_FOLDS = 3;
const thresholdCandidates = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7];

/**
 * Picks the probability threshold with the best micro F1 over an inner k-fold split of the training data.
 * (A threshold per topic, chosen the same way, was tried and scored lower: too few positives per topic.)
 */
function chooseThreshold(prepared: Prepared, classCount: number, options: TopicTrainingOptions, folds = THRESHOLD_FOLDS, onModel?: () => void): number {
  const n = prepared.counts.length;
  if (n < folds * 4) return 0.5;
  const order = shuffleInPlace(Array.from({ length: n }, (_, i) => i), seededRandom(options.logistic.seed + 7919));
  const tally = thresholdCandidates.map(() => ({ tp: 0, fp: 0, fn: 0 }));
  for (let fold = 0; fold < folds; fold++) {
    const test = order.filter((_, k) => k % folds === fold);
    const train = order.filter((_, k) => k % folds !== fold);
    const sub: Prepared = {
      counts: train.map((i) => prepared.counts[i]!),
      labelSets: train.map((i) => prepared.labelSets[i]!),
      weights: train.map((i) => prepared.weights[i]!),
    };
    const { tfidf, models } = fit(sub, classCount, options, onModel);
    const weights = compactWeights(tfidf, models, dimensionOf(options, classCount));
    for (const i of test) {
      const p = probabilities(tfidf, weights, prepared.counts[i]!);
      thresholdCandidates.forEach((threshold, c) => {
        for (let label = 0; label < classCount; label++) {
          const predicted = p[label]! >= threshold;
          const actual = prepared.labelSets[i]!.has(label);
          if (predicted && actual) tally[c]!.tp++;
          else if (predicted) tally[c]!.fp++;
          else if (actual) tally[c]!.fn++;
        }
      });
    }
  }
  let best = 0.5;
  let bestF1 = -1;
  tally.forEach((t, c) => {
    const f1 = (2 * t.tp) / Math.max(1, 2 * t.tp + t.fp + t.fn);
    if (f1 > bestF1) {
      bestF1 = f1;
      best = thresholdCandidates[c]!;
    }
  });
  return best;
}

export function trainTopicModel(
  taxonomy: Taxonomy,
  examples: TopicExample[],
  corrections: TopicExample[] = [],
  options: TopicTrainingOptions = defaultTopicTrainingOptions,
  onProgress?: (done: number, total: number) => void,
): TopicModel {
  const classCount = taxonomy.topics.length;
  const prepared = prepare(taxonomy, examples, corrections, options);
  // Progress counts binary models fitted: one per topic for each inner fold, then one per topic for the model.
  const folds = options.threshold === null && prepared.counts.length >= THRESHOLD_FOLDS * 4 ? THRESHOLD_FOLDS : 0;
  const total = (folds + 1) * classCount;
  let done = 0;
  const onModel = onProgress ? () => onProgress(++done, total) : undefined;
  onProgress?.(0, total);
  const threshold = options.threshold ?? chooseThreshold(prepared, classCount, options, THRESHOLD_FOLDS, onModel);
  const { tfidf, models } = fit(prepared, classCount, options, onModel);
  const dimension = dimensionOf(options, classCount);
  roundToStoredPrecision(tfidf, models, dimension);
  return {
    root: taxonomy.root.name,
    topics: taxonomy.topics.map((t) => t.name),
    tfidf,
    weights: compactWeights(tfidf, models, dimension),
    threshold,
    options,
    examples: [...examples],
    corrections: [...corrections],
  };
}

/** Topic probabilities (root excluded), in taxonomy order. */
export function topicScores(model: TopicModel, taxonomy: Taxonomy, input: ClassifierInput): Array<{ topic: string; probability: number }> {
  const counts = articleFeatures(inputOf(input, model.options.textChars), topicSignals(taxonomy, model.options));
  return probabilities(model.tfidf, model.weights, counts).map((probability, i) => ({ topic: model.topics[i]!, probability }));
}

/**
 * The stored form keeps the file small (a few MB): IDF as float32 and weights as int16 with one scale per
 * topic. Training rounds the model to that grid itself (`roundToStoredPrecision`), so a saved and
 * reloaded model classifies exactly like the one in memory.
 */
function roundToStoredPrecision(tfidf: TfIdf, models: BinaryModel[], dimension: number): void {
  for (const [bucket, value] of tfidf.idf) tfidf.idf.set(bucket, Math.fround(value));
  const used = storedIndices(tfidf, dimension);
  for (const model of models) {
    const scale = weightScale(model.weights, used);
    for (const index of used) model.weights[index] = scale === 0 ? 0 : Math.round(model.weights[index]! / scale) * scale;
  }
}

function storedIndices(tfidf: TfIdf, dimension: number): number[] {
  const hashed = [...tfidf.idf.keys()].sort((a, b) => a - b);
  const keywordIndices: number[] = [];
  for (let i = 1 << tfidf.options.hashBits; i < dimension; i++) keywordIndices.push(i);
  return [...hashed, ...keywordIndices];
}

function weightScale(weights: ArrayLike<number>, indices?: readonly number[]): number {
  let largest = 0;
  if (indices) for (const index of indices) largest = Math.max(largest, Math.abs(weights[index]!));
  else for (let i = 0; i < weights.length; i++) largest = Math.max(largest, Math.abs(weights[i]!));
  return largest / 32767;
}

const toBase64 = (array: Float32Array | Int16Array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');

export function serializeTopicModel(model: TopicModel): TopicModelFile {
  const { features, logistic } = model.options;
  const dimension = dimensionOf(model.options, model.topics.length);
  const hashed = [...model.tfidf.idf.keys()].sort((a, b) => a - b);
  const { rows, values, bias } = model.weights;
  const topics = bias.length;
  // The rows are the stored indices in order (compactWeights): row i is what the file's i-th value is.
  const stored = storedIndices(model.tfidf, dimension).length;
  if (rows.length !== dimension || values.length !== stored * topics) throw new Error('the model\'s weights do not match its features');
  return {
    format: 'newsdesk-topic-model',
    version: 1,
    root: model.root,
    topics: model.topics,
    features,
    options: {
      C: logistic.C,
      positiveWeight: logistic.positiveWeight,
      bias: logistic.bias,
      maxEpochs: logistic.maxEpochs,
      tolerance: logistic.tolerance,
      seed: logistic.seed,
      taxonomySeeds: model.options.taxonomySeeds,
      seedWeight: model.options.seedWeight,
      correctionWeight: model.options.correctionWeight,
      textChars: model.options.textChars,
      keywordFeature: model.options.keywordFeature,
      keywordInflections: model.options.keywordInflections,
      cueFeature: model.options.cueFeature,
      titleCueFeature: model.options.titleCueFeature,
    },
    threshold: model.threshold,
    bucketDeltas: hashed.map((bucket, i) => bucket - (i === 0 ? -1 : hashed[i - 1]!)),
    idf: toBase64(Float32Array.from(hashed, (bucket) => model.tfidf.idf.get(bucket)!)),
    weights: Array.from(bias, (topicBias, t) => {
      const column = Float64Array.from({ length: stored }, (_, row) => values[row * topics + t]!);
      const scale = weightScale(column);
      return { bias: topicBias, scale, values: toBase64(Int16Array.from(column, (v) => (scale === 0 ? 0 : Math.round(v / scale)))) };
    }),
    examples: model.examples,
    corrections: model.corrections,
  };
}

export function deserializeTopicModel(file: TopicModelFile): TopicModel {
  const dimension = dimensionOf({ features: file.features, cueFeature: file.options.cueFeature, titleCueFeature: file.options.titleCueFeature }, file.topics.length);
  const buckets: number[] = [];
  let previous = -1;
  for (const delta of file.bucketDeltas) buckets.push((previous += delta));
  const idfBytes = Buffer.from(file.idf, 'base64');
  const idfValues = new Float32Array(idfBytes.buffer.slice(idfBytes.byteOffset, idfBytes.byteOffset + idfBytes.byteLength));
  if (idfValues.length !== buckets.length || buckets.some((b) => b >= 1 << file.features.hashBits)) {
    throw newsdeskError('ND_MODEL_INVALID', { file: '(model)', reason: 'IDF table does not match the bucket list' });
  }
  const idf = new Map<number, number>();
  buckets.forEach((bucket, i) => idf.set(bucket, idfValues[i]!));
  const tfidf = new TfIdf(file.features, idf);
  const indices = storedIndices(tfidf, dimension);
  if (file.weights.length !== file.topics.length) throw newsdeskError('ND_MODEL_INVALID', { file: '(model)', reason: 'one weight table per topic expected' });
  const topics = file.weights.length;
  const rows = new Int32Array(dimension).fill(-1);
  indices.forEach((index, row) => {
    rows[index] = row;
  });
  const values = new Float64Array(indices.length * topics);
  file.weights.forEach((w, t) => {
    const bytes = Buffer.from(w.values, 'base64');
    const stored = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    if (stored.length !== indices.length) throw newsdeskError('ND_MODEL_INVALID', { file: '(model)', reason: 'weight table has the wrong length' });
    for (let row = 0; row < stored.length; row++) values[row * topics + t] = stored[row]! * w.scale;
  });
  const weights: TopicWeights = { rows, values, bias: Float64Array.from(file.weights, (w) => w.bias) };
  const { taxonomySeeds, seedWeight, correctionWeight, textChars, keywordFeature, keywordInflections, cueFeature, titleCueFeature, ...logistic } = file.options;
  return {
    root: file.root,
    topics: file.topics,
    tfidf,
    weights,
    threshold: file.threshold,
    options: {
      features: file.features,
      logistic,
      threshold: file.threshold,
      taxonomySeeds,
      seedWeight,
      correctionWeight,
      textChars,
      keywordFeature,
      keywordInflections,
      cueFeature,
      titleCueFeature,
    },
    examples: file.examples,
    corrections: file.corrections,
  };
}

export function saveTopicModel(model: TopicModel, file: string): void {
  writeFileSync(file, `${JSON.stringify(serializeTopicModel(model))}\n`);
}

export function loadTopicModel(file: string): TopicModel {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw newsdeskError('ND_MODEL_INVALID', { file, reason: (err as Error).message }, err);
  }
  const parsed = topicModelFileSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw newsdeskError('ND_MODEL_INVALID', { file, reason: `${issue.path.join('.')}: ${issue.message}` });
  }
  try {
    return deserializeTopicModel(parsed.data);
  } catch (err) {
    throw newsdeskError('ND_MODEL_INVALID', { file, reason: (err as Error).message }, err);
  }
}

/** The shipped model for the default taxonomy. */
export const defaultTopicModelFile = new URL('../../../models/ai-topics.json', import.meta.url).pathname;

/** Why a topic was given: the model's probability at or over the threshold, the subject rule, or a child topic. */
export type TopicReason =
  | { topic: string; by: 'model'; probability: number; threshold: number }
  | { topic: string; by: 'subject'; name: string; place: 'title' | 'first sentence' }
  | { topic: string; by: 'child'; child: string };

export interface LearnedTopicClassifier extends TopicClassifier {
  readonly model: TopicModel;
  /** The topics `classify` gives (root first), each non-root one with its reason. */
  explain(input: ClassifierInput): { topics: string[]; reasons: TopicReason[] };
  /** Records an editor's topics for an article and retrains; later classifications reflect it. */
  addCorrection(article: ClassifierInput, topics: string[]): void;
  /** Adds many corrections (e.g. loaded from the store) with one retraining. */
  addCorrections(corrections: TopicExample[]): void;
  scores(input: ClassifierInput): Array<{ topic: string; probability: number }>;
}

/** A child topic implies its parents (up to, not including, the root): one reason per parent not given already. */
function ancestorReasons(taxonomy: Taxonomy, given: string[]): TopicReason[] {
  const have = new Set(given);
  const added: TopicReason[] = [];
  for (const child of given) {
    for (const parent of ancestorsOf(taxonomy, child)) {
      if (parent.id === taxonomy.root.id || have.has(parent.name)) continue;
      have.add(parent.name);
      added.push({ topic: parent.name, by: 'child', child });
    }
  }
  return added;
}

/**
 * A classifier over a trained model. The model's topics must be the taxonomy's (same names, same
 * order); a model trained for another taxonomy is refused.
 */
export function createLearnedClassifier(taxonomy: Taxonomy, model: TopicModel): LearnedTopicClassifier {
  const names = taxonomy.topics.map((t) => t.name);
  if (model.root !== taxonomy.root.name || model.topics.join('\n') !== names.join('\n')) {
    throw newsdeskError('ND_MODEL_INVALID', {
      file: '(model)',
      reason: 'the model was trained for another taxonomy; retrain it with `newsdesk topics train`',
    });
  }
  let current = model;
  const signals = topicSignals(taxonomy, model.options);
  const subjects = subjectRule(taxonomy);
  const bySubject = new Set(subjects.topics.map((t) => t.name));
  const retrain = (extra: TopicExample[]) => {
    const corrections = [...current.corrections.filter((c) => !extra.some((e) => sameArticle(e, c))), ...extra];
    current = trainTopicModel(taxonomy, current.examples, corrections, { ...current.options, threshold: current.threshold });
  };
  const explain = (input: ClassifierInput) => {
    const counts = articleFeatures(inputOf(input, current.options.textChars), signals);
    const p = probabilities(current.tfidf, current.weights, counts);
    const reasons: TopicReason[] = [];
    names.forEach((topic, i) => {
      if (!bySubject.has(topic) && p[i]! >= current.threshold) reasons.push({ topic, by: 'model', probability: p[i]!, threshold: current.threshold });
    });
    for (const m of subjects.matches(input)) reasons.push({ topic: m.topic, by: 'subject', name: m.name, place: m.place });
    reasons.push(...ancestorReasons(taxonomy, reasons.map((r) => r.topic)));
    const topics = inTaxonomyOrder(taxonomy, [taxonomy.root.name, ...reasons.map((r) => r.topic)]);
    return { topics, reasons: topics.slice(1).map((t) => reasons.find((r) => r.topic === t)!) };
  };
  return {
    name: 'learned',
    get model() {
      return current;
    },
    classify(input: ClassifierInput): string[] {
      return explain(input).topics;
    },
    explain,
    scores(input: ClassifierInput) {
      return topicScores(current, taxonomy, input);
    },
    addCorrection(article: ClassifierInput, topics: string[]) {
      retrain([{ title: article.title, excerpt: article.excerpt, text: article.text, topics }]);
    },
    addCorrections(corrections: TopicExample[]) {
      retrain(corrections);
    },
  };
}

export function readExamplesJsonl(file: string): TopicExample[] {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim().length > 0);
  return lines.map((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw newsdeskError('ND_BAD_REQUEST', { reason: `${file} line ${i + 1} is not JSON: ${(err as Error).message}` });
    }
    const parsed = exampleSchema.safeParse(value);
    if (!parsed.success) throw newsdeskError('ND_BAD_REQUEST', { reason: `${file} line ${i + 1}: ${parsed.error.issues[0]!.message}` });
    return parsed.data;
  });
}
