// The extraction stage's entry point: one article page in, every field of ExtractedArticle out.
// The page is parsed once; metadata readers look at the intact document first, then main-content
// extraction (which rewrites the DOM) runs on the same document.
import { parseHTML } from 'linkedom';
import { extractMainContent } from './content.ts';
import { judgeExtraction } from './content-verdict.ts';
import { flatText } from './content-text.ts';
import { extractDates } from './dates.ts';
import { extractMetadata } from './metadata.ts';
import { sanitizeHtml } from './sanitize.ts';
import { excerptOf } from '../normalize/text.ts';
import type { ExtractedArticle } from './types.ts';
import { rememberPageElements } from './page-index.ts';
import { allDescendants } from './dom-walk.ts';
import { boundPageShape, checkMarkupBudget } from './page-budget.ts';
import { limitNesting } from './nesting.ts';
import { isNewsdeskError, newsdeskError } from '../errors.ts';
import type { Organization } from './organizations.ts';

export interface ExtractOptions {
  /** The feed's own content for this entry; a page text shorter than it is not an improvement. */
  feedText?: string;
  /** HTTP status of the page response, when known; 4xx/5xx pages are error pages. */
  httpStatus?: number;
  /** The desk's known-organizations table (the configured file); the shipped one when not given. */
  organizations?: Map<string, Organization>;
}

export const EXCERPT_MAX = 250;

/** The page's excerpt by the one excerpt rule (normalize/text.ts): at most `max` characters, ending at a sentence or a word. */
export function truncateAtWord(text: string, max = EXCERPT_MAX): string {
  return excerptOf(text, max);
}

/** Parses the page with a <base href> so that every relative URL resolves against the page address. */
export function parsePage(rawHtml: string, url: string): Document {
  checkMarkupBudget(rawHtml, url);
  const html = limitNesting(rawHtml);
  const htmlTag = /<html[\s>]/i.exec(html);
  let { document } = parseHTML(htmlTag ? html : `<!doctype html><html><head></head><body>${html}</body></html>`);
  // linkedom makes the first element it meets the document element: a PHP warning or a stray
  // <script> printed before <html> becomes the root and the page reads as empty. Browsers skip
  // such junk, so the page is read again from its <html> tag.
  if (htmlTag && htmlTag.index > 0 && document.documentElement?.tagName !== 'HTML') {
    ({ document } = parseHTML(`<!doctype html>${html.slice(htmlTag.index)}`));
  }
  // An <html> tag that never ends (an attribute's quote left open) leaves no document element: the
  // markup is read as a body's content instead, as a browser would show it.
  if (!document.documentElement) ({ document } = parseHTML(`<!doctype html><html><head></head><body>${html}</body></html>`));
  if (!document.documentElement) throw newsdeskError('ND_EXTRACT_FAILED', { url, reason: 'the page has no document element' });
  const doc = document as unknown as Document;
  boundPageShape(doc, url);
  // linkedom's getters add a missing <head> and <body>, so the page is listed once they are in place.
  const head = doc.head;
  const body = doc.body;
  let elements = allDescendants(doc);
  const canonical = new Set<Element | null>([doc.documentElement, head, body]);
  if (elements.some((el) => DOCUMENT_TAGS.has(el.tagName) && !canonical.has(el))) {
    unwrapNestedDocuments(doc);
    elements = allDescendants(doc);
  }
  let base = url;
  const existing = elements.find((el) => el.tagName === 'BASE' && el.hasAttribute('href'));
  if (existing) {
    try {
      base = new URL(existing.getAttribute('href') ?? '', url).href;
    } catch {
      // A malformed <base> is ignored, as browsers do.
    }
    existing.setAttribute('href', base);
  } else {
    const element = doc.createElement('base');
    element.setAttribute('href', base);
    head.insertBefore(element, head.firstChild);
    elements.splice(elements.indexOf(head) + 1, 0, element);
  }
  // Metadata and dates read the page from this list before anything else changes it.
  rememberPageElements(doc, elements);
  return doc;
}

const DOCUMENT_TAGS = new Set(['HTML', 'HEAD', 'BODY']);

/**
 * Pages built from concatenated templates carry a second <html>/<head>/<body> inside the body;
 * browsers ignore those tags, linkedom keeps them as elements, and readers that look for "the" body
 * then see an empty one. Their contents are moved up in place of the stray tags.
 */
function unwrapNestedDocuments(doc: Document): void {
  const body = doc.body;
  if (!body) return;
  // Unbalanced conditional-comment wrappers ("<!--[if IE]><html class=ie>...") leave several <html>
  // tags: linkedom nests the real page in a second <html> beside an empty head and body. Its head
  // and body contents are moved into the document's own.
  const root = doc.documentElement;
  if (root) {
    for (const nested of Array.from(root.children).filter((c) => c.tagName === 'HTML')) {
      for (const part of Array.from(nested.querySelectorAll('head, body'))) {
        const target = part.tagName === 'HEAD' ? doc.head ?? body : body;
        if (part.tagName === 'BODY' && !body.getAttribute('class') && part.getAttribute('class')) body.setAttribute('class', part.getAttribute('class') ?? '');
        while (part.firstChild) target.appendChild(part.firstChild);
        part.remove();
      }
      for (const stray of Array.from(nested.querySelectorAll('html'))) {
        while (stray.firstChild) stray.parentNode?.insertBefore(stray.firstChild, stray);
        stray.remove();
      }
      while (nested.firstChild) body.appendChild(nested.firstChild);
      nested.remove();
    }
  }
  for (const nested of Array.from(body.querySelectorAll('html, head, body'))) {
    if (!nested.parentNode) continue;
    while (nested.firstChild) nested.parentNode.insertBefore(nested.firstChild, nested);
    nested.remove();
  }
}

/** Any failure is coded: a page the readers cannot take (a bug met on hostile markup included) is ND_EXTRACT_FAILED. */
export function extractArticle(html: string, url: string, opts: ExtractOptions = {}): ExtractedArticle {
  try {
    return extractParsed(html, url, opts);
  } catch (err) {
    if (isNewsdeskError(err)) throw err;
    throw newsdeskError('ND_EXTRACT_FAILED', { url, reason: err instanceof Error ? err.message : String(err) }, err);
  }
}

function extractParsed(html: string, url: string, opts: ExtractOptions): ExtractedArticle {
  const document = parsePage(html, url);
  const metadata = extractMetadata(document, url, { organizations: opts.organizations });
  const dates = extractDates(document, url, { html });
  const pageText = document.body ? flatText(document.body) : '';
  const content = mainContent(document, html, url, pageText.length);

  const text = content.text;
  // Readability's title rules (JSON-LD/OG headline, else <title> cut at its separators) match the
  // reference titles best; the metadata module's title is the fallback.
  const title = content.title ?? metadata.title ?? (document.title?.trim() || null);
  const fallbackReason = judgeExtraction({ text, title, paywallDeclared: metadata.paywallDeclared, pageText, feedText: opts.feedText, httpStatus: opts.httpStatus });
  const excerptSource = content.excerpt ?? metadata.description ?? firstParagraph(text);
  const byline = content.byline;

  return {
    title,
    text,
    html: content.html ? sanitizeHtml(content.html, url) : null,
    excerpt: excerptSource ? truncateAtWord(excerptSource) : null,
    byline,
    authors: metadata.authors.length ? metadata.authors : bylineAuthors(byline),
    publishedDateTime: dates.published,
    updatedDateTime: dates.updated,
    leadImage: metadata.leadImage,
    canonicalUrl: metadata.canonicalUrl,
    ampUrl: metadata.ampUrl,
    language: metadata.language ?? content.lang?.split(/[-_]/)[0].toLowerCase() ?? null,
    locale: metadata.locale ?? content.lang?.replace('_', '-').toLowerCase() ?? null,
    type: metadata.type,
    siteName: metadata.siteName ?? content.siteName,
    providerName: metadata.providerName ?? metadata.siteName ?? content.siteName ?? null,
    providerDomain: metadata.providerDomain || null,
    fallbackReason,
  };
}

/**
 * Readability scores every element under <html> and climbs from its best candidate to <body>; a
 * candidate outside <body> (an element linkedom leaves beside it, as from a broken `<body<` tag)
 * makes it climb past the root and throw. Such a page is read again with those elements moved into
 * <body>, where a browser puts them; other pages are read as they are.
 */
function mainContent(document: Document, html: string, url: string, pageLength: number): ReturnType<typeof extractMainContent> {
  try {
    return extractMainContent(document, { reparse: () => parsePage(html, url), pageLength });
  } catch (err) {
    if (!(err instanceof TypeError) || !hasStrayElements(parsePage(html, url))) throw err;
    const reparse = () => moveStraysIntoBody(parsePage(html, url));
    return extractMainContent(reparse(), { reparse, pageLength });
  }
}

const DOCUMENT_PARTS = new Set(['HEAD', 'BODY']);
// What belongs in <head>; anything else linkedom leaves there (a broken tag before <body>) is content.
const HEAD_TAGS = new Set(['TITLE', 'META', 'LINK', 'STYLE', 'SCRIPT', 'BASE', 'NOSCRIPT', 'TEMPLATE']);

/** Elements outside <body> that are content: beside <head> and <body>, or in <head> but not of it. */
function strayElements(doc: Document): { beforeBody: Element[]; afterBody: Element[] } {
  const beforeBody: Element[] = [];
  const afterBody: Element[] = [];
  let seenBody = false;
  for (const child of Array.from(doc.documentElement.children)) {
    if (child === doc.body) seenBody = true;
    else if (child.tagName === 'HEAD') beforeBody.push(...Array.from(child.children).filter((c) => !HEAD_TAGS.has(c.tagName)));
    else if (!DOCUMENT_PARTS.has(child.tagName)) (seenBody ? afterBody : beforeBody).push(child);
  }
  return { beforeBody, afterBody };
}

function hasStrayElements(doc: Document): boolean {
  const { beforeBody, afterBody } = strayElements(doc);
  return beforeBody.length + afterBody.length > 0;
}

/** Moves stray content into <body>: what stood before it to its start, in order; what stood after, to its end. */
function moveStraysIntoBody(doc: Document): Document {
  const body = doc.body;
  const { beforeBody, afterBody } = strayElements(doc);
  const first = body.firstChild;
  for (const element of beforeBody) body.insertBefore(element, first);
  for (const element of afterBody) body.appendChild(element);
  return doc;
}

function firstParagraph(text: string): string | null {
  return text.split(/\n\n/).find((p) => p.length > 40) ?? null;
}

/** "By Jane Doe and John Roe" → ["Jane Doe", "John Roe"]; a byline that is a sentence is not names. */
export function bylineAuthors(byline: string | null): string[] {
  if (!byline || byline.length > 120) return [];
  const stripped = byline.replace(/^\s*(?:by|von|par|por|di|door)\s*[:\-]?\s+/i, '').replace(/\s*[|•·].*$/, '');
  return stripped
    .split(/\s*(?:,|&|\band\b|\bund\b|\bet\b|\by\b)\s*/i)
    .map((name) => name.trim())
    .filter((name) => name.length > 1 && name.length < 60 && !/\d{4}|https?:/.test(name));
}
