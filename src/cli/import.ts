// `newsdesk import everyday PATH`: move over from the reference system (everyday-cc/ai): a checkout of
// its repository, API JSON pages, or JSONL/YAML files of its records.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { withDesk } from './context.ts';
import { importEveryday } from '../collections/import.ts';
import { recomputeAllMentions } from '../collections/mentions.ts';
import { recomputeEntityHeat } from '../collections/heat.ts';
import { ENTITY_KINDS, type EntityKind } from '../collections/types.ts';
import { newsdeskError } from '../errors.ts';
import { startProgress } from './progress.ts';
import { publicBaseUrl } from '../publish/base-url.ts';

export function register(program: Command): Command {
  const group = program.command('import').description('import records from other systems');
  group
    .command('everyday <path>')
    .description('import reference-format records (front-matter files, API JSON, JSONL or YAML): news, newsletters, companies, people, events, learning, organizations, sponsorships, topics')
    .option('--kind <kind>', `the kind of records whose path does not tell (${ENTITY_KINDS.join(', ')})`)
    .action(async (path: string, options: { kind?: string }, command: Command) => {
      if (options.kind && !ENTITY_KINDS.includes(options.kind as EntityKind)) throw newsdeskError('ND_BAD_REQUEST', { reason: `--kind must be one of ${ENTITY_KINDS.join(', ')}` });
      await withDesk(command, async (desk) => {
        const bar = startProgress('import everyday: files');
        const report = await importEveryday(desk.store, resolve(path), {
          onProgress: (done, total) => bar.report(done, total),
          kind: options.kind as EntityKind | undefined,
          siteName: desk.config.siteName,
          baseUrl: publicBaseUrl(desk),
          publishThreshold: desk.config.thresholds.publish,
        });
        bar.done();
        const mentions = await recomputeAllMentions(desk.store);
        await recomputeEntityHeat(desk.store, { now: desk.now() });
        const list = (counts: Record<string, number | undefined>) => Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
        process.stdout.write(`import everyday: imported ${list(report.imported)}; skipped ${list(report.skipped)}; ${mentions.mentions} mentions in ${mentions.articles} articles\n`);
        for (const error of report.errors) process.stdout.write(`  error: ${error}\n`);
        if (report.errors.length) process.exitCode = 1;
      });
    });
  return group;
}
