// Reader apps' pages are read window by window (ReaderStore.items with a limit): they must be exactly
// the rows of the whole query, in its order, for every order, scope and bound, and paging by the
// continuation or by item number must give every item once. The whole query (no limit) is the
// reference. Synthetic stories five days apart to minutes apart cross many windows; some are undated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachStore } from '../../test/helpers/stores.ts';
import { fillSynthetic } from './synthetic.ts';
import { ReaderStore, type ItemQuery, type Reader } from './readers.ts';

describeEachStore('reader items by windows', (fixture) => {
  let readers: ReaderStore;
  let reader: Reader;

  test('a page is the head of the whole query, for every order, scope and bound', async () => {
    const { store } = fixture();
    // 6,000 articles 90 s apart (a week), then 600 a day apart (600 days earlier): dense and sparse.
    await fillSynthetic(store, { count: 600, start: Date.parse('2022-01-01T00:00:00Z'), spacingSeconds: 86400 });
    await fillSynthetic(store, { count: 6000, start: Date.parse('2024-01-01T00:00:00Z') });
    readers = new ReaderStore(store);
    reader = (await readers.readerById(await readers.createReader({ name: 'windows', role: 'reader', passwordHash: 'x' })))!;
    await readers.numberItems();
    const all = await readers.items(reader, { scope: { kind: 'all' }, order: 'newest' });
    assert.ok(all.length > 1000);
    const undated = await sql<{ n: number }>`select count(*) as n from articles where published_at is null and published = 1`.execute(store.db);
    assert.ok(Number(undated.rows[0]!.n) > 0, 'some published articles are undated');
    // Read some, so unread-only pages skip.
    await readers.setRead(reader.id, all.filter((_, k) => k % 3 === 0).map((i) => i.storyId), true);
    const middle = all[Math.floor(all.length / 2)]!;
    const queries: ItemQuery[] = [
      { scope: { kind: 'all' }, order: 'newest' },
      { scope: { kind: 'all' }, order: 'oldest' },
      { scope: { kind: 'all' }, order: 'newest', unreadOnly: true },
      { scope: { kind: 'topic', topic: 'Robotics' }, order: 'newest' },
      { scope: { kind: 'provider', domain: 'p0.example' }, order: 'oldest' },
      { scope: { kind: 'read' }, order: 'newest' },
      { scope: { kind: 'all' }, order: 'newest', after: { time: middle.time, storyId: middle.storyId } },
      { scope: { kind: 'all' }, order: 'oldest', after: { time: middle.time, storyId: middle.storyId } },
      { scope: { kind: 'all' }, order: 'newest', since: '2022-06-01T00:00:00Z', before: '2024-01-03T00:00:00Z' },
      { scope: { kind: 'all' }, order: 'number-asc', numberAbove: 100 },
      { scope: { kind: 'all' }, order: 'number-desc' },
      { scope: { kind: 'all' }, order: 'number-desc', numberBelow: 500, unreadOnly: true },
    ];
    for (const query of queries) {
      const whole = await readers.items(reader, query);
      for (const limit of [1, 20, 400]) {
        const page = await readers.items(reader, { ...query, limit });
        assert.deepEqual(page.map((i) => i.storyId), whole.slice(0, limit).map((i) => i.storyId), `${JSON.stringify(query)} limit ${limit}`);
      }
    }
  });

  test('paging by continuation and by number gives every item once', async () => {
    const whole = await readers.items(reader, { scope: { kind: 'all' }, order: 'newest' });
    const paged: number[] = [];
    let after: ItemQuery['after'];
    for (;;) {
      const page = await readers.items(reader, { scope: { kind: 'all' }, order: 'newest', limit: 250, ...(after ? { after } : {}) });
      paged.push(...page.map((i) => i.storyId));
      if (page.length < 250) break;
      after = { time: page.at(-1)!.time, storyId: page.at(-1)!.storyId };
    }
    assert.deepEqual(paged, whole.map((i) => i.storyId));
    const byNumber: number[] = [];
    let above = 0;
    for (;;) {
      const page = await readers.items(reader, { scope: { kind: 'all' }, order: 'number-asc', limit: 300, numberAbove: above });
      byNumber.push(...page.map((i) => i.number!));
      if (page.length < 300) break;
      above = page.at(-1)!.number!;
    }
    const numbers = whole.map((i) => i.number!).sort((a, b) => a - b);
    assert.deepEqual(byNumber, numbers);
  });
});
