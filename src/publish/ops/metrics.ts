// GET /metrics in the Prometheus text format: what this process did (src/jobs/metrics.ts, the HTTP
// histogram here) and what the store holds, read at scrape time. Behind `metrics.token` when set; on
// its own listener, and absent from the main one, when `metrics.port` is set.
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Gauge, Histogram, Registry } from 'prom-client';
import type { Desk } from '../../jobs/desk.ts';
import { processRegistry } from '../../jobs/metrics.ts';
import { liveWorkers, queueStats } from '../../store/jobs.ts';
import { graphileSchemaFor } from '../../jobs/runner-graphile.ts';
import { describeError } from '../../errors.ts';

export const httpRequestDuration = new Histogram({
  name: 'newsdesk_http_request_duration_seconds',
  help: 'HTTP requests by method, route (the pattern, "unmatched" for none) and status.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.001, 0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
  registers: [processRegistry],
});

/** Times every request of the app into the HTTP histogram. */
export function registerHttpMetrics(app: FastifyInstance): void {
  app.addHook('onResponse', async (req, reply) => {
    // The route's pattern, not the URL: a label per distinct URL would grow without bound.
    httpRequestDuration.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
}

/** The store's counts as gauges, in a registry of their own made for one scrape. */
async function storeRegistry(desk: Desk): Promise<Registry> {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
  const [counts, queue, workers] = await Promise.all([
    desk.store.counts(),
    queueStats(desk.store, { graphileSchema: desk.store.dialect === 'postgres' ? graphileSchemaFor(desk) : undefined }),
    liveWorkers(desk.store),
  ]);
  gauge('newsdesk_articles_stored', 'Articles in the store.').set(counts.articles);
  gauge('newsdesk_articles_curated', 'Articles given topics and quality.').set(counts.curated);
  gauge('newsdesk_articles_published', 'Articles published by the gate or an editor.').set(counts.published);
  gauge('newsdesk_stories', 'Stories in the store.').set(counts.stories);
  const sources = gauge('newsdesk_sources', 'Sources by status.', ['status']);
  for (const [status, n] of Object.entries(counts.sourcesByStatus)) sources.set({ status }, n);
  const depth = gauge('newsdesk_queue_depth', 'Jobs waiting or running with attempts left, by kind.', ['kind']);
  for (const [kind, n] of Object.entries(queue.pendingByKind)) depth.set({ kind }, n);
  gauge('newsdesk_queue_oldest_age_seconds', 'How long the longest-waiting due job has waited past its run time.').set(queue.oldestDueSeconds);
  gauge('newsdesk_workers_alive', 'Processes running jobs whose heartbeat is recent.').set(workers.length);
  return registry;
}

export async function metricsText(desk: Desk): Promise<string> {
  return Registry.merge([processRegistry, await storeRegistry(desk)]).metrics();
}

const digest = (value: string) => createHash('sha256').update(value).digest();

function authorized(desk: Desk, req: FastifyRequest): boolean {
  const token = desk.config.metrics.token;
  if (!token) return true;
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

function route(desk: Desk) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!authorized(desk, req)) {
      return reply.status(401).header('www-authenticate', 'Bearer realm="metrics"').send({ error: { code: 'ND_UNAUTHORIZED', message: 'metrics need the configured bearer token' } });
    }
    try {
      const text = await metricsText(desk);
      return reply.type(processRegistry.contentType).send(text);
    } catch (err) {
      desk.log.error({ err: describeError(err) }, 'metrics scrape failed');
      return reply.status(503).send({ error: { code: 'ND_STORE_UNAVAILABLE', message: 'the store did not answer' } });
    }
  };
}

/** /metrics on the main listener, unless `metrics.port` gives it one of its own. */
export function registerMetricsRoute(app: FastifyInstance, desk: Desk): void {
  if (desk.config.metrics.port !== undefined) return;
  app.get('/metrics', { schema: { hide: true } }, route(desk));
}

/**
 * The listener of `metrics.port`, serving /metrics only (serve and worker start it). Null when no
 * port is configured.
 */
export async function startMetricsListener(desk: Desk): Promise<{ app: FastifyInstance; url: string } | null> {
  if (desk.config.metrics.port === undefined) return null;
  const app = Fastify({ logger: false });
  app.get('/metrics', route(desk));
  const url = await app.listen({ host: desk.config.server.host, port: desk.config.metrics.port });
  return { app, url };
}
