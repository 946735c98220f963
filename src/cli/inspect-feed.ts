// `newsdesk inspect feed FILE|URL [--json]`: the normalized feed, every feed-level field and every
// field of every entry, so a user can see why a source yields what it yields.
import type { Command } from 'commander';
import { createHttpTransport } from '../fetch/http.ts';
import { readInputFile } from '../files.ts';
import { httpTransportOptions, DEMO_ARCHIVE, DEMO_PATH_MARKER } from '../jobs/desk.ts';
import { ReplayTransport } from '../fetch/replay.ts';
import { configFrom } from './context.ts';
import { validateConfig, type LoadedConfig } from '../config/load.ts';
import { parseFeed } from '../feeds/parse.ts';
import type { ParsedFeed } from '../feeds/types.ts';
import { isNewsdeskError } from '../errors.ts';

interface Loaded {
  bytes: Uint8Array;
  url: string;
  contentType: string | null;
  contentLocation: string | null;
  contentLanguage: string | null;
}

async function load(target: string, config: LoadedConfig): Promise<Loaded> {
  if (/^https?:\/\//i.test(target)) {
    // A demo source's address names no real feed: its feed is the one in the demo archive, as ingest replays it.
    const transport = target.includes(DEMO_PATH_MARKER) ? ReplayTransport.fromFile(DEMO_ARCHIVE) : createHttpTransport(httpTransportOptions(config));
    try {
      const response = await transport.fetch({ url: target, purpose: 'feed' });
      const h = response.headers;
      return { bytes: response.body, url: response.url, contentType: h['content-type'] ?? null, contentLocation: h['content-location'] ?? null, contentLanguage: h['content-language'] ?? null };
    } finally {
      if ('close' in transport) await transport.close?.();
    }
  }
  const bytes = await readInputFile(target, config.fetch.maxBodyBytes);
  return { bytes, url: new URL(target, `file://${process.cwd()}/`).href, contentType: null, contentLocation: null, contentLanguage: null };
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value);
}

/** The human-readable report: one `name: value` line per field, entries numbered. */
export function formatFeed(feed: ParsedFeed): string {
  const lines: string[] = [];
  const { entries, ...feedFields } = feed;
  lines.push('feed');
  for (const [name, value] of Object.entries(feedFields)) lines.push(`  ${name}: ${show(value)}`);
  lines.push(`entries: ${entries.length}`);
  entries.forEach((entry, index) => {
    lines.push(`entry ${index + 1}`);
    for (const [name, value] of Object.entries(entry)) lines.push(`  ${name}: ${show(value)}`);
  });
  return lines.join('\n');
}

/** What `inspect feed` prints for a target, and the exit code: 1 when the feed could not be parsed. */
export async function inspectFeed(target: string, options: { json?: boolean } = {}, config: LoadedConfig = validateConfig({})): Promise<{ output: string; exitCode: number }> {
  const loaded = await load(target, config);
  let feed: ParsedFeed;
  try {
    feed = parseFeed(loaded.bytes, { url: loaded.url, contentType: loaded.contentType, contentLocation: loaded.contentLocation, contentLanguage: loaded.contentLanguage });
  } catch (err) {
    // An unparseable feed is a finding, not a crash: report it in the requested format.
    if (!isNewsdeskError(err, 'ND_FEED_UNPARSEABLE')) throw err;
    const output = options.json ? `${JSON.stringify({ error: { code: err.code, message: err.message } }, null, 2)}\n` : `unparseable: ${err.toLine()}\n`;
    return { output, exitCode: 1 };
  }
  return { output: options.json ? `${JSON.stringify(feed, null, 2)}\n` : `${formatFeed(feed)}\n`, exitCode: 0 };
}

export function register(inspect: Command): void {
  inspect
    .command('feed')
    .description('parse a feed file (plain or .gz) or URL and print the normalized feed')
    .argument('<target>', 'file path or http(s) URL')
    .option('--json', 'print JSON instead of text')
    .action(async (target: string, options: { json?: boolean }, command: Command) => {
      const { output, exitCode } = await inspectFeed(target, options, configFrom(command));
      process.stdout.write(output);
      if (exitCode) process.exitCode = exitCode;
    });
}
