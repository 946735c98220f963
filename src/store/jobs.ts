// SQL for scale-out: the durable job queue of the in-process runner, leases (mutual exclusion with
// an expiry, shared by every process on one store), the keyset stream, retention, and the few
// checks that keep retried jobs idempotent. Every query runs unchanged on SQLite and PostgreSQL.
import { sql, type Kysely, type Generated, type Transaction } from 'kysely';
import type { Store, StoredArticle, StreamPage } from './index.ts';
import type { Database } from './tables.ts';
import type { ClusterFeatures } from '../curate/types.ts';
import { documentTerms } from '../curate/cluster/features.ts';
import { addTermCounts, bumpCounter, DF_VERSION } from './stories.ts';
import { DOCUMENT_COUNT } from './cluster-index.ts';
import { chunks, nowIso } from './values.ts';

interface JobsTable {
  id: Generated<number>;
  kind: string;
  payload: string;
  job_key: string | null;
  run_at: string;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  /** 1 when the job was queued again while it ran: it runs once more instead of leaving the queue. */
  rerun: Generated<number>;
}

interface LeasesTable {
  name: string;
  holder: string;
  expires_at: number | string;
}

export interface JobsDatabase extends Database {
  jobs: JobsTable;
  leases: LeasesTable;
}

export interface QueuedJob {
  id: number;
  kind: string;
  payload: unknown;
  jobKey: string | null;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
}

export interface EnqueueOptions {
  /**
   * At most one pending job per key: a second enqueue with the same key is dropped while the job
   * waits, and makes it run once more if it is running (so work queued meanwhile is not missed).
   */
  key?: string;
  runAt?: Date;
  maxAttempts?: number;
  /** With a key: a job already waiting keeps its time instead of taking this one (a debounce that cannot starve). */
  preserveRunAt?: boolean;
}

const iso = (date: Date) => date.toISOString();

function db(store: Store): Kysely<JobsDatabase> {
  return store.db as unknown as Kysely<JobsDatabase>;
}

// ---- jobs ---------------------------------------------------------------------------------------

export async function enqueueJob(store: Store, kind: string, payload: unknown, options: EnqueueOptions = {}): Promise<{ added: boolean }> {
  for (let attempt = 0; ; attempt++) {
    const now = new Date();
    const result = await db(store)
      .insertInto('jobs')
      .values({
        kind,
        payload: JSON.stringify(payload ?? null),
        job_key: options.key ?? null,
        run_at: iso(options.runAt ?? now),
        attempts: 0,
        max_attempts: options.maxAttempts ?? 5,
        locked_by: null,
        locked_until: null,
        last_error: null,
        created_at: iso(now),
      })
      .onConflict((oc) => oc.column('job_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (result !== undefined || !options.key) return { added: result !== undefined };
    const rerun = await db(store).updateTable('jobs').set({ rerun: 1 }).where('job_key', '=', options.key).where('locked_by', 'is not', null).executeTakeFirst();
    if (Number(rerun.numUpdatedRows) > 0) return { added: false };
    // Waiting already, or finished a moment ago (then queue it afresh).
    const waiting = await db(store).selectFrom('jobs').select('id').where('job_key', '=', options.key).executeTakeFirst();
    if (waiting || attempt >= 3) return { added: false };
  }
}

/**
 * Takes the next due job for `workerId` and locks it until `lockMs` from now. One statement, so two
 * workers never take the same job: SQLite runs it under its write lock; PostgreSQL skips rows another
 * worker has locked and re-checks the lock on the row it updates.
 */
export async function claimJob(store: Store, workerId: string, options: { lockMs: number; kinds?: readonly string[]; now?: Date }): Promise<QueuedJob | null> {
  const now = options.now ?? new Date();
  const nowText = iso(now);
  const until = iso(new Date(now.getTime() + options.lockMs));
  const kindFilter = options.kinds?.length ? sql`and kind in (${sql.join(options.kinds.map((k) => sql`${k}`))})` : sql``;
  const skipLocked = store.dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const result = await sql<{ id: number; kind: string; payload: string; job_key: string | null; attempts: number; max_attempts: number }>`
    update jobs set locked_by = ${workerId}, locked_until = ${until}, attempts = attempts + 1
    where id = (
      select id from jobs
      where run_at <= ${nowText} and (locked_until is null or locked_until < ${nowText}) and attempts < max_attempts ${kindFilter}
      order by run_at, id limit 1 ${skipLocked}
    ) and (locked_until is null or locked_until < ${nowText})
    returning id, kind, payload, job_key, attempts, max_attempts`.execute(store.db);
  const row = result.rows[0];
  if (!row) return null;
  return {
    id: Number(row.id),
    kind: row.kind,
    payload: JSON.parse(row.payload),
    jobKey: row.job_key,
    attempt: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
  };
}

/** A finished job leaves the queue, or runs again now if it was queued again meanwhile. Only its current holder may finish it. */
export async function completeJob(store: Store, jobId: number, workerId: string): Promise<void> {
  const deleted = await db(store).deleteFrom('jobs').where('id', '=', jobId).where('locked_by', '=', workerId).where('rerun', '=', 0).executeTakeFirst();
  if (Number(deleted.numDeletedRows) > 0) return;
  await db(store)
    .updateTable('jobs')
    .set({ rerun: 0, locked_by: null, locked_until: null, attempts: 0, run_at: iso(new Date()) })
    .where('id', '=', jobId)
    .where('locked_by', '=', workerId)
    .execute();
}

/** A failed attempt: unlocked, to run again at `retryAt`, unless its attempts are spent (then it stays, for inspection). */
export async function failJob(store: Store, jobId: number, workerId: string, error: string, retryAt: Date): Promise<void> {
  await db(store)
    .updateTable('jobs')
    .set({ locked_by: null, locked_until: null, last_error: error.slice(0, 2000), run_at: iso(retryAt) })
    .where('id', '=', jobId)
    .where('locked_by', '=', workerId)
    .execute();
}

/** Jobs of these kinds with attempts left, one job aside. */
export async function queuedJobs(store: Store, kinds: readonly string[], except: number): Promise<number> {
  if (kinds.length === 0) return 0;
  const row = await db(store)
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', 'in', [...kinds])
    .whereRef('attempts', '<', 'max_attempts')
    .where('id', '<>', except)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** When the earliest job that has not been tried yet is due (null when none waits). */
export async function nextFreshJobAt(store: Store): Promise<Date | null> {
  const row = await db(store).selectFrom('jobs').select('run_at').where('attempts', '=', 0).where('locked_by', 'is', null).orderBy('run_at').limit(1).executeTakeFirst();
  return row ? new Date(row.run_at) : null;
}

/** Keeps a long job's lock from expiring. */
export async function extendJobLock(store: Store, jobId: number, workerId: string, lockMs: number): Promise<void> {
  await db(store)
    .updateTable('jobs')
    .set({ locked_until: iso(new Date(Date.now() + lockMs)) })
    .where('id', '=', jobId)
    .where('locked_by', '=', workerId)
    .execute();
}

/** Unlocks every job held by the given workers (processes known to be dead), so others take them now. */
export async function releaseJobsOf(store: Store, workerIds: readonly string[]): Promise<number> {
  if (workerIds.length === 0) return 0;
  const result = await db(store).updateTable('jobs').set({ locked_by: null, locked_until: null }).where('locked_by', 'in', [...workerIds]).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function jobLockHolders(store: Store): Promise<string[]> {
  const rows = await db(store).selectFrom('jobs').select('locked_by').distinct().where('locked_by', 'is not', null).execute();
  return rows.map((r) => r.locked_by!).filter(Boolean);
}

export interface QueueCounts {
  /** Waiting or running, with attempts left. */
  pending: number;
  running: number;
  /** Attempts spent: kept for inspection until retention removes them. */
  failed: number;
}

export async function queueCounts(store: Store): Promise<QueueCounts> {
  const now = iso(new Date());
  const row = await db(store)
    .selectFrom('jobs')
    .select((eb) => [
      eb.fn.sum<number>(eb.case().when('attempts', '<', eb.ref('max_attempts')).then(1).else(0).end()).as('pending'),
      eb.fn.sum<number>(eb.case().when('locked_until', '>=', now).then(1).else(0).end()).as('running'),
      eb.fn.sum<number>(eb.case().when('attempts', '>=', eb.ref('max_attempts')).then(1).else(0).end()).as('failed'),
    ])
    .executeTakeFirst();
  return { pending: Number(row?.pending ?? 0), running: Number(row?.running ?? 0), failed: Number(row?.failed ?? 0) };
}

export interface QueueStats {
  /** Jobs waiting or running with attempts left, by kind. */
  pendingByKind: Record<string, number>;
  /** How long the longest-waiting due job has waited past its run time, in seconds (0 when none waits). */
  oldestDueSeconds: number;
}

/**
 * The queue as an operator sees it. SQLite: the in-process runner's `jobs` table. PostgreSQL: the
 * graphile-worker queue beside the store's schema (`graphileSchema`), or nothing before any runner
 * has created it.
 */
export async function queueStats(store: Store, options: { graphileSchema?: string; now?: Date } = {}): Promise<QueueStats> {
  const now = options.now ?? new Date();
  if (store.dialect === 'postgres' && options.graphileSchema) {
    const exists = await sql<{ n: string | null }>`select to_regclass(${`"${options.graphileSchema.replace(/"/g, '')}".jobs`})::text as n`.execute(store.db);
    if (!exists.rows[0]?.n) return { pendingByKind: {}, oldestDueSeconds: 0 };
    const jobs = sql.table(`${options.graphileSchema}.jobs`);
    const byKind = await sql<{ kind: string; n: string }>`select task_identifier as kind, count(*)::int as n from ${jobs} where attempts < max_attempts group by task_identifier`.execute(store.db);
    const oldest = await sql<{ run_at: Date | null }>`select min(run_at) as run_at from ${jobs} where attempts < max_attempts and run_at <= ${now} and locked_at is null`.execute(store.db);
    const runAt = oldest.rows[0]?.run_at;
    return {
      pendingByKind: Object.fromEntries(byKind.rows.map((r) => [r.kind, Number(r.n)])),
      oldestDueSeconds: runAt ? Math.max(0, (now.getTime() - new Date(runAt).getTime()) / 1000) : 0,
    };
  }
  const nowText = iso(now);
  const byKind = await db(store).selectFrom('jobs').select(['kind', (eb) => eb.fn.countAll().as('n')]).whereRef('attempts', '<', 'max_attempts').groupBy('kind').execute();
  const oldest = await db(store)
    .selectFrom('jobs')
    .select((eb) => eb.fn.min('run_at').as('run_at'))
    .whereRef('attempts', '<', 'max_attempts')
    .where('run_at', '<=', nowText)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowText)]))
    .executeTakeFirst();
  const runAt = oldest?.run_at ? Date.parse(String(oldest.run_at)) : NaN;
  return {
    pendingByKind: Object.fromEntries(byKind.map((r) => [r.kind, Number(r.n)])),
    oldestDueSeconds: Number.isFinite(runAt) ? Math.max(0, (now.getTime() - runAt) / 1000) : 0,
  };
}

export async function failedJobs(store: Store, limit = 50): Promise<Array<{ id: number; kind: string; jobKey: string | null; attempts: number; lastError: string | null }>> {
  const rows = await db(store).selectFrom('jobs').selectAll().whereRef('attempts', '>=', 'max_attempts').orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, jobKey: r.job_key, attempts: Number(r.attempts), lastError: r.last_error }));
}

// ---- leases -------------------------------------------------------------------------------------

/**
 * Takes (or renews) the lease `name` for `holder` until `ttlMs` from now. Succeeds when the lease is
 * free, expired, or already this holder's; one statement, so two contenders never both succeed.
 */
export async function acquireLease(store: Store, name: string, holder: string, ttlMs: number, now = Date.now()): Promise<boolean> {
  const row = await db(store)
    .insertInto('leases')
    .values({ name, holder, expires_at: now + ttlMs })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expires_at: now + ttlMs })
        .where((eb) => eb.or([eb('leases.expires_at', '<=', now), eb('leases.holder', '=', holder)])),
    )
    .returning('holder')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Gives a lease back. With `holdForMs` the lease stays taken (by nobody) for that long: a host's
 * politeness gap after a request ends.
 */
export async function releaseLease(store: Store, name: string, holder: string, holdForMs = 0, now = Date.now()): Promise<void> {
  if (holdForMs > 0) {
    // Whole milliseconds: a jittered gap is fractional, and PostgreSQL refuses a fraction for a bigint.
    await db(store).updateTable('leases').set({ holder: '', expires_at: Math.ceil(now + holdForMs) }).where('name', '=', name).where('holder', '=', holder).execute();
  } else {
    await db(store).deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
  }
}

export async function leaseHolder(store: Store, name: string, now = Date.now()): Promise<string | null> {
  const row = await db(store).selectFrom('leases').select(['holder', 'expires_at']).where('name', '=', name).executeTakeFirst();
  if (!row || Number(row.expires_at) <= now || row.holder === '') return null;
  return row.holder;
}

/** Leases under a name prefix, live and expired: worker heartbeats. */
export async function leasesByPrefix(store: Store, prefix: string): Promise<Array<{ name: string; holder: string; expiresAt: number }>> {
  const rows = await db(store).selectFrom('leases').selectAll().where('name', 'like', `${prefix.replace(/[%_]/g, '')}%`).execute();
  return rows.map((r) => ({ name: r.name, holder: r.holder, expiresAt: Number(r.expires_at) }));
}

export async function deleteLease(store: Store, name: string): Promise<void> {
  await db(store).deleteFrom('leases').where('name', '=', name).execute();
}

// ---- worker heartbeats ------------------------------------------------------------------------------

const WORKER_HEARTBEAT_PREFIX = 'worker-alive:';

/** A process running jobs says it is alive until `ttlMs` from now; readiness looks for one such. */
export async function recordWorkerHeartbeat(store: Store, workerId: string, ttlMs: number, now = Date.now()): Promise<void> {
  await acquireLease(store, `${WORKER_HEARTBEAT_PREFIX}${workerId}`, workerId, ttlMs, now);
}

export async function clearWorkerHeartbeat(store: Store, workerId: string): Promise<void> {
  await deleteLease(store, `${WORKER_HEARTBEAT_PREFIX}${workerId}`);
}

/** Workers whose heartbeat has not expired, with the time of their last beat's expiry. */
export async function liveWorkers(store: Store, now = Date.now()): Promise<Array<{ workerId: string; expiresAt: number }>> {
  return (await leasesByPrefix(store, WORKER_HEARTBEAT_PREFIX))
    .filter((lease) => lease.expiresAt > now)
    .map((lease) => ({ workerId: lease.holder, expiresAt: lease.expiresAt }));
}

// ---- scheduling -----------------------------------------------------------------------------------

/**
 * Marks a due source as taken until `holdUntil` (its fetch job records the real next fetch), so the
 * next scheduler tick does not queue it again. False when another tick took it first.
 */
export async function claimDueSource(store: Store, sourceId: number, now: string, holdUntil: string): Promise<boolean> {
  const result = await db(store)
    .updateTable('sources')
    .set({ next_fetch_at: holdUntil })
    .where('id', '=', sourceId)
    .where((eb) => eb.or([eb('next_fetch_at', 'is', null), eb('next_fetch_at', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

// ---- idempotent curation ----------------------------------------------------------------------------

/** Whether an article has joined the clustering index (its story and features are written together). */
export async function clusterState(store: Store, articleId: number): Promise<{ storyId: number | null; clustered: boolean } | null> {
  // Whether the features are there, not the features: they run to kilobytes.
  const row = await store.db
    .selectFrom('articles')
    .select(['story_id', sql<number>`case when cluster_features is null then 0 else 1 end`.as('indexed')])
    .where('id', '=', articleId)
    .executeTakeFirst();
  if (!row) return null;
  return { storyId: row.story_id === null ? null : Number(row.story_id), clustered: row.story_id !== null && Number(row.indexed) === 1 };
}

/**
 * Undoes what a killed curation left half done: the article was put in a story it opened but never
 * joined the index. The article leaves the story, and the story goes when nobody else is in it, so the
 * retry opens or joins exactly one story.
 */
export async function detachUnclusteredArticle(store: Store, articleId: number): Promise<void> {
  await store.transaction(async (trx) => {
    const row = await trx.selectFrom('articles').select(['story_id', 'cluster_features']).where('id', '=', articleId).executeTakeFirst();
    if (!row || row.story_id === null || row.cluster_features !== null) return;
    const storyId = Number(row.story_id);
    await trx.updateTable('articles').set({ story_id: null }).where('id', '=', articleId).execute();
    const other = await trx.selectFrom('articles').select('id').where('story_id', '=', storyId).limit(1).executeTakeFirst();
    if (!other) await trx.deleteFrom('stories').where('id', '=', storyId).execute();
  });
}

// ---- the stream, by keyset ----------------------------------------------------------------------------

export interface StreamCursor {
  publishedAt: string | null;
  id: number;
}

/**
 * The public stream (listed articles newest first, optionally one topic's) continued after `after`:
 * each page is one or two index range scans however deep it is, unlike a page number's OFFSET. Dated
 * and undated articles are read separately, so each read is a plain range on the (date, id) index;
 * undated ones come where each store's page-number stream puts them (SQLite last, PostgreSQL first).
 */
export async function listStreamAfter(store: Store, options: { perPage: number; topic?: string; after?: StreamCursor | null }): Promise<StreamPage & { next: StreamCursor | null }> {
  const after = options.after ?? null;
  const limit = options.perPage + 1;
  type Segment = { dated: boolean; before?: StreamCursor };
  const nullsFirst = store.dialect === 'postgres';
  let segments: Segment[];
  if (!after) segments = nullsFirst ? [{ dated: false }, { dated: true }] : [{ dated: true }, { dated: false }];
  else if (after.publishedAt === null) segments = nullsFirst ? [{ dated: false, before: after }, { dated: true }] : [{ dated: false, before: after }];
  else segments = nullsFirst ? [{ dated: true, before: after }] : [{ dated: true, before: after }, { dated: false }];

  const keys: Array<{ id: number; publishedAt: string | null }> = [];
  for (const segment of segments) {
    if (keys.length >= limit) break;
    const want = limit - keys.length;
    if (options.topic) {
      let query = store.db.selectFrom('article_topics').select(['article_id as id', 'published_at']).where('topic', '=', options.topic).where('listed', '=', 1);
      query = query.where((eb) => keysetBound(eb, 'published_at', 'article_id', segment));
      const rows = await query.orderBy('published_at', 'desc').orderBy('article_id', 'desc').limit(want).execute();
      keys.push(...rows.map((r) => ({ id: Number(r.id), publishedAt: r.published_at })));
    } else {
      let query = store.db.selectFrom('articles').select(['id', 'published_at']).where('listed', '=', 1);
      query = query.where((eb) => keysetBound(eb, 'published_at', 'id', segment));
      const rows = await query.orderBy('published_at', 'desc').orderBy('id', 'desc').limit(want).execute();
      keys.push(...rows.map((r) => ({ id: Number(r.id), publishedAt: r.published_at })));
    }
  }
  const hasMore = keys.length > options.perPage;
  const page = keys.slice(0, options.perPage);
  const byId = new Map((await store.getArticles(page.map((k) => k.id))).map((a) => [a.id, a] as const));
  const items = page.map((k) => byId.get(k.id)).filter((a): a is StoredArticle => a !== undefined);
  const last = page[page.length - 1];
  return { items, hasMore, next: hasMore && last ? { publishedAt: last.publishedAt, id: last.id } : null };
}

function keysetBound(eb: any, dateColumn: string, idColumn: string, segment: { dated: boolean; before?: StreamCursor }) {
  if (!segment.dated) return segment.before ? eb.and([eb(dateColumn, 'is', null), eb(idColumn, '<', segment.before.id)]) : eb(dateColumn, 'is', null);
  // A row-value comparison: one range bound on the (date, id) index on both stores (null dates never match it).
  if (segment.before) return eb(eb.refTuple(dateColumn, idColumn), '<', eb.tuple(segment.before.publishedAt, segment.before.id));
  return eb(dateColumn, 'is not', null);
}

// ---- retention --------------------------------------------------------------------------------------

export interface RetentionPolicy {
  /** Articles scored and not published are deleted this many days after they were stored. */
  unpublishedDays: number;
  fetchLogDays: number;
  /** Jobs whose attempts are spent are kept this long for inspection. */
  failedJobDays: number;
}

export interface RetentionResult {
  articles: number;
  stories: number;
  fetchLog: number;
  jobs: number;
  leases: number;
  /** Transactions the articles were deleted in. */
  batches: number;
  /** The longest of them, milliseconds (how long a writer may have waited). */
  worstBatchMs: number;
}

export interface RetentionOptions {
  /** Articles per transaction; default 1000. */
  batch?: number;
  /** Called after each batch of articles has committed, before the next begins. */
  afterBatch?: (done: { batch: number; articles: number; ms: number }) => void | Promise<void>;
}

/**
 * Deletes what the policy no longer keeps. Articles go in batches, each its own short transaction
 * that chooses its rows, deletes them (their topics, bands, history, mentions and full-text entries
 * go with them by cascade and trigger), takes them out of the clustering's document frequencies, and
 * puts their stories right (member counts, a lead that was deleted, stories left empty), so a reader
 * never sees half a batch and the counts always match what is stored. Between batches the store is
 * free: a writer waits for at most one batch (SQLite has one writer), a reader never (WAL, MVCC).
 *
 * Candidates are walked by keyset on (created_at, id) along the articles_retention index, so each
 * batch starts where the last stopped: articles kept (an unpublished member of a published story, a
 * starred story's) are passed over once, not read again by every batch.
 *
 * An article in a story with a published member stays: the story page still shows it.
 */
export async function applyRetention(store: Store, policy: RetentionPolicy, now = new Date(), options: RetentionOptions | number = {}): Promise<RetentionResult> {
  const { batch = 1000, afterBatch } = typeof options === 'number' ? { batch: options } : options;
  const day = 86_400_000;
  const articleCutoff = iso(new Date(now.getTime() - policy.unpublishedDays * day)).replace(/\.\d{3}Z$/, 'Z');
  const logCutoff = iso(new Date(now.getTime() - policy.fetchLogDays * day)).replace(/\.\d{3}Z$/, 'Z');
  const jobCutoff = iso(new Date(now.getTime() - policy.failedJobDays * day));
  const result: RetentionResult = { articles: 0, stories: 0, fetchLog: 0, jobs: 0, leases: 0, batches: 0, worstBatchMs: 0 };

  let cursor: { createdAt: string; id: number } | null = null;
  for (;;) {
    const started = performance.now();
    const done = await store.transaction(async (trx) => deleteRetentionBatch(trx, articleCutoff, cursor, batch));
    const ms = performance.now() - started;
    if (done.deleted > 0) {
      result.batches++;
      result.articles += done.deleted;
      result.stories += done.storiesDeleted;
      result.worstBatchMs = Math.max(result.worstBatchMs, ms);
      await afterBatch?.({ batch: result.batches, articles: done.deleted, ms });
    }
    if (!done.next) break;
    cursor = done.next;
    // Let what waits on this process (requests, curation on the shared SQLite connection) run first.
    await new Promise((resolve) => setImmediate(resolve));
  }
  for (;;) {
    const rows = await store.db.selectFrom('fetch_log').select('id').where('at', '<', logCutoff).limit(batch * 5).execute();
    if (rows.length === 0) break;
    await store.db.deleteFrom('fetch_log').where('id', 'in', rows.map((r) => Number(r.id))).execute();
    result.fetchLog += rows.length;
  }
  const jobs = await db(store).deleteFrom('jobs').whereRef('attempts', '>=', 'max_attempts').where('run_at', '<', jobCutoff).executeTakeFirst();
  result.jobs = Number(jobs.numDeletedRows);
  const leases = await db(store).deleteFrom('leases').where('expires_at', '<', now.getTime() - day).executeTakeFirst();
  result.leases = Number(leases.numDeletedRows);
  return result;
}

/**
 * One batch of retention in the caller's transaction: up to `limit` candidates after `cursor`, the
 * ones still unkept deleted. `next` is where the following batch starts, null when none is left.
 * Choosing inside the transaction means a story that gained a published member (or a star) since the
 * last batch keeps its articles.
 */
async function deleteRetentionBatch(
  trx: Transaction<Database>,
  cutoff: string,
  cursor: { createdAt: string; id: number } | null,
  limit: number,
): Promise<{ deleted: number; storiesDeleted: number; next: { createdAt: string; id: number } | null }> {
  let query = trx
    .selectFrom('articles as a')
    .select(['a.id', 'a.created_at', 'a.story_id'])
    .where('a.published', '=', 0)
    .where('a.created_at', '<', cutoff);
  if (cursor) query = query.where((eb) => eb(eb.refTuple('a.created_at', 'a.id'), '>', eb.tuple(cursor.createdAt, cursor.id)));
  const walked = await query.orderBy('a.created_at').orderBy('a.id').limit(limit).execute();
  if (walked.length === 0) return { deleted: 0, storiesDeleted: 0, next: null };
  const last = walked[walked.length - 1]!;
  const next = walked.length < limit ? null : { createdAt: last.created_at, id: Number(last.id) };
  // Of the walked rows, those no published member or reader's star keeps: two keyed lookups a story.
  const storyIds = [...new Set(walked.map((r) => r.story_id).filter((id): id is number => id !== null).map(Number))];
  const kept = new Set<number>();
  for (const part of chunks(storyIds)) {
    for (const row of await trx.selectFrom('articles').select('story_id').distinct().where('story_id', 'in', part).where('published', '=', 1).execute()) kept.add(Number(row.story_id));
    for (const row of await trx.selectFrom('reader_items').select('story_id').distinct().where('story_id', 'in', part).where('is_starred', '=', 1).execute()) kept.add(Number(row.story_id));
  }
  const ids = walked.filter((r) => r.story_id === null || !kept.has(Number(r.story_id))).map((r) => Number(r.id));
  if (ids.length === 0) return { deleted: 0, storiesDeleted: 0, next };

  const counts = new Map<string, number>();
  let counted = 0;
  for (const part of chunks(ids)) {
    const rows = await trx.selectFrom('articles').select('cluster_features').where('id', 'in', part).where('df_counted', '=', 1).where('cluster_features', 'is not', null).execute();
    for (const row of rows) for (const t of documentTerms(JSON.parse(row.cluster_features!) as ClusterFeatures)) counts.set(t, (counts.get(t) ?? 0) + 1);
    counted += rows.length;
    await trx.deleteFrom('articles').where('id', 'in', part).execute();
  }
  if (counted > 0) {
    await addTermCounts(trx, counts, -1);
    await bumpCounter(trx, DOCUMENT_COUNT, -counted);
    await bumpCounter(trx, DF_VERSION, 1);
  }
  const touched = [...new Set(walked.filter((r) => r.story_id !== null && !kept.has(Number(r.story_id))).map((r) => Number(r.story_id)))];
  let storiesDeleted = 0;
  const deleted = new Set(ids);
  for (const part of chunks(touched)) {
    const gone = await trx
      .deleteFrom('stories')
      .where('id', 'in', part)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('articles').select('articles.id').whereRef('articles.story_id', '=', 'stories.id'))))
      .executeTakeFirst();
    storiesDeleted += Number(gone.numDeletedRows);
    // Stories that keep members (newer unpublished or unscored ones): their count, and a lead that was deleted.
    const at = nowIso();
    await trx
      .updateTable('stories')
      .set((eb) => ({ member_count: eb.selectFrom('articles').select(eb.fn.countAll<number>().as('n')).whereRef('articles.story_id', '=', 'stories.id'), updated_at: at }))
      .where('id', 'in', part)
      .execute();
    const leads = await trx.selectFrom('stories').select(['id', 'lead_article_id']).where('id', 'in', part).execute();
    const orphaned = leads.filter((s) => s.lead_article_id !== null && deleted.has(Number(s.lead_article_id))).map((s) => Number(s.id));
    if (orphaned.length > 0) {
      await trx
        .updateTable('stories')
        .set((eb) => ({
          lead_article_id: eb
            .selectFrom('articles')
            .select('articles.id')
            .whereRef('articles.story_id', '=', 'stories.id')
            .orderBy(sql`coalesce(articles.heat, -1)`, 'desc')
            .orderBy('articles.id')
            .limit(1),
        }))
        .where('id', 'in', orphaned)
        .execute();
    }
  }
  return { deleted: ids.length, storiesDeleted, next };
}

/** The statements whose plans the tests read: each must be served by an index, never a full scan. */
export function hotQueries(): Record<string, string> {
  return {
    stream: `select id from articles where listed = 1 order by published_at desc, id desc limit 31`,
    streamKeyset: `select id from articles where listed = 1 and (published_at, id) < ('2025-01-01T00:00:00Z', 100) order by published_at desc, id desc limit 31`,
    topicKeyset: `select article_id from article_topics where topic = 'ai' and listed = 1 and (published_at, article_id) < ('2025-01-01T00:00:00Z', 100) order by published_at desc, article_id desc limit 31`,
    topic: `select article_id from article_topics where topic = 'ai' and listed = 1 order by published_at desc, article_id desc limit 31`,
    story: `select id from articles where story_id = 7 order by id`,
    byUrl: `select id from articles where web_url = 'https://example.com/a' or original_url = 'https://example.com/a'`,
    pathKey: `select id from articles where path_key = '2025-01-01-a'`,
    bands: `select article_id from story_bands where band_key in ('a', 'b')`,
    dueSources: `select id from sources where status != 'paused' and (next_fetch_at is null or next_fetch_at <= '2025-01-01T00:00:00Z') order by next_fetch_at, id limit 100`,
    jobClaim: `select id from jobs where run_at <= '2025-01-01T00:00:00.000Z' and (locked_until is null or locked_until < '2025-01-01T00:00:00.000Z') and attempts < max_attempts order by run_at, id limit 1`,
    retentionArticles: `select id, created_at, story_id from articles where published = 0 and created_at < '2025-01-01T00:00:00Z' and (created_at, id) > ('2024-01-01T00:00:00Z', 100) order by created_at, id limit 1000`,
    retentionFetchLog: `select id from fetch_log where at < '2025-01-01T00:00:00Z' limit 5000`,
    history: `select * from score_history where article_id = 7 order by id`,
  };
}

export interface IngestAudit {
  urls: Set<string>;
  articles: number;
  unclustered: number;
  emptyStories: number;
  wrongMemberCounts: number;
  /** Documents the clustering index counted: one per article when nothing was indexed twice. */
  indexedDocuments: number;
  stories: number;
}

export async function auditIngest(store: Store): Promise<IngestAudit> {
  const rows = await store.db.selectFrom('articles').select(['web_url', 'story_id', 'cluster_features']).execute();
  const emptyStories = await sql<{ n: number }>`select count(*) as n from stories s where not exists (select 1 from articles a where a.story_id = s.id)`.execute(store.db);
  const wrongCounts = await sql<{ n: number }>`select count(*) as n from stories s where s.member_count <> (select count(*) from articles a where a.story_id = s.id)`.execute(store.db);
  const documents = await store.db.selectFrom('counters').select('value').where('name', '=', 'cluster_documents').executeTakeFirst();
  return {
    urls: new Set(rows.map((r) => r.web_url)),
    articles: rows.length,
    unclustered: rows.filter((r) => r.story_id === null || r.cluster_features === null).length,
    emptyStories: Number(emptyStories.rows[0]?.n ?? 0),
    wrongMemberCounts: Number(wrongCounts.rows[0]?.n ?? 0),
    indexedDocuments: Number(documents?.value ?? 0),
    stories: (await store.storyIds()).length,
  };
}
