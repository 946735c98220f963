// `newsdesk sources`: list, add, remove, pause and resume sources.
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { withDesk } from './context.ts';
import { DEMO_PATH_MARKER, type Desk } from '../jobs/desk.ts';
import { createHttpTransport } from '../fetch/http.ts';
import { discoverFeeds } from '../feeds/discover.ts';
import { parseOpml, writeOpml } from '../feeds/opml.ts';
import { newsdeskError } from '../errors.ts';

/** Live HTTP for discovery, even while the store still runs the offline demo. */
function liveTransport(desk: Desk) {
  return createHttpTransport({ userAgent: desk.config.fetch.userAgent, maxBodyBytes: desk.config.fetch.maxBodyBytes, allow: desk.config.fetch.allow });
}

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
    .command('add <url>')
    .description('add a feed, or discover the feeds a web page announces and add the first')
    .option('--all', 'add every discovered feed')
    .option('--name <name>', 'a name for the source')
    .action(async (url: string, options: { all?: boolean; name?: string }, command: Command) => {
      await withDesk(command, async (desk) => {
        const transport = liveTransport(desk);
        try {
          const found = await discoverFeeds(url, transport);
          if (found.length === 0) throw newsdeskError('ND_FEED_UNPARSEABLE', { url, reason: 'no feed found at this address or announced by its page' });
          for (const feed of options.all ? found : found.slice(0, 1)) {
            const source = await desk.store.addSource({ url: feed.url, name: options.name ?? feed.title });
            process.stdout.write(`added source ${source.id}: ${feed.url}${feed.title ? ` (${feed.title})` : ''} [found via ${feed.via}]\n`);
          }
          if (!options.all && found.length > 1) process.stdout.write(`${found.length - 1} more feeds found; --all adds them too\n`);
        } finally {
          await (transport as { close?: () => Promise<void> }).close?.();
        }
      });
    });
  sources
    .command('import <file>')
    .description('add every feed of an OPML subscription list')
    .action(async (file: string, _options: unknown, command: Command) => {
      await withDesk(command, async (desk) => {
        const entries = parseOpml(readFileSync(file, 'utf8'));
        let added = 0;
        for (const entry of entries) {
          const before = (await desk.store.listSources()).length;
          await desk.store.addSource({ url: entry.xmlUrl, name: entry.title, siteUrl: entry.htmlUrl });
          if ((await desk.store.listSources()).length > before) added++;
        }
        process.stdout.write(`import: ${entries.length} feeds in ${file}, ${added} new sources\n`);
      });
    });
  sources
    .command('export [file]')
    .description('write the sources as OPML (to the file, or standard output)')
    .action(async (file: string | undefined, _options: unknown, command: Command) => {
      await withDesk(command, async (desk) => {
        // The demo's replayed feeds do not exist on the web: a feed reader given them would find nothing.
        const all = await desk.store.listSources();
        const rows = all.filter((s) => !s.url.includes(DEMO_PATH_MARKER));
        const demo = all.length - rows.length;
        const opml = writeOpml(rows.map((s) => ({ title: s.name, xmlUrl: s.url, htmlUrl: s.siteUrl, category: null })));
        // Said on stderr when the OPML goes to standard output, so the document stays clean.
        const note = demo ? `export: ${demo} demo source${demo === 1 ? '' : 's'} not written: their addresses (${DEMO_PATH_MARKER}) are replayed from the offline demo archive and serve no feed on the web\n` : '';
        if (file) {
          writeFileSync(file, opml);
          process.stdout.write(`export: ${rows.length} source${rows.length === 1 ? '' : 's'} written to ${file}\n${note}`);
        } else {
          process.stdout.write(opml);
          process.stderr.write(note);
        }
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
