// The clusterer's CandidateIndex on the store: candidates come from the indexed `story_bands`
// table, document frequencies from `cluster_terms`; no method scans the articles.
import { sql } from 'kysely';
import type { Store } from './index.ts';
import type { CandidateEntry, CandidateIndex, ClusterFeatures } from '../curate/types.ts';

const DOCUMENT_COUNT = 'cluster_documents';
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
    if (keys.length === 0) return [];
    const matches = new Map<string, number>();
    for (const part of chunks([...new Set(keys)])) {
      // Per key, the newest `limitPerKey` postings: a range scan of the primary-key index per key.
      const ranked = this.db
        .selectFrom('story_bands')
        .select((eb) => [
          'article_id',
          eb.fn.agg<number>('row_number').over((ob) => ob.partitionBy('band_key').orderBy('article_id', 'desc')).as('rank'),
        ])
        .where('band_key', 'in', part)
        .as('ranked');
      const rows = await this.db
        .selectFrom(ranked)
        .select((eb) => ['article_id', eb.fn.countAll<number>().as('matched')])
        .where('rank', '<=', limitPerKey)
        .groupBy('article_id')
        .execute();
      for (const row of rows) {
        const id = String(row.article_id);
        matches.set(id, (matches.get(id) ?? 0) + Number(row.matched));
      }
    }
    return [...matches.entries()].sort((a, b) => b[1] - a[1] || Number(b[0]) - Number(a[0])).map(([id]) => id);
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

  async createStory(firstArticleId: string): Promise<string> {
    const storyId = await this.store.createStory();
    await this.store.assignStory(Number(firstArticleId), storyId);
    return String(storyId);
  }

  async add(entry: CandidateEntry): Promise<void> {
    const articleId = Number(entry.id);
    await this.store.transaction(async (trx) => {
      await trx
        .updateTable('articles')
        .set({ cluster_features: JSON.stringify(entry.features), story_id: Number(entry.storyId) })
        .where('id', '=', articleId)
        .execute();
      for (const part of chunks([...new Set(entry.keys)])) {
        await trx
          .insertInto('story_bands')
          .values(part.map((band_key) => ({ band_key, article_id: articleId })))
          .onConflict((oc) => oc.columns(['band_key', 'article_id']).doNothing())
          .execute();
      }
      for (const part of chunks([...new Set(entry.documentTerms)])) {
        await trx
          .insertInto('cluster_terms')
          .values(part.map((term) => ({ term, df: 1 })))
          .onConflict((oc) => oc.column('term').doUpdateSet({ df: sql<number>`cluster_terms.df + 1` }))
          .execute();
      }
      await trx
        .insertInto('counters')
        .values({ name: DOCUMENT_COUNT, value: 1 })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`counters.value + 1` }))
        .execute();
    });
  }

  async mergeStories(into: string, from: readonly string[]): Promise<void> {
    for (const other of from) await this.store.mergeStories(Number(into), Number(other));
  }
}
