// The clusterer's CandidateIndex on the store: candidates come from the indexed `story_bands`
// table, document frequencies from `cluster_terms` (counted in batches by the consolidation pass, a
// snapshot as far as one article is concerned); no method scans the articles. Adding an article writes
// only its own rows, so any number of workers add at once.
import { sql } from 'kysely';
import type { Store } from './index.ts';
import type { CandidateEntry, CandidateIndex, ClusterFeatures } from '../curate/types.ts';

export const DOCUMENT_COUNT = 'cluster_documents';
/** Story ids `createStory` hands out before the story exists. */
const NEW_STORY = 'new:';
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class StoreCandidateIndex implements CandidateIndex {
  constructor(private readonly store: Store) {}

  private get db() {
    return this.store.db;
  }

  async documentCount(): Promise<number> {
    const row = await this.db.selectFrom('counters').select('value').where('name', '=', DOCUMENT_COUNT).executeTakeFirst();
    return row ? Number(row.value) : 0;
  }

  async documentFrequencies(terms: readonly string[]): Promise<number[]> {
    const df = new Map<string, number>();
    for (const part of chunks([...new Set(terms)])) {
      const rows = await this.db.selectFrom('cluster_terms').select(['term', 'df']).where('term', 'in', part).execute();
      for (const row of rows) df.set(row.term, Number(row.df));
    }
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
    const out: Array<{ key: string; articleId: string }> = [];
    for (const part of chunks(wanted, 100)) {
      const selects = part.map(({ key, limit }, i) => {
        const inDays = days ? sql`and day >= ${days.from} and day <= ${days.to} order by day desc, article_id desc` : sql`order by article_id desc`;
        return sql`select * from (select band_key, article_id from story_bands where band_key = ${key} ${inDays} limit ${limit}) as ${sql.raw(`p${i}`)}`;
      });
      const rows = await sql<{ band_key: string; article_id: number }>`${sql.join(selects, sql` union all `)}`.execute(this.db);
      for (const row of rows.rows) out.push({ key: row.band_key, articleId: String(row.article_id) });
    }
    return out;
  }

  async getFeatures(ids: readonly string[]): Promise<Array<ClusterFeatures | undefined>> {
    const byId = new Map<string, ClusterFeatures>();
    for (const part of chunks(ids.map(Number))) {
      const rows = await this.db.selectFrom('articles').select(['id', 'cluster_features']).where('id', 'in', part).execute();
      for (const row of rows) if (row.cluster_features) byId.set(String(row.id), JSON.parse(row.cluster_features) as ClusterFeatures);
    }
    return ids.map((id) => byId.get(id));
  }

  async storiesOf(ids: readonly string[]): Promise<Array<string | undefined>> {
    const byId = new Map<string, string>();
    for (const part of chunks(ids.map(Number))) {
      const rows = await this.db.selectFrom('articles').select(['id', 'story_id']).where('id', 'in', part).execute();
      for (const row of rows) if (row.story_id !== null) byId.set(String(row.id), String(row.story_id));
    }
    return ids.map((id) => byId.get(id));
  }

  async storyMembers(storyId: string, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('articles').select('id').where('story_id', '=', Number(storyId)).orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => String(r.id));
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
   * it was chosen: on PostgreSQL the story row is share-locked first (a pass deleting it waits, or has
   * finished and left a redirect to follow); on SQLite writes are serial anyway. Returns the story the
   * article is in.
   */
  async add(entry: CandidateEntry): Promise<string> {
    const articleId = Number(entry.id);
    const day = entry.features.time === null ? null : Math.floor(entry.features.time / 86_400_000);
    return this.store.transaction(async (trx) => {
      let storyId = entry.storyId.startsWith(NEW_STORY) ? await this.store.createStory(trx) : Number(entry.storyId);
      for (let hops = 0; ; hops++) {
        const lock = this.store.dialect === 'postgres' ? sql` for share` : sql``;
        const found = await sql<{ id: number }>`select id from stories where id = ${storyId}${lock}`.execute(trx);
        if (found.rows.length > 0) break;
        const redirect = await trx.selectFrom('story_redirects').select('to_id').where('from_id', '=', storyId).executeTakeFirst();
        if (!redirect || hops > 8) {
          storyId = await this.store.createStory(trx);
          break;
        }
        storyId = Number(redirect.to_id);
      }
      await trx
        .updateTable('articles')
        .set({ cluster_features: JSON.stringify(entry.features), story_id: storyId, story_state: 1 })
        .where('id', '=', articleId)
        .execute();
      await trx.updateTable('stories').set({ member_count: sql<number>`member_count + 1` }).where('id', '=', storyId).execute();
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
