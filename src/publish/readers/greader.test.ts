// The Google Reader API against a real server over the demo, on both stores: nothing without a token,
// ClientLogin, subscriptions (top stories, topics, providers), unread counts, stream paging by
// continuation without gaps or repeats, both item id forms, edit-tag and mark-all-as-read, errors in
// the protocol's form, and login limits.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachStore } from '../../../test/helpers/stores.ts';
import { demoServerOnFirstUse, READER } from './testing.ts';
import { longItemId, parseItemId } from './greader.ts';

const READING_LIST = 'user/-/state/com.google/reading-list';

it('reads item ids in both forms and refuses what names no item', () => {
  assert.equal(parseItemId('tag:google.com,2005:reader/item/000000000000001f'), 31);
  assert.equal(parseItemId('31'), 31);
  assert.equal(parseItemId(longItemId(324)), 324);
  assert.equal(parseItemId('000000000000001f'), 31);
  assert.equal(parseItemId('tag:google.com,2005:reader/item/zz'), null);
  assert.equal(parseItemId('99999999999999999999'), null);
  assert.equal(parseItemId('0'), null);
  assert.equal(parseItemId('<script>'), null);
});

describeEachStore('google reader api', (fixture) => {
  const opened = demoServerOnFirstUse(() => fixture().store);
  let auth = '';
  const api = async (path: string, init: RequestInit & { form?: Record<string, string | string[]> } = {}) => {
    const { base } = await opened();
    const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
    if (auth && !('authorization' in headers)) headers.authorization = `GoogleLogin auth=${auth}`;
    let body: string | undefined;
    if (init.form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
      body = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    return fetch(`${base}/api/greader${path}`, { method: init.form ? 'POST' : init.method ?? 'GET', headers, body });
  };
  const json = async (path: string) => {
    const res = await api(path);
    assert.equal(res.status, 200, `${path}: ${res.status} ${await res.clone().text()}`);
    return res.json() as Promise<any>;
  };
  const unreadTotal = async () => ((await json('/reader/api/0/unread-count?output=json')).unreadcounts as Array<{ id: string; count: number }>).find((c) => c.id === READING_LIST)?.count ?? 0;

  it('serves nothing without a valid token, and says so as Google Reader does', async () => {
    for (const path of ['/reader/api/0/subscription/list?output=json', '/reader/api/0/stream/contents/user/-/state/com.google/reading-list', '/reader/api/0/unread-count', '/reader/api/0/token', '/reader/api/0/user-info']) {
      const res = await api(path);
      assert.equal(res.status, 401, path);
      assert.match(await res.text(), /^Unauthorized/);
    }
    const forged = await api('/reader/api/0/subscription/list', { headers: { authorization: 'GoogleLogin auth=forged-token' } });
    assert.equal(forged.status, 401);
    const edit = await api('/reader/api/0/edit-tag', { form: { i: '10', a: 'user/-/state/com.google/read' } });
    assert.equal(edit.status, 401);
  });

  it('logs in with ClientLogin and refuses a wrong password in the protocol form', async () => {
    const wrong = await api('/accounts/ClientLogin', { form: { Email: READER.name, Passwd: 'not the password' } });
    assert.equal(wrong.status, 401);
    assert.equal((await wrong.text()).trim(), 'Error=BadAuthentication');
    const res = await api('/accounts/ClientLogin', { form: { Email: READER.name, Passwd: READER.password } });
    assert.equal(res.status, 200);
    const text = await res.text();
    auth = /^Auth=(.+)$/m.exec(text)![1]!;
    assert.ok(auth.length >= 40);
    const info = await json('/reader/api/0/user-info');
    assert.equal(info.userName, READER.name);
  });

  it('lists the desk streams as subscriptions and tags', async () => {
    const { desk } = await opened();
    const { subscriptions } = await json('/reader/api/0/subscription/list?output=json');
    const ids = subscriptions.map((s: { id: string }) => s.id);
    assert.ok(ids.includes('feed/top'));
    assert.ok(ids.includes(`feed/topic:${desk.taxonomy.topics[0]!.id}`), 'every topic');
    assert.ok(ids.filter((id: string) => id.startsWith('feed/provider:')).length >= 2, 'providers of published leads');
    assert.ok(subscriptions.every((s: { url: string; categories: unknown[] }) => s.url.startsWith('https://news.example.org/feeds/') && s.categories.length === 1));
    const { tags } = await json('/reader/api/0/tag/list?output=json');
    assert.ok(tags.some((t: { id: string }) => t.id === 'user/-/state/com.google/starred'));
  });

  it('counts every published story unread, and pages the reading list by continuation without gaps or repeats', async () => {
    const { publishedStories } = await opened();
    assert.ok(publishedStories >= 10, `the demo publishes stories (${publishedStories})`);
    assert.equal(await unreadTotal(), publishedStories);
    const seen: string[] = [];
    let c = '';
    let pages = 0;
    for (;;) {
      const page = await json(`/reader/api/0/stream/contents/${encodeURIComponent(READING_LIST)}?n=4${c ? `&c=${c}` : ''}`);
      seen.push(...page.items.map((i: { id: string }) => i.id));
      pages++;
      if (!page.continuation) break;
      c = page.continuation;
    }
    assert.equal(seen.length, publishedStories);
    assert.equal(new Set(seen).size, publishedStories, 'no repeats');
    assert.equal(pages, Math.ceil(publishedStories / 4));
    assert.ok(seen.every((id) => /^tag:google\.com,2005:reader\/item\/[0-9a-f]{16}$/.test(id)));
    const ids = await json(`/reader/api/0/stream/items/ids?s=${READING_LIST}&n=1000`);
    assert.deepEqual(ids.itemRefs.map((r: { id: string }) => longItemId(Number(r.id))), seen, 'the short ids name the same items, in the same order');
  });

  it('gives an item as its lead with the other outlets of the story, content or excerpt', async () => {
    const { desk } = await opened();
    const { items } = await json(`/reader/api/0/stream/contents/feed%2Ftop?n=100`);
    const withOthers = items.find((i: { summary: { content: string } }) => i.summary.content.includes('Also covered by'));
    assert.ok(withOthers, 'a story with several outlets lists them');
    const storyId = parseItemId(withOthers.id)!;
    const members = await desk.store.storyMembers(storyId);
    assert.ok(members.length >= 2);
    const lead = members.find((m) => m.webUrl === withOthers.canonical[0].href)!;
    assert.ok(lead.published);
    for (const other of members.filter((m) => m.id !== lead.id)) assert.ok(withOthers.summary.content.includes(other.provider.name), other.provider.name);
    assert.ok(withOthers.categories.includes(READING_LIST));
    assert.equal(typeof withOthers.published, 'number');
  });

  it('marks read and unread with edit-tag (both id forms), checks T, and the unread count follows', async () => {
    const before = await unreadTotal();
    const { itemRefs } = await json(`/reader/api/0/stream/items/ids?s=${READING_LIST}&n=3`);
    const [a, b] = itemRefs.map((r: { id: string }) => r.id) as string[];
    const badT = await api('/reader/api/0/edit-tag', { form: { i: a!, a: 'user/-/state/com.google/read', T: 'wrong' } });
    assert.equal(badT.status, 401);
    const T = await (await api('/reader/api/0/token')).text();
    const ok = await api('/reader/api/0/edit-tag', { form: { i: [a!, longItemId(Number(b))], a: 'user/-/state/com.google/read', T } });
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), 'OK');
    assert.equal(await unreadTotal(), before - 2);
    const unreadIds = (await json(`/reader/api/0/stream/items/ids?s=${READING_LIST}&xt=user/-/state/com.google/read&n=1000`)).itemRefs.map((r: { id: string }) => r.id);
    assert.ok(!unreadIds.includes(a) && !unreadIds.includes(b));
    await api('/reader/api/0/edit-tag', { form: { i: b!, r: 'user/-/state/com.google/read', a: 'user/-/state/com.google/kept-unread', T } });
    assert.equal(await unreadTotal(), before - 1);
    const contents = await api('/reader/api/0/stream/items/contents', { form: { i: [a!, b!] } });
    const read = (await contents.json()).items.map((i: { categories: string[] }) => i.categories.includes('user/-/state/com.google/read'));
    assert.deepEqual(read, [true, false]);
    const malformed = await api('/reader/api/0/edit-tag', { form: { i: 'not-an-id', a: 'user/-/state/com.google/read', T } });
    assert.equal(malformed.status, 400);
    assert.match(await malformed.text(), /^Error=BadRequest not an item id/);
    assert.equal(await unreadTotal(), before - 1, 'a refused request changes nothing');
  });

  it('stars items and lists them by it=starred and the starred stream', async () => {
    const { itemRefs } = await json(`/reader/api/0/stream/items/ids?s=${READING_LIST}&n=2`);
    const id = itemRefs[1].id as string;
    assert.equal((await api('/reader/api/0/edit-tag', { form: { i: id, a: 'user/-/state/com.google/starred' } })).status, 200);
    const starred = await json('/reader/api/0/stream/contents/user%2F-%2Fstate%2Fcom.google%2Fstarred');
    assert.deepEqual(starred.items.map((i: { id: string }) => parseItemId(i.id)), [Number(id)]);
    const viaIt = await json(`/reader/api/0/stream/items/ids?s=${READING_LIST}&it=user/-/state/com.google/starred`);
    assert.deepEqual(viaIt.itemRefs.map((r: { id: string }) => r.id), [id]);
  });

  it('marks a whole feed read, and respects ts and ot/nt', async () => {
    const { subscriptions } = await json('/reader/api/0/subscription/list?output=json');
    const counts = (await json('/reader/api/0/unread-count')).unreadcounts as Array<{ id: string; count: number }>;
    const feed = counts.find((c) => c.id.startsWith('feed/provider:') && c.count >= 1)!;
    assert.ok(subscriptions.some((s: { id: string }) => s.id === feed.id));
    const before = await unreadTotal();
    const items = (await json(`/reader/api/0/stream/contents/${encodeURIComponent(feed.id)}?n=100`)).items as Array<{ published: number }>;
    const oldest = Math.min(...items.map((i) => i.published));
    const newer = await json(`/reader/api/0/stream/items/ids?s=${encodeURIComponent(feed.id)}&ot=${oldest + 1}`);
    assert.equal(newer.itemRefs.length, items.filter((i) => i.published >= oldest + 1).length, 'ot keeps items from that time on');
    const older = await json(`/reader/api/0/stream/items/ids?s=${encodeURIComponent(feed.id)}&nt=${oldest + 1}`);
    assert.equal(older.itemRefs.length, items.filter((i) => i.published < oldest + 1).length, 'nt keeps items before that time');
    const res = await api('/reader/api/0/mark-all-as-read', { form: { s: feed.id, ts: String(BigInt(oldest) * 1_000_000n) } });
    assert.equal(res.status, 200);
    const marked = items.filter((i) => i.published <= oldest).length;
    assert.equal(await unreadTotal(), before - Math.min(marked, feed.count));
    const unknown = await api('/reader/api/0/stream/contents/feed%2Fnothing-such');
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /^Error=UnknownStream/);
    const badN = await api(`/reader/api/0/stream/contents/feed%2Ftop?n=lots`);
    assert.equal(badN.status, 400);
    const badC = await api(`/reader/api/0/stream/contents/feed%2Ftop?c=garbage`);
    assert.equal(badC.status, 400);
  });

  it('locks an account out after repeated wrong passwords, with Retry-After, as the desk does', async () => {
    let last: Response | null = null;
    for (let i = 0; i < 6; i++) last = await api('/accounts/ClientLogin', { form: { Email: 'victim', Passwd: `guess ${i} of many` } });
    assert.equal(last!.status, 429);
    assert.ok(Number(last!.headers.get('retry-after')) > 0);
    assert.match(await last!.text(), /^Error=TooManyRequests/);
    assert.equal((await api('/reader/api/0/user-info')).status, 200, 'a valid token from the same address still works');
  });
});
