// Cross-validated micro/macro F1 of the keywords and learned classifiers on the hand-labeled AI set
// (bench/data/ai-topics-labeled.jsonl). The root topic is left out of the scores: both always add it.
import { createKeywordClassifier } from '../src/curate/topics/keywords.ts';
import {
  createLearnedClassifier,
  defaultTopicTrainingOptions,
  readExamplesJsonl,
  trainTopicModel,
  type TopicExample,
  type TopicTrainingOptions,
} from '../src/curate/topics/learned.ts';
import { seededRandom, shuffleInPlace } from '../src/curate/topics/linear.ts';
import type { Taxonomy, TopicClassifier } from '../src/curate/types.ts';

export const labeledFile = new URL('./data/ai-topics-labeled.jsonl', import.meta.url).pathname;

export interface F1Report {
  micro: number;
  macro: number;
  /** Topics with at least one gold or predicted label; macro averages over these. */
  perTopic: Record<string, { tp: number; fp: number; fn: number; f1: number }>;
}

export function f1Scores(taxonomy: Taxonomy, gold: string[][], predicted: string[][]): F1Report {
  const perTopic: F1Report['perTopic'] = {};
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const topic of taxonomy.topics.map((t) => t.name)) {
    const c = { tp: 0, fp: 0, fn: 0, f1: 0 };
    gold.forEach((g, i) => {
      const inGold = g.includes(topic);
      const inPred = predicted[i]!.includes(topic);
      if (inGold && inPred) c.tp++;
      else if (inPred) c.fp++;
      else if (inGold) c.fn++;
    });
    if (c.tp + c.fp + c.fn === 0) continue;
    c.f1 = (2 * c.tp) / (2 * c.tp + c.fp + c.fn);
    perTopic[topic] = c;
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
  }
  const topics = Object.values(perTopic);
  return {
    micro: (2 * tp) / Math.max(1, 2 * tp + fp + fn),
    macro: topics.reduce((s, c) => s + c.f1, 0) / Math.max(1, topics.length),
    perTopic,
  };
}

export interface CrossValidation {
  folds: number;
  keywords: F1Report;
  learned: F1Report;
  /** Held-out predictions of the learned model, by item index. */
  learnedPredictions: string[][];
  examples: TopicExample[];
}

/** k folds from a seeded shuffle; every item is predicted once by a model that did not see it. */
export function crossValidate(
  taxonomy: Taxonomy,
  examples: TopicExample[] = readExamplesJsonl(labeledFile),
  folds = 5,
  options: TopicTrainingOptions = defaultTopicTrainingOptions,
  seed = 42,
): CrossValidation {
  const order = shuffleInPlace(examples.map((_, i) => i), seededRandom(seed));
  const learned: string[][] = new Array(examples.length);
  for (let fold = 0; fold < folds; fold++) {
    const test = order.filter((_, k) => k % folds === fold);
    const train = order.filter((_, k) => k % folds !== fold).map((i) => examples[i]!);
    const classifier = createLearnedClassifier(taxonomy, trainTopicModel(taxonomy, train, [], options));
    for (const i of test) learned[i] = classifier.classify(asInput(examples[i]!));
  }
  const keywordClassifier: TopicClassifier = createKeywordClassifier(taxonomy);
  const gold = examples.map((e) => e.topics);
  return {
    folds,
    keywords: f1Scores(taxonomy, gold, examples.map((e) => keywordClassifier.classify(asInput(e)))),
    learned: f1Scores(taxonomy, gold, learned),
    learnedPredictions: learned,
    examples,
  };
}

function asInput(e: TopicExample) {
  return { title: e.title, excerpt: e.excerpt ?? '', text: e.text ?? '' };
}
