// Readers' accounts and per-reader item state, on both stores: items are published stories shown by
// their lead, paged by keyset without gaps or repeats; read and starred state follows a story into the
// one it is merged into (and resurfaces on new coverage only for readers who asked); retention keeps
// starred stories; items are numbered (Fever's ids) in the order they appear.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachStore } from '../../test/helpers/stores.ts';
import { sampleRecord } from '../../test/helpers/records.ts';
import { ReaderStore, type Reader } from './readers.ts';
import { applyRetention } from './jobs.ts';
import type { Store } from './index.ts';

let serial = 0;

/** A story of `members` articles (the first the lead), published or not, on a given day and provider. */
export async function addStory(store: Store, options: { published?: boolean; members?: number; topics?: string[]; domain?: string; time?: string } = {}): Promise<{ storyId: number; articleIds: number[] }> {
  const storyId = await store.createStory();
  const articleIds: number[] = [];
  for (let m = 0; m < (options.members ?? 1); m++) {
    const n = ++serial;
    const domain = m === 0 ? options.domain ?? 'example.com' : `other${m}.example.net`;
    const record = sampleRecord(n, { webUrl: `https://${domain}/${n}`, originalUrl: `https://${domain}/${n}`, provider: { name: domain, domain }, publishedDateTime: options.time ?? `2024-05-${String(1 + (n % 27)).padStart(2, '0')}T10:00:00Z` });
    const { id } = await store.insertArticle(record, { sourceId: null, pathKey: `readers-${n}` });
    if (options.topics) await store.setTopics(id, options.topics);
    await store.setScores(id, { quality: 80, heat: 100 - m, published: options.published ?? true }, 'test');
    await store.assignStory(id, storyId);
    articleIds.push(id);
  }
  await store.updateStory(storyId, { leadArticleId: articleIds[0]!, memberCount: articleIds.length, heat: 100 });
  return { storyId, articleIds };
}

describeEachStore('reader accounts and item state', (fixture) => {
  const readers = () => new ReaderStore(fixture().store);
  let alice: Reader;

  it('keeps readers with roles, tokens that end with a new password, and a Fever key that follows the API password', async () => {
    const id = await readers().createReader({ name: 'alice', role: 'reader', passwordHash: 'scrypt$login', feverKeyHash: 'k-login' });
    alice = (await readers().readerByName('alice'))!;
    assert.equal(alice.id, id);
    assert.equal(alice.role, 'reader');
    await readers().createToken('t1', id, '2100-01-01T00:00:00Z');
    assert.equal((await readers().readerByToken('t1', new Date()))?.name, 'alice');
    assert.equal(await readers().readerByToken('t1', new Date('2100-01-02T00:00:00Z')), null, 'an expired token is refused');
    assert.equal((await readers().readerByFeverKey('k-login'))?.name, 'alice');
    await readers().setApiPassword('alice', 'scrypt$api', 'k-api');
    assert.equal(await readers().readerByToken('t1', new Date()), null, 'a new API password ends the tokens');
    assert.equal(await readers().readerByFeverKey('k-login'), null);
    await readers().setPassword('alice', 'scrypt$login2', 'k-login2');
    assert.equal((await readers().readerByFeverKey('k-api'))?.name, 'alice', 'with an API password set, the login password leaves the Fever key alone');
    await assert.rejects(readers().createReader({ name: 'alice', role: 'editor', passwordHash: 'x' }), 'names are unique');
    alice = (await readers().readerByName('alice'))!;
  });

  it('lists published stories by their lead, newest first, paged by keyset without gaps or repeats', async () => {
    const { store } = fixture();
    const published: number[] = [];
    for (let i = 0; i < 12; i++) published.push((await addStory(store, { members: 1 + (i % 3), time: `2024-06-${String(1 + (i % 4)).padStart(2, '0')}T10:00:00Z` })).storyId);
    const hidden = (await addStory(store, { published: false })).storyId;
    const all = await readers().items(alice, { scope: { kind: 'all' }, order: 'newest' });
    assert.deepEqual(new Set(all.map((i) => i.storyId)), new Set(published), 'an unpublished story is no item');
    assert.ok(!all.some((i) => i.storyId === hidden));
    for (let k = 1; k < all.length; k++) assert.ok(all[k - 1]!.time > all[k]!.time || (all[k - 1]!.time === all[k]!.time && all[k - 1]!.storyId > all[k]!.storyId), 'newest first, ties by id');
    const paged: number[] = [];
    let after: { time: string; storyId: number } | undefined;
    for (;;) {
      const page = await readers().items(alice, { scope: { kind: 'all' }, order: 'newest', limit: 5, after });
      if (page.length === 0) break;
      paged.push(...page.map((i) => i.storyId));
      after = { time: page.at(-1)!.time, storyId: page.at(-1)!.storyId };
    }
    assert.deepEqual(paged, all.map((i) => i.storyId));
    const ascending = await readers().items(alice, { scope: { kind: 'all' }, order: 'id-asc', after: { time: '', storyId: published[5]! } });
    assert.deepEqual(ascending.map((i) => i.storyId), published.slice(6));
  });

  it('scopes items to a topic and a provider, by the lead', async () => {
    const { store } = fixture();
    const robots = await addStory(store, { topics: ['Robotics'], domain: 'robots.example.org', members: 2 });
    const byTopic = await readers().items(alice, { scope: { kind: 'topic', topic: 'Robotics' }, order: 'newest' });
    assert.deepEqual(byTopic.map((i) => i.storyId), [robots.storyId]);
    const byProvider = await readers().items(alice, { scope: { kind: 'provider', domain: 'robots.example.org' }, order: 'newest' });
    assert.deepEqual(byProvider.map((i) => i.leadId), [robots.articleIds[0]]);
    assert.equal((await readers().items(alice, { scope: { kind: 'provider', domain: 'other1.example.net' }, order: 'newest' })).length, 0, 'a member that is not the lead gives its provider no item');
    const others = await readers().otherOutlets(byTopic);
    assert.deepEqual(others.get(robots.storyId)!.map((o) => o.provider), ['other1.example.net']);
    const held = await addStory(store, { members: 2 });
    await store.setScores(held.articleIds[1]!, { published: false }, 'test');
    const [heldItem] = await readers().items(alice, { scope: { kind: 'ids', storyIds: [held.storyId] }, order: 'id-asc' });
    assert.deepEqual((await readers().otherOutlets([heldItem!])).get(held.storyId)!.length, 1, 'an unpublished member is still another outlet of the story');
  });

  it('marks read, unread and starred per reader', async () => {
    const { store } = fixture();
    const bob = await readers().readerById(await readers().createReader({ name: 'bob', role: 'editor', passwordHash: 'x' }));
    const [first, second] = await readers().items(alice, { scope: { kind: 'all' }, order: 'newest', limit: 2 });
    await readers().setRead(alice.id, [first!.storyId, second!.storyId], true);
    await readers().setStarred(alice.id, [second!.storyId], true);
    const unread = await readers().items(alice, { scope: { kind: 'all' }, order: 'newest', unreadOnly: true });
    assert.ok(!unread.some((i) => i.storyId === first!.storyId || i.storyId === second!.storyId));
    assert.equal((await readers().items(bob!, { scope: { kind: 'all' }, order: 'newest', unreadOnly: true })).length, unread.length + 2, "another reader's state is their own");
    assert.deepEqual((await readers().items(alice, { scope: { kind: 'starred' }, order: 'newest' })).map((i) => i.storyId), [second!.storyId]);
    await readers().setRead(alice.id, [first!.storyId], false);
    const again = new Map((await readers().items(alice, { scope: { kind: 'ids', storyIds: [first!.storyId, second!.storyId] }, order: 'id-asc' })).map((i) => [i.storyId, [i.read, i.starred]]));
    assert.deepEqual(again.get(first!.storyId), [false, false], 'marked unread again');
    assert.deepEqual(again.get(second!.storyId), [true, true]);
  });

  it('keeps the state of a story merged into another, and resurfaces it on new coverage only for readers who asked', async () => {
    const { store } = fixture();
    const carolId = await readers().createReader({ name: 'carol', role: 'reader', passwordHash: 'x' });
    await readers().setResurface(carolId, true);
    const carol = (await readers().readerById(carolId))!;
    assert.equal(carol.resurface, true);
    const dave = (await readers().readerById(await readers().createReader({ name: 'dave', role: 'reader', passwordHash: 'x' })))!;
    // Read and starred on the younger story, which is merged into the older.
    const older = await addStory(store);
    const younger = await addStory(store);
    for (const r of [carol, dave]) {
      await readers().setRead(r.id, [younger.storyId], true);
      await readers().setStarred(r.id, [younger.storyId], true);
    }
    await store.mergeStories(older.storyId, younger.storyId);
    await store.updateStory(older.storyId, { leadArticleId: older.articleIds[0]!, memberCount: 2, heat: 100 });
    assert.equal(await readers().foldMerged(dave.id), 1);
    assert.equal(await readers().foldMerged(dave.id), 0, 'folded once');
    await readers().foldMerged(carol.id);
    const [forDave] = await readers().items(dave, { scope: { kind: 'ids', storyIds: [older.storyId] }, order: 'id-asc' });
    assert.deepEqual([forDave!.read, forDave!.starred], [true, true], 'a read story that grows stays read');
    const [forCarol] = await readers().items(carol, { scope: { kind: 'ids', storyIds: [older.storyId] }, order: 'id-asc' });
    assert.deepEqual([forCarol!.read, forCarol!.starred], [false, true], 'with resurfacing on, new coverage makes it unread again');
    await readers().setRead(carol.id, [older.storyId], true);
    const [reread] = await readers().items(carol, { scope: { kind: 'ids', storyIds: [older.storyId] }, order: 'id-asc' });
    assert.equal(reread!.read, true, 'read again once seen as it is now');
  });

  it('retention never drops a starred story, and drops it once unstarred', async () => {
    const { store } = fixture();
    const old = await addStory(store, { published: false });
    await store.db.updateTable('articles').set({ created_at: '2000-01-01T00:00:00Z' }).where('id', 'in', old.articleIds).execute();
    await readers().setStarred(alice.id, [old.storyId], true);
    assert.deepEqual((await readers().items(alice, { scope: { kind: 'starred' }, order: 'newest' })).map((i) => i.storyId).includes(old.storyId), true, 'a starred story stays listed as starred though unpublished');
    const kept = await applyRetention(store, { unpublishedDays: 30, fetchLogDays: 30, failedJobDays: 30 });
    assert.equal(kept.articles, 0);
    assert.ok(await store.getArticle(old.articleIds[0]!));
    await readers().setStarred(alice.id, [old.storyId], false);
    const removed = await applyRetention(store, { unpublishedDays: 30, fetchLogDays: 30, failedJobDays: 30 });
    assert.equal(removed.articles, 1);
  });

  it('numbers items once each, in the order they appear (an old story published later gets a higher number)', async () => {
    const { store } = fixture();
    const [first, second] = await Promise.all([readers().numberItems(), readers().numberItems()]);
    assert.ok(first + second > 0);
    const items = await readers().items(alice, { scope: { kind: 'all' }, order: 'number-asc' });
    const numbers = items.map((i) => i.number!);
    assert.ok(numbers.every((n) => Number.isInteger(n)), 'every item numbered');
    assert.equal(new Set(numbers).size, numbers.length, 'once each, though two numberings ran at once');
    assert.equal(numbers.length, (await readers().items(alice, { scope: { kind: 'all' }, order: 'newest' })).length);
    assert.equal(await readers().numberItems(), 0, 'nothing new: nothing numbered');
    const highest = Math.max(...numbers);
    const at = new Date();
    const late = await addStory(store, { time: '2020-01-01T00:00:00Z' });
    const held = await addStory(store, { published: false });
    assert.equal(await readers().numberItems(new Date(at.getTime() + 5000)), 1, 'the published one only');
    const [lateItem] = await readers().items(alice, { scope: { kind: 'all' }, order: 'number-asc', numberAbove: highest });
    assert.equal(lateItem?.storyId, late.storyId);
    assert.ok(!(await readers().items(alice, { scope: { kind: 'ids', storyIds: [held.storyId] }, order: 'id-asc' })).length);
    assert.deepEqual(await readers().storiesOfNumbers([lateItem!.number!]), [late.storyId]);
    const seenBy = await readers().items(alice, { scope: { kind: 'all' }, order: 'number-desc', numberedBefore: new Date(at.getTime() + 1000).toISOString() });
    assert.deepEqual(seenBy.map((i) => i.number), [...numbers].reverse(), 'numberedBefore leaves out what was numbered after');
    const below = await readers().items(alice, { scope: { kind: 'all' }, order: 'number-desc', numberBelow: numbers[2]!, limit: 5 });
    assert.deepEqual(below.map((i) => i.number), [numbers[1], numbers[0]]);
  });

  it('gives providers and topics stable ids, and removing a reader removes their state', async () => {
    const first = await readers().feedIds('provider', ['a.example', 'b.example']);
    const second = await readers().feedIds('provider', ['b.example', 'c.example', 'a.example']);
    assert.equal(second.get('a.example'), first.get('a.example'));
    assert.equal(second.get('b.example'), first.get('b.example'));
    assert.equal(new Set(second.values()).size, 3);
    assert.deepEqual(await readers().feedById(second.get('c.example')!), { kind: 'provider', key: 'c.example' });
    const carol = (await readers().readerByName('carol'))!;
    assert.ok((await readers().items(carol, { scope: { kind: 'starred' }, order: 'newest' })).length > 0);
    assert.equal(await readers().removeReader('carol'), true);
    const left = await readers().db.selectFrom('reader_items').select('story_id').where('reader_id', '=', carol.id).execute();
    assert.equal(left.length, 0);
    assert.equal(await readers().removeReader('carol'), false);
  });
});
