// Feed URLs, each in three formats (`.rss`, `.atom`, `.json`):
//   /feeds/news.<ext>                   the published stream
//   /feeds/topics/<topic-id>.<ext>      one topic
//   /feeds/providers/<domain>.<ext>     one publisher (registrable domain)
//   /feeds/searches/<slug>.<ext>        a saved search (a named query kept in the store)
//   /feeds/search.<ext>?q=<query>       an ad-hoc search
// and /feeds.opml lists them all (opml.ts).
// Searches use the site's full-text index (SiteStore.search) and fall back to matching the title and
// excerpt (CollectionStore.searchStream) where that index is not available.
import type { FastifyInstance } from 'fastify';
import type { Desk } from '../../jobs/desk.ts';
import type { StoredArticle } from '../../store/index.ts';
import { CollectionStore } from '../../store/collections.ts';
import { SiteStore } from '../../store/site.ts';
import { newsdeskError } from '../../errors.ts';
import { topicById } from '../../curate/topics/taxonomy.ts';
import { renderFeed, FEED_CONTENT_TYPES, type FeedFormat, type FeedMeta } from './write.ts';
import { registerOpmlRoute } from './opml.ts';
import { publicBaseUrl } from '../base-url.ts';

export const FEED_ITEMS = 50;

export type FeedScope = { kind: 'news' } | { kind: 'topic'; id: string } | { kind: 'provider'; domain: string } | { kind: 'search'; slug: string } | { kind: 'query'; query: string };

function splitExtension(name: string): { base: string; format: FeedFormat } {
  const match = /^(.+)\.(rss|atom|json)$/.exec(name);
  if (!match) throw newsdeskError('ND_NOT_FOUND', { what: `feed ${name}` });
  return { base: match[1]!, format: match[2] as FeedFormat };
}

/** Matching articles for a query, newest first: full-text where the site's index answers, else LIKE. */
export async function searchArticles(desk: Desk, query: string, limit = FEED_ITEMS): Promise<StoredArticle[]> {
  try {
    const { hits } = await new SiteStore(desk.store).search({ query, page: 1, perPage: limit, publishedOnly: true });
    const articles = await desk.store.getArticles(hits.map((h) => h.article.id));
    return articles.sort((a, b) => (b.publishedDateTime ?? '').localeCompare(a.publishedDateTime ?? '') || b.id - a.id);
  } catch (err) {
    desk.log.debug({ err }, 'full-text search unavailable; matching title and excerpt');
    return (await new CollectionStore(desk.store).searchStream(query, { page: 1, perPage: limit })).items;
  }
}

/** The feed document of a scope, and its content type. */
export async function buildFeed(desk: Desk, scope: FeedScope, format: FeedFormat): Promise<{ body: string; contentType: string }> {
  const base = publicBaseUrl(desk);
  const site = desk.config.siteName;
  let meta: Omit<FeedMeta, 'feedUrl'>;
  let items: StoredArticle[];
  let path: string;
  switch (scope.kind) {
    case 'news':
      items = (await desk.store.listStream({ page: 1, perPage: FEED_ITEMS })).items;
      meta = { title: site, description: `The latest published stories of ${site}.`, homeUrl: `${base}/` };
      path = 'news';
      break;
    case 'topic': {
      const topic = topicById(desk.taxonomy, scope.id);
      if (!topic) throw newsdeskError('ND_NOT_FOUND', { what: `topic ${scope.id}` });
      items = (await desk.store.listStream({ page: 1, perPage: FEED_ITEMS, topic: topic.name })).items;
      meta = { title: `${site}: ${topic.name}`, description: topic.description ?? `Published stories about ${topic.name}.`, homeUrl: `${base}/topics/${topic.id}/` };
      path = `topics/${topic.id}`;
      break;
    }
    case 'provider': {
      const domain = scope.domain.toLowerCase();
      items = (await new CollectionStore(desk.store).providerStream(domain, { page: 1, perPage: FEED_ITEMS })).items;
      if (items.length === 0) throw newsdeskError('ND_NOT_FOUND', { what: `provider ${domain}` });
      meta = { title: `${site}: ${items[0]!.provider.name}`, description: `Published stories from ${domain}.`, homeUrl: `${base}/providers/${domain}/` };
      path = `providers/${domain}`;
      break;
    }
    case 'search': {
      const saved = await new CollectionStore(desk.store).getSavedSearch(scope.slug);
      if (!saved) throw newsdeskError('ND_NOT_FOUND', { what: `saved search ${scope.slug}` });
      items = await searchArticles(desk, saved.query);
      meta = { title: `${site}: ${saved.name}`, description: `Published stories matching “${saved.query}”.`, homeUrl: `${base}/search?q=${encodeURIComponent(saved.query)}` };
      path = `searches/${saved.slug}`;
      break;
    }
    case 'query': {
      if (!scope.query.trim()) throw newsdeskError('ND_BAD_REQUEST', { reason: 'q is empty' });
      items = await searchArticles(desk, scope.query);
      meta = { title: `${site}: ${scope.query}`, description: `Published stories matching “${scope.query}”.`, homeUrl: `${base}/search?q=${encodeURIComponent(scope.query)}` };
      return { body: renderFeed(format, { ...meta, feedUrl: `${base}/feeds/search.${format}?q=${encodeURIComponent(scope.query)}` }, items), contentType: FEED_CONTENT_TYPES[format] };
    }
  }
  return { body: renderFeed(format, { ...meta, feedUrl: `${base}/feeds/${path}.${format}` }, items), contentType: FEED_CONTENT_TYPES[format] };
}

export function registerFeedRoutes(app: FastifyInstance, desk: Desk): void {
  const send = async (scope: FeedScope, format: FeedFormat, reply: { type(t: string): unknown; send(b: string): unknown }) => {
    const { body, contentType } = await buildFeed(desk, scope, format);
    reply.type(contentType);
    return reply.send(body);
  };
  app.get<{ Params: { name: string } }>('/feeds/:name', async (req, reply) => {
    const { base, format } = splitExtension(req.params.name);
    if (base === 'news') return send({ kind: 'news' }, format, reply);
    if (base === 'search') return send({ kind: 'query', query: String((req.query as { q?: string }).q ?? '') }, format, reply);
    throw newsdeskError('ND_NOT_FOUND', { what: `feed ${req.params.name}` });
  });
  app.get<{ Params: { name: string } }>('/feeds/topics/:name', async (req, reply) => {
    const { base, format } = splitExtension(req.params.name);
    return send({ kind: 'topic', id: base }, format, reply);
  });
  app.get<{ Params: { name: string } }>('/feeds/providers/:name', async (req, reply) => {
    const { base, format } = splitExtension(req.params.name);
    return send({ kind: 'provider', domain: base }, format, reply);
  });
  app.get<{ Params: { name: string } }>('/feeds/searches/:name', async (req, reply) => {
    const { base, format } = splitExtension(req.params.name);
    return send({ kind: 'search', slug: base }, format, reply);
  });
  registerOpmlRoute(app, desk);
}
