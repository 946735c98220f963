// Consolidation: the pass that heals stories. The incremental clusterer gives every article a story at
// once, one article at a time and without a lock, so its first answers depend on arrival order and on
// which worker saw what. This pass takes the articles that have not been consolidated yet (and, after
// the document frequencies change, the recent ones again), adds every article that shares a lookup key
// with them within the time window and every member of the stories involved, groups that region again
// from scratch (regroup.ts) and applies the difference: merges, splits, moves. Its result depends only
// on the articles and their counts, not on who curated what first, so concurrent ingestion ends in the
// stories of ingestion one by one. One pass runs at a time; the source applies a pass atomically.
import type { ClusterConfig } from './config.ts';
import { idfLookup } from './similarity.ts';
import { planRegroup, type RegionArticle, type RegionStory, type RegroupPlan } from './regroup.ts';

/** What a store (or the in-memory index) offers the pass. */
export interface ConsolidationSource {
  /**
   * Counts the articles not yet counted into the document frequencies and returns the counts' version,
   * which changes whenever the counts do.
   */
  refreshDocumentFrequencies(): Promise<number>;
  documentCount(): Promise<number>;
  documentFrequencies(terms: readonly string[]): Promise<number[]>;
  /**
   * Up to `limit` article ids to regroup: those not consolidated yet, then those stored since
   * `recentSince` that were last consolidated under other counts than `version`.
   */
  seeds(limit: number, version: number, recentSince: Date): Promise<string[]>;
  /** Articles sharing a lookup key with a seed and published within `windowDays` of it (`perKey` per key and seed). */
  neighbours(seedIds: readonly string[], windowDays: number, perKey: number): Promise<string[]>;
  /** The given articles and every member of their stories; their stories; editors' split pairs among them. */
  region(ids: readonly string[]): Promise<Region>;
  /** Applies the plan at once, marks the seeds consolidated under `version`; returns the stories to rescore. */
  apply(plan: RegroupPlan, seeds: readonly string[], version: number): Promise<string[]>;
}

export interface Region {
  articles: RegionArticle[];
  stories: Map<string, RegionStory>;
  apart: Array<[string, string]>;
}

export interface ConsolidationResult {
  seeds: number;
  region: number;
  groups: number;
  pairs: number;
  merged: number;
  created: number;
  /** Stories whose members changed or that hold a seed: their heat and gate need computing. */
  changedStories: string[];
  ms: number;
  /** Milliseconds per step: counts, seeds, neighbours, region, frequencies, plan, apply. */
  steps: Record<string, number>;
}

/** One pass. Returns what it did; `seeds: 0` means there was nothing to consolidate. */
export async function consolidate(source: ConsolidationSource, config: ClusterConfig, now: Date): Promise<ConsolidationResult> {
  const started = performance.now();
  const steps: Record<string, number> = {};
  let mark = started;
  const step = (name: string) => {
    const t = performance.now();
    steps[name] = t - mark;
    mark = t;
  };
  const version = await source.refreshDocumentFrequencies();
  step('counts');
  const recentSince = new Date(now.getTime() - config.regroup.settleHours * 3_600_000);
  const seeds = await source.seeds(config.regroup.seedsPerPass, version, recentSince);
  step('seeds');
  if (seeds.length === 0) return { seeds: 0, region: 0, groups: 0, pairs: 0, merged: 0, created: 0, changedStories: [], ms: performance.now() - started, steps };
  const neighbours = await source.neighbours(seeds, config.regroup.windowDays, config.regroup.neighboursPerKey);
  step('neighbours');
  const region = await source.region([...new Set([...seeds, ...neighbours])]);
  step('region');
  const terms = new Set<string>();
  for (const a of region.articles) {
    for (const [t] of a.features.terms) terms.add(t);
    for (const e of a.features.entities) terms.add(e);
    for (const t of a.features.titleTerms) terms.add(t);
  }
  const list = [...terms];
  const counts = await source.documentFrequencies(list);
  const df = new Map<string, number>();
  list.forEach((t, i) => df.set(t, counts[i]!));
  const idfOf = idfLookup(df, Math.max(await source.documentCount(), region.articles.length));
  step('frequencies');
  const plan = planRegroup({ articles: region.articles, stories: region.stories, apart: region.apart, idfOf, config });
  step('plan');
  const changedStories = await source.apply(plan, seeds, version);
  step('apply');
  return {
    seeds: seeds.length,
    region: region.articles.length,
    groups: plan.groups,
    pairs: plan.pairs,
    merged: plan.mergedAway.length,
    created: plan.created,
    changedStories,
    ms: performance.now() - started,
    steps,
  };
}

/** Passes until nothing is left to consolidate (at most `maxPasses`); results of each pass. */
export async function consolidateAll(source: ConsolidationSource, config: ClusterConfig, now: () => Date, maxPasses = 1000): Promise<ConsolidationResult[]> {
  const results: ConsolidationResult[] = [];
  for (let pass = 0; pass < maxPasses; pass++) {
    const result = await consolidate(source, config, now());
    if (result.seeds === 0) break;
    results.push(result);
  }
  return results;
}
