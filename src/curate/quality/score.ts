// Quality: an explainable additive score. Every part that contributes is returned with its points
// and the reason, and stored with the article. Defaults follow what the reference records show:
// scores cluster at 39/44/59/74/89/104, a sum of a base, an image (~20), an AMP version (~5-15) and
// a known publisher with a logo (~30-45).
import { z } from 'zod';
import type { NewsRecord, QualityPart } from '../../record.ts';
import type { QualityContext, QualityResult } from '../types.ts';

export const qualityWeightsSchema = z
  .object({
    base: z.number().default(19),
    knownPublisher: z.number().default(30),
    publisherLogo: z.number().default(10),
    image: z.number().default(20),
    amp: z.number().default(5),
    substantialText: z.number().default(10),
    thinText: z.number().default(-10),
    clickbait: z.number().default(-15),
    pressReleaseFarm: z.number().default(-20),
    languageMismatch: z.number().default(-30),
    duplicate: z.number().default(-40),
  })
  .prefault({});

export type QualityWeights = z.infer<typeof qualityWeightsSchema>;

export const DEFAULT_QUALITY_WEIGHTS: QualityWeights = qualityWeightsSchema.parse({});

const CLICKBAIT = /\b(you won'?t believe|shocking|this one trick|what happens next|will blow your mind|jaw-dropping|here'?s why|you need to know)\b/i;
const PRESS_RELEASE = /\b(market (size|share|report|research|analysis|forecast)|cagr|forecast (to|by) 20\d\d|key players|press release|industry (analysis|overview|outlook))\b/i;

export function scoreQuality(record: NewsRecord, context: QualityContext, weights: QualityWeights = DEFAULT_QUALITY_WEIGHTS, deskLanguage = 'en'): QualityResult {
  const parts: QualityPart[] = [];
  const add = (name: string, points: number, reason: string) => {
    if (points !== 0) parts.push({ name, points, reason });
  };
  add('base', weights.base, 'a titled article with a link');
  if (context.knownOrganization) {
    add('known-publisher', weights.knownPublisher, `${context.knownOrganization.name} is a known organization`);
    if (context.knownOrganization.hasLogo) add('publisher-logo', weights.publisherLogo, 'the publisher has a logo on file');
  }
  if (record.images.length) add('image', weights.image, 'has a lead image');
  if (record.ampWebUrl) add('amp', weights.amp, 'has an AMP version');
  const words = record.text.split(/\s+/).filter(Boolean).length;
  if (words >= 300) add('substance', weights.substantialText, `${words} words of text`);
  else if (record.extraction.status === 'extracted' && words < 80) add('thin-text', weights.thinText, `only ${words} words of text`);
  if (CLICKBAIT.test(record.title)) add('clickbait', weights.clickbait, 'the title reads as clickbait');
  if (PRESS_RELEASE.test(`${record.title} ${record.excerpt}`)) add('press-release-farm', weights.pressReleaseFarm, 'reads as a market-report press release');
  const language = record.locale?.split('-')[0];
  if (language && language !== deskLanguage) add('language', weights.languageMismatch, `language ${language} is not the desk's ${deskLanguage}`);
  if (context.duplicateOf) add('duplicate', weights.duplicate, `duplicates ${context.duplicateOf}`);
  return { total: parts.reduce((sum, p) => sum + p.points, 0), parts };
}

/** A scorer bound to the configured weights. */
export function createQualityScorer(weights: QualityWeights = DEFAULT_QUALITY_WEIGHTS, deskLanguage = 'en') {
  return (record: NewsRecord, context: QualityContext): QualityResult => scoreQuality(record, context, weights, deskLanguage);
}
