// What this process has done, for Prometheus: jobs, fetches, curation time, scheduler lag, and the
// Node process itself. One registry per process (every desk and server in it adds to the same
// counters); counts that live in the store are read at scrape time by src/publish/ops/metrics.ts.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });

export const jobsTotal = new Counter({
  name: 'newsdesk_jobs_total',
  help: 'Jobs run by this process, by kind and outcome (completed, failed).',
  labelNames: ['kind', 'outcome'] as const,
  registers: [processRegistry],
});

export const jobDuration = new Histogram({
  name: 'newsdesk_job_duration_seconds',
  help: 'Time a job took, by kind.',
  labelNames: ['kind'] as const,
  buckets: [0.005, 0.02, 0.1, 0.5, 1, 5, 15, 60, 300],
  registers: [processRegistry],
});

export const fetchesTotal = new Counter({
  name: 'newsdesk_fetches_total',
  help: 'Feed fetches by outcome (ok, not_modified, failed) and error code (none when not failed).',
  labelNames: ['outcome', 'code'] as const,
  registers: [processRegistry],
});

export const curationDuration = new Histogram({
  name: 'newsdesk_curation_duration_seconds',
  help: 'Time to curate one article: topics, quality, its first story.',
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
  registers: [processRegistry],
});

export const schedulerLag = new Gauge({
  name: 'newsdesk_scheduler_lag_seconds',
  help: 'How late the last scheduler tick started after it was due (a busy event loop or a long tick).',
  registers: [processRegistry],
});

export const schedulerTicks = new Counter({
  name: 'newsdesk_scheduler_ticks_total',
  help: 'Scheduler ticks by outcome (ran, skipped: another process held the tick, failed).',
  labelNames: ['outcome'] as const,
  registers: [processRegistry],
});

/** Times a job and counts its outcome; the runners call this around every handler. */
export async function measuredJob<T>(kind: string, run: () => Promise<T>): Promise<T> {
  const end = jobDuration.startTimer({ kind });
  try {
    const value = await run();
    jobsTotal.inc({ kind, outcome: 'completed' });
    return value;
  } catch (err) {
    jobsTotal.inc({ kind, outcome: 'failed' });
    throw err;
  } finally {
    end();
  }
}
