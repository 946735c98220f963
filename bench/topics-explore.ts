// Compares variants of the learned topic classifier by repeated, story-grouped cross-validation on the
// hand-labeled AI set (see topics-ai.ts). `npx tsx bench/topics-explore.ts [variant ...] [--table]
// [--repeats N]`; no variant runs them all. Every variant tunes what it tunes inside the training folds.
//
// Measured on the 380 items, 3 x 5 folds (micro F1 pooled; fold sd about 0.02-0.03; "later" = the 49 items
// labeled after cues and the subject rule were written), in the order tried:
//   without cues 0.769 (later 0.679); without cues and without the subject rule 0.733 (0.667)
//   with cues (no title cues) 0.844 (0.831); cues-0.5, cues-2, C-3, C-30, no-char-ngrams, keyword unions
//   0.8/0.9: 0.836-0.844 (within noise); no seeds 0.840 but macro 0.783 against 0.827; 6 seeds: 0.844
//   against no-char-ngrams 0.843
//   a threshold per topic (chosen like the global one, inside the training folds, for topics with at least
//   10 positives) 0.838; on the first 331 items without cues it also scored lower (0.759 against 0.764)
//   title cues 1 (shipped) 0.851 (0.837); title cues 2 0.849 (0.808); without title cues but a union with
//   title-cue topics 0.852 (0.8) and 0.848 (0.9); title cues and that union 0.855 (0.840): kept the simpler.
//   the keywords among the cues (shipped; an editor's new keyword then counts at once) 0.855 (0.825).
//   Reference keywords alone: 0.670.
import { createKeywordClassifier, inTaxonomyOrder, keywordPattern } from '../src/curate/topics/keywords.ts';
import { createLearnedClassifier, defaultTopicTrainingOptions, trainTopicModel, type TopicExample, type TopicTrainingOptions } from '../src/curate/topics/learned.ts';
import { defaultTaxonomyFile, loadTaxonomy } from '../src/curate/topics/taxonomy.ts';
import type { Taxonomy, TopicClassifier } from '../src/curate/types.ts';
import { asInput, crossValidate, defaultCrossValidation, formatSpread, isLaterItem, keywordScores, perTopicTable, readLabeledSet, subsetScores } from './topics-ai.ts';

const taxonomy = loadTaxonomy(defaultTaxonomyFile);
const base = defaultTopicTrainingOptions;

const withoutSubjects: Taxonomy = { root: taxonomy.root, topics: taxonomy.topics.map(({ subject: _, ...t }) => t) };

const variants: Record<string, { options?: Partial<TopicTrainingOptions>; taxonomy?: Taxonomy }> = {
  shipped: {},
  'no-cues': { options: { cueFeature: 0, titleCueFeature: 0 } },
  'no-subject-rule': { taxonomy: withoutSubjects },
  'cues-0.5': { options: { cueFeature: 0.5 } },
  'cues-2': { options: { cueFeature: 2 } },
  'C-3': { options: { logistic: { ...base.logistic, C: 3 } } },
  'C-30': { options: { logistic: { ...base.logistic, C: 30 } } },
  'positive-weight-4': { options: { logistic: { ...base.logistic, positiveWeight: 4 } } },
  'no-char-ngrams': { options: { features: { ...base.features, charNgrams: null } } },
  'keyword-feature-2': { options: { keywordFeature: 2 } },
  'no-seeds': { options: { taxonomySeeds: false } },
  'no-title-cues': { options: { titleCueFeature: 0 } },
  'title-cues-2': { options: { titleCueFeature: 2 } },
};

/**
 * A precision-first union: the learned topics plus every reference-keyword topic whose keywords were
 * right at least `minPrecision` of the time on the training items (title + excerpt).
 */
function withKeywordUnion(t: Taxonomy, options: TopicTrainingOptions, minPrecision: number) {
  return (train: TopicExample[]): TopicClassifier => {
    const learned = createLearnedClassifier(t, trainTopicModel(t, train, [], options));
    const keywords = createKeywordClassifier(t);
    const trusted = new Set<string>();
    for (const topic of t.topics) {
      let hits = 0;
      let right = 0;
      for (const e of train) {
        if (!keywords.classify(asInput(e)).includes(topic.name)) continue;
        hits++;
        if (e.topics.includes(topic.name)) right++;
      }
      if (hits >= 3 && right / hits >= minPrecision) trusted.add(topic.name);
    }
    return {
      name: 'union',
      classify(input) {
        const extra = keywords.classify(input).filter((name) => trusted.has(name));
        return inTaxonomyOrder(t, [...learned.classify(input), ...extra]);
      },
    };
  };
}

/** The learned topics plus every topic with a cue in the title, for topics whose title cues were right at least `minPrecision` of the time on the training items. */
function withTitleCueUnion(t: Taxonomy, options: TopicTrainingOptions, minPrecision: number) {
  return (train: TopicExample[]): TopicClassifier => {
    const learned = createLearnedClassifier(t, trainTopicModel(t, train, [], options));
    const patterns = t.topics.map((topic) => ({ topic, pattern: keywordPattern(topic.cues ?? [], { inflections: true }) }));
    const trusted = patterns.filter(({ topic, pattern }) => {
      if (!pattern) return false;
      const hits = train.filter((e) => pattern.test(e.title));
      return hits.length >= 3 && hits.filter((e) => e.topics.includes(topic.name)).length / hits.length >= minPrecision;
    });
    return {
      name: 'title-cue-union',
      classify(input) {
        return inTaxonomyOrder(t, [...learned.classify(input), ...trusted.filter((p) => p.pattern!.test(input.title)).map((p) => p.topic.name)]);
      },
    };
  };
}

const unions: Record<string, (train: TopicExample[]) => TopicClassifier> = {
  'title-cue-union-0.8': withTitleCueUnion(taxonomy, base, 0.8),
  'no-title-cues-union-0.8': withTitleCueUnion(taxonomy, { ...base, titleCueFeature: 0 }, 0.8),
  'no-title-cues-union-0.9': withTitleCueUnion(taxonomy, { ...base, titleCueFeature: 0 }, 0.9),
  'keyword-union-0.9': withKeywordUnion(taxonomy, base, 0.9),
  'keyword-union-0.8': withKeywordUnion(taxonomy, base, 0.8),
};

const items = readLabeledSet();
const wanted = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--repeats');
const showTable = process.argv.includes('--table');
const repeatsAt = process.argv.indexOf('--repeats');
const cvOptions = { ...defaultCrossValidation, repeats: repeatsAt >= 0 ? Number(process.argv[repeatsAt + 1]) : defaultCrossValidation.repeats };
const k = keywordScores(taxonomy, items);
const kLater = keywordScores(taxonomy, items.filter(isLaterItem));
console.log(`${items.length} items, ${new Set(items.map((i) => i.story)).size} stories; ${cvOptions.repeats}x${cvOptions.folds}-fold CV`);
console.log(`keywords          micro ${k.micro.toFixed(3)} (P ${k.precision.toFixed(3)} R ${k.recall.toFixed(3)}) macro ${k.macro.toFixed(3)}  later items ${kLater.micro.toFixed(3)}`);
const runs: Array<[string, Taxonomy, (train: TopicExample[]) => TopicClassifier]> = [
  ...Object.entries(variants).map(([name, v]): [string, Taxonomy, (train: TopicExample[]) => TopicClassifier] => {
    const t = v.taxonomy ?? taxonomy;
    const options = { ...base, ...v.options };
    return [name, t, (train) => createLearnedClassifier(t, trainTopicModel(t, train, [], options))];
  }),
  ...Object.entries(unions).map(([name, make]): [string, Taxonomy, (train: TopicExample[]) => TopicClassifier] => [name, taxonomy, make]),
];
for (const [name, t, train] of runs) {
  if (wanted.length && !wanted.includes(name)) continue;
  const started = Date.now();
  const cv = crossValidate(t, train, items, cvOptions);
  const p = cv.pooled;
  const later = subsetScores(t, cv, isLaterItem);
  console.log(`${name.padEnd(17)} micro ${p.micro.toFixed(3)} (P ${p.precision.toFixed(3)} R ${p.recall.toFixed(3)}) macro ${p.macro.toFixed(3)}  folds ${formatSpread(cv.foldMicro)}  later items ${later.micro.toFixed(3)}  ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (showTable) for (const line of perTopicTable(t, p, k, cv.options.repeats)) console.log(line);
}
