// Contracts of the curation stages: topics, quality, clustering, heat, gate.
import type { NewsRecord, QualityPart } from '../record.ts';

export interface TopicDef {
  id: string;
  name: string;
  shortName?: string;
  parent: string | null;
  description?: string;
  keywords: string[];
  hashtags?: string[];
  /**
   * Names (a company, its AI brands) that give the topic when one is the item's subject: in the title
   * or the excerpt's first sentence (see topics/subject.ts). Such a topic is decided by that rule alone.
   */
  subject?: string[];
  /**
   * Words and phrases that signal the topic, for the learned classifier (one feature per topic, shared by
   * its cues). Not a rule: the model weighs them against everything else in the item.
   */
  cues?: string[];
}

export interface Taxonomy {
  root: TopicDef;
  /** Every topic except the root, in taxonomy order (see `allTopics` in topics/taxonomy.ts). */
  topics: TopicDef[];
}

export interface ClassifierInput {
  title: string;
  excerpt: string;
  text: string;
}

export interface TopicClassifier {
  readonly name: string;
  /** Topic names, root included. */
  classify(input: ClassifierInput): string[];
}

export interface QualityResult {
  total: number;
  parts: QualityPart[];
}

/** What quality scoring may know beyond the record itself. */
export interface QualityContext {
  knownOrganization: { name: string; hasLogo: boolean } | null;
  duplicateOf?: string | null;
  /** The publisher's standing from -1 (poor) to 1 (excellent), as an editor or the organizations file set it. */
  publisherStanding?: number | null;
}

export type QualityScorer = (record: NewsRecord, context: QualityContext) => QualityResult;

export interface StoryMember {
  articleId: number;
  quality: number | null;
}

export interface HeatResult {
  articleId: number;
  heat: number | null;
  reason: string;
}

export interface GateInput {
  heat: number | null;
  override: 'pin' | 'block' | null;
  threshold: number;
}

// ---- Same-story clustering (src/curate/cluster) ----

/** What the clusterer reads of an article. */
export interface ClusterArticle {
  id: string;
  title: string;
  text: string;
  /** ISO 8601; absent or null means "compare without a time window". */
  publishedDateTime?: string | null;
  url?: string | null;
}

/**
 * What is kept of an article for later comparisons: small and JSON-serialisable (a store keeps it in
 * `articles.cluster_features`). Version 2 keeps the terms of the title and lead in order of appearance;
 * version 1 (older stores) kept the top terms by TF-IDF at the time the article was added. Both compare
 * the same way.
 */
export interface ClusterFeatures {
  v: 1 | 2;
  /** Publication time, epoch milliseconds; null when unknown. */
  time: number | null;
  /** Content terms (stemmed) of title and lead with their counts (v2: in order of appearance). */
  terms: Array<[string, number]>;
  /** Distinct content terms of the title. */
  titleTerms: string[];
  /** Named things (`name:`, `num:`, `money:`, `pct:`, `quote:`), capped (v2: in order of appearance). */
  entities: string[];
}

/** An article as the index stores it. */
export interface CandidateEntry {
  id: string;
  features: ClusterFeatures;
  /** Lookup keys: MinHash LSH band keys (`m<band>:<hex>`), rare entity keys (`e:`), top-term keys (`t:`). */
  keys: string[];
  /** What document frequencies count of the article (`documentTerms` of its features). */
  documentTerms: string[];
  storyId: string;
}

/**
 * Where the clusterer finds candidates. Finding candidates is a lookup by key (an indexed table
 * `story_bands(band_key, article_id)` in a store), never a scan; every method is bounded by its
 * arguments, not by the number of stored articles.
 */
export interface CandidateIndex {
  /** Number of articles added so far (the N of IDF). */
  documentCount(): Promise<number>;
  /** Document frequency of each term (0 when unseen), in the order asked. */
  documentFrequencies(terms: readonly string[]): Promise<number[]>;
  /**
   * Ids of the articles stored under any of the keys, each once, reading per key at most `limitPerKey`
   * postings (most recently added first). Order matters: the clusterer compares only the first
   * `maxCompared`, so ids found under more of the keys should come first (ties: most recent first).
   */
  lookup(keys: readonly string[], limitPerKey: number): Promise<string[]>;
  /** Stored features, in the order asked (undefined for unknown ids). */
  getFeatures(ids: readonly string[]): Promise<Array<ClusterFeatures | undefined>>;
  /** Current story of each article (after merges), in the order asked. */
  storiesOf(ids: readonly string[]): Promise<Array<string | undefined>>;
  /** Up to `limit` members of each story, most recently added first, in the order asked (one read for all). */
  storyMembers(storyIds: readonly string[], limit: number): Promise<string[][]>;
  /** Opens a story whose first member is the given article; returns its id. */
  createStory(firstArticleId: string): Promise<string>;
  /** Adds the article under `entry.storyId`; returns the story it is in (a store may have redirected it). */
  add(entry: CandidateEntry): Promise<string | void>;
  /** Moves every member of `from` into `into`. */
  mergeStories(into: string, from: readonly string[]): Promise<void>;
}

export interface AssignResult {
  storyId: string;
  /** True when the article opened a new story. */
  newStory: boolean;
  /** Distinct candidate articles returned by the index lookup (the best `maxCompared` of them are compared). */
  candidatesChecked: number;
  /** Best linkage score against any candidate story (0 when there was none). */
  bestSimilarity: number;
  /** Stories this article bridged into `storyId` (already merged in the index; a store merges its rows). */
  mergedStoryIds: string[];
}
