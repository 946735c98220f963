// Main-content extraction: which part of a page is the article. Readability.js does the candidate
// scoring; around it we clean the page of boilerplate it tends to keep (share bars, newsletter and
// cookie boxes, related-link lists, comments) and clean its result of leftovers.
import { Readability } from '@mozilla/readability';
import { blockText } from './content-text.ts';
import { removeBoilerplateElements, cleanArticleElement, unwrapProseNoscript } from './content-clean.ts';

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

export interface ContentOptions {
  /** Skip the boilerplate passes around Readability (for comparison in the bench). */
  plainReadability?: boolean;
  /**
   * A fresh parse of the same page. When the cleaned pass finds (almost) nothing, the page is read
   * again without the element pre-pass: a layout whose story container carries a boilerplate-like
   * name must not cost the article.
   */
  reparse?: () => Document;
}

/** Below this many characters the first pass is considered to have missed the story. */
const RETRY_BELOW = 300;

function runReadability(document: Document, cleanBefore: boolean, cleanAfter: boolean): MainContent {
  if (cleanAfter) unwrapProseNoscript(document);
  if (cleanBefore) removeBoilerplateElements(document);
  const reader = new Readability<Element>(document, { serializer: (node) => node as Element, charThreshold: 500 });
  const result = reader.parse();
  const element = result?.content ?? null;
  if (element && cleanAfter) cleanArticleElement(element, { title: clean(result?.title), byline: clean(result?.byline) });
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

export function extractMainContent(document: Document, options: ContentOptions = {}): MainContent {
  if (options.plainReadability) return runReadability(document, false, false);
  const first = runReadability(document, true, true);
  if (first.text.length >= RETRY_BELOW || !options.reparse) return first;
  const second = runReadability(options.reparse(), false, true);
  return second.text.length > first.text.length * 1.5 ? second : first;
}

function clean(value: string | null | undefined): string | null {
  const trimmed = value?.replace(/\s+/g, ' ').trim();
  return trimmed ? trimmed : null;
}
