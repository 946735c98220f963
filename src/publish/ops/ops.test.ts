// The operator's side of the server, on real listeners: /metrics parsed strictly as the Prometheus
// text format, the token and the separate port, /api/openapi.json checked against real answers,
// and readiness following the worker's heartbeat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { Ajv } from 'ajv';
import { describeEachStore, postgresUnavailable } from '../../../test/helpers/stores.ts';
import { smallDeskOnFirstUse } from '../testing.ts';
import { buildServer } from '../server.ts';
import type { Desk } from '../../jobs/desk.ts';
import { parseExposition } from './exposition.ts';
import { startMetricsListener } from './metrics.ts';
import { InProcessRunner } from '../../jobs/runner-inprocess.ts';
import { enqueueJob } from '../../store/jobs.ts';
import { JOB_KINDS } from '../../jobs/kinds.ts';
import { ingestSource } from '../../jobs/ingest.ts';
import { startScheduler } from '../../jobs/scheduler.ts';
import { startBackground } from '../../jobs/background.ts';
import { createJobRunner } from '../../jobs/runner.ts';

await postgresUnavailable();

async function listening(app: FastifyInstance): Promise<string> {
  return (await app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
}

/** The same desk with other settings: the server reads `desk.config` as it builds its routes. */
function withConfig(desk: Desk, config: Partial<Desk['config']>): Desk {
  return { ...desk, config: { ...desk.config, ...config } };
}

const FAMILIES: Record<string, string> = {
  newsdesk_http_request_duration_seconds: 'histogram',
  newsdesk_jobs_total: 'counter',
  newsdesk_job_duration_seconds: 'histogram',
  newsdesk_queue_depth: 'gauge',
  newsdesk_queue_oldest_age_seconds: 'gauge',
  newsdesk_fetches_total: 'counter',
  newsdesk_articles_stored: 'gauge',
  newsdesk_articles_curated: 'gauge',
  newsdesk_articles_published: 'gauge',
  newsdesk_stories: 'gauge',
  newsdesk_sources: 'gauge',
  newsdesk_curation_duration_seconds: 'histogram',
  newsdesk_scheduler_lag_seconds: 'gauge',
  newsdesk_scheduler_ticks_total: 'counter',
  newsdesk_workers_alive: 'gauge',
  process_cpu_seconds_total: 'counter',
  process_resident_memory_bytes: 'gauge',
  nodejs_eventloop_lag_seconds: 'gauge',
};

describeEachStore('operations: metrics, OpenAPI, readiness', (fixture) => {
  const open = smallDeskOnFirstUse(() => fixture().store);

  test('/metrics is the Prometheus text format with every family, and counts what happened', async () => {
    const { desk } = await open();
    const token = 'a-scrape-token-of-some-length';
    const app = await buildServer(withConfig(desk, { metrics: { token } }));
    try {
      const base = await listening(app);
      // Work to count: a job, a fetch that fails, a scheduler tick, requests.
      await enqueueJob(desk.store, JOB_KINDS.retention, {});
      await enqueueJob(desk.store, 'no-such-kind', {}, { maxAttempts: 1 });
      await new InProcessRunner(desk, { concurrency: 1 }).runUntilIdle();
      const source = await desk.store.addSource({ url: 'https://feeds.example.org/newsdesk-demo/not-in-the-archive.xml', name: 'Missing' });
      const fetched = await ingestSource(desk, source);
      assert.equal(fetched.ok, false);
      const scheduler = startScheduler(desk, async () => {}, { intervalMs: 60_000, holder: 'metrics-test' });
      await scheduler.stop();
      // Queued through the store's own queue (graphile-worker's on PostgreSQL), as a runner would.
      const queue = createJobRunner(desk, { enqueueOnly: true });
      await queue.enqueue(JOB_KINDS.consolidateStories, {}, { runAt: new Date(Date.now() - 90_000) });
      await queue.stop();
      assert.equal((await fetch(`${base}/api/news/`)).status, 200);
      assert.equal((await fetch(`${base}/api/no/such/route`)).status, 404);

      assert.equal((await fetch(`${base}/metrics`)).status, 401, 'no token');
      assert.equal((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status, 401, 'a wrong token');
      const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/, String(response.headers.get('content-type')));
      const families = parseExposition(await response.text());
      for (const [name, type] of Object.entries(FAMILIES)) {
        const family = families.get(name);
        assert.ok(family, `family ${name} is exposed`);
        assert.equal(family.type, type, `${name} is a ${type}`);
        assert.ok(family.help, `${name} has HELP`);
      }
      const sample = (name: string, labels: Record<string, string> = {}) =>
        [...families.values()].flatMap((f) => f.samples).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
      const counts = await desk.store.counts();
      assert.equal(sample('newsdesk_articles_stored')?.value, counts.articles);
      assert.equal(sample('newsdesk_articles_published')?.value, counts.published);
      assert.equal(sample('newsdesk_stories')?.value, counts.stories);
      assert.ok(counts.articles > 0 && counts.published > 0 && counts.curated > 0);
      assert.ok((sample('newsdesk_jobs_total', { kind: JOB_KINDS.retention, outcome: 'completed' })?.value ?? 0) >= 1);
      assert.ok((sample('newsdesk_jobs_total', { kind: 'no-such-kind', outcome: 'failed' })?.value ?? 0) >= 1);
      assert.ok((sample('newsdesk_fetches_total', { outcome: 'failed' })?.value ?? 0) >= 1);
      assert.ok(sample('newsdesk_http_request_duration_seconds_count', { route: '/api/news/', status: '200', method: 'GET' }), 'requests by route pattern');
      assert.ok(sample('newsdesk_http_request_duration_seconds_count', { route: 'unmatched', status: '404' }), 'unmatched requests in one series');
      assert.equal(sample('newsdesk_queue_depth', { kind: JOB_KINDS.consolidateStories })?.value, 1);
      assert.ok((sample('newsdesk_queue_oldest_age_seconds')?.value ?? 0) >= 89, 'the job due 90 s ago has waited that long');
      assert.ok((sample('newsdesk_scheduler_ticks_total', { outcome: 'ran' })?.value ?? 0) >= 1);
    } finally {
      await app.close();
    }
  });

  test('metrics.port serves /metrics on its own listener, and the main listener answers 404', async () => {
    const { desk } = await open();
    const separate = withConfig(desk, { metrics: { port: 0 }, server: { host: '127.0.0.1', port: 0 } });
    const app = await buildServer(separate);
    const metrics = await startMetricsListener(separate);
    try {
      const base = await listening(app);
      assert.equal((await fetch(`${base}/metrics`)).status, 404);
      assert.ok(metrics);
      const response = await fetch(`${metrics.url.replace('localhost', '127.0.0.1')}/metrics`);
      assert.equal(response.status, 200);
      assert.ok(parseExposition(await response.text()).has('newsdesk_articles_stored'));
    } finally {
      await metrics?.app.close();
      await app.close();
    }
  });

  test('/api/openapi.json is OpenAPI 3, and every GET route without parameters answers what it declares', async () => {
    const { app } = await open();
    const base = await listening(app);
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { parameters?: Array<{ in: string; required?: boolean }>; responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
    };
    assert.match(doc.openapi, /^3\.\d+\.\d+$/);
    const paths = Object.keys(doc.paths);
    for (const expected of ['/api/health', '/api/health/live', '/api/health/ready', '/api/news/', '/api/news/item/{key}/', '/api/sources/', '/api/events/', '/api/newsletters/']) {
      assert.ok(paths.includes(expected), `${expected} is documented`);
    }
    assert.ok(!paths.some((p) => p.startsWith('/api/greader') || p === '/metrics' || !p.startsWith('/api/')), 'only the JSON API');
    const ajv = new Ajv({ strict: false, allErrors: true });
    let checked = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        assert.ok(Object.keys(operation.responses ?? {}).some((status) => /^2\d\d$/.test(status)), `${method} ${path} declares a 2xx answer`);
        if (method !== 'get' || (operation.parameters ?? []).some((p) => p.required)) continue;
        const response = await fetch(base + path);
        const declared = operation.responses[String(response.status)]?.content?.['application/json']?.schema;
        assert.ok(declared, `${path} answered ${response.status}, which it declares`);
        const body = await response.json();
        const validate = ajv.compile(declared);
        assert.ok(validate(body), `${path}: ${ajv.errorsText(validate.errors)}`);
        checked++;
      }
    }
    assert.ok(checked >= 9, `${checked} routes called and checked`);
    // A route with parameters, filled from a listed item: its answer matches its schema too.
    const first = ((await (await fetch(`${base}/api/news/`)).json()) as { value: Array<{ path: string }> }).value[0]!;
    const item = await fetch(`${base}/api/news/item/${first.path.slice('_news/'.length, -'.md'.length)}/`);
    assert.equal(item.status, 200);
    const itemSchema = doc.paths['/api/news/item/{key}/']!.get!.responses['200']!.content!['application/json']!.schema;
    const validate = ajv.compile(itemSchema);
    assert.ok(validate(await item.json()), ajv.errorsText(validate.errors));
  });

  test('ready needs a worker heartbeat when told so; live does not', async () => {
    const { desk } = await open();
    const readiness = { requireWorker: true, loading: true };
    const app = await buildServer(desk, { readiness });
    try {
      const base = await listening(app);
      const live = await fetch(`${base}/api/health/live`);
      assert.equal(live.status, 200);
      assert.equal(((await live.json()) as { status: string }).status, 'live');
      let ready = await fetch(`${base}/api/health/ready`);
      assert.equal(ready.status, 503);
      const reasons = ((await ready.json()) as { reasons: string[] }).reasons;
      assert.ok(reasons.some((r) => r.startsWith('no worker heartbeat')), reasons.join('; '));
      assert.ok(reasons.some((r) => r.startsWith('loading')), reasons.join('; '));
      const health = await fetch(`${base}/api/health`);
      assert.equal(health.status, 503);
      assert.equal(((await health.json()) as { ready: boolean }).ready, false);

      readiness.loading = false;
      const background = await startBackground(desk, { scheduler: false, tickMs: 60_000 });
      try {
        ready = await fetch(`${base}/api/health/ready`);
        const body = (await ready.json()) as { ready: boolean; checks: { worker: { alive: number }; migrations: { pending: string[] } } };
        assert.equal(ready.status, 200, JSON.stringify(body));
        assert.ok(body.checks.worker.alive >= 1);
        assert.deepEqual(body.checks.migrations.pending, []);
        assert.equal((await fetch(`${base}/api/health`)).status, 200);
      } finally {
        await background.stop();
      }
      assert.equal((await fetch(`${base}/api/health/ready`)).status, 503, 'a worker that stopped takes its heartbeat with it');
    } finally {
      await app.close();
    }
  });
});

test('the exposition reader refuses what Prometheus would refuse', () => {
  const ok = '# HELP a_seconds A histogram.\n# TYPE a_seconds histogram\na_seconds_bucket{le="1"} 1\na_seconds_bucket{le="+Inf"} 2\na_seconds_sum 3.5\na_seconds_count 2\n';
  assert.equal(parseExposition(ok).get('a_seconds')?.samples.length, 4);
  const bad = [
    ok.replace('a_seconds_count 2', 'a_seconds_count 3'), // +Inf differs from _count
    ok.replace('{le="+Inf"} 2', '{le="+Inf"} 0'), // not cumulative
    ok.replace('a_seconds_bucket{le="+Inf"} 2\n', ''), // no +Inf
    '# TYPE b counter\nb{x="1} 1\n', // unterminated label value
    '# TYPE b counter\nb{1x="1"} 1\n', // bad label name
    '# TYPE b counter\nb 1 2 3\n', // extra field
    '# TYPE b counter\nb one\n', // not a number
    '# TYPE b counter\nb 1', // no final newline
    '# TYPE b gauge\nb 1\n# TYPE b gauge\n', // TYPE after samples
    '# TYPE b counter\n# TYPE c gauge\nb 1\nc 1\nb{x="2"} 1\n', // a family's samples apart
    '# TYPE b wobble\nb 1\n', // unknown type
  ];
  for (const text of bad) assert.throws(() => parseExposition(text), Error, JSON.stringify(text));
});

test('the exposition reader takes NaN and Inf in any case, as Prometheus does (prom-client writes `Nan`)', () => {
  const families = parseExposition('# TYPE lag gauge\nlag Nan\n# TYPE top gauge\ntop +inf\n');
  assert.ok(Number.isNaN(families.get('lag')!.samples[0]!.value));
  assert.equal(families.get('top')!.samples[0]!.value, Infinity);
  assert.throws(() => parseExposition('# TYPE lag gauge\nlag nanx\n'), /not a number/);
});
