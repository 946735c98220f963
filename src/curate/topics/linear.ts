import { seededRandom } from '../../random.ts';
export { seededRandom };
// A small linear text learner: hashed word n-gram TF-IDF features and one-vs-rest L2-regularised
// logistic regression, trained by dual coordinate descent (Yu, Huang & Lin, "Dual coordinate descent
// methods for logistic regression and maximum entropy models", 2011). The dual is solved one example at
// a time, so training needs no learning rate and converges in a few passes; a seeded shuffle makes it
// deterministic. Used by the learned topic classifier and by the public topic benchmarks alike.

export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

export interface FeatureOptions {
  /** Features are hashed into 2^hashBits buckets. */
  hashBits: number;
  /** 1 = words, 2 = words and word pairs. */
  wordNgrams: number;
  /** Character n-grams of words (inclusive range), or null. Helps short texts share word stems. */
  charNgrams: [number, number] | null;
  /** Drop tokens seen in fewer documents than this when fitting IDF. */
  minDocumentFrequency: number;
}

export const defaultFeatureOptions: FeatureOptions = {
  hashBits: 20,
  wordNgrams: 2,
  charNgrams: null,
  minDocumentFrequency: 1,
};

const tokenPattern = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.toLowerCase().matchAll(tokenPattern)) {
    const token = match[0].replace(/['’]s$/, '');
    if (token.length >= 2 || /\d/.test(token)) tokens.push(token);
  }
  return tokens;
}

/** FNV-1a, 32 bits. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Raw term counts per bucket. `extraTokens` are whole features (e.g. `kw:computer-vision`) added as is. */
export function countFeatures(text: string, options: FeatureOptions, extraTokens: readonly string[] = []): Map<number, number> {
  const mask = (1 << options.hashBits) - 1;
  const counts = new Map<number, number>();
  const add = (feature: string) => {
    const bucket = hashString(feature) & mask;
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  };
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    add(tokens[i]!);
    if (options.wordNgrams >= 2 && i + 1 < tokens.length) add(`${tokens[i]} ${tokens[i + 1]}`);
    if (options.charNgrams) {
      const padded = `<${tokens[i]}>`;
      const [min, max] = options.charNgrams;
      for (let n = min; n <= max; n++) for (let s = 0; s + n <= padded.length; s++) add(`#${padded.slice(s, s + n)}`);
    }
  }
  for (const token of extraTokens) add(`\u0001${token}`);
  return counts;
}

/** Inverse document frequencies of the buckets seen in training; unseen buckets are dropped at use. */
export class TfIdf {
  readonly idf: Map<number, number>;
  readonly options: FeatureOptions;

  constructor(options: FeatureOptions, idf: Map<number, number>) {
    this.options = options;
    this.idf = idf;
  }

  static fit(counts: ReadonlyArray<Map<number, number>>, options: FeatureOptions): TfIdf {
    const df = new Map<number, number>();
    for (const doc of counts) for (const bucket of doc.keys()) df.set(bucket, (df.get(bucket) ?? 0) + 1);
    const n = counts.length;
    const idf = new Map<number, number>();
    for (const [bucket, frequency] of df) {
      if (frequency >= options.minDocumentFrequency) idf.set(bucket, Math.log((n + 1) / (frequency + 1)) + 1);
    }
    return new TfIdf(options, idf);
  }

  /**
   * Sublinear TF times IDF, L2-normalised, indices ascending. `extra` features (index, value) are
   * appended after normalisation, so that a few strong signals are not diluted by a long text; their
   * indices must lie above the hashed range.
   */
  vector(counts: Map<number, number>, extra: ReadonlyArray<readonly [number, number]> = []): SparseVector {
    const entries: Array<[number, number]> = [];
    let norm = 0;
    for (const [bucket, count] of counts) {
      const idf = this.idf.get(bucket);
      if (idf === undefined) continue;
      const value = (1 + Math.log(count)) * idf;
      entries.push([bucket, value]);
      norm += value * value;
    }
    entries.sort((a, b) => a[0] - b[0]);
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (const entry of entries) entry[1] *= scale;
    for (const [index, value] of extra) entries.push([index, value]);
    return {
      indices: Int32Array.from(entries, (e) => e[0]),
      values: Float64Array.from(entries, (e) => e[1]),
    };
  }
}

export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export interface LogisticOptions {
  /** Inverse regularisation strength. */
  C: number;
  /** Multiplier of C for positive examples (class weighting for rare labels). */
  positiveWeight: number;
  /** Value of the constant feature that carries the bias (regularised like any weight). */
  bias: number;
  maxEpochs: number;
  /** Stop when no dual gradient exceeds this. */
  tolerance: number;
  seed: number;
}

export const defaultLogisticOptions: LogisticOptions = {
  C: 10,
  positiveWeight: 1,
  bias: 1,
  // A dual gradient under 0.1 leaves the primal objective within about 0.01% of its optimum on R8
  // (measured on one class, 5 vs 60 passes); tighter only costs time.
  maxEpochs: 30,
  tolerance: 0.1,
  seed: 1,
};

export interface BinaryModel {
  /** Weights indexed by bucket; `bias` is the weight of the constant feature times its value. */
  weights: Float64Array;
  bias: number;
}

function sigmoid(u: number): number {
  return u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u));
}

function dot(weights: Float64Array, x: SparseVector): number {
  let sum = 0;
  for (let k = 0; k < x.indices.length; k++) sum += weights[x.indices[k]!]! * x.values[k]!;
  return sum;
}

/**
 * One binary L2-regularised logistic regression by dual coordinate descent. Each dual variable
 * alpha_i in (0, C_i) is kept as its logit u_i (alpha_i = C_i sigmoid(u_i)), which makes the one-variable
 * subproblem h(u) = a (C_i sigmoid(u) - alpha_i) + b + u = 0 monotone with slope at least 1, so its root is
 * within |h(u0)| of u0: Newton steps inside that bracket, bisection when a step leaves it.
 */
export function trainBinaryLogistic(
  examples: readonly SparseVector[],
  labels: ArrayLike<boolean>,
  dimension: number,
  options: LogisticOptions = defaultLogisticOptions,
  exampleWeights?: ArrayLike<number>,
): BinaryModel {
  const n = examples.length;
  const weights = new Float64Array(dimension);
  let biasWeight = 0;
  const biasSquared = options.bias * options.bias;
  const cost = new Float64Array(n);
  const logit = new Float64Array(n);
  const alpha = new Float64Array(n);
  const squaredNorm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    cost[i] = options.C * (labels[i] ? options.positiveWeight : 1) * (exampleWeights ? exampleWeights[i]! : 1);
    alpha[i] = Math.min(1e-3 * cost[i]!, 1e-8);
    logit[i] = Math.log(alpha[i]! / (cost[i]! - alpha[i]!));
    let s = biasSquared;
    const x = examples[i]!;
    for (let k = 0; k < x.values.length; k++) s += x.values[k]! * x.values[k]!;
    squaredNorm[i] = s;
    const signedAlpha = labels[i] ? alpha[i]! : -alpha[i]!;
    for (let k = 0; k < x.indices.length; k++) weights[x.indices[k]!]! += signedAlpha * x.values[k]!;
    biasWeight += signedAlpha * options.bias;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(options.seed);
  for (let epoch = 0; epoch < options.maxEpochs; epoch++) {
    shuffleInPlace(order, random);
    let largestGradient = 0;
    for (const i of order) {
      const x = examples[i]!;
      const y = labels[i] ? 1 : -1;
      const a = squaredNorm[i]!;
      const b = y * (dot(weights, x) + biasWeight * options.bias);
      const c = cost[i]!;
      const alphaOld = alpha[i]!;
      const h = (u: number) => a * (c * sigmoid(u) - alphaOld) + b + u;
      const u0 = logit[i]!;
      const h0 = h(u0);
      largestGradient = Math.max(largestGradient, Math.abs(h0));
      if (Math.abs(h0) < 1e-9) continue;
      let low = h0 > 0 ? u0 - h0 : u0;
      let high = h0 > 0 ? u0 : u0 - h0;
      let u = u0;
      let hu = h0;
      for (let step = 0; step < 30 && Math.abs(hu) > 1e-8; step++) {
        const s = sigmoid(u);
        let next = u - hu / (a * c * s * (1 - s) + 1);
        if (!(next > low && next < high)) next = (low + high) / 2;
        u = next;
        hu = h(u);
        if (hu > 0) high = u;
        else low = u;
      }
      const alphaNew = c * sigmoid(u);
      logit[i] = u;
      alpha[i] = alphaNew;
      const delta = y * (alphaNew - alphaOld);
      if (delta !== 0) {
        for (let k = 0; k < x.indices.length; k++) weights[x.indices[k]!]! += delta * x.values[k]!;
        biasWeight += delta * options.bias;
      }
    }
    if (largestGradient < options.tolerance) break;
  }
  return { weights, bias: biasWeight * options.bias };
}

export function decision(model: BinaryModel, x: SparseVector): number {
  return dot(model.weights, x) + model.bias;
}

export function probability(model: BinaryModel, x: SparseVector): number {
  return sigmoid(decision(model, x));
}

/** One-vs-rest models, one per class; single-label prediction is the argmax of the decision values. */
export function trainOneVsRest(
  examples: readonly SparseVector[],
  labelSets: ReadonlyArray<ReadonlySet<number>>,
  classCount: number,
  dimension: number,
  options: LogisticOptions = defaultLogisticOptions,
  exampleWeights?: ArrayLike<number>,
  onModel?: () => void,
): BinaryModel[] {
  const models: BinaryModel[] = [];
  for (let label = 0; label < classCount; label++) {
    const y = labelSets.map((set) => set.has(label));
    models.push(trainBinaryLogistic(examples, y, dimension, { ...options, seed: options.seed + label }, exampleWeights));
    onModel?.();
  }
  return models;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** A single-label text classifier built from the pieces above; the benchmarks use exactly this. */
export class LinearTextClassifier {
  constructor(
    readonly tfidf: TfIdf,
    readonly models: BinaryModel[],
    readonly classes: string[],
  ) {}

  static train(
    texts: readonly string[],
    labels: readonly string[],
    features: FeatureOptions = defaultFeatureOptions,
    logistic: LogisticOptions = defaultLogisticOptions,
  ): LinearTextClassifier {
    const classes = [...new Set(labels)].sort();
    const counts = texts.map((t) => countFeatures(t, features));
    const tfidf = TfIdf.fit(counts, features);
    const vectors = counts.map((c) => tfidf.vector(c));
    const labelSets = labels.map((l) => new Set([classes.indexOf(l)]));
    const models = trainOneVsRest(vectors, labelSets, classes.length, 1 << features.hashBits, logistic);
    return new LinearTextClassifier(tfidf, models, classes);
  }

  predict(text: string): string {
    const x = this.tfidf.vector(countFeatures(text, this.tfidf.options));
    return this.classes[argmax(this.models.map((m) => decision(m, x)))]!;
  }
}
