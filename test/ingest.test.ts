// End to end through the real fetch, parse, normalize, extract and curate code, against real HTTP
// servers on loopback, on both stores.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachStore } from './helpers/stores.ts';
import { validateConfig } from '../src/config/load.ts';
import { openDesk, type Desk } from '../src/jobs/desk.ts';
import { runDueSources } from '../src/jobs/ingest.ts';
import { createHttpTransport } from '../src/fetch/http.ts';
import { silentLogger } from '../src/log.ts';

const rss = (base: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Loopback Times</title><link>${base}/</link>
<item><title>IBM quits facial recognition business</title><link>${base}/articles/1.html?utm_source=rss</link>
<description>IBM says it will no longer sell or research facial recognition software, citing ethical concerns.</description>
<pubDate>Thu, 11 Jun 2020 14:51:00 GMT</pubDate><media:content url="${base}/img/1.jpg" width="740" height="416" medium="image"/></item>
<item><title>Robots learn to fold laundry</title><link>${base}/articles/2.html</link><description>A robotics lab shows a robot folding shirts.</description><pubDate>Fri, 12 Jun 2020 09:00:00 GMT</pubDate></item>
</channel></rss>`;

const atom = (base: string) => `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Daily</title><link href="${base}/"/><updated>2020-06-12T10:00:00Z</updated><id>urn:atom-daily</id>
<entry><title>New GPU doubles training speed for deep learning</title><link href="${base}/articles/3.html"/><id>urn:3</id><updated>2020-06-12T10:00:00Z</updated>
<summary>The chip maker says its new GPU trains neural networks twice as fast.</summary></entry></feed>`;

const jsonFeed = (base: string) => JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1', title: 'JSON Wire', home_page_url: `${base}/`,
  items: [{ id: '4', url: `${base}/articles/4.html`, title: 'Bank deploys machine learning to spot fraud', summary: 'A bank uses machine learning models to catch fraud.', date_published: '2020-06-13T08:00:00Z' }],
});

function articlePage(n: number, title: string): string {
  const paragraphs = Array.from({ length: 8 }, (_, i) => `<p>Paragraph ${i + 1} of article ${n}. ${title} is discussed here at length with enough words to look like a real article body that an extractor keeps, not boilerplate.</p>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} | Loopback Times</title>
<meta property="og:site_name" content="Loopback Times"><meta name="description" content="${title}: the page's own description.">
<link rel="amphtml" href="/amp/articles/${n}.html"></head>
<body><nav><a href="/">Home</a> <a href="/about">About</a></nav><article><h1>${title}</h1>${paragraphs}</article>
<footer>Copyright Loopback Times</footer></body></html>`;
}

let server: Server;
let base = '';
const served = new Map<string, { type: string; body: string; status?: number }>();

before(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const entry = served.get(path);
    if (!entry) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(entry.status ?? 200, { 'content-type': entry.type }).end(entry.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  served.set('/rss.xml', { type: 'application/rss+xml', body: rss(base) });
  served.set('/atom.xml', { type: 'application/atom+xml', body: atom(base) });
  served.set('/feed.json', { type: 'application/feed+json', body: jsonFeed(base) });
  served.set('/broken.xml', { type: 'application/rss+xml', body: '<rss><channel><title>Half a feed' });
  served.set('/robots.txt', { type: 'text/plain', body: 'User-agent: *\nAllow: /\n' });
  const titles = ['', 'IBM quits facial recognition business', 'Robots learn to fold laundry', 'New GPU doubles training speed for deep learning', 'Bank deploys machine learning to spot fraud'];
  for (let n = 1; n <= 4; n++) served.set(`/articles/${n}.html`, { type: 'text/html; charset=utf-8', body: articlePage(n, titles[n]!) });
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function desk(store: Awaited<ReturnType<typeof openDesk>>['store'], now: Date): Promise<Desk> {
  const config = validateConfig({
    dataDir: mkdtempSync(join(tmpdir(), 'newsdesk-ingest-')),
    sources: [{ url: `${base}/rss.xml` }, { url: `${base}/atom.xml` }, { url: `${base}/feed.json` }, { url: `${base}/missing.xml` }, { url: `${base}/broken.xml` }],
    topics: { classifier: 'keywords' },
  });
  return openDesk(config, {
    store,
    log: silentLogger,
    now: () => now,
    transport: createHttpTransport({ allow: { cidrs: ['127.0.0.0/8'] }, perHostDelayMs: 0, perHostJitterMs: 0, headersTimeoutMs: 3000, bodyDeadlineMs: 3000 }),
  });
}

describeEachStore('ingest over HTTP', (fixture) => {
  test('feeds of three formats become curated records; bad sources are marked and the rest go on; a rerun adds nothing', async () => {
    const { store } = fixture();
    const first = await desk(store, new Date('2020-06-14T00:00:00Z'));
    for (const source of first.config.sources) await store.addSource({ url: source.url });
    const results = await runDueSources(first);
    assert.equal(results.length, 5);
    const counts = await store.counts();
    assert.equal(counts.articles, 4);

    const sources = await store.listSources();
    const missing = sources.find((s) => s.url.endsWith('/missing.xml'))!;
    const broken = sources.find((s) => s.url.endsWith('/broken.xml'))!;
    assert.equal(missing.status, 'error');
    assert.match(missing.lastError ?? '', /404/);
    assert.equal(missing.lastErrorCode, 'ND_FETCH_HTTP_STATUS');
    assert.equal(broken.status, 'error');
    assert.equal(broken.lastErrorCode, 'ND_FEED_UNPARSEABLE');
    assert.ok(sources.filter((s) => s.status === 'ok').length === 3);

    const ibm = await store.getArticleByUrl(`${base}/articles/1.html`);
    assert.ok(ibm, 'the canonical URL drops the tracking parameter');
    assert.equal(ibm.originalUrl, `${base}/articles/1.html?utm_source=rss`);
    assert.equal(ibm.publishedDateTime, '2020-06-11T14:51:00Z');
    assert.equal(ibm.extraction.status, 'extracted');
    assert.match(ibm.text, /Paragraph 8 of article 1/);
    assert.doesNotMatch(ibm.text, /Copyright Loopback Times/);
    assert.equal(ibm.ampWebUrl, `${base}/amp/articles/1.html`);
    assert.deepEqual(ibm.images.map((i) => [i.url, i.width, i.height]), [[`${base}/img/1.jpg`, 740, 416]]);
    assert.ok(ibm.topics.includes('AI'), 'the root topic is always added');
    assert.ok(ibm.topics.includes('Computer Vision'));
    assert.equal(typeof ibm.quality, 'number');
    assert.ok(ibm.qualityParts.length > 0);
    assert.notEqual(ibm.heat, null);
    assert.equal(typeof ibm.published, 'boolean');
    assert.ok(ibm.storyId !== null);

    const gpu = await store.getArticleByUrl(`${base}/articles/3.html`);
    assert.ok(gpu!.topics.includes('AI Hardware'));
    const bank = await store.getArticleByUrl(`${base}/articles/4.html`);
    assert.ok(bank!.topics.includes('AI in Finance'));

    // A day later every source is due again: nothing new is stored, nothing stored is lost.
    const second = await desk(store, new Date('2020-06-15T12:00:00Z'));
    served.set('/rss.xml', { type: 'text/html', body: 'gone', status: 500 });
    const again = await runDueSources(second);
    assert.equal(again.length, 5);
    assert.equal((await store.counts()).articles, 4);
    assert.equal((await store.getArticle(ibm.id))!.text, ibm.text);
    const rssSource = (await store.listSources()).find((s) => s.url.endsWith('/rss.xml'))!;
    assert.equal(rssSource.status, 'error');
    served.set('/rss.xml', { type: 'application/rss+xml', body: rss(base) });
    await first.close();
    await second.close();
  });
});
