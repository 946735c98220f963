// `newsdesk inspect topics [FILE.jsonl] [--classifier keywords|learned]`: tags articles (one JSON object a
// line: id, title, text, optional excerpt) from a file or stdin with the configured taxonomy and prints
// `id<TAB>topic;topic;...` a line, in input order.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { newsdeskError } from '../errors.ts';
import { createTopicClassifier } from '../curate/topics/index.ts';
import { loadTaxonomy } from '../curate/topics/taxonomy.ts';
import type { ClassifierInput, TopicClassifier } from '../curate/types.ts';
import { configFrom } from './context.ts';
import { parseArticleLine } from './jsonl.ts';

function parseArticle(line: string, lineNumber: number): { id: string; input: ClassifierInput } {
  const { id, fields } = parseArticleLine(line, lineNumber, ['title', 'text', 'excerpt']);
  return { id, input: { title: fields.title ?? '', excerpt: fields.excerpt ?? '', text: fields.text ?? '' } };
}

/** Classifies each JSONL article of `input` and writes `id<TAB>topics` lines to `output`; returns the count. */
export async function tagJsonl(input: Readable, classifier: TopicClassifier, output: Writable): Promise<number> {
  let lineNumber = 0;
  let count = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (line.trim() === '') continue;
    const { id, input: article } = parseArticle(line, lineNumber);
    output.write(`${id}\t${classifier.classify(article).join(';')}\n`);
    count++;
  }
  return count;
}

export function registerInspectTopics(inspect: Command): void {
  inspect
    .command('topics')
    .description('tag articles (JSONL: id, title, text, excerpt?) with topics; prints id<TAB>topic;topic;...')
    .argument('[file]', 'JSONL file (default: stdin)')
    .option('--classifier <kind>', 'keywords or learned (default: the configured one, learned unless set)')
    .option('--model <file>', 'model file for the learned classifier (default: the shipped one)')
    .action(async function (this: Command, file: string | undefined, options: { classifier?: string; model?: string }) {
      const config = configFrom(this);
      const kind = options.classifier ?? config.topics.classifier;
      if (kind !== 'keywords' && kind !== 'learned') {
        throw newsdeskError('ND_BAD_REQUEST', { reason: `--classifier must be keywords or learned, not ${kind}` });
      }
      const classifier = createTopicClassifier({ taxonomy: loadTaxonomy(config.taxonomyFile), classifier: kind, modelFile: options.model });
      const input = file && file !== '-' ? createReadStream(file) : process.stdin;
      await tagJsonl(input, classifier, process.stdout);
    });
}
