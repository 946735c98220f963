// Incremental same-story clustering: one article at a time, candidates only from the index's key
// lookup, a bounded number of similarity computations per article whatever the number stored.
import type { AssignResult, CandidateIndex, ClusterArticle, ClusterFeatures } from '../types.ts';
import { DEFAULT_CLUSTER_CONFIG, type ClusterConfig } from './config.ts';
import { analyze, buildFeatures, documentTerms, lookupKeys } from './features.ts';
import { mergeByAverageLink } from './agglomerate.ts';
import { idfLookup, outsideWindow, prepare, similarity, withNorms, type PreparedFeatures } from './similarity.ts';

interface StoryScore {
  storyId: string;
  best: number;
  score: number;
}

export interface PreparedArticle {
  features: ClusterFeatures;
  keys: string[];
  documentTerms: string[];
  /** Document frequencies of the article's own terms, counting the article. */
  df: Map<string, number>;
  /** N, counting the article. */
  documentCount: number;
}

/** Features and lookup keys of an article against the index's current document frequencies. */
export async function prepareArticle(article: ClusterArticle, index: CandidateIndex, config: ClusterConfig = DEFAULT_CLUSTER_CONFIG): Promise<PreparedArticle> {
  const analyzed = analyze(article, config);
  const features = buildFeatures(analyzed, config);
  const terms = documentTerms(features);
  // Frequencies and N count the article itself, as if it were already stored.
  const documentCount = (await index.documentCount()) + 1;
  const ownDf = await index.documentFrequencies(terms);
  const df = new Map<string, number>();
  terms.forEach((t, i) => df.set(t, ownDf[i]! + 1));
  return { features, keys: lookupKeys(analyzed, features, df, documentCount, config), documentTerms: terms, df, documentCount };
}

/**
 * Finds the story of `article`, adds the article to the index under it and returns the decision.
 * A story is joined when its linkage score reaches the threshold; other stories that also reach the
 * merge threshold are merged into it (reported in `mergedStoryIds`).
 */
export async function assign(
  article: ClusterArticle,
  index: CandidateIndex,
  config: ClusterConfig = DEFAULT_CLUSTER_CONFIG,
): Promise<AssignResult> {
  const { features, keys, documentTerms: terms, df, documentCount } = await prepareArticle(article, index, config);

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
  const context: ScoringContext = { df: new Map(df), members: new Map() };
  if (comparable.length > 0) {
    scores = await scoreStories(features, comparable, context, documentCount, index, config);
  }

  const best = scores[0];
  let storyId: string;
  let newStory = false;
  const mergedStoryIds: string[] = [];
  if (best && best.score >= config.threshold) {
    storyId = best.storyId;
    for (const other of scores.slice(1)) {
      if (config.mergeThreshold !== null && other.score >= config.mergeThreshold && other.storyId !== storyId) mergedStoryIds.push(other.storyId);
    }
    if (mergedStoryIds.length > 0) await index.mergeStories(storyId, mergedStoryIds);
  } else {
    storyId = await index.createStory(article.id);
    newStory = true;
  }
  storyId = (await index.add({ id: article.id, features, keys, documentTerms: terms, storyId })) || storyId;
  if (config.regroupThreshold !== null && !newStory && scores.length > 1) {
    mergedStoryIds.push(...(await regroup(article.id, features, storyId, scores, mergedStoryIds, context, documentCount, index, config)));
  }
  return {
    storyId,
    newStory,
    candidatesChecked: found.length,
    bestSimilarity: best?.score ?? 0,
    mergedStoryIds,
  };
}

/** What scoring learned and regrouping reuses: frequencies read so far, members of each scored story. */
interface ScoringContext {
  df: Map<string, number>;
  members: Map<string, Map<string, ClusterFeatures>>;
}

async function scoreStories(
  features: ClusterFeatures,
  comparable: Array<{ id: string; features: ClusterFeatures }>,
  context: ScoringContext,
  documentCount: number,
  index: CandidateIndex,
  config: ClusterConfig,
): Promise<StoryScore[]> {
  const df = context.df;
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

  // Every story to link is read at once: its latest members and their features, and the
  // frequencies of their terms, in three reads however many stories there are.
  if (config.linkage !== 'single') {
    const toLink = ranked.filter(([, bestLink]) => bestLink < config.duplicateThreshold).map(([storyId]) => storyId);
    await readMembers(toLink, comparable, stories, context, index, config);
  }

  const results: StoryScore[] = [];
  for (const [storyId, bestLink] of ranked) {
    let score = bestLink;
    if (bestLink >= config.duplicateThreshold) {
      results.push({ storyId, best: bestLink, score: bestLink });
      continue;
    }
    if (config.linkage !== 'single') {
      score = storyLink(self, storyId, similarityById, context, documentCount, config);
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

/**
 * The link of the article to a story, over the story's candidates plus up to `membersPerStory` of its
 * latest members: 'average' is the mean pairwise similarity; 'centroid' the similarity to the sum of
 * the members' unit vectors (single-pass centroid clustering, as in topic detection and tracking),
 * which rewards what the members have in common rather than punishing what each has alone.
 */
/**
 * The members each story is linked over: its candidates plus up to `membersPerStory` of its latest
 * members, with their features and the frequencies of their terms added to the context.
 */
async function readMembers(
  storyIds: readonly string[],
  comparable: Array<{ id: string; features: ClusterFeatures }>,
  stories: Array<string | undefined>,
  context: ScoringContext,
  index: CandidateIndex,
  config: ClusterConfig,
): Promise<void> {
  if (storyIds.length === 0) return;
  const latest = await index.storyMembers(storyIds, config.membersPerStory);
  const missing = new Set<string>();
  storyIds.forEach((storyId, s) => {
    const memberFeatures = new Map<string, ClusterFeatures>();
    context.members.set(storyId, memberFeatures);
    comparable.forEach((c, i) => {
      if (stories[i] === storyId) memberFeatures.set(c.id, c.features);
    });
    for (const id of latest[s]!) if (!memberFeatures.has(id)) missing.add(id);
  });
  const ids = [...missing];
  const fetched = ids.length > 0 ? await index.getFeatures(ids) : [];
  const featuresOf = new Map<string, ClusterFeatures>();
  ids.forEach((id, i) => {
    if (fetched[i]) featuresOf.set(id, fetched[i]!);
  });
  storyIds.forEach((storyId, s) => {
    const memberFeatures = context.members.get(storyId)!;
    for (const id of latest[s]!) {
      const f = featuresOf.get(id);
      if (f && !memberFeatures.has(id)) memberFeatures.set(id, f);
    }
  });
  await addDocumentFrequencies(context.df, [...featuresOf.values()], index);
}

function storyLink(
  self: PreparedFeatures,
  storyId: string,
  similarityById: Map<string, number>,
  context: ScoringContext,
  documentCount: number,
  config: ClusterConfig,
): number {
  const df = context.df;
  const memberFeatures = context.members.get(storyId) ?? new Map<string, ClusterFeatures>();
  if (memberFeatures.size === 0) return 0;
  const idfOf = idfLookup(df, documentCount);
  if (config.linkage === 'centroid') {
    const text = new Map<string, number>();
    const entities = new Map<string, number>();
    const title = new Map<string, number>();
    for (const f of memberFeatures.values()) {
      const member = prepare(f, idfOf);
      addUnit(text, member.text);
      addUnit(entities, member.entities);
      addUnit(title, member.title);
    }
    return similarity(self, withNorms(self.features, text, entities, title), config).score;
  }
  let sum = 0;
  for (const [id, f] of memberFeatures) sum += similarityById.get(id) ?? similarity(self, prepare(f, idfOf), config).score;
  return sum / (memberFeatures.size + config.priorPairs);
}

/**
 * Bounded local re-clustering, merge only: the stories the article touched (the one it joined and the
 * other scored candidates, at most `maxCandidateStories`) are agglomerated by average link over their
 * sampled members (at most `membersPerStory` each, plus the candidates found), best pair first, while a
 * pair reaches `regroupThreshold`. This is what batch average-link clustering would do within this
 * neighbourhood: two stories opened apart (a first report that found no company) come together once
 * they have members, on the evidence of all their pairs rather than of one article. It runs only when
 * the article joined a story (a story it has just opened is regrouped when a later article joins it),
 * and returns the stories merged into the article's story.
 */
async function regroup(
  articleId: string,
  features: ClusterFeatures,
  ownStory: string,
  scores: StoryScore[],
  alreadyMerged: readonly string[],
  context: ScoringContext,
  documentCount: number,
  index: CandidateIndex,
  config: ClusterConfig,
): Promise<string[]> {
  const skip = new Set(alreadyMerged);
  const storyIds = scores.map((s) => s.storyId).filter((id) => !skip.has(id));
  if (storyIds.length < 2 || !storyIds.includes(ownStory)) return [];
  const membersOf = new Map<string, Map<string, ClusterFeatures>>();
  const unread = storyIds.filter((id) => (context.members.get(id)?.size ?? 0) === 0);
  const latest = unread.length > 0 ? await index.storyMembers(unread, config.membersPerStory) : [];
  const latestIds = latest.flat();
  const fetched = latestIds.length > 0 ? await index.getFeatures(latestIds) : [];
  const featuresOf = new Map<string, ClusterFeatures>();
  latestIds.forEach((id, i) => {
    if (fetched[i]) featuresOf.set(id, fetched[i]!);
  });
  for (const storyId of storyIds) {
    const known = new Map(context.members.get(storyId) ?? []);
    const u = unread.indexOf(storyId);
    if (u >= 0) {
      for (const id of latest[u]!) {
        const f = featuresOf.get(id);
        if (f && id !== articleId) known.set(id, f);
      }
    }
    if (storyId === ownStory) known.set(articleId, features);
    if (known.size > 0) membersOf.set(storyId, known);
  }
  const all = [...membersOf.values()].flatMap((m) => [...m.values()]);
  await addDocumentFrequencies(context.df, all, index);
  const idfOf = idfLookup(context.df, documentCount);
  const clusters = [...membersOf].map(([storyId, members]) => ({
    stories: [storyId],
    items: [...members.values()].map((f) => prepare(f, idfOf)),
  }));
  const n = clusters.length;
  if (n < 2) return [];
  const sums: number[][] = clusters.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let sum = 0;
      for (const a of clusters[i]!.items) {
        for (const b of clusters[j]!.items) {
          if (!outsideWindow(a.features.time, b.features.time, config.windowDays)) sum += similarity(a, b, config).score;
        }
      }
      sums[i]![j] = sums[j]![i] = sum;
    }
  }
  mergeByAverageLink(sums, clusters.map((c) => c.items.length), { prior: config.priorPairs, stopBelow: config.regroupThreshold! }, (kept, gone) => {
    clusters[kept]!.stories.push(...clusters[gone]!.stories);
    clusters[gone]!.stories = [];
  });
  // Only the group of the article's story is merged now: the caller rescores that one story. Other
  // groups wait until an article of theirs arrives.
  const merged = clusters.find((c) => c.stories.includes(ownStory))!.stories.filter((s) => s !== ownStory);
  if (merged.length > 0) await index.mergeStories(ownStory, merged);
  return merged;
}

function addUnit(into: Map<string, number>, vector: Map<string, number>): void {
  let norm = 0;
  for (const v of vector.values()) norm += v * v;
  if (norm === 0) return;
  const scale = 1 / Math.sqrt(norm);
  for (const [k, v] of vector) into.set(k, (into.get(k) ?? 0) + v * scale);
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
