// JSON schemas of the JSON API's answers: what /api/openapi.json documents, and what the OpenAPI test
// checks real answers against. The server keeps serializing with JSON.stringify (see server.ts), so
// a schema here documents a shape and never changes the bytes sent.

const nullable = (type: string | string[]) => ({ type: [...(Array.isArray(type) ? type : [type]), 'null'] });
const strings = { type: 'array', items: { type: 'string' } } as const;

export const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
} as const;

const imageSchema = {
  type: 'object',
  required: ['url', 'width', 'height', 'title', 'attribution', 'isCached'],
  properties: { url: { type: 'string' }, width: nullable('number'), height: nullable('number'), title: nullable('string'), attribution: nullable('string'), isCached: { type: 'boolean' } },
} as const;
const images = { anyOf: [{ type: 'array', items: imageSchema }, { type: 'null' }] };

/** The reference's news item (src/publish/api/news.ts). */
export const newsItemSchema = {
  type: 'object',
  required: ['path', 'title', 'excerpt', 'webUrl', 'originalUrl', 'heat', 'images', 'type', 'publishedDateTime', 'provider', 'locale', 'categories', 'topics'],
  properties: {
    path: { type: 'string', pattern: '^_news/' },
    title: { type: 'string' },
    excerpt: { type: 'string' },
    sourceUrl: { type: 'null' },
    webUrl: { type: 'string' },
    originalUrl: { type: 'string' },
    featuredContent: { type: 'null' },
    highlight: { type: 'null' },
    heat: nullable('number'),
    tags: { type: 'null' },
    images,
    content: { type: 'string' },
    type: { type: 'string' },
    ampWebUrl: nullable('string'),
    cdnAmpWebUrl: nullable('string'),
    publishedDateTime: nullable('string'),
    updatedDateTime: nullable('string'),
    provider: {
      type: 'object',
      required: ['name', 'domain'],
      properties: { name: { type: 'string' }, domain: { type: 'string' }, images, publishers: { type: 'null' }, authors: { anyOf: [strings, { type: 'null' }] } },
    },
    locale: { type: 'string' },
    categories: strings,
    topics: strings,
  },
} as const;

const pageFields = { page: { type: 'integer', minimum: 1 }, nextPage: nullable('integer') } as const;

export const newsPageSchema = {
  type: 'object',
  required: ['page', 'value', 'nextPage'],
  properties: { ...pageFields, value: { type: 'array', items: newsItemSchema } },
} as const;

/** A collection entity (company, person, event, learning) in the reference's shape: open beyond its path and title. */
const entityItemSchema = {
  type: 'object',
  required: ['path', 'title'],
  properties: { path: { type: 'string' }, title: { type: 'string' } },
  additionalProperties: true,
} as const;

export const entityPageSchema = {
  type: 'object',
  required: ['title', 'path', 'page', 'value', 'nextPage'],
  properties: { title: { type: 'string' }, path: { type: 'string' }, ...pageFields, value: { type: 'array', items: entityItemSchema } },
} as const;

export const entitySchema = entityItemSchema;

const newsletterItemSchema = {
  type: 'object',
  required: ['path', 'title', 'excerpt', 'sourceUrl', 'webUrl', 'publishedDateTime', 'type', 'topics', 'sections'],
  properties: {
    path: { type: 'string', pattern: '^_newsletters/' },
    title: { type: 'string' },
    excerpt: { type: 'string' },
    sourceUrl: { type: 'string' },
    webUrl: { type: 'string' },
    publishedDateTime: { type: 'string' },
    type: { const: 'article' },
    topics: strings,
    sections: { type: 'array', items: { type: 'object', required: ['heading', 'items'], properties: { heading: { type: 'string' }, items: { type: 'array', items: { type: 'object' } } } } },
    content: { type: 'string' },
  },
} as const;

export const newsletterSchema = newsletterItemSchema;

export const newsletterPageSchema = {
  type: 'object',
  required: ['title', 'path', 'page', 'value', 'nextPage'],
  properties: { title: { type: 'string' }, path: { type: 'string' }, ...pageFields, value: { type: 'array', items: newsletterItemSchema } },
} as const;

export const sourcesSchema = {
  type: 'object',
  required: ['value'],
  properties: {
    value: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'url', 'name', 'status', 'lastFetchedAt', 'nextFetchAt'],
        properties: {
          id: { type: 'integer' },
          url: { type: 'string' },
          name: nullable('string'),
          status: { type: 'string' },
          lastError: nullable('string'),
          lastErrorCode: nullable('string'),
          lastFetchedAt: nullable('string'),
          nextFetchAt: nullable('string'),
        },
      },
    },
  },
} as const;

const storyEventSchema = { type: 'object', required: ['at', 'kind'], properties: { at: { type: 'string' }, kind: { type: 'string' } }, additionalProperties: true } as const;

export const storySchema = {
  type: 'object',
  required: ['id', 'heat', 'lead', 'members', 'mergedFrom', 'history'],
  properties: {
    id: { type: 'integer' },
    heat: nullable('number'),
    lead: nullable('string'),
    members: { type: 'array', items: newsItemSchema },
    mergedFrom: { type: 'array', items: { type: 'integer' } },
    history: { type: 'array', items: storyEventSchema },
  },
} as const;

export const explainSchema = {
  type: 'object',
  required: ['path', 'title', 'topics', 'quality', 'heat', 'published', 'extraction', 'story', 'history'],
  properties: {
    path: { type: 'string' },
    title: { type: 'string' },
    topics: strings,
    quality: nullable('number'),
    qualityParts: { type: 'array', items: { type: 'object' } },
    heat: nullable('number'),
    published: nullable('boolean'),
    extraction: { type: 'object', required: ['status', 'reason'], properties: { status: { type: 'string' }, reason: nullable('string') } },
    story: { anyOf: [{ type: 'object', required: ['id', 'members', 'history'], properties: { id: { type: 'integer' }, members: { type: 'array', items: { type: 'object' } }, history: { type: 'array', items: storyEventSchema } } }, { type: 'null' }] },
    history: { type: 'array', items: { type: 'object' } },
  },
} as const;

export const liveSchema = {
  type: 'object',
  required: ['status', 'uptimeSeconds', 'pid'],
  properties: { status: { const: 'live' }, uptimeSeconds: { type: 'integer', minimum: 0 }, pid: { type: 'integer' } },
} as const;

const check = (extra: Record<string, unknown> = {}, required: string[] = []) => ({ type: 'object', required: ['ok', ...required], properties: { ok: { type: 'boolean' }, ...extra } });

export const readySchema = {
  type: 'object',
  required: ['status', 'ready', 'reasons', 'checks'],
  properties: {
    status: { enum: ['ready', 'not ready'] },
    ready: { type: 'boolean' },
    reasons: strings,
    checks: {
      type: 'object',
      required: ['store', 'migrations', 'worker', 'loading'],
      properties: {
        store: check({ error: { type: 'string' } }),
        migrations: check({ pending: strings }, ['pending']),
        worker: check({ required: { type: 'boolean' }, alive: { type: 'integer', minimum: 0 } }, ['required', 'alive']),
        loading: check(),
      },
    },
  },
} as const;

export const healthSchema = {
  type: 'object',
  required: ['status', 'live', 'ready', 'reasons', 'articles', 'published', 'sources', 'sourcesWithErrors', 'stories', 'store', 'demo'],
  properties: {
    status: { enum: ['ok', 'unavailable'] },
    live: { const: true },
    ready: { type: 'boolean' },
    reasons: strings,
    articles: nullable('integer'),
    published: nullable('integer'),
    sources: nullable('integer'),
    sourcesWithErrors: nullable('integer'),
    stories: nullable('integer'),
    store: { enum: ['sqlite', 'postgres'] },
    demo: { type: 'boolean' },
  },
} as const;

/** Path parameters of the API: strings, checked by src/publish/params.ts at the edge (so a bad one is 400/404 in the API's own error form). */
export function pathParams(...names: string[]) {
  return { type: 'object', required: names, properties: Object.fromEntries(names.map((n) => [n, { type: 'string' }])) };
}

/** The answers every JSON route may give besides its own: a coded error. */
export const errorResponses = { 400: errorSchema, 404: errorSchema } as const;
