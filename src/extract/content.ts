// Main-content extraction: which part of a page is the article. Readability.js does the candidate
// scoring; around it we clean the page of boilerplate it tends to keep (share bars, newsletter and
// cookie boxes, related-link lists, comments) and clean its result of leftovers.
import { Readability } from '@mozilla/readability';
import { blockText } from './content-text.ts';

export interface MainContent {
  title: string | null;
  byline: string | null;
  /** Readability's excerpt: the page's description, else the first paragraph. */
  excerpt: string | null;
  siteName: string | null;
  lang: string | null;
  publishedTime: string | null;
  /** The article element (detached from the page). */
  element: Element | null;
  html: string;
  text: string;
}

export function extractMainContent(document: Document): MainContent {
  const reader = new Readability<Element>(document, { serializer: (node) => node as Element, charThreshold: 500 });
  const result = reader.parse();
  const element = result?.content ?? null;
  const text = element ? blockText(element as unknown as Parameters<typeof blockText>[0]) : '';
  return {
    title: clean(result?.title),
    byline: clean(result?.byline),
    excerpt: clean(result?.excerpt),
    siteName: clean(result?.siteName),
    lang: clean(result?.lang),
    publishedTime: clean(result?.publishedTime),
    element,
    html: element ? element.innerHTML : '',
    text,
  };
}

function clean(value: string | null | undefined): string | null {
  const trimmed = value?.replace(/\s+/g, ' ').trim();
  return trimmed ? trimmed : null;
}
