// Cross-validated figures of topic classifiers on the hand-labeled AI set (bench/data/ai-topics-labeled.jsonl,
// see its README). The root topic is left out of the scores: every classifier adds it.
//
// Folds keep a story together: items the labeler marked as the same story (`story`) are never split
// between training and test, so a model is not credited for recognising a near-copy of an item it saw.
// k-fold CV is repeated with several seeds; the spread across all folds is reported beside the mean.
import { readFileSync } from 'node:fs';
import { createKeywordClassifier } from '../src/curate/topics/keywords.ts';
import { createLearnedClassifier, readExamplesJsonl, type TopicExample, type TopicModel } from '../src/curate/topics/learned.ts';
import { seededRandom, shuffleInPlace } from '../src/curate/topics/linear.ts';
import type { ClassifierInput, Taxonomy, TopicClassifier } from '../src/curate/types.ts';

export const labeledFile = new URL('./data/ai-topics-labeled.jsonl', import.meta.url).pathname;

export interface LabeledItem extends TopicExample {
  id: string;
  /** Items of one story share it; an item alone is its own story. */
  story: string;
}

export function readLabeledSet(file = labeledFile): LabeledItem[] {
  const examples = readExamplesJsonl(file);
  const raw = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id?: string; story?: string });
  return examples.map((e, i) => {
    const id = raw[i]!.id ?? `line-${i + 1}`;
    return { ...e, id, story: raw[i]!.story ?? id };
  });
}

export interface TopicCounts {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  /** Gold labels. */
  support: number;
}

export interface F1Report {
  micro: number;
  macro: number;
  precision: number;
  recall: number;
  /** Topics with at least one gold or predicted label; macro averages over these. */
  perTopic: Record<string, TopicCounts>;
}

function counts(tp: number, fp: number, fn: number): TopicCounts {
  return {
    tp,
    fp,
    fn,
    precision: tp + fp === 0 ? 0 : tp / (tp + fp),
    recall: tp + fn === 0 ? 0 : tp / (tp + fn),
    f1: (2 * tp) / Math.max(1, 2 * tp + fp + fn),
    support: tp + fn,
  };
}

/** Scores over the non-root topics; `gold` and `predicted` may include the root, it is ignored. */
export function f1Scores(taxonomy: Taxonomy, gold: string[][], predicted: string[][]): F1Report {
  const perTopic: F1Report['perTopic'] = {};
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const topic of taxonomy.topics.map((t) => t.name)) {
    let t = 0;
    let p = 0;
    let n = 0;
    gold.forEach((g, i) => {
      const inGold = g.includes(topic);
      const inPred = predicted[i]!.includes(topic);
      if (inGold && inPred) t++;
      else if (inPred) p++;
      else if (inGold) n++;
    });
    if (t + p + n === 0) continue;
    perTopic[topic] = counts(t, p, n);
    tp += t;
    fp += p;
    fn += n;
  }
  const topics = Object.values(perTopic);
  const all = counts(tp, fp, fn);
  return {
    micro: all.f1,
    macro: topics.reduce((s, c) => s + c.f1, 0) / Math.max(1, topics.length),
    precision: all.precision,
    recall: all.recall,
    perTopic,
  };
}

export interface Spread {
  mean: number;
  sd: number;
  min: number;
  max: number;
}

export function spreadOf(values: number[]): Spread {
  const mean = values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return { mean, sd: Math.sqrt(variance), min: Math.min(...values), max: Math.max(...values) };
}

export interface CrossValidationOptions {
  folds: number;
  /** How many times k-fold CV is run, each with its own shuffle (seeds `seed`, `seed + 1`, ...). */
  repeats: number;
  seed: number;
}

export const defaultCrossValidation: CrossValidationOptions = { folds: 5, repeats: 3, seed: 42 };

export interface CrossValidation {
  options: CrossValidationOptions;
  items: LabeledItem[];
  /** Counts summed over every repeat (each item is predicted once per repeat). */
  pooled: F1Report;
  /** Micro / macro F1 of each fold of each repeat. */
  foldMicro: number[];
  foldMacro: number[];
  /** Micro F1 of each repeat over all its items. */
  repeatMicro: number[];
  /** Held-out predictions, by repeat then item index. */
  predictions: string[][][];
}

/** Fold of each item: stories in a seeded shuffle, dealt out in turn. */
export function foldsOf(items: LabeledItem[], folds: number, seed: number): number[] {
  const stories = [...new Set(items.map((i) => i.story))];
  shuffleInPlace(stories, seededRandom(seed));
  const foldOfStory = new Map(stories.map((s, k) => [s, k % folds]));
  return items.map((i) => foldOfStory.get(i.story)!);
}

export function asInput(e: TopicExample): ClassifierInput {
  return { title: e.title, excerpt: e.excerpt ?? '', text: e.text ?? '' };
}

/**
 * Every item is predicted once per repeat by a classifier `train` built without its story. `train`
 * gets the training items only; anything it tunes (thresholds, ...) it must tune on them.
 */
export function crossValidate(
  taxonomy: Taxonomy,
  train: (examples: TopicExample[]) => TopicClassifier,
  items: LabeledItem[] = readLabeledSet(),
  options: CrossValidationOptions = defaultCrossValidation,
): CrossValidation {
  const gold = items.map((e) => e.topics);
  const all: { gold: string[][]; predicted: string[][] } = { gold: [], predicted: [] };
  const foldMicro: number[] = [];
  const foldMacro: number[] = [];
  const repeatMicro: number[] = [];
  const predictions: string[][][] = [];
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    const foldOf = foldsOf(items, options.folds, options.seed + repeat);
    const predicted: string[][] = new Array(items.length);
    for (let fold = 0; fold < options.folds; fold++) {
      const test = items.map((_, i) => i).filter((i) => foldOf[i] === fold);
      const classifier = train(items.filter((_, i) => foldOf[i] !== fold));
      for (const i of test) predicted[i] = classifier.classify(asInput(items[i]!));
      const report = f1Scores(taxonomy, test.map((i) => gold[i]!), test.map((i) => predicted[i]!));
      foldMicro.push(report.micro);
      foldMacro.push(report.macro);
    }
    repeatMicro.push(f1Scores(taxonomy, gold, predicted).micro);
    all.gold.push(...gold);
    all.predicted.push(...predicted);
    predictions.push(predicted);
  }
  return { options, items, pooled: f1Scores(taxonomy, all.gold, all.predicted), foldMicro, foldMacro, repeatMicro, predictions };
}

/** Scores of the items `keep` selects, over every repeat's held-out predictions. */
export function subsetScores(taxonomy: Taxonomy, cv: CrossValidation, keep: (item: LabeledItem) => boolean): F1Report {
  const gold: string[][] = [];
  const predicted: string[][] = [];
  for (const run of cv.predictions) {
    cv.items.forEach((item, i) => {
      if (!keep(item)) return;
      gold.push(item.topics);
      predicted.push(run[i]!);
    });
  }
  return f1Scores(taxonomy, gold, predicted);
}

/** The 49 items labeled after the model's design was first chosen (see the labeled set's README). */
export const isLaterItem = (item: LabeledItem) => /^(?:related|newsletter):/.test(item.id);

/** The reference keyword rule needs no training; scored on the same items for comparison. */
export function keywordScores(taxonomy: Taxonomy, items: LabeledItem[]): F1Report {
  const classifier = createKeywordClassifier(taxonomy);
  return f1Scores(taxonomy, items.map((e) => e.topics), items.map((e) => classifier.classify(asInput(e))));
}

const fixed = (x: number, digits = 3) => x.toFixed(digits);

export function formatSpread(values: number[]): string {
  const s = spreadOf(values);
  return `mean ${fixed(s.mean)} sd ${fixed(s.sd)} range ${fixed(s.min)}-${fixed(s.max)}`;
}

/** The per-topic table: precision, recall, F1 and support of each topic, in taxonomy order. */
export function perTopicTable(taxonomy: Taxonomy, report: F1Report, baseline?: F1Report, repeats = 1): string[] {
  const lines = [`    ${'topic'.padEnd(28)} ${'P'.padStart(5)} ${'R'.padStart(5)} ${'F1'.padStart(5)}  support${baseline ? '   keywords F1' : ''}`];
  for (const topic of taxonomy.topics) {
    const c = report.perTopic[topic.name];
    const k = baseline?.perTopic[topic.name];
    if (!c && !k) continue;
    const support = c ? c.support / repeats : k!.support;
    const row = c ? `${fixed(c.precision, 2).padStart(5)} ${fixed(c.recall, 2).padStart(5)} ${fixed(c.f1, 2).padStart(5)}` : `${'-'.padStart(5)} ${'-'.padStart(5)} ${'-'.padStart(5)}`;
    lines.push(`    ${topic.name.padEnd(28)} ${row}  ${String(support).padStart(7)}${baseline ? `   ${k ? fixed(k.f1, 2) : '-'}` : ''}`);
  }
  return lines;
}

export interface CorrectionsCurve {
  /** Corrections asked for before scoring (Infinity: every one the stream offered). */
  steps: number[];
  /** Micro F1 on the test folds after each step, one value per fold. */
  microByStep: number[][];
  /** Corrections actually made by each step, summed over folds. */
  madeByStep: number[];
  /** Items an editor read, and how many of them the base model got wrong (summed over folds). */
  streamItems: number;
  wrong: number;
}

/**
 * How editors' corrections move the cross-validated figure. In each fold, the base model is trained on
 * `baseShare` of the training stories; an editor then reads the rest of the training items in turn and
 * corrects every one whose topics the current model gets wrong, and the model retrains after each batch
 * (as `addCorrections` does on the desk, thresholds kept). Each step is scored on the fold's test items.
 */
export function correctionsCurve(
  taxonomy: Taxonomy,
  train: (examples: TopicExample[]) => TopicClassifier & { addCorrections(corrections: TopicExample[]): void },
  items: LabeledItem[] = readLabeledSet(),
  steps: number[] = [0, 10, 20, 40, Infinity],
  options: { folds: number; seed: number; baseShare: number } = { folds: 5, seed: 42, baseShare: 0.5 },
): CorrectionsCurve {
  const foldOf = foldsOf(items, options.folds, options.seed);
  const microByStep: number[][] = steps.map(() => []);
  const madeByStep = steps.map(() => 0);
  let streamItems = 0;
  let wrong = 0;
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((t) => b.includes(t));
  for (let fold = 0; fold < options.folds; fold++) {
    const test = items.filter((_, i) => foldOf[i] === fold);
    const rest = items.filter((_, i) => foldOf[i] !== fold);
    const stories = shuffleInPlace([...new Set(rest.map((i) => i.story))], seededRandom(options.seed + 100 + fold));
    const baseStories = new Set(stories.slice(0, Math.round(stories.length * options.baseShare)));
    const base = rest.filter((i) => baseStories.has(i.story));
    const stream = rest.filter((i) => !baseStories.has(i.story));
    streamItems += stream.length;
    const classifier = train(base);
    const score = () => f1Scores(taxonomy, test.map((i) => i.topics), test.map((i) => classifier.classify(asInput(i)))).micro;
    // The editor's corrections in reading order: items the base model gets wrong.
    const corrections = stream.filter((i) => !same(classifier.classify(asInput(i)), i.topics));
    wrong += corrections.length;
    let made = 0;
    steps.forEach((step, s) => {
      const upTo = Math.min(step, corrections.length);
      if (upTo > made) {
        classifier.addCorrections(corrections.slice(made, upTo).map(({ title, excerpt, text, topics }) => ({ title, excerpt, text, topics })));
        made = upTo;
      }
      microByStep[s]!.push(score());
      madeByStep[s]! += made;
    });
  }
  return { steps, microByStep, madeByStep, streamItems, wrong };
}

export interface StoryCorrections {
  /** Test stories of two or more items in which the fold's model got an item wrong. */
  stories: number;
  /** Other items of those stories (not the corrected one): wrong before the correction, and how they fare after. */
  mates: number;
  wrongBefore: number;
  fixed: number;
  broken: number;
  /** Micro F1 over the story-mates before and after. */
  microBefore: number;
  microAfter: number;
}

/**
 * What one correction does to the rest of its story: in each fold, for every test story of several items
 * that the fold's model gets partly wrong, an editor corrects the first wrong item; the model retrains
 * and the story's other items are classified again. A news desk sees a story from many outlets, so this is
 * where a correction shows first (the cross-validated figure keeps stories apart by design).
 */
export function storyCorrections(
  taxonomy: Taxonomy,
  train: (examples: TopicExample[]) => TopicModel,
  items: LabeledItem[] = readLabeledSet(),
  options: { folds: number; seed: number } = { folds: 5, seed: 42 },
): StoryCorrections {
  const foldOf = foldsOf(items, options.folds, options.seed);
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((t) => b.includes(t));
  const result = { stories: 0, mates: 0, wrongBefore: 0, fixed: 0, broken: 0 };
  const gold: string[][] = [];
  const before: string[][] = [];
  const after: string[][] = [];
  for (let fold = 0; fold < options.folds; fold++) {
    const trainItems = items.filter((_, i) => foldOf[i] !== fold);
    const test = items.filter((_, i) => foldOf[i] === fold);
    const byStory = new Map<string, LabeledItem[]>();
    for (const item of test) byStory.set(item.story, [...(byStory.get(item.story) ?? []), item]);
    const model = train(trainItems);
    const base = createLearnedClassifier(taxonomy, model);
    const groups = [...byStory.values()].filter((g) => g.length > 1);
    const predicted = new Map(groups.flat().map((i) => [i, base.classify(asInput(i))]));
    for (const group of groups) {
      const corrected = group.find((i) => !same(predicted.get(i)!, i.topics));
      if (!corrected) continue;
      result.stories++;
      const classifier = createLearnedClassifier(taxonomy, model);
      classifier.addCorrections([{ title: corrected.title, excerpt: corrected.excerpt, text: corrected.text, topics: corrected.topics }]);
      for (const mate of group.filter((i) => i !== corrected)) {
        const was = predicted.get(mate)!;
        const now = classifier.classify(asInput(mate));
        result.mates++;
        if (!same(was, mate.topics)) result.wrongBefore++;
        if (!same(was, mate.topics) && same(now, mate.topics)) result.fixed++;
        if (same(was, mate.topics) && !same(now, mate.topics)) result.broken++;
        gold.push(mate.topics);
        before.push(was);
        after.push(now);
      }
    }
  }
  return { ...result, microBefore: f1Scores(taxonomy, gold, before).micro, microAfter: f1Scores(taxonomy, gold, after).micro };
}
