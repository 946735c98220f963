// How close the default (reference-compatible) quality weights come to the reference system's own
// scores: the 57 front-matter records of corpus/everyday-ai/news.jsonl that carry a quality.
// `npm run bench:quality` (add --table for one line per record).
import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_QUALITY_WEIGHTS, scoreQuality, type QualityWeights } from '../src/curate/quality/score.ts';
import type { NewsRecord } from '../src/record.ts';
import type { QualityContext } from '../src/curate/types.ts';

const newsFile = new URL('../../shared/corpus/everyday-ai/news.jsonl', import.meta.url).pathname;
if (!existsSync(newsFile)) {
  console.log(`skipped: ${newsFile} is not there (the shared corpus is needed)`);
  process.exit(0);
}

interface FrontMatter {
  _record: string;
  title: string;
  excerpt?: string;
  publishedDateTime?: string;
  originalUrl?: string;
  webUrl: string;
  ampWebUrl?: string;
  cdnAmpWebUrl?: string;
  quality?: number;
  provider: { name: string; domain: string; images?: Array<{ url: string; width: number; height: number }> };
  topics: string[];
  images?: Array<{ url: string; width?: number; height?: number; isCached?: boolean; title?: string }>;
}

const records = readFileSync(newsFile, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as FrontMatter)
  .filter((r) => r._record === 'front-matter' && typeof r.quality === 'number');

function toRecord(r: FrontMatter): NewsRecord {
  return {
    title: r.title,
    excerpt: r.excerpt ?? '',
    publishedDateTime: r.publishedDateTime ?? null,
    updatedDateTime: null,
    originalUrl: r.originalUrl ?? r.webUrl,
    webUrl: r.webUrl,
    ampWebUrl: r.ampWebUrl ?? null,
    cdnAmpWebUrl: r.cdnAmpWebUrl ?? null,
    type: 'article',
    provider: { name: r.provider.name, domain: r.provider.domain, images: r.provider.images },
    topics: r.topics,
    images: (r.images ?? []).map((i) => ({ url: i.url, width: i.width ?? null, height: i.height ?? null })),
    locale: 'en-us',
    authors: [],
    // The records carry no article text: the reference scored on what it had, we score the feed form.
    text: '',
    html: null,
    extraction: { status: 'feed' },
  };
}

// The reference showed provider logos only for known organizations, so a logo marks a known one.
function contextOf(r: FrontMatter): QualityContext {
  return { knownOrganization: r.provider.images?.length ? { name: r.provider.name, hasLogo: true } : null };
}

function evaluate(weights: QualityWeights) {
  const rows = records.map((r) => {
    const result = scoreQuality(toRecord(r), contextOf(r), weights, 'en');
    return { r, result, error: result.total - r.quality! };
  });
  const exact = rows.filter((x) => x.error === 0).length;
  const within5 = rows.filter((x) => Math.abs(x.error) <= 5).length;
  const mae = rows.reduce((s, x) => s + Math.abs(x.error), 0) / rows.length;
  return { rows, exact, within5, mae };
}

const referenceOnly: QualityWeights = { ...DEFAULT_QUALITY_WEIGHTS, clickbait: 0, pressReleaseFarm: 0 };
const full = evaluate(DEFAULT_QUALITY_WEIGHTS);
const plain = evaluate(referenceOnly);
const constant = records.map((r) => r.quality!).sort((a, b) => a - b);
const median = constant[Math.floor(constant.length / 2)]!;
const constantMae = constant.reduce((s, q) => s + Math.abs(q - median), 0) / constant.length;

console.log(`quality: ${records.length} scored front-matter records of corpus/everyday-ai/news.jsonl`);
console.log(`  weights: base ${DEFAULT_QUALITY_WEIGHTS.base}, known publisher ${DEFAULT_QUALITY_WEIGHTS.knownPublisher} + logo ${DEFAULT_QUALITY_WEIGHTS.publisherLogo}, image ${DEFAULT_QUALITY_WEIGHTS.image}, AMP ${DEFAULT_QUALITY_WEIGHTS.amp}`);
console.log(`  default weights (all signals):        exact ${full.exact}/${records.length}, within ±5 ${full.within5}/${records.length}, mean absolute error ${full.mae.toFixed(2)}`);
console.log(`  reference signals only (no clickbait/press-release parts): exact ${plain.exact}/${records.length}, within ±5 ${plain.within5}/${records.length}, MAE ${plain.mae.toFixed(2)}`);
console.log(`  anchor: always predicting the median (${median}) gives MAE ${constantMae.toFixed(2)}`);
const partCounts = new Map<string, number>();
for (const row of full.rows) for (const part of row.result.parts) if (part.points !== 0) partCounts.set(part.name, (partCounts.get(part.name) ?? 0) + 1);
console.log(`  parts that fired: ${[...partCounts].map(([name, n]) => `${name} ${n}`).join(', ')}`);
if (process.argv.includes('--table')) {
  for (const { r, result, error } of full.rows.sort((a, b) => a.r.quality! - b.r.quality!)) {
    console.log(`${String(r.quality).padStart(4)} ${String(result.total).padStart(4)} ${(error >= 0 ? '+' : '') + error}\t${r.provider.domain}\t${result.parts.filter((p) => p.points).map((p) => `${p.name}:${p.points}`).join(' ')}`);
  }
}
