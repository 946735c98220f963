// Feed entry → NewsRecord. Pure: everything it needs comes in as arguments.
import type { FeedEntry, ParsedFeed } from '../feeds/types.ts';
import type { ArticleType, ImageRef, NewsRecord } from '../record.ts';
import { canonicalUrl, registrableDomain, nameFromDomain } from './url.ts';
import { htmlToText, makeExcerpt } from './text.ts';
import { ampCacheUrl } from '../extract/amp.ts';

export interface KnownOrganization {
  domain: string;
  name: string;
  logos: ImageRef[];
}

export interface NormalizeContext {
  /** The source's configured name, if any. */
  sourceName?: string | null;
  lookupOrganization?: (domain: string) => KnownOrganization | null;
}

const IMAGE_EXTENSION = /\.(jpe?g|png|gif|webp|avif)(\?|$)/i;

function entryType(entry: FeedEntry): ArticleType {
  const media = entry.enclosures.map((e) => e.type ?? '').join(' ');
  if (/audio\//.test(media)) return 'podcast';
  if (/video\//.test(media)) return 'video';
  return 'article';
}

function entryImages(entry: FeedEntry, title: string): ImageRef[] {
  const seen = new Set<string>();
  const images: ImageRef[] = [];
  const push = (url: string, width: number | null, height: number | null) => {
    if (!url || seen.has(url)) return;
    seen.add(url);
    images.push({ url, width, height, title });
  };
  for (const image of entry.images) push(image.url, image.width, image.height);
  for (const enclosure of entry.enclosures) {
    if ((enclosure.type && enclosure.type.startsWith('image/')) || (!enclosure.type && IMAGE_EXTENSION.test(enclosure.url))) push(enclosure.url, null, null);
  }
  return images;
}

/** Returns null when the entry has no link or no title: such an entry cannot become an article. */
export function normalizeEntry(entry: FeedEntry, feed: ParsedFeed, context: NormalizeContext = {}): NewsRecord | null {
  if (!entry.link) return null;
  const title = htmlToText(entry.title ?? '').trim();
  if (!title) return null;
  const webUrl = canonicalUrl(entry.link);
  const domain = registrableDomain(webUrl);
  const known = context.lookupOrganization?.(domain) ?? null;
  const providerName = known?.name ?? context.sourceName ?? (feed.title ? htmlToText(feed.title) : null) ?? nameFromDomain(domain);
  const body = entry.content ?? entry.summary ?? '';
  return {
    title,
    excerpt: makeExcerpt(entry.summary ?? entry.content ?? ''),
    publishedDateTime: toUtcSeconds(entry.published ?? entry.updated),
    updatedDateTime: entry.published && entry.updated && entry.updated !== entry.published ? toUtcSeconds(entry.updated) : null,
    originalUrl: entry.link,
    webUrl,
    ampWebUrl: null,
    cdnAmpWebUrl: null,
    type: entryType(entry),
    provider: { name: providerName, domain, ...(known && known.logos.length ? { images: known.logos } : {}) },
    topics: [],
    images: entryImages(entry, title),
    locale: feed.language ? feed.language.toLowerCase() : null,
    authors: entry.authors,
    text: htmlToText(body),
    html: null,
    extraction: { status: 'feed' },
  };
}

/** Sets the AMP URL and its AMP-cache form together. */
export function withAmp(record: NewsRecord, ampUrl: string | null): NewsRecord {
  if (!ampUrl) return record;
  return { ...record, ampWebUrl: ampUrl, cdnAmpWebUrl: ampCacheUrl(ampUrl) };
}

/** ISO-8601 in, `YYYY-MM-DDTHH:MM:SSZ` out; null for anything unparseable. */
export function toUtcSeconds(value: string | null | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return null;
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
