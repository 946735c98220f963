// Bounds on the shape of a parsed page, applied before any reader walks it. The readers (and
// Readability) recurse and visit ancestors per node: a page nesting 1,000 elements deep took 37 s,
// 3,000 deep overflowed the stack, and a run of 400,000 text nodes overflowed it in linkedom's
// innerHTML. Browsers render such pages; so are they read here, only flattened past a depth no real
// page reaches (the deepest of the 2,240 benchmark pages nests 51 elements). Each bound below is set
// well past what those pages reach, so none of them is changed; a page past a hard bound fails with
// ND_EXTRACT_FAILED and its article keeps the feed's content.
import { newsdeskError } from '../errors.ts';

/** Elements deeper than this are unwrapped: their text and empty elements move up to this depth. */
export const MAX_DEPTH = 128;
/**
 * A page with more markup than this (`<` and `&`, each a tag, an entity or a stray character) is
 * refused before it is parsed: each can become a node (a 14 MB page of `<` parsed into 14 million
 * text nodes and 4.4 GB). Of the 2,240 benchmark pages, the most has 27,151.
 */
export const MAX_MARKUP = 400_000;
/**
 * A parsed page with more nodes than this is refused, counting each character that is written back
 * as an entity (Readability re-parses the page, and every entity becomes a text node of its own).
 * The benchmark pages count up to 29,307.
 */
export const MAX_NODES = 250_000;
/**
 * Readability spends about 0.1 ms per element, more on a page it retries (one without text): a page
 * with more elements than PRUNE_ABOVE loses its empty ones (no benchmark page has more than 10,111
 * elements, so none is touched), and one with more than MAX_ELEMENTS left is refused.
 */
export const PRUNE_ABOVE = 12_000;
export const MAX_ELEMENTS = 30_000;
// Elements that show something without children: never pruned as empty.
const SHOWN_EMPTY = new Set(['IMG', 'BR', 'HR', 'INPUT', 'VIDEO', 'AUDIO', 'IFRAME', 'EMBED', 'OBJECT', 'SOURCE', 'PICTURE', 'SVG', 'CANVAS', 'META', 'LINK', 'BASE', 'TITLE', 'HEAD', 'BODY', 'HTML', 'WBR', 'AREA', 'TRACK', 'COL', 'PARAM']);
/**
 * Attributes past this many on one element are dropped: Readability copies an element's attributes
 * one by one, listing them all again for each (8,000 attributes took 62 s). No benchmark page has
 * an element with more than 70.
 */
export const MAX_ATTRIBUTES = 256;
/** A page with more text than this is refused: extraction reads text at about a megabyte a second, and no benchmark page has more than 1.6 million characters of markup and text together. */
export const MAX_TEXT_CHARS = 2_000_000;
/** Adjacent text nodes beyond this many in a row are joined (linkedom splits text at every stray `<`; real pages have runs of up to ~200). */
const MAX_TEXT_RUN = 1000;

const markupChar = /[<&]/g;
const escapedChar = /[<>&\u00a0]/g;

/** Refuses, before parsing, a page with more than MAX_MARKUP tags, entities and stray `<`. */
export function checkMarkupBudget(html: string, url: string): void {
  markupChar.lastIndex = 0;
  let count = 0;
  while (markupChar.test(html)) {
    if (++count > MAX_MARKUP) {
      markupChar.lastIndex = 0;
      throw newsdeskError('ND_EXTRACT_FAILED', { url, reason: `the page has more than ${MAX_MARKUP} tags and entities` });
    }
  }
}

/**
 * In one walk: flattens what is nested past MAX_DEPTH, drops attributes past MAX_ATTRIBUTES and joins
 * long runs of text nodes; refuses a page past MAX_NODES nodes or MAX_TEXT_CHARS of text; then prunes
 * empty elements past PRUNE_ABOVE and refuses a page still past MAX_ELEMENTS.
 */
export function boundPageShape(doc: Document, url: string): void {
  const root = doc.documentElement;
  if (!root) return;
  let nodes = 0;
  let chars = 0;
  let elements = 0;
  const stack: Array<[Element, number]> = [[root, 1]];
  while (stack.length) {
    const [element, depth] = stack.pop()!;
    elements++;
    if (depth >= MAX_DEPTH) flattenChildren(element);
    dropExcessAttributes(element);
    joinLongTextRuns(element);
    for (let child = element.firstChild; child; child = child.nextSibling) {
      nodes++;
      if (child.nodeType === 3) {
        const data = (child as Text).data;
        chars += data.length;
        nodes += countOf(escapedChar, data);
      }
    }
    if (nodes > MAX_NODES) throw newsdeskError('ND_EXTRACT_FAILED', { url, reason: `the page has more than ${MAX_NODES} nodes` });
    if (chars > MAX_TEXT_CHARS) throw newsdeskError('ND_EXTRACT_FAILED', { url, reason: `the page has more than ${MAX_TEXT_CHARS} characters of text` });
    for (let child = element.lastElementChild; child; child = child.previousElementSibling) stack.push([child, depth + 1]);
  }
  if (elements > PRUNE_ABOVE) elements = pruneEmptyElements(root);
  if (elements > MAX_ELEMENTS) throw newsdeskError('ND_EXTRACT_FAILED', { url, reason: `the page has more than ${MAX_ELEMENTS} elements` });
}

function dropExcessAttributes(element: Element): void {
  const attributes = element.attributes;
  if (attributes.length <= MAX_ATTRIBUTES) return;
  const names = Array.from(attributes, (a) => a.name).slice(MAX_ATTRIBUTES);
  for (const name of names) element.removeAttribute(name);
}

/** Removes elements with nothing in them, innermost first (so a box of empty boxes goes too); returns the elements left. */
function pruneEmptyElements(root: Element): number {
  const all = Array.from(root.querySelectorAll('*'));
  let left = all.length + 1;
  for (let i = all.length - 1; i >= 0; i--) {
    const element = all[i]!;
    if (element.firstChild || SHOWN_EMPTY.has(element.tagName)) continue;
    element.parentNode?.removeChild(element);
    left--;
  }
  return left;
}

function countOf(pattern: RegExp, text: string): number {
  if (text.length < 1) return 0;
  pattern.lastIndex = 0;
  let n = 0;
  while (pattern.test(text)) n++;
  return n;
}

/** Replaces the children of `element` with the text nodes and empty elements of its subtree, in document order. */
function flattenChildren(element: Element): void {
  if (!element.firstElementChild || !element.firstElementChild.firstChild) {
    let nested = false;
    for (let child = element.firstElementChild; child; child = child.nextElementSibling) if (child.firstChild) nested = true;
    if (!nested) return;
  }
  const leaves: Node[] = [];
  const pending: Node[] = [];
  for (let child = element.lastChild; child; child = child.previousSibling) pending.push(child);
  while (pending.length) {
    const node = pending.pop()!;
    if (node.nodeType === 1 && node.firstChild) {
      for (let child = node.lastChild; child; child = child.previousSibling) pending.push(child);
    } else if (node.nodeType === 1 || node.nodeType === 3) {
      leaves.push(node);
    }
  }
  while (element.firstChild) element.removeChild(element.firstChild);
  for (const leaf of leaves) {
    leaf.parentNode?.removeChild(leaf);
    element.appendChild(leaf);
  }
}

function joinLongTextRuns(element: Element): void {
  let runStart: Text | null = null;
  let runLength = 0;
  let child = element.firstChild;
  while (child) {
    const next: ChildNode | null = child.nextSibling;
    if (child.nodeType === 3) {
      if (runStart === null) {
        runStart = child as Text;
        runLength = 1;
      } else if (++runLength > MAX_TEXT_RUN) {
        const parts = [runStart.data];
        for (let node: ChildNode | null = runStart.nextSibling; node && node.nodeType === 3; ) {
          const after: ChildNode | null = node.nextSibling;
          parts.push((node as Text).data);
          element.removeChild(node);
          node = after;
        }
        runStart.data = parts.join('');
        child = runStart.nextSibling;
        runStart = null;
        continue;
      }
    } else {
      runStart = null;
    }
    child = next;
  }
}
