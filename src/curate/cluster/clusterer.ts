// Incremental same-story clustering: one article at a time, candidates only from the index's key
// lookup, a bounded number of similarity computations per article whatever the number stored.
import type { AssignResult, CandidateIndex, ClusterArticle, ClusterFeatures } from '../types.ts';
import { DEFAULT_CLUSTER_CONFIG, type ClusterConfig } from './config.ts';
import { analyze, buildFeatures, distinctTerms, lookupKeys } from './features.ts';
import { idfLookup, outsideWindow, prepare, similarity, type PreparedFeatures } from './similarity.ts';

interface StoryScore {
  storyId: string;
  best: number;
  score: number;
}

/**
 * Finds the story of `article`, adds the article to the index under it and returns the decision.
 * A story is joined when its linkage score reaches the threshold; other stories that also reach the
 * merge threshold are merged into it (reported in `mergedStoryIds`).
 */
export interface PreparedArticle {
  features: ClusterFeatures;
  keys: string[];
  distinctTerms: string[];
  /** Document frequencies of the article's own terms, counting the article. */
  df: Map<string, number>;
  /** N, counting the article. */
  documentCount: number;
}

/** Features and lookup keys of an article against the index's current document frequencies. */
export async function prepareArticle(article: ClusterArticle, index: CandidateIndex, config: ClusterConfig = DEFAULT_CLUSTER_CONFIG): Promise<PreparedArticle> {
  const analyzed = analyze(article, config);
  const terms = distinctTerms(analyzed);
  // Frequencies and N count the article itself, as if it were already stored.
  const documentCount = (await index.documentCount()) + 1;
  const ownDf = await index.documentFrequencies(terms);
  const df = new Map<string, number>();
  terms.forEach((t, i) => df.set(t, ownDf[i]! + 1));
  const features = buildFeatures(analyzed, df, documentCount, config);
  return { features, keys: lookupKeys(analyzed, features, config), distinctTerms: terms, df, documentCount };
}

export async function assign(
  article: ClusterArticle,
  index: CandidateIndex,
  config: ClusterConfig = DEFAULT_CLUSTER_CONFIG,
): Promise<AssignResult> {
  const { features, keys, distinctTerms: terms, df, documentCount } = await prepareArticle(article, index, config);

  const found = (await index.lookup(keys, config.candidatesPerKey)).filter((id) => id !== article.id);
  // Only the first candidates (found under the most keys) are compared in full: the cost bound per article.
  const candidateIds = found.slice(0, config.maxCompared);
  const candidateFeatures = await index.getFeatures(candidateIds);

  const comparable: Array<{ id: string; features: ClusterFeatures }> = [];
  candidateIds.forEach((id, i) => {
    const f = candidateFeatures[i];
    if (f && !outsideWindow(features.time, f.time, config.windowDays)) comparable.push({ id, features: f });
  });

  let scores: StoryScore[] = [];
  if (comparable.length > 0) {
    scores = await scoreStories(features, comparable, df, documentCount, index, config);
  }

  const best = scores[0];
  let storyId: string;
  let newStory = false;
  const mergedStoryIds: string[] = [];
  if (best && best.score >= config.threshold) {
    storyId = best.storyId;
    for (const other of scores.slice(1)) {
      if (other.score >= config.mergeThreshold && other.storyId !== storyId) mergedStoryIds.push(other.storyId);
    }
    if (mergedStoryIds.length > 0) await index.mergeStories(storyId, mergedStoryIds);
  } else {
    storyId = await index.createStory(article.id);
    newStory = true;
  }
  await index.add({ id: article.id, features, keys, distinctTerms: terms, storyId });
  return {
    storyId,
    newStory,
    candidatesChecked: found.length,
    bestSimilarity: best?.score ?? 0,
    mergedStoryIds,
  };
}

async function scoreStories(
  features: ClusterFeatures,
  comparable: Array<{ id: string; features: ClusterFeatures }>,
  ownDf: Map<string, number>,
  documentCount: number,
  index: CandidateIndex,
  config: ClusterConfig,
): Promise<StoryScore[]> {
  const df = new Map(ownDf);
  await addDocumentFrequencies(df, comparable.map((c) => c.features), index);
  const idfOf = idfLookup(df, documentCount);
  const self = prepare(features, idfOf);

  const similarityById = new Map<string, number>();
  for (const c of comparable) similarityById.set(c.id, similarity(self, prepare(c.features, idfOf), config).score);

  const stories = await index.storiesOf(comparable.map((c) => c.id));
  const bestByStory = new Map<string, number>();
  comparable.forEach((c, i) => {
    const story = stories[i];
    if (story === undefined) return;
    const s = similarityById.get(c.id)!;
    if (s > (bestByStory.get(story) ?? -1)) bestByStory.set(story, s);
  });
  const ranked = [...bestByStory]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, config.maxCandidateStories);

  const results: StoryScore[] = [];
  for (const [storyId, bestLink] of ranked) {
    let score = bestLink;
    if (bestLink >= config.duplicateThreshold) {
      results.push({ storyId, best: bestLink, score: bestLink });
      continue;
    }
    if (config.linkage === 'average') {
      score = await averageLink(self, storyId, comparable, similarityById, stories, df, documentCount, index, config);
    }
    if (config.relative) score = liftOverBackground(score, storyId, comparable, similarityById, stories);
    results.push({ storyId, best: bestLink, score });
  }
  results.sort((a, b) => b.score - a.score || (a.storyId < b.storyId ? -1 : 1));
  return results;
}

/**
 * How far a story's score stands above the article's background: the mean similarity to the compared
 * candidates of other stories (its nearest look-alikes), as a share of the room above it. Absolute
 * similarities depend on text length and on how formulaic a beat is; the lift compares like with like.
 * With fewer than three other candidates there is no background to speak of and the score stands.
 */
function liftOverBackground(
  score: number,
  storyId: string,
  comparable: Array<{ id: string }>,
  similarityById: Map<string, number>,
  stories: Array<string | undefined>,
): number {
  let sum = 0;
  let count = 0;
  comparable.forEach((c, i) => {
    if (stories[i] === storyId) return;
    sum += similarityById.get(c.id)!;
    count++;
  });
  if (count < 3) return score;
  const background = sum / count;
  return background >= 1 ? 0 : (score - background) / (1 - background);
}

/** Mean similarity to the story's candidates plus up to `membersPerStory` of its latest members. */
async function averageLink(
  self: PreparedFeatures,
  storyId: string,
  comparable: Array<{ id: string; features: ClusterFeatures }>,
  similarityById: Map<string, number>,
  stories: Array<string | undefined>,
  df: Map<string, number>,
  documentCount: number,
  index: CandidateIndex,
  config: ClusterConfig,
): Promise<number> {
  const memberSimilarities = new Map<string, number>();
  comparable.forEach((c, i) => {
    if (stories[i] === storyId) memberSimilarities.set(c.id, similarityById.get(c.id)!);
  });
  const members = (await index.storyMembers(storyId, config.membersPerStory)).filter((id) => !memberSimilarities.has(id));
  if (members.length > 0) {
    const memberFeatures = await index.getFeatures(members);
    const known = memberFeatures.filter((f): f is ClusterFeatures => f !== undefined);
    await addDocumentFrequencies(df, known, index);
    const idfOf = idfLookup(df, documentCount);
    members.forEach((id, i) => {
      const f = memberFeatures[i];
      if (f) memberSimilarities.set(id, similarity(self, prepare(f, idfOf), config).score);
    });
  }
  let sum = 0;
  for (const s of memberSimilarities.values()) sum += s;
  return memberSimilarities.size === 0 ? 0 : sum / memberSimilarities.size;
}

async function addDocumentFrequencies(df: Map<string, number>, features: ClusterFeatures[], index: CandidateIndex): Promise<void> {
  const missing = new Set<string>();
  for (const f of features) {
    for (const [t] of f.terms) if (!df.has(t)) missing.add(t);
    for (const t of f.titleTerms) if (!df.has(t)) missing.add(t);
    for (const e of f.entities) if (!df.has(e)) missing.add(e);
  }
  if (missing.size === 0) return;
  const list = [...missing];
  const values = await index.documentFrequencies(list);
  list.forEach((t, i) => df.set(t, values[i]!));
}
