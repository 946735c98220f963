// `newsdesk inspect cluster [FILE.jsonl]`: runs the same-story clusterer over articles (one JSON object
// a line: id, title, text, optional publishedDateTime and url) from a file or stdin, with an in-memory
// index, and prints `id<TAB>story-id` a line in input order.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { assign } from '../curate/cluster/clusterer.ts';
import { MemoryCandidateIndex } from '../curate/cluster/memory-index.ts';
import { DEFAULT_CLUSTER_CONFIG, type ClusterConfig } from '../curate/cluster/config.ts';
import type { ClusterArticle } from '../curate/types.ts';
import { parseArticleLine } from './jsonl.ts';
import { newsdeskError } from '../errors.ts';

function parseLine(line: string, lineNumber: number): ClusterArticle {
  const { id, fields } = parseArticleLine(line, lineNumber, ['title', 'text', 'publishedDateTime', 'url']);
  return { id, title: fields.title ?? '', text: fields.text ?? '', publishedDateTime: fields.publishedDateTime, url: fields.url };
}

/**
 * Clusters the JSONL articles of `input` in order and returns `[id, storyId]` in input order. Story ids
 * are final: when a later article merges two stories, earlier lines report the merged story.
 */
export async function clusterJsonl(input: Readable, config: ClusterConfig = DEFAULT_CLUSTER_CONFIG): Promise<Array<[string, string]>> {
  const index = new MemoryCandidateIndex();
  const ids: string[] = [];
  const seen = new Set<string>();
  let lineNumber = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (line.trim() === '') continue;
    const article = parseLine(line, lineNumber);
    if (seen.has(article.id)) throw newsdeskError('ND_BAD_REQUEST', { reason: `line ${lineNumber}: duplicate id ${article.id}` });
    seen.add(article.id);
    ids.push(article.id);
    await assign(article, index, config);
  }
  const stories = await index.storiesOf(ids);
  return ids.map((id, i) => [id, stories[i]!]);
}

export function registerInspectCluster(inspect: Command): void {
  inspect
    .command('cluster')
    .description('group articles (JSONL: id, title, text, publishedDateTime?, url?) into stories; prints id<TAB>story-id')
    .argument('[file]', 'JSONL file (default: stdin)')
    .action(async (file: string | undefined) => {
      const input = file && file !== '-' ? createReadStream(file) : process.stdin;
      const rows = await clusterJsonl(input);
      process.stdout.write(rows.map(([id, story]) => `${id}\t${story}\n`).join(''));
    });
}
