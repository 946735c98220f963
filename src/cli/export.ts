// `newsdesk export`: write the publication as static files.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { withDesk } from './context.ts';
import { exportNews } from '../publish/export/jekyll.ts';

export function register(program: Command): Command {
  const exporter = program.command('export').description('write the publication as static files');
  exporter
    .command('jekyll <dir>')
    .description('write _news/YYYY-MM-DD-<slug>.md files with the reference front matter')
    .action(async (dir: string, _options: unknown, command: Command) => {
      await withDesk(command, async (desk) => {
        const count = await exportNews(desk.store, resolve(dir));
        process.stdout.write(`export jekyll: ${count} news files written to ${resolve(dir)}/_news\n`);
      });
    });
  return exporter;
}
