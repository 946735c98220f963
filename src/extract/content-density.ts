// A second opinion on where the story is. Readability scores containers by the paragraphs directly
// under them and sometimes settles on the wrong one (a long list of names, a teaser box, one section
// of a long page). Here the page's prose (paragraphs of real sentences, few links) is located first;
// when Readability's choice holds little of it, the smallest container holding most of it is used.
import { flatText } from './content-text.ts';
import { allDescendants, descendantsByTag, firstByTag, tagOf, tagSet } from './dom-walk.ts';

// List items and table cells are left out: teaser lists ("More stories") read as prose item by item.
const PROSE_BLOCKS = tagSet('p', 'pre', 'blockquote');
/** What makes an element not the innermost prose level: a prose block inside it, or code. */
const INNER_BLOCKS = tagSet('p', 'pre', 'blockquote', 'script', 'style');
const A = tagSet('a');

export interface ProseMap {
  /** Prose paragraphs of the page, in document order. */
  blocks: Element[];
  texts: string[];
  total: number;
}

function countWords(text: string): number {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;
}

function linkLength(element: Element): number {
  let length = 0;
  for (const a of descendantsByTag(element, A)) length += flatText(a).length;
  return length;
}

/** Text blocks that read as prose. Ideographic scripts have no spaces, so their length counts instead of words. */
export function findProse(root: Element): ProseMap {
  const blocks: Element[] = [];
  const texts: string[] = [];
  let total = 0;
  const elements = allDescendants(root);
  const candidates = new Set<Element>(elements.filter((el) => PROSE_BLOCKS.has(tagOf(el))));
  // Text written straight into a <div> with <br> line breaks is prose too.
  for (const div of elements) {
    if (tagOf(div) !== 'div') continue;
    for (const child of Array.from(div.childNodes)) {
      if (child.nodeType === 3 && (child.textContent ?? '').trim().length > 100) {
        candidates.add(div);
        break;
      }
    }
  }
  for (const el of candidates) {
    // Nested prose blocks (a <p> inside an <li>) count once, at the innermost level.
    if (firstByTag(el, INNER_BLOCKS)) continue;
    const text = flatText(el);
    if (text.length < 80) continue;
    const words = countWords(text);
    const ideographic = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/.test(text);
    if (words < 15 && !ideographic) continue;
    if (linkLength(el) / text.length > 0.25) continue;
    blocks.push(el);
    texts.push(text);
    total += text.length;
  }
  return { blocks, texts, total };
}

/** Share of the prose (by length) that appears in `text`. */
export function proseCoverage(prose: { texts: string[]; total: number }, text: string): number {
  if (prose.total === 0) return 1;
  const flat = text.replace(/\s+/g, ' ');
  let covered = 0;
  prose.texts.forEach((t) => {
    if (flat.includes(t.slice(0, 60))) covered += t.length;
  });
  return covered / prose.total;
}

/**
 * The story's container as the prose places it: prose blocks are grouped by their parent element
 * and the parent holding the most prose wins. Grouping by parent rather than summing over
 * ancestors keeps a page of many one-paragraph teasers (each in its own box) from outweighing the
 * article, whose paragraphs are siblings.
 */
export function proseContainer(prose: ProseMap): { element: Element; texts: string[]; total: number } | null {
  const groups = new Map<Element, { texts: string[]; total: number }>();
  prose.blocks.forEach((block, i) => {
    const parent = block.parentElement;
    if (!parent) return;
    const group = groups.get(parent) ?? { texts: [], total: 0 };
    group.texts.push(prose.texts[i]);
    group.total += prose.texts[i].length;
    groups.set(parent, group);
  });
  let best: { element: Element; texts: string[]; total: number } | null = null;
  for (const [element, group] of groups) if (!best || group.total > best.total) best = { element, ...group };
  return best;
}
