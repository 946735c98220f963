import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTopicClassifier, defaultTaxonomyFile, loadTaxonomy } from './index.ts';
import { parseTaxonomy } from './taxonomy.ts';
import { isNewsdeskError } from '../../errors.ts';

const article = { title: 'Tech companies reconsider facial recognition software', excerpt: '', text: '' };

test('the configured classifier: learned by default for the AI taxonomy, keywords on request', () => {
  const taxonomy = loadTaxonomy(defaultTaxonomyFile);
  assert.equal(createTopicClassifier({ taxonomy, classifier: 'learned' }).name, 'learned');
  assert.equal(createTopicClassifier({ taxonomy, classifier: 'keywords' }).name, 'keywords');
});

const own = parseTaxonomy({
  root: 'news',
  topics: [
    { id: 'news', name: 'News', parent: null },
    { id: 'vision', name: 'Vision', parent: 'news', keywords: ['facial recognition'] },
  ],
});

test('a taxonomy the shipped model was not trained for falls back to keywords; a named model is refused', () => {
  const classifier = createTopicClassifier({ taxonomy: own, classifier: 'learned' });
  assert.equal(classifier.name, 'keywords');
  assert.deepEqual(classifier.classify(article), ['News', 'Vision']);
  assert.throws(
    () => createTopicClassifier({ taxonomy: own, classifier: 'learned', modelFile: '/nonexistent/model.json' }),
    (err: unknown) => isNewsdeskError(err, 'ND_MODEL_INVALID'),
  );
});

test('corrections handed in at creation are learned', () => {
  const taxonomy = loadTaxonomy(defaultTaxonomyFile);
  const input = { title: 'Quarterly note from the desk', excerpt: 'Nothing about any topic here.', text: '' };
  const before = createTopicClassifier({ taxonomy, classifier: 'learned' }).classify(input);
  assert.ok(!before.includes('AI in Education'));
  const after = createTopicClassifier({ taxonomy, classifier: 'learned', corrections: [{ ...input, topics: ['AI in Education'] }] }).classify(input);
  assert.ok(after.includes('AI in Education'), after.join(';'));
});
