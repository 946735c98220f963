// Agglomeration by top-K link over a sparse similarity graph: two groups are linked by the mean of
// their K most similar pairs (pairs that are not in the graph count as 0). Unlike the average of all
// pairs, this link does not fall as a story grows, so one cut serves stories of two reports and of
// twenty; unlike the best pair alone (single link), one stray pair cannot chain two events together
// once the groups have a few members.
//
// Groups start as atoms (an editor's story stays whole), groups that must stay apart are never merged,
// and every choice is broken by the atoms' order, so the same input gives the same groups.

export interface Edge {
  a: number;
  b: number;
  similarity: number;
}

export interface TopKOptions {
  /** Pairs averaged per link. */
  k: number;
  /** Groups merge while their link is at least this. */
  cut: number;
  /**
   * Whether groups i and j (atoms' indices, any members) may never merge: called with two atom lists.
   * Undefined means any two groups may merge.
   */
  apart?: (left: readonly number[], right: readonly number[]) => boolean;
}

interface Link {
  /** Best pair similarities between the two groups, highest first, at most K. */
  best: number[];
}

/** Binary max-heap of candidate merges, ordered by link then by the groups' order (lower first). */
class MergeHeap {
  private readonly items: Array<{ link: number; x: number; y: number; version: number }> = [];
  push(item: { link: number; x: number; y: number; version: number }): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }
  pop(): { link: number; x: number; y: number; version: number } | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && before(items[l]!, items[m]!)) m = l;
        if (r < items.length && before(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(p: { link: number; x: number; y: number }, q: { link: number; x: number; y: number }): boolean {
  if (p.link !== q.link) return p.link > q.link;
  if (p.x !== q.x) return p.x < q.x;
  return p.y < q.y;
}

/**
 * Groups `atoms` (each a list of item indices; every item in exactly one atom) by top-K link over
 * `edges` (item pairs). Returns the groups as lists of atom indices, each sorted, in order of their
 * first atom. Atom order is the tie-break: pass atoms in a stable order (by time and URL, say).
 */
export function topKGroups(atoms: readonly (readonly number[])[], edges: readonly Edge[], options: TopKOptions): number[][] {
  const n = atoms.length;
  let items = 0;
  for (const atom of atoms) for (const i of atom) items = Math.max(items, i + 1);
  const atomOf = new Int32Array(items);
  atoms.forEach((atom, a) => atom.forEach((i) => (atomOf[i] = a)));
  const size = atoms.map((items) => items.length);
  const members: number[][] = atoms.map((_, a) => [a]);
  const links: Array<Map<number, Link>> = atoms.map(() => new Map());
  const version = new Int32Array(n);
  const alive = new Uint8Array(n).fill(1);
  const k = Math.max(1, Math.floor(options.k));

  const addPair = (x: number, y: number, similarity: number) => {
    if (x === y) return;
    let link = links[x]!.get(y);
    if (!link) {
      link = { best: [] };
      links[x]!.set(y, link);
      links[y]!.set(x, link);
    }
    insertBest(link.best, similarity, k);
  };
  for (const e of edges) addPair(atomOf[e.a]!, atomOf[e.b]!, e.similarity);

  const value = (x: number, y: number, link: Link) => {
    const pairs = Math.min(k, size[x]! * size[y]!);
    let sum = 0;
    for (const s of link.best) sum += s;
    return sum / pairs;
  };
  const heap = new MergeHeap();
  const offer = (x: number, y: number) => {
    const link = links[x]!.get(y);
    if (!link) return;
    const v = value(x, y, link);
    if (v < options.cut) return;
    const [lo, hi] = x < y ? [x, y] : [y, x];
    heap.push({ link: v, x: lo, y: hi, version: version[lo]! * 0x100000 + version[hi]! });
  };
  for (let x = 0; x < n; x++) for (const y of links[x]!.keys()) if (x < y) offer(x, y);

  for (;;) {
    const top = heap.pop();
    if (!top) break;
    const { x, y } = top;
    if (!alive[x] || !alive[y] || top.version !== version[x]! * 0x100000 + version[y]!) continue;
    if (options.apart?.(members[x]!, members[y]!)) {
      // Never mergeable while both stand: forget the link so it is not offered again.
      links[x]!.delete(y);
      links[y]!.delete(x);
      continue;
    }
    // y joins x (x is the earlier group): links of y move to x, lists of best pairs combine.
    alive[y] = 0;
    members[x] = [...members[x]!, ...members[y]!];
    size[x] = size[x]! + size[y]!;
    links[x]!.delete(y);
    for (const [z, link] of links[y]!) {
      if (z === x) continue;
      links[z]!.delete(y);
      const existing = links[x]!.get(z);
      if (existing) {
        for (const s of link.best) insertBest(existing.best, s, k);
      } else {
        links[x]!.set(z, link);
        links[z]!.set(x, link);
      }
    }
    links[y]!.clear();
    version[x]!++;
    for (const z of links[x]!.keys()) offer(x, z);
  }
  const groups: number[][] = [];
  for (let a = 0; a < n; a++) if (alive[a]) groups.push(members[a]!.sort((p, q) => p - q));
  return groups.sort((p, q) => p[0]! - q[0]!);
}

/** Inserts `value` into a descending list kept at most `k` long. */
function insertBest(best: number[], value: number, k: number): void {
  if (best.length >= k && value <= best[best.length - 1]!) return;
  let i = best.length;
  best.push(value);
  while (i > 0 && best[i - 1]! < value) {
    best[i] = best[i - 1]!;
    i--;
  }
  best[i] = value;
  if (best.length > k) best.pop();
}
