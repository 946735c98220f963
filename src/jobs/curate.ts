// Curation: topics, quality and a first story for each stored article (any number at once, on any
// number of workers: nothing here takes a lock), then the consolidation pass that regroups recent
// articles into the stories they belong to and computes the heat and gate of every story it changed
// (one pass at a time across every process). Each decision is saved with its reason.
import type { Desk } from './desk.ts';
import { assign } from '../curate/cluster/clusterer.ts';
import { consolidate, type ConsolidationResult } from '../curate/cluster/consolidate.ts';
import { referenceHeat, velocityHeat, type HeatMember } from '../curate/heat.ts';
import { decidePublished } from '../curate/gate.ts';
import type { StoredArticle } from '../store/index.ts';
import { clusterState, detachUnclusteredArticle } from '../store/jobs.ts';
import { curationDuration } from './metrics.ts';
import { pendingConsolidation, recordConsolidation, saveStoryScores, storiesForScoring, StoreStories, type StoryScores } from '../store/stories.ts';

/**
 * Topics, quality and the article's first story. A job runs at least once: a retry after the article
 * has its story changes nothing, and one after a kill midway starts the clustering afresh. Its heat
 * and gate come with the next consolidation pass.
 */
export async function curateArticle(desk: Desk, articleId: number): Promise<boolean> {
  const article = await desk.store.getArticle(articleId);
  if (!article) return false;
  const state = await clusterState(desk.store, article.id);
  if (state?.clustered) return false;
  const endTimer = curationDuration.startTimer();
  const topics = desk.classifier.classify({ title: article.title, excerpt: article.excerpt, text: article.text });
  const quality = qualityOf(desk, article);
  await desk.store.saveCuration(article.id, topics, { total: quality.total, parts: quality.parts }, 'quality scored');
  if (state && state.storyId !== null) await detachUnclusteredArticle(desk.store, article.id);
  const result = await assign(
    { id: String(article.id), title: article.title, text: `${article.excerpt}\n${article.text}`, publishedDateTime: article.publishedDateTime, url: article.webUrl },
    desk.clusterIndex,
    desk.clusterConfig,
  );
  endTimer();
  desk.log.debug({ article_id: article.id, story_id: result.storyId, candidates: result.candidatesChecked, similarity: result.bestSimilarity }, 'clustered');
  return true;
}

export async function classifyArticle(desk: Desk, article: StoredArticle): Promise<string[]> {
  const topics = desk.classifier.classify({ title: article.title, excerpt: article.excerpt, text: article.text });
  await desk.store.setTopics(article.id, topics);
  return topics;
}

function qualityOf(desk: Desk, article: StoredArticle) {
  const known = desk.lookupOrganization(article.provider.domain);
  return desk.scoreQuality(article, { knownOrganization: known ? { name: known.name, hasLogo: known.logos.length > 0 } : null });
}

export async function scoreArticle(desk: Desk, article: StoredArticle): Promise<void> {
  const quality = qualityOf(desk, article);
  await desk.store.setScores(article.id, { quality: quality.total, qualityParts: quality.parts }, 'quality scored');
}

export interface ConsolidationRun {
  /** False when another process was running a pass: it (or the next one) takes these articles too. */
  ran: boolean;
  /** True when the pass waits for the burst (see CONSOLIDATION_MAX_WAIT_MS): the caller asks again later. */
  deferred?: boolean;
  passes: ConsolidationResult[];
  /** Milliseconds the pass held the lock, rescoring included. */
  ms: number;
}

/**
 * While a burst arrives, no pass runs until a full batch waits or the oldest waiting article has
 * waited this long: a pass run mid-burst is run again over the same articles once the burst ends (the
 * counts it used have changed), so waiting costs readers only the minutes the first answer stands.
 */
export const CONSOLIDATION_MAX_WAIT_MS = 120_000;

/**
 * Consolidates until nothing waits, rescoring every story a pass changed. `wait: false` (a job) gives
 * way when another process is at it; `wait: true` (one-shot commands, tests) waits its turn.
 * `arriving` tells whether more articles are on their way (queued fetches and curations): the recent
 * articles are settled under the final counts only once they are not.
 */
export async function consolidateStories(desk: Desk, options: { wait?: boolean; maxPasses?: number; arriving?: () => Promise<boolean> } = {}): Promise<ConsolidationRun> {
  if (options.arriving && (await options.arriving())) {
    const pending = await pendingConsolidation(desk.store);
    const waited = pending.oldestCreatedAt ? desk.now().getTime() - Date.parse(pending.oldestCreatedAt) : 0;
    if (pending.count < desk.clusterConfig.regroup.seedsPerPass && waited < CONSOLIDATION_MAX_WAIT_MS) return { ran: false, deferred: true, passes: [], ms: 0 };
  }
  const work = async () => {
    const started = performance.now();
    const source = new StoreStories(desk.store, desk.now, options.arriving);
    const passes: ConsolidationResult[] = [];
    for (let pass = 0; pass < (options.maxPasses ?? 50); pass++) {
      const passStarted = performance.now();
      const result = await consolidate(source, desk.clusterConfig, desk.now());
      if (result.seeds === 0) break;
      // While a burst arrives, a job runs one pass over what has gathered (a full batch, or articles
      // that waited long enough), and more only while full batches wait. Once nothing arrives,
      // passes go on until the stories settle.
      const more = result.seeds >= desk.clusterConfig.regroup.seedsPerPass || !options.arriving || !(await options.arriving());
      const rescoreStarted = performance.now();
      await rescoreStories(desk, result.changedStories.map(Number));
      result.steps.rescore = performance.now() - rescoreStarted;
      passes.push(result);
      desk.log.debug({ seeds: result.seeds, region: result.region, pairs: result.pairs, changed: result.changedStories.length, steps: Object.fromEntries(Object.entries(result.steps).map(([k, v]) => [k, Math.round(v)])) }, 'consolidation pass');
      await recordConsolidation(desk.store, result.seeds, performance.now() - passStarted);
      if (!more) break;
    }
    const ms = performance.now() - started;
    if (passes.length > 0) {
      const articles = passes.reduce((n, p) => n + p.seeds, 0);
      desk.log.info(
        { passes: passes.length, articles, region: passes.reduce((n, p) => n + p.region, 0), merged: passes.reduce((n, p) => n + p.merged, 0), created: passes.reduce((n, p) => n + p.created, 0), ms: Math.round(ms) },
        'stories consolidated',
      );
    }
    return { passes, ms };
  };
  if (options.wait) return { ran: true, ...(await desk.storiesLock.run(work)) };
  const attempt = await desk.storiesLock.tryRun(work);
  return attempt.ran ? { ran: true, ...attempt.value } : { ran: false, passes: [], ms: 0 };
}

/** Recomputes heat and published for every member of a story; editor overrides always win. */
export async function rescoreStory(desk: Desk, storyId: number): Promise<void> {
  await rescoreStories(desk, [storyId]);
}

/** Heat and gate of many stories: read in a few queries, saved in one transaction, only what changed. */
export async function rescoreStories(desk: Desk, storyIds: readonly number[]): Promise<void> {
  const stories = await storiesForScoring(desk.store, storyIds);
  if (stories.length === 0) return;
  const scores: StoryScores[] = stories.map((story) => {
    const heatMembers: HeatMember[] = story.members.map((m) => ({
      articleId: m.id,
      quality: m.quality,
      publishedDateTime: m.publishedDateTime,
      knownPublisher: (desk.lookupOrganization(m.providerDomain)?.logos.length ?? 0) > 0,
    }));
    const results = desk.config.heat.model === 'velocity' ? velocityHeat(heatMembers, { now: desk.now() }) : referenceHeat(heatMembers);
    let lead: { id: number; heat: number | null } | null = null;
    const byId = new Map(story.members.map((m) => [m.id, m]));
    const members = results.map((result) => {
      const member = byId.get(result.articleId)!;
      const gate = decidePublished({ heat: result.heat, override: story.override, threshold: desk.config.thresholds.publish });
      if (result.heat !== null && result.heat !== -1 && (lead === null || (lead.heat ?? -Infinity) < result.heat)) lead = { id: result.articleId, heat: result.heat };
      return { id: member.id, quality: member.quality, heat: result.heat, published: gate.published, reason: `${result.reason}; ${gate.reason}`, before: { heat: member.heat, published: member.published } };
    });
    const chosen = lead as { id: number; heat: number | null } | null;
    return { storyId: story.id, leadArticleId: chosen?.id ?? story.members[0]?.id ?? null, heat: chosen?.heat ?? null, memberCount: story.members.length, members };
  });
  await saveStoryScores(desk.store, scores, new Map(stories.map((s) => [s.id, s])));
}

/** Rescores every story: after a change of weights, threshold or heat model. */
export async function rescoreAll(desk: Desk): Promise<number> {
  let count = 0;
  for await (const article of desk.store.iterateArticles()) {
    await scoreArticle(desk, article);
  }
  const ids = await desk.store.storyIds();
  for (let i = 0; i < ids.length; i += 500) {
    await rescoreStories(desk, ids.slice(i, i + 500));
    count += Math.min(500, ids.length - i);
  }
  return count;
}
