// Curation of one stored article: topics, quality, its story, then the story's heat and the gate.
// Each decision is saved with its reason so an editor can see why.
import type { Desk } from './desk.ts';
import { assign } from '../curate/cluster/clusterer.ts';
import { referenceHeat, velocityHeat, type HeatMember } from '../curate/heat.ts';
import { decidePublished } from '../curate/gate.ts';
import type { StoredArticle } from '../store/index.ts';
import { clusterState, detachUnclusteredArticle } from '../store/jobs.ts';
import { StoreCandidateIndex } from '../store/cluster-index.ts';

/**
 * The desk seen through one store transaction: curation commits once, and a worker killed midway
 * leaves nothing half-written. The candidate index is rebound to the same transaction.
 */
export function inCurationTransaction<T>(desk: Desk, work: (desk: Desk) => Promise<T>): Promise<T> {
  return desk.store.inTransaction((store) =>
    work({ ...desk, store, clusterIndex: desk.clusterIndex instanceof StoreCandidateIndex ? new StoreCandidateIndex(store) : desk.clusterIndex }),
  );
}

export async function curateArticle(desk: Desk, articleId: number): Promise<void> {
  if (desk.store.dialect === 'sqlite') {
    // SQLite has one writer at a time whatever the lock: one section does it all.
    await desk.curationLock.run(() => inCurationTransaction(desk, (view) => curateInTransaction(view, articleId, { classify: true })));
    return;
  }
  // Topics and quality are the article's own and need no lock, so on PostgreSQL other workers go on
  // clustering meanwhile. Only joining a story, and the story's heat, are serialized.
  const classified = await inCurationTransaction(desk, async (view) => {
    const article = await view.store.getArticle(articleId);
    if (article) await classifyAndScore(view, article);
    return article !== null;
  });
  if (classified) await desk.curationLock.run(() => inCurationTransaction(desk, (view) => curateInTransaction(view, articleId, { classify: false })));
}

async function classifyAndScore(desk: Desk, article: StoredArticle): Promise<void> {
  await classifyArticle(desk, article);
  await scoreArticle(desk, article);
}

async function curateInTransaction(desk: Desk, articleId: number, options: { classify: boolean }): Promise<void> {
  const article = await desk.store.getArticle(articleId);
  if (!article) return;
  if (options.classify) await classifyAndScore(desk, article);
  // A job runs at least once: a retry after the article joined its story only rescores it, and a
  // retry after a killed attempt left it in a story it never joined starts the clustering afresh.
  const state = await clusterState(desk.store, article.id);
  if (state?.clustered && state.storyId !== null) {
    await rescoreStory(desk, state.storyId);
    return;
  }
  if (state && state.storyId !== null) await detachUnclusteredArticle(desk.store, article.id);
  const result = await assign(
    { id: String(article.id), title: article.title, text: `${article.excerpt}\n${article.text}`, publishedDateTime: article.publishedDateTime, url: article.webUrl },
    desk.clusterIndex,
  );
  desk.log.debug({ article_id: article.id, story_id: result.storyId, candidates: result.candidatesChecked, similarity: result.bestSimilarity }, 'clustered');
  await rescoreStory(desk, Number(result.storyId));
}

export async function classifyArticle(desk: Desk, article: StoredArticle): Promise<string[]> {
  const topics = desk.classifier.classify({ title: article.title, excerpt: article.excerpt, text: article.text });
  await desk.store.setTopics(article.id, topics);
  return topics;
}

export async function scoreArticle(desk: Desk, article: StoredArticle): Promise<void> {
  const known = desk.lookupOrganization(article.provider.domain);
  const quality = desk.scoreQuality(article, { knownOrganization: known ? { name: known.name, hasLogo: known.logos.length > 0 } : null });
  await desk.store.setScores(article.id, { quality: quality.total, qualityParts: quality.parts }, 'quality scored');
}

/** Recomputes heat and published for every member of a story; editor overrides always win. */
export async function rescoreStory(desk: Desk, storyId: number): Promise<void> {
  const story = await desk.store.getStory(storyId);
  if (!story) return;
  const members = await desk.store.storyHeatInputs(storyId);
  const heatMembers: HeatMember[] = members.map((m) => ({
    articleId: m.id,
    quality: m.quality,
    publishedDateTime: m.publishedDateTime,
    knownPublisher: (desk.lookupOrganization(m.providerDomain)?.logos.length ?? 0) > 0,
  }));
  const results = desk.config.heat.model === 'velocity' ? velocityHeat(heatMembers, { now: desk.now() }) : referenceHeat(heatMembers);
  let lead: { id: number; heat: number | null } | null = null;
  for (const result of results) {
    const gate = decidePublished({ heat: result.heat, override: story.override, threshold: desk.config.thresholds.publish });
    await desk.store.setScores(result.articleId, { heat: result.heat, published: gate.published }, `${result.reason}; ${gate.reason}`);
    if (result.heat !== null && result.heat !== -1 && (lead === null || (lead.heat ?? -Infinity) < result.heat)) lead = { id: result.articleId, heat: result.heat };
  }
  await desk.store.updateStory(storyId, { leadArticleId: lead?.id ?? members[0]?.id ?? null, memberCount: members.length, heat: lead?.heat ?? null });
}

/** Rescores every story: after a change of weights, threshold or heat model. */
export async function rescoreAll(desk: Desk): Promise<number> {
  let count = 0;
  for await (const article of desk.store.iterateArticles()) {
    await scoreArticle(desk, article);
  }
  for (const storyId of await desk.store.storyIds()) {
    await rescoreStory(desk, storyId);
    count++;
  }
  return count;
}
