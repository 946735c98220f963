// Health: live (the process answers) and ready (the store answers, its migrations are current, a
// worker's heartbeat is recent, the first load is done). `live` touches nothing shared, so it answers
// while the store is busy; `/api/health` is both, with the store's counts, 200 only when ready.
import type { FastifyInstance } from 'fastify';
import type { Desk } from '../../jobs/desk.ts';
import { liveWorkers } from '../../store/jobs.ts';
import { describeError } from '../../errors.ts';
import { errorSchema, healthSchema, liveSchema, readySchema } from './schemas.ts';

export interface Readiness {
  /** Ready needs a recent worker heartbeat (jobs run in this process or in `newsdesk worker`s). */
  requireWorker: boolean;
  /** True while this process's first load runs (the demo into an empty store). */
  loading: boolean;
}

/** A check that does not answer within this long fails: a readiness probe must not hang. */
const CHECK_TIMEOUT_MS = 2_000;

function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export interface ReadyReport {
  ready: boolean;
  reasons: string[];
  checks: {
    store: { ok: boolean; error?: string };
    migrations: { ok: boolean; pending: string[] };
    worker: { ok: boolean; required: boolean; alive: number };
    loading: { ok: boolean };
  };
}

export async function readyReport(desk: Desk, readiness: Readiness): Promise<ReadyReport> {
  const reasons: string[] = [];
  const checks: ReadyReport['checks'] = {
    store: { ok: false },
    migrations: { ok: false, pending: [] },
    worker: { ok: !readiness.requireWorker, required: readiness.requireWorker, alive: 0 },
    loading: { ok: !readiness.loading },
  };
  try {
    const [pending, workers] = await within(CHECK_TIMEOUT_MS, 'the store', Promise.all([desk.store.pendingMigrations(), liveWorkers(desk.store)]));
    checks.store.ok = true;
    checks.migrations = { ok: pending.length === 0, pending };
    if (pending.length) reasons.push(`migrations not applied: ${pending.join(', ')}`);
    checks.worker.alive = workers.length;
    if (readiness.requireWorker) {
      checks.worker.ok = workers.length > 0;
      if (!checks.worker.ok) reasons.push('no worker heartbeat in the last 30 s (start `newsdesk worker`, or `serve` without --no-worker)');
    }
  } catch (err) {
    checks.store.error = describeError(err);
    reasons.unshift(`store unavailable: ${checks.store.error}`);
  }
  if (readiness.loading) reasons.push('loading: the first ingest is still running');
  return { ready: reasons.length === 0, reasons, checks };
}

export function registerHealthRoutes(app: FastifyInstance, desk: Desk, readiness: Readiness): void {
  const startedAt = Date.now();
  app.get('/api/health/live', { schema: { response: { 200: liveSchema } } }, async () => ({ status: 'live', uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), pid: process.pid }));

  app.get('/api/health/ready', { schema: { response: { 200: readySchema, 503: readySchema } } }, async (_req, reply) => {
    const report = await readyReport(desk, readiness);
    return reply.status(report.ready ? 200 : 503).send({ status: report.ready ? 'ready' : 'not ready', ...report });
  });

  app.get('/api/health', { schema: { response: { 200: healthSchema, 503: healthSchema, 500: errorSchema } } }, async (_req, reply) => {
    const report = await readyReport(desk, readiness);
    const counts = report.checks.store.ok ? await within(CHECK_TIMEOUT_MS, 'the store', desk.store.counts()).catch(() => null) : null;
    return reply.status(report.ready ? 200 : 503).send({
      status: report.ready ? 'ok' : 'unavailable',
      live: true,
      ready: report.ready,
      reasons: report.reasons,
      articles: counts?.articles ?? null,
      published: counts?.published ?? null,
      sources: counts?.sources ?? null,
      sourcesWithErrors: counts?.sourcesWithErrors ?? null,
      stories: counts?.stories ?? null,
      store: desk.store.dialect,
      demo: desk.config.useDemo,
    });
  });
}
