// `newsdesk inspect article FILE|URL [--url URL] [--batch LIST.jsonl] [--json]`: the record newsdesk
// extracts from one article page, or from many in one process (a benchmark of a hundred pages).
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { createHttpTransport, DEFAULT_MAX_BODY_BYTES } from '../fetch/http.ts';
import { readInputFile } from '../files.ts';
import { httpTransportOptions } from '../jobs/desk.ts';
import { configFrom } from './context.ts';
import type { Transport } from '../fetch/types.ts';
import { extractArticle } from '../extract/extract.ts';
import { decodeHtmlBytes } from '../extract/content-decode.ts';
import { ampCacheUrl } from '../extract/amp.ts';
import { describeError, newsdeskError } from '../errors.ts';
import type { ExtractedArticle } from '../extract/types.ts';
import { registrableDomain } from '../normalize/url.ts';

interface LoadedPage {
  html: string;
  url: string;
  path: string | null;
  httpStatus?: number;
}

async function loadPage(target: string, givenUrl: string | undefined, transport: () => Transport, maxBytes: number): Promise<LoadedPage> {
  if (/^https?:\/\//i.test(target)) {
    const response = await transport().fetch({ url: target, purpose: 'page' });
    return {
      html: decodeHtmlBytes(response.body, response.headers['content-type']),
      url: response.url,
      path: null,
      httpStatus: response.status,
    };
  }
  const bytes = await readInputFile(target, maxBytes);
  return { html: decodeHtmlBytes(bytes), url: givenUrl ?? pathToFileURL(resolve(target)).href, path: target };
}

/** The record `inspect article` prints: the extracted fields under the news record's names. */
export function articleRecord(page: { path: string | null; url: string }, article: ExtractedArticle): Record<string, unknown> {
  const webUrl = article.canonicalUrl ?? page.url;
  const domain = article.providerDomain || registrableDomain(webUrl) || registrableDomain(page.url);
  return {
    path: page.path,
    url: page.url,
    webUrl,
    title: article.title,
    excerpt: article.excerpt,
    publishedDateTime: article.publishedDateTime,
    updatedDateTime: article.updatedDateTime,
    ampWebUrl: article.ampUrl,
    cdnAmpWebUrl: article.ampUrl ? ampCacheUrl(article.ampUrl) : null,
    type: article.type,
    provider: { name: article.providerName ?? domain, domain },
    images: article.leadImage ? [article.leadImage] : [],
    locale: article.locale,
    language: article.language,
    authors: article.authors,
    byline: article.byline,
    extraction: article.fallbackReason ? { status: 'fallback', reason: article.fallbackReason } : { status: 'extracted' },
    text: article.text,
    html: article.html,
  };
}

interface BatchItem {
  path?: string;
  url?: string;
}

async function runBatch(listFile: string, transport: () => Transport, write: (line: string) => void, maxBytes: number): Promise<void> {
  const listDir = dirname(resolve(listFile));
  const lines = (await readFile(listFile, 'utf8')).split('\n');
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    let item: BatchItem;
    try {
      item = JSON.parse(line) as BatchItem;
    } catch (err) {
      write(JSON.stringify({ line: index + 1, error: describeError(newsdeskError('ND_BAD_REQUEST', { reason: `line ${index + 1} of ${listFile} is not JSON` }, err)) }));
      continue;
    }
    // A relative path is looked up from the working directory first, then beside the list file.
    const path = item.path && !existsSync(item.path) && existsSync(resolve(listDir, item.path)) ? resolve(listDir, item.path) : item.path;
    try {
      const target = path ?? item.url;
      if (!target) throw newsdeskError('ND_BAD_REQUEST', { reason: `line ${index + 1} names neither path nor url` });
      const page = await loadPage(target, item.url, transport, maxBytes);
      const article = extractArticle(page.html, page.url, { httpStatus: page.httpStatus });
      write(JSON.stringify(articleRecord({ path: item.path ?? null, url: page.url }, article)));
    } catch (err) {
      write(JSON.stringify({ path: item.path ?? null, url: item.url ?? null, error: describeError(err) }));
    }
  }
}

export interface InspectArticleOptions {
  url?: string;
  batch?: string;
  json?: boolean;
  /** Largest page file, or unpacked .gz, read (the config's fetch.maxBodyBytes). Default 15 MiB. */
  maxBytes?: number;
}

/** The command's work, with the transport supplied: one record, or one JSON line per batch entry. */
export async function inspectArticle(
  target: string | undefined,
  options: InspectArticleOptions,
  transport: () => Transport,
  write: (line: string) => void,
): Promise<void> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (options.batch) {
    await runBatch(options.batch, transport, write, maxBytes);
    return;
  }
  if (!target) throw newsdeskError('ND_BAD_REQUEST', { reason: 'give a file, a URL or --batch LIST.jsonl' });
  const page = await loadPage(target, options.url, transport, maxBytes);
  const article = extractArticle(page.html, page.url, { httpStatus: page.httpStatus });
  const record = articleRecord(page, article);
  write(options.json ? JSON.stringify(record) : JSON.stringify(record, null, 2));
}

export function registerInspectArticle(inspect: Command): void {
  inspect
    .command('article')
    .description('extract an article page (file, plain or .gz, or URL) and print the record as JSON')
    .argument('[target]', 'file path or http(s) URL')
    .option('--url <url>', 'the address of a local file (resolves its links, names its provider)')
    .option('--batch <list>', 'JSON Lines file of {"path": ..., "url": ...}; prints one JSON object per line')
    .option('--json', 'one compact JSON object instead of indented JSON')
    .action(async (target: string | undefined, options: InspectArticleOptions, command: Command) => {
      const config = configFrom(command);
      let transport: Transport | null = null;
      try {
        await inspectArticle(target, { ...options, maxBytes: config.fetch.maxBodyBytes }, () => (transport ??= createHttpTransport(httpTransportOptions(config))), (line) => process.stdout.write(`${line}\n`));
      } finally {
        const opened = transport as Transport | null;
        await opened?.close?.();
      }
    });
}
