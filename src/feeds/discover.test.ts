import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpTransport } from '../fetch/http.ts';
import { discoverFeeds, findFeedLinks } from './discover.ts';

const rss = '<?xml version="1.0"?><rss version="2.0"><channel><title>Site feed</title><item><title>A</title><link>https://example.org/a</link></item></channel></rss>';

// A small site: pages that announce feeds, a page that announces nothing, and conventional paths.
const routes: Record<string, { type: string; body: string }> = {
  '/announced': { type: 'text/html', body: '<html><head><title>x</title><link rel="alternate" type="application/rss+xml" title="Main" href="/feeds/main.xml"><link rel="alternate" type="application/atom+xml" href="atom.xml"><link rel="stylesheet" href="/s.css"><link rel="alternate" hreflang="fr" href="/fr/"></head><body></body></html>' },
  '/feeds/main.xml': { type: 'application/rss+xml', body: rss },
  // A feed announced on addresses ingest refuses: a private range, and loopback under another address.
  '/announces-private': { type: 'text/html', body: '<html><head><link rel="alternate" type="application/rss+xml" href="http://10.1.2.3/feed.xml"><link rel="alternate" type="application/rss+xml" href="http://127.0.0.2/feed.xml"><link rel="alternate" type="application/rss+xml" title="Main" href="/feeds/main.xml"></head></html>' },
  '/quiet/': { type: 'text/html', body: '<html><head><title>quiet</title></head><body>no feed links</body></html>' },
  '/rss.xml': { type: 'application/xml', body: rss },
  '/plain-feed': { type: 'text/xml', body: rss },
};

let server: Server;
let base: string;
const listening = new Promise<void>((done) => {
  server = createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not found</html>');
      return;
    }
    res.writeHead(200, { 'content-type': route.type }).end(route.body);
  });
  server.listen(0, '127.0.0.1', () => {
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    done();
  });
});
after(() => server.close());

function transport() {
  // The loopback test server stands in for a public site: allow exactly its address.
  return createHttpTransport({ allow: { cidrs: ['127.0.0.1/32'] }, respectRobots: false, perHostDelayMs: 0, perHostJitterMs: 0 });
}

test('finds feeds announced with <link rel="alternate">, resolved against the page', async () => {
  await listening;
  const http = transport();
  try {
    const feeds = await discoverFeeds(`${base}/announced`, http);
    assert.deepEqual(feeds.map((f) => [f.url, f.title, f.via]), [
      [`${base}/feeds/main.xml`, 'Main', 'link'],
      [`${base}/atom.xml`, null, 'link'],
    ]);
  } finally {
    await http.close?.();
  }
});

test('an announced feed on an address the transport refuses is dropped, not offered as a source', async () => {
  await listening;
  const http = transport();
  try {
    const feeds = await discoverFeeds(`${base}/announces-private`, http);
    assert.deepEqual(feeds.map((f) => f.url), [`${base}/feeds/main.xml`]);
  } finally {
    await http.close?.();
  }
});

test('a URL that is itself a feed is returned as is', async () => {
  await listening;
  const http = transport();
  try {
    const feeds = await discoverFeeds(`${base}/plain-feed`, http);
    assert.deepEqual(feeds.map((f) => [f.url, f.title, f.via]), [[`${base}/plain-feed`, 'Site feed', 'self']]);
  } finally {
    await http.close?.();
  }
});

test('a page announcing nothing falls back to common feed paths', async () => {
  await listening;
  const http = transport();
  try {
    const feeds = await discoverFeeds(`${base}/quiet/`, http);
    assert.deepEqual(feeds.map((f) => [f.url, f.via]), [[`${base}/rss.xml`, 'common-path']]);
    assert.deepEqual(await discoverFeeds(`${base}/quiet/`, http, { probeCommonPaths: false }), []);
  } finally {
    await http.close?.();
  }
});

test('the guarded transport still refuses loopback addresses that are not allowed', async () => {
  await listening;
  const http = createHttpTransport({ respectRobots: false });
  try {
    await assert.rejects(discoverFeeds(`${base}/announced`, http), /ND_FETCH_PRIVATE_ADDRESS|refused/);
  } finally {
    await http.close?.();
  }
});

test('findFeedLinks honours <base href> and ignores non-feed alternates', () => {
  const html = `<head><base href="https://cdn.example.org/site/"><link rel="alternate" type="application/feed+json" href="feed.json"><link rel="alternate" type="text/html" href="/other"><link rel="ALTERNATE" type="application/atom+xml" href="https://example.org/atom?x=1&amp;y=2"></head>`;
  assert.deepEqual(findFeedLinks(html, 'https://example.org/page').map((f) => f.url), [
    'https://cdn.example.org/site/feed.json',
    'https://example.org/atom?x=1&y=2',
  ]);
});
