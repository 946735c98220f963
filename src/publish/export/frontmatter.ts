// The reference news record as Jekyll front matter: the same keys, in the same order, with the same
// value formats (quoted strings, bare UTC timestamps, integers, booleans, flow-free block YAML).
import type { StoredArticle } from '../../store/index.ts';
import type { ImageRef, RelatedRef } from '../../record.ts';

type Scalar = string | number | boolean | null | Timestamp;
type Value = Scalar | Value[] | { [key: string]: Value | undefined };

/** A bare YAML timestamp, written without quotes as the reference did. */
export class Timestamp {
  constructor(readonly iso: string) {}
}

function image(i: ImageRef): Record<string, Value | undefined> {
  return {
    url: i.url,
    width: i.width,
    height: i.height,
    ...(i.isCached !== undefined ? { isCached: i.isCached } : {}),
    ...(i.title ? { title: i.title } : {}),
  };
}

function time(value: string | null): Timestamp | null {
  return value ? new Timestamp(value) : null;
}

export function relatedRef(article: StoredArticle): RelatedRef {
  return {
    title: article.title,
    excerpt: article.excerpt,
    publishedDateTime: article.publishedDateTime,
    webUrl: article.webUrl,
    ...(article.ampWebUrl ? { ampWebUrl: article.ampWebUrl, cdnAmpWebUrl: article.cdnAmpWebUrl } : {}),
    type: article.type,
    provider: { name: article.provider.name, domain: article.provider.domain },
    quality: article.quality,
    ...(article.images.length ? { images: article.images } : {}),
  };
}

/** Other members of the story, highest quality first. */
export function relatedList(article: StoredArticle, members: StoredArticle[]): RelatedRef[] {
  return members
    .filter((m) => m.id !== article.id)
    .sort((a, b) => (b.quality ?? -Infinity) - (a.quality ?? -Infinity) || a.id - b.id)
    .map(relatedRef);
}

/** The ordered front-matter object; optional keys are left out when they have no value, as in the reference. */
export function newsFrontMatter(article: StoredArticle, related: RelatedRef[]): Record<string, Value | undefined> {
  const scored = article.quality !== null;
  return {
    category: 'news',
    title: article.title,
    excerpt: article.excerpt,
    publishedDateTime: time(article.publishedDateTime),
    originalUrl: article.originalUrl !== article.webUrl ? article.originalUrl : undefined,
    webUrl: article.webUrl,
    ampWebUrl: article.ampWebUrl ?? undefined,
    cdnAmpWebUrl: article.cdnAmpWebUrl ?? undefined,
    type: article.type,
    quality: scored ? article.quality : undefined,
    heat: scored ? article.heat : undefined,
    published: scored ? article.published ?? false : undefined,
    provider: {
      name: article.provider.name,
      domain: article.provider.domain,
      ...(article.provider.images?.length ? { images: article.provider.images.map(image) } : {}),
    },
    topics: article.topics,
    images: article.images.length ? article.images.map(image) : undefined,
    related: related.length
      ? related.map((r) => ({
          title: r.title,
          excerpt: r.excerpt,
          publishedDateTime: time(r.publishedDateTime),
          webUrl: r.webUrl,
          ampWebUrl: r.ampWebUrl ?? undefined,
          cdnAmpWebUrl: r.cdnAmpWebUrl ?? undefined,
          type: r.type,
          provider: { name: r.provider.name, domain: r.provider.domain },
          quality: r.quality,
          images: r.images?.length ? r.images.map(image) : undefined,
        }))
      : undefined,
    secured: article.secured ?? undefined,
  };
}

function scalar(value: Scalar): string {
  if (value === null) return 'null';
  if (value instanceof Timestamp) return value.iso;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

function emit(value: Value | undefined, indent: string, lines: string[], key: string | null, inList = false): void {
  void inList;
  const prefix = key === null ? indent : `${indent}${key}:`;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      lines.push(`${prefix} []`);
      return;
    }
    if (value.every((v) => !(v !== null && typeof v === 'object' && !(v instanceof Timestamp)))) {
      lines.push(`${prefix} [${(value as Scalar[]).map((v) => (typeof v === 'string' && /^[\w .&'()-]+$/.test(v) && !/^\s|\s$/.test(v) ? v : scalar(v))).join(', ')}]`);
      return;
    }
    lines.push(prefix);
    for (const item of value) {
      const itemLines: string[] = [];
      emit(item, `${indent}  `, itemLines, null);
      const first = itemLines[0]!.replace(new RegExp(`^${indent}  `), `${indent}- `);
      lines.push(first, ...itemLines.slice(1));
    }
    return;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Timestamp)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (key !== null) lines.push(prefix);
    const childIndent = key === null ? indent : `${indent}  `;
    for (const [k, v] of entries) emit(v, childIndent, lines, k);
    return;
  }
  lines.push(key === null ? `${indent}${scalar(value as Scalar)}` : `${prefix} ${scalar(value as Scalar)}`);
}

export function renderFrontMatter(record: Record<string, Value | undefined>, body = ''): string {
  const lines: string[] = [];
  emit(record, '', lines, null);
  return `---\n${lines.join('\n')}\n---\n${body}`;
}
