// API routes of the collections and the newsletter archive, in the reference's paths:
//   /api/companies/<topic-id>/page/N/   /api/companies/<slug>/   /api/companies/collections/<slug>/
//   /api/people/... (the same)          /api/events/page/N/  /api/events/future/page/N/  /api/events/past/page/N/
//   /api/events/<slug>/                 /api/learning/<topic-id>/page/N/  /api/learning/<type-folder>/<slug>/
//   /api/newsletters/page/N/            /api/newsletters/<slug>/
// Each route's body comes from one function here, used by the server and by the static export
// (`collectionApiFiles`), so both give the same bytes. Every route also answers at `.../index.json`.
import type { FastifyInstance } from 'fastify';
import type { Desk } from '../../jobs/desk.ts';
import { CollectionStore } from '../../store/collections.ts';
import { NewsletterStore, type NewsletterIssue } from '../../store/newsletter.ts';
import { newsdeskError } from '../../errors.ts';
import { topicById, allTopics } from '../../curate/topics/taxonomy.ts';
import { entityPage, toApiEntityItem, ENTITIES_PER_PAGE, type EntityPage } from '../../collections/api.ts';
import { membersOf } from '../../collections/query.ts';
import { LEARNING_FOLDERS, learningTypeOfFolder, type Entity, type EntityKind } from '../../collections/types.ts';
import { personalize } from '../newsletter/render.ts';
import { pageNumber } from '../params.ts';
import { entityPageSchema, entitySchema, errorResponses, newsletterPageSchema, newsletterSchema, pathParams } from '../ops/schemas.ts';
import { publicBaseUrl } from '../base-url.ts';

export const NEWSLETTERS_PER_PAGE = 30;

export interface ApiNewsletterItem {
  path: string;
  title: string;
  excerpt: string;
  sourceUrl: string;
  webUrl: string;
  publishedDateTime: string;
  type: 'article';
  topics: string[];
  sections: NewsletterIssue['sections'];
  content?: string;
}

export interface NewsletterPage {
  title: string;
  path: string;
  page: number;
  value: ApiNewsletterItem[];
  nextPage: number | null;
}

function base(desk: Desk): string {
  return publicBaseUrl(desk);
}

function topicName(desk: Desk, topicId: string): string {
  const def = topicById(desk.taxonomy, topicId);
  if (!def) throw newsdeskError('ND_NOT_FOUND', { what: `topic ${topicId}` });
  return def.name;
}

async function withMembers(collections: CollectionStore, items: Entity[]): Promise<Map<number, Entity[]>> {
  const members = new Map<number, Entity[]>();
  for (const item of items) if (item.subtype === 'collection' && typeof item.data.query === 'string') members.set(item.id, await membersOf(collections, item));
  return members;
}

/** `/api/<companies|people|learning>/<topic-id>/page/N/`: a kind's items in one topic, hottest first. */
export async function topicEntityPage(desk: Desk, kind: EntityKind, topicId: string, page: number): Promise<EntityPage> {
  const collections = new CollectionStore(desk.store);
  const { items, hasMore } = await collections.listEntities({ kind, topic: topicName(desk, topicId), page, perPage: ENTITIES_PER_PAGE });
  if (page > 1 && items.length === 0) throw newsdeskError('ND_NOT_FOUND', { what: `page ${page}` });
  return entityPage(kind, items, page, hasMore, base(desk), await withMembers(collections, items));
}

/** `/api/events/page/N/` (every event, latest start first), `future/` (soonest first), `past/` (latest first). */
export async function eventPage(desk: Desk, when: 'future' | 'past' | undefined, page: number): Promise<EntityPage> {
  const collections = new CollectionStore(desk.store);
  const now = desk.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const { items, hasMore } = await collections.listEntities({ kind: 'event', when, now, page, perPage: ENTITIES_PER_PAGE });
  if (page > 1 && items.length === 0) throw newsdeskError('ND_NOT_FOUND', { what: `page ${page}` });
  return entityPage('event', items, page, hasMore, base(desk));
}

/** One entity by slug: `/api/companies/cisco/`, `/api/learning/videos/<slug>/`. */
export async function entityItem(desk: Desk, kind: EntityKind, slug: string, learningFolder?: string): Promise<Record<string, unknown>> {
  const collections = new CollectionStore(desk.store);
  const entity = await collections.getEntity(kind, slug);
  if (!entity || (learningFolder && learningTypeOfFolder(learningFolder) !== entity.subtype)) throw newsdeskError('ND_NOT_FOUND', { what: `${kind} ${slug}` });
  const members = entity.subtype === 'collection' ? await membersOf(collections, entity) : undefined;
  return toApiEntityItem(entity, base(desk), members);
}

function newsletterItem(desk: Desk, issue: NewsletterIssue, withContent: boolean): ApiNewsletterItem {
  const b = base(desk);
  return {
    path: `_newsletters/${issue.slug}.html`,
    title: issue.title,
    excerpt: issue.excerpt,
    sourceUrl: `${b}/api/newsletters/${issue.slug}/index.json`,
    webUrl: `${b}/newsletter/${issue.slug}/`,
    publishedDateTime: issue.publishedAt,
    type: 'article',
    topics: [desk.taxonomy.root.name],
    sections: issue.sections.map((s) => ({ heading: s.heading, items: s.items.map(({ ref: _ref, ...item }) => item) })),
    ...(withContent ? { content: personalize(issue.html, `${b}/newsletter/unsubscribe/`, true) } : {}),
  };
}

export async function newsletterPage(desk: Desk, page: number): Promise<NewsletterPage> {
  const { items, hasMore } = await new NewsletterStore(desk.store).listIssues({ page, perPage: NEWSLETTERS_PER_PAGE });
  if (page > 1 && items.length === 0) throw newsdeskError('ND_NOT_FOUND', { what: `page ${page}` });
  return { title: `${desk.config.siteName} Newsletters`, path: '_newsletters/', page, value: items.map((i) => newsletterItem(desk, i, false)), nextPage: hasMore ? page + 1 : null };
}

export async function newsletterBySlug(desk: Desk, slug: string): Promise<ApiNewsletterItem> {
  const issue = await new NewsletterStore(desk.store).issueBySlug(slug);
  if (!issue) throw newsdeskError('ND_NOT_FOUND', { what: `newsletter ${slug}` });
  return newsletterItem(desk, issue, true);
}

const PAGED_KINDS = [
  ['companies', 'company'],
  ['people', 'person'],
  ['learning', 'learning'],
] as const;

export function registerCollectionApiRoutes(app: FastifyInstance, desk: Desk): void {
  // Each route documented by the schema of what it answers (see ../ops/schemas.ts); its path
  // parameters are the `:names` of its path, checked by ../params.ts.
  const get = <P extends Record<string, string>>(path: string, handler: (params: P) => Promise<unknown>, answer: object = entityPageSchema) => {
    const params = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const schema = { ...(params.length ? { params: pathParams(...params) } : {}), response: { 200: answer, ...errorResponses } };
    app.get(path, { schema }, async (req) => handler(req.params as P));
    app.get(`${path}index.json`, { schema }, async (req) => handler(req.params as P));
  };
  for (const [segment, kind] of PAGED_KINDS) {
    get<{ topic: string; page: string }>(`/api/${segment}/:topic/page/:page/`, async (p) => topicEntityPage(desk, kind, p.topic, pageNumber(p.page)));
    if (kind !== 'learning') {
      get<{ slug: string }>(`/api/${segment}/collections/:slug/`, async (p) => entityItem(desk, kind, `collections/${p.slug}`), entitySchema);
      // `/api/companies/<x>/`: a topic's first page when x is a topic id, else the entity with slug x.
      get<{ slug: string }>(`/api/${segment}/:slug/`, async (p) =>
        topicById(desk.taxonomy, p.slug) ? topicEntityPage(desk, kind, p.slug, 1) : entityItem(desk, kind, p.slug),
        { anyOf: [entityPageSchema, entitySchema] },
      );
    }
  }
  get<{ topic: string }>('/api/learning/:topic/', async (p) => topicEntityPage(desk, 'learning', p.topic, 1));
  for (const folder of Object.values(LEARNING_FOLDERS)) {
    get<{ slug: string }>(`/api/learning/${folder}/:slug/`, async (p) => entityItem(desk, 'learning', p.slug, folder), entitySchema);
  }
  get('/api/events/', async () => eventPage(desk, undefined, 1));
  get<{ page: string }>('/api/events/page/:page/', async (p) => eventPage(desk, undefined, pageNumber(p.page)));
  for (const when of ['future', 'past'] as const) {
    get(`/api/events/${when}/`, async () => eventPage(desk, when, 1));
    get<{ page: string }>(`/api/events/${when}/page/:page/`, async (p) => eventPage(desk, when, pageNumber(p.page)));
  }
  get<{ slug: string }>('/api/events/:slug/', async (p) => entityItem(desk, 'event', p.slug), entitySchema);
  get('/api/newsletters/', async () => newsletterPage(desk, 1), newsletterPageSchema);
  get<{ page: string }>('/api/newsletters/page/:page/', async (p) => newsletterPage(desk, pageNumber(p.page)), newsletterPageSchema);
  get<{ slug: string }>('/api/newsletters/:slug/', async (p) => newsletterBySlug(desk, p.slug), newsletterSchema);
}

/** Every collection and newsletter API route with its body, as the static export writes them. */
export async function* collectionApiFiles(desk: Desk): AsyncGenerator<{ route: string; body: unknown }> {
  const collections = new CollectionStore(desk.store);
  const topics = allTopics(desk.taxonomy);
  for (const [segment, kind] of PAGED_KINDS) {
    for (const topic of topics) {
      for (let page = 1; ; page++) {
        const body = await topicEntityPage(desk, kind, topic.id, page);
        yield { route: `/api/${segment}/${topic.id}/page/${page}/`, body };
        if (page === 1) yield { route: `/api/${segment}/${topic.id}/`, body };
        if (body.nextPage === null) break;
      }
    }
  }
  for (const when of [undefined, 'future', 'past'] as const) {
    const prefix = when ? `/api/events/${when}` : '/api/events';
    for (let page = 1; ; page++) {
      const body = await eventPage(desk, when, page);
      yield { route: `${prefix}/page/${page}/`, body };
      if (page === 1) yield { route: `${prefix}/`, body };
      if (body.nextPage === null) break;
    }
  }
  for await (const entity of collections.iterateEntities()) {
    if (entity.kind === 'organization' || entity.kind === 'sponsorship') continue;
    const folder = entity.kind === 'learning' ? LEARNING_FOLDERS[entity.subtype as keyof typeof LEARNING_FOLDERS] : undefined;
    const route = entity.kind === 'learning' ? `/api/learning/${folder}/${entity.slug}/` : `/api/${entity.kind === 'company' ? 'companies' : entity.kind === 'person' ? 'people' : 'events'}/${entity.slug}/`;
    // A slug that is also a topic id is served as the topic's page; the entity is not reachable there.
    if (entity.kind !== 'learning' && topicById(desk.taxonomy, entity.slug)) continue;
    yield { route, body: await entityItem(desk, entity.kind, entity.slug, folder) };
  }
  for (let page = 1; ; page++) {
    const body = await newsletterPage(desk, page);
    yield { route: `/api/newsletters/page/${page}/`, body };
    if (page === 1) yield { route: '/api/newsletters/', body };
    for (const item of body.value) yield { route: `/api/newsletters/${item.path.replace(/^_newsletters\/|\.html$/g, '')}/`, body: await newsletterBySlug(desk, item.path.replace(/^_newsletters\/|\.html$/g, '')) };
    if (body.nextPage === null) break;
  }
}
