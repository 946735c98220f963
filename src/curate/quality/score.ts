// Quality: an explainable additive score. Every signal that was looked at is returned as a part (name,
// points, reason) and stored with the article, so `newsdesk explain` can show why an article scored
// what it did. The default weights are fitted to the reference system's records (SPEC.md: scores
// cluster at 39/44/59/74/89/104, a sum of a base, a known publisher with a logo, an image and an AMP
// version); `npm run bench:quality` reports how close they come. The other signals (text substance,
// clickbait, press-release farms, language, duplicates, standing) are ours: the reference records
// carry nothing to fit them to, and on those records they are mostly silent.
import { z } from 'zod';
import type { NewsRecord, QualityPart } from '../../record.ts';
import type { QualityContext, QualityResult } from '../types.ts';

export const qualityWeightsSchema = z
  .object({
    /** Every scored article starts here. */
    base: z.number().default(19),
    /** The publisher is a known organization (config/organizations.yaml). */
    knownPublisher: z.number().default(20),
    /** ...and it has a logo on file (the reference showed logos only for known organizations). */
    publisherLogo: z.number().default(10),
    /** Points per unit of publisher standing (-1..1). */
    publisherStanding: z.number().default(15),
    image: z.number().default(20),
    /** Images narrower than this are icons or tracking pixels, not a lead image. */
    minImageWidth: z.number().int().min(0).default(150),
    amp: z.number().default(20),
    /** Extracted text of at least `substantialWords` words. */
    substantialText: z.number().default(10),
    substantialWords: z.number().int().positive().default(400),
    /** Extracted text under `thinWords` words. */
    thinText: z.number().default(-10),
    thinWords: z.number().int().positive().default(120),
    clickbait: z.number().default(-10),
    pressReleaseFarm: z.number().default(-10),
    languageMismatch: z.number().default(-30),
    duplicate: z.number().default(-40),
  })
  .prefault({});

export type QualityWeights = z.infer<typeof qualityWeightsSchema>;

export const DEFAULT_QUALITY_WEIGHTS: QualityWeights = qualityWeightsSchema.parse({});

const clickbaitPhrases: Array<[RegExp, string]> = [
  [/\byou (?:won'?t|will never) believe\b/i, '"you won\'t believe"'],
  [/\bwhat happen(?:s|ed) next\b/i, '"what happens next"'],
  [/\b(?:will|could) (?:blow your mind|shock you|change your life)\b/i, 'a promise to shock'],
  [/\bthis (?:one )?(?:simple |weird )?trick\b/i, '"this one trick"'],
  [/\b(?:shocking|jaw-dropping|mind-blowing|unbelievable)\b/i, 'a sensational adjective'],
  [/\bnumber \d+ will\b/i, '"number N will..."'],
  [/\b(?:doctors|experts) hate\b/i, '"experts hate"'],
  [/!{2,}|\?{2,}/, 'repeated punctuation'],
];

/** Words of five or more capital letters, more than one of them: shouting, not acronyms such as NVIDIA. */
function shoutingWords(title: string): number {
  return (title.match(/\b[A-Z]{5,}\b/g) ?? []).filter((w) => !/^(NVIDIA|INTEL|AMAZON|NASDAQ|POLITICO)$/.test(w)).length;
}

export function clickbaitSignals(title: string): string[] {
  const signals = clickbaitPhrases.filter(([pattern]) => pattern.test(title)).map(([, label]) => label);
  if (shoutingWords(title) >= 2) signals.push('words in capitals');
  return signals;
}

// Wire services and release-distribution sites publish what companies pay to have published.
const releaseDomains = new Set([
  'prnewswire.com', 'businesswire.com', 'globenewswire.com', 'accesswire.com', 'einpresswire.com', 'prweb.com',
  'newswire.com', 'openpr.com', 'prlog.org', 'issuewire.com', 'marketersmedia.com', 'whatech.com', 'newsfile.com',
  'prfree.org', 'pr.com', 'send2press.com', 'newswiretoday.com', 'releasewire.com', 'abnewswire.com',
]);
const releasePath = /\/(?:press-?releases?|news-?releases?|pressemitteilung)(?:\/|$)/i;
const wireDateline = /\/\s*(?:PRNewswire|PR Newswire|PRWeb|ACCESSWIRE|GLOBE NEWSWIRE|EINPresswire|Newsfile)\b|\((?:BUSINESS WIRE|GLOBE NEWSWIRE)\)|\bPRNewswire-PRWeb\b/i;
// The market-research report mill: "X Market Size, Share, Growth ... Forecast 2027", with a CAGR.
const marketReportTitle = /\bmarkets?\b.*\b(?:size|share|growth|trends?|forecast|outlook|analysis|report|key players|revenue)\b/i;
const marketReportBody = /\bCAGR\b|\bforecast (?:period|to|by|till) 20\d\d\b|\b20\d\d\s*[-–]\s*20\d\d\b/i;

export function pressReleaseSignals(record: Pick<NewsRecord, 'title' | 'excerpt' | 'text' | 'webUrl' | 'provider'>): string[] {
  const signals: string[] = [];
  if (releaseDomains.has(record.provider.domain.toLowerCase())) signals.push(`${record.provider.domain} distributes press releases`);
  let path = '';
  try {
    path = new URL(record.webUrl).pathname;
  } catch {
    path = '';
  }
  if (releasePath.test(path)) signals.push('the URL is a press-release page');
  if (wireDateline.test(`${record.excerpt}\n${record.text.slice(0, 2000)}`)) signals.push('a newswire dateline');
  const body = `${record.title}\n${record.excerpt}\n${record.text.slice(0, 2000)}`;
  if (marketReportTitle.test(record.title) && marketReportBody.test(body)) signals.push('a market-research report announcement');
  return signals;
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** The desk language and the record's as primary subtags: `en-us` -> `en`. */
function primaryLanguage(locale: string | null | undefined): string | null {
  const tag = locale?.trim().toLowerCase().split(/[-_]/)[0];
  return tag ? tag : null;
}

export function scoreQuality(
  record: NewsRecord,
  context: QualityContext,
  weights: QualityWeights = DEFAULT_QUALITY_WEIGHTS,
  deskLanguage = 'en',
): QualityResult {
  const parts: QualityPart[] = [];
  const add = (name: string, points: number, reason: string) => parts.push({ name, points, reason });

  add('base', weights.base, 'every scored article starts here');

  const publisher = record.provider.name || record.provider.domain;
  if (context.knownOrganization) {
    add('known-publisher', weights.knownPublisher, `${context.knownOrganization.name} is a known organization`);
    if (context.knownOrganization.hasLogo) add('publisher-logo', weights.publisherLogo, `${context.knownOrganization.name} has a logo on file`);
  } else {
    add('known-publisher', 0, `${publisher} is not among the known organizations`);
  }
  if (typeof context.publisherStanding === 'number' && context.publisherStanding !== 0) {
    const standing = Math.max(-1, Math.min(1, context.publisherStanding));
    add('publisher-standing', Math.round(standing * weights.publisherStanding), `${publisher} has standing ${standing} (from -1 to 1)`);
  }

  const lead = record.images.find((image) => image.width === null || image.width >= weights.minImageWidth);
  if (lead) add('image', weights.image, lead.width && lead.height ? `has a lead image (${lead.width}x${lead.height})` : 'has a lead image');
  else if (record.images.length > 0) add('image', 0, `its images are narrower than ${weights.minImageWidth} px`);
  else add('image', 0, 'has no image');

  add('amp', record.ampWebUrl ? weights.amp : 0, record.ampWebUrl ? 'has an AMP version' : 'has no AMP version');

  // Text length says something only when the article text was extracted; feed snippets are short by nature.
  if (record.extraction.status === 'extracted') {
    const words = wordCount(record.text);
    if (words >= weights.substantialWords) add('substance', weights.substantialText, `${words} words of text`);
    else if (words < weights.thinWords) add('substance', weights.thinText, `only ${words} words of text`);
    else add('substance', 0, `${words} words of text`);
  }

  const bait = clickbaitSignals(record.title);
  if (bait.length > 0) add('clickbait', weights.clickbait, `the title reads as clickbait: ${bait.join(', ')}`);

  const release = pressReleaseSignals(record);
  if (release.length > 0) add('press-release-farm', weights.pressReleaseFarm, `reads as a paid release: ${release.join(', ')}`);

  const language = primaryLanguage(record.locale);
  const desk = primaryLanguage(deskLanguage);
  if (language && desk && language !== desk) add('language', weights.languageMismatch, `written in ${language}, the desk publishes in ${desk}`);

  if (context.duplicateOf) add('duplicate', weights.duplicate, `duplicates ${context.duplicateOf}`);

  return { total: parts.reduce((sum, part) => sum + part.points, 0), parts };
}

/** A scorer bound to the configured weights and desk language. */
export function createQualityScorer(weights: QualityWeights = DEFAULT_QUALITY_WEIGHTS, deskLanguage = 'en') {
  return (record: NewsRecord, context: QualityContext): QualityResult => scoreQuality(record, context, weights, deskLanguage);
}
