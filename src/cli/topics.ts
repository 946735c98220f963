// `newsdesk topics train [--data FILE.jsonl] [--corrections FILE.jsonl] [--out FILE]`: trains the learned
// topic classifier for the configured taxonomy and writes the model file. Training data is one JSON
// object a line: title, excerpt?, text?, topics (names). Default data: the hand-labeled AI set.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { loadTaxonomy } from '../curate/topics/taxonomy.ts';
import {
  defaultTopicModelFile,
  defaultTopicTrainingOptions,
  readExamplesJsonl,
  saveTopicModel,
  trainTopicModel,
} from '../curate/topics/learned.ts';
import { configFrom } from './context.ts';
import { startProgress } from './progress.ts';

export const defaultTrainingData = new URL('../../bench/data/ai-topics-labeled.jsonl', import.meta.url).pathname;

export function register(program: Command): void {
  const topics = program.command('topics').description('topic taxonomy and classifiers');
  topics
    .command('train')
    .description('train the learned topic classifier and write its model file')
    .option('--data <file>', 'labeled examples, one JSON object a line (title, excerpt, text, topics)', defaultTrainingData)
    .option('--corrections <file>', "editors' corrections in the same format (they outweigh the data)")
    .option('--taxonomy <file>', 'taxonomy file (default: the configured one)')
    .option('--out <file>', 'model file to write', defaultTopicModelFile)
    .action(function (this: Command, options: { data: string; corrections?: string; taxonomy?: string; out: string }) {
      const taxonomyFile = options.taxonomy ?? configFrom(this).taxonomyFile;
      const taxonomy = loadTaxonomy(taxonomyFile);
      const examples = readExamplesJsonl(options.data);
      const corrections = options.corrections && existsSync(options.corrections) ? readExamplesJsonl(options.corrections) : [];
      const started = Date.now();
      const bar = startProgress('topics train: models');
      const model = trainTopicModel(taxonomy, examples, corrections, defaultTopicTrainingOptions, (done, total) => bar.report(done, total));
      bar.done();
      saveTopicModel(model, options.out);
      process.stdout.write(
        `trained on ${examples.length} examples and ${corrections.length} corrections for ${taxonomy.topics.length} topics ` +
          `(threshold ${model.threshold}) in ${((Date.now() - started) / 1000).toFixed(1)} s; wrote ${options.out}\n`,
      );
    });
}
