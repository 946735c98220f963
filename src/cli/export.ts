// `newsdesk export`: write the publication as static files.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { withDesk } from './context.ts';
import { exportJekyll } from '../publish/export/jekyll.ts';
import { exportHugo } from '../publish/export/hugo.ts';
import { computeMentions } from '../collections/mentions.ts';
import { startProgress } from './progress.ts';

export function register(program: Command): Command {
  const exporter = program.command('export').description('write the publication as static files');
  exporter
    .command('jekyll <dir>')
    .description('write the reference layout: _news, _newsletters, _companies, _people, _events, _learning, _data and api/')
    .action(async (dir: string, _options: unknown, command: Command) => {
      await withDesk(command, async (desk) => {
        await computeMentions(desk.store);
        const bar = startProgress('export jekyll: news');
        const report = await exportJekyll(desk, resolve(dir), { onProgress: (done, total) => bar.report(done, total) });
        bar.done();
        const entities = Object.entries(report.entities).map(([k, n]) => `${n} ${k}`).join(', ') || 'no collections';
        process.stdout.write(
          `export jekyll: ${report.news} news, ${report.newsletters} newsletters, ${entities}, ${report.topics} topics, ${report.organizations} organizations, ${report.apiFiles} API files, ${report.feeds} feeds written to ${resolve(dir)}\n`,
        );
      });
    });
  exporter
    .command('hugo <dir>')
    .description('write a Hugo site (config, layouts and content) that `hugo --source DIR` builds')
    .action(async (dir: string, _options: unknown, command: Command) => {
      await withDesk(command, async (desk) => {
        const report = await exportHugo(desk, resolve(dir));
        process.stdout.write(
          `export hugo: ${report.pages} content pages (${report.news} news, ${report.stories} stories, ${report.newsletters} newsletters, ${report.entities} collection entries) and ${report.topics} topic pages written to ${resolve(dir)} with the newsdesk theme; build with: hugo --source ${resolve(dir)}\n`,
        );
      });
    });
  return exporter;
}
