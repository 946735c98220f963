// Reader pages over HTTP: security headers, images only from newsdesk (cached thumbnails, else a
// placeholder), escaping, feeds and not-found pages.
import { it, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import sharp from 'sharp';
import type { FastifyInstance } from 'fastify';
import { validateConfig } from '../../config/load.ts';
import { openDesk, type Desk } from '../../jobs/desk.ts';
import { storeArticle } from '../../jobs/ingest.ts';
import { buildServer } from '../server.ts';
import { Store } from '../../store/index.ts';
import type { Transport, FetchRequest } from '../../fetch/types.ts';
import type { NewsRecord } from '../../record.ts';

function record(n: number, title: string): NewsRecord {
  return {
    title,
    excerpt: `${title}, and <script>alert(1)</script> in the excerpt.`,
    publishedDateTime: `2024-05-02T1${n}:00:00Z`,
    updatedDateTime: null,
    originalUrl: `https://outlet${n}.com/s/${n}`,
    webUrl: `https://outlet${n}.com/s/${n}`,
    ampWebUrl: null,
    cdnAmpWebUrl: null,
    type: 'article',
    provider: { name: `Outlet ${n}`, domain: `outlet${n}.com` },
    topics: [],
    images: [{ url: `https://cdn.outlet${n}.com/picture-${n}.png`, width: 640, height: 400 }],
    locale: 'en-us',
    authors: [],
    text: '',
    html: null,
    extraction: { status: 'feed' },
  };
}

describe('reader pages', () => {
  let dir: string;
  let store: Store;
  let desk: Desk;
  let app: FastifyInstance;
  const fetched: string[] = [];
  let ids: number[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsdesk-site-'));
    store = await Store.open(join(dir, 'store.sqlite'));
    const png = await sharp({ create: { width: 640, height: 400, channels: 3, background: { r: 200, g: 40, b: 40 } } }).png().toBuffer();
    const transport: Transport = {
      async fetch(request: FetchRequest) {
        fetched.push(request.url);
        return { requestedUrl: request.url, url: request.url, status: 200, headers: { 'content-type': 'image/png' }, body: new Uint8Array(png), notModified: false };
      },
    };
    desk = await openDesk(validateConfig({ demo: false, dataDir: dir, thresholds: { publish: 10 } }), { store, transport, log: pino({ level: 'silent' }) });
    ids = [(await storeArticle(desk, record(1, 'Robot arms learn <b>delicate</b> grasping', ), null))!, (await storeArticle(desk, record(2, 'A second story about chips'), null))!];
    app = await buildServer(desk);
  });

  after(async () => {
    await app.close();
    await desk.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves pages with a strict CSP and no third-party URLs in src or href of assets', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    assert.equal(res.statusCode, 200);
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS while the public address is http');
    assert.doesNotMatch(res.body, /<script>(?!<\/script>)|<style|style="/, 'no inline script or style');
    for (const m of res.body.matchAll(/<(?:img|script|link)\b[^>]*(?:src|href)="([^"]+)"/g)) assert.ok(m[1]!.startsWith('/'), `asset from elsewhere: ${m[1]}`);
    assert.ok(!res.body.includes('<b>delicate</b>') && res.body.includes('&lt;b&gt;delicate&lt;/b&gt;'), 'titles are escaped');
    assert.ok(!res.body.includes('<script>alert(1)</script>'), 'excerpts are escaped');
    assert.match(res.body, /<link rel="alternate" type="application\/atom\+xml"/);
    assert.match(res.body, /<main id="content"/);
  });

  it('serves article images from the image cache, a placeholder until the thumbnail exists', async () => {
    const first = await app.inject({ method: 'GET', url: `/img/a/${ids[0]}` });
    assert.equal(first.statusCode, 200);
    let res = first;
    for (let i = 0; i < 50 && res.headers['content-type'] !== 'image/webp'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      res = await app.inject({ method: 'GET', url: `/img/a/${ids[0]}` });
    }
    if (first.headers['content-type'] !== 'image/webp') assert.match(String(first.headers['content-type']), /image\/svg\+xml/);
    assert.equal(res.headers['content-type'], 'image/webp');
    assert.ok(fetched.includes('https://cdn.outlet1.com/picture-1.png'), 'fetched through the desk transport, not by the reader');
    const meta = await sharp(res.rawPayload).metadata();
    assert.equal(meta.format, 'webp');
    assert.equal((await app.inject({ method: 'GET', url: '/images/..%2Fstore.sqlite' })).statusCode, 404);
    assert.equal((await app.inject({ method: 'GET', url: '/img/a/999999' })).statusCode, 404);
  });

  it('renders story, topic, provider, archive, search pages and Atom feeds', async () => {
    const article = (await store.getArticle(ids[1]!))!;
    for (const url of [`/story/${article.storyId}`, '/topic/ai', '/provider/outlet2.com', '/archive/2024-05-02', '/latest', '/search?q=chips']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /<article class="story|<article class="lead/, url);
    }
    const indexes: Array<[string, RegExp]> = [['/topics', /href="\/topic\/ai-in-robotics">AI in Robotics<\/a> <span class="count">1</], ['/providers', /href="\/provider\/outlet2.com">Outlet 2</], ['/archive', /href="\/archive\/2024-05-02"/]];
    for (const [url, pattern] of indexes) assert.match((await app.inject({ method: 'GET', url })).body, pattern, url);
    const search = await app.inject({ method: 'GET', url: '/search?q=chips' });
    assert.match(search.body, /<mark>chips<\/mark>/);
    const feed = await app.inject({ method: 'GET', url: '/feed.atom' });
    assert.match(String(feed.headers['content-type']), /application\/atom\+xml/);
    assert.match(feed.body, /<entry>[\s\S]*A second story about chips/);
    assert.equal((await app.inject({ method: 'GET', url: '/topic/no-such-topic' })).statusCode, 404);
    assert.equal((await app.inject({ method: 'GET', url: '/archive/2024-13-45' })).statusCode, 404);
  });
});
