// /feeds.opml: every outgoing feed in one OPML 2.0 list, so a reader app subscribes to the whole desk
// (or picks from it) in one import. The site's own feeds at the top, then a folder each for topics,
// providers and saved searches; RSS of each (the other formats sit beside it at the same path), with
// absolute URLs from `baseUrl`. Written by the same writer as `sources export`.
import type { FastifyInstance } from 'fastify';
import type { Desk } from '../../jobs/desk.ts';
import { writeOpml, type OpmlSource } from '../../feeds/opml.ts';
import { allTopics } from '../../curate/topics/taxonomy.ts';
import { SiteStore } from '../../store/site.ts';
import { CollectionStore } from '../../store/collections.ts';
import { publicBaseUrl } from '../base-url.ts';

export const OPML_PATH = '/feeds.opml';
export const OPML_CONTENT_TYPE = 'text/x-opml; charset=utf-8';
/** Providers listed at most: every outlet a desk of a field's daily news has, with room to spare. */
const MAX_PROVIDERS = 10_000;

export async function outgoingFeeds(desk: Desk): Promise<OpmlSource[]> {
  const base = publicBaseUrl(desk);
  const site = desk.config.siteName;
  const feeds: OpmlSource[] = [
    { title: `${site}: all news`, xmlUrl: `${base}/feeds/news.rss`, htmlUrl: `${base}/latest`, category: null },
    { title: `${site}: top stories`, xmlUrl: `${base}/feed.atom`, htmlUrl: `${base}/`, category: null },
  ];
  for (const topic of allTopics(desk.taxonomy)) {
    feeds.push({ title: `${site}: ${topic.name}`, xmlUrl: `${base}/feeds/topics/${encodeURIComponent(topic.id)}.rss`, htmlUrl: `${base}/topic/${encodeURIComponent(topic.id)}`, category: 'Topics' });
  }
  const providers = (await new SiteStore(desk.store).providers(MAX_PROVIDERS)).sort((a, b) => a.name.localeCompare(b.name) || a.domain.localeCompare(b.domain));
  for (const p of providers) {
    feeds.push({ title: `${site}: ${p.name}`, xmlUrl: `${base}/feeds/providers/${encodeURIComponent(p.domain)}.rss`, htmlUrl: `${base}/provider/${encodeURIComponent(p.domain)}`, category: 'Providers' });
  }
  for (const s of await new CollectionStore(desk.store).listSavedSearches()) {
    feeds.push({ title: `${site}: ${s.name}`, xmlUrl: `${base}/feeds/searches/${encodeURIComponent(s.slug)}.rss`, htmlUrl: `${base}/search?q=${encodeURIComponent(s.query)}`, category: 'Saved searches' });
  }
  return feeds;
}

export function registerOpmlRoute(app: FastifyInstance, desk: Desk): void {
  app.get(OPML_PATH, async (_req, reply) => {
    const body = writeOpml(await outgoingFeeds(desk), `${desk.config.siteName}: every feed`);
    return reply.header('cache-control', 'public, max-age=300').type(OPML_CONTENT_TYPE).send(body);
  });
}
