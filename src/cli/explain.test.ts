import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainArticle, formatExplanation } from './explain.ts';
import { openStore } from '../store/index.ts';
import { scoreQuality } from '../curate/quality/score.ts';
import { isNewsdeskError } from '../errors.ts';
import { facialRecognitionRecord } from '../../test/helpers/records.ts';
import { createTopicClassifier, defaultTaxonomyFile, loadTaxonomy } from '../curate/topics/index.ts';

const record = facialRecognitionRecord({
  ampWebUrl: 'https://www.marketplace.org/2020/06/11/facial-recognition/amp',
  topics: ['AI', 'Computer Vision', 'AI Ethics'],
  images: [{ url: 'https://www.marketplace.org/i.jpg', width: 740, height: 416 }],
});

test('formatExplanation lists every part with signed points and the facts around them', () => {
  const quality = scoreQuality(record, { knownOrganization: null });
  const text = formatExplanation({
    article: { id: 3, title: record.title, webUrl: record.webUrl, provider: record.provider, topics: record.topics, quality: quality.total, qualityParts: quality.parts, heat: 59, published: false, storyId: 1 },
    story: { id: 1, leadArticleId: 3, memberCount: 2, heat: 69, override: 'pin' },
    history: [{ field: 'quality', oldValue: null, newValue: '59', reason: 'scored', at: '2026-01-01T00:00:00Z' }],
  });
  assert.match(text, /^article 3: Tech companies/);
  assert.match(text, /quality: 59\n/);
  assert.match(text, /\+19 {2}base/);
  assert.match(text, /\+20 {2}image +has a lead image \(740x416\)/);
  assert.match(text, / 0 {2}known-publisher/);
  assert.match(text, /heat: 59 {3}published: no/);
  assert.match(text, /story 1: lead of 2 articles, story heat 69, editor pinned it/);
  assert.match(text, /quality: null -> 59 {2}\(scored\)/);
  assert.doesNotMatch(text, /add up to/);
});

test('explain finds a stored article by id, URL and path, and says when there is none', async () => {
  const store = await openStore(join(mkdtempSync(join(tmpdir(), 'nd-explain-')), 'store.sqlite'));
  try {
    const { id } = await store.insertArticle(record, { sourceId: null, pathKey: '2020-06-11-tech-companies-reconsider-facial-recognition-software' });
    const quality = scoreQuality(record, { knownOrganization: null });
    await store.setScores(id, { quality: quality.total, qualityParts: quality.parts, heat: quality.total, published: false }, 'first score');
    for (const key of [String(id), record.webUrl, '_news/2020-06-11-tech-companies-reconsider-facial-recognition-software.md']) {
      const text = await explainArticle(store, key);
      assert.match(text, new RegExp(`^article ${id}: `), key);
      assert.match(text, /quality: 59\n/);
      assert.match(text, /\+20 {2}amp/);
      assert.match(text, /first score/);
    }
    await assert.rejects(explainArticle(store, '999'), (err: unknown) => isNewsdeskError(err, 'ND_NOT_FOUND'));
  } finally {
    await store.close();
  }
});

test('explain says why the classifier gives each topic: the subject rule for company topics, the model for the rest', async () => {
  const store = await openStore(join(mkdtempSync(join(tmpdir(), 'nd-explain-')), 'store.sqlite'));
  try {
    // As an editor left it: AI in Robotics added (the classifier would not give it), Computer Vision removed.
    const stored = facialRecognitionRecord({ topics: ['AI', 'AI in Robotics', 'IBM AI'] });
    const { id } = await store.insertArticle(stored, { sourceId: null, pathKey: 'p' });
    const classifier = createTopicClassifier({ taxonomy: loadTaxonomy(defaultTaxonomyFile), classifier: 'learned' });
    const text = await explainArticle(store, String(id), classifier);
    assert.match(text, /\n {4}IBM AI +subject rule: "IBM" in the excerpt's first sentence\n/);
    assert.match(text, /not given by the classifier now \(an editor's or an earlier model's\): AI in Robotics\n/);
    assert.match(text, /\n {4}the classifier would now add Computer Vision: learned model, probability [01]\.\d\d \(threshold 0\.\d\d\)\n/);
    // The reference keyword classifier has no reasons to give: the topics line stands alone.
    const plain = await explainArticle(store, String(id), createTopicClassifier({ taxonomy: loadTaxonomy(defaultTaxonomyFile), classifier: 'keywords' }));
    assert.match(plain, /topics: AI; AI in Robotics; IBM AI\nquality/);
  } finally {
    await store.close();
  }
});
