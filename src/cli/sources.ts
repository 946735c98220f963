// `newsdesk sources`: list, add, remove, pause and resume sources.
import type { Command } from 'commander';
import { withDesk } from './context.ts';

export function register(program: Command): Command {
  const sources = program.command('sources').description('manage sources');
  sources
    .command('list')
    .description('list sources with their status, last error and next fetch')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withDesk(command, async (desk) => {
        const rows = await desk.store.listSources();
        if (options.json) {
          process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
          return;
        }
        for (const s of rows) {
          const error = s.lastError ? `  error: ${s.lastError}` : '';
          process.stdout.write(`${s.id}\t${s.status}\t${s.url}\t${s.name ?? ''}\tnext ${s.nextFetchAt ?? 'now'}${error}\n`);
        }
        process.stdout.write(`${rows.length} sources, ${rows.filter((s) => s.status === 'error').length} with errors\n`);
      });
    });
  sources
    .command('remove <id>')
    .description('remove a source (its stored articles stay)')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withDesk(command, async (desk) => {
        const removed = await desk.store.removeSource(Number(id));
        process.stdout.write(removed ? `removed source ${id}\n` : `no source ${id}\n`);
        if (!removed) process.exitCode = 1;
      });
    });
  for (const [name, paused] of [['pause', true], ['resume', false]] as const) {
    sources
      .command(`${name} <id>`)
      .description(`${name} fetching a source`)
      .action(async (id: string, _options: unknown, command: Command) => {
        await withDesk(command, async (desk) => {
          await desk.store.setSourcePaused(Number(id), paused);
          process.stdout.write(`${name}d source ${id}\n`);
        });
      });
  }
  return sources;
}
