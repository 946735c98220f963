// `newsdesk serve`: the API and site, with the in-process scheduler fetching due sources.
import type { Command } from 'commander';
import { configFrom, seedSources } from './context.ts';
import { openDesk } from '../jobs/desk.ts';
import { buildServer } from '../publish/server.ts';
import { startBackground, type Background } from '../jobs/background.ts';

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the API and the site; fetch due sources in the background')
    .option('--no-worker', 'run no jobs in this process (workers started with `newsdesk worker` do them)')
    .option('--interval <seconds>', 'how often to look for due sources (default: jobs.tickSeconds)')
    .action(async (options: { worker: boolean; interval?: string }, command: Command) => {
      const config = configFrom(command);
      const desk = await openDesk(config);
      await seedSources(desk);
      const app = await buildServer(desk);
      const address = await app.listen({ host: config.server.host, port: config.server.port });
      const url = address.replace('127.0.0.1', 'localhost');
      desk.log.info({ url, store: desk.store.dialect, demo: config.useDemo }, 'serving');
      process.stdout.write(`newsdesk: serving ${url}/ (API ${url}/api/news/)${config.useDemo ? ' in demo mode: sources replayed from demo/archive.jsonl.gz, no network' : ''}\n`);

      // Background work runs as durable jobs: in this process unless --no-worker, and in any
      // `newsdesk worker` processes sharing the store.
      let background: Background | null = null;
      if (options.worker) {
        background = await startBackground(desk, { tickMs: options.interval ? Math.max(1, Number(options.interval)) * 1000 : undefined });
      }
      const shutdown = async () => {
        await app.close();
        await background?.stop();
        await desk.close();
        process.exit(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
}
