// `newsdesk inspect cluster [FILE.jsonl]`: runs the same-story clusterer over articles (one JSON object
// a line: id, title, text, optional publishedDateTime and url) from a file or stdin, with an in-memory
// index, and prints `id<TAB>story-id` a line in input order. By default it is the production path: the
// incremental clusterer in publication order, then consolidation; `--incremental-only` stops after the
// first, `--batch` groups everything at once (consolidation alone), for comparison.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { assign } from '../curate/cluster/clusterer.ts';
import { consolidateAll } from '../curate/cluster/consolidate.ts';
import { MemoryCandidateIndex } from '../curate/cluster/memory-index.ts';
import { DEFAULT_CLUSTER_CONFIG, type ClusterConfig } from '../curate/cluster/config.ts';
import type { ClusterArticle } from '../curate/types.ts';
import { parseArticleLine } from './jsonl.ts';
import { newsdeskError } from '../errors.ts';
import { canonicalUrl } from '../normalize/url.ts';

function parseLine(line: string, lineNumber: number): ClusterArticle {
  const { id, fields } = parseArticleLine(line, lineNumber, ['title', 'text', 'publishedDateTime', 'url']);
  return { id, title: fields.title ?? '', text: fields.text ?? '', publishedDateTime: fields.publishedDateTime, url: fields.url };
}

export type ClusterMode = 'production' | 'incremental-only' | 'batch';

/** Publication order, undated articles last, ties in input order: the order a desk would see them. */
function publicationOrder(articles: readonly ClusterArticle[]): ClusterArticle[] {
  const time = (a: ClusterArticle) => {
    const t = a.publishedDateTime ? Date.parse(a.publishedDateTime) : Number.NaN;
    return Number.isFinite(t) ? t : Infinity;
  };
  return articles.map((a, i) => ({ a, i, t: time(a) })).sort((x, y) => x.t - y.t || x.i - y.i).map((x) => x.a);
}

/**
 * Clusters the JSONL articles of `input` and returns `[id, storyId]` in input order. Story ids are
 * final: when a later article or the consolidation merges two stories, earlier lines report the merged story.
 */
export async function clusterJsonl(input: Readable, config: ClusterConfig = DEFAULT_CLUSTER_CONFIG, mode: ClusterMode = 'production'): Promise<Array<[string, string]>> {
  const articles: ClusterArticle[] = [];
  const seen = new Set<string>();
  let lineNumber = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (line.trim() === '') continue;
    const article = parseLine(line, lineNumber);
    if (seen.has(article.id)) throw newsdeskError('ND_BAD_REQUEST', { reason: `line ${lineNumber}: duplicate id ${article.id}` });
    seen.add(article.id);
    articles.push(article);
  }
  return clusterArticles(articles, config, mode);
}

export async function clusterArticles(articles: readonly ClusterArticle[], config: ClusterConfig = DEFAULT_CLUSTER_CONFIG, mode: ClusterMode = 'production'): Promise<Array<[string, string]>> {
  const index = new MemoryCandidateIndex();
  // Batch: every article opens its own story and consolidation alone groups them.
  const incremental = mode === 'batch' ? { ...config, threshold: Infinity, duplicateThreshold: Infinity } : config;
  // Lines with one address are one article, as the store keys articles by their canonical URL: the
  // first in publication order is clustered, the others are reported in its story.
  const firstOfUrl = new Map<string, string>();
  const sameAs = new Map<string, string>();
  for (const article of publicationOrder(articles)) {
    const url = article.url ? canonicalUrl(article.url) : null;
    const first = url === null ? undefined : firstOfUrl.get(url);
    if (first !== undefined) {
      sameAs.set(article.id, first);
      continue;
    }
    if (url !== null) firstOfUrl.set(url, article.id);
    await assign(article, index, incremental);
  }
  if (mode !== 'incremental-only') await consolidateAll(index, config, () => new Date());
  const ids = articles.map((a) => sameAs.get(a.id) ?? a.id);
  const stories = await index.storiesOf(ids);
  return articles.map((a, i) => [a.id, stories[i]!]);
}

export function registerInspectCluster(inspect: Command): void {
  inspect
    .command('cluster')
    .description('group articles (JSONL: id, title, text, publishedDateTime?, url?) into stories; prints id<TAB>story-id')
    .argument('[file]', 'JSONL file (default: stdin)')
    .option('--incremental-only', 'only the incremental clusterer, in publication order (no consolidation)')
    .option('--batch', 'only the consolidation, over every article at once')
    .action(async (file: string | undefined, options: { incrementalOnly?: boolean; batch?: boolean }) => {
      if (options.incrementalOnly && options.batch) throw newsdeskError('ND_BAD_REQUEST', { reason: 'choose --incremental-only or --batch, not both' });
      const input = file && file !== '-' ? createReadStream(file) : process.stdin;
      const rows = await clusterJsonl(input, DEFAULT_CLUSTER_CONFIG, options.batch ? 'batch' : options.incrementalOnly ? 'incremental-only' : 'production');
      process.stdout.write(rows.map(([id, story]) => `${id}\t${story}\n`).join(''));
    });
}
