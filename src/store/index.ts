// The only module that speaks SQL. One Kysely query path serves both stores: an SQLite file
// (better-sqlite3, WAL) by default and PostgreSQL for scale-out.
import { mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, resolve as resolvePath } from 'node:path';
import { Kysely, Migrator, SqliteDialect, PostgresDialect, sql, type Transaction, type Selectable, type LogEvent } from 'kysely';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { Database, ArticlesTable, SourcesTable, StoriesTable } from './tables.ts';
import { migrations, type Dialect } from './migrations.ts';
import { pointStoryAt } from './story-redirects.ts';
import { statementTally } from './query-profile.ts';
import { newsdeskError } from '../errors.ts';
import type { NewsRecord, QualityPart, ImageRef, ArticleType } from '../record.ts';
import type { TopicDef } from '../curate/types.ts';
import { nowIso } from './values.ts';

export type { Dialect } from './migrations.ts';

export interface OpenOptions {
  /** PostgreSQL only: a schema to use (created if missing), so tests can run side by side. */
  schema?: string;
  /** Called with every statement the store runs and its parameters (tests read the plans of what a page really sends). */
  onStatement?: (sql: string, parameters: readonly unknown[]) => void;
}

export interface SourceRow {
  id: number;
  url: string;
  name: string | null;
  siteUrl: string | null;
  status: string;
  lastError: string | null;
  lastErrorCode: string | null;
  etag: string | null;
  lastModified: string | null;
  lastFetchedAt: string | null;
  nextFetchAt: string | null;
  pollMinutes: number | null;
  fetchCount: number;
  errorCount: number;
}

export interface StoredArticle extends NewsRecord {
  id: number;
  sourceId: number | null;
  quality: number | null;
  qualityParts: QualityPart[];
  heat: number | null;
  published: boolean | null;
  storyId: number | null;
  secured: string | null;
  pathKey: string;
  createdAt: string;
}

export interface HistoryEntry {
  field: string;
  oldValue: string | null;
  newValue: string | null;
  reason: string;
  at: string;
}

export interface StoryRow {
  id: number;
  leadArticleId: number | null;
  memberCount: number;
  heat: number | null;
  override: 'pin' | 'block' | null;
}

export interface StreamPage {
  items: StoredArticle[];
  hasMore: boolean;
}

type Db = Kysely<Database> | Transaction<Database>;

const json = (value: unknown) => JSON.stringify(value);
const parseJson = <T>(text: string | null, fallback: T): T => (text ? (JSON.parse(text) as T) : fallback);

function toSource(row: Selectable<SourcesTable>): SourceRow {
  return {
    id: row.id,
    url: row.url,
    name: row.name,
    siteUrl: row.site_url,
    status: row.status,
    lastError: row.last_error,
    lastErrorCode: row.last_error_code,
    etag: row.etag,
    lastModified: row.last_modified,
    lastFetchedAt: row.last_fetched_at,
    nextFetchAt: row.next_fetch_at,
    pollMinutes: row.poll_minutes,
    fetchCount: Number(row.fetch_count),
    errorCount: Number(row.error_count),
  };
}

function toArticle(row: Omit<Selectable<ArticlesTable>, 'story_state' | 'story_version' | 'df_counted' | 'story_locked'>): StoredArticle {
  const providerImages = parseJson<ImageRef[] | null>(row.provider_images, null);
  return {
    id: Number(row.id),
    title: row.title,
    excerpt: row.excerpt,
    publishedDateTime: row.published_at,
    updatedDateTime: row.updated_at_source,
    originalUrl: row.original_url,
    webUrl: row.web_url,
    ampWebUrl: row.amp_web_url,
    cdnAmpWebUrl: row.cdn_amp_web_url,
    type: row.type as ArticleType,
    provider: { name: row.provider_name, domain: row.provider_domain, ...(providerImages ? { images: providerImages } : {}) },
    topics: parseJson<string[]>(row.topics, []),
    images: parseJson<ImageRef[]>(row.images, []),
    locale: row.locale,
    authors: parseJson<string[]>(row.authors, []),
    text: row.text,
    html: row.html,
    extraction: { status: row.extraction_status as NewsRecord['extraction']['status'], ...(row.extraction_reason ? { reason: row.extraction_reason } : {}) },
    sourceId: row.source_id === null ? null : Number(row.source_id),
    quality: row.quality === null ? null : Number(row.quality),
    qualityParts: parseJson<QualityPart[]>(row.quality_parts, []),
    heat: row.heat === null ? null : Number(row.heat),
    published: row.published === null ? null : Number(row.published) === 1,
    storyId: row.story_id === null ? null : Number(row.story_id),
    secured: row.secured,
    pathKey: row.path_key,
    createdAt: row.created_at,
  };
}

function toStory(row: Selectable<StoriesTable>): StoryRow {
  return {
    id: Number(row.id),
    leadArticleId: row.lead_article_id === null ? null : Number(row.lead_article_id),
    memberCount: Number(row.member_count),
    heat: row.heat === null ? null : Number(row.heat),
    override: (row.override as StoryRow['override']) ?? null,
  };
}

/** Every article column but the large ones a list never shows. */
const LIST_COLUMNS = [
  'id', 'web_url', 'original_url', 'source_id', 'title', 'excerpt', 'published_at', 'updated_at_source', 'amp_web_url',
  'cdn_amp_web_url', 'type', 'provider_name', 'provider_domain', 'provider_images', 'topics', 'images', 'locale', 'authors',
  'extraction_status', 'extraction_reason', 'quality', 'quality_parts', 'heat', 'published', 'listed', 'story_id', 'path_key',
  'created_at', 'updated_at',
] as const;

/** Another article took this path between choosing it and storing: choose the next one. */
export class PathTakenError extends Error {
  constructor(readonly pathKey: string) {
    super(`path ${pathKey} is taken`);
  }
}

export interface ArticleMeta {
  sourceId: number | null;
  pathKey: string;
  secured?: string | null;
}

export interface NewArticle extends ArticleMeta {
  record: NewsRecord;
  /** When the article was first stored, for one that comes from another store; now by default. */
  storedAt?: string;
  /**
   * Curation already decided elsewhere (an import of another desk's records, or the scale benchmark's
   * generated ones): stored with the row, with the record's topics and the history of each value,
   * instead of an insert followed by updates of the same row.
   */
  curated?: { quality: number | null; heat: number | null; published: boolean | null; storyId?: number | null; reason: string };
}

/** What became of one row of `insertArticles`. */
export type InsertOutcome = { id: number; inserted: boolean; pathTaken: false } | { id: 0; inserted: false; pathTaken: true };

/**
 * Rows a multi-row INSERT carries: 33 columns each stays far below SQLite's 32,766 bound variables
 * and PostgreSQL's 65,535, and a statement of this size is one cached prepared statement for the
 * full chunks of every batch.
 */
const INSERT_ROWS = 200;

/** Listed: published, or not scored yet (the stream shows what the gate has not yet turned away). */
const listedFlag = (quality: number | null, published: boolean | null) => (published === true || quality === null ? 1 : 0);

/** The topic rows and the score history of articles inserted with their curation. */
async function insertCurationRows(trx: Db, inserted: Array<{ id: number; article: NewArticle }>, at: string): Promise<void> {
  const topics = inserted.flatMap(({ id, article }) => {
    const c = article.curated!;
    const listed = listedFlag(c.quality, c.published);
    return [...new Set(article.record.topics)].map((topic) => ({ article_id: id, topic, published_at: article.record.publishedDateTime, listed }));
  });
  const history = inserted.flatMap(({ id, article }) => {
    const c = article.curated!;
    const values: Array<[string, unknown]> = [['quality', c.quality], ['heat', c.heat], ['published', c.published]];
    return values.filter(([, v]) => v !== null).map(([field, v]) => ({ field, old_value: null, new_value: String(v), article_id: id, reason: c.reason, at }));
  });
  // 4 and 6 columns a row: chunks that stay under both databases' bound-variable limits.
  for (let i = 0; i < topics.length; i += 1000) await trx.insertInto('article_topics').values(topics.slice(i, i + 1000)).execute();
  for (let i = 0; i < history.length; i += 1000) await trx.insertInto('score_history').values(history.slice(i, i + 1000)).execute();
}

function articleInsertRow(a: NewArticle, at: string) {
  const record = a.record;
  const curated = a.curated;
  return {
    web_url: record.webUrl,
    original_url: record.originalUrl,
    source_id: a.sourceId,
    title: record.title,
    excerpt: record.excerpt,
    published_at: record.publishedDateTime,
    updated_at_source: record.updatedDateTime,
    amp_web_url: record.ampWebUrl,
    cdn_amp_web_url: record.cdnAmpWebUrl,
    type: record.type,
    provider_name: record.provider.name,
    provider_domain: record.provider.domain,
    provider_images: record.provider.images ? json(record.provider.images) : null,
    topics: json(record.topics),
    images: json(record.images),
    locale: record.locale,
    authors: json(record.authors),
    text: record.text,
    html: record.html,
    extraction_status: record.extraction.status,
    extraction_reason: record.extraction.reason ?? null,
    quality: curated?.quality ?? null,
    quality_parts: '[]',
    heat: curated?.heat ?? null,
    published: curated && curated.published !== null ? (curated.published ? 1 : 0) : null,
    listed: curated ? listedFlag(curated.quality, curated.published) : 1,
    story_id: curated?.storyId ?? null,
    // An article that comes with its story is as settled as a consolidated one.
    story_state: curated?.storyId != null ? 2 : 0,
    secured: a.secured ?? null,
    path_key: a.pathKey,
    cluster_features: null,
    created_at: a.storedAt ?? at,
    updated_at: at,
  };
}

export class Store {
  readonly dialect: Dialect;
  readonly db: Kysely<Database>;
  readonly location: string;

  /** PostgreSQL schema this store lives in, when not the default. */
  readonly schema: string | undefined;

  /** True for the view `inTransaction` hands out: every statement belongs to one open transaction. */
  private readonly inOpenTransaction: boolean;

  private constructor(dialect: Dialect, db: Kysely<Database>, location: string, schema?: string, inOpenTransaction = false) {
    this.dialect = dialect;
    this.db = db;
    this.location = location;
    this.schema = schema;
    this.inOpenTransaction = inOpenTransaction;
  }

  /** Opens (and migrates) the store at an SQLite path or a `postgres://` URL. */
  static async open(location: string, options: OpenOptions = {}): Promise<Store> {
    const isPostgres = /^postgres(ql)?:\/\//.test(location);
    let db: Kysely<Database>;
    try {
      if (isPostgres) {
        if (options.schema) {
          const admin = new pg.Client({ connectionString: location });
          await admin.connect();
          await admin.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema.replace(/"/g, '')}"`);
          await admin.end();
        }
        const pool = new pg.Pool({
          connectionString: location,
          max: 10,
          ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
        });
        preparePostgresStatements(pool);
        await pool.query('select 1');
        db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...queryProfile(options.onStatement) });
      } else {
        db = openSqlite(location, options.onStatement);
      }
    } catch (err) {
      throw newsdeskError('ND_STORE_UNAVAILABLE', { store: redact(location), reason: (err as Error).message }, err);
    }
    const store = new Store(isPostgres ? 'postgres' : 'sqlite', db, location, isPostgres ? options.schema : undefined);
    try {
      if (isPostgres) await withPostgresMigrationLock(location, () => store.migrate());
      else await store.migrate();
    } catch (err) {
      await db.destroy();
      throw err;
    }
    return store;
  }

  async migrate(): Promise<void> {
    const migrator = new Migrator({
      db: this.db,
      // The migration tables must live in this store's own schema, or another schema's would be taken for ours.
      ...(this.schema ? { migrationTableSchema: this.schema } : {}),
      provider: { getMigrations: async () => migrations(this.dialect) },
    });
    const { error } = await migrator.migrateToLatest();
    if (error) throw newsdeskError('ND_STORE_UNAVAILABLE', { store: redact(this.location), reason: `migration failed: ${(error as Error).message}` }, error);
  }

  /** Migrations this code knows that the store has not applied (another process's newer code may have applied more). */
  async pendingMigrations(): Promise<string[]> {
    const migrator = new Migrator({
      db: this.db,
      ...(this.schema ? { migrationTableSchema: this.schema } : {}),
      provider: { getMigrations: async () => migrations(this.dialect) },
    });
    return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
  }

  async close(): Promise<void> {
    // The view of one transaction does not own the connections; the store it came from does.
    if (this.inOpenTransaction) return;
    if (this.dialect === 'sqlite' && !releaseSqlite(this.db)) return;
    await this.db.destroy();
  }

  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    // Inside `inTransaction` the work is already one transaction: run in it rather than nest.
    if (this.inOpenTransaction) return fn(this.db as Transaction<Database>);
    if (this.dialect === 'sqlite') return this.immediateTransaction(fn);
    return this.db.transaction().execute(fn);
  }

  /**
   * SQLite: BEGIN IMMEDIATE takes the write lock at the start, waiting (busy_timeout) while another
   * process holds it. A deferred BEGIN that reads and then writes fails at once with SQLITE_BUSY
   * when another process wrote in between, since its snapshot cannot be upgraded.
   */
  private immediateTransaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection);
      try {
        const result = await fn(connection as unknown as Transaction<Database>);
        await sql`commit`.execute(connection);
        return result;
      } catch (err) {
        await sql`rollback`.execute(connection).catch(() => {});
        throw err;
      }
    });
  }

  /**
   * Runs `work` against a view of this store whose every statement belongs to one transaction, so
   * it commits once and is all or nothing if the process dies midway. On PostgreSQL that is one disk
   * flush instead of one per write (measured here: ~11 ms an autocommitted insert, ~1.5 ms inside a
   * transaction). Within `work`, use only the view: on SQLite the store's one connection is held until
   * the commit, so a statement sent through the outer store would wait for ever.
   */
  inTransaction<T>(work: (store: Store) => Promise<T>): Promise<T> {
    if (this.inOpenTransaction) return work(this);
    return this.transaction((trx) => work(new Store(this.dialect, trx, this.location, this.schema, true)));
  }

  /**
   * PostgreSQL only: runs `section` in a transaction holding a transaction-scoped advisory lock on
   * `name`, which the server releases the moment the holder's connection goes.
   */
  async withAdvisoryLock<T>(name: string, section: () => Promise<T>): Promise<T> {
    if (this.dialect !== 'postgres') throw new Error('advisory locks exist only on PostgreSQL');
    return this.transaction(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
      return section();
    });
  }

  /** PostgreSQL only: like `withAdvisoryLock`, but runs `section` only if the lock is free now. */
  async withTryAdvisoryLock<T>(name: string, section: () => Promise<T>): Promise<{ locked: true; value: T } | { locked: false }> {
    if (this.dialect !== 'postgres') throw new Error('advisory locks exist only on PostgreSQL');
    return this.transaction(async (trx) => {
      const got = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(hashtext(${name})) as locked`.execute(trx);
      if (!got.rows[0]?.locked) return { locked: false as const };
      return { locked: true as const, value: await section() };
    });
  }

  /** Every stored `secured` payload, for key rotation. */
  async securedPayloads(): Promise<Array<{ id: number; secured: string }>> {
    const rows = await this.db.selectFrom('articles').select(['id', 'secured']).where('secured', 'is not', null).orderBy('id').execute();
    return rows.map((r) => ({ id: Number(r.id), secured: r.secured! }));
  }

  // ---- sources -------------------------------------------------------------------------------

  async addSource(input: { url: string; name?: string | null; siteUrl?: string | null }): Promise<SourceRow> {
    await this.db
      .insertInto('sources')
      .values({ url: input.url, name: input.name ?? null, site_url: input.siteUrl ?? null, status: 'new', fetch_count: 0, error_count: 0, created_at: nowIso() })
      .onConflict((oc) => oc.column('url').doNothing())
      .execute();
    const row = await this.db.selectFrom('sources').selectAll().where('url', '=', input.url).executeTakeFirstOrThrow();
    return toSource(row);
  }

  async listSources(): Promise<SourceRow[]> {
    const rows = await this.db.selectFrom('sources').selectAll().orderBy('id').execute();
    return rows.map(toSource);
  }

  async getSource(id: number): Promise<SourceRow | null> {
    const row = await this.db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toSource(row) : null;
  }

  async removeSource(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('sources').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Sources whose next fetch is due (or never fetched), oldest due first; paused ones excluded. */
  async dueSources(now: string, limit = 100): Promise<SourceRow[]> {
    const rows = await this.db
      .selectFrom('sources')
      .selectAll()
      .where('status', '!=', 'paused')
      .where((eb) => eb.or([eb('next_fetch_at', 'is', null), eb('next_fetch_at', '<=', now)]))
      .orderBy('next_fetch_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toSource);
  }

  async setSourcePaused(id: number, paused: boolean): Promise<void> {
    await this.db.updateTable('sources').set({ status: paused ? 'paused' : 'new' }).where('id', '=', id).execute();
  }

  async recordFetchSuccess(
    id: number,
    result: { url: string; httpStatus: number; etag?: string | null; lastModified?: string | null; nextFetchAt: string; itemsNew: number; durationMs: number; siteUrl?: string | null; name?: string | null; pollMinutes?: number | null; at?: string },
  ): Promise<void> {
    const at = result.at ?? nowIso();
    await this.transaction(async (trx) => {
      await trx
        .updateTable('sources')
        .set((eb) => ({
          status: 'ok',
          last_error: null,
          last_error_code: null,
          etag: result.etag ?? null,
          last_modified: result.lastModified ?? null,
          last_fetched_at: at,
          next_fetch_at: result.nextFetchAt,
          poll_minutes: result.pollMinutes ?? null,
          fetch_count: eb('fetch_count', '+', 1),
          error_count: 0,
          ...(result.siteUrl ? { site_url: result.siteUrl } : {}),
          ...(result.name ? { name: eb.fn.coalesce('name', eb.val(result.name)) } : {}),
        }))
        .where('id', '=', id)
        .execute();
      await trx
        .insertInto('fetch_log')
        .values({ source_id: id, url: result.url, at, outcome: 'ok', http_status: result.httpStatus, items_new: result.itemsNew, error: null, duration_ms: Math.round(result.durationMs) })
        .execute();
    });
  }

  async recordFetchFailure(id: number, failure: { url: string; code: string; message: string; httpStatus?: number | null; nextFetchAt: string; durationMs: number; at?: string }): Promise<void> {
    const at = failure.at ?? nowIso();
    await this.transaction(async (trx) => {
      await trx
        .updateTable('sources')
        .set((eb) => ({
          status: 'error',
          last_error: failure.message,
          last_error_code: failure.code,
          last_fetched_at: at,
          next_fetch_at: failure.nextFetchAt,
          fetch_count: eb('fetch_count', '+', 1),
          error_count: eb('error_count', '+', 1),
        }))
        .where('id', '=', id)
        .execute();
      await trx
        .insertInto('fetch_log')
        .values({ source_id: id, url: failure.url, at, outcome: failure.code, http_status: failure.httpStatus ?? null, items_new: 0, error: failure.message, duration_ms: Math.round(failure.durationMs) })
        .execute();
    });
  }

  async fetchLog(sourceId: number, limit = 50): Promise<Array<{ at: string; outcome: string; httpStatus: number | null; itemsNew: number; error: string | null; durationMs: number }>> {
    const rows = await this.db.selectFrom('fetch_log').selectAll().where('source_id', '=', sourceId).orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ at: r.at, outcome: r.outcome, httpStatus: r.http_status, itemsNew: Number(r.items_new), error: r.error, durationMs: Number(r.duration_ms) }));
  }

  // ---- articles ------------------------------------------------------------------------------

  /** Inserts a new article keyed by its canonical URL; an existing URL is left as it is. */
  async insertArticle(record: NewsRecord, meta: ArticleMeta): Promise<{ id: number; inserted: boolean }> {
    const [outcome] = await this.insertArticles([{ record, ...meta }]);
    if (outcome!.pathTaken) throw new PathTakenError(meta.pathKey);
    return { id: outcome!.id, inserted: outcome!.inserted };
  }

  /**
   * Inserts many new articles in one transaction, a few hundred rows a statement: the write path of
   * ingest batches, imports and the scale benchmark alike. Each answer says, in the order given,
   * whether the row went in, its URL was already stored (with that article's id), or its path was
   * taken (by an article stored before or earlier in this batch: the caller chooses another path).
   * The full-text index follows by the articles' own triggers, in the same transaction.
   */
  async insertArticles(batch: ReadonlyArray<NewArticle>): Promise<InsertOutcome[]> {
    if (batch.length === 0) return [];
    const at = nowIso();
    return this.transaction(async (trx) => {
      const outcomes: InsertOutcome[] = [];
      for (let start = 0; start < batch.length; start += INSERT_ROWS) {
        const chunk = batch.slice(start, start + INSERT_ROWS);
        const rows = await trx
          .insertInto('articles')
          .values(chunk.map((a) => articleInsertRow(a, at)))
          // Any unique key: the URL (the article is already stored) or the path (taken meanwhile).
          .onConflict((oc) => oc.doNothing())
          .returning(['id', 'web_url', 'path_key'])
          .execute();
        // RETURNING gives the inserted rows, in no promised order: match them back by path, which is unique.
        const insertedByPath = new Map(rows.map((r) => [r.path_key, { id: Number(r.id), webUrl: r.web_url }]));
        // Two rows of one chunk with one path: the one with the inserted URL, and the first given if both share it.
        const taker = new Map<string, NewArticle>();
        for (const a of chunk) if (insertedByPath.get(a.pathKey)?.webUrl === a.record.webUrl && !taker.has(a.pathKey)) taker.set(a.pathKey, a);
        const missing = chunk.filter((a) => taker.get(a.pathKey) !== a).map((a) => a.record.webUrl);
        const existing = missing.length
          ? new Map((await trx.selectFrom('articles').select(['id', 'web_url']).where('web_url', 'in', [...new Set(missing)]).execute()).map((r) => [r.web_url, Number(r.id)]))
          : new Map<string, number>();
        const curated: Array<{ id: number; article: NewArticle }> = [];
        for (const a of chunk) {
          if (taker.get(a.pathKey) === a) {
            const id = insertedByPath.get(a.pathKey)!.id;
            outcomes.push({ id, inserted: true, pathTaken: false });
            if (a.curated) curated.push({ id, article: a });
            continue;
          }
          const stored = existing.get(a.record.webUrl);
          if (stored !== undefined) outcomes.push({ id: stored, inserted: false, pathTaken: false });
          else outcomes.push({ id: 0, inserted: false, pathTaken: true });
        }
        if (curated.length) await insertCurationRows(trx, curated, at);
      }
      return outcomes;
    });
  }

  async getArticle(id: number): Promise<StoredArticle | null> {
    const row = await this.db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toArticle(row) : null;
  }

  /**
   * Articles by id. `body: false` leaves out the large columns (text, html, clustering features,
   * secured payload), as lists and feeds never show them: `text` is then empty and `html` null.
   */
  async getArticles(ids: number[], options: { body?: boolean } = {}): Promise<StoredArticle[]> {
    if (ids.length === 0) return [];
    if (options.body === false) {
      const rows = await this.db.selectFrom('articles').select(LIST_COLUMNS).where('id', 'in', ids).execute();
      return rows.map((row) => toArticle({ ...row, text: '', html: null, cluster_features: null, secured: null }));
    }
    const rows = await this.db.selectFrom('articles').selectAll().where('id', 'in', ids).execute();
    return rows.map(toArticle);
  }

  async getArticleByUrl(url: string): Promise<StoredArticle | null> {
    const row = await this.db
      .selectFrom('articles')
      .selectAll()
      .where((eb) => eb.or([eb('web_url', '=', url), eb('original_url', '=', url)]))
      .executeTakeFirst();
    return row ? toArticle(row) : null;
  }

  /** Which of these URLs are stored, as an article's canonical or original URL: one lookup for a whole feed. */
  async storedUrls(urls: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    const unique = [...new Set(urls)];
    for (let i = 0; i < unique.length; i += 500) {
      const part = unique.slice(i, i + 500);
      const rows = await this.db
        .selectFrom('articles')
        .select(['web_url', 'original_url'])
        .where((eb) => eb.or([eb('web_url', 'in', part), eb('original_url', 'in', part)]))
        .execute();
      const wanted = new Set(part);
      for (const row of rows) {
        if (wanted.has(row.web_url)) found.add(row.web_url);
        if (row.original_url && wanted.has(row.original_url)) found.add(row.original_url);
      }
    }
    return found;
  }

  async getArticleByPathKey(pathKey: string): Promise<StoredArticle | null> {
    const row = await this.db.selectFrom('articles').selectAll().where('path_key', '=', pathKey).orderBy('id').executeTakeFirst();
    return row ? toArticle(row) : null;
  }

  async pathKeyTaken(pathKey: string): Promise<boolean> {
    const row = await this.db.selectFrom('articles').select('id').where('path_key', '=', pathKey).executeTakeFirst();
    return row !== undefined;
  }

  /** All articles in insertion order, in batches (for export and rescoring). */
  async *iterateArticles(batchSize = 500): AsyncGenerator<StoredArticle> {
    let after = 0;
    for (;;) {
      const rows = await this.db.selectFrom('articles').selectAll().where('id', '>', after).orderBy('id').limit(batchSize).execute();
      if (rows.length === 0) return;
      for (const row of rows) yield toArticle(row);
      after = Number(rows[rows.length - 1]!.id);
    }
  }

  /**
   * Ids of listed articles (published or unscored), newest first, one page of them: the whole
   * stream, one topic's, one provider's, or one day's (hottest first within the day).
   */
  async listedIds(options: { page: number; perPage: number; topic?: string; provider?: string; day?: string }): Promise<{ ids: number[]; hasMore: boolean }> {
    const offset = (options.page - 1) * options.perPage;
    let ids: number[];
    if (options.topic) {
      const rows = await this.db
        .selectFrom('article_topics')
        .select('article_id')
        .where('topic', '=', options.topic)
        .where('listed', '=', 1)
        .orderBy('published_at', 'desc')
        .orderBy('article_id', 'desc')
        .limit(options.perPage + 1)
        .offset(offset)
        .execute();
      ids = rows.map((r) => Number(r.article_id));
    } else {
      let query = this.db.selectFrom('articles').select('id').where('listed', '=', 1);
      if (options.provider) query = query.where('provider_domain', '=', options.provider);
      if (options.day) {
        const next = new Date(Date.parse(`${options.day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
        query = query.where('published_at', '>=', `${options.day}T00:00:00Z`).where('published_at', '<', `${next}T00:00:00Z`);
      }
      const rows = await (options.day ? query.orderBy('heat', 'desc') : query)
        .orderBy('published_at', 'desc')
        .orderBy('id', 'desc')
        .limit(options.perPage + 1)
        .offset(offset)
        .execute();
      ids = rows.map((r) => Number(r.id));
    }
    return { ids: ids.slice(0, options.perPage), hasMore: ids.length > options.perPage };
  }

  /** The public stream: listed articles newest first; optionally one topic's. */
  async listStream(options: { page: number; perPage: number; topic?: string }): Promise<StreamPage> {
    const { ids, hasMore } = await this.listedIds(options);
    const byId = new Map((await this.getArticles(ids, { body: false })).map((a) => [a.id, a]));
    return { items: ids.map((id) => byId.get(id)!).filter(Boolean), hasMore };
  }

  async setTopics(articleId: number, topics: string[]): Promise<void> {
    await this.transaction(async (trx) => {
      const row = await trx.selectFrom('articles').select(['published_at', 'listed']).where('id', '=', articleId).executeTakeFirstOrThrow();
      await trx.updateTable('articles').set({ topics: json(topics), updated_at: nowIso() }).where('id', '=', articleId).execute();
      await trx.deleteFrom('article_topics').where('article_id', '=', articleId).execute();
      if (topics.length) {
        await trx
          .insertInto('article_topics')
          .values([...new Set(topics)].map((topic) => ({ article_id: articleId, topic, published_at: row.published_at, listed: Number(row.listed) })))
          .execute();
      }
    });
  }

  /**
   * Curation's topics and quality of one article in one short transaction: what `setTopics` and
   * `setScores` write between them (the topic rows, the listed flag, the quality history), in five
   * statements instead of eleven.
   */
  async saveCuration(articleId: number, topics: string[], quality: { total: number; parts: QualityPart[] }, reason: string): Promise<void> {
    await this.transaction(async (trx) => {
      const current = await trx.selectFrom('articles').select(['published_at', 'quality', 'published']).where('id', '=', articleId).executeTakeFirstOrThrow();
      const at = nowIso();
      const listed = current.published !== null && Number(current.published) === 1 ? 1 : 0;
      await trx
        .updateTable('articles')
        .set({ topics: json(topics), quality: quality.total, quality_parts: json(quality.parts), listed, updated_at: at } as never)
        .where('id', '=', articleId)
        .execute();
      await trx.deleteFrom('article_topics').where('article_id', '=', articleId).execute();
      if (topics.length) {
        await trx
          .insertInto('article_topics')
          .values([...new Set(topics)].map((topic) => ({ article_id: articleId, topic, published_at: current.published_at, listed })))
          .execute();
      }
      const before = current.quality === null || current.quality === undefined ? null : String(current.quality);
      if (before !== String(quality.total)) {
        await trx.insertInto('score_history').values({ field: 'quality', old_value: before, new_value: String(quality.total), article_id: articleId, reason, at }).execute();
      }
    });
  }

  async updateArticleFields(articleId: number, fields: Partial<Pick<NewsRecord, 'images' | 'locale' | 'text' | 'html'>> & { secured?: string | null; providerImages?: ImageRef[] | null; clusterFeatures?: string | null }): Promise<void> {
    const set: Partial<Record<keyof ArticlesTable, unknown>> = { updated_at: nowIso() };
    if (fields.images !== undefined) set.images = json(fields.images);
    if (fields.locale !== undefined) set.locale = fields.locale;
    if (fields.text !== undefined) set.text = fields.text;
    if (fields.html !== undefined) set.html = fields.html;
    if (fields.secured !== undefined) set.secured = fields.secured;
    if (fields.providerImages !== undefined) set.provider_images = fields.providerImages ? json(fields.providerImages) : null;
    if (fields.clusterFeatures !== undefined) set.cluster_features = fields.clusterFeatures;
    await this.db.updateTable('articles').set(set as never).where('id', '=', articleId).execute();
  }

  /**
   * Writes quality, heat and published together, and keeps every change in the history with
   * its reason. Unchanged values leave no history entry.
   */
  async setScores(
    articleId: number,
    scores: { quality?: number | null; qualityParts?: QualityPart[]; heat?: number | null; published?: boolean | null },
    reason: string,
    db: Db = this.db,
  ): Promise<void> {
    const run = async (trx: Db) => {
      const current = await trx.selectFrom('articles').select(['quality', 'heat', 'published']).where('id', '=', articleId).executeTakeFirstOrThrow();
      const at = nowIso();
      const set: Record<string, unknown> = {};
      const history: Array<{ field: string; old_value: string | null; new_value: string | null }> = [];
      const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
      const note = (field: string, oldValue: unknown, newValue: unknown) => {
        if (str(oldValue) !== str(newValue)) history.push({ field, old_value: str(oldValue), new_value: str(newValue) });
      };
      if (scores.quality !== undefined) {
        set.quality = scores.quality;
        note('quality', current.quality, scores.quality);
      }
      if (scores.qualityParts !== undefined) set.quality_parts = json(scores.qualityParts);
      if (scores.heat !== undefined) {
        set.heat = scores.heat;
        note('heat', current.heat, scores.heat);
      }
      if (scores.published !== undefined) {
        const published = scores.published === null ? null : scores.published ? 1 : 0;
        set.published = published;
        note('published', current.published === null ? null : Number(current.published) === 1, scores.published);
      }
      // Nothing changes: no write and no history (a story's rescore touches every member).
      if (history.length === 0 && scores.qualityParts === undefined) return;
      const quality = scores.quality !== undefined ? scores.quality : current.quality;
      const published = scores.published !== undefined ? scores.published : current.published === null ? null : Number(current.published) === 1;
      const listed = listedFlag(quality, published);
      set.listed = listed;
      set.updated_at = at;
      await trx.updateTable('articles').set(set as never).where('id', '=', articleId).execute();
      await trx.updateTable('article_topics').set({ listed }).where('article_id', '=', articleId).execute();
      if (history.length) {
        await trx.insertInto('score_history').values(history.map((h) => ({ ...h, article_id: articleId, reason, at }))).execute();
      }
    };
    if (db === this.db) await this.transaction(run);
    else await run(db);
  }

  async history(articleId: number): Promise<HistoryEntry[]> {
    const rows = await this.db.selectFrom('score_history').selectAll().where('article_id', '=', articleId).orderBy('id').execute();
    return rows.map((r) => ({ field: r.field, oldValue: r.old_value, newValue: r.new_value, reason: r.reason, at: r.at }));
  }

  // ---- stories -------------------------------------------------------------------------------

  async createStory(db: Db = this.db): Promise<number> {
    const at = nowIso();
    const row = await db.insertInto('stories').values({ lead_article_id: null, member_count: 0, heat: null, override: null, created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow();
    return Number(row.id);
  }

  /** Many empty stories in one statement, their ids in order: for articles that come with their grouping. */
  async createStories(count: number, db: Db = this.db): Promise<number[]> {
    const at = nowIso();
    const ids: number[] = [];
    for (let made = 0; made < count; made += 1000) {
      const rows = Array.from({ length: Math.min(1000, count - made) }, () => ({ lead_article_id: null, member_count: 0, heat: null, override: null, created_at: at, updated_at: at }));
      const inserted = await db.insertInto('stories').values(rows).returning('id').execute();
      ids.push(...inserted.map((r) => Number(r.id)).sort((a, b) => a - b));
    }
    return ids;
  }

  async getStory(id: number): Promise<StoryRow | null> {
    const row = await this.db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toStory(row) : null;
  }

  async assignStory(articleId: number, storyId: number, db: Db = this.db): Promise<void> {
    await db.updateTable('articles').set({ story_id: storyId }).where('id', '=', articleId).execute();
  }

  /**
   * Moves every member of `from` into `into` and deletes `from`; an override on either is kept (pin
   * wins over none, block over pin). `from` redirects to `into` from now on, as after a consolidation
   * merge, so what refers to the old id (links, readers' state) finds the story.
   */
  async mergeStories(into: number, from: number): Promise<void> {
    await this.transaction(async (trx) => {
      await pointStoryAt(trx, from, into, nowIso());
      const rows = await trx.selectFrom('stories').select(['id', 'override']).where('id', 'in', [into, from]).execute();
      const overrides = rows.map((r) => r.override);
      const override = overrides.includes('block') ? 'block' : overrides.includes('pin') ? 'pin' : null;
      await trx.updateTable('articles').set({ story_id: into }).where('story_id', '=', from).execute();
      await trx.updateTable('stories').set({ override, updated_at: nowIso() }).where('id', '=', into).execute();
      await trx.deleteFrom('stories').where('id', '=', from).execute();
    });
  }

  async storyMembers(storyId: number): Promise<StoredArticle[]> {
    const rows = await this.db.selectFrom('articles').selectAll().where('story_id', '=', storyId).orderBy('id').execute();
    return rows.map(toArticle);
  }

  /** What a story's heat is computed from, for each member: no text, no HTML (a rescore runs for every article curated). */
  async storyHeatInputs(storyId: number): Promise<Array<{ id: number; quality: number | null; publishedDateTime: string | null; providerDomain: string }>> {
    const rows = await this.db
      .selectFrom('articles')
      .select(['id', 'quality', 'published_at', 'provider_domain'])
      .where('story_id', '=', storyId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: Number(r.id), quality: r.quality === null ? null : Number(r.quality), publishedDateTime: r.published_at, providerDomain: r.provider_domain }));
  }

  async updateStory(storyId: number, fields: { leadArticleId: number | null; memberCount: number; heat: number | null }, db: Db = this.db): Promise<void> {
    await db
      .updateTable('stories')
      .set({ lead_article_id: fields.leadArticleId, member_count: fields.memberCount, heat: fields.heat, updated_at: nowIso() })
      .where('id', '=', storyId)
      .execute();
  }

  async setStoryOverride(storyId: number, override: 'pin' | 'block' | null): Promise<void> {
    await this.db.updateTable('stories').set({ override, updated_at: nowIso() }).where('id', '=', storyId).execute();
  }

  async storyIds(): Promise<number[]> {
    const rows = await this.db.selectFrom('stories').select('id').orderBy('id').execute();
    return rows.map((r) => Number(r.id));
  }

  // ---- clustering index ------------------------------------------------------------------------

  async addBands(articleId: number, bandKeys: string[], features: string): Promise<void> {
    await this.transaction(async (trx) => {
      await trx.updateTable('articles').set({ cluster_features: features }).where('id', '=', articleId).execute();
      const keys = [...new Set(bandKeys)];
      for (let i = 0; i < keys.length; i += 500) {
        await trx
          .insertInto('story_bands')
          .values(keys.slice(i, i + 500).map((band_key) => ({ band_key, article_id: articleId })))
          .onConflict((oc) => oc.columns(['band_key', 'article_id']).doNothing())
          .execute();
      }
    });
  }

  /** Article ids that share at least one band key: an index lookup, never a scan. */
  async articlesByBands(bandKeys: string[], limit = 2000): Promise<number[]> {
    if (bandKeys.length === 0) return [];
    const rows = await this.db.selectFrom('story_bands').select('article_id').distinct().where('band_key', 'in', [...new Set(bandKeys)]).limit(limit).execute();
    return rows.map((r) => Number(r.article_id));
  }

  async clusterFeatures(ids: number[]): Promise<Array<{ id: number; storyId: number | null; publishedAt: string | null; features: string | null }>> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('articles').select(['id', 'story_id', 'published_at', 'cluster_features']).where('id', 'in', ids).execute();
    return rows.map((r) => ({ id: Number(r.id), storyId: r.story_id === null ? null : Number(r.story_id), publishedAt: r.published_at, features: r.cluster_features }));
  }

  // ---- topics ---------------------------------------------------------------------------------

  async replaceTopics(topics: TopicDef[]): Promise<void> {
    await this.transaction(async (trx) => {
      await trx.deleteFrom('topics').execute();
      if (topics.length) {
        await trx
          .insertInto('topics')
          .values(
            topics.map((t, position) => ({
              id: t.id,
              name: t.name,
              short_name: t.shortName ?? null,
              parent: t.parent,
              description: t.description ?? null,
              keywords: json(t.keywords),
              hashtags: json(t.hashtags ?? []),
              position,
            })),
          )
          .execute();
      }
    });
  }

  async listTopics(): Promise<TopicDef[]> {
    const rows = await this.db.selectFrom('topics').selectAll().orderBy('position').execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      ...(r.short_name ? { shortName: r.short_name } : {}),
      parent: r.parent,
      ...(r.description ? { description: r.description } : {}),
      keywords: parseJson<string[]>(r.keywords, []),
      hashtags: parseJson<string[]>(r.hashtags, []),
    }));
  }

  // ---- counts -----------------------------------------------------------------------------------

  /** Articles stored, curated (topics and quality given) and published; stories; sources, in all and by status. */
  async counts(): Promise<{ articles: number; curated: number; published: number; stories: number; sources: number; sourcesWithErrors: number; sourcesByStatus: Record<string, number> }> {
    const [articles, stories, sources] = await Promise.all([
      this.db
        .selectFrom('articles')
        .select((eb) => [
          eb.fn.countAll().as('stored'),
          eb.fn.count('quality').as('curated'),
          eb.fn.sum<number>(eb.case().when('published', '=', 1).then(1).else(0).end()).as('published'),
        ])
        .executeTakeFirst(),
      this.db.selectFrom('stories').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
      this.db.selectFrom('sources').select(['status', (eb) => eb.fn.countAll().as('n')]).groupBy('status').execute(),
    ]);
    const sourcesByStatus = Object.fromEntries(sources.map((r) => [r.status, Number(r.n)]));
    return {
      articles: Number(articles?.stored ?? 0),
      curated: Number(articles?.curated ?? 0),
      published: Number(articles?.published ?? 0),
      stories: Number(stories?.n ?? 0),
      sources: Object.values(sourcesByStatus).reduce((sum, n) => sum + n, 0),
      sourcesWithErrors: sourcesByStatus.error ?? 0,
      sourcesByStatus,
    };
  }

  /** Runs a raw statement: only for tests that read query plans. */
  async explain(query: string): Promise<string> {
    const prefix = this.dialect === 'sqlite' ? 'EXPLAIN QUERY PLAN ' : 'EXPLAIN ';
    const result = await sql.raw(prefix + query).execute(this.db);
    return result.rows.map((r) => Object.values(r as object).join(' ')).join('\n');
  }
}

/**
 * Migrations (and dropping a schema) take one cluster-wide advisory lock, so that processes starting
 * together migrate one at a time, and so that Kysely's catalog introspection never reads a schema
 * that another process is dropping.
 */
/**
 * One SQLite connection per file and process, however many stores open it. better-sqlite3 waits for
 * a lock synchronously: a second connection in the same process that waited for the first's open
 * transaction would block the event loop the first needs to finish it. Sharing the connection, every
 * statement of the process goes through Kysely's one queue instead, as with a single store.
 */
const sqliteConnections = new Map<string, { db: Kysely<Database>; users: number }>();

function openSqlite(location: string, onStatement?: OpenOptions['onStatement']): Kysely<Database> {
  const key = location === ':memory:' ? null : resolvePath(location);
  const shared = key ? sqliteConnections.get(key) : undefined;
  if (shared) {
    shared.users++;
    return shared.db;
  }
  if (key) mkdirSync(dirname(location), { recursive: true });
  const database = new SqliteDatabase(location);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }), ...queryProfile(onStatement) });
  if (key) sqliteConnections.set(key, { db, users: 1 });
  return db;
}

/** Named (server-side prepared) statements per PostgreSQL connection at most; later texts run unnamed. */
const POSTGRES_PREPARED = 500;

/**
 * Every statement with parameters runs as a named prepared statement on its connection, so that
 * PostgreSQL parses and plans it once per connection rather than at every call (for the short
 * statements of curation, planning was as much as running). A statement whose cached plan a schema
 * change has invalidated (another process migrating) runs unnamed from then on.
 */
function preparePostgresStatements(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const plain = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>;
    const names = new Map<string, string>();
    const unnamed = new Set<string>();
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const [text, values] = args;
      if (args.length !== 2 || typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || unnamed.has(text)) return plain(...args);
      let name = names.get(text);
      if (!name) {
        if (names.size >= POSTGRES_PREPARED) return plain(...args);
        name = `nd_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
        names.set(text, name);
      }
      return plain({ name, text, values }).catch((err: { code?: string }) => {
        // 0A000: "cached plan must not change result type".
        if (err?.code !== '0A000') throw err;
        unnamed.add(text);
        return plain(text, values);
      });
    };
  });
}

/** Prepared statements kept per connection, by SQL text, the least recently used dropped first. */
const STATEMENT_CACHE = 1000;

/**
 * Kysely prepares every statement afresh; better-sqlite3 statements can be run again with new
 * parameters, and for the short statements of curation and the API preparing cost as much as
 * running. Safe because Kysely runs one statement (or one stream) at a time per connection.
 */
function withStatementCache(database: SqliteDatabase.Database): { prepare(sql: string): SqliteDatabase.Statement; close(): void } {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare(text: string) {
      let statement = cache.get(text);
      if (statement) {
        cache.delete(text);
      } else {
        statement = database.prepare(text);
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, statement);
      return statement;
    },
    close() {
      cache.clear();
      database.close();
    },
  };
}

/** True when the caller was the connection's last user and should destroy it. */
function releaseSqlite(db: Kysely<Database>): boolean {
  for (const [key, shared] of sqliteConnections) {
    if (shared.db !== db) continue;
    if (--shared.users > 0) return false;
    sqliteConnections.delete(key);
    return true;
  }
  return true;
}

export const MIGRATION_LOCK_KEY = 7_020_517;

export async function withPostgresMigrationLock<T>(location: string, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await fn();
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end().catch(() => {});
  }
}

function redact(location: string): string {
  return location.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

export async function openStore(location: string, options: OpenOptions = {}): Promise<Store> {
  return Store.open(location, options);
}

/** Kysely's log hook feeding the statement tally, when profiling is on, and the caller's observer. */
function queryProfile(onStatement?: OpenOptions['onStatement']): { log?: (event: LogEvent) => void } {
  const tally = statementTally('store');
  if (!tally && !onStatement) return {};
  return {
    log: (event) => {
      tally?.(event.query.sql, event.queryDurationMillis);
      onStatement?.(event.query.sql, event.query.parameters);
    },
  };
}
