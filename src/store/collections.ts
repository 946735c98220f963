// SQL for the collections (companies, people, events, learning, organizations, sponsorships), their
// mentions in news, saved searches and small publication state. One query path for both stores.
//
// Usage: `const collections = new CollectionStore(store)`; every method is a single short query or
// one transaction. The desk UI manages entities with upsertEntity / getEntity / listEntities /
// deleteEntity; the mentions job uses terms / replaceMentions; heat uses mentionCounts / setHeat.
import { sql, type Kysely, type Selectable } from 'kysely';
import { getDomain } from 'tldts';
import type { Store, StoredArticle } from './index.ts';
import type { PublicationsDatabase, EntitiesTable } from './migrations-publications.ts';
import type { Database } from './tables.ts';

/** The foundation's tables and this area's, for queries that join news with collections. */
export type AllTables = Database & PublicationsDatabase;
import type { Entity, EntityInput, EntityKind, EntityData, Mention, SavedSearch } from '../collections/types.ts';
import { nowIso } from './values.ts';


function toEntity(row: Selectable<EntitiesTable>): Entity {
  return {
    id: Number(row.id),
    kind: row.kind as EntityKind,
    subtype: row.subtype,
    slug: row.slug,
    name: row.name,
    data: JSON.parse(row.data) as EntityData,
    topics: JSON.parse(row.topics) as string[],
    heat: row.heat === null ? null : Number(row.heat),
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The terms an entity is recognized by in news: its name, aliases, and its website's registrable domain. */
export function entityTerms(input: Pick<EntityInput, 'name' | 'data' | 'aliases'>): Array<{ termKind: 'name' | 'alias' | 'domain'; term: string }> {
  const terms = new Map<string, { termKind: 'name' | 'alias' | 'domain'; term: string }>();
  const add = (termKind: 'name' | 'alias' | 'domain', raw: string) => {
    const term = raw.trim().toLowerCase();
    if (term.length < 2) return;
    const key = `${termKind}\u0000${term}`;
    if (!terms.has(key)) terms.set(key, { termKind, term });
  };
  add('name', input.name);
  const aliases = [...(input.aliases ?? []), ...(Array.isArray(input.data.aliases) ? (input.data.aliases as unknown[]).filter((a): a is string => typeof a === 'string') : [])];
  for (const alias of aliases) add('alias', alias);
  const website = typeof input.data.website === 'string' ? input.data.website : null;
  if (website) {
    const domain = getDomain(website);
    if (domain) add('domain', domain);
  }
  if (typeof input.data.domain === 'string') add('domain', input.data.domain);
  return [...terms.values()];
}

export interface EntityListOptions {
  kind: EntityKind;
  subtype?: string;
  /** A topic name (not id). */
  topic?: string;
  page: number;
  perPage: number;
  /** Events only: starting after `now` (future, soonest first) or ended before it (past, latest first). */
  when?: 'future' | 'past';
  now?: string;
}

export class CollectionStore {
  readonly store: Store;

  constructor(store: Store) {
    this.store = store;
  }

  private get db(): Kysely<AllTables> {
    return this.store.db as unknown as Kysely<AllTables>;
  }

  // ---- entities --------------------------------------------------------------------------------

  /** Inserts or replaces the entity with this kind and slug, with its topics and mention terms. */
  async upsertEntity(input: EntityInput): Promise<Entity> {
    const at = nowIso();
    const values = {
      kind: input.kind,
      subtype: input.subtype,
      slug: input.slug,
      name: input.name,
      data: JSON.stringify(input.data),
      topics: JSON.stringify(input.topics),
      heat: input.heat,
      starts_at: input.startsAt ?? null,
      ends_at: input.endsAt ?? null,
      updated_at: at,
    };
    const id = await this.store.transaction(async (trx) => {
      const db = trx as unknown as Kysely<AllTables>;
      const row = await db
        .insertInto('entities')
        .values({ ...values, created_at: at })
        .onConflict((oc) => oc.columns(['kind', 'slug']).doUpdateSet(values))
        .returning('id')
        .executeTakeFirstOrThrow();
      const entityId = Number(row.id);
      await db.deleteFrom('entity_topics').where('entity_id', '=', entityId).execute();
      const topics = [...new Set(input.topics)];
      if (topics.length) await db.insertInto('entity_topics').values(topics.map((topic) => ({ entity_id: entityId, kind: input.kind, topic }))).execute();
      await db.deleteFrom('entity_terms').where('entity_id', '=', entityId).execute();
      // Only companies and people are linked from news; other kinds carry no terms.
      if (input.kind === 'company' || input.kind === 'person') {
        const terms = entityTerms(input);
        if (terms.length) await db.insertInto('entity_terms').values(terms.map((t) => ({ entity_id: entityId, term_kind: t.termKind, term: t.term }))).execute();
      }
      return entityId;
    });
    return (await this.getEntityById(id))!;
  }

  async getEntityById(id: number): Promise<Entity | null> {
    const row = await this.db.selectFrom('entities').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toEntity(row) : null;
  }

  async getEntities(ids: number[]): Promise<Entity[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('entities').selectAll().where('id', 'in', ids).execute();
    return rows.map(toEntity);
  }

  async getEntity(kind: EntityKind, slug: string): Promise<Entity | null> {
    const row = await this.db.selectFrom('entities').selectAll().where('kind', '=', kind).where('slug', '=', slug).executeTakeFirst();
    return row ? toEntity(row) : null;
  }

  async deleteEntity(kind: EntityKind, slug: string): Promise<boolean> {
    const result = await this.db.deleteFrom('entities').where('kind', '=', kind).where('slug', '=', slug).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /**
   * One page of a kind, hottest first (events: by start time). `hasMore` says whether a next page exists.
   * Heat ties and nulls fall back to the name so that paging is stable.
   */
  async listEntities(options: EntityListOptions): Promise<{ items: Entity[]; hasMore: boolean }> {
    let query = this.db.selectFrom('entities').selectAll('entities').where('entities.kind', '=', options.kind);
    if (options.subtype) query = query.where('entities.subtype', '=', options.subtype);
    if (options.topic) {
      const topic = options.topic;
      query = query.where((eb) =>
        eb.exists(eb.selectFrom('entity_topics').select('entity_topics.entity_id').whereRef('entity_topics.entity_id', '=', 'entities.id').where('entity_topics.topic', '=', topic)),
      );
    }
    const now = options.now ?? nowIso();
    if (options.when === 'future') query = query.where((eb) => eb.or([eb('entities.ends_at', '>=', now), eb.and([eb('entities.ends_at', 'is', null), eb('entities.starts_at', '>=', now)])]));
    if (options.when === 'past') query = query.where((eb) => eb.or([eb('entities.ends_at', '<', now), eb.and([eb('entities.ends_at', 'is', null), eb('entities.starts_at', '<', now)])]));
    if (options.kind === 'event') {
      query = options.when === 'future' ? query.orderBy('entities.starts_at', 'asc') : query.orderBy('entities.starts_at', 'desc');
    } else {
      query = query.orderBy(sql`coalesce(entities.heat, -1000000)`, 'desc');
    }
    const rows = await query
      .orderBy('entities.name')
      .orderBy('entities.id')
      .limit(options.perPage + 1)
      .offset((options.page - 1) * options.perPage)
      .execute();
    return { items: rows.slice(0, options.perPage).map(toEntity), hasMore: rows.length > options.perPage };
  }

  /** Every entity of a kind (or all kinds), in id order, in batches. */
  async *iterateEntities(kind?: EntityKind, batchSize = 500): AsyncGenerator<Entity> {
    let after = 0;
    for (;;) {
      let query = this.db.selectFrom('entities').selectAll().where('id', '>', after);
      if (kind) query = query.where('kind', '=', kind);
      const rows = await query.orderBy('id').limit(batchSize).execute();
      if (rows.length === 0) return;
      for (const row of rows) yield toEntity(row);
      after = Number(rows[rows.length - 1]!.id);
    }
  }

  async countByKind(): Promise<Record<string, number>> {
    const rows = await this.db.selectFrom('entities').select(['kind', (eb) => eb.fn.countAll().as('n')]).groupBy('kind').execute();
    return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
  }

  /** Topic names in use by a kind, for the per-topic pages. */
  async topicsInUse(kind: EntityKind): Promise<string[]> {
    const rows = await this.db.selectFrom('entity_topics').select('topic').distinct().where('kind', '=', kind).orderBy('topic').execute();
    return rows.map((r) => r.topic);
  }

  async setHeat(entityId: number, heat: number | null): Promise<void> {
    await this.db.updateTable('entities').set({ heat }).where('id', '=', entityId).execute();
  }

  // ---- mentions ----------------------------------------------------------------------------------

  /** Every mention term of every company and person. */
  async terms(): Promise<Array<{ entityId: number; termKind: 'name' | 'alias' | 'domain'; term: string }>> {
    const rows = await this.db.selectFrom('entity_terms').selectAll().orderBy('entity_id').execute();
    return rows.map((r) => ({ entityId: Number(r.entity_id), termKind: r.term_kind as 'name' | 'alias' | 'domain', term: r.term }));
  }

  /** Replaces an article's mentions with the given ones. */
  async replaceMentions(articleId: number, mentions: Mention[]): Promise<void> {
    await this.store.transaction(async (trx) => {
      const db = trx as unknown as Kysely<AllTables>;
      await db.deleteFrom('mentions').where('article_id', '=', articleId).execute();
      const unique = new Map(mentions.map((m) => [m.entityId, m]));
      if (unique.size) {
        const at = nowIso();
        await db
          .insertInto('mentions')
          .values([...unique.values()].map((m) => ({ article_id: articleId, entity_id: m.entityId, matched: m.matched, field: m.field, created_at: at })))
          .execute();
      }
    });
  }

  async mentionsOfArticle(articleId: number): Promise<Array<Mention & { entity: Entity }>> {
    const rows = await this.db.selectFrom('mentions').selectAll().where('article_id', '=', articleId).orderBy('entity_id').execute();
    const entities = new Map((await this.getEntities(rows.map((r) => Number(r.entity_id)))).map((e) => [e.id, e]));
    return rows.map((r) => ({ articleId, entityId: Number(r.entity_id), matched: r.matched, field: r.field as Mention['field'], entity: entities.get(Number(r.entity_id))! }));
  }

  /** Ids of the published articles that mention an entity, newest first. */
  async articlesMentioning(entityId: number, limit = 20): Promise<number[]> {
    const rows = await this.db
      .selectFrom('mentions')
      .innerJoin('articles', 'articles.id', 'mentions.article_id')
      .select('mentions.article_id')
      .where('mentions.entity_id', '=', entityId)
      .where('articles.listed', '=', 1)
      .orderBy('articles.published_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => Number(r.article_id));
  }

  /** Per entity: how many published articles since `since` mention it (the heat's coverage term). */
  async mentionCounts(since: string): Promise<Map<number, number>> {
    const rows = await this.db
      .selectFrom('mentions')
      .innerJoin('articles', 'articles.id', 'mentions.article_id')
      .select(['mentions.entity_id', (eb) => eb.fn.countAll().as('n')])
      .where('articles.published', '=', 1)
      .where('articles.published_at', '>=', since)
      .groupBy('mentions.entity_id')
      .execute();
    return new Map(rows.map((r) => [Number(r.entity_id), Number(r.n)]));
  }

  /** Articles with an id above `afterId`, in id order: what the mentions job has not yet read. */
  async articlesAfter(afterId: number, limit: number): Promise<Array<Pick<StoredArticle, 'id' | 'title' | 'excerpt' | 'text'> & { providerDomain: string }>> {
    const db = this.store.db;
    const rows = await db.selectFrom('articles').select(['id', 'title', 'excerpt', 'text', 'provider_domain']).where('id', '>', afterId).orderBy('id').limit(limit).execute();
    return rows.map((r) => ({ id: Number(r.id), title: r.title, excerpt: r.excerpt, text: r.text, providerDomain: r.provider_domain }));
  }

  // ---- small state -------------------------------------------------------------------------------

  async getState(name: string): Promise<string | null> {
    const row = await this.db.selectFrom('publication_state').select('value').where('name', '=', name).executeTakeFirst();
    return row?.value ?? null;
  }

  async setState(name: string, value: string): Promise<void> {
    await this.db
      .insertInto('publication_state')
      .values({ name, value })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
      .execute();
  }

  // ---- saved searches and stream filters ------------------------------------------------------------

  async saveSearch(input: { slug: string; name: string; query: string }): Promise<SavedSearch> {
    await this.db
      .insertInto('saved_searches')
      .values({ slug: input.slug, name: input.name, query: input.query, created_at: nowIso() })
      .onConflict((oc) => oc.column('slug').doUpdateSet({ name: input.name, query: input.query }))
      .execute();
    return (await this.getSavedSearch(input.slug))!;
  }

  async getSavedSearch(slug: string): Promise<SavedSearch | null> {
    const row = await this.db.selectFrom('saved_searches').selectAll().where('slug', '=', slug).executeTakeFirst();
    return row ? { id: Number(row.id), slug: row.slug, name: row.name, query: row.query } : null;
  }

  async listSavedSearches(): Promise<SavedSearch[]> {
    const rows = await this.db.selectFrom('saved_searches').selectAll().orderBy('slug').execute();
    return rows.map((row) => ({ id: Number(row.id), slug: row.slug, name: row.name, query: row.query }));
  }

  async deleteSavedSearch(slug: string): Promise<boolean> {
    const result = await this.db.deleteFrom('saved_searches').where('slug', '=', slug).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /**
   * Listed articles matching every word of `query` in the title or excerpt (case-insensitive LIKE),
   * newest first. Words in double quotes match as a phrase.
   */
  async searchStream(query: string, options: { page: number; perPage: number }): Promise<{ items: StoredArticle[]; hasMore: boolean }> {
    const words = [...query.matchAll(/"([^"]+)"|(\S+)/g)].map((m) => (m[1] ?? m[2]!).toLowerCase()).filter(Boolean);
    let q = this.store.db.selectFrom('articles').select('id').where('listed', '=', 1);
    for (const word of words) {
      const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) => eb.or([eb(sql`lower(title)`, 'like', sql`${pattern} escape '\\'`), eb(sql`lower(excerpt)`, 'like', sql`${pattern} escape '\\'`)]));
    }
    const rows = await q
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.perPage + 1)
      .offset((options.page - 1) * options.perPage)
      .execute();
    return this.pageOf(rows.map((r) => Number(r.id)), options.perPage);
  }

  /** Listed articles from one provider's registrable domain, newest first. */
  async providerStream(domain: string, options: { page: number; perPage: number }): Promise<{ items: StoredArticle[]; hasMore: boolean }> {
    const { ids, hasMore } = await this.store.listedIds({ ...options, provider: domain });
    const byId = new Map((await this.store.getArticles(ids, { body: false })).map((a) => [a.id, a]));
    return { items: ids.map((id) => byId.get(id)!).filter(Boolean), hasMore };
  }

  private async pageOf(ids: number[], perPage: number): Promise<{ items: StoredArticle[]; hasMore: boolean }> {
    const pageIds = ids.slice(0, perPage);
    const byId = new Map((await this.store.getArticles(pageIds)).map((a) => [a.id, a]));
    return { items: pageIds.map((id) => byId.get(id)).filter((a): a is StoredArticle => a !== undefined), hasMore: ids.length > perPage };
  }
}
