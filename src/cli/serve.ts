// `newsdesk serve`: the API and site, with the in-process scheduler fetching due sources.
import type { Command } from 'commander';
import { configFrom, seedSources } from './context.ts';
import { openDesk } from '../jobs/desk.ts';
import { buildServer } from '../publish/server.ts';
import { runDueSources } from '../jobs/ingest.ts';

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the API and the site; fetch due sources in the background')
    .option('--no-worker', 'do not fetch sources in this process')
    .option('--interval <seconds>', 'how often to look for due sources', '60')
    .action(async (options: { worker: boolean; interval: string }, command: Command) => {
      const config = configFrom(command);
      const desk = await openDesk(config);
      await seedSources(desk);
      const app = await buildServer(desk);
      const address = await app.listen({ host: config.server.host, port: config.server.port });
      const url = address.replace('127.0.0.1', 'localhost');
      desk.log.info({ url, store: desk.store.dialect, demo: config.useDemo }, 'serving');
      process.stdout.write(`newsdesk: serving ${url}/ (API ${url}/api/news/)${config.useDemo ? ' in demo mode: sources replayed from demo/archive.jsonl.gz, no network' : ''}\n`);

      let timer: NodeJS.Timeout | null = null;
      let running: Promise<unknown> | null = null;
      const tick = () => {
        if (running) return;
        running = runDueSources(desk)
          .then((results) => {
            const fresh = results.reduce((n, r) => n + r.itemsNew, 0);
            if (results.length) desk.log.info({ sources: results.length, new: fresh, failed: results.filter((r) => !r.ok).length }, 'scheduler tick');
          })
          .catch((err) => desk.log.error({ err }, 'scheduler tick failed'))
          .finally(() => {
            running = null;
          });
      };
      if (options.worker) {
        tick();
        timer = setInterval(tick, Math.max(1, Number(options.interval)) * 1000);
      }
      const shutdown = async () => {
        if (timer) clearInterval(timer);
        await app.close();
        await running;
        await desk.close();
        process.exit(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
}
