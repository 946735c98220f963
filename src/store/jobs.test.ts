// The scale-out queries on both stores: job claims under contention, leases, the keyset stream
// against the page-number stream, retention, and the query plans of the hot queries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachStore } from '../../test/helpers/stores.ts';
import { Store } from './index.ts';
import type { NewsRecord } from '../record.ts';
import {
  acquireLease,
  applyRetention,
  claimJob,
  completeJob,
  enqueueJob,
  failJob,
  hotQueries,
  leaseHolder,
  listStreamAfter,
  queueCounts,
  releaseLease,
  type StreamCursor,
} from './jobs.ts';

function record(n: number, publishedDateTime: string | null, topics: string[] = ['ai']): NewsRecord {
  return {
    title: `Article ${n}`,
    excerpt: `Excerpt ${n}`,
    publishedDateTime,
    updatedDateTime: null,
    originalUrl: `https://example.com/${n}`,
    webUrl: `https://example.com/${n}`,
    ampWebUrl: null,
    cdnAmpWebUrl: null,
    type: 'article',
    provider: { name: 'Example', domain: 'example.com' },
    topics,
    images: [],
    locale: 'en',
    authors: [],
    text: `Text ${n}`,
    html: null,
    extraction: { status: 'feed' },
  };
}

async function reopen(store: Store): Promise<Store> {
  return Store.open(store.location, store.schema ? { schema: store.schema } : {});
}

describeEachStore('jobs store', (fixture, kind) => {
  test('a job key admits one pending job', async () => {
    const { store } = fixture();
    assert.deepEqual(await enqueueJob(store, 'k', { a: 1 }, { key: 'same' }), { added: true });
    assert.deepEqual(await enqueueJob(store, 'k', { a: 2 }, { key: 'same' }), { added: false });
    const job = await claimJob(store, 'w1', { lockMs: 60_000 });
    assert.deepEqual(job?.payload, { a: 1 });
    assert.equal(job?.attempt, 1);
    await completeJob(store, job!.id, 'w1');
    assert.equal((await queueCounts(store)).pending, 0);
    // Once done, the key is free again.
    assert.deepEqual(await enqueueJob(store, 'k', { a: 3 }, { key: 'same' }), { added: true });
    const again = await claimJob(store, 'w1', { lockMs: 60_000 });
    await completeJob(store, again!.id, 'w1');
  });

  test('a locked job is not claimed again until its lock expires; a failure schedules a retry; spent attempts stay for inspection', async () => {
    const { store } = fixture();
    await enqueueJob(store, 'flaky', {}, { maxAttempts: 2 });
    const first = await claimJob(store, 'w1', { lockMs: 60_000 });
    assert.ok(first);
    assert.equal(await claimJob(store, 'w2', { lockMs: 60_000 }), null);
    // The holder died: after the lock expires another worker takes it, as its second attempt.
    const later = new Date(Date.now() + 61_000);
    const second = await claimJob(store, 'w2', { lockMs: 60_000, now: later });
    assert.equal(second?.id, first.id);
    assert.equal(second?.attempt, 2);
    // The dead holder can no longer complete it.
    await completeJob(store, first.id, 'w1');
    assert.equal((await queueCounts(store)).pending + (await queueCounts(store)).failed, 1);
    await failJob(store, first.id, 'w2', 'boom', new Date(later.getTime() + 1000));
    const counts = await queueCounts(store);
    assert.equal(counts.failed, 1);
    assert.equal(counts.pending, 0);
    assert.equal(await claimJob(store, 'w3', { lockMs: 60_000, now: new Date(later.getTime() + 5000) }), null);
    await store.db.deleteFrom('jobs' as never).execute();
  });

  test('concurrent claimers on separate connections take every job exactly once', async () => {
    const { store } = fixture();
    const other = await reopen(store);
    try {
      for (let i = 0; i < 40; i++) await enqueueJob(store, 'count', { i });
      const taken: number[] = [];
      const claimer = (s: Store, id: string) => async () => {
        for (;;) {
          const job = await claimJob(s, id, { lockMs: 60_000 });
          if (!job) return;
          taken.push((job.payload as { i: number }).i);
          await completeJob(s, job.id, id);
        }
      };
      await Promise.all([claimer(store, 'a1'), claimer(store, 'a2'), claimer(other, 'b1'), claimer(other, 'b2')].map((f) => f()));
      assert.equal(taken.length, 40);
      assert.equal(new Set(taken).size, 40);
    } finally {
      await other.close();
    }
  });

  test('a lease has one holder at a time, is renewed by its holder, and frees on expiry or release', async () => {
    const { store } = fixture();
    const now = Date.now();
    assert.equal(await acquireLease(store, 'tick', 'p1', 10_000, now), true);
    assert.equal(await acquireLease(store, 'tick', 'p2', 10_000, now + 1), false);
    assert.equal(await acquireLease(store, 'tick', 'p1', 10_000, now + 2), true);
    assert.equal(await leaseHolder(store, 'tick', now + 3), 'p1');
    assert.equal(await acquireLease(store, 'tick', 'p2', 10_000, now + 10_003), true);
    await releaseLease(store, 'tick', 'p2', 5_000, now + 10_004);
    assert.equal(await leaseHolder(store, 'tick', now + 10_005), null);
    // Released with a hold: nobody may take it until the hold is over (a host's politeness gap).
    assert.equal(await acquireLease(store, 'tick', 'p3', 10_000, now + 10_005), false);
    assert.equal(await acquireLease(store, 'tick', 'p3', 10_000, now + 15_005), true);
    await releaseLease(store, 'tick', 'p3');
    assert.equal(await acquireLease(store, 'tick', 'p4', 10_000), true);
  });

  test('contenders racing for a free lease: exactly one wins', async () => {
    const { store } = fixture();
    const other = await reopen(store);
    try {
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => acquireLease(i % 2 ? other : store, 'race', `h${i}`, 60_000)));
      assert.equal(results.filter(Boolean).length, 1);
    } finally {
      await other.close();
    }
  });

  test('the keyset stream lists exactly what the page-number stream lists, overall and per topic', async () => {
    const { store } = fixture();
    const dates = ['2025-03-01T10:00:00Z', '2025-03-02T10:00:00Z', '2025-03-02T10:00:00Z', null, '2025-02-27T08:00:00Z'];
    for (let n = 0; n < 47; n++) {
      const { id } = await store.insertArticle(record(n, dates[n % dates.length]!, n % 3 === 0 ? ['ai', 'robots'] : ['ai']), { sourceId: null, pathKey: `k-${n}` });
      await store.setTopics(id, n % 3 === 0 ? ['ai', 'robots'] : ['ai']);
      // Some scored and unpublished: out of both streams.
      if (n % 7 === 0) await store.setScores(id, { quality: 10, published: false }, 'test');
    }
    for (const topic of [undefined, 'robots']) {
      const byPage: number[] = [];
      for (let page = 1; ; page++) {
        const result = await store.listStream({ page, perPage: 10, topic });
        byPage.push(...result.items.map((a) => a.id));
        if (!result.hasMore) break;
      }
      const byKeyset: number[] = [];
      let after: StreamCursor | null = null;
      for (;;) {
        const result = await listStreamAfter(store, { perPage: 10, topic, after });
        byKeyset.push(...result.items.map((a) => a.id));
        if (!result.next) break;
        after = result.next;
      }
      assert.ok(byPage.length > 10, `${kind}: enough rows for several pages`);
      assert.deepEqual(byKeyset, byPage, `topic ${topic ?? '(all)'}`);
    }
  });

  test('retention removes old unpublished articles and old fetch logs, and keeps what a published story shows', async () => {
    const { store } = fixture();
    const now = new Date('2030-06-01T00:00:00Z');
    const insert = async (n: number) => (await store.insertArticle(record(1000 + n, '2025-01-01T00:00:00Z'), { sourceId: null, pathKey: `r-${n}` })).id;
    const lonely = await insert(1);
    const published = await insert(2);
    const companion = await insert(3);
    const unscored = await insert(4);
    await store.setScores(lonely, { quality: 5, published: false }, 'test');
    await store.setScores(published, { quality: 90, published: true }, 'test');
    await store.setScores(companion, { quality: 5, published: false }, 'test');
    const lonelyStory = await store.createStory();
    await store.assignStory(lonely, lonelyStory);
    const story = await store.createStory();
    await store.assignStory(published, story);
    await store.assignStory(companion, story);
    const source = await store.addSource({ url: 'https://example.com/retention.xml' });
    await store.recordFetchFailure(source.id, { url: source.url, code: 'ND_FETCH_FAILED', message: 'old', nextFetchAt: '2030-01-01T00:00:00Z', durationMs: 1, at: '2029-01-01T00:00:00Z' });
    await store.recordFetchFailure(source.id, { url: source.url, code: 'ND_FETCH_FAILED', message: 'recent', nextFetchAt: '2030-06-01T00:00:00Z', durationMs: 1, at: '2030-05-30T00:00:00Z' });

    const removed = await applyRetention(store, { unpublishedDays: 30, fetchLogDays: 14, failedJobDays: 7 }, now);
    assert.ok(removed.articles >= 1);
    assert.equal(await store.getArticle(lonely), null);
    assert.equal(await store.getStory(lonelyStory), null, 'the story left empty goes too');
    assert.ok(await store.getArticle(published));
    assert.ok(await store.getArticle(companion), 'an unpublished member of a published story stays');
    assert.ok(await store.getArticle(unscored), 'an unscored article is not judged yet');
    assert.deepEqual((await store.fetchLog(source.id)).map((l) => l.error), ['recent']);
  });

  test('the hot queries are served by indexes', async () => {
    const { store } = fixture();
    for (const [name, query] of Object.entries(hotQueries())) {
      const plan = await explainPlan(store, query);
      if (kind === 'sqlite') {
        // A full scan reads "SCAN <table>" with no index; an ordered read without its index needs a temp b-tree.
        const fullScan = plan.split('\n').find((line) => /\bSCAN \w+\b/.test(line) && !/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY/.test(line));
        assert.equal(fullScan, undefined, `${name}: ${plan}`);
        if (/order by/i.test(query)) assert.doesNotMatch(plan, /TEMP B-TREE FOR ORDER BY/, `${name}: ${plan}`);
      } else {
        // With sequential scans and sorts priced out, a plan that still has one has no index to use.
        assert.doesNotMatch(plan, /Seq Scan/, `${name}: ${plan}`);
        if (/order by/i.test(query) && !/ in \(/.test(query)) assert.doesNotMatch(plan, /\bSort\b/, `${name}: ${plan}`);
      }
    }
  });
});

async function explainPlan(store: Store, query: string): Promise<string> {
  if (store.dialect === 'sqlite') return store.explain(query);
  // Tables in a test are nearly empty, where a sequential scan is always cheapest; turning scans and
  // sorts off shows whether an index can serve the query at all.
  return store.transaction(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    await sql`set local enable_sort = off`.execute(trx);
    const result = await sql.raw(`explain ${query}`).execute(trx);
    return result.rows.map((r) => Object.values(r as object).join(' ')).join('\n');
  });
}
