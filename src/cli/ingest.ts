// `newsdesk ingest`: fetch every due source once and exit.
import type { Command } from 'commander';
import { withDesk, seedSources } from './context.ts';
import { runDueSources } from '../jobs/ingest.ts';
import { startProgress } from './progress.ts';

export function register(program: Command): void {
  program
    .command('ingest')
    .description('fetch every due source once, store and curate new articles, then exit')
    .action(async (_options: unknown, command: Command) => {
      await withDesk(command, async (desk) => {
        await seedSources(desk);
        const started = Date.now();
        const bar = startProgress('ingest: sources');
        const results = await runDueSources(desk, { onProgress: (done, total) => bar.report(done, total) });
        bar.done();
        const counts = await desk.store.counts();
        const failed = results.filter((r) => !r.ok);
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        process.stdout.write(
          `ingest: ${results.length} sources fetched, ${results.reduce((n, r) => n + r.itemsNew, 0)} new articles, ${failed.length} failed in ${seconds} s; store holds ${counts.articles} articles, ${counts.published} published\n`,
        );
      });
    });
}
