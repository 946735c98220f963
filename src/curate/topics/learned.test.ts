import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeywordClassifier } from './keywords.ts';
import {
  createLearnedClassifier,
  defaultTopicModelFile,
  defaultTopicTrainingOptions,
  loadTopicModel,
  saveTopicModel,
  trainTopicModel,
  type TopicExample,
} from './learned.ts';
import { defaultTaxonomyFile, loadTaxonomy, parseTaxonomy } from './taxonomy.ts';
import { isNewsdeskError } from '../../errors.ts';

const taxonomy = loadTaxonomy(defaultTaxonomyFile);
const shipped = createLearnedClassifier(taxonomy, loadTopicModel(defaultTopicModelFile));

const facialRecognition = {
  title: 'Tech companies reconsider facial recognition software',
  excerpt:
    'IBM says it will no longer sell or research facial recognition software, and Amazon announced a moratorium on police use of its software.',
  text: '',
};

test('the shipped model tags SPEC.md facial-recognition record Computer Vision and AI Ethics, not NLP; IBM and Amazon are its subject', () => {
  const topics = shipped.classify(facialRecognition);
  assert.ok(topics.includes('Computer Vision'), topics.join(';'));
  assert.ok(topics.includes('AI Ethics'), topics.join(';'));
  assert.ok(!topics.includes('Natural Language Processing'), topics.join(';'));
  assert.equal(topics[0], 'AI');
  const { reasons } = shipped.explain(facialRecognition);
  assert.deepEqual(reasons.find((r) => r.topic === 'IBM AI'), { topic: 'IBM AI', by: 'subject', name: 'IBM', place: 'first sentence' });
  assert.deepEqual(reasons.find((r) => r.topic === 'AWS AI'), { topic: 'AWS AI', by: 'subject', name: 'Amazon', place: 'first sentence' });
  assert.equal(reasons.find((r) => r.topic === 'Computer Vision')?.by, 'model');
});

test('company topics follow the subject rule alone: a passing mention further down does not give one', () => {
  const passing = shipped.classify({
    title: 'Startup raises $30M for AI that reads X-rays',
    excerpt: 'The hospital-focused company was founded in 2019. Its founders previously worked at Google, IBM and Amazon.',
    text: '',
  });
  for (const company of ['Google AI', 'IBM AI', 'AWS AI']) assert.ok(!passing.includes(company), passing.join(';'));
  assert.ok(passing.includes('AI in Healthcare'), passing.join(';'));
});

// Articles written for this test, not in the training data: the learned model should get these right
// where the reference keywords (which need the exact words) miss or mislabel them.
const unseen: Array<{ title: string; excerpt: string; want: string[]; keywordsMiss: string }> = [
  {
    title: 'Police use of face-matching cameras faces new privacy law',
    excerpt: 'Lawmakers want limits on biometric surveillance after studies found racial bias in the systems.',
    // Only the ethics side is asserted: "face-matching cameras" is phrased unlike any Computer Vision
    // example in the labeled set, and the model is not reliably sure of it (see bench:topics per topic F1).
    want: ['AI Ethics'],
    keywordsMiss: 'AI Ethics',
  },
  {
    title: 'Robotaxi startup expands autonomous vehicle trials to three more cities',
    excerpt: 'The company said its self-driving cars will carry passengers without a safety driver.',
    want: ['AI in Autos'],
    keywordsMiss: 'AI in Autos',
  },
];

for (const c of unseen) {
  test(`learned beats keywords on an unseen article: ${c.title}`, () => {
    const input = { title: c.title, excerpt: c.excerpt, text: '' };
    const learned = shipped.classify(input);
    for (const topic of c.want) assert.ok(learned.includes(topic), `${topic} missing from ${learned.join(';')}`);
    assert.ok(!createKeywordClassifier(taxonomy).classify(input).includes(c.keywordsMiss));
  });
}

const tiny = parseTaxonomy({
  root: 'ai',
  topics: [
    { id: 'ai', name: 'AI', parent: null, keywords: [] },
    { id: 'vision', name: 'Vision', parent: 'ai', keywords: ['camera'] },
    { id: 'language', name: 'Language', parent: 'ai', keywords: ['speech'] },
  ],
});

const tinyExamples: TopicExample[] = [
  ...['image', 'photo', 'pixels', 'video frames', 'picture', 'camera lens'].map((w) => ({ title: `new model reads ${w}`, topics: ['Vision'] })),
  ...['text', 'words', 'sentences', 'speech', 'translation', 'chat'].map((w) => ({ title: `new model reads ${w}`, topics: ['Language'] })),
];
const fastOptions = { ...defaultTopicTrainingOptions, threshold: 0.5 };

test('training is deterministic and the model survives a save/load round trip', () => {
  const a = trainTopicModel(tiny, tinyExamples, [], fastOptions);
  const b = trainTopicModel(tiny, tinyExamples, [], fastOptions);
  assert.deepEqual([...a.weights.values], [...b.weights.values]);
  const file = join(mkdtempSync(join(tmpdir(), 'nd-model-')), 'm.json');
  saveTopicModel(a, file);
  const loaded = createLearnedClassifier(tiny, loadTopicModel(file));
  const original = createLearnedClassifier(tiny, a);
  for (const title of ['model reads photo', 'model reads words', 'nothing']) {
    const input = { title, excerpt: '', text: '' };
    assert.deepEqual(loaded.classify(input), original.classify(input));
  }
  assert.deepEqual(original.classify({ title: 'model reads photo', excerpt: '', text: '' }), ['AI', 'Vision']);
});

test("an editor's correction changes later classifications", () => {
  const classifier = createLearnedClassifier(tiny, trainTopicModel(tiny, tinyExamples, [], fastOptions));
  const article = { title: 'new model reads sign language from video frames', excerpt: '', text: '' };
  assert.ok(!classifier.classify(article).includes('Language'));
  classifier.addCorrection(article, ['Vision', 'Language']);
  assert.deepEqual(classifier.classify(article), ['AI', 'Vision', 'Language']);
  assert.equal(classifier.model.corrections.length, 1);
  // The same article corrected again replaces the earlier correction.
  classifier.addCorrection(article, ['Language']);
  assert.equal(classifier.model.corrections.length, 1);
  assert.deepEqual(classifier.classify(article), ['AI', 'Language']);
});

const layered = parseTaxonomy({
  root: 'ai',
  topics: [
    { id: 'ai', name: 'AI', parent: null, keywords: [] },
    { id: 'ml', name: 'ML', parent: 'ai', keywords: [] },
    { id: 'deep', name: 'Deep Learning', parent: 'ml', keywords: [], cues: ['neural network', 'transformer', 'backpropagation'] },
    { id: 'language', name: 'Language', parent: 'ai', keywords: [], cues: ['speech', 'translation', 'chatbot', 'voice'] },
    { id: 'acme', name: 'Acme AI', parent: 'ai', keywords: [], subject: ['Acme'] },
  ],
});
const layeredExamples: TopicExample[] = [
  ...['neural network', 'transformer'].flatMap((w) => [`a bigger ${w} wins`, `why the ${w} matters`, `lab trains a ${w}`].map((title) => ({ title, topics: ['Deep Learning'] }))),
  ...['speech', 'translation'].flatMap((w) => [`a better ${w} app`, `why ${w} matters`, `lab ships ${w}`].map((title) => ({ title, topics: ['Language'] }))),
  // Labeled Acme AI though Acme is only in the text: the rule, not these labels, decides the topic.
  ...['one', 'two', 'three'].map((n) => ({ title: `quarterly note ${n}`, text: 'Earlier. Acme was mentioned.', topics: ['Acme AI'] })),
];

test('a child topic implies its parent; a cue never seen in training still counts; the subject rule decides company topics', () => {
  const options = { ...fastOptions, cueFeature: 1 };
  const classifier = createLearnedClassifier(layered, trainTopicModel(layered, layeredExamples, [], options));
  const deep = classifier.explain({ title: 'backpropagation explained', excerpt: '', text: '' });
  assert.deepEqual(deep.topics, ['AI', 'ML', 'Deep Learning']);
  assert.deepEqual(deep.reasons[0], { topic: 'ML', by: 'child', child: 'Deep Learning' });
  assert.deepEqual(classifier.classify({ title: 'voice chatbot', excerpt: '', text: '' }), ['AI', 'Language']);
  assert.deepEqual(classifier.classify({ title: 'quarterly note four', excerpt: '', text: 'Earlier. Acme was mentioned.' }), ['AI']);
  assert.deepEqual(classifier.classify({ title: 'Acme opens a lab', excerpt: '', text: '' }), ['AI', 'Acme AI']);
  // Without cue features the unseen cues mean nothing to the model.
  const plain = createLearnedClassifier(layered, trainTopicModel(layered, layeredExamples, [], { ...fastOptions, cueFeature: 0, titleCueFeature: 0 }));
  assert.deepEqual(plain.classify({ title: 'voice chatbot', excerpt: '', text: '' }), ['AI']);
});

test('a model for another taxonomy and a broken model file are refused with ND_MODEL_INVALID', () => {
  const model = trainTopicModel(tiny, tinyExamples, [], fastOptions);
  assert.throws(() => createLearnedClassifier(taxonomy, model), (err: unknown) => isNewsdeskError(err, 'ND_MODEL_INVALID'));
  const file = join(mkdtempSync(join(tmpdir(), 'nd-model-')), 'bad.json');
  writeFileSync(file, JSON.stringify({ format: 'newsdesk-topic-model', version: 1 }));
  assert.throws(() => loadTopicModel(file), (err: unknown) => isNewsdeskError(err, 'ND_MODEL_INVALID'));
});

test('training reports progress per binary model fitted, ending at its total', () => {
  const seen: Array<[number, number]> = [];
  trainTopicModel(tiny, tinyExamples, [], { ...defaultTopicTrainingOptions, threshold: null }, (done, total) => seen.push([done, total]));
  // Two topics, three inner folds to choose the threshold, then the model itself: (3 + 1) × 2 fits.
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => [n, 8]));
  const fixed: Array<[number, number]> = [];
  trainTopicModel(tiny, tinyExamples, [], fastOptions, (done, total) => fixed.push([done, total]));
  assert.deepEqual(fixed, [[0, 2], [1, 2], [2, 2]]);
});
