// The reference API's shapes, as pure functions of stored articles, so the server and the static
// export produce the same bytes for the same route.
import type { StoredArticle } from '../../store/index.ts';
import type { ImageRef } from '../../record.ts';

export const NEWS_PER_PAGE = 30;

export interface ApiImage {
  url: string;
  width: number | null;
  height: number | null;
  title: string | null;
  attribution: string | null;
  isCached: boolean;
}

export interface ApiNewsItem {
  path: string;
  title: string;
  excerpt: string;
  sourceUrl: null;
  webUrl: string;
  originalUrl: string;
  featuredContent: null;
  highlight: null;
  heat: number | null;
  tags: null;
  images: ApiImage[] | null;
  content: string;
  type: string;
  ampWebUrl: string | null;
  cdnAmpWebUrl: string | null;
  publishedDateTime: string | null;
  updatedDateTime: string | null;
  provider: { name: string; domain: string; images: ApiImage[] | null; publishers: null; authors: string[] | null };
  locale: string;
  categories: string[];
  topics: string[];
}

export interface ApiPage<T> {
  page: number;
  value: T[];
  nextPage: number | null;
}

function absolute(url: string, baseUrl: string): string {
  try {
    return new URL(url, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).href;
  } catch {
    return url;
  }
}

function apiImage(image: ImageRef, baseUrl: string): ApiImage {
  return {
    url: absolute(image.url, baseUrl),
    width: image.width,
    height: image.height,
    title: image.title ?? null,
    attribution: image.attribution ?? null,
    isCached: image.isCached === true,
  };
}

/** `_news/<YYYY-MM-DD-slug>.md`, the reference's path of an article. */
export function newsPath(article: Pick<StoredArticle, 'pathKey'>): string {
  return `_news/${article.pathKey}.md`;
}

/** A stored article in the reference API's item shape, key order included. */
export function toApiNewsItem(article: StoredArticle, baseUrl: string): ApiNewsItem {
  return {
    path: newsPath(article),
    title: article.title,
    excerpt: article.excerpt,
    sourceUrl: null,
    webUrl: article.webUrl,
    originalUrl: article.originalUrl,
    featuredContent: null,
    highlight: null,
    heat: article.heat,
    tags: null,
    images: article.images.length ? article.images.map((i) => apiImage(i, baseUrl)) : null,
    content: '\r\n',
    type: article.type,
    ampWebUrl: article.ampWebUrl,
    cdnAmpWebUrl: article.cdnAmpWebUrl,
    publishedDateTime: article.publishedDateTime,
    updatedDateTime: article.updatedDateTime,
    provider: {
      name: article.provider.name,
      domain: article.provider.domain,
      images: article.provider.images?.length ? article.provider.images.map((i) => apiImage(i, baseUrl)) : null,
      publishers: null,
      authors: article.authors.length ? article.authors : null,
    },
    locale: article.locale ?? 'en-us',
    categories: ['news'],
    topics: article.topics,
  };
}

export function newsPage(items: StoredArticle[], page: number, hasMore: boolean, baseUrl: string): ApiPage<ApiNewsItem> {
  return { page, value: items.map((a) => toApiNewsItem(a, baseUrl)), nextPage: hasMore ? page + 1 : null };
}

/**
 * Whether the API answers for an article: a published one, or one not scored yet (as in the stream);
 * held-back and blocked ones only when the desk chooses so (api.unpublishedItems).
 */
export function isPublicItem(config: { api: { unpublishedItems: boolean } }, article: { published: boolean | null; quality: number | null }): boolean {
  return config.api.unpublishedItems || article.published === true || article.quality === null;
}
