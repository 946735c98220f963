// An in-memory CandidateIndex and consolidation source, compact enough for a million articles: terms
// are interned to integers, features live in typed-array arenas, postings of lookup keys are linked
// lists in typed arrays behind an open-addressing hash table, and each story keeps its member list.
// Every method costs what its arguments ask for (keys x limit, ids, a story's members), never the
// number stored. `inspect cluster` and the benchmarks run the production path on it.
import type { CandidateEntry, CandidateIndex, ClusterFeatures } from '../types.ts';
import type { ConsolidationSource, Region } from './consolidate.ts';
import type { RegionArticle, RegionStory, RegroupPlan, StoryRef } from './regroup.ts';
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

export class MemoryCandidateIndex implements CandidateIndex, ConsolidationSource {
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
  /** Members of each story, oldest first; a story merged away is empty and redirects. */
  private readonly storyMembersOf: number[][] = [];
  private readonly redirects = new Map<number, number>();
  private readonly articleStory = new IntVector();
  /** Per article: the offset of its lookup keys' hashes in `keySlots`, and how many. */
  private readonly articleKeysAt = new IntVector();
  private readonly articleKeyCount = new IntVector();
  private readonly keySlots = new IntVector();
  /** Per article: 1 assigned by the incremental step, 2 consolidated. */
  private readonly articleState: number[] = [];
  private readonly articleVersion: number[] = [];
  private version = 0;
  private counted = 0;

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
      return a === undefined ? undefined : this.storyIds[this.articleStory.data[a]!]!;
    });
  }

  async storyMembers(storyIds: readonly string[], limit: number): Promise<string[][]> {
    return storyIds.map((storyId) => {
      const s = this.storyIndex.get(storyId);
      if (s === undefined) return [];
      const members = this.storyMembersOf[this.resolve(s)]!;
      const out: string[] = [];
      for (let i = members.length - 1; i >= 0 && out.length < limit; i--) out.push(this.articleIds[members[i]!]!);
      return out;
    });
  }

  async createStory(firstArticleId: string): Promise<string> {
    let id = firstArticleId;
    for (let n = 2; this.storyIndex.has(id); n++) id = `${firstArticleId}~${n}`;
    this.storyIndex.set(id, this.storyIds.length);
    this.storyIds.push(id);
    this.storyMembersOf.push([]);
    return id;
  }

  async add(entry: CandidateEntry): Promise<void> {
    if (this.articleIndex.has(entry.id)) return;
    const s = this.storyIndex.get(entry.storyId);
    if (s === undefined) throw new Error(`unknown story ${entry.storyId}`);
    const a = this.articleIds.length;
    this.articleIds.push(entry.id);
    this.articleIndex.set(entry.id, a);
    for (const term of entry.documentTerms) this.df.data[this.intern(term)]++;
    this.encode(entry.features);
    this.articleKeysAt.push(this.keySlots.length);
    this.articleKeyCount.push(entry.keys.length);
    for (const key of entry.keys) this.keySlots.push(this.addPosting(key, a));
    const story = this.resolve(s);
    this.articleStory.push(story);
    this.storyMembersOf[story]!.push(a);
    this.articleState.push(1);
    this.articleVersion.push(-1);
  }

  async mergeStories(into: string, from: readonly string[]): Promise<void> {
    const target = this.storyIndex.get(into);
    if (target === undefined) return;
    for (const other of from) {
      const o = this.storyIndex.get(other);
      if (o === undefined) continue;
      this.mergeInto(this.resolve(o), this.resolve(target));
    }
  }

  // ---- consolidation -----------------------------------------------------------------------------

  /** Counts are kept as articles are added; the version names how many were counted. */
  async refreshDocumentFrequencies(): Promise<number> {
    if (this.counted !== this.articleIds.length) {
      this.counted = this.articleIds.length;
      this.version++;
    }
    return this.version;
  }

  /** Not yet consolidated first; then (with nothing else waiting) any consolidated under other counts: in memory every article is recent. */
  async seeds(limit: number, version: number): Promise<string[]> {
    const out: string[] = [];
    for (let a = 0; a < this.articleIds.length && out.length < limit; a++) if (this.articleState[a] === 1) out.push(this.articleIds[a]!);
    if (out.length > 0) return out;
    for (let a = 0; a < this.articleIds.length && out.length < limit; a++) if (this.articleVersion[a] !== version) out.push(this.articleIds[a]!);
    return out;
  }

  async neighbours(seedIds: readonly string[], windowDays: number, perKey: number): Promise<string[]> {
    const found = new Set<string>();
    const windowMs = windowDays * 86_400_000;
    for (const id of seedIds) {
      const a = this.articleIndex.get(id);
      if (a === undefined) continue;
      const time = this.articleTime.data[a]!;
      const at = this.articleKeysAt.data[a]!;
      for (let k = 0; k < this.articleKeyCount.data[a]!; k++) {
        let posting = this.slotHead[this.findSlotOfHash(this.keySlots.data[at + k]! >>> 0)]! - 1;
        let taken = 0;
        // Postings run newest first; a key's far-off articles are skipped, within a bounded walk.
        for (let walked = 0; posting >= 0 && taken < perKey && walked < perKey * 8; walked++) {
          const b = this.postingArticle.data[posting]!;
          const other = this.articleTime.data[b]!;
          if (b !== a && (Number.isNaN(time) || Number.isNaN(other) || Math.abs(time - other) <= windowMs)) {
            found.add(this.articleIds[b]!);
            taken++;
          }
          posting = this.postingNext.data[posting]!;
        }
      }
    }
    return [...found];
  }

  async region(ids: readonly string[]): Promise<Region> {
    const include = new Set<number>();
    for (const id of ids) {
      const a = this.articleIndex.get(id);
      if (a === undefined) continue;
      for (const m of this.storyMembersOf[this.articleStory.data[a]!]!) include.add(m);
    }
    const articles: RegionArticle[] = [];
    const stories = new Map<string, RegionStory>();
    for (const a of include) {
      const s = this.articleStory.data[a]!;
      const features = this.decode(a);
      const storyId = this.storyIds[s]!;
      articles.push({ id: this.articleIds[a]!, order: `${String(features.time ?? 0).padStart(15, '0')}\u0000${this.articleIds[a]}`, features, storyId, locked: false });
      if (!stories.has(storyId)) stories.set(storyId, { id: storyId, age: s, override: null });
    }
    return { articles, stories, apart: [] };
  }

  async apply(plan: RegroupPlan, seeds: readonly string[], version: number): Promise<string[]> {
    const created: number[] = [];
    for (let i = 0; i < plan.created; i++) {
      const firstMember = [...plan.storyOf].find(([, ref]) => 'created' in ref && ref.created === i)?.[0] ?? `story${this.storyIds.length}`;
      created.push(this.storyIndex.get(await this.createStory(firstMember))!);
    }
    const indexOf = (ref: StoryRef) => ('existing' in ref ? this.storyIndex.get(ref.existing)! : created[ref.created]!);
    const changed = new Set<number>();
    for (const [id, ref] of plan.storyOf) {
      const a = this.articleIndex.get(id)!;
      const to = indexOf(ref);
      const from = this.articleStory.data[a]!;
      if (from === to) continue;
      this.move(a, from, to);
      changed.add(from);
      changed.add(to);
    }
    for (const { from, into } of plan.mergedAway) {
      const f = this.storyIndex.get(from)!;
      this.mergeInto(f, indexOf(into));
      changed.delete(f);
    }
    for (const id of seeds) {
      const a = this.articleIndex.get(id);
      if (a === undefined) continue;
      this.articleState[a] = 2;
      this.articleVersion[a] = version;
      changed.add(this.articleStory.data[a]!);
    }
    return [...changed].filter((s) => this.storyMembersOf[s]!.length > 0).map((s) => this.storyIds[s]!);
  }

  private move(a: number, from: number, to: number): void {
    const members = this.storyMembersOf[from]!;
    const at = members.indexOf(a);
    if (at >= 0) members.splice(at, 1);
    // Kept oldest first, so that `storyMembers` reads the newest.
    const target = this.storyMembersOf[to]!;
    let i = target.length;
    while (i > 0 && target[i - 1]! > a) i--;
    target.splice(i, 0, a);
    this.articleStory.data[a] = to;
  }

  /** Every member of `from` moves to `to`; `from` redirects to `to` from now on. */
  private mergeInto(from: number, to: number): void {
    if (from === to) return;
    for (const a of [...this.storyMembersOf[from]!]) this.move(a, from, to);
    this.redirects.set(from, to);
  }

  private resolve(s: number): number {
    let story = s;
    for (let next = this.redirects.get(story); next !== undefined; next = this.redirects.get(story)) story = next;
    return story;
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
    const size = 4 + f.terms.length * 2 + f.titleTerms.length + f.entities.length;
    if (this.arenaUsed + size > ARENA_CHUNK) {
      this.arena.push(new Int32Array(Math.max(ARENA_CHUNK, size)));
      this.arenaUsed = 0;
    }
    const chunk = this.arena[this.arena.length - 1]!;
    let p = this.arenaUsed;
    this.articleChunk.push(this.arena.length - 1);
    this.articleOffset.push(p);
    this.articleTime.push(f.time ?? Number.NaN);
    chunk[p++] = f.v;
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
    const v = chunk[p++]! as 1 | 2;
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
    return { v, time: Number.isNaN(time) ? null : time, terms, titleTerms, entities };
  }

  private findSlot(key: string): number {
    return this.findSlotOfHash(keyHash(key));
  }

  private findSlotOfHash(h: number): number {
    const mask = this.slotKey.length - 1;
    let slot = h & mask;
    while (this.slotKey[slot] !== 0 && this.slotKey[slot] !== h) slot = (slot + 1) & mask;
    return slot;
  }

  /** Adds a posting under `key` and returns the key's hash (slots move when the table grows; hashes do not). */
  private addPosting(key: string, article: number): number {
    if ((this.slotsUsed + 1) * 10 > this.slotKey.length * 6) this.growSlots();
    const slot = this.findSlot(key);
    if (this.slotKey[slot] === 0) {
      this.slotKey[slot] = keyHash(key);
      this.slotsUsed++;
    }
    const posting = this.postingArticle.push(article);
    this.postingNext.push(this.slotHead[slot]! - 1);
    this.slotHead[slot] = posting + 1;
    return this.slotKey[slot]! | 0;
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

function keyHash(key: string): number {
  return (hash32(key, 0x6b6579) | 1) >>> 0;
}
