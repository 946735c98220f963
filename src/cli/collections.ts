// `newsdesk collections`: companies, people, events, learning, organizations and sponsorships; their
// named queries, mentions in news and heat; and saved searches (the feeds under /feeds/searches/).
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { withDesk } from './context.ts';
import { CollectionStore } from '../store/collections.ts';
import { importEveryday } from '../collections/import.ts';
import { computeMentions, recomputeAllMentions } from '../collections/mentions.ts';
import { recomputeEntityHeat } from '../collections/heat.ts';
import { compileQuery, membersOf, runQuery } from '../collections/query.ts';
import { ENTITY_KINDS, type EntityKind } from '../collections/types.ts';
import { slugify } from '../normalize/slug.ts';
import { newsdeskError } from '../errors.ts';
import { publicBaseUrl } from '../publish/base-url.ts';

function kindOf(raw: string): EntityKind {
  if (!ENTITY_KINDS.includes(raw as EntityKind)) throw newsdeskError('ND_BAD_REQUEST', { reason: `kind must be one of ${ENTITY_KINDS.join(', ')}, not ${raw}` });
  return raw as EntityKind;
}

export function register(program: Command): Command {
  const group = program.command('collections').description('companies, people, events, learning, organizations, sponsorships; queries, mentions, heat, saved searches');
  group
    .command('import <file>')
    .description('import records from JSONL, YAML, JSON or front-matter files (the kind from each record\'s path, else --kind)')
    .option('--kind <kind>', ENTITY_KINDS.join(' | '))
    .action(async (file: string, options: { kind?: string }, command: Command) => {
      await withDesk(command, async (desk) => {
        const report = await importEveryday(desk.store, resolve(file), { kind: options.kind ? kindOf(options.kind) : undefined, publishThreshold: desk.config.thresholds.publish });
        await recomputeAllMentions(desk.store);
        await recomputeEntityHeat(desk.store, { now: desk.now() });
        process.stdout.write(`collections import: ${Object.entries(report.imported).map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing'} imported\n`);
        for (const error of report.errors) process.stdout.write(`  error: ${error}\n`);
        if (report.errors.length) process.exitCode = 1;
      });
    });
  group
    .command('list <kind>')
    .description('list a kind, hottest first')
    .option('--topic <name>', 'only this topic (its name)')
    .option('--limit <n>', 'how many', '50')
    .action(async (kind: string, options: { topic?: string; limit: string }, command: Command) => {
      await withDesk(command, async (desk) => {
        const { items } = await new CollectionStore(desk.store).listEntities({ kind: kindOf(kind), topic: options.topic, page: 1, perPage: Number(options.limit) });
        for (const e of items) process.stdout.write(`${String(e.heat ?? '-').padStart(5)}  ${e.slug}  ${e.name}${e.subtype === 'collection' ? `  [query: ${String(e.data.query)}]` : ''}\n`);
      });
    });
  group
    .command('query <kind> <query>')
    .description('profiles matching a query, e.g. collections query company "item.locations contains \'Seattle\'"')
    .action(async (kind: string, query: string, _options: unknown, command: Command) => {
      await withDesk(command, async (desk) => {
        for (const e of await runQuery(new CollectionStore(desk.store), kindOf(kind), query)) process.stdout.write(`${String(e.heat ?? '-').padStart(5)}  ${e.slug}  ${e.name}\n`);
      });
    });
  group
    .command('add-query <kind> <name> <query>')
    .description('save a named query as a collection, e.g. add-query company "Seattle AI Companies" "item.locations contains \'Seattle\'"')
    .option('--overview <text>', 'a line about the collection')
    .action(async (kind: string, name: string, query: string, options: { overview?: string }, command: Command) => {
      compileQuery(query);
      await withDesk(command, async (desk) => {
        const collections = new CollectionStore(desk.store);
        const k = kindOf(kind);
        const summaryKey = k === 'person' ? 'bio' : 'overview';
        const entity = await collections.upsertEntity({ kind: k, subtype: 'collection', slug: `collections/${slugify(name)}`, name, data: { name, [summaryKey]: options.overview ?? '', type: 'collection', query, topics: [desk.taxonomy.root.name] }, topics: [desk.taxonomy.root.name], heat: null });
        const members = await membersOf(collections, entity);
        process.stdout.write(`collections: ${entity.slug} saved; ${members.length} members now: ${members.slice(0, 10).map((m) => m.name).join(', ')}\n`);
      });
    });
  group
    .command('remove <kind> <slug>')
    .description('delete an entity')
    .action(async (kind: string, slug: string, _options: unknown, command: Command) => {
      await withDesk(command, async (desk) => {
        const removed = await new CollectionStore(desk.store).deleteEntity(kindOf(kind), slug);
        if (!removed) throw newsdeskError('ND_NOT_FOUND', { what: `${kind} ${slug}` });
        process.stdout.write(`collections: ${kind} ${slug} removed\n`);
      });
    });
  group
    .command('mentions')
    .description('link news articles to the companies and people they name (new articles only, or --all)')
    .option('--all', 'read every article again')
    .action(async (options: { all?: boolean }, command: Command) => {
      await withDesk(command, async (desk) => {
        const result = options.all ? await recomputeAllMentions(desk.store) : await computeMentions(desk.store);
        process.stdout.write(`collections mentions: ${result.mentions} mentions in ${result.articles} articles read\n`);
      });
    });
  group
    .command('heat')
    .description('recompute the heat of companies and people (see src/collections/heat.ts)')
    .action(async (_options: unknown, command: Command) => {
      await withDesk(command, async (desk) => {
        await computeMentions(desk.store);
        const changed = await recomputeEntityHeat(desk.store, { now: desk.now() });
        process.stdout.write(`collections heat: ${changed} changed\n`);
      });
    });
  const searches = group.command('searches').description('saved searches: named queries over the published stream, each with feeds at /feeds/searches/<slug>.{rss,atom,json}');
  searches
    .command('add <slug> <query>')
    .option('--name <name>', 'a display name (default: the query)')
    .action(async (slug: string, query: string, options: { name?: string }, command: Command) => {
      if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) throw newsdeskError('ND_BAD_REQUEST', { reason: 'slug must be lower-case words joined by hyphens' });
      await withDesk(command, async (desk) => {
        const saved = await new CollectionStore(desk.store).saveSearch({ slug, name: options.name ?? query, query });
        process.stdout.write(`saved search ${saved.slug}: ${publicBaseUrl(desk)}/feeds/searches/${saved.slug}.rss\n`);
      });
    });
  searches.command('list').action(async (_options: unknown, command: Command) => {
    await withDesk(command, async (desk) => {
      for (const s of await new CollectionStore(desk.store).listSavedSearches()) process.stdout.write(`${s.slug}  ${s.name}  (${s.query})\n`);
    });
  });
  searches.command('remove <slug>').action(async (slug: string, _options: unknown, command: Command) => {
    await withDesk(command, async (desk) => {
      if (!(await new CollectionStore(desk.store).deleteSavedSearch(slug))) throw newsdeskError('ND_NOT_FOUND', { what: `saved search ${slug}` });
      process.stdout.write(`saved search ${slug} removed\n`);
    });
  });
  return group;
}
