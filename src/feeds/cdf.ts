// Microsoft's Channel Definition Format (CDF, 1997): a `<CHANNEL HREF LASTMOD BASE>` with `TITLE`,
// `ABSTRACT` and nested `<ITEM HREF LASTMOD>` elements. Some old sites still serve it; it is read
// as a channel of items like RSS (version `cdf`).
import { buildTree, type XmlElement } from './xmltree.ts';
import { parseFeedDate } from './dates.ts';
import { resolveUrl } from './parse.ts';
import type { FeedEntry, ParsedFeed } from './types.ts';

const attr = (el: XmlElement, name: string): string | null => {
  for (const [key, value] of Object.entries(el.attrs)) if (key.toLowerCase() === name) return value.trim() || null;
  return null;
};
const child = (el: XmlElement, name: string): XmlElement | undefined => el.children.find((c) => c.local.toLowerCase() === name);
const textOf = (el: XmlElement | undefined): string | null => el?.text.trim() || null;

/** Whether the document element is a CDF `CHANNEL` (upper-case, unlike RSS 0.9x `channel`). */
export function isCdf(rootName: string | null): boolean {
  return rootName === 'CHANNEL';
}

export function parseCdf(text: string, feedUrl: string): ParsedFeed | null {
  const root = buildTree(text);
  if (!root || root.name !== 'CHANNEL') return null;
  const base = resolveUrl(attr(root, 'base'), feedUrl) ?? feedUrl;
  const link = resolveUrl(attr(root, 'href'), base);
  const description = textOf(child(root, 'abstract'));
  const lastmod = attr(root, 'lastmod');
  const entries = root.children
    .filter((c) => c.local.toLowerCase() === 'item')
    .map((item): FeedEntry => {
      const href = resolveUrl(attr(item, 'href'), base);
      const updatedText = attr(item, 'lastmod');
      const summary = textOf(child(item, 'abstract'));
      return {
        id: null,
        title: textOf(child(item, 'title')),
        titleType: 'text',
        link: href,
        links: href ? [{ href, rel: 'alternate', type: 'text/html', title: null }] : [],
        summary,
        summaryType: 'text',
        content: null,
        published: null,
        updated: updatedText ? parseFeedDate(updatedText) : null,
        updatedText,
        authors: [],
        categories: [],
        enclosures: [],
        images: [],
        language: null,
        base,
      };
    });
  return {
    format: 'rss',
    version: 'cdf',
    base,
    title: textOf(child(root, 'title')),
    titleType: 'text',
    link,
    links: link ? [{ href: link, rel: 'alternate', type: 'text/html', title: null }] : [],
    description,
    subtitle: description,
    subtitleType: 'text',
    language: null,
    updated: lastmod ? parseFeedDate(lastmod) : null,
    updatedText: lastmod,
    entries,
  };
}
