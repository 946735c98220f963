import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clickbaitSignals, DEFAULT_QUALITY_WEIGHTS, pressReleaseSignals, qualityWeightsSchema, scoreQuality } from './score.ts';
import type { NewsRecord } from '../../record.ts';
import type { QualityContext } from '../types.ts';
import { facialRecognitionRecord } from '../../../test/helpers/records.ts';

const record = facialRecognitionRecord;

const known: QualityContext = { knownOrganization: { name: 'Forbes', hasLogo: true } };
const unknown: QualityContext = { knownOrganization: null };
const image = { url: 'https://x/i.jpg', width: 740, height: 416 };
const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

// Totals follow the reference clusters (39/59/89...) for the reference's signals.
const cases: Array<{ name: string; record: NewsRecord; context: QualityContext; total: number; parts: Record<string, number> }> = [
  { name: 'bare article', record: record(), context: unknown, total: 19, parts: { base: 19 } },
  { name: 'image only', record: record({ images: [image] }), context: unknown, total: 39, parts: { image: 20 } },
  { name: 'image and AMP', record: record({ images: [image], ampWebUrl: 'https://a/amp' }), context: unknown, total: 59, parts: { amp: 20 } },
  {
    name: 'known publisher with logo, image, AMP',
    record: record({ images: [image], ampWebUrl: 'https://a/amp' }),
    context: known,
    total: 89,
    parts: { 'known-publisher': 20, 'publisher-logo': 10 },
  },
  { name: 'tiny image does not count', record: record({ images: [{ url: 'https://x/p.gif', width: 1, height: 1 }] }), context: unknown, total: 19, parts: { image: 0 } },
  {
    name: 'substantial extracted text',
    record: record({ text: words(500), extraction: { status: 'extracted' } }),
    context: unknown,
    total: 29,
    parts: { substance: 10 },
  },
  { name: 'thin extracted text', record: record({ text: words(40), extraction: { status: 'extracted' } }), context: unknown, total: 9, parts: { substance: -10 } },
  { name: 'short feed text is not judged', record: record({ text: words(40) }), context: unknown, total: 19, parts: {} },
  { name: 'clickbait title', record: record({ title: "You won't believe what this AI did next!!" }), context: unknown, total: 9, parts: { clickbait: -10 } },
  {
    name: 'press-release farm',
    record: record({
      title: 'Computer Vision Market Key Players And Forecast 2026',
      excerpt: 'The market is growing at a CAGR of 8.9%.',
      webUrl: 'https://www.openpr.com/news/1879887/computer-vision-market.html',
      provider: { name: 'openpr.com', domain: 'openpr.com' },
    }),
    context: unknown,
    total: 9,
    parts: { 'press-release-farm': -10 },
  },
  { name: 'other language', record: record({ locale: 'de-de' }), context: unknown, total: -11, parts: { language: -30 } },
  { name: 'duplicate', record: record(), context: { knownOrganization: null, duplicateOf: 'article 7' }, total: -21, parts: { duplicate: -40 } },
  { name: 'poor standing', record: record(), context: { knownOrganization: null, publisherStanding: -1 }, total: 4, parts: { 'publisher-standing': -15 } },
];

for (const c of cases) {
  test(`quality: ${c.name}`, () => {
    const result = scoreQuality(c.record, c.context);
    assert.equal(result.total, c.total, JSON.stringify(result.parts));
    assert.equal(result.total, result.parts.reduce((s, p) => s + p.points, 0));
    for (const [name, points] of Object.entries(c.parts)) {
      const part = result.parts.find((p) => p.name === name);
      assert.ok(part, `part ${name} missing`);
      assert.equal(part.points, points);
      assert.ok(part.reason.length > 0);
    }
  });
}

test('weights come from config: defaults fill in, overrides apply, bad values are refused', () => {
  assert.deepEqual(qualityWeightsSchema.parse(undefined), DEFAULT_QUALITY_WEIGHTS);
  const weights = qualityWeightsSchema.parse({ image: 5 });
  assert.equal(scoreQuality(record({ images: [image] }), unknown, weights).total, 24);
  assert.equal(qualityWeightsSchema.safeParse({ image: 'many' }).success, false);
});

test('every part explains itself, including signals that gave nothing', () => {
  const { parts } = scoreQuality(record(), unknown);
  assert.deepEqual(parts.map((p) => p.name), ['base', 'known-publisher', 'image', 'amp']);
  assert.match(parts.find((p) => p.name === 'amp')!.reason, /no AMP/);
});

test('signal detectors', () => {
  assert.deepEqual(clickbaitSignals('Nvidia unveils a new GPU'), []);
  assert.deepEqual(clickbaitSignals('Top 25 AI Startups Who Raised The Most Money In 2019'), []);
  assert.ok(clickbaitSignals('SHOCKING NEWS ABOUT ROBOTS').length > 0);
  const r = record();
  assert.deepEqual(pressReleaseSignals(r), []);
  assert.ok(pressReleaseSignals({ ...r, webUrl: 'https://apnews.com/press-release/PRNewswire/x' }).length > 0);
  assert.ok(pressReleaseSignals({ ...r, excerpt: 'DUBAI, Nov. 9, 2021 /PRNewswire/ -- Yellow.ai launches' }).length > 0);
});
