// JSON API routes: the reference's paged news lists, one item, stories and sources (health: ../ops/health.ts).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { siteContext } from '../site/context.ts';
import type { Desk } from '../../jobs/desk.ts';
import { newsPage, toApiNewsItem, isPublicItem, NEWS_PER_PAGE } from './news.ts';
import { newsdeskError } from '../../errors.ts';
import { topicById } from '../../curate/topics/taxonomy.ts';
import { resolveStory, storiesMergedInto, storyEvents } from '../../store/stories.ts';
import { pageNumber } from '../params.ts';
import { errorResponses, explainSchema, newsItemSchema, newsPageSchema, pathParams, sourcesSchema, storySchema } from '../ops/schemas.ts';

// Documentation of each route (see ../ops/schemas.ts); parameters are checked by ../params.ts.
const newsList = (...params: string[]) => ({ schema: { ...(params.length ? { params: pathParams(...params) } : {}), response: { 200: newsPageSchema, ...errorResponses } } });
import { publicBaseUrl } from '../base-url.ts';

function storyIdParam(raw: string): number {
  const id = Number(raw);
  if (!/^\d{1,15}$/.test(raw) || !Number.isSafeInteger(id)) throw newsdeskError('ND_NOT_FOUND', { what: `story ${raw}` });
  return id;
}

export function registerApiRoutes(app: FastifyInstance, desk: Desk): void {
  // Read per request: the listening address is known only once the server listens.
  const baseUrl = () => publicBaseUrl(desk);

  const buildStreamPage = async (page: number, topicId?: string) => {
    let topic: string | undefined;
    if (topicId !== undefined) {
      const def = topicById(desk.taxonomy, topicId);
      if (!def) throw newsdeskError('ND_NOT_FOUND', { what: `topic ${topicId}` });
      topic = def.name;
    }
    const { items, hasMore } = await desk.store.listStream({ page, perPage: NEWS_PER_PAGE, topic });
    if (page > 1 && items.length === 0) throw newsdeskError('ND_NOT_FOUND', { what: `page ${page}` });
    return newsPage(items, page, hasMore, baseUrl());
  };
  // Stream pages are read far more often than they change: they share the site's short-lived page
  // cache, which the desk clears after every editorial decision.
  const cache = siteContext(desk).cache;
  const sendStreamPage = async (reply: FastifyReply, page: number, topicId?: string) => {
    const body = await cache.get(`api:news:${topicId ?? ''}:${page}`, async () => JSON.stringify(await buildStreamPage(page, topicId)));
    return reply.type('application/json; charset=utf-8').send(body);
  };

  app.get('/api/news/', newsList(), async (_req, reply) => sendStreamPage(reply, 1));
  app.get<{ Params: { page: string } }>('/api/news/page/:page/', newsList('page'), async (req, reply) => sendStreamPage(reply, pageNumber(req.params.page)));
  const isPublic = (article: { published: boolean | null; quality: number | null }) => isPublicItem(desk.config, article);
  const publicArticle = async (rawKey: string) => {
    const key = rawKey.replace(/^_news\//, '').replace(/\.md$/, '');
    const article = await desk.store.getArticleByPathKey(key);
    if (!article || !isPublic(article)) throw newsdeskError('ND_NOT_FOUND', { what: `article ${key}` });
    return article;
  };
  app.get<{ Params: { key: string } }>('/api/news/item/:key/', { schema: { params: pathParams('key'), response: { 200: newsItemSchema, ...errorResponses } } }, async (req) => toApiNewsItem(await publicArticle(req.params.key), baseUrl()));
  // Why an article scored and was (not) published: quality parts, its story, and every score change.
  app.get<{ Params: { key: string } }>('/api/news/item/:key/explain/', { schema: { params: pathParams('key'), response: { 200: explainSchema, ...errorResponses } } }, async (req) => {
    const article = await publicArticle(req.params.key);
    const story = article.storyId !== null ? await desk.store.getStory(article.storyId) : null;
    const members = story ? (await desk.store.storyMembers(story.id)).filter(isPublic) : [];
    return {
      path: `_news/${article.pathKey}.md`,
      title: article.title,
      topics: article.topics,
      quality: article.quality,
      qualityParts: article.qualityParts,
      heat: article.heat,
      published: article.published,
      extraction: { status: article.extraction.status, reason: article.extraction.reason ?? null },
      story: story
        ? {
            id: story.id,
            override: story.override,
            leadArticleId: story.leadArticleId,
            members: members.map((m) => ({ path: `_news/${m.pathKey}.md`, title: m.title, provider: m.provider.name, quality: m.quality, heat: m.heat })),
            history: await storyEvents(desk.store, story.id),
          }
        : null,
      history: await desk.store.history(article.id),
    };
  });
  // A story as readers see it: its outlets and what happened to it. A story merged into another
  // answers with a permanent redirect to the one that holds it now.
  app.get<{ Params: { id: string } }>('/api/stories/:id/', { schema: { params: pathParams('id'), response: { 200: storySchema, 301: { type: 'null', description: 'merged into another story: Location names it' }, ...errorResponses } } }, async (req, reply) => {
    const storyId = storyIdParam(req.params.id);
    const current = await resolveStory(desk.store, storyId);
    if (current !== null && current !== storyId) return reply.redirect(`/api/stories/${current}/`, 301);
    const story = current === null ? null : await desk.store.getStory(storyId);
    const members = story ? await desk.store.storyMembers(storyId) : [];
    if (!story || story.override === 'block' || !members.some((m) => m.published === true)) throw newsdeskError('ND_NOT_FOUND', { what: `story ${storyId}` });
    return {
      id: story.id,
      heat: story.heat,
      lead: members.find((m) => m.id === story.leadArticleId) ? `_news/${members.find((m) => m.id === story.leadArticleId)!.pathKey}.md` : null,
      members: members.map((m) => toApiNewsItem(m, baseUrl())),
      mergedFrom: await storiesMergedInto(desk.store, storyId),
      history: (await storyEvents(desk.store, storyId)).map((e) => ({ at: e.at, kind: e.kind, detail: e.detail, by: e.actor ?? 'consolidation' })),
    };
  });
  app.get<{ Params: { topic: string } }>('/api/news/:topic/', newsList('topic'), async (req, reply) => sendStreamPage(reply, 1, req.params.topic));
  app.get<{ Params: { topic: string; page: string } }>('/api/news/:topic/page/:page/', newsList('topic', 'page'), async (req, reply) =>
    sendStreamPage(reply, pageNumber(req.params.page), req.params.topic),
  );

  app.get('/api/sources/', { schema: { response: { 200: sourcesSchema } } }, async () => {
    const sources = await desk.store.listSources();
    return {
      value: sources.map((s) => ({
        id: s.id,
        url: s.url,
        name: s.name,
        status: s.status,
        // An error names the hosts, addresses and paths the desk fetched: shown only when chosen.
        ...(desk.config.api.sourceErrors ? { lastError: s.lastError, lastErrorCode: s.lastErrorCode } : {}),
        lastFetchedAt: s.lastFetchedAt,
        nextFetchAt: s.nextFetchAt,
      })),
    };
  });
}
