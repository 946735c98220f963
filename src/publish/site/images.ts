// Article images on the site always come from newsdesk, never from the publisher: a page that
// hotlinked them would tell every publisher who reads what. Thumbnails come from the image cache
// (src/extract/images.ts); an image not cached yet is fetched in the background through the desk's
// guarded transport, and meanwhile the article shows a generated placeholder (its provider's
// initials on its colour).
import { existsSync, createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { SiteStore, SiteArticle } from '../../store/site.ts';
import type { Desk } from '../../jobs/desk.ts';
import { ImageCache } from '../../extract/images.ts';
import { escapeHtml } from './html.ts';
import { idOf } from '../params.ts';

/** A stable hue per provider, so one outlet always looks the same. */
export function providerHue(domain: string): number {
  let h = 2166136261;
  for (let i = 0; i < domain.length; i++) h = Math.imul(h ^ domain.charCodeAt(i), 16777619);
  return (h >>> 0) % 360;
}

export function initials(name: string): string {
  const words = name.replace(/[^\p{L}\p{N} ]+/gu, ' ').split(/\s+/).filter(Boolean);
  if (!words.length) return '?';
  if (words.length === 1) return words[0]!.slice(0, 2).toUpperCase();
  return (words[0]![0]! + words[1]![0]!).toUpperCase();
}

/** Colour of a provider badge: dark enough for white text at 4.5:1. */
export function badgeColor(domain: string): string {
  return `hsl(${providerHue(domain)} 55% 32%)`;
}

/** URL of an image newsdesk holds locally, or null: a remote image is never linked. */
export function localImageUrl(url: string | undefined | null): string | null {
  if (!url) return null;
  return url.startsWith('/') && !url.startsWith('//') ? url : null;
}

/** The image to show for an article: its cached image when the record names one, else the article's image route. */
export function articleImageUrl(article: Pick<SiteArticle, 'id' | 'images'>): string {
  const cached = article.images.map((i) => localImageUrl(i.isCached ? i.url : null)).find((u) => u !== null);
  return cached ?? `/img/a/${article.id}`;
}

export function placeholderSvg(article: Pick<SiteArticle, 'providerName' | 'providerDomain' | 'topics'>): string {
  const hue = providerHue(article.providerDomain);
  const topic = article.topics.find((t) => t !== article.topics[0]) ?? article.topics[0] ?? '';
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 200" width="320" height="200">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue} 45% 30%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360} 50% 45%)"/></linearGradient></defs>
<rect width="320" height="200" fill="url(#g)"/>
<circle cx="270" cy="40" r="90" fill="#fff" fill-opacity=".06"/><circle cx="40" cy="190" r="70" fill="#fff" fill-opacity=".05"/>
<text x="24" y="120" font-family="Georgia,serif" font-size="64" font-weight="700" fill="#fff" fill-opacity=".92">${escapeHtml(initials(article.providerName))}</text>
<text x="26" y="160" font-family="system-ui,sans-serif" font-size="15" fill="#fff" fill-opacity=".85">${escapeHtml(article.providerDomain)}</text>
<text x="26" y="40" font-family="system-ui,sans-serif" font-size="13" letter-spacing="1.5" fill="#fff" fill-opacity=".75">${escapeHtml(topic.toUpperCase())}</text>
</svg>`;
}

const CACHED_FILE = /^[0-9a-f]{64}\.webp$/;

export function registerImageRoutes(app: FastifyInstance, site: SiteStore, desk: Desk): void {
  // The desk's cache when it keeps one; the offline demo keeps none, so nothing is fetched there,
  // but files already cached in the data dir are still served.
  const images = desk.imageCache ?? new ImageCache(desk.config.dataDir);
  const fetchMissing = desk.imageCache !== null;
  const inFlight = new Set<string>();
  const MAX_IN_FLIGHT = 4;

  /** Caches a thumbnail of `url` without holding up the page; a busy or failed fetch just leaves the placeholder. */
  const cacheLater = (url: string) => {
    if (inFlight.has(url) || inFlight.size >= MAX_IN_FLIGHT || !/^https?:\/\//.test(url)) return;
    inFlight.add(url);
    images
      .cache(url, desk.transport)
      .catch((err: unknown) => desk.log.debug({ err, url }, 'image not cached'))
      .finally(() => inFlight.delete(url));
  };

  const sendFile = (reply: import('fastify').FastifyReply, path: string) =>
    reply.header('cache-control', 'public, max-age=604800').type('image/webp').send(createReadStream(path));

  app.get<{ Params: { file: string } }>('/images/:file', async (req, reply) => {
    const path = join(images.dir, req.params.file);
    if (!CACHED_FILE.test(req.params.file) || !existsSync(path)) return reply.status(404).type('text/plain').send('no such image');
    return sendFile(reply, path);
  });

  app.get<{ Params: { id: string } }>('/img/a/:id', async (req, reply) => {
    const id = idOf(req.params.id);
    const article = id !== null ? await site.article(id) : null;
    if (!article) return reply.status(404).type('text/plain').send('no such image');
    const source = article.images[0]?.url;
    if (source) {
      const path = images.pathFor(source);
      if (existsSync(path)) return sendFile(reply, path);
      if (fetchMissing) cacheLater(source);
    }
    // Short-lived, so the thumbnail replaces it once cached.
    return reply.header('cache-control', 'public, max-age=300').type('image/svg+xml').send(placeholderSvg(article));
  });
}
