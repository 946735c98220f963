// The SQL of reader apps: readers' accounts (role reader or editor), their API tokens, and per-reader
// item state. An item is a published story, shown by its lead; its state (read, starred) is keyed by
// story id, so it outlives the lead changing and, folded along the story's redirect, the story being
// merged into another. Every query runs unchanged on SQLite and PostgreSQL.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, ReadersTable } from './tables.ts';
import type { Store } from './index.ts';
import { chunks, nowIso } from './values.ts';

export type ReaderRole = 'reader' | 'editor';

export interface Reader {
  id: number;
  name: string;
  role: ReaderRole;
  passwordHash: string;
  apiPasswordHash: string | null;
  feverKeyHash: string | null;
  resurface: boolean;
  createdAt: string;
  lastSeenAt: string | null;
}

/** Which items: every published story, one topic's (by the lead's topics), one provider's (the lead's), or a reader's starred or read ones. */
export type ItemScope =
  | { kind: 'all' }
  | { kind: 'topic'; topic: string }
  | { kind: 'provider'; domain: string }
  | { kind: 'starred' }
  | { kind: 'read' }
  | { kind: 'ids'; storyIds: number[] };

export interface ItemQuery {
  scope: ItemScope;
  /** Only unread items (Google Reader xt=read, Fever unread lists). */
  unreadOnly?: boolean;
  /** Only starred items (it=starred). */
  starredOnly?: boolean;
  /** Item times (ISO) at or after / before. */
  since?: string;
  before?: string;
  /** Item numbers above / below (Fever since_id / max_id); only numbered items then. */
  numberAbove?: number;
  numberBelow?: number;
  /** Only items numbered before this time (ISO with milliseconds, as numbered_at is): what a Fever client could have seen by then. */
  numberedBefore?: string;
  order: 'newest' | 'oldest' | 'id-asc' | 'id-desc' | 'number-asc' | 'number-desc';
  /** Keyset: strictly after this item in the order. */
  after?: { time: string; storyId: number };
  limit?: number;
}

export interface ItemRef {
  storyId: number;
  leadId: number;
  /** The lead's publication time (its storing time when undated), ISO seconds. */
  time: string;
  heat: number | null;
  memberCount: number;
  provider: string;
  read: boolean;
  starred: boolean;
  /** The item's number (Fever's item id), once a reader app has seen it; see numberItems. */
  number: number | null;
}


function toReader(row: ReadersTable & { id: number; resurface: number }): Reader {
  return {
    id: Number(row.id),
    name: row.name,
    role: row.role as ReaderRole,
    passwordHash: row.password_hash,
    apiPasswordHash: row.api_password_hash,
    feverKeyHash: row.fever_key_hash,
    resurface: Number(row.resurface) === 1,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
  };
}

export class ReaderStore {
  readonly store: Store;
  readonly db: Kysely<Database>;

  constructor(store: Store) {
    this.store = store;
    this.db = store.db;
  }

  // ---- accounts ------------------------------------------------------------------------------------

  async createReader(input: { name: string; role: ReaderRole; passwordHash: string; apiPasswordHash?: string | null; feverKeyHash?: string | null }): Promise<number> {
    const row = await this.db
      .insertInto('readers')
      .values({ name: input.name, role: input.role, password_hash: input.passwordHash, api_password_hash: input.apiPasswordHash ?? null, fever_key_hash: input.feverKeyHash ?? null, created_at: nowIso(), last_seen_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async readerByName(name: string): Promise<Reader | null> {
    const row = await this.db.selectFrom('readers').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toReader(row as never) : null;
  }

  async readerById(id: number): Promise<Reader | null> {
    const row = await this.db.selectFrom('readers').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toReader(row as never) : null;
  }

  async readerByFeverKey(keyHash: string): Promise<Reader | null> {
    const row = await this.db.selectFrom('readers').selectAll().where('fever_key_hash', '=', keyHash).executeTakeFirst();
    return row ? toReader(row as never) : null;
  }

  async listReaders(): Promise<Reader[]> {
    const rows = await this.db.selectFrom('readers').selectAll().orderBy('id').execute();
    return rows.map((r) => toReader(r as never));
  }

  /** Removes the reader, their tokens and their item state. */
  async removeReader(name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('readers').where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Sets the login password; when the reader has no separate API password, the Fever key follows it. Tokens handed out end. */
  async setPassword(name: string, passwordHash: string, feverKeyHash: string | null): Promise<boolean> {
    const reader = await this.readerByName(name);
    if (!reader) return false;
    await this.store.transaction(async (trx) => {
      const db = trx;
      await db
        .updateTable('readers')
        .set({ password_hash: passwordHash, ...(reader.apiPasswordHash === null ? { fever_key_hash: feverKeyHash } : {}) })
        .where('id', '=', reader.id)
        .execute();
      await db.deleteFrom('reader_tokens').where('reader_id', '=', reader.id).execute();
    });
    return true;
  }

  /** Sets (or, with nulls, clears) the separate API password and the Fever key that goes with it. Tokens handed out end. */
  async setApiPassword(name: string, apiPasswordHash: string | null, feverKeyHash: string | null): Promise<boolean> {
    const reader = await this.readerByName(name);
    if (!reader) return false;
    await this.store.transaction(async (trx) => {
      const db = trx;
      await db.updateTable('readers').set({ api_password_hash: apiPasswordHash, fever_key_hash: feverKeyHash }).where('id', '=', reader.id).execute();
      await db.deleteFrom('reader_tokens').where('reader_id', '=', reader.id).execute();
    });
    return true;
  }

  async setRole(name: string, role: ReaderRole): Promise<boolean> {
    const result = await this.db.updateTable('readers').set({ role }).where('name', '=', name).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async setResurface(readerId: number, resurface: boolean): Promise<void> {
    await this.db.updateTable('readers').set({ resurface: resurface ? 1 : 0 }).where('id', '=', readerId).execute();
  }

  async touch(readerId: number): Promise<void> {
    await this.db.updateTable('readers').set({ last_seen_at: nowIso() }).where('id', '=', readerId).execute();
  }

  // ---- tokens (Google Reader's Auth) --------------------------------------------------------------

  async createToken(tokenHash: string, readerId: number, expiresAt: string): Promise<void> {
    const at = nowIso();
    await this.db.insertInto('reader_tokens').values({ token_hash: tokenHash, reader_id: readerId, created_at: at, expires_at: expiresAt }).execute();
    await this.db.deleteFrom('reader_tokens').where('expires_at', '<', at).execute();
  }

  async readerByToken(tokenHash: string, now: Date): Promise<Reader | null> {
    const row = await this.db
      .selectFrom('reader_tokens')
      .innerJoin('readers', 'readers.id', 'reader_tokens.reader_id')
      .selectAll('readers')
      .where('reader_tokens.token_hash', '=', tokenHash)
      .where('reader_tokens.expires_at', '>', nowIso(now))
      .executeTakeFirst();
    return row ? toReader(row as never) : null;
  }

  // ---- feed ids (Fever numbers its feeds and groups) -------------------------------------------------

  /** A stable integer id for each key of a kind, assigned on first sight. */
  async feedIds(kind: 'top' | 'provider' | 'topic', keys: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const unique = [...new Set(keys)];
    if (unique.length === 0) return out;
    const read = async () => {
      for (const part of chunks(unique)) {
        for (const row of await this.db.selectFrom('reader_feeds').select(['id', 'key']).where('kind', '=', kind).where('key', 'in', part).execute()) out.set(row.key, Number(row.id));
      }
    };
    await read();
    const missing = unique.filter((k) => !out.has(k)).sort();
    if (missing.length > 0) {
      for (const part of chunks(missing)) {
        await this.db
          .insertInto('reader_feeds')
          .values(part.map((key) => ({ kind, key })))
          .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
          .execute();
      }
      await read();
    }
    return out;
  }

  async feedById(id: number): Promise<{ kind: 'top' | 'provider' | 'topic'; key: string } | null> {
    const row = await this.db.selectFrom('reader_feeds').select(['kind', 'key']).where('id', '=', id).executeTakeFirst();
    return row ? { kind: row.kind as 'top' | 'provider' | 'topic', key: row.key } : null;
  }

  // ---- item numbers (Fever's item ids) -----------------------------------------------------------------

  /**
   * Numbers every item (a story with a published member, or one a reader starred) that has no number
   * yet, earliest article first; later items get higher numbers. One numbering at a time (SQLite: the
   * write lock of BEGIN IMMEDIATE; PostgreSQL: an advisory lock held to the commit), so numbers become
   * visible in increasing order: a client paging by since_id cannot pass a number that another
   * request has handed out but not yet committed.
   */
  async numberItems(now = new Date()): Promise<number> {
    const unnumbered = (limit: RawBuilder<unknown>) => sql<{ id: number }>`
        select s.id from stories s
        where not exists (select 1 from reader_item_numbers n where n.story_id = s.id)
          and (exists (select 1 from articles p where p.story_id = s.id and p.published = 1 and p.listed = 1)
            or exists (select 1 from reader_items ri where ri.story_id = s.id and ri.is_starred = 1))
        order by (select min(coalesce(a.published_at, a.created_at)) from articles a where a.story_id = s.id), s.id ${limit}`;
    // Most requests find nothing new: they are answered without taking the write lock.
    if ((await unnumbered(sql`limit 1`).execute(this.db)).rows.length === 0) return 0;
    return this.store.transaction(async (trx) => {
      if (this.store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`${this.store.schema ?? 'public'}:reader-item-numbers`}))`.execute(trx);
      const { rows } = await unnumbered(sql``).execute(trx);
      // Milliseconds: a request and the numbering right after it fall in the same second.
      const at = now.toISOString();
      // Row by row in order: the generated numbers follow the order the rows are given in.
      for (const part of chunks(rows.map((r) => Number(r.id)))) {
        await trx
          .insertInto('reader_item_numbers')
          .values(part.map((storyId) => ({ story_id: storyId, numbered_at: at })))
          .onConflict((oc) => oc.column('story_id').doNothing())
          .execute();
      }
      return rows.length;
    });
  }

  /** The stories of item numbers, as they are now (a merged-away story's number gives the story it went into). */
  async storiesOfNumbers(numbers: readonly number[]): Promise<number[]> {
    const found: number[] = [];
    for (const part of chunks([...new Set(numbers)])) {
      for (const row of await this.db.selectFrom('reader_item_numbers').select('story_id').where('number', 'in', part).execute()) found.push(Number(row.story_id));
    }
    return this.currentStoryIds(found);
  }

  /** How many items there are (stories with a published member). */
  async itemCount(): Promise<number> {
    // The distinct stories of published articles, read from the articles_items index alone; every
    // story was visited before. Still in proportion to what is published (14 ms at 200k on SQLite).
    const { rows } = await sql<{ n: number | string }>`select count(distinct story_id) as n from articles where published = 1 and listed = 1`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }

  /** When a source was last fetched (ISO), null before any fetch. */
  async lastFetchedAt(): Promise<string | null> {
    const row = await this.db.selectFrom('sources').select((eb) => eb.fn.max('last_fetched_at').as('at')).executeTakeFirst();
    return (row?.at as string | null | undefined) ?? null;
  }

  // ---- item state ------------------------------------------------------------------------------------

  /**
   * Folds the state a reader kept on stories since merged away into the stories they redirect to:
   * read if either part was read (the members seen add up), starred if either was. Cheap when there is
   * nothing to fold (one indexed join), so the API runs it before answering.
   */
  async foldMerged(readerId: number): Promise<number> {
    const rows = await this.db
      .selectFrom('reader_items as ri')
      .innerJoin('story_redirects as r', 'r.from_id', 'ri.story_id')
      .select(['ri.story_id as story_id', 'r.to_id as to_id'])
      .where('ri.reader_id', '=', readerId)
      .execute();
    if (rows.length === 0) return 0;
    await this.store.transaction(async (trx) => {
      const db = trx;
      for (const { story_id: fromId, to_id: toId } of rows) {
        const pair = await db.selectFrom('reader_items').selectAll().where('reader_id', '=', readerId).where('story_id', 'in', [Number(fromId), Number(toId)]).execute();
        const from = pair.find((p) => Number(p.story_id) === Number(fromId));
        const into = pair.find((p) => Number(p.story_id) === Number(toId));
        if (!from) continue;
        if (!into) {
          await db.updateTable('reader_items').set({ story_id: Number(toId) }).where('reader_id', '=', readerId).where('story_id', '=', Number(fromId)).execute();
          continue;
        }
        const read = Number(from.is_read) === 1 || Number(into.is_read) === 1;
        const members = (Number(from.is_read) === 1 ? Number(from.read_members) : 0) + (Number(into.is_read) === 1 ? Number(into.read_members) : 0);
        await db
          .updateTable('reader_items')
          .set({
            is_read: read ? 1 : 0,
            read_members: members,
            read_at: into.read_at ?? from.read_at,
            is_starred: Number(from.is_starred) === 1 || Number(into.is_starred) === 1 ? 1 : 0,
            starred_at: into.starred_at ?? from.starred_at,
            updated_at: nowIso(),
          })
          .where('reader_id', '=', readerId)
          .where('story_id', '=', Number(toId))
          .execute();
        await db.deleteFrom('reader_items').where('reader_id', '=', readerId).where('story_id', '=', Number(fromId)).execute();
      }
    });
    return rows.length;
  }

  /** Marks stories read or unread for a reader; reading notes how many members the story has now. */
  async setRead(readerId: number, storyIds: readonly number[], read: boolean): Promise<void> {
    const at = nowIso();
    await this.store.transaction(async (trx) => {
      const db = trx;
      for (const part of chunks([...new Set(storyIds)])) {
        const counts = new Map((await db.selectFrom('stories').select(['id', 'member_count']).where('id', 'in', part).execute()).map((r) => [Number(r.id), Number(r.member_count)]));
        const values = part.map((storyId) => ({
          reader_id: readerId,
          story_id: storyId,
          is_read: read ? 1 : 0,
          is_starred: 0,
          read_members: read ? counts.get(storyId) ?? 0 : 0,
          read_at: read ? at : null,
          starred_at: null,
          updated_at: at,
        }));
        await db
          .insertInto('reader_items')
          .values(values)
          .onConflict((oc) =>
            oc.columns(['reader_id', 'story_id']).doUpdateSet((eb) => ({
              is_read: eb.ref('excluded.is_read'),
              read_members: eb.ref('excluded.read_members'),
              read_at: eb.ref('excluded.read_at'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
      }
    });
  }

  async setStarred(readerId: number, storyIds: readonly number[], starred: boolean): Promise<void> {
    const at = nowIso();
    await this.store.transaction(async (trx) => {
      const db = trx;
      for (const part of chunks([...new Set(storyIds)])) {
        await db
          .insertInto('reader_items')
          .values(part.map((storyId) => ({ reader_id: readerId, story_id: storyId, is_read: 0, is_starred: starred ? 1 : 0, read_members: 0, read_at: null, starred_at: starred ? at : null, updated_at: at })))
          .onConflict((oc) =>
            oc.columns(['reader_id', 'story_id']).doUpdateSet((eb) => ({ is_starred: eb.ref('excluded.is_starred'), starred_at: eb.ref('excluded.starred_at'), updated_at: eb.ref('excluded.updated_at') })),
          )
          .execute();
      }
    });
  }

  /** Story ids as they are now: a merged-away story's id becomes the id of the story it redirects to. */
  async currentStoryIds(storyIds: readonly number[]): Promise<number[]> {
    const out = new Map<number, number>(storyIds.map((id) => [id, id]));
    for (const part of chunks([...new Set(storyIds)])) {
      for (const row of await this.db.selectFrom('story_redirects').select(['from_id', 'to_id']).where('from_id', 'in', part).execute()) out.set(Number(row.from_id), Number(row.to_id));
    }
    return [...new Set(storyIds.map((id) => out.get(id)!))];
  }

  /** Which of `storyIds` are items (stories with a published member), or starred by the reader. */
  async existingItems(reader: Reader, storyIds: readonly number[]): Promise<number[]> {
    if (storyIds.length === 0) return [];
    const found: number[] = [];
    for (const part of chunks([...new Set(storyIds)])) found.push(...(await this.items(reader, { scope: { kind: 'ids', storyIds: part }, order: 'id-asc' })).map((i) => i.storyId));
    return found;
  }

  /**
   * Items for a reader, in the order asked, with their state. The lead of a story is its lead
   * article when published, else its hottest published member; a story none of whose members is
   * published is no item, unless the reader starred it (starred items stay).
   *
   * A page (a limit, in time or number order, over published items) is read window by window: the
   * stories whose published articles fall in a span of time (or whose numbers fall in a range) are
   * found in an index, the item query runs on those alone, and the next window is taken only while
   * the page is short. Without windows the query worked out every story's lead before ordering them
   * (a second at a million articles, per request). A window holds every item whose time (or number)
   * lies in it: an item's time is its lead's, and its lead is one of its published articles.
   * Windows are adjacent and taken in the order asked, so their items, concatenated, are the order.
   */
  async items(reader: Reader, query: ItemQuery): Promise<ItemRef[]> {
    const windowed = query.limit !== undefined && query.scope.kind !== 'starred' && query.scope.kind !== 'ids';
    if (windowed && (query.order === 'newest' || query.order === 'oldest')) return this.itemsByTimeWindows(reader, query, query.limit!);
    if (windowed && (query.order === 'number-asc' || query.order === 'number-desc')) return this.itemsByNumberWindows(reader, query, query.limit!);
    return this.itemsWhere(reader, query, null);
  }

  private async itemsByTimeWindows(reader: Reader, query: ItemQuery, limit: number): Promise<ItemRef[]> {
    const newest = query.order === 'newest';
    // The times published items span: index lookups at both ends (dated articles, and undated ones
    // by their storing time, as an item's time is).
    const bounds = await sql<{ first: string | null; last: string | null; first_undated: string | null; last_undated: string | null }>`
      select (select min(published_at) from articles where published = 1 and listed = 1 and published_at is not null) as first,
        (select max(published_at) from articles where published = 1 and listed = 1 and published_at is not null) as last,
        (select min(created_at) from articles where published = 1 and listed = 1 and published_at is null) as first_undated,
        (select max(created_at) from articles where published = 1 and listed = 1 and published_at is null) as last_undated`.execute(this.db);
    const b = bounds.rows[0];
    const times = [b?.first, b?.last, b?.first_undated, b?.last_undated].filter((t): t is string => typeof t === 'string' && !Number.isNaN(Date.parse(t)));
    if (times.length === 0) return [];
    // Whole seconds, as times are stored; one second of margin each way so no stored time falls outside.
    let from = Math.min(...times.map((t) => Date.parse(t))) - 1000;
    let to = Math.max(...times.map((t) => Date.parse(t))) + 1000;
    // The page cannot reach past its bounds: since / before, and the continuation.
    const parsed = (t: string | undefined) => (t === undefined || Number.isNaN(Date.parse(t)) ? null : Date.parse(t));
    const since = parsed(query.since);
    const before = parsed(query.before);
    const after = parsed(query.after?.time);
    if (since !== null) from = Math.max(from, since - 1000);
    if (before !== null) to = Math.min(to, before + 1000);
    if (after !== null) {
      if (newest) to = Math.min(to, after + 1000);
      else from = Math.max(from, after - 1000);
    }
    const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const out: ItemRef[] = [];
    let span = 3600_000;
    let edge = newest ? to : from;
    while (out.length < limit && from < to) {
      const far = newest ? Math.max(from, edge - span) : Math.min(to, edge + span);
      // Each window is [lo, hi): adjacent windows share an edge and no time is in two.
      const [lo, hi] = newest ? [at(far), at(edge)] : [at(edge), at(far)];
      const window = {
        stories: this.storiesAmong(sql`
          select c.story_id from articles c where c.published = 1 and c.listed = 1 and c.published_at >= ${lo} and c.published_at < ${hi}
          union all
          select c.story_id from articles c where c.published = 1 and c.listed = 1 and c.published_at is null and c.created_at >= ${lo} and c.created_at < ${hi}`),
        items: sql`i.time >= ${lo} and i.time < ${hi}`,
      };
      out.push(...(await this.itemsWhere(reader, { ...query, limit: limit - out.length }, window)));
      if (far === (newest ? from : to)) break;
      edge = far;
      span *= 4;
    }
    return out;
  }

  private async itemsByNumberWindows(reader: Reader, query: ItemQuery, limit: number): Promise<ItemRef[]> {
    const ascending = query.order === 'number-asc';
    const out: ItemRef[] = [];
    // No edge yet when paging back from the newest (Fever's max_id=0).
    let edge: number | null = ascending ? query.numberAbove ?? 0 : query.numberBelow ?? null;
    let size = Math.max(64, limit * 2);
    while (out.length < limit) {
      // The next `size` numbers past the edge, from the numbers' own index.
      let next = this.db.selectFrom('reader_item_numbers').select('number');
      if (edge !== null) next = next.where('number', ascending ? '>' : '<', edge);
      const numbers = await next.orderBy('number', ascending ? 'asc' : 'desc').limit(size).execute();
      if (numbers.length === 0) break;
      const far = Number(numbers[numbers.length - 1]!.number);
      const near = Number(numbers[0]!.number);
      // Every number from the nearest to the farthest fetched is in this window, and only those.
      const [lo, hi] = ascending ? [near, far] : [far, near];
      const window = {
        stories: this.storiesAmong(sql`select story_id from reader_item_numbers where number >= ${lo} and number <= ${hi}`),
        items: sql`i.number >= ${lo} and i.number <= ${hi}`,
      };
      out.push(...(await this.itemsWhere(reader, { ...query, limit: limit - out.length }, window)));
      if (numbers.length < size) break;
      edge = far;
      size *= 4;
    }
    return out;
  }

  /**
   * `s.id` among a window's stories. PostgreSQL gets them as an array, looked up one by one in the
   * stories' key: as `in (subquery)` it hashed them against a scan of every story.
   */
  private storiesAmong(ids: RawBuilder<unknown>): RawBuilder<unknown> {
    return this.store.dialect === 'postgres' ? sql`s.id = any(array(${ids}))` : sql`s.id in (${ids})`;
  }

  private async itemsWhere(reader: Reader, query: ItemQuery, window: { stories: RawBuilder<unknown>; items: RawBuilder<unknown> } | null): Promise<ItemRef[]> {
    const scope = query.scope;
    const starredScope = scope.kind === 'starred';
    const conditions: RawBuilder<unknown>[] = [];
    if (window) conditions.push(window.items);
    if (starredScope) conditions.push(sql`i.is_starred = 1`);
    else conditions.push(sql`i.lead_published = 1`);
    if (scope.kind === 'read') conditions.push(sql`i.is_read = 1`);
    if (scope.kind === 'topic') conditions.push(sql`exists (select 1 from article_topics t where t.article_id = i.lead_id and t.topic = ${scope.topic})`);
    if (scope.kind === 'provider') conditions.push(sql`i.provider = ${scope.domain}`);
    if (scope.kind === 'ids') {
      if (scope.storyIds.length === 0) return [];
      conditions.push(sql`i.story_id in (${sql.join(scope.storyIds.map((id) => sql`${id}`))})`);
    }
    if (query.unreadOnly) conditions.push(unread(reader));
    if (query.starredOnly) conditions.push(sql`i.is_starred = 1`);
    if (query.since) conditions.push(sql`i.time >= ${query.since}`);
    if (query.before) conditions.push(sql`i.time < ${query.before}`);
    if (query.numberAbove !== undefined) conditions.push(sql`i.number > ${query.numberAbove}`);
    if (query.numberBelow !== undefined) conditions.push(sql`i.number < ${query.numberBelow}`);
    if (query.numberedBefore !== undefined) conditions.push(sql`i.numbered_at < ${query.numberedBefore}`);
    if (query.order === 'number-asc' || query.order === 'number-desc') conditions.push(sql`i.number is not null`);
    if (query.after) {
      const { time, storyId } = query.after;
      if (query.order === 'newest') conditions.push(sql`(i.time < ${time} or (i.time = ${time} and i.story_id < ${storyId}))`);
      else if (query.order === 'oldest') conditions.push(sql`(i.time > ${time} or (i.time = ${time} and i.story_id > ${storyId}))`);
      else if (query.order === 'id-asc') conditions.push(sql`i.story_id > ${storyId}`);
      else if (query.order === 'id-desc') conditions.push(sql`i.story_id < ${storyId}`);
      else throw new Error('items by number page by numberAbove / numberBelow, not after');
    }
    const order = {
      newest: sql`i.time desc, i.story_id desc`,
      oldest: sql`i.time asc, i.story_id asc`,
      'id-asc': sql`i.story_id asc`,
      'id-desc': sql`i.story_id desc`,
      'number-asc': sql`i.number asc`,
      'number-desc': sql`i.number desc`,
    }[query.order];
    const limit = query.limit !== undefined ? sql`limit ${query.limit}` : sql``;
    // Restricting to given ids (or a window's stories) inside keeps the per-story lead lookup to those stories.
    const inner = sql.join(
      [
        ...(scope.kind === 'ids' ? [sql`and s.id in (${sql.join(scope.storyIds.map((id) => sql`${id}`))})`] : []),
        ...(window ? [sql`and ${window.stories}`] : []),
      ],
      sql` `,
    );
    // The story's lead: its first member in this order. PostgreSQL takes it as a lateral subquery,
    // which it can only run story by story along articles_story; written as `l.id = (subquery)` it
    // sometimes hashed or scanned articles against the subquery (13 s for 2,000 stories). SQLite has
    // no LATERAL and runs the subquery per story, then looks the lead up by its key.
    const leadOrder = sql`order by case when m.published = 1 and m.listed = 1 then 0 else 1 end,
            case when m.id = s.lead_article_id then 0 else 1 end, coalesce(m.heat, -1000000000) desc, m.id`;
    const leadJoin =
      this.store.dialect === 'postgres'
        ? sql`join lateral (select m.id, m.published_at, m.created_at, m.provider_domain, m.published, m.listed from articles m where m.story_id = s.id ${leadOrder} limit 1) l on true`
        : sql`join articles l on l.id = (select m.id from articles m where m.story_id = s.id ${leadOrder} limit 1)`;
    const statement = sql<{ story_id: number; lead_id: number; time: string; heat: number | null; member_count: number; provider: string; is_read: number; is_starred: number; read_members: number; number: number | null }>`
      select i.story_id, i.lead_id, i.time, i.heat, i.member_count, i.provider, i.is_read, i.is_starred, i.read_members, i.number from (
        select s.id as story_id, l.id as lead_id, coalesce(l.published_at, l.created_at) as time, s.heat as heat,
          s.member_count as member_count, l.provider_domain as provider,
          case when l.published = 1 and l.listed = 1 then 1 else 0 end as lead_published,
          coalesce(ri.is_read, 0) as is_read, coalesce(ri.is_starred, 0) as is_starred, coalesce(ri.read_members, 0) as read_members,
          n.number as number, n.numbered_at as numbered_at
        from stories s
        ${leadJoin}
        left join reader_items ri on ri.reader_id = ${reader.id} and ri.story_id = s.id
        left join reader_item_numbers n on n.story_id = s.id
        where ${starredScope ? sql`ri.is_starred = 1` : sql`exists (select 1 from articles p where p.story_id = s.id and p.published = 1 and p.listed = 1)`} ${inner}
      ) i
      where ${sql.join(conditions, sql` and `)}
      order by ${order}
      ${limit}`;
    // PostgreSQL: a window's statement is run with new bounds again and again, and after five runs
    // of a prepared statement the server may settle on one generic plan, blind to the bounds and to
    // how few stories a window holds. Each is planned for its own bounds instead.
    const result =
      window && this.store.dialect === 'postgres'
        ? await this.store.transaction(async (trx) => {
            await sql`set local plan_cache_mode = force_custom_plan`.execute(trx);
            return statement.execute(trx);
          })
        : await statement.execute(this.db);
    return result.rows.map((r) => ({
      storyId: Number(r.story_id),
      leadId: Number(r.lead_id),
      time: r.time,
      heat: r.heat === null ? null : Number(r.heat),
      memberCount: Number(r.member_count),
      provider: r.provider,
      read: Number(r.is_read) === 1 && !resurfaces(reader, r),
      starred: Number(r.is_starred) === 1,
      number: r.number === null ? null : Number(r.number),
    }));
  }

  /** Topics of the given leads (article ids), for grouping and labels. */
  async leadTopics(leadIds: readonly number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    for (const part of chunks([...new Set(leadIds)])) {
      for (const row of await this.db.selectFrom('article_topics').select(['article_id', 'topic']).where('article_id', 'in', part).execute()) {
        const list = out.get(Number(row.article_id)) ?? [];
        list.push(row.topic);
        out.set(Number(row.article_id), list);
      }
    }
    return out;
  }

  /** Members of stories other than their leads (as the front page folds them): the other outlets an item lists. */
  async otherOutlets(items: ReadonlyArray<{ storyId: number; leadId: number }>): Promise<Map<number, Array<{ title: string; url: string; provider: string }>>> {
    const out = new Map<number, Array<{ title: string; url: string; provider: string }>>();
    const leads = new Set(items.map((i) => i.leadId));
    for (const part of chunks(items.map((i) => i.storyId))) {
      const rows = await this.db
        .selectFrom('articles')
        .select(['id', 'story_id', 'title', 'web_url', 'provider_name'])
        .where('story_id', 'in', part)
        .orderBy('id')
        .execute();
      for (const row of rows) {
        if (leads.has(Number(row.id))) continue;
        const list = out.get(Number(row.story_id)) ?? [];
        list.push({ title: row.title, url: row.web_url, provider: row.provider_name });
        out.set(Number(row.story_id), list);
      }
    }
    return out;
  }

  /** Stories starred by any reader: retention keeps their articles. */
  async starredStoryCount(): Promise<number> {
    const row = await this.db.selectFrom('reader_items').select((eb) => eb.fn.count<number>('story_id').distinct().as('n')).where('is_starred', '=', 1).executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}

function unread(reader: Reader): RawBuilder<unknown> {
  return reader.resurface ? sql`(i.is_read = 0 or i.member_count > i.read_members)` : sql`i.is_read = 0`;
}

function resurfaces(reader: Reader, row: { member_count: number; read_members?: number }): boolean {
  return reader.resurface && row.read_members !== undefined && Number(row.member_count) > Number(row.read_members);
}
