// The scheduler: every tick, queue a fetch job for each due source and a consolidation pass, and the
// retention job once in a while. Any number of processes run it; a lease in the store lets one tick run at a time, and the
// process that holds the lease keeps it while it stays alive.
import { randomBytes } from 'node:crypto';
import type { Desk } from './desk.ts';
import { acquireLease, claimDueSource, leaseHolder, releaseLease } from '../store/jobs.ts';
import { isDeadLocalHolder } from './leases.ts';
import { JOB_KINDS, jobKeys, queueConsolidation, type Enqueue } from './kinds.ts';
import { describeError } from '../errors.ts';
import { schedulerLag, schedulerTicks } from './metrics.ts';

const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface SchedulerOptions {
  /** Between ticks. */
  intervalMs: number;
  holder: string;
  /** A queued source is not queued again for this long unless its fetch job reschedules it. Default 15 min. */
  holdMs?: number;
  /** How often retention runs. Default 6 h. */
  retentionEveryMs?: number;
}

export interface TickResult {
  /** False when another process holds the tick. */
  ran: boolean;
  queued: number;
  retention: boolean;
}

/**
 * Takes or renews the tick's lease. The lease outlives the interval a little, so a live holder renews
 * it before anyone else may take it; a holder that was a process of this machine and is gone (killed
 * with -9) frees it at once, as the curation lock does, rather than some two intervals later.
 */
async function takeSchedulerLease(desk: Desk, options: SchedulerOptions): Promise<boolean> {
  const ttlMs = options.intervalMs * 2;
  if (await acquireLease(desk.store, SCHEDULER_LEASE, options.holder, ttlMs)) return true;
  const current = await leaseHolder(desk.store, SCHEDULER_LEASE);
  if (!current || !isDeadLocalHolder(current)) return false;
  await releaseLease(desk.store, SCHEDULER_LEASE, current);
  return acquireLease(desk.store, SCHEDULER_LEASE, options.holder, ttlMs);
}

const SCHEDULER_LEASE = 'scheduler';

export async function schedulerTick(desk: Desk, enqueue: Enqueue, options: SchedulerOptions): Promise<TickResult> {
  if (!(await takeSchedulerLease(desk, options))) return { ran: false, queued: 0, retention: false };
  const now = desk.now();
  const nowText = isoSeconds(now);
  const holdUntil = isoSeconds(new Date(now.getTime() + (options.holdMs ?? 15 * 60_000)));
  let queued = 0;
  for (;;) {
    const due = await desk.store.dueSources(nowText, 200);
    if (due.length === 0) break;
    for (const source of due) {
      // Taking the source first means a second scheduler (after a lease hand-over) cannot queue it too.
      if (!(await claimDueSource(desk.store, source.id, nowText, holdUntil))) continue;
      await enqueue(JOB_KINDS.fetchSource, { sourceId: source.id }, { key: jobKeys.fetchSource(source.id) });
      queued++;
    }
    if (due.length < 200) break;
  }
  // Curation queues the pass; this catches what a crash or a lost enqueue left waiting.
  await queueConsolidation(enqueue, 0);
  // Retention's lease is never renewed (a fresh holder each time): it is free again once per period.
  const retention = await acquireLease(desk.store, 'retention-period', randomBytes(6).toString('hex'), options.retentionEveryMs ?? 6 * 3600_000);
  if (retention) await enqueue(JOB_KINDS.retention, {}, { key: jobKeys.retention() });
  return { ran: true, queued, retention };
}

/** Ticks every `intervalMs` until stopped; a tick never overlaps the previous one. */
export function startScheduler(desk: Desk, enqueue: Enqueue, options: SchedulerOptions): { stop(): Promise<void>; tick(): Promise<TickResult | null> } {
  let running: Promise<TickResult | null> | null = null;
  // Lag: from when a tick was due (the timer's planned time) to when one started. A tick still
  // running when the next is due makes the next one late; so does a blocked event loop.
  const startedAt = Date.now();
  let dueSince: number | null = startedAt;
  const tick = () => {
    if (running === null) {
      schedulerLag.set(Math.max(0, (Date.now() - (dueSince ?? Date.now())) / 1000));
      dueSince = null;
    }
    running ??= schedulerTick(desk, enqueue, options)
      .then((result) => {
        schedulerTicks.inc({ outcome: result.ran ? 'ran' : 'skipped' });
        if (result.queued || result.retention) desk.log.debug(result, 'scheduler tick');
        return result;
      })
      .catch((err) => {
        schedulerTicks.inc({ outcome: 'failed' });
        desk.log.error({ err: describeError(err) }, 'scheduler tick failed');
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  void tick();
  let fired = 0;
  const timer = setInterval(() => {
    fired++;
    dueSince ??= startedAt + fired * options.intervalMs;
    void tick();
  }, options.intervalMs);
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
