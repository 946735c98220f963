// The store-held locks bind separate processes (here: separate connections, each with its own
// limiter or lock, as two workers would have): per-host limits and spacing, and the curation lock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachStore, postgresUnavailable } from '../../test/helpers/stores.ts';
import { Store } from '../store/index.ts';
import { StoreHostLimiter, storeLock } from './leases.ts';

await postgresUnavailable();

const reopen = (store: Store) => Store.open(store.location, store.schema ? { schema: store.schema } : {});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachStore('store leases across workers', (fixture) => {
  test('two workers fetching one host: never more than the limit at once, and the gap between requests holds', async () => {
    const { store } = fixture();
    const other = await reopen(store);
    try {
      const options = { concurrency: 1, minGapMs: 150, jitterMs: 0, pollMs: 20 };
      const limiters = [new StoreHostLimiter(store, options), new StoreHostLimiter(other, options)];
      const spans: Array<{ start: number; end: number }> = [];
      let active = 0;
      let most = 0;
      await Promise.all(
        Array.from({ length: 6 }, async (_, i) => {
          const lease = await limiters[i % 2]!.acquire('news.example.com');
          const start = Date.now();
          most = Math.max(most, ++active);
          await sleep(30);
          active--;
          spans.push({ start, end: Date.now() });
          await lease.release();
        }),
      );
      assert.equal(most, 1);
      spans.sort((a, b) => a.start - b.start);
      for (let i = 1; i < spans.length; i++) {
        // The lease is released after `end` is taken: the gap counts from a moment at or after it.
        assert.ok(spans[i]!.start - spans[i - 1]!.end >= 140, `gap ${spans[i]!.start - spans[i - 1]!.end} ms before request ${i}`);
      }
      // Another host is not held back by the first.
      const t0 = Date.now();
      const lease = await limiters[0]!.acquire('other.example.org');
      assert.ok(Date.now() - t0 < 1000);
      await lease.release();
    } finally {
      await other.close();
    }
  });

  test('a gap with jitter (a fraction of a millisecond) is held too: the release stores a whole expiry', async () => {
    const { store } = fixture();
    const limiter = new StoreHostLimiter(store, { concurrency: 1, minGapMs: 100, jitterMs: 101, pollMs: 20, random: () => 0.5 });
    const first = await limiter.acquire('jitter.example.com');
    const released = Date.now();
    await first.release();
    const second = await limiter.acquire('jitter.example.com');
    assert.ok(Date.now() - released >= 140, `the second request waited ${Date.now() - released} ms of a 150.5 ms gap`);
    await second.release();
  });

  test('the curation lock admits one section at a time across connections', async () => {
    const { store } = fixture();
    const other = await reopen(store);
    try {
      const locks = [storeLock(store, 'curation-test'), storeLock(other, 'curation-test')];
      let inside = 0;
      let most = 0;
      const order: number[] = [];
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          locks[i % 2]!.run(async () => {
            most = Math.max(most, ++inside);
            await sleep(15);
            order.push(i);
            inside--;
          }),
        ),
      );
      assert.equal(most, 1);
      assert.equal(order.length, 8);
    } finally {
      await other.close();
    }
  });
});
