// `newsdesk serve`: the API and site, with the in-process scheduler fetching due sources.
import type { Command } from 'commander';
import { configFrom, seedSources, storeInEnvSchema } from './context.ts';
import { openDesk } from '../jobs/desk.ts';
import { buildServer } from '../publish/server.ts';
import { startBackground, type Background } from '../jobs/background.ts';
import { startMetricsListener } from '../publish/ops/metrics.ts';
import type { Readiness } from '../publish/ops/health.ts';
import { describeError } from '../errors.ts';

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the API and the site; fetch due sources in the background')
    .option('--no-worker', 'run no jobs in this process (workers started with `newsdesk worker` do them)')
    .option('--interval <seconds>', 'how often to look for due sources (default: jobs.tickSeconds)')
    .action(async (options: { worker: boolean; interval?: string }, command: Command) => {
      const config = configFrom(command);
      const ownStore = await storeInEnvSchema(config);
      const desk = await openDesk(config, ownStore ? { store: ownStore } : {});
      await seedSources(desk);
      // Not ready while the first load fills an empty store (the demo): the listener answers at once,
      // /api/health/ready says why it is not ready yet.
      const empty = (await desk.store.counts()).articles === 0;
      const readiness: Readiness = { requireWorker: true, loading: options.worker && empty };
      const app = await buildServer(desk, { readiness });
      const address = await app.listen({ host: config.server.host, port: config.server.port });
      const metrics = await startMetricsListener(desk);
      if (metrics) process.stdout.write(`newsdesk: metrics at ${metrics.url}/metrics\n`);
      const url = address.replace('127.0.0.1', 'localhost');
      desk.log.info({ url, store: desk.store.dialect, demo: config.useDemo }, 'serving');
      process.stdout.write(`newsdesk: serving ${url}/ (API ${url}/api/news/)${config.useDemo ? ' in demo mode: sources replayed from demo/archive.jsonl.gz, no network' : ''}\n`);

      // Background work runs as durable jobs: in this process unless --no-worker, and in any
      // `newsdesk worker` processes sharing the store.
      let background: Background | null = null;
      if (options.worker) {
        background = await startBackground(desk, { tickMs: options.interval ? Math.max(1, Number(options.interval)) * 1000 : undefined });
        if (readiness.loading) void untilLoaded(background).then(() => {
          readiness.loading = false;
        }, (err) => desk.log.error({ err: describeError(err) }, 'first load not watched'));
      }
      const shutdown = async () => {
        await metrics?.app.close();
        await app.close();
        await background?.stop();
        await desk.close();
        await ownStore?.close();
        process.exit(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
}

/** Resolves once the first tick's work is done: no job left, twice in a row, half a second apart. */
async function untilLoaded(background: Background): Promise<void> {
  await background.tick();
  for (let idle = 0; idle < 2; ) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    idle = (await background.runner.pending()) === 0 ? idle + 1 : 0;
  }
}
