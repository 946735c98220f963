// An in-memory CandidateIndex, compact enough for a million articles: terms are interned to integers,
// features live in typed-array arenas, postings of lookup keys are linked lists in typed arrays behind
// an open-addressing hash table, and stories are a union-find with O(1) member-list concatenation.
// Every method costs what its arguments ask for (keys x limit, ids), never the number stored.
import type { CandidateEntry, CandidateIndex, ClusterFeatures } from '../types.ts';
import { hash32 } from './minhash.ts';

class IntVector {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(value: number): number {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = value;
    return this.length++;
  }
}

class FloatVector {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  push(value: number): number {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = value;
    return this.length++;
  }
}

const ARENA_CHUNK = 1 << 22; // 4M ints (16 MB) per chunk; one article never spans two chunks

export class MemoryCandidateIndex implements CandidateIndex {
  private readonly vocabulary = new Map<string, number>();
  private readonly words: string[] = [];
  private df = new IntVector();

  private readonly articleIndex = new Map<string, number>();
  private readonly articleIds: string[] = [];
  private readonly articleTime = new FloatVector();
  private readonly articleChunk = new IntVector();
  private readonly articleOffset = new IntVector();
  private readonly arena: Int32Array[] = [new Int32Array(ARENA_CHUNK)];
  private arenaUsed = 0;

  // Open addressing: slotKey holds hash32(key) | 1 (0 = empty), slotHead the newest posting + 1.
  private slotKey = new Uint32Array(1 << 16);
  private slotHead = new Int32Array(1 << 16);
  private slotsUsed = 0;
  private readonly postingArticle = new IntVector();
  private readonly postingNext = new IntVector();

  private readonly storyIndex = new Map<string, number>();
  private readonly storyIds: string[] = [];
  private readonly storyParent = new IntVector();
  private readonly storyHead = new IntVector();
  private readonly storyTail = new IntVector();
  private readonly articleStory = new IntVector();
  private readonly memberNext = new IntVector();

  get size(): number {
    return this.articleIds.length;
  }

  async documentCount(): Promise<number> {
    return this.articleIds.length;
  }

  async documentFrequencies(terms: readonly string[]): Promise<number[]> {
    return terms.map((t) => {
      const id = this.vocabulary.get(t);
      return id === undefined ? 0 : this.df.data[id]!;
    });
  }

  async lookup(keys: readonly string[], limitPerKey: number): Promise<string[]> {
    const hits = new Map<number, number>();
    for (const key of new Set(keys)) {
      let posting = this.slotHead[this.findSlot(key)]! - 1;
      let taken = 0;
      while (posting >= 0 && taken < limitPerKey) {
        const a = this.postingArticle.data[posting]!;
        hits.set(a, (hits.get(a) ?? 0) + 1);
        posting = this.postingNext.data[posting]!;
        taken++;
      }
    }
    return [...hits]
      .sort((x, y) => y[1] - x[1] || y[0] - x[0])
      .map(([a]) => this.articleIds[a]!);
  }

  async getFeatures(ids: readonly string[]): Promise<Array<ClusterFeatures | undefined>> {
    return ids.map((id) => {
      const a = this.articleIndex.get(id);
      return a === undefined ? undefined : this.decode(a);
    });
  }

  async storiesOf(ids: readonly string[]): Promise<Array<string | undefined>> {
    return ids.map((id) => {
      const a = this.articleIndex.get(id);
      return a === undefined ? undefined : this.storyIds[this.findStory(this.articleStory.data[a]!)]!;
    });
  }

  async storyMembers(storyId: string, limit: number): Promise<string[]> {
    const s = this.storyIndex.get(storyId);
    if (s === undefined) return [];
    const out: string[] = [];
    let a = this.storyHead.data[this.findStory(s)]!;
    while (a >= 0 && out.length < limit) {
      out.push(this.articleIds[a]!);
      a = this.memberNext.data[a]!;
    }
    return out;
  }

  async createStory(firstArticleId: string): Promise<string> {
    let id = firstArticleId;
    for (let n = 2; this.storyIndex.has(id); n++) id = `${firstArticleId}~${n}`;
    const s = this.storyIds.length;
    this.storyIds.push(id);
    this.storyIndex.set(id, s);
    this.storyParent.push(s);
    this.storyHead.push(-1);
    this.storyTail.push(-1);
    return id;
  }

  async add(entry: CandidateEntry): Promise<void> {
    if (this.articleIndex.has(entry.id)) return;
    const s = this.storyIndex.get(entry.storyId);
    if (s === undefined) throw new Error(`unknown story ${entry.storyId}`);
    const a = this.articleIds.length;
    this.articleIds.push(entry.id);
    this.articleIndex.set(entry.id, a);
    for (const term of entry.distinctTerms) this.df.data[this.intern(term)]++;
    this.encode(entry.features);
    for (const key of entry.keys) this.addPosting(key, a);

    const root = this.findStory(s);
    this.articleStory.push(root);
    this.memberNext.push(this.storyHead.data[root]!);
    this.storyHead.data[root] = a;
    if (this.storyTail.data[root] === -1) this.storyTail.data[root] = a;
  }

  async mergeStories(into: string, from: readonly string[]): Promise<void> {
    const target = this.storyIndex.get(into);
    if (target === undefined) return;
    for (const other of from) {
      const o = this.storyIndex.get(other);
      if (o === undefined) continue;
      const root = this.findStory(target);
      const absorbed = this.findStory(o);
      if (root === absorbed) continue;
      this.storyParent.data[absorbed] = root;
      const head = this.storyHead.data[absorbed]!;
      if (head < 0) continue;
      const tail = this.storyTail.data[root]!;
      if (tail < 0) this.storyHead.data[root] = head;
      else this.memberNext.data[tail] = head;
      this.storyTail.data[root] = this.storyTail.data[absorbed]!;
    }
  }

  private findStory(s: number): number {
    const parent = this.storyParent.data;
    let root = s;
    while (parent[root] !== root) root = parent[root]!;
    let x = s;
    while (parent[x] !== root) {
      const next = parent[x]!;
      parent[x] = root;
      x = next;
    }
    return root;
  }

  private intern(term: string): number {
    let id = this.vocabulary.get(term);
    if (id === undefined) {
      id = this.words.length;
      this.words.push(term);
      this.vocabulary.set(term, id);
      this.df.push(0);
    }
    return id;
  }

  private encode(f: ClusterFeatures): void {
    const size = 3 + f.terms.length * 2 + f.titleTerms.length + f.entities.length;
    if (this.arenaUsed + size > ARENA_CHUNK) {
      this.arena.push(new Int32Array(Math.max(ARENA_CHUNK, size)));
      this.arenaUsed = 0;
    }
    const chunk = this.arena[this.arena.length - 1]!;
    let p = this.arenaUsed;
    this.articleChunk.push(this.arena.length - 1);
    this.articleOffset.push(p);
    this.articleTime.push(f.time ?? Number.NaN);
    chunk[p++] = f.terms.length;
    chunk[p++] = f.titleTerms.length;
    chunk[p++] = f.entities.length;
    for (const [term, count] of f.terms) {
      chunk[p++] = this.intern(term);
      chunk[p++] = count;
    }
    for (const t of f.titleTerms) chunk[p++] = this.intern(t);
    for (const e of f.entities) chunk[p++] = this.intern(e);
    this.arenaUsed = p;
  }

  private decode(a: number): ClusterFeatures {
    const chunk = this.arena[this.articleChunk.data[a]!]!;
    let p = this.articleOffset.data[a]!;
    const nTerms = chunk[p++]!;
    const nTitle = chunk[p++]!;
    const nEntities = chunk[p++]!;
    const terms: Array<[string, number]> = [];
    for (let i = 0; i < nTerms; i++, p += 2) terms.push([this.words[chunk[p]!]!, chunk[p + 1]!]);
    const titleTerms: string[] = [];
    for (let i = 0; i < nTitle; i++) titleTerms.push(this.words[chunk[p++]!]!);
    const entities: string[] = [];
    for (let i = 0; i < nEntities; i++) entities.push(this.words[chunk[p++]!]!);
    const time = this.articleTime.data[a]!;
    return { v: 1, time: Number.isNaN(time) ? null : time, terms, titleTerms, entities };
  }

  private findSlot(key: string): number {
    const h = (hash32(key, 0x6b6579) | 1) >>> 0;
    const mask = this.slotKey.length - 1;
    let slot = h & mask;
    while (this.slotKey[slot] !== 0 && this.slotKey[slot] !== h) slot = (slot + 1) & mask;
    return slot;
  }

  private addPosting(key: string, article: number): void {
    if ((this.slotsUsed + 1) * 10 > this.slotKey.length * 6) this.growSlots();
    const slot = this.findSlot(key);
    if (this.slotKey[slot] === 0) {
      this.slotKey[slot] = (hash32(key, 0x6b6579) | 1) >>> 0;
      this.slotsUsed++;
    }
    const posting = this.postingArticle.push(article);
    this.postingNext.push(this.slotHead[slot]! - 1);
    this.slotHead[slot] = posting + 1;
  }

  private growSlots(): void {
    const oldKeys = this.slotKey;
    const oldHeads = this.slotHead;
    this.slotKey = new Uint32Array(oldKeys.length * 2);
    this.slotHead = new Int32Array(oldKeys.length * 2);
    const mask = this.slotKey.length - 1;
    for (let i = 0; i < oldKeys.length; i++) {
      const h = oldKeys[i]!;
      if (h === 0) continue;
      let slot = h & mask;
      while (this.slotKey[slot] !== 0) slot = (slot + 1) & mask;
      this.slotKey[slot] = h;
      this.slotHead[slot] = oldHeads[i]!;
    }
  }
}
