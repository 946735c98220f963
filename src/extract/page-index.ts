// The elements of a page as parsed, read once and shared by the readers of the intact document
// (metadata, dates). Each of them used to run its own whole-document query per question (meta
// tags, links, JSON-LD scripts, headings, byline markup), one walk of every element each time.
//
// Only for the document before main-content extraction: that pass rewrites the page, and a list
// taken before it would name elements that are gone. Readers that look at the page afterwards
// (the verdict) query it themselves.
import { tagOf } from './dom-walk.ts';

const indexes = new WeakMap<Document, Element[]>();

/** Every element of the document in document order (template contents excluded), as first read. */
export function pageElements(doc: Document): Element[] {
  let elements = indexes.get(doc);
  if (!elements) {
    elements = Array.from(doc.querySelectorAll('*'));
    indexes.set(doc, elements);
  }
  return elements;
}

/** The page's elements with the given tag name (lower case). */
export function pageElementsByTag(doc: Document, tag: string): Element[] {
  return pageElements(doc).filter((el) => tagOf(el) === tag);
}

/** The page's JSON-LD scripts (`type` compared case-insensitively, as in a CSS attribute selector on it). */
export function jsonLdScripts(doc: Document): Element[] {
  return pageElementsByTag(doc, 'script').filter((el) => el.getAttribute('type')?.toLowerCase() === 'application/ld+json');
}

/** The first `<meta http-equiv="content-language">`, the value compared case-insensitively. */
export function contentLanguageMeta(doc: Document): Element | null {
  return pageElementsByTag(doc, 'meta').find((el) => el.getAttribute('http-equiv')?.toLowerCase() === 'content-language') ?? null;
}
