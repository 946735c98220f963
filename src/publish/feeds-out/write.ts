// Outgoing feeds of the published stream in the three formats readers take: RSS 2.0, Atom 1.0
// (RFC 4287) and JSON Feed 1.1. Pure functions of a feed description and its items, so any list the
// store gives (the stream, a topic, a provider, a saved search) becomes a feed the same way.
import type { StoredArticle } from '../../store/index.ts';

export interface FeedMeta {
  title: string;
  description: string;
  /** The page this feed follows, on the site. */
  homeUrl: string;
  /** This feed's own URL (RSS atom:link self, Atom self link, JSON Feed feed_url). */
  feedUrl: string;
  language?: string;
}

export type FeedFormat = 'rss' | 'atom' | 'json';

export const FEED_CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

// XML 1.0 allows tab, LF, CR and everything from U+0020 on, except the surrogates and U+FFFE/U+FFFF.
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlEscape(text: string): string {
  return text.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The newest time among the items, the feed's own update time; the epoch for an empty feed. */
function latest(items: StoredArticle[]): Date {
  const times = items.map((a) => Date.parse(a.updatedDateTime ?? a.publishedDateTime ?? a.createdAt)).filter((t) => !Number.isNaN(t));
  return new Date(times.length ? Math.max(...times) : 0);
}

function itemDate(article: StoredArticle): Date {
  const t = Date.parse(article.publishedDateTime ?? article.createdAt);
  return new Date(Number.isNaN(t) ? 0 : t);
}

const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function imageType(url: string): string {
  const ext = /\.(jpe?g|png|gif|webp|avif)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  return ext === 'png' ? 'image/png' : ext === 'gif' ? 'image/gif' : ext === 'webp' ? 'image/webp' : ext === 'avif' ? 'image/avif' : 'image/jpeg';
}

export function renderRss(meta: FeedMeta, items: StoredArticle[]): string {
  const x = xmlEscape;
  const entries = items.map((a) => {
    const image = a.images[0];
    return [
      '<item>',
      `<title>${x(a.title)}</title>`,
      `<link>${x(a.webUrl)}</link>`,
      `<guid isPermaLink="true">${x(a.webUrl)}</guid>`,
      `<pubDate>${itemDate(a).toUTCString()}</pubDate>`,
      `<description>${x(a.excerpt)}</description>`,
      `<source url="${x(meta.feedUrl)}">${x(meta.title)}</source>`,
      `<dc:creator>${x(a.provider.name)}</dc:creator>`,
      ...a.topics.map((t) => `<category>${x(t)}</category>`),
      image ? `<enclosure url="${x(image.url)}" length="0" type="${imageType(image.url)}"/>` : '',
      '</item>',
    ]
      .filter(Boolean)
      .join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>${x(meta.title)}</title>
<link>${x(meta.homeUrl)}</link>
<description>${x(meta.description)}</description>
<language>${x(meta.language ?? 'en-us')}</language>
<lastBuildDate>${latest(items).toUTCString()}</lastBuildDate>
<generator>newsdesk</generator>
<atom:link href="${x(meta.feedUrl)}" rel="self" type="application/rss+xml"/>
${entries.join('\n')}
</channel>
</rss>
`;
}

export function renderAtom(meta: FeedMeta, items: StoredArticle[]): string {
  const x = xmlEscape;
  const entries = items.map((a) => {
    const published = isoSeconds(itemDate(a));
    const updated = a.updatedDateTime ? isoSeconds(new Date(Date.parse(a.updatedDateTime) || itemDate(a).getTime())) : published;
    const image = a.images[0];
    return [
      '<entry>',
      `<id>${x(a.webUrl)}</id>`,
      `<title type="text">${x(a.title)}</title>`,
      `<link rel="alternate" type="text/html" href="${x(a.webUrl)}"/>`,
      image ? `<link rel="enclosure" type="${imageType(image.url)}" href="${x(image.url)}"/>` : '',
      `<published>${published}</published>`,
      `<updated>${updated}</updated>`,
      `<author><name>${x(a.provider.name)}</name><uri>${x(`https://${a.provider.domain}/`)}</uri></author>`,
      `<summary type="text">${x(a.excerpt)}</summary>`,
      ...a.topics.map((t) => `<category term="${x(t)}"/>`),
      '</entry>',
    ]
      .filter(Boolean)
      .join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${x(meta.language ?? 'en-us')}">
<id>${x(meta.feedUrl)}</id>
<title type="text">${x(meta.title)}</title>
<subtitle type="text">${x(meta.description)}</subtitle>
<updated>${isoSeconds(latest(items))}</updated>
<link rel="self" type="application/atom+xml" href="${x(meta.feedUrl)}"/>
<link rel="alternate" type="text/html" href="${x(meta.homeUrl)}"/>
<author><name>${x(meta.title)}</name></author>
<generator>newsdesk</generator>
${entries.join('\n')}
</feed>
`;
}

export function renderJsonFeed(meta: FeedMeta, items: StoredArticle[]): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: meta.title,
    home_page_url: meta.homeUrl,
    feed_url: meta.feedUrl,
    description: meta.description,
    language: meta.language ?? 'en-us',
    items: items.map((a) => ({
      id: a.webUrl,
      url: a.webUrl,
      title: a.title,
      content_text: a.excerpt,
      summary: a.excerpt,
      ...(a.images[0] ? { image: a.images[0].url } : {}),
      date_published: isoSeconds(itemDate(a)),
      ...(a.updatedDateTime ? { date_modified: isoSeconds(new Date(Date.parse(a.updatedDateTime) || itemDate(a).getTime())) } : {}),
      authors: [{ name: a.provider.name, url: `https://${a.provider.domain}/` }],
      tags: a.topics,
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}

export function renderFeed(format: FeedFormat, meta: FeedMeta, items: StoredArticle[]): string {
  return format === 'rss' ? renderRss(meta, items) : format === 'atom' ? renderAtom(meta, items) : renderJsonFeed(meta, items);
}
