// `newsdesk ingest`: fetch every due source once and exit.
import type { Command } from 'commander';
import { withDesk, seedSources } from './context.ts';
import { runDueSources } from '../jobs/ingest.ts';

export function register(program: Command): void {
  program
    .command('ingest')
    .description('fetch every due source once, store and curate new articles, then exit')
    .action(async (_options: unknown, command: Command) => {
      await withDesk(command, async (desk) => {
        await seedSources(desk);
        const results = await runDueSources(desk);
        const counts = await desk.store.counts();
        const failed = results.filter((r) => !r.ok);
        process.stdout.write(
          `ingest: ${results.length} sources fetched, ${results.reduce((n, r) => n + r.itemsNew, 0)} new articles, ${failed.length} failed; store holds ${counts.articles} articles, ${counts.published} published\n`,
        );
      });
    });
}
