import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { parseHTML } from 'linkedom';
import { startServer, type TestServer } from '../fetch/test-servers.ts';
import { createHttpTransport } from '../fetch/http.ts';
import type { Transport } from '../fetch/types.ts';
import { probeImageSize, probeRemoteImage, makeThumbnail, ImageCache, findIcons, PROBE_BYTES } from './images.ts';

async function solid(width: number, height: number, format: 'png' | 'jpeg' | 'webp' | 'gif'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } }).toFormat(format).toBuffer();
}

let server: TestServer;
let transport: Transport;
let dataDir: string;
const files = new Map<string, { type: string; body: Buffer }>();
let rangeRequests = 0;

before(async () => {
  files.set('/photo.jpg', { type: 'image/jpeg', body: await solid(1200, 800, 'jpeg') });
  files.set('/photo.png', { type: 'image/png', body: await solid(640, 360, 'png') });
  files.set('/touch.png', { type: 'image/png', body: await solid(180, 180, 'png') });
  files.set('/wide-logo.png', { type: 'image/png', body: await solid(600, 200, 'png') });
  files.set('/not-an-image.jpg', { type: 'image/jpeg', body: Buffer.from('<html>this is an error page, not a picture</html>') });
  files.set('/manifest.json', { type: 'application/manifest+json', body: Buffer.from(JSON.stringify({ icons: [
    { src: '/touch.png', sizes: '180x180', type: 'image/png' }, { src: '/wide-logo.png', sizes: '600x200', type: 'image/png' },
  ] })) });
  server = await startServer((req, res) => {
    const file = files.get(req.url ?? '');
    if (!file) {
      res.writeHead(404).end('missing');
      return;
    }
    const range = /^bytes=0-(\d+)$/.exec(req.headers.range ?? '');
    if (range) {
      rangeRequests++;
      const end = Math.min(Number(range[1]), file.body.length - 1);
      res.writeHead(206, { 'content-type': file.type, 'content-range': `bytes 0-${end}/${file.body.length}` });
      res.end(file.body.subarray(0, end + 1));
      return;
    }
    res.writeHead(200, { 'content-type': file.type }).end(file.body);
  });
  transport = createHttpTransport({ allow: { cidrs: ['127.0.0.2/32'] }, perHostDelayMs: 0, perHostJitterMs: 0, respectRobots: false });
  dataDir = mkdtempSync(join(tmpdir(), 'nd-images-'));
});

after(async () => {
  await transport.close?.();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('probeImageSize reads dimensions from the first bytes', async () => {
  const cases: Array<[Buffer, { width: number; height: number; type: string } | null]> = [
    [await solid(321, 123, 'png'), { width: 321, height: 123, type: 'png' }],
    [(await solid(640, 480, 'jpeg')).subarray(0, 1024), { width: 640, height: 480, type: 'jpg' }],
    [await solid(50, 60, 'webp'), { width: 50, height: 60, type: 'webp' }],
    [await solid(7, 9, 'gif'), { width: 7, height: 9, type: 'gif' }],
    [Buffer.from('not an image at all, just text'), null],
    [Buffer.alloc(0), null],
  ];
  for (const [bytes, expected] of cases) assert.deepEqual(probeImageSize(bytes), expected);
  // A portrait photo stored landscape with EXIF orientation 6 is reported as displayed.
  const turned = await sharp({ create: { width: 300, height: 100, channels: 3, background: '#fff' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  assert.deepEqual(probeImageSize(turned), { width: 100, height: 300, type: 'jpg' });
});

test('probeRemoteImage fetches a prefix only', async () => {
  const before = rangeRequests;
  assert.deepEqual(await probeRemoteImage(server.url('/photo.jpg'), transport), { width: 1200, height: 800, type: 'jpg' });
  assert.equal(rangeRequests, before + 1);
  const last = server.requests[server.requests.length - 1]!;
  assert.equal(last.headers.range, `bytes=0-${PROBE_BYTES - 1}`);
});

test('makeThumbnail makes bounded WebP and never enlarges', async () => {
  const thumb = await makeThumbnail(await solid(2000, 1000, 'png'), { maxWidth: 400, maxHeight: 400 });
  assert.deepEqual(probeImageSize(thumb), { width: 400, height: 200, type: 'webp' });
  const small = await makeThumbnail(await solid(100, 50, 'jpeg'), { maxWidth: 400, maxHeight: 400 });
  assert.deepEqual(probeImageSize(small), { width: 100, height: 50, type: 'webp' });
  const logo = await makeThumbnail(await solid(600, 200, 'png'), { maxWidth: 50, maxHeight: 50, exact: true });
  assert.deepEqual(probeImageSize(logo), { width: 50, height: 50, type: 'webp' });
  await assert.rejects(makeThumbnail(Buffer.from('garbage'), { maxWidth: 10, maxHeight: 10 }));
});

test('ImageCache caches thumbnails and says isCached only when it worked', async () => {
  const cache = new ImageCache(dataDir, { maxWidth: 300, maxHeight: 300 });
  const photo = await cache.cache(server.url('/photo.jpg'), transport);
  assert.equal(photo.isCached, true);
  assert.equal(photo.width, 1200);
  assert.equal(photo.height, 800);
  assert.equal(photo.path, cache.pathFor(server.url('/photo.jpg')));
  assert.match(photo.path!, /images\/[0-9a-f]{64}\.webp$/);
  assert.deepEqual(probeImageSize(readFileSync(photo.path!)), { width: 300, height: 200, type: 'webp' });

  const served = server.requests.length;
  const again = await cache.cache(server.url('/photo.jpg'), transport);
  assert.deepEqual(again, photo);
  assert.equal(server.requests.length, served, 'a cached image is not fetched again');

  const broken = await cache.cache(server.url('/not-an-image.jpg'), transport);
  assert.deepEqual(broken, { width: null, height: null, isCached: false, path: null });
  assert.equal(existsSync(cache.pathFor(server.url('/not-an-image.jpg'))), false);

  const missing = await cache.cache(server.url('/gone.jpg'), transport);
  assert.equal(missing.isCached, false);
});

test('findIcons lists declared icons best first', () => {
  const { document } = parseHTML(`<html><head>
    <link rel="icon" href="/favicon-32.png" sizes="32x32">
    <link rel="icon" type="image/svg+xml" href="/icon.svg">
    <link rel="apple-touch-icon" href="/touch.png" sizes="180x180">
    <link rel="manifest" href="/manifest.json">
    <meta property="og:logo" content="https://cdn.example.com/logo.png">
  </head><body></body></html>`);
  const icons = findIcons(document as unknown as Document, 'https://www.example.com/a/b');
  assert.deepEqual(icons.map((i) => [i.kind, i.url]), [
    ['apple-touch-icon', 'https://www.example.com/touch.png'],
    ['manifest-icon', 'https://www.example.com/manifest.json#manifest'],
    ['logo', 'https://cdn.example.com/logo.png'],
    ['icon', 'https://www.example.com/favicon-32.png'],
  ]);
  const bare = findIcons(parseHTML('<html><head></head></html>').document as unknown as Document, 'https://x.org/p');
  assert.deepEqual(bare.map((i) => i.url), ['https://x.org/favicon.ico']);
});

test('cacheLogos makes 50x50 and 400x400 logos from the first usable icon', async () => {
  const cache = new ImageCache(dataDir);
  const fromManifest = await cache.cacheLogos('example.com', [
    { url: server.url('/missing-touch.png'), kind: 'apple-touch-icon', size: 180 },
    { url: `${server.url('/manifest.json')}#manifest`, kind: 'manifest-icon', size: null },
  ], transport);
  assert.ok(fromManifest);
  assert.equal(fromManifest.sourceUrl, server.url('/wide-logo.png'), 'the largest manifest icon wins');
  assert.deepEqual(fromManifest.images.map((i) => [i.width, i.height, i.isCached]), [[50, 50, true], [400, 400, true]]);
  for (const path of fromManifest.paths) {
    const side: number = path === fromManifest.paths[0] ? 50 : 400;
    assert.deepEqual(probeImageSize(readFileSync(path)), { width: side, height: side, type: 'webp' });
  }
  assert.equal(await cache.cacheLogos('nothing.example', [server.url('/not-an-image.jpg')], transport), null);
});
