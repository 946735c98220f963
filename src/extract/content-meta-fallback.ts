// Minimal page metadata, used only while the metadata modules of this folder (dates.ts, metadata.ts,
// sanitize.ts, owned by another engineer) are not there yet; extract.ts switches to theirs when
// they land. Same signatures as theirs, deliberately simple.
import sanitize from 'sanitize-html';
import type { ArticleType, ImageRef } from '../record.ts';

export interface PageMetadata {
  authors: string[];
  language: string | null;
  locale: string | null;
  type: ArticleType;
  siteName: string | null;
  leadImage: ImageRef | null;
  canonicalUrl: string | null;
  ampUrl: string | null;
  description: string | null;
}

function meta(doc: Document, ...keys: string[]): string | null {
  for (const key of keys) {
    const el = doc.querySelector(`meta[property="${key}"], meta[name="${key}"], meta[itemprop="${key}"]`);
    const value = el?.getAttribute('content')?.trim();
    if (value) return value;
  }
  return null;
}

function resolve(href: string | null | undefined, base: string): string | null {
  if (!href) return null;
  try {
    return new URL(href.trim(), base).href;
  } catch {
    return null;
  }
}

export function jsonLdObjects(doc: Document): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      out.push(obj);
      if (obj['@graph']) visit(obj['@graph']);
    }
  };
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      visit(JSON.parse(script.textContent ?? ''));
    } catch {
      // Broken JSON-LD is common and carries nothing we can trust.
    }
  }
  return out;
}

export function extractMetadataFallback(doc: Document, url: string): PageMetadata {
  const lang = doc.documentElement?.getAttribute('lang')?.trim() || meta(doc, 'og:locale', 'language') || null;
  const locale = lang ? lang.replace('_', '-').toLowerCase() : null;
  const author = meta(doc, 'author', 'article:author');
  const image = resolve(meta(doc, 'og:image', 'twitter:image', 'og:image:url'), url);
  const ogType = meta(doc, 'og:type')?.toLowerCase() ?? '';
  return {
    authors: author && !/^https?:/.test(author) ? [author] : [],
    language: locale ? locale.split('-')[0] : null,
    locale,
    type: ogType.startsWith('video') ? 'video' : 'article',
    siteName: meta(doc, 'og:site_name'),
    leadImage: image ? { url: image, width: null, height: null } : null,
    canonicalUrl: resolve(doc.querySelector('link[rel="canonical"]')?.getAttribute('href'), url) ?? resolve(meta(doc, 'og:url'), url),
    ampUrl: resolve(doc.querySelector('link[rel="amphtml"]')?.getAttribute('href'), url),
    description: meta(doc, 'description', 'og:description', 'twitter:description'),
  };
}

export function extractDatesFallback(doc: Document, url: string): { published: string | null; updated: string | null } {
  void url;
  let published = meta(doc, 'article:published_time', 'datePublished', 'date', 'pubdate');
  let updated = meta(doc, 'article:modified_time', 'dateModified');
  for (const obj of jsonLdObjects(doc)) {
    if (!published && typeof obj.datePublished === 'string') published = obj.datePublished;
    if (!updated && typeof obj.dateModified === 'string') updated = obj.dateModified;
  }
  if (!published) published = doc.querySelector('time[datetime]')?.getAttribute('datetime') ?? null;
  const iso = (value: string | null) => {
    if (!value) return null;
    const time = Date.parse(value);
    return Number.isNaN(time) ? null : new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
  };
  return { published: iso(published), updated: iso(updated) };
}

export function sanitizeHtmlFallback(html: string, baseUrl: string): string {
  return sanitize(html, {
    allowedTags: sanitize.defaults.allowedTags.concat(['img', 'figure', 'figcaption']),
    allowedAttributes: { a: ['href', 'title', 'rel'], img: ['src', 'alt', 'width', 'height'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, href: resolve(attribs.href, baseUrl) ?? '', rel: 'nofollow noopener' } }),
      img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, src: resolve(attribs.src, baseUrl) ?? '' } }),
    },
  });
}
