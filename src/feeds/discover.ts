// Finds the feed behind a URL a user pastes: the URL itself if it is a feed, else the feeds a
// page announces with <link rel="alternate">, else the first of the paths sites conventionally
// publish feeds at. Works over any Transport, so the guarded HTTP client applies to every probe.
import type { Transport, FetchResponse } from '../fetch/types.ts';
import { decodeText } from './charset.ts';
import { parseFeed, resolveUrl } from './parse.ts';
import { isNewsdeskError } from '../errors.ts';

export interface DiscoveredFeed {
  url: string;
  title: string | null;
  /** MIME type announced by the page, when there was one. */
  type: string | null;
  /** How it was found: the URL was a feed, a `<link>` in the page, or a conventional path. */
  via: 'self' | 'link' | 'common-path';
}

export interface DiscoverOptions {
  /** Probe /feed, /rss.xml... when the page announces nothing. Default true. */
  probeCommonPaths?: boolean;
  signal?: AbortSignal;
}

export const COMMON_FEED_PATHS = ['/feed', '/rss.xml', '/atom.xml', '/index.xml', '/feed.json', '/feed.xml', '/rss', '/feed/', '/blog/feed', '/blog/rss.xml'];

const feedTypes = /^application\/(rss\+xml|atom\+xml|rdf\+xml|feed\+json|json|xml)$|^text\/xml$/i;

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z_:][-\w:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) {
    out[m[1]!.toLowerCase()] = decodeAttribute(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

function decodeAttribute(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|apos|#39|#x27);/gi, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#x27': "'" } as Record<string, string>)[name.toLowerCase()]!);
}

/** The feeds an HTML page announces with `<link rel="alternate" type="application/rss+xml" href>` (and atom, JSON Feed). */
export function findFeedLinks(page: string, pageUrl: string): DiscoveredFeed[] {
  // No tag starts after the last `>`: the patterns below would read to the end from every `<` there.
  const html = page.slice(0, page.lastIndexOf('>') + 1);
  const baseTag = /<base\b[^>]*>/i.exec(html);
  const base = (baseTag && resolveUrl(attributes(baseTag[0]).href, pageUrl)) || pageUrl;
  const found: DiscoveredFeed[] = [];
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    const a = attributes(m[0]);
    const rels = (a.rel ?? '').toLowerCase().split(/\s+/);
    const type = (a.type ?? '').trim().toLowerCase();
    if (!rels.includes('alternate') || !feedTypes.test(type) || rels.includes('stylesheet')) continue;
    const url = resolveUrl(a.href, base);
    if (!url || !/^https?:/.test(url) || found.some((f) => f.url === url)) continue;
    found.push({ url, title: a.title?.trim() || null, type, via: 'link' });
  }
  return found;
}

function asFeed(response: FetchResponse): { title: string | null } | null {
  if (response.status !== 200 || response.body.length === 0) return null;
  try {
    const feed = parseFeed(response.body, { url: response.url, contentType: response.headers['content-type'] ?? null });
    return { title: feed.title };
  } catch {
    return null;
  }
}

/**
 * The announced feeds the transport may fetch: a page can announce a feed on an address ingest would
 * refuse (loopback, a private range, a name resolving to one), which is dropped here rather than
 * stored as a source that fails on every fetch. A feed that fails for another reason is kept.
 */
async function reachable(feeds: DiscoveredFeed[], transport: Transport, signal?: AbortSignal): Promise<DiscoveredFeed[]> {
  const kept: DiscoveredFeed[] = [];
  for (const feed of feeds) {
    try {
      await transport.fetch({ url: feed.url, purpose: 'feed', signal });
      kept.push(feed);
    } catch (err) {
      if (!isNewsdeskError(err, 'ND_FETCH_PRIVATE_ADDRESS')) kept.push(feed);
    }
  }
  return kept;
}

async function tryFetch(transport: Transport, url: string, signal?: AbortSignal): Promise<FetchResponse | null> {
  try {
    return await transport.fetch({ url, purpose: 'feed', signal });
  } catch {
    return null;
  }
}

/**
 * The feeds for a URL, best first. Throws only if the URL itself cannot be fetched; an empty list
 * means the page was fetched and no feed was found.
 */
export async function discoverFeeds(url: string, transport: Transport, opts: DiscoverOptions = {}): Promise<DiscoveredFeed[]> {
  const response = await transport.fetch({ url, purpose: 'feed', signal: opts.signal });
  const self = asFeed(response);
  if (self) return [{ url: response.url, title: self.title, type: response.headers['content-type'] ?? null, via: 'self' }];

  const html = decodeText(response.body, { contentType: response.headers['content-type'], kind: 'html' }).text;
  const announced = await reachable(findFeedLinks(html, response.url), transport, opts.signal);
  if (announced.length || opts.probeCommonPaths === false) return announced;

  for (const path of COMMON_FEED_PATHS) {
    const candidate = new URL(path, response.url).href;
    const probe = await tryFetch(transport, candidate, opts.signal);
    const feed = probe && asFeed(probe);
    if (probe && feed) return [{ url: probe.url, title: feed.title, type: probe.headers['content-type'] ?? null, via: 'common-path' }];
  }
  return [];
}
