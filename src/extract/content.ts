// Main-content extraction: which part of a page is the article. Readability.js does the candidate
// scoring; around it we clean the page of boilerplate it tends to keep (share bars, newsletter and
// cookie boxes, related-link lists, comments) and clean its result of leftovers.
import { Readability } from '@mozilla/readability';
import { blockText, flatText } from './content-text.ts';
import { removeBoilerplateElements, removeAuthorBoxesAndDialogs, cleanArticleElement, unwrapNoscriptAndDropRuby } from './content-clean.ts';
import { forgetPageElements } from './page-index.ts';
import { findProse, proseContainer, proseCoverage, type ProseMap } from './content-density.ts';
import { allDescendants, closestByTag, descendantsByTag, firstByTag, hasTag, tagOf, tagSet } from './dom-walk.ts';

const A = tagSet('a');
const P = tagSet('p');
const H1 = tagSet('h1');
const P_OR_DIV = tagSet('p', 'div');
const ANCHOR_BLOCKS = tagSet('div', 'td', 'li', 'section', 'article');
const LISTS = tagSet('table', 'ul', 'ol', 'dl');
const LIST_ITEMS = tagSet('li', 'tr', 'dd');
const CONTROLS = tagSet('form', 'input', 'select', 'button', 'nav');

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
  /** The length of the page body's whitespace-collapsed text before extraction, when the caller has read it already. */
  pageLength?: number;
}

/** Below this many characters the first pass is considered to have missed the story. */
const RETRY_BELOW = 300;

function runReadability(document: Document, cleanBefore: boolean, cleanAfter: boolean, pageLength?: number): MainContent & { prose: ProseMap | null; snapshot: Element | null } {
  forgetPageElements(document);
  let textChanged = false;
  if (cleanAfter) {
    textChanged = unwrapNoscriptAndDropRuby(document) > 0;
  }
  if (cleanBefore) removeBoilerplateElements(document, textChanged ? undefined : pageLength);
  else if (cleanAfter) removeAuthorBoxesAndDialogs(document);
  // The cleaned page as it was before Readability rewrote it, for the passes that look around its choice.
  const snapshot = cleanBefore && cleanAfter && document.body ? (document.body.cloneNode(true) as Element) : null;
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
    snapshot,
  };
}

/** Characters in paragraphs long enough to be prose. */
function proseLength(text: string): number {
  let total = 0;
  for (const paragraph of text.split(/\n\n/)) if (paragraph.length >= 80) total += paragraph.length;
  return total;
}

/** Readability's choice is second-guessed when it holds less than this share of the page's prose… */
const MIN_PROSE_COVERAGE = 0.5;
/** …and the prose it misses is substantial. */
const MIN_MISSED_PROSE = 800;

/** The story container as the prose places it, cleaned like Readability's result. */
function proseCandidate(document: Document, context: { title: string | null; byline: string | null }): { element: Element; text: string } | null {
  unwrapNoscriptAndDropRuby(document);
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
  let chosen = runReadability(document, true, true, options.pageLength);
  if (chosen.text.length < RETRY_BELOW && options.reparse) {
    const second = runReadability(options.reparse(), false, true);
    // Longer in paragraphs of prose, not only in lines (a comment form, a list of links).
    if (second.text.length > chosen.text.length * 1.5 && proseLength(second.text) > proseLength(chosen.text)) chosen = second;
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
  if (options.reparse && chosen.text.length >= RETRY_BELOW) {
    let pageBody = chosen.snapshot;
    if (!pageBody) {
      const page = options.reparse();
      removeBoilerplateElements(page);
      pageBody = page.body;
    }
    const anchor = pageBody ? findAnchor(pageBody, chosen.text) : null;
    const adjacent = pageBody ? adjacentStructuredBlocks(pageBody, anchor, chosen.text) : null;
    const lead = pageBody ? standfirst(pageBody, anchor, chosen.text) : null;
    if (lead) {
      chosen = { ...chosen, html: `${lead.outerHTML}${chosen.html}`, text: `${flatText(lead)}\n\n${chosen.text}` };
    }
    if (adjacent) {
      const beforeText = adjacent.before.map((el) => blockText(el as unknown as Parameters<typeof blockText>[0])).filter(Boolean);
      const afterText = adjacent.after.map((el) => blockText(el as unknown as Parameters<typeof blockText>[0])).filter(Boolean);
      chosen = {
        ...chosen,
        html: [...adjacent.before.map((el) => el.outerHTML), chosen.html, ...adjacent.after.map((el) => el.outerHTML)].join(''),
        text: [...beforeText, chosen.text, ...afterText].join('\n\n'),
      };
    }
  }
  const { prose: _unused, snapshot: _snapshot, ...content } = chosen;
  void _unused;
  void _snapshot;
  // Canonical composition: pages mix precomposed and decomposed forms of the same letters (Bengali
  // nukta consonants, Latin accents typed as combining marks); search and comparison need one form.
  if (/[^\u0000-\u02ff]/.test(content.text)) content.text = content.text.normalize('NFC');
  return content;
}

/** Below this share of link text a list or table reads as content (ingredients, specifications), not navigation. */
const MAX_LIST_LINK_DENSITY = 0.3;
const MAX_TABLE_LINK_DENSITY = 0.6;
/** A list item or table row longer than this is prose (a comment, a teaser), not an ingredient or a specification. */
const MAX_ITEM_LENGTH = 200;
/** Siblings are looked for one level further up while the parent holds at most this multiple of the container's text. */
const CLIMB_RATIO = 4;

function linkDensityOf(element: Element, length: number): number {
  let links = 0;
  for (const a of descendantsByTag(element, A)) links += flatText(a).length;
  return length ? links / length : 1;
}

/**
 * Recipe and product pages split the story across sibling boxes: Readability keeps the box with the
 * prose (the method) and leaves the box holding the ingredient list or specification table beside
 * it. The chosen text is located in a fresh parse of the page; siblings of its container (and of
 * the container's parent, when that holds little else) that are mostly a list or table of plain
 * text are taken in, in document order.
 */
/**
 * The element of `body` holding the first paragraph of the chosen text: the innermost block whose
 * text contains its opening words. A rare long word of the probe filters candidates cheaply first.
 */
function findAnchor(body: Element, chosenText: string): Element | null {
  const first = chosenText.split(/\n\n/).find((p) => p.length >= 80);
  if (!first) return null;
  const probe = first.replace(/\s+/g, ' ').slice(0, 60);
  const token = probe.split(' ').slice(0, -1).reduce((a, b) => (b.length > a.length ? b : a), '');
  const elements = allDescendants(body);
  for (const tags of [P, ANCHOR_BLOCKS]) {
    for (const el of elements) {
      if (!hasTag(el, tags)) continue;
      if (!(el.textContent ?? '').includes(token) || firstByTag(el, P_OR_DIV)) continue;
      if (flatText(el).includes(probe)) return el;
    }
  }
  return elements.filter((el) => hasTag(el, P_OR_DIV)).reverse().find((el) => (el.textContent ?? '').includes(token) && flatText(el).includes(probe)) ?? null;
}

function adjacentStructuredBlocks(body: Element, anchor: Element | null, chosenText: string): { before: Element[]; after: Element[] } | null {
  const flatChosen = chosenText.replace(/\s+/g, ' ');
  if (!anchor) return null;
  // Nothing changes the page here, and the same elements are measured several times (the climb, each sibling twice).
  const texts = new Map<Element, string>();
  const textOf = (el: Element): string => {
    let text = texts.get(el);
    if (text === undefined) texts.set(el, (text = flatText(el)));
    return text;
  };
  // The container: the lowest ancestor holding (nearly) all of the chosen text.
  let container: Element = anchor;
  while (container.parentElement && container.parentElement !== body && textOf(container).length < flatChosen.length * 0.8) container = container.parentElement;
  const containerLength = textOf(container).length;
  if (containerLength > flatChosen.length * 3) return null;

  const before: Element[] = [];
  const after: Element[] = [];
  const structured = (el: Element): boolean => {
    const text = textOf(el);
    if (text.length < 30 || text.length > 4000) return false;
    const isList = hasTag(el, LISTS);
    if (!isList && firstByTag(el, P) && !firstByTag(el, LISTS)) return false;
    const lists = isList ? [el] : descendantsByTag(el, LISTS).filter((l) => !(l.parentElement && closestByTag(l.parentElement, LISTS)) || l.parentElement === el);
    if (lists.length === 0) return false;
    let listLength = 0;
    for (const list of lists) {
      const length = textOf(list).length;
      const maxDensity = list.tagName === 'TABLE' ? MAX_TABLE_LINK_DENSITY : MAX_LIST_LINK_DENSITY;
      if (linkDensityOf(list, length) > maxDensity) return false;
      // Ingredients and specifications are short items; lists of paragraphs are comments or teasers.
      const items = descendantsByTag(list, LIST_ITEMS);
      if (items.some((item) => textOf(item).length > MAX_ITEM_LENGTH)) return false;
      listLength += length;
    }
    if (listLength < text.length * 0.5) return false;
    if (firstByTag(el, CONTROLS)) return false;
    return linkDensityOf(el, text.length) <= MAX_TABLE_LINK_DENSITY;
  };
  let node: Element = container;
  for (let level = 0; level < 2 && node.parentElement && node !== body; level++) {
    let sibling = node.previousElementSibling;
    const found: Element[] = [];
    while (sibling) {
      if (!flatChosen.includes(textOf(sibling).slice(0, 60)) && structured(sibling)) found.unshift(sibling);
      sibling = sibling.previousElementSibling;
    }
    before.unshift(...found);
    for (sibling = node.nextElementSibling; sibling; sibling = sibling.nextElementSibling) {
      if (!flatChosen.includes(textOf(sibling).slice(0, 60)) && structured(sibling)) after.push(sibling);
    }
    const parent = node.parentElement;
    if (parent === body || textOf(parent).length > containerLength * CLIMB_RATIO) break;
    node = parent;
  }
  if (before.length === 0 && after.length === 0) return null;
  return { before, after };
}

/** Class/id tokens of the standfirst: the summary paragraph between headline and body. */
const STANDFIRST_TOKENS = new Set(['lead', 'intro', 'teaser', 'standfirst', 'deck', 'excerpt', 'summary', 'chapo', 'abstract', 'subline', 'subtitle', 'subheadline', 'dek', 'kicker']);

/**
 * The standfirst ("lead", "intro", "deck") sits in the article header next to the headline, outside
 * the body container Readability picks. An element named for it (or a paragraph marked as the
 * article's schema.org description) that follows the page's <h1> within the headline's neighbourhood, reads
 * as prose (few links) and is not already in the text is put before the body.
 */
function standfirst(body: Element, anchor: Element | null, chosenText: string): Element | null {
  // The article's headline is the last <h1> before its body (site logos are often an earlier <h1>).
  const all = allDescendants(body);
  const bodyStart = anchor ? all.indexOf(anchor) : -1;
  const headline = all.slice(0, bodyStart >= 0 ? bodyStart : all.length).filter((el) => el.tagName === 'H1' && flatText(el).length >= 10).pop()
    ?? all.find((h) => tagOf(h) === 'h1' && flatText(h).length >= 10);
  if (!headline) return null;
  const flatChosen = chosenText.replace(/\s+/g, ' ');
  let scope: Element = headline;
  for (let level = 0; level < 4 && scope.parentElement && scope.parentElement !== body; level++) scope = scope.parentElement;
  let afterHeadline = false;
  for (const el of allDescendants(scope)) {
    if (el === headline) {
      afterHeadline = true;
      continue;
    }
    if (!afterHeadline || headline.contains(el)) continue;
    const names = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`.toLowerCase().split(/[\s_-]+/);
    // The schema.org description counts as a paragraph; set as a subheading it belongs to the headline.
    const described = el.getAttribute('itemprop') === 'description' && (el.tagName === 'P' || el.tagName === 'DIV');
    if (!names.some((t) => STANDFIRST_TOKENS.has(t)) && !described) continue;
    const text = flatText(el);
    if (text.length < 60 || text.length > 1000) continue;
    // In the text already when its opening and its close are (a body may open with the lead's first sentence).
    if (flatChosen.includes(text.slice(0, 60)) && flatChosen.includes(text.slice(-40))) return null;
    if (el.querySelector('ul, ol, table, h1, h2, h3, img + p') || linkDensityOf(el, text.length) > 0.2) continue;
    // Prose: sentences, not a list of names or a date line.
    if ((text.match(/[\p{L}\p{N}]+/gu) ?? []).length < 10) continue;
    return el;
  }
  return null;
}

function clean(value: string | null | undefined): string | null {
  const trimmed = value?.replace(/\s+/g, ' ').trim();
  return trimmed ? trimmed : null;
}
