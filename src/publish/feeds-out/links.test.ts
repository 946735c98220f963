// Every link in every outgoing feed must lead somewhere: with no `baseUrl` configured the feeds name
// the address the server listens on (here an ephemeral port), and every link on that address answers
// 200. Links to publishers (the articles themselves, their images) are elsewhere and only counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describeEachStore } from '../../../test/helpers/stores.ts';
import { smallDeskOnFirstUse } from '../testing.ts';
import { CollectionStore } from '../../store/collections.ts';
import { SiteStore } from '../../store/site.ts';
import { allTopics } from '../../curate/topics/taxonomy.ts';
import { validateConfig } from '../../config/load.ts';
import { publicBaseUrl } from '../base-url.ts';
import type { Desk } from '../../jobs/desk.ts';

const decodeXml = (text: string) => text.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Every absolute URL a feed document names: attribute values and element text (XML), every string (JSON). */
function linksOf(body: string, json: boolean): string[] {
  if (json) {
    const out: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string' && /^https?:\/\//.test(v)) out.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(JSON.parse(body));
    return out;
  }
  return [...body.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => decodeXml(m[0]));
}

/** The feeds the server offers: the stream, every topic, every provider with stories, saved and ad-hoc searches, top stories. */
async function feedPaths(desk: Desk): Promise<string[]> {
  const scopes = ['/feeds/news', ...allTopics(desk.taxonomy).map((t) => `/feeds/topics/${t.id}`)];
  for (const p of await new SiteStore(desk.store).providers()) scopes.push(`/feeds/providers/${p.domain}`);
  for (const s of await new CollectionStore(desk.store).listSavedSearches()) scopes.push(`/feeds/searches/${s.slug}`);
  const paths = scopes.flatMap((s) => ['rss', 'atom', 'json'].map((ext) => `${s}.${ext}`));
  return [...paths, '/feeds/search.rss?q=GPU', '/feeds/search.json?q=GPU', '/feed.atom'];
}

test('without baseUrl, links use the configured port until a server listens (exports, the newsletter)', () => {
  const config = validateConfig({ demo: true }, { NEWSDESK_PORT: '9123' });
  assert.equal(config.baseUrlConfigured, false);
  assert.equal(publicBaseUrl({ config } as Desk), 'http://localhost:9123');
  const configured = validateConfig({ demo: true, baseUrl: 'https://news.example.org/' }, { NEWSDESK_PORT: '9123' });
  assert.equal(publicBaseUrl({ config: configured } as Desk), 'https://news.example.org');
});

describeEachStore('feed links', (fixture) => {
  const open = smallDeskOnFirstUse(
    () => fixture().store,
    async (desk) => {
      await new CollectionStore(desk.store).saveSearch({ slug: 'gpus', name: 'GPUs', query: 'GPU' });
      // No baseUrl: the small desk's is taken away again.
      desk.config.baseUrlConfigured = false;
    },
  );

  test('every feed names the listening port, and every link on the site answers 200', async () => {
    const { desk, app } = await open();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    const origin = `http://localhost:${port}`;
    assert.equal(publicBaseUrl(desk), origin);

    const paths = await feedPaths(desk);
    assert.ok(paths.length > 30, `${paths.length} feeds`);
    const internal = new Set<string>();
    let external = 0;
    for (const path of paths) {
      const response = await fetch(`${origin}${path}`);
      const body = await response.text();
      assert.equal(response.status, 200, `${path}: ${body.slice(0, 200)}`);
      const json = path.includes('.json');
      const self = json ? (JSON.parse(body) as { feed_url: string }).feed_url : decodeXml(/<(?:atom:)?link\b(?=[^>]*rel="self")[^>]*href="([^"]+)"/.exec(body)?.[1] ?? '');
      assert.equal(new URL(self).port, String(port), `${path}: self link ${self}`);
      assert.equal(new URL(self, origin).pathname + new URL(self, origin).search, new URL(path, origin).pathname + new URL(path, origin).search, `${path}: self link ${self} is the feed itself`);
      for (const link of linksOf(body, json)) {
        if (link.startsWith(`${origin}/`)) internal.add(link);
        else {
          assert.doesNotMatch(link, /^https?:\/\/(localhost|127\.0\.0\.1)[:/]/, `${path}: a link to another local port: ${link}`);
          external++;
        }
      }
    }
    const failed: string[] = [];
    for (const link of internal) {
      const response = await fetch(link, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      await response.arrayBuffer();
      if (response.status !== 200) failed.push(`${response.status} ${link}`);
    }
    assert.deepEqual(failed, [], `links that do not answer 200 (${internal.size} checked)`);
    for (const kind of ['/topics/', '/providers/', '/feeds/']) assert.ok([...internal].some((l) => l.includes(kind)), `${kind} links were crawled`);
    assert.ok(external > 0, 'publisher links are in the feeds too');
    process.stdout.write(`# ${paths.length} feeds, ${internal.size} links on the server (all 200), ${external} links to publishers\n`);
  });

  test('a browser asking for a missing page gets an HTML 404; an API client gets JSON', async () => {
    const { app } = await open();
    for (const url of ['/no/such/page', '/topics/no-such-topic/', '/feeds/topics/no-such-topic.rss']) {
      const page = await app.inject({ method: 'GET', url, headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
      assert.equal(page.statusCode, 404, url);
      assert.match(String(page.headers['content-type']), /^text\/html/, url);
      assert.match(page.body, /<h1 class="page-title">Not found<\/h1>/, url);
    }
    for (const url of ['/no/such/page', '/feeds/topics/no-such-topic.rss', '/api/news/no-such-topic/']) {
      const api = await app.inject({ method: 'GET', url, headers: { accept: 'application/json' } });
      assert.equal(api.statusCode, 404, url);
      assert.equal(JSON.parse(api.body).error.code, 'ND_NOT_FOUND', url);
    }
    const bare = await app.inject({ method: 'GET', url: '/api/news/item/nothing-here/' });
    assert.equal(JSON.parse(bare.body).error.code, 'ND_NOT_FOUND', 'no Accept header: JSON');
  });

  test('topic and provider home pages list their published stories, paged', async () => {
    const { app } = await open();
    const topic = await app.inject({ method: 'GET', url: '/topics/machine-learning/' });
    assert.equal(topic.statusCode, 200);
    assert.equal((topic.body.match(/<article class="story"/g) ?? []).length, 20, 'a full first page');
    assert.match(topic.body, /rel="next"/);
    const second = await app.inject({ method: 'GET', url: '/topics/machine-learning/?page=2' });
    assert.equal(second.statusCode, 200);
    assert.ok((second.body.match(/<article class="story"/g) ?? []).length > 0);
    const provider = await app.inject({ method: 'GET', url: '/providers/theverge.com/' });
    assert.equal(provider.statusCode, 200);
    assert.match(provider.body, /NVIDIA unveils a new GPU/);
  });
});
