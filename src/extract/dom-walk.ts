// Tag lookups without CSS selectors. linkedom compiles a selector on every querySelector/matches
// call and runs the compiled matcher on every element it visits; the extraction passes ask such
// questions of thousands of elements per page, and for plain tag names a set lookup answers them
// at a fraction of the cost. The walks follow querySelectorAll's rules: document order, the
// element itself excluded, a <template>'s contents skipped, tag names compared case-insensitively.

export type TagSet = ReadonlySet<string>;

export function tagSet(...names: string[]): TagSet {
  return new Set(names.map((name) => name.toLowerCase()));
}

export function tagOf(element: Element): string {
  return element.localName.toLowerCase();
}

export function hasTag(element: Element, tags: TagSet): boolean {
  return tags.has(tagOf(element));
}

/** The next element after `node` in document order within `root` (template contents are not the page's). */
function nextInTree(node: Element, root: Element): Element | null {
  if (node.localName !== 'template') {
    const child = node.firstElementChild;
    if (child) return child;
  }
  for (let current: Element | null = node; current && current !== root; current = current.parentElement) {
    const sibling = current.nextElementSibling;
    if (sibling) return sibling;
  }
  return null;
}

/** Descendants of `root` whose tag is in `tags`, in document order. */
export function descendantsByTag(root: Element, tags: TagSet): Element[] {
  const found: Element[] = [];
  for (let node = nextInTree(root, root); node; node = nextInTree(node, root)) {
    if (tags.has(tagOf(node))) found.push(node);
  }
  return found;
}

/** The first descendant of `root` whose tag is in `tags`. */
export function firstByTag(root: Element, tags: TagSet): Element | null {
  for (let node = nextInTree(root, root); node; node = nextInTree(node, root)) {
    if (tags.has(tagOf(node))) return node;
  }
  return null;
}

/** Every descendant element of `root` (or of a document), in document order. */
export function allDescendants(root: Element | Document): Element[] {
  const list = root.querySelectorAll('*');
  // linkedom's NodeList is an array already; copying it costs an allocation per walk.
  return Array.isArray(list) ? (list as Element[]) : Array.from(list);
}

/** `start` or its nearest ancestor whose tag is in `tags`. */
export function closestByTag(start: Element, tags: TagSet): Element | null {
  for (let node: Element | null = start; node; node = node.parentElement) if (tags.has(tagOf(node))) return node;
  return null;
}
