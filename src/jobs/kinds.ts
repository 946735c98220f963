// The kinds of durable job and their handlers. Every unit of background work is one of these, run
// at least once by whichever runner the store calls for (in-process on SQLite, graphile-worker on
// PostgreSQL). Handlers must be idempotent: a job killed midway runs again from the start.
import type { Desk } from './desk.ts';
import type { NewsRecord } from '../record.ts';
import type { EnqueueOptions } from '../store/jobs.ts';
import { applyRetention } from '../store/jobs.ts';
import { enrichFromPage, ingestSource, insertNewArticle } from './ingest.ts';
import { consolidateStories, curateArticle, rescoreStory } from './curate.ts';
import type { Logger } from '../log.ts';
import { countSourceRun, summarizeIngestRun } from './ingest-summary.ts';

export const JOB_KINDS = {
  /** `{ sourceId }`: fetch one feed; queues one `fetch-article` per new entry. */
  fetchSource: 'fetch-source',
  /** `{ sourceId, record }`: fetch and extract the page, store the article; queues its curation. */
  fetchArticle: 'fetch-article',
  /** `{ articleId }`: classify, score, give it a first story; queues a consolidation. */
  curateArticle: 'curate-article',
  /** `{}`: regroup what curation added and rescore the stories that changed (one pass at a time). */
  consolidateStories: 'consolidate-stories',
  /** `{ storyId }`: heat and the gate for every member of a story. */
  rescoreStory: 'rescore-story',
  /** `{}`: delete what the retention settings no longer keep. */
  retention: 'retention',
  /** Build and send a newsletter issue: the handler is registered by the newsletter module. */
  newsletter: 'newsletter-send',
} as const;

export type Enqueue = (kind: string, payload: unknown, options?: EnqueueOptions) => Promise<void>;

export interface JobContext {
  desk: Desk;
  enqueue: Enqueue;
  log: Logger;
  /** 1 on the first run; a retry sees 2 and up. */
  attempt: number;
  /** Set when the runner is shutting down: long handlers should stop early and let the job run again. */
  signal?: AbortSignal;
  /** Jobs of these kinds waiting or running (with attempts left), this one aside. */
  queued?: (kinds: readonly string[]) => Promise<number>;
}

export type JobHandler = (payload: any, context: JobContext) => Promise<void>;

const handlers = new Map<string, JobHandler>();

/**
 * Registers the handler of a job kind. Every process that runs jobs must register the same kinds
 * before its runner starts (import the module that registers them). Registering a kind again
 * replaces its handler.
 */
export function registerJobHandler(kind: string, handler: JobHandler): void {
  handlers.set(kind, handler);
}

export function jobHandlers(): ReadonlyMap<string, JobHandler> {
  return handlers;
}

/** Job keys: at most one pending job per key, so a retried producer queues nothing twice. */
export const jobKeys = {
  fetchSource: (sourceId: number) => `fetch-source:${sourceId}`,
  fetchArticle: (webUrl: string) => `fetch-article:${webUrl}`,
  curateArticle: (articleId: number) => `curate-article:${articleId}`,
  rescoreStory: (storyId: number) => `rescore-story:${storyId}`,
  consolidateStories: () => 'consolidate-stories',
  retention: () => 'retention',
  /** One send job per issue: queue the newsletter with this key so a retried producer sends it once. */
  newsletter: (issueId: number | string) => `newsletter-send:${issueId}`,
};

registerJobHandler(JOB_KINDS.fetchSource, async (payload: { sourceId: number }, { desk, enqueue, queued }) => {
  const source = await desk.store.getSource(payload.sourceId);
  if (!source || source.status === 'paused') return;
  const result = await ingestSource(desk, source, {
    handOff: async (record) => {
      await enqueue(JOB_KINDS.fetchArticle, { sourceId: source.id, record }, { key: jobKeys.fetchArticle(record.webUrl) });
      return true;
    },
  });
  countSourceRun(desk, result);
  if (queued) await summarizeIngestRun(desk, async () => (await queued(ARRIVING)) > 0);
});

registerJobHandler(JOB_KINDS.fetchArticle, async (payload: { sourceId: number | null; record: NewsRecord }, { desk, enqueue }) => {
  const stored = await desk.store.getArticleByUrl(payload.record.webUrl);
  let articleId = stored?.id;
  if (articleId === undefined) {
    const record = desk.extractPages ? await enrichFromPage(desk, payload.record) : payload.record;
    articleId = (await insertNewArticle(desk, record, payload.sourceId)).id;
  }
  // Curated in the job that stored it, so that curation keeps pace with fetching instead of queueing
  // behind it; a kill before this line leaves the article stored and unclustered, and the retry
  // (which finds it stored) curates it.
  if (await curateArticle(desk, articleId)) await queueConsolidation(enqueue);
});

/** Curations queue one pass between them; it waits a moment, so that a burst is regrouped in a few passes. */
export const CONSOLIDATION_DELAY_MS = 1000;

export function queueConsolidation(enqueue: Enqueue, delayMs = CONSOLIDATION_DELAY_MS): Promise<void> {
  return enqueue(JOB_KINDS.consolidateStories, {}, { key: jobKeys.consolidateStories(), runAt: new Date(Date.now() + delayMs), preserveRunAt: true });
}

registerJobHandler(JOB_KINDS.curateArticle, async (payload: { articleId: number }, { desk, enqueue }) => {
  await curateArticle(desk, payload.articleId);
  await queueConsolidation(enqueue);
});

/** The work that brings new articles: while any is queued, a burst is still arriving. */
const ARRIVING = [JOB_KINDS.fetchSource, JOB_KINDS.fetchArticle, JOB_KINDS.curateArticle];

registerJobHandler(JOB_KINDS.consolidateStories, async (_payload: unknown, { desk, queued, enqueue }) => {
  const arriving = queued ? async () => (await queued(ARRIVING)) > 0 : undefined;
  const run = await consolidateStories(desk, { wait: false, arriving });
  if (run.deferred) await queueConsolidation(enqueue);
  else if (arriving) await summarizeIngestRun(desk, arriving);
});

registerJobHandler(JOB_KINDS.rescoreStory, async (payload: { storyId: number }, { desk }) => {
  await desk.storiesLock.run(() => rescoreStory(desk, payload.storyId));
});

registerJobHandler(JOB_KINDS.retention, async (_payload: unknown, { desk, log }) => {
  const removed = await applyRetention(desk.store, desk.config.retention, desk.now());
  log.info(removed, 'retention applied');
});
