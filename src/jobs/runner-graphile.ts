// The PostgreSQL job runner: graphile-worker, in its own schema beside the store's. Any number of
// processes on any number of machines run it; graphile-worker hands each job to one of them.
// A worker killed with its jobs locked: graphile-worker alone would free them after four hours, so
// each worker keeps a heartbeat lease in the store, and any worker that sees a heartbeat expire
// unlocks the dead worker's jobs at once.
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { run, makeWorkerUtils, type Runner, type WorkerUtils, type TaskList, type Logger as GraphileLogger } from 'graphile-worker';
import { Logger as GraphileLoggerClass } from 'graphile-worker';
import type { Desk } from './desk.ts';
import type { JobRunner } from './runner-inprocess.ts';
import { jobHandlers, type Enqueue } from './kinds.ts';
import { acquireLease, deleteLease, leasesByPrefix } from '../store/jobs.ts';
import { processHolderId, storeLock } from './leases.ts';
import { describeError, newsdeskError } from '../errors.ts';
import { statementTally } from '../store/query-profile.ts';
import { measuredJob } from './metrics.ts';

export interface GraphileRunnerOptions {
  concurrency?: number;
  /** How often a worker proves it is alive; its jobs are freed after three missed beats. Default 10 s. */
  heartbeatMs?: number;
  /** Polling for future-dated jobs (new jobs arrive by LISTEN/NOTIFY at once). Default 1000 ms. */
  pollInterval?: number;
  /** Only queue jobs, run none (`serve --no-worker`). */
  enqueueOnly?: boolean;
}

const HEARTBEAT_PREFIX = 'gw-pool:';

/** graphile-worker's schema for a store: beside the store's own schema, so tests and desks stay apart. */
export function graphileSchemaFor(desk: Desk): string {
  return desk.store.schema ? `${desk.store.schema}_jobs` : 'graphile_worker';
}

function graphileLogger(desk: Desk): GraphileLogger {
  const log = desk.log.child({ component: 'graphile-worker' });
  return new GraphileLoggerClass(() => (level, message, meta) => {
    if (level === 'error') log.error(meta ?? {}, message);
    else if (level === 'warning') log.warn(meta ?? {}, message);
    else log.debug(meta ?? {}, message);
  });
}

export class GraphileRunner implements JobRunner {
  readonly workerId = processHolderId();
  private runner: Runner | null = null;
  private utils: WorkerUtils | null = null;
  private pool: pg.Pool;
  private readonly schema: string;
  /** Ids of this process's live graphile-worker pools: the `locked_by` of the jobs they run. */
  private readonly poolIds = new Set<string>();
  private heartbeat: NodeJS.Timeout | null = null;
  private stopping = false;
  private readonly heartbeatMs: number;

  constructor(
    private readonly desk: Desk,
    private readonly options: GraphileRunnerOptions = {},
  ) {
    if (desk.store.dialect !== 'postgres') throw newsdeskError('ND_JOB_RUNNER_STORE', { runner: 'graphile-worker', needs: 'a PostgreSQL store' });
    this.schema = graphileSchemaFor(desk);
    this.heartbeatMs = options.heartbeatMs ?? 10_000;
    this.pool = new pg.Pool({ connectionString: desk.store.location, max: Math.max(4, (options.concurrency ?? desk.config.jobs.concurrency) + 3) });
    // A connection dropped by the server (restart, fail-over) must not take the process down; the pool reconnects.
    this.pool.on('error', (err) => desk.log.warn({ err: describeError(err) }, 'job queue connection lost'));
    this.pool.on('connect', (client) => client.on('error', (err) => desk.log.warn({ err: describeError(err) }, 'job queue connection lost')));
    profileQueueStatements(this.pool);
  }

  private async workerUtils(): Promise<WorkerUtils> {
    if (!this.utils) {
      const utils = await makeWorkerUtils({ pgPool: this.pool, schema: this.schema, logger: graphileLogger(this.desk) });
      // One process migrates at a time: a migration another process applies while this one's pool
      // runs makes graphile-worker shut that pool down (it announces breaking migrations).
      await storeLock(this.desk.store, 'graphile-worker-migrate').run(() => utils.migrate());
      this.utils = utils;
    }
    return this.utils;
  }

  enqueue: Enqueue = async (kind, payload, options = {}) => {
    const utils = await this.workerUtils();
    await utils.addJob(kind, (payload ?? {}) as object, {
      ...(options.key ? { jobKey: options.key, ...(options.preserveRunAt ? { jobKeyMode: 'preserve_run_at' as const } : {}) } : {}),
      ...(options.runAt ? { runAt: options.runAt } : {}),
      maxAttempts: options.maxAttempts ?? 5,
    });
  };

  async start(): Promise<void> {
    await this.workerUtils();
    if (this.options.enqueueOnly) return;
    const taskList: TaskList = {};
    for (const [kind, handler] of jobHandlers()) {
      taskList[kind] = async (payload, helpers) => {
        const log = this.desk.log.child({ job: kind, job_id: helpers.job.id, attempt: helpers.job.attempts });
        try {
          await measuredJob(kind, () => handler(payload, { desk: this.desk, enqueue: this.enqueue, log, attempt: helpers.job.attempts, signal: helpers.abortSignal, queued: (kinds) => this.queued(kinds, String(helpers.job.id)) }));
        } catch (err) {
          log.warn({ err: describeError(err) }, 'job failed');
          throw err;
        }
      };
    }
    await this.recoverDeadWorkers();
    await this.startPool(taskList);
    this.heartbeat = setInterval(() => {
      void this.beat()
        .then(() => this.recoverDeadWorkers())
        .catch((err) => this.desk.log.warn({ err: describeError(err) }, 'worker heartbeat failed'));
    }, this.heartbeatMs);
  }

  /**
   * Starts a graphile-worker pool. The pool shuts itself down on errors it cannot recover from (a
   * job it could not mark complete, a worker that died); a process that stayed up without it would
   * keep its heartbeat and do nothing, so a new pool replaces it.
   */
  private async startPool(taskList: TaskList): Promise<void> {
    const events = new EventEmitter();
    // graphile-worker 0.17 locks the jobs a pool takes with the pool's id: that is what the heartbeat names.
    let poolId: string | null = null;
    events.on('pool:create', ({ workerPool }: { workerPool: { id: string } }) => {
      poolId = workerPool.id;
      this.poolIds.add(workerPool.id);
      void this.beat();
    });
    const concurrency = this.options.concurrency ?? this.desk.config.jobs.concurrency;
    const runner = await run({
      pgPool: this.pool,
      schema: this.schema,
      concurrency,
      // Jobs taken a few at a time and their completions written together: in a burst, the queue's
      // statements were a fifth of an article's. A worker killed with jobs taken or completions
      // unwritten has them freed by the heartbeat (below), and they run again (handlers are idempotent).
      preset: { worker: { localQueue: { size: concurrency + 1 }, completeJobBatchDelay: 20 } },
      pollInterval: this.options.pollInterval ?? 1000,
      noHandleSignals: true,
      taskList,
      events,
      logger: graphileLogger(this.desk),
    });
    this.runner = runner;
    const ended = (err?: unknown) => {
      if (this.stopping || this.runner !== runner) return;
      this.desk.log.error({ err: err ? describeError(err) : 'ended' }, 'job queue pool stopped unexpectedly; starting a new one');
      // The stopped pool is gone: jobs it still holds are freed now, and its heartbeat goes.
      if (poolId) {
        const dead = poolId;
        this.poolIds.delete(dead);
        void this.workerUtils()
          .then((utils) => utils.forceUnlockWorkers([dead]))
          .then(() => deleteLease(this.desk.store, `${HEARTBEAT_PREFIX}${dead}`))
          .catch((err) => this.desk.log.warn({ err: describeError(err) }, 'could not free the stopped pool\'s jobs'));
      }
      setTimeout(() => {
        if (this.stopping) return;
        this.startPool(taskList).catch((startErr) => this.desk.log.error({ err: describeError(startErr) }, 'job queue pool could not restart'));
      }, 1000);
    };
    runner.promise.then(() => ended(), ended);
  }

  private async beat(): Promise<void> {
    for (const id of this.poolIds) await acquireLease(this.desk.store, `${HEARTBEAT_PREFIX}${id}`, this.workerId, this.heartbeatMs * 3);
  }

  /** Frees the jobs of workers whose heartbeat has expired: they were killed or lost their machine. */
  async recoverDeadWorkers(): Promise<string[]> {
    const now = Date.now();
    const dead = (await leasesByPrefix(this.desk.store, HEARTBEAT_PREFIX))
      .filter((lease) => lease.expiresAt <= now)
      .map((lease) => lease.name.slice(HEARTBEAT_PREFIX.length))
      .filter((id) => !this.poolIds.has(id));
    if (dead.length === 0) return [];
    const utils = await this.workerUtils();
    await utils.forceUnlockWorkers(dead);
    for (const id of dead) await deleteLease(this.desk.store, `${HEARTBEAT_PREFIX}${id}`);
    this.desk.log.warn({ workers: dead }, 'unlocked jobs of dead workers');
    return dead;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    if (this.runner) await this.runner.stop().catch((err) => this.desk.log.warn({ err: describeError(err) }, 'job queue pool stop failed'));
    this.runner = null;
    // A clean stop leaves no jobs locked; its heartbeats go so nobody takes it for dead.
    for (const id of this.poolIds) await deleteLease(this.desk.store, `${HEARTBEAT_PREFIX}${id}`).catch(() => {});
    this.poolIds.clear();
    if (this.utils) await this.utils.release();
    this.utils = null;
    await this.pool.end();
  }

  /** Jobs of these kinds with attempts left, one job aside. */
  async queued(kinds: readonly string[], except: string): Promise<number> {
    const result = await this.pool.query(`select count(*)::int as n from "${this.schema}".jobs where attempts < max_attempts and task_identifier = any($1) and id <> $2`, [kinds, except]);
    return Number(result.rows[0]?.n ?? 0);
  }

  async pending(): Promise<number> {
    const result = await this.pool.query(`select count(*)::int as n from "${this.schema}".jobs where attempts < max_attempts`);
    return Number(result.rows[0]?.n ?? 0);
  }
}

/** With NEWSDESK_QUERY_PROFILE, the job queue's statements are tallied too (under `queue`), timed from send to answer. */
function profileQueueStatements(pool: pg.Pool): void {
  const tally = statementTally('queue');
  if (!tally) return;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      const text = typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? '');
      const started = performance.now();
      const result = query(...args);
      if (result instanceof Promise) void result.then(() => tally(text, performance.now() - started), () => tally(text, performance.now() - started));
      else tally(text, 0);
      return result;
    };
  });
}
