// `GET /api/search?q=`: the site's search as JSON. Every stored article but those of blocked stories,
// published ones first; each match of the title and the snippet given as offsets into the plain text
// (UTF-16 code units, as JavaScript strings count) and as escaped HTML with <mark>.
import type { FastifyInstance } from 'fastify';
import type { Desk } from '../../jobs/desk.ts';
import { SiteStore, MARK_START, MARK_END } from '../../store/site.ts';
import { topicById } from '../../curate/topics/taxonomy.ts';
import { newsdeskError } from '../../errors.ts';
import { marked } from '../site/components.ts';
import { publicBaseUrl } from '../base-url.ts';

export const SEARCH_PER_PAGE = 20;

export interface MarkedText {
  text: string;
  matches: Array<{ start: number; end: number }>;
}

/** The store's marked text as plain text and the [start, end) ranges of its matches. */
export function markedRanges(markedText: string): MarkedText {
  let text = '';
  let start: number | null = null;
  const matches: MarkedText['matches'] = [];
  for (const ch of markedText) {
    if (ch === MARK_START) start ??= text.length;
    else if (ch === MARK_END) {
      if (start !== null && text.length > start) matches.push({ start, end: text.length });
      start = null;
    } else text += ch;
  }
  if (start !== null && text.length > start) matches.push({ start, end: text.length });
  return { text, matches };
}

const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const matchedText = {
  type: 'object',
  required: ['text', 'matches', 'html'],
  properties: {
    text: { type: 'string' },
    matches: { type: 'array', items: { type: 'object', required: ['start', 'end'], properties: { start: { type: 'integer' }, end: { type: 'integer' } } } },
    html: { type: 'string', description: 'the text escaped as HTML, matches in <mark>' },
  },
} as const;

export const searchSchema = {
  summary: 'Full-text search over every stored article (published first)',
  tags: ['news'],
  querystring: {
    type: 'object',
    required: ['q'],
    additionalProperties: false,
    properties: {
      q: { type: 'string', minLength: 1, maxLength: 200, description: 'words to find (all of them; other forms of a word match too)' },
      page: { type: 'integer', minimum: 1, maximum: 10000, default: 1 },
      topic: { type: 'string', maxLength: 100, description: 'a topic id of the taxonomy' },
      provider: { type: 'string', maxLength: 253, description: "a publisher's registrable domain" },
      from: { ...day, description: 'first UTC day, inclusive' },
      to: { ...day, description: 'last UTC day, inclusive' },
    },
  },
  response: {
    200: {
      type: 'object',
      required: ['query', 'page', 'nextPage', 'results'],
      properties: {
        query: { type: 'string' },
        page: { type: 'integer' },
        nextPage: { type: ['integer', 'null'] },
        results: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'title', 'snippet', 'url', 'published', 'provider', 'publishedDateTime', 'storyUrl', 'topics'],
            properties: {
              id: { type: 'integer' },
              title: matchedText,
              snippet: matchedText,
              url: { type: 'string', description: "the article at its publisher's" },
              published: { type: ['boolean', 'null'], description: 'true: published; false: held back (an outlet under a story, or below the bar); null: not scored yet' },
              publishedDateTime: { type: ['string', 'null'] },
              provider: { type: 'object', required: ['name', 'domain'], properties: { name: { type: 'string' }, domain: { type: 'string' } } },
              storyUrl: { type: ['string', 'null'], description: "the story's page on this site, when readers may see it" },
              topics: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
    },
  },
} as const;

interface SearchQuery {
  q: string;
  page?: number;
  topic?: string;
  provider?: string;
  from?: string;
  to?: string;
}

export function registerSearchApiRoutes(app: FastifyInstance, desk: Desk): void {
  const site = new SiteStore(desk.store);
  app.get<{ Querystring: SearchQuery }>('/api/search', { schema: searchSchema }, async (req) => {
    const { page = 1, from, to } = req.query;
    const q = req.query.q.trim();
    if (!q) throw newsdeskError('ND_BAD_REQUEST', { reason: 'q is empty' });
    const topic = req.query.topic ? topicById(desk.taxonomy, req.query.topic) : null;
    if (req.query.topic && !topic) throw newsdeskError('ND_NOT_FOUND', { what: `topic ${req.query.topic}` });
    const { hits, hasMore } = await site.search({ query: q, topic: topic?.name ?? null, provider: req.query.provider?.trim().toLowerCase() || null, from: from ?? null, to: to ?? null, page, perPage: SEARCH_PER_PAGE });
    const base = publicBaseUrl(desk);
    const withHtml = (markedText: string) => ({ ...markedRanges(markedText), html: marked(markedText).value });
    return {
      query: q,
      page,
      nextPage: hasMore ? page + 1 : null,
      results: hits.map((h) => ({
        id: h.article.id,
        title: withHtml(h.titleMarked),
        snippet: withHtml(h.snippetMarked),
        url: h.article.webUrl,
        published: h.article.published,
        publishedDateTime: h.article.publishedAt,
        provider: { name: h.article.providerName, domain: h.article.providerDomain },
        storyUrl: h.storyVisible && h.article.storyId !== null ? `${base}/story/${h.article.storyId}` : null,
        topics: h.article.topics,
      })),
    };
  });
}
