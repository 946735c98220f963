// Main-content extraction: which part of a page is the article. Readability.js does the candidate
// scoring; around it we clean the page of boilerplate it tends to keep (share bars, newsletter and
// cookie boxes, related-link lists, comments) and clean its result of leftovers.
import { Readability } from '@mozilla/readability';
import { blockText } from './content-text.ts';
import { removeBoilerplateElements, cleanArticleElement, unwrapProseNoscript } from './content-clean.ts';
import { findProse, proseContainer, proseCoverage, type ProseMap } from './content-density.ts';

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

function runReadability(document: Document, cleanBefore: boolean, cleanAfter: boolean): MainContent & { prose: ProseMap | null } {
  if (cleanAfter) unwrapProseNoscript(document);
  if (cleanBefore) removeBoilerplateElements(document);
  // Located before Readability rewrites the DOM; only the texts are used afterwards.
  const prose = cleanAfter && document.body ? findProse(document.body) : null;
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
    prose,
  };
}

/** Readability's choice is second-guessed when it holds less than this share of the page's prose… */
const MIN_PROSE_COVERAGE = 0.5;
/** …and the prose it misses is substantial. */
const MIN_MISSED_PROSE = 800;

/** The story container as the prose places it, cleaned like Readability's result. */
function proseCandidate(document: Document, context: { title: string | null; byline: string | null }): { element: Element; text: string } | null {
  unwrapProseNoscript(document);
  removeBoilerplateElements(document);
  if (!document.body) return null;
  const found = proseContainer(findProse(document.body));
  if (!found) return null;
  const container = found.element;
  for (const el of Array.from(container.querySelectorAll('script, style, noscript, iframe, form, button, svg'))) el.remove();
  cleanArticleElement(container, context);
  return { element: container, text: blockText(container as unknown as Parameters<typeof blockText>[0]) };
}

export function extractMainContent(document: Document, options: ContentOptions = {}): MainContent {
  if (options.plainReadability) return runReadability(document, false, false);
  let chosen = runReadability(document, true, true);
  if (chosen.text.length < RETRY_BELOW && options.reparse) {
    const second = runReadability(options.reparse(), false, true);
    if (second.text.length > chosen.text.length * 1.5) chosen = second;
  }
  const prose = chosen.prose ? proseContainer(chosen.prose) : null;
  if (prose && options.reparse) {
    const coverage = proseCoverage(prose, chosen.text);
    if (coverage < MIN_PROSE_COVERAGE && prose.total * (1 - coverage) > MIN_MISSED_PROSE) {
      const candidate = proseCandidate(options.reparse(), { title: chosen.title, byline: chosen.byline });
      if (candidate && proseCoverage(prose, candidate.text) > coverage + 0.2) {
        chosen = { ...chosen, element: candidate.element, html: candidate.element.innerHTML, text: candidate.text };
      }
    }
  }
  const { prose: _unused, ...content } = chosen;
  void _unused;
  return content;
}

function clean(value: string | null | undefined): string | null {
  const trimmed = value?.replace(/\s+/g, ' ').trim();
  return trimmed ? trimmed : null;
}
