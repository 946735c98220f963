// The in-process job runner: the durable `jobs` table in the store, polled by a few concurrent
// loops. Jobs survive a restart; a job whose worker died is taken again when its lock expires, or at
// once when a runner on the same machine sees that the process holding it is gone.
import type { Desk } from './desk.ts';
import { claimJob, completeJob, enqueueJob, extendJobLock, failJob, jobLockHolders, nextFreshJobAt, queueCounts, queuedJobs, releaseJobsOf, type EnqueueOptions } from '../store/jobs.ts';
import { jobHandlers, type Enqueue } from './kinds.ts';
import { isDeadLocalHolder, processHolderId } from './leases.ts';
import { describeError, newsdeskError } from '../errors.ts';
import { measuredJob } from './metrics.ts';

export interface JobRunner {
  /** Queues a job (durably) for any runner on this store. */
  enqueue: Enqueue;
  start(): Promise<void>;
  /** Stops taking jobs and waits for the running ones. */
  stop(): Promise<void>;
  /** Jobs waiting or running, with attempts left. */
  pending(): Promise<number>;
  readonly workerId: string;
}

/** `runUntilIdle` waits for jobs queued to start within this long. */
const IDLE_HORIZON_MS = 5_000;

export interface InProcessRunnerOptions {
  concurrency?: number;
  /** How often an idle loop looks for work. Default 200 ms. */
  pollMs?: number;
  /** A job's lock: another runner may take it after this long without a heartbeat. Default 120 s. */
  lockMs?: number;
  workerId?: string;
}

/** Delay before retry n (1-based): 2 s, 4 s, 8 s ... up to 10 min. */
export function retryDelayMs(attempt: number): number {
  return Math.min(600_000, 1000 * 2 ** Math.max(1, attempt));
}

export class InProcessRunner implements JobRunner {
  readonly workerId: string;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly lockMs: number;
  private loops: Promise<void>[] = [];
  private stopping = false;
  private readonly abort = new AbortController();
  private wake: Array<() => void> = [];

  constructor(
    private readonly desk: Desk,
    options: InProcessRunnerOptions = {},
  ) {
    this.workerId = options.workerId ?? processHolderId();
    this.concurrency = Math.max(1, options.concurrency ?? desk.config.jobs.concurrency);
    this.pollMs = options.pollMs ?? 200;
    this.lockMs = options.lockMs ?? 120_000;
  }

  enqueue: Enqueue = async (kind, payload, options?: EnqueueOptions) => {
    await enqueueJob(this.desk.store, kind, payload, options);
    for (const wake of this.wake.splice(0)) wake();
  };

  async start(): Promise<void> {
    await this.releaseJobsOfDeadProcesses();
    this.stopping = false;
    this.loops = Array.from({ length: this.concurrency }, () => this.loop());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    for (const wake of this.wake.splice(0)) wake();
    await Promise.all(this.loops);
    this.loops = [];
  }

  async pending(): Promise<number> {
    return (await queueCounts(this.desk.store)).pending;
  }

  /** Runs jobs until none is due; for one-shot commands and tests. */
  async runUntilIdle(): Promise<void> {
    await this.releaseJobsOfDeadProcesses();
    const drain = async () => {
      while (await this.runOne());
    };
    // Several loops at once, as `start` would; a loop that finds nothing ends, and the drain repeats
    // while another loop may still be queueing follow-up jobs.
    for (;;) {
      await Promise.all(Array.from({ length: this.concurrency }, drain));
      if (await this.runOne()) continue;
      // A job queued to run in a moment (the consolidation pass waits a second for a burst to end)
      // is part of the work; retries after a failure are not.
      const next = await nextFreshJobAt(this.desk.store);
      if (next === null || next.getTime() - Date.now() > IDLE_HORIZON_MS) return;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next.getTime() - Date.now()) + 5));
    }
  }

  /** Jobs held by processes of this machine that are no longer running (a kill -9, a crash). */
  private async releaseJobsOfDeadProcesses(): Promise<void> {
    const dead = (await jobLockHolders(this.desk.store)).filter(isDeadLocalHolder);
    const released = await releaseJobsOf(this.desk.store, dead);
    if (released) this.desk.log.warn({ released, holders: dead }, 'released jobs of dead workers');
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let ran = false;
      try {
        ran = await this.runOne();
      } catch (err) {
        this.desk.log.error({ err: describeError(err) }, 'job runner loop failed');
      }
      // On SQLite every statement completes synchronously, so a job whose other waits are in memory
      // too (the demo's replayed feeds) is one chain of microtasks: loops going from job to job
      // without a macrotask between them never let the event loop read a socket. The server in the
      // same process could not answer until the whole burst was done (about 14 s for the demo).
      if (ran) await new Promise<void>((resolve) => setImmediate(resolve));
      if (!ran && !this.stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollMs);
          this.wake.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    }
  }

  /** Claims and runs one job; false when none was due. */
  async runOne(): Promise<boolean> {
    const job = await claimJob(this.desk.store, this.workerId, { lockMs: this.lockMs });
    if (!job) return false;
    const log = this.desk.log.child({ job: job.kind, job_id: job.id, attempt: job.attempt });
    const handler = jobHandlers().get(job.kind);
    const heartbeat = setInterval(() => void extendJobLock(this.desk.store, job.id, this.workerId, this.lockMs).catch(() => {}), this.lockMs / 3);
    try {
      await measuredJob(job.kind, async () => {
        if (!handler) throw newsdeskError('ND_JOB_UNKNOWN_KIND', { kind: job.kind });
        await handler(job.payload, { desk: this.desk, enqueue: this.enqueue, log, attempt: job.attempt, signal: this.abort.signal, queued: (kinds) => queuedJobs(this.desk.store, kinds, job.id) });
      });
      await completeJob(this.desk.store, job.id, this.workerId);
    } catch (err) {
      const message = describeError(err);
      log.warn({ err: message, final: job.attempt >= job.maxAttempts }, 'job failed');
      await failJob(this.desk.store, job.id, this.workerId, message, new Date(Date.now() + retryDelayMs(job.attempt)));
    } finally {
      clearInterval(heartbeat);
    }
    return true;
  }
}
