// Ingest: fetch a source, parse its feed, normalize each entry, enrich it from its page, store the
// new ones and curate them. A failure marks the source with the reason; stored articles are never
// touched by a failed fetch.
import type { Desk } from './desk.ts';
import { PathTakenError, type NewArticle, type SourceRow } from '../store/index.ts';
import type { NewsRecord } from '../record.ts';
import { parseFeed } from '../feeds/parse.ts';
import { normalizeEntry, withAmp, toUtcSeconds } from '../normalize/entry.ts';
import { canonicalUrl, registrableDomain } from '../normalize/url.ts';
import { makeExcerpt } from '../normalize/text.ts';
import { pathKey } from '../normalize/slug.ts';
import { describeError, isNewsdeskError, newsdeskError, NewsdeskError } from '../errors.ts';
import { nextPollInterval, backoffDelay } from '../fetch/politeness.ts';
import { consolidateStories, curateArticle } from './curate.ts';
import { fetchesTotal } from './metrics.ts';

/** Articles of one feed stored in one transaction. */
const INGEST_BATCH = 25;

export interface SourceRunResult {
  sourceId: number;
  ok: boolean;
  itemsSeen: number;
  itemsNew: number;
  error?: string;
}

const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface IngestSourceOptions {
  /**
   * Takes each entry not yet stored instead of fetching its page and storing it here: the job runner
   * queues one durable job per article. Resolves true when the entry was taken as new.
   */
  handOff?: (record: NewsRecord, source: SourceRow) => Promise<boolean>;
  /**
   * Without a hand-off, articles are stored and curated here, and the stories they touched are
   * consolidated before the call returns unless this is false (a caller ingesting many sources
   * consolidates once, at the end).
   */
  consolidate?: boolean;
}

export async function ingestSource(desk: Desk, source: SourceRow, options: IngestSourceOptions = {}): Promise<SourceRunResult> {
  const started = Date.now();
  const now = desk.now();
  const log = desk.log.child({ source_id: source.id, url: source.url, job: 'ingest' });
  try {
    const response = await desk.transport.fetch({ url: source.url, purpose: 'feed', etag: source.etag, lastModified: source.lastModified });
    const pollBounds = { min: desk.config.fetch.pollMinutes.min * 60_000, max: desk.config.fetch.pollMinutes.max * 60_000, now: now.getTime() };
    if (response.notModified) {
      const interval = source.pollMinutes ? source.pollMinutes * 60_000 : pollBounds.max;
      await desk.store.recordFetchSuccess(source.id, {
        url: source.url, httpStatus: 304, etag: source.etag, lastModified: source.lastModified,
        nextFetchAt: isoSeconds(new Date(now.getTime() + interval)), itemsNew: 0, durationMs: Date.now() - started, at: isoSeconds(now),
      });
      fetchesTotal.inc({ outcome: 'not_modified', code: 'none' });
      return { sourceId: source.id, ok: true, itemsSeen: 0, itemsNew: 0 };
    }
    const feed = parseFeed(response.body, { url: response.url, contentType: response.headers['content-type'] ?? null });
    if (feed.wellFormed === false && feed.entries.length === 0) {
      // The lenient parser salvaged nothing: the feed is broken, not empty.
      throw newsdeskError('ND_FEED_UNPARSEABLE', { url: response.url, reason: (feed.problems ?? []).join('; ') || 'not well-formed' });
    }
    let itemsNew = 0;
    const records = feed.entries
      .map((entry) => normalizeEntry(entry, feed, { sourceName: source.name, lookupOrganization: desk.lookupOrganization }))
      .filter((r): r is NewsRecord => r !== null);
    // One lookup for the whole feed: most entries of a feed polled again are stored already.
    const stored = await desk.store.storedUrls(records.map((r) => r.webUrl));
    const pending: NewsRecord[] = [];
    const storePending = async () => {
      for (const { id, inserted } of await insertNewArticles(desk, pending.splice(0), source.id)) {
        if (!inserted) continue;
        await curateArticle(desk, id);
        itemsNew++;
      }
    };
    for (const record of records) {
      if (stored.has(record.webUrl)) continue;
      stored.add(record.webUrl);
      if (options.handOff) {
        if (await options.handOff(record, source)) itemsNew++;
        continue;
      }
      pending.push(desk.extractPages ? await enrichFromPage(desk, record) : record);
      // Stored a batch at a time: one transaction for many rows, and a kill midway through a long
      // feed loses no more than one batch of pages fetched but not yet stored (stored ones stay).
      if (pending.length >= INGEST_BATCH) await storePending();
    }
    await storePending();
    if (!options.handOff && itemsNew > 0 && options.consolidate !== false) await consolidateStories(desk, { wait: true });
    const interval = nextPollInterval(feed.entries.map((e) => e.published ?? e.updated).filter((t): t is string => Boolean(t)), pollBounds);
    await desk.store.recordFetchSuccess(source.id, {
      url: source.url,
      httpStatus: response.status,
      etag: response.headers.etag ?? null,
      lastModified: response.headers['last-modified'] ?? null,
      nextFetchAt: isoSeconds(new Date(now.getTime() + interval)),
      pollMinutes: Math.round(interval / 60_000),
      itemsNew,
      durationMs: Date.now() - started,
      siteUrl: feed.link,
      name: feed.title,
      at: isoSeconds(now),
    });
    fetchesTotal.inc({ outcome: 'ok', code: 'none' });
    log.debug({ items: feed.entries.length, new: itemsNew }, 'source fetched');
    return { sourceId: source.id, ok: true, itemsSeen: feed.entries.length, itemsNew };
  } catch (err) {
    const code = isNewsdeskError(err) ? err.code : 'ND_FETCH_FAILED';
    fetchesTotal.inc({ outcome: 'failed', code });
    const retryAfter = err instanceof NewsdeskError && err.params.retryAfter !== undefined ? Number(err.params.retryAfter) : undefined;
    const delay = backoffDelay({ attempt: source.errorCount + 1, retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined });
    const message = describeError(err);
    await desk.store.recordFetchFailure(source.id, {
      url: source.url,
      code,
      message,
      httpStatus: err instanceof NewsdeskError && err.params.httpStatus !== undefined ? Number(err.params.httpStatus) : null,
      nextFetchAt: isoSeconds(new Date(now.getTime() + delay)),
      durationMs: Date.now() - started,
      at: isoSeconds(now),
    });
    log.warn({ err: message }, 'source failed');
    return { sourceId: source.id, ok: false, itemsSeen: 0, itemsNew: 0, error: message };
  }
}

/**
 * Fetches the article page and fills what the feed lacked. When the page cannot be had or its text
 * is not trustworthy, the feed's content stays and the article is marked `extraction: fallback`.
 */
export async function enrichFromPage(desk: Desk, record: NewsRecord): Promise<NewsRecord> {
  let page;
  try {
    page = await desk.transport.fetch({ url: record.originalUrl, purpose: 'page' });
  } catch (err) {
    return { ...record, extraction: { status: 'fallback', reason: `page not fetched: ${describeError(err)}` } };
  }
  try {
    const { extracted, rawHtmlSha256 } = await desk.extractor.run({
      bytes: page.body,
      contentType: page.headers['content-type'] ?? null,
      url: page.url,
      feedText: record.text,
      httpStatus: page.status,
      organizations: [...desk.organizations],
    });
    let merged: NewsRecord = {
      ...record,
      excerpt: extracted.excerpt ? makeExcerpt(extracted.excerpt) : record.excerpt,
      publishedDateTime: record.publishedDateTime ?? toUtcSeconds(extracted.publishedDateTime),
      updatedDateTime: record.updatedDateTime ?? toUtcSeconds(extracted.updatedDateTime),
      authors: record.authors.length ? record.authors : extracted.authors,
      images: record.images.length ? record.images : extracted.leadImage ? [{ ...extracted.leadImage, title: record.title }] : [],
      locale: extracted.locale ?? record.locale,
      type: record.type === 'article' ? extracted.type : record.type,
    };
    if (extracted.canonicalUrl && registrableDomain(extracted.canonicalUrl) === record.provider.domain) {
      merged.webUrl = canonicalUrl(extracted.canonicalUrl);
    }
    if (extracted.siteName && !desk.lookupOrganization(record.provider.domain)) {
      merged.provider = { ...merged.provider, name: extracted.siteName };
    }
    merged = withAmp(merged, extracted.ampUrl);
    if (extracted.fallbackReason) return { ...merged, extraction: { status: 'fallback', reason: extracted.fallbackReason, rawHtmlSha256 } };
    return { ...merged, text: extracted.text, html: extracted.html, extraction: { status: 'extracted', rawHtmlSha256 } };
  } catch (err) {
    return { ...record, extraction: { status: 'fallback', reason: `extraction failed: ${describeError(err)}` } };
  }
}

/** Stores a new article under a unique path, curates it and consolidates its story; null when its URL was already stored. */
export async function storeArticle(desk: Desk, record: NewsRecord, sourceId: number | null): Promise<number | null> {
  const { id, inserted } = await insertNewArticle(desk, record, sourceId);
  if (!inserted) return null;
  await curateArticle(desk, id);
  await consolidateStories(desk, { wait: true });
  return id;
}

/** Stores an article under a unique path without curating it; an already stored URL is left as it is. */
export async function insertNewArticle(desk: Desk, record: NewsRecord, sourceId: number | null): Promise<{ id: number; inserted: boolean }> {
  return (await insertNewArticles(desk, [record], sourceId))[0]!;
}

/**
 * Stores many articles in one transaction, each under a unique path, without curating them; the
 * answers come in the order given. Already stored URLs are left as they are.
 */
export async function insertNewArticles(desk: Desk, records: readonly NewsRecord[], sourceId: number | null): Promise<Array<{ id: number; inserted: boolean }>> {
  if (records.length === 0) return [];
  const prepared: NewArticle[] = [];
  for (const record of records) {
    const withImage = await cacheLeadImage(desk, record);
    const secured = desk.secure({ text: withImage.text, rawHtmlSha256: withImage.extraction.rawHtmlSha256 ?? null, extraction: { ...withImage.extraction } });
    // The plain path first, as most titles are new: only a taken one costs the lookups for a free suffix.
    prepared.push({ record: withImage, sourceId, pathKey: pathKey(record.title, record.publishedDateTime, desk.now()), secured });
  }
  const outcomes = await desk.store.insertArticles(prepared);
  const answers: Array<{ id: number; inserted: boolean }> = [];
  for (const [i, outcome] of outcomes.entries()) {
    answers.push(outcome.pathTaken ? await insertUnderFreePath(desk, prepared[i]!) : outcome);
  }
  return answers;
}

/** A same-titled article holds the article's path (stored before, or by another worker a moment ago): the next free suffix. */
async function insertUnderFreePath(desk: Desk, article: NewArticle): Promise<{ id: number; inserted: boolean }> {
  const base = article.pathKey;
  let n = 1;
  for (;;) {
    let key = `${base}-${++n}`;
    while (await desk.store.pathKeyTaken(key)) key = `${base}-${++n}`;
    try {
      return await desk.store.insertArticle(article.record, { ...article, pathKey: key });
    } catch (err) {
      if (!(err instanceof PathTakenError)) throw err;
    }
  }
}

/**
 * Makes a thumbnail of the lead image in the data dir's image cache and records its real size;
 * `isCached` is true only when that worked. A failure leaves the image as the feed gave it.
 */
async function cacheLeadImage(desk: Desk, record: NewsRecord): Promise<NewsRecord> {
  const lead = record.images[0];
  if (!lead || !desk.imageCache) return record;
  try {
    const cached = await desk.imageCache.cache(lead.url, desk.transport);
    const image = { ...lead, width: cached.width ?? lead.width, height: cached.height ?? lead.height, isCached: cached.isCached };
    return { ...record, images: [image, ...record.images.slice(1)] };
  } catch (err) {
    desk.log.debug({ url: lead.url, err: describeError(err) }, 'lead image not cached');
    return { ...record, images: [{ ...lead, isCached: false }, ...record.images.slice(1)] };
  }
}

/** Runs every source that is due, a few at a time, then consolidates the stories once. */
export async function runDueSources(desk: Desk, options: { concurrency?: number; limit?: number; onProgress?: (done: number, total: number) => void } = {}): Promise<SourceRunResult[]> {
  const due = await desk.store.dueSources(isoSeconds(desk.now()), options.limit ?? 500);
  const results: SourceRunResult[] = [];
  const queue = [...due];
  options.onProgress?.(0, due.length);
  const workers = Array.from({ length: Math.min(options.concurrency ?? 8, queue.length) }, async () => {
    for (let source = queue.shift(); source; source = queue.shift()) {
      results.push(await ingestSource(desk, source, { consolidate: false }));
      options.onProgress?.(results.length, due.length);
    }
  });
  await Promise.all(workers);
  await consolidateStories(desk, { wait: true });
  return results;
}
