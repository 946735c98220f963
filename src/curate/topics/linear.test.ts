import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  countFeatures,
  decision,
  defaultLogisticOptions,
  hashString,
  LinearTextClassifier,
  probability,
  seededRandom,
  TfIdf,
  tokenize,
  trainBinaryLogistic,
  type SparseVector,
} from './linear.ts';

const tokenCases: Array<[string, string[]]> = [
  ['Facial-recognition software, IBM says.', ['facial', 'recognition', 'software', 'ibm', 'says']],
  ["Google's AI and the U.S. 5G rollout", ['google', 'ai', 'and', 'the', '5g', 'rollout']],
  ['Ünïcode wörds 3 x', ['ünïcode', 'wörds', '3']],
];
for (const [text, tokens] of tokenCases) {
  test(`tokenize: ${text}`, () => assert.deepEqual(tokenize(text), tokens));
}

test('hashing is stable (FNV-1a) and features count words, pairs and keyword extras', () => {
  assert.equal(hashString(''), 0x811c9dc5);
  assert.equal(hashString('a'), 0xe40c292c);
  const counts = countFeatures('robot robot arm', { hashBits: 16, wordNgrams: 2, charNgrams: null, minDocumentFrequency: 1 });
  assert.equal([...counts.values()].reduce((a, b) => a + b, 0), 5); // robot x2, arm, "robot robot", "robot arm"
});

test('TF-IDF vectors are L2-normalised, drop unseen buckets and append extras unnormalised', () => {
  const options = { hashBits: 12, wordNgrams: 1, charNgrams: null, minDocumentFrequency: 1 };
  const docs = ['cat sat', 'dog sat', 'cat ran'].map((t) => countFeatures(t, options));
  const tfidf = TfIdf.fit(docs, options);
  const v = tfidf.vector(countFeatures('cat sat zebra', options), [[5000, 2]]);
  const norm = Math.sqrt(v.values.slice(0, -1).reduce((s, x) => s + x * x, 0));
  assert.ok(Math.abs(norm - 1) < 1e-12);
  assert.equal(v.indices.length, 3); // cat, sat, the extra; zebra unseen
  assert.equal(v.values[v.values.length - 1], 2);
});

function vector(pairs: Array<[number, number]>): SparseVector {
  return { indices: Int32Array.from(pairs, (p) => p[0]), values: Float64Array.from(pairs, (p) => p[1]) };
}

test('logistic regression separates separable data and gives calibrated-looking probabilities', () => {
  const random = seededRandom(3);
  const examples: SparseVector[] = [];
  const labels: boolean[] = [];
  for (let i = 0; i < 200; i++) {
    const positive = i % 2 === 0;
    examples.push(vector([[positive ? 0 : 1, 1], [2, random()]]));
    labels.push(positive);
  }
  const model = trainBinaryLogistic(examples, labels, 3, { ...defaultLogisticOptions, C: 1 });
  assert.ok(probability(model, vector([[0, 1]])) > 0.9);
  assert.ok(probability(model, vector([[1, 1]])) < 0.1);
  // Feature 2 is noise: its weight stays small next to the informative ones.
  assert.ok(Math.abs(model.weights[2]!) < Math.abs(model.weights[0]!) / 3);
  // Stronger regularisation, smaller weights.
  const strong = trainBinaryLogistic(examples, labels, 3, { ...defaultLogisticOptions, C: 0.01 });
  assert.ok(Math.abs(decision(strong, vector([[0, 1]]))) < Math.abs(decision(model, vector([[0, 1]]))));
});

test('a single-label classifier learns a toy corpus and is deterministic', () => {
  const texts = ['stocks fell on wall street', 'the bank raised rates', 'the striker scored a goal', 'the team won the match', 'shares and bonds rallied', 'the coach praised the keeper'];
  const labels = ['money', 'money', 'sport', 'sport', 'money', 'sport'];
  const a = LinearTextClassifier.train(texts, labels);
  const b = LinearTextClassifier.train(texts, labels);
  assert.equal(a.predict('bonds and stocks'), 'money');
  assert.equal(a.predict('the goal keeper'), 'sport');
  assert.deepEqual([...a.models[0]!.weights.slice(0, 4096)], [...b.models[0]!.weights.slice(0, 4096)]);
});
