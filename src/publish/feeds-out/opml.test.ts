// /feeds.opml against a real server over the demo, on both stores: an OPML 2.0 list of every outgoing
// feed (the site's, each topic's, each provider's, each saved search's) with absolute URLs, every one
// of which the server answers with a feed the desk's own parser reads; pages announce the list.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachStore } from '../../../test/helpers/stores.ts';
import { demoServerOnFirstUse } from '../readers/testing.ts';
import { parseOpml } from '../../feeds/opml.ts';
import { parseFeed } from '../../feeds/parse.ts';
import { allTopics } from '../../curate/topics/taxonomy.ts';
import { CollectionStore } from '../../store/collections.ts';

describeEachStore('feeds.opml', (fixture) => {
  const opened = demoServerOnFirstUse(() => fixture().store);

  it('lists every outgoing feed with absolute URLs, and each answers 200 with a feed that parses', async () => {
    const { base, desk } = await opened();
    await new CollectionStore(desk.store).saveSearch({ slug: 'agents', name: 'Agents', query: 'agent' });
    const res = await fetch(`${base}/feeds.opml`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/x-opml/);
    const text = await res.text();
    assert.match(text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<opml version="2\.0">/);
    const feeds = parseOpml(text);
    const { rows } = await sql<{ n: number | string }>`select count(distinct provider_domain) as n from articles where listed = 1`.execute(desk.store.db);
    const providers = Number(rows[0]!.n);
    assert.ok(providers >= 5, `the demo lists several providers (${providers})`);
    const topics = allTopics(desk.taxonomy).length;
    assert.equal(feeds.filter((f) => f.category === 'Topics').length, topics, 'a feed per topic');
    assert.equal(feeds.filter((f) => f.category === 'Providers').length, providers, 'a feed per provider');
    assert.deepEqual(feeds.filter((f) => f.category === 'Saved searches').map((f) => f.title), [`${desk.config.siteName}: Agents`]);
    assert.ok(feeds.some((f) => f.category === null && f.xmlUrl.endsWith('/feeds/news.rss')), "the site's feed at the top");
    assert.equal(new Set(feeds.map((f) => f.xmlUrl)).size, feeds.length, 'each feed once');
    let entries = 0;
    for (const feed of feeds) {
      assert.ok(feed.xmlUrl.startsWith('https://news.example.org/'), `absolute, on the configured base: ${feed.xmlUrl}`);
      assert.ok(feed.htmlUrl?.startsWith('https://news.example.org/'));
      const url = new URL(feed.xmlUrl);
      const answer = await fetch(`${base}${url.pathname}${url.search}`);
      assert.equal(answer.status, 200, feed.xmlUrl);
      const parsed = parseFeed(new Uint8Array(await answer.arrayBuffer()), { url: feed.xmlUrl, contentType: answer.headers.get('content-type') });
      assert.ok(parsed.title, `${feed.xmlUrl} has a title`);
      if (feed.category === 'Providers') assert.ok(parsed.entries.length > 0, `${feed.xmlUrl}: a provider's feed has its stories`);
      entries += parsed.entries.length;
    }
    assert.ok(entries > feeds.length, 'the feeds carry stories');
  });

  it('is announced in the head of every page', async () => {
    const { base } = await opened();
    for (const path of ['/', '/topics', '/providers', '/latest']) {
      const html = await (await fetch(`${base}${path}`)).text();
      assert.match(html, /<link rel="outline" type="text\/x-opml" title="[^"]+" href="\/feeds\.opml">/, path);
    }
  });
});
