// The Fever API against a real server over the demo (published at a lower threshold), on both stores, through a client that speaks the
// published spec (test/helpers/fever-client.ts): the key, nothing without it, items paged by since_id
// and max_id over every published story without gaps or repeats (and a story published later comes
// after them), with_ids, read/unread and saved/unsaved, marking a feed and a group read with `before`,
// groups and feeds that agree, favicons, hot links, and the login limits.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachStore } from '../../../test/helpers/stores.ts';
import { FeverClient, feverApiKey, idsOf, type FeverItem } from '../../../test/helpers/fever-client.ts';
import { demoServerOnFirstUse, READER } from './testing.ts';
import { ReaderAccounts } from './accounts.ts';
import { multipartFields, FEVER_PAGE } from './fever.ts';
import type { Store } from '../../store/index.ts';
import { allTopics } from '../../curate/topics/taxonomy.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('reads the text fields of a multipart form', () => {
  const body = '--xyz\r\nContent-Disposition: form-data; name="api_key"\r\n\r\nabc123\r\n--xyz\r\nContent-Disposition: form-data; name="mark"\r\n\r\nitem\r\n--xyz--\r\n';
  const fields = multipartFields(body, 'multipart/form-data; boundary=xyz');
  assert.equal(fields.get('api_key'), 'abc123');
  assert.equal(fields.get('mark'), 'item');
  assert.throws(() => multipartFields(body, 'multipart/form-data'), /boundary/);
});

/** An article that is stored but not published, in a story with no published member: publishing it makes a new item. */
async function unpublishedStoryArticle(store: Store): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    select a.id from articles a where a.published = 0 and a.story_id is not null
      and not exists (select 1 from articles p where p.story_id = a.story_id and p.published = 1)
    order by a.id limit 1`.execute(store.db);
  assert.ok(rows[0], 'the demo holds back some stories');
  return Number(rows[0].id);
}

describeEachStore('fever api', (fixture) => {
  // At a publish threshold of 50 the demo publishes a few hundred stories (several pages of 50) and
  // still holds some back, to publish during the test.
  const opened = demoServerOnFirstUse(() => fixture().store, { thresholds: { publish: 50 } });
  let client: FeverClient;
  let synced: FeverItem[] = [];
  const connect = async () => {
    const { base } = await opened();
    client ??= new FeverClient(`${base}/api/fever/`, feverApiKey(READER.name, READER.password));
    return client;
  };

  it('answers auth 0 and nothing else without the right key, and auth 1 with it', async () => {
    const fever = await connect();
    const none = new FeverClient(fever.endpoint, null);
    const missing = await none.call({ items: true, unread_item_ids: true, groups: true });
    assert.equal(missing.status, 200);
    assert.deepEqual(missing.answer, { api_version: 3, auth: 0 }, 'no key: Fever\'s own refusal, no data');
    const wrong = await new FeverClient(fever.endpoint, feverApiKey(READER.name, 'not the password')).call({ items: true, saved_item_ids: true });
    assert.deepEqual(wrong.answer, { api_version: 3, auth: 0 });
    const get = await fetch(`${fever.endpoint}?api&items`);
    assert.deepEqual(await get.json(), { api_version: 3, auth: 0 }, 'a GET without a key is refused the same way');
    const right = await fever.ok();
    assert.equal(right.api_version, 3);
    assert.equal(right.auth, 1);
    assert.equal(typeof right.last_refreshed_on_time, 'number');
    assert.ok(right.last_refreshed_on_time! > 0, 'the demo has fetched its sources');
    const xml = await fetch(`${fever.endpoint}?api=xml`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `api_key=${fever.apiKey}` });
    assert.equal(xml.status, 400);
    assert.match(((await xml.json()) as { error: string }).error, /JSON only/);
    const upper = await new FeverClient(fever.endpoint, fever.apiKey!.toUpperCase()).call();
    assert.equal(upper.answer.auth, 1, 'hex case does not matter');
  });

  it('takes the key from a multipart form too', async () => {
    const fever = await connect();
    const form = new FormData();
    form.set('api_key', fever.apiKey!);
    const res = await fetch(`${fever.endpoint}?api&unread_item_ids`, { method: 'POST', body: form });
    const answer = (await res.json()) as { auth: number; unread_item_ids: string };
    assert.equal(answer.auth, 1);
    assert.ok(idsOf(answer.unread_item_ids).length > 0);
  });

  it('pages every published story by since_id from 0 until empty, without gaps or repeats', async () => {
    const { publishedStories } = await opened();
    const fever = await connect();
    assert.ok(publishedStories > FEVER_PAGE, `the demo publishes more than one page of stories (${publishedStories})`);
    const { items, pages } = await fever.syncForward();
    synced = items;
    const ids = items.map((i) => i.id);
    assert.equal(ids.length, publishedStories, 'one item per published story');
    assert.equal(new Set(ids).size, ids.length, 'no repeats');
    for (let k = 1; k < ids.length; k++) assert.ok(ids[k]! > ids[k - 1]!, 'ids increase');
    assert.ok(pages.slice(0, -1).every((n) => n >= 1 && n <= FEVER_PAGE) && pages.at(-1) === 0, `pages of at most ${FEVER_PAGE}, then an empty one: ${pages}`);
    assert.equal(pages.length, Math.ceil(publishedStories / FEVER_PAGE) + 1);
    assert.equal((await fever.items({ since_id: 0 })).total, publishedStories, 'total_items');
    process.stdout.write(`# ${ids.length} items of ${publishedStories} published stories in ${pages.length} requests by since_id\n`);
    const item = items[0]!;
    assert.ok(item.title && item.url.startsWith('http') && item.html.length > 0 && item.author);
    assert.ok(item.created_on_time > 1_000_000_000);
    assert.equal(item.is_read, 0);
    const again = await fever.syncForward();
    assert.deepEqual(again.items.map((i) => i.id), ids, 'ids are stable');
  });

  it('pages backward by max_id, and serves given ids with with_ids (at most 50)', async () => {
    const fever = await connect();
    const backward = await fever.syncBackward();
    assert.deepEqual(backward.map((i) => i.id), synced.map((i) => i.id).reverse(), 'max_id from 0 walks the same items newest first');
    const wanted = [synced[3]!.id, synced[0]!.id, synced.at(-1)!.id];
    const { items } = await fever.items({ with_ids: wanted });
    assert.deepEqual(items.map((i) => i.id).sort((a, b) => a - b), [...wanted].sort((a, b) => a - b));
    assert.deepEqual(items.find((i) => i.id === synced[3]!.id), synced[3], 'the same item as the sync gave');
    const tooMany = await fever.call({ items: true, with_ids: synced.slice(0, 51).map((i) => i.id).join(',') });
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.answer.error!, /at most 50/);
    const malformed = await fever.call({ items: true, since_id: 'soon' });
    assert.equal(malformed.status, 400);
  });

  it('gives a story published after a sync an id above every id seen, so since_id finds it', async () => {
    const { desk } = await opened();
    const fever = await connect();
    const highest = Math.max(...synced.map((i) => i.id));
    assert.equal((await fever.items({ since_id: highest })).items.length, 0);
    const article = await unpublishedStoryArticle(desk.store);
    await desk.store.setScores(article, { published: true }, 'test: published later');
    const { items } = await fever.items({ since_id: highest });
    assert.equal(items.length, 1, 'the one new story');
    assert.ok(items[0]!.id > highest);
    assert.ok(idsOf((await fever.ok({ unread_item_ids: true })).unread_item_ids).includes(items[0]!.id));
    synced.push(items[0]!);
  });

  it('marks an item read and unread, saved and unsaved, and the id lists follow', async () => {
    const fever = await connect();
    const [a, b] = [synced[1]!.id, synced[2]!.id];
    const unread = await fever.unreadIds();
    assert.equal(unread.length, synced.length, 'everything starts unread');
    await fever.markItem(a, 'read');
    await fever.markItem(b, 'read');
    const after = await fever.unreadIds();
    assert.ok(!after.includes(a) && !after.includes(b));
    assert.equal(after.length, unread.length - 2);
    await fever.markItem(b, 'unread');
    assert.ok((await fever.unreadIds()).includes(b));
    assert.equal((await fever.items({ with_ids: [a] })).items[0]!.is_read, 1);
    assert.deepEqual(await fever.savedIds(), []);
    await fever.markItem(a, 'saved');
    await fever.markItem(b, 'saved');
    assert.deepEqual(await fever.savedIds(), [a, b].sort((x, y) => x - y));
    await fever.markItem(a, 'unsaved');
    assert.deepEqual(await fever.savedIds(), [b]);
    assert.equal((await fever.items({ with_ids: [b] })).items[0]!.is_saved, 1);
    const badAs = await fever.call({}, { mark: 'item', as: 'loved', id: a });
    assert.equal(badAs.status, 400);
    const badId = await fever.call({}, { mark: 'item', as: 'read', id: 'x' });
    assert.equal(badId.status, 400);
  });

  it('lists groups and feeds that agree: every feed in one group, every item in a provider feed, favicons for all', async () => {
    const { desk } = await opened();
    const fever = await connect();
    const answer = await fever.ok({ groups: true, feeds: true, favicons: true });
    const groups = answer.groups!;
    const feeds = answer.feeds!;
    assert.deepEqual(groups.map((g) => g.title), ['Top stories', 'Topics', 'Providers']);
    const members = new Map(answer.feeds_groups!.map((fg) => [fg.group_id, idsOf(fg.feed_ids)]));
    assert.deepEqual([...members.keys()].sort(), groups.map((g) => g.id).sort(), 'feeds_groups names every group');
    const grouped = [...members.values()].flat();
    assert.deepEqual([...grouped].sort((x, y) => x - y), feeds.map((f) => f.id).sort((x, y) => x - y), 'every feed in exactly one group');
    const groupOf = (title: string) => members.get(groups.find((g) => g.title === title)!.id)!;
    assert.equal(groupOf('Top stories').length, 1);
    assert.equal(groupOf('Topics').length, allTopics(desk.taxonomy).length);
    const providerFeeds = new Set(groupOf('Providers'));
    assert.ok(synced.every((i) => providerFeeds.has(i.feed_id)), "an item's feed is its lead's provider");
    assert.ok([...providerFeeds].every((id) => synced.some((i) => i.feed_id === id)), 'every provider feed has items');
    assert.ok(feeds.every((f) => f.url.startsWith('https://news.example.org/feeds/') && f.site_url.startsWith('https://news.example.org/') && f.is_spark === 0));
    const icons = new Map(answer.favicons!.map((f) => [f.id, f.data]));
    for (const f of feeds) {
      const data = icons.get(f.favicon_id);
      assert.ok(data, `favicon ${f.favicon_id}`);
      const [mime, payload] = data.split(';base64,');
      assert.equal(mime, 'image/png');
      assert.deepEqual([...Buffer.from(payload!, 'base64').subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    }
    const newest = Math.max(...synced.map((i) => i.created_on_time));
    assert.equal(feeds.find((f) => f.id === groupOf('Top stories')[0])!.last_updated_on_time, newest);
    const again = await fever.ok({ feeds: true });
    assert.deepEqual(again.feeds!.map((f) => f.id), feeds.map((f) => f.id), 'feed ids are stable');
  });

  it('serves hot stories as links, hottest first', async () => {
    const fever = await connect();
    const { links } = await fever.ok({ links: true, range: 36500 });
    assert.ok(links && links.length > 0, 'the demo has hot stories');
    assert.ok(links.length <= FEVER_PAGE);
    for (let k = 1; k < links.length; k++) assert.ok(links[k - 1]!.temperature >= links[k]!.temperature, 'by heat');
    const byId = new Map(synced.map((i) => [i.id, i]));
    for (const link of links) {
      const item = byId.get(link.item_id)!;
      assert.ok(item, `link ${link.id} names an item`);
      assert.deepEqual([link.is_item, link.feed_id, link.url, link.title, link.item_ids], [1, item.feed_id, item.url, item.title, String(item.id)]);
    }
    const week = await fever.ok({ links: true });
    assert.ok(week.links!.length <= links.length);
    assert.ok(week.links!.every((l) => byId.get(l.item_id)!.created_on_time > Math.max(...synced.map((i) => i.created_on_time)) - 7 * 86400), 'the default range is the last 7 days of news');
  });

  it('marks a feed read before a time, and a group read without what appeared after `before`', async () => {
    const { desk } = await opened();
    const fever = await connect();
    const unread = new Set(await fever.unreadIds());
    const counts = new Map<number, number>();
    for (const i of synced) if (unread.has(i.id)) counts.set(i.feed_id, (counts.get(i.feed_id) ?? 0) + 1);
    const [feed, inFeed] = [...counts].sort((x, y) => y[1] - x[1])[0]!;
    assert.ok(inFeed >= 2, 'a provider with several unread items');
    await fever.markFeed(feed, 1_000_000_000);
    assert.equal((await fever.unreadIds()).length, unread.size, 'before a time ahead of every item: nothing is marked');
    await fever.markFeed(feed, Math.floor(Date.now() / 1000));
    const left = new Set(await fever.unreadIds());
    assert.equal(left.size, unread.size - inFeed, "only that feed's items");
    assert.ok(synced.filter((i) => i.feed_id === feed).every((i) => !left.has(i.id)));

    const before = Math.floor(Date.now() / 1000);
    await sleep(1100);
    const article = await unpublishedStoryArticle(desk.store);
    await desk.store.setScores(article, { published: true }, 'test: published after the client last looked');
    await fever.markGroup(0, before);
    const [late] = (await fever.items({ since_id: Math.max(...synced.map((i) => i.id)) })).items;
    assert.ok(late, 'the story published after `before`');
    assert.deepEqual(await fever.unreadIds(), [late.id], 'everything the client had seen is read; what appeared since is not');
    const unknown = await fever.call({}, { mark: 'group', as: 'read', id: 99, before });
    assert.equal(unknown.status, 400);
  });

  it('takes the key of the API password once one is set, and no longer that of the login password', async () => {
    const { desk } = await opened();
    const fever = await connect();
    await new ReaderAccounts(desk.store).setApiPassword(READER.name, 'a separate app password');
    assert.equal((await fever.call()).answer.auth, 0, 'the login password key no longer works');
    fever.apiKey = feverApiKey(READER.name, 'a separate app password');
    assert.equal((await fever.ok()).auth, 1);
  });

  it('limits wrong keys per address as the desk login does, then refuses even the right key, with Retry-After', async () => {
    const fever = await connect();
    const guesser = new FeverClient(fever.endpoint, null);
    let last: Awaited<ReturnType<FeverClient['call']>> | null = null;
    for (let i = 0; i < 30; i++) {
      guesser.apiKey = feverApiKey('reader1', `guess ${i}`);
      last = await guesser.call({ items: true });
      if (last.status === 429) break;
      assert.deepEqual(last.answer, { api_version: 3, auth: 0 });
    }
    assert.equal(last!.status, 429, 'guessing stops');
    assert.ok(Number(last!.headers.get('retry-after')) > 0);
    assert.equal(last!.answer.auth, 0);
    const right = await fever.call({ items: true });
    assert.equal(right.status, 429, 'a blocked address gets nothing, even with the right key');
    assert.equal(right.answer.items, undefined);
  });
});
