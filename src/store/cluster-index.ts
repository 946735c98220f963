// The clusterer's CandidateIndex on the store: candidates come from the indexed `story_bands`
// table, document frequencies from `cluster_terms` (counted in batches by the consolidation pass, a
// snapshot as far as one article is concerned); no method scans the articles. Adding an article writes
// only its own rows, so any number of workers add at once.
import { sql } from 'kysely';
import type { Store } from './index.ts';
import type { CandidateEntry, CandidateIndex, ClusterFeatures } from '../curate/types.ts';
import { chunks } from './values.ts';

export const DOCUMENT_COUNT = 'cluster_documents';
/** Story ids `createStory` hands out before the story exists. */
const NEW_STORY = 'new:';

export interface CandidateIndexOptions {
  /**
   * How old, in milliseconds, a document frequency or the document count read earlier may be when the
   * clusterer asks again (0: read every time). The first story of an article only needs a snapshot (the
   * consolidation pass, which reads exact counts, decides the final one), and reading the same common
   * terms for every article was most of an assignment's statements.
   */
  snapshotMs?: number;
  /**
   * Features of this many articles are kept (they never change once stored); 0 keeps none. They are
   * kept as their stored JSON and parsed on each use: parsed, one article's features took ~11 KB of heap
   * (a few hundred [term, weight] pairs), their text a fifth of that, and parsing it is microseconds
   * beside the statement it saves.
   */
  featureCache?: number;
  /** The clock of the snapshot. */
  now?: () => number;
}

/**
 * SQLite unions are built with one of these many subqueries, the missing ones empty. Each distinct
 * statement text is prepared and kept by the store's statement cache, and a union of n subqueries
 * holds ~2 KB of SQLite's memory per subquery (outside the JS heap): asking the three unions below
 * with every count of keys from 1 to 100 grew a process by 48 MB, with these sizes by 22 MB, and each
 * query took half the time (prepared once, not a hundred times).
 */
const UNION_SIZES = [1, 2, 4, 8, 16, 32, 64, 100];
function unionSize(n: number): number {
  return UNION_SIZES.find((size) => size >= n) ?? n;
}

/** Terms in the snapshot at most; past it, it starts again (the common terms come back at once). */
const SNAPSHOT_TERMS = 50_000;

export class StoreCandidateIndex implements CandidateIndex {
  private readonly snapshotMs: number;
  private readonly featureCache: number;
  private readonly now: () => number;
  private readonly dfSnapshot = new Map<string, { df: number; at: number }>();
  private countSnapshot: { count: number; at: number } | null = null;
  private readonly features = new Map<string, string>();

  constructor(
    private readonly store: Store,
    options: CandidateIndexOptions = {},
  ) {
    this.snapshotMs = options.snapshotMs ?? 0;
    this.featureCache = options.featureCache ?? 0;
    this.now = options.now ?? Date.now;
  }

  private get db() {
    return this.store.db;
  }

  /** Keys (or stories) read by one statement: a PostgreSQL array holds thousands, an SQLite union a hundred subqueries. */
  private get keysPerStatement(): number {
    return this.store.dialect === 'postgres' ? 2000 : 100;
  }

  async documentCount(): Promise<number> {
    const now = this.now();
    if (this.countSnapshot && now - this.countSnapshot.at < this.snapshotMs) return this.countSnapshot.count;
    const row = await this.db.selectFrom('counters').select('value').where('name', '=', DOCUMENT_COUNT).executeTakeFirst();
    const count = row ? Number(row.value) : 0;
    if (this.snapshotMs > 0) this.countSnapshot = { count, at: now };
    return count;
  }

  async documentFrequencies(terms: readonly string[]): Promise<number[]> {
    const now = this.now();
    const df = new Map<string, number>();
    const wanted: string[] = [];
    for (const term of new Set(terms)) {
      const known = this.snapshotMs > 0 ? this.dfSnapshot.get(term) : undefined;
      if (known && now - known.at < this.snapshotMs) df.set(term, known.df);
      else wanted.push(term);
    }
    if (this.snapshotMs > 0 && this.dfSnapshot.size + wanted.length > SNAPSHOT_TERMS) this.dfSnapshot.clear();
    for (const part of chunks(wanted)) {
      const rows = await this.db.selectFrom('cluster_terms').select(['term', 'df']).where('term', 'in', part).execute();
      for (const row of rows) df.set(row.term, Number(row.df));
    }
    if (this.snapshotMs > 0) for (const term of wanted) this.dfSnapshot.set(term, { df: df.get(term) ?? 0, at: now });
    return terms.map((t) => df.get(t) ?? 0);
  }

  /** Ids under any of the keys, those matching the most keys first (the clusterer compares the first few). */
  async lookup(keys: readonly string[], limitPerKey: number): Promise<string[]> {
    const matches = new Map<string, number>();
    for (const { articleId } of await this.latestPostings([...new Set(keys)].map((key) => ({ key, limit: limitPerKey })))) {
      matches.set(articleId, (matches.get(articleId) ?? 0) + 1);
    }
    return [...matches.entries()].sort((a, b) => b[1] - a[1] || Number(b[0]) - Number(a[0])).map(([id]) => id);
  }

  /**
   * For each key, its newest `limit` postings (with `days`, the newest within those days): one
   * backward range scan of an index per key, stopping at the limit, so that a key under which a
   * million articles are filed costs what a rare one does.
   */
  async latestPostings(wanted: ReadonlyArray<{ key: string; limit: number }>, days?: { from: number; to: number }): Promise<Array<{ key: string; articleId: string }>> {
    const inDays = days ? sql`and day >= ${days.from} and day <= ${days.to} order by day desc, article_id desc` : sql`order by article_id desc`;
    const out: Array<{ key: string; articleId: string }> = [];
    for (const part of chunks(wanted, this.keysPerStatement)) {
      // PostgreSQL: the keys and their limits travel as two arrays and a lateral join scans the index
      // once per key, in one plan (a union of one subquery per key spent as long planning as scanning).
      // SQLite plans cheaply and has no lateral join: a union.
      const query =
        this.store.dialect === 'postgres'
          ? sql<{ band_key: string; article_id: number }>`
              select k.band_key, p.article_id
              from unnest(${part.map((w) => w.key)}::text[], ${part.map((w) => w.limit)}::int[]) as k(band_key, lim)
              cross join lateral (select article_id from story_bands where band_key = k.band_key ${inDays} limit k.lim) as p`
          : sql<{ band_key: string; article_id: number }>`${sql.join(
              Array.from({ length: unionSize(part.length) }, (_, i) => part[i] ?? { key: '', limit: 0 }).map(
                ({ key, limit }, i) => sql`select * from (select band_key, article_id from story_bands where band_key = ${key} ${inDays} limit ${limit}) as ${sql.raw(`p${i}`)}`,
              ),
              sql` union all `,
            )}`;
      for (const row of (await query.execute(this.db)).rows) out.push({ key: row.band_key, articleId: String(row.article_id) });
    }
    return out;
  }

  async getFeatures(ids: readonly string[]): Promise<Array<ClusterFeatures | undefined>> {
    const byId = new Map<string, ClusterFeatures>();
    const wanted: number[] = [];
    for (const id of new Set(ids)) {
      const cached = this.features.get(id);
      if (cached) byId.set(id, JSON.parse(cached) as ClusterFeatures);
      else wanted.push(Number(id));
    }
    for (const part of chunks(wanted)) {
      const rows = await this.db.selectFrom('articles').select(['id', 'cluster_features']).where('id', 'in', part).execute();
      for (const row of rows) {
        if (!row.cluster_features) continue;
        byId.set(String(row.id), JSON.parse(row.cluster_features) as ClusterFeatures);
        this.remember(String(row.id), row.cluster_features);
      }
    }
    return ids.map((id) => byId.get(id));
  }

  private remember(id: string, features: string): void {
    if (this.featureCache === 0) return;
    this.features.delete(id);
    this.features.set(id, features);
    // The oldest entry goes first: a Map iterates in insertion order.
    if (this.features.size > this.featureCache) this.features.delete(this.features.keys().next().value!);
  }

  async storiesOf(ids: readonly string[]): Promise<Array<string | undefined>> {
    const byId = new Map<string, string>();
    for (const part of chunks(ids.map(Number))) {
      const rows = await this.db.selectFrom('articles').select(['id', 'story_id']).where('id', 'in', part).execute();
      for (const row of rows) if (row.story_id !== null) byId.set(String(row.id), String(row.story_id));
    }
    return ids.map((id) => byId.get(id));
  }

  /** One statement for every story: a limited backward scan of the story index per story, joined by union. */
  async storyMembers(storyIds: readonly string[], limit: number): Promise<string[][]> {
    const byStory = new Map<number, string[]>();
    for (const part of chunks([...new Set(storyIds.map(Number))], this.keysPerStatement)) {
      // As in latestPostings: one lateral plan on PostgreSQL, a union of limited scans on SQLite.
      const query =
        this.store.dialect === 'postgres'
          ? sql<{ story_id: number; id: number }>`
              select s.story_id, m.id
              from unnest(${part}::int[]) as s(story_id)
              cross join lateral (select id from articles where story_id = s.story_id order by id desc limit ${limit}) as m`
          : sql<{ story_id: number; id: number }>`${sql.join(
              // Padding: story -1 has no members (ids start at 1).
              Array.from({ length: unionSize(part.length) }, (_, i) => part[i] ?? -1).map(
                (storyId, i) => sql`select * from (select story_id, id from articles where story_id = ${storyId} order by id desc limit ${limit}) as ${sql.raw(`m${i}`)}`,
              ),
              sql` union all `,
            )}`;
      for (const row of (await query.execute(this.db)).rows) {
        const list = byStory.get(Number(row.story_id)) ?? [];
        list.push(String(row.id));
        byStory.set(Number(row.story_id), list);
      }
    }
    // Neither form keeps an order: each story's members newest first again.
    return storyIds.map((id) => (byStory.get(Number(id)) ?? []).slice().sort((a, b) => Number(b) - Number(a)));
  }

  /**
   * A story to open for the article. It is made in `add`, in the transaction that puts the article in
   * it, so that a worker killed in between leaves no empty story behind.
   */
  async createStory(firstArticleId: string): Promise<string> {
    return `${NEW_STORY}${firstArticleId}`;
  }

  /**
   * Puts the article in its story. The story may have been merged away by a consolidation pass since
   * it was chosen: the story row is locked first by counting the member in (a pass deleting it waits,
   * or has finished and left a redirect to follow); on SQLite writes are serial anyway. Returns the
   * story the article is in.
   */
  async add(entry: CandidateEntry): Promise<string> {
    const articleId = Number(entry.id);
    const day = entry.features.time === null ? null : Math.floor(entry.features.time / 86_400_000);
    const features = JSON.stringify(entry.features);
    return this.store.transaction(async (trx) => {
      let storyId = entry.storyId.startsWith(NEW_STORY) ? await this.store.createStory(trx) : Number(entry.storyId);
      for (let hops = 0; ; hops++) {
        // Counting the member in is what locks the story row, in one step: a share lock taken first and
        // raised to a write lock afterwards deadlocked two workers adding to one story at once.
        const counted = await trx
          .updateTable('stories')
          .set({ member_count: sql<number>`member_count + 1` })
          .where('id', '=', storyId)
          .returning('id')
          .executeTakeFirst();
        if (counted) break;
        const redirect = await trx.selectFrom('story_redirects').select('to_id').where('from_id', '=', storyId).executeTakeFirst();
        storyId = !redirect || hops > 8 ? await this.store.createStory(trx) : Number(redirect.to_id);
      }
      await trx
        .updateTable('articles')
        .set({ cluster_features: features, story_id: storyId, story_state: 1 })
        .where('id', '=', articleId)
        .execute();
      this.remember(entry.id, features);
      for (const part of chunks([...new Set(entry.keys)])) {
        await trx
          .insertInto('story_bands')
          .values(part.map((band_key) => ({ band_key, article_id: articleId, day })))
          .onConflict((oc) => oc.columns(['band_key', 'article_id']).doNothing())
          .execute();
      }
      return String(storyId);
    });
  }

  async mergeStories(into: string, from: readonly string[]): Promise<void> {
    for (const other of from) await this.store.mergeStories(Number(into), Number(other));
  }
}
