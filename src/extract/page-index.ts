// The elements of a page as parsed, read once and shared by the readers of the intact document
// (metadata, dates). Each of them used to run its own whole-document query per question (meta
// tags, links, JSON-LD scripts, headings, byline markup), one walk of every element each time.
//
// Only for the document before main-content extraction: that pass rewrites the page and drops the
// list first (`forgetPageElements`), so that a reader that comes later lists the page as it is then.
import { allDescendants, tagOf } from './dom-walk.ts';

interface PageIndex {
  elements: Element[];
  byTag: Map<string, Element[]> | null;
}

const indexes = new WeakMap<Document, PageIndex>();

function indexOf(doc: Document): PageIndex {
  let index = indexes.get(doc);
  if (!index) {
    index = { elements: allDescendants(doc), byTag: null };
    indexes.set(doc, index);
  }
  return index;
}

/**
 * Records the elements of a freshly parsed page when the parser has listed them anyway. `elements`
 * must be exactly what `doc.querySelectorAll('*')` returns now.
 */
export function rememberPageElements(doc: Document, elements: Element[]): void {
  indexes.set(doc, { elements, byTag: null });
}

/** Drops the page's list: called before the page is rewritten. */
export function forgetPageElements(doc: Document): void {
  indexes.delete(doc);
}

/** Every element of the document in document order (template contents excluded), as first read. */
export function pageElements(doc: Document): readonly Element[] {
  return indexOf(doc).elements;
}

const NONE: readonly Element[] = [];

/** The page's elements with the given tag name (lower case), in document order. */
export function pageElementsByTag(doc: Document, tag: string): readonly Element[] {
  const index = indexOf(doc);
  if (!index.byTag) {
    index.byTag = new Map();
    for (const el of index.elements) {
      const name = tagOf(el);
      const list = index.byTag.get(name);
      if (list) list.push(el);
      else index.byTag.set(name, [el]);
    }
  }
  return index.byTag.get(tag) ?? NONE;
}

/** The page's JSON-LD scripts (`type` compared case-insensitively, as in a CSS attribute selector on it). */
export function jsonLdScripts(doc: Document): Element[] {
  return pageElementsByTag(doc, 'script').filter((el) => el.getAttribute('type')?.toLowerCase() === 'application/ld+json');
}

/** The first `<meta http-equiv="content-language">`, the value compared case-insensitively. */
export function contentLanguageMeta(doc: Document): Element | null {
  return pageElementsByTag(doc, 'meta').find((el) => el.getAttribute('http-equiv')?.toLowerCase() === 'content-language') ?? null;
}
