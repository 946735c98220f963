import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import zlib from 'node:zlib';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createHttpTransport, DEFAULT_USER_AGENT, type HttpFetchOptions } from './http.ts';
import { isNewsdeskError, type ErrorCode } from '../errors.ts';
import type { Transport } from './types.ts';
import { startServer, type TestServer } from './test-servers.ts';

const MiB = 1024 * 1024;
// 127.0.0.2 stands in for a public host; 127.0.0.1 stays private.
const testOptions: HttpFetchOptions = {
  allow: { cidrs: ['127.0.0.2/32'] },
  perHostDelayMs: 0,
  perHostJitterMs: 0,
  connectTimeoutMs: 2000,
  headersTimeoutMs: 2000,
  bodyIdleTimeoutMs: 2000,
  bodyDeadlineMs: 3000,
  maxBodyBytes: 1 * MiB,
};

async function rejectsWith(promise: Promise<unknown>, code: ErrorCode, reason?: RegExp): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    assert.ok(isNewsdeskError(err, code), `expected ${code}, got ${String((err as Error)?.message ?? err)}`);
    if (reason) assert.match(err.message, reason);
    return err.params;
  }
  assert.fail(`expected ${code}, but the fetch succeeded`);
}

// Built once: 50 MiB of zeros compress to a few dozen KiB, well under the 1 MiB cap.
const zeros = Buffer.alloc(50 * MiB);
const gzipBomb = zlib.gzipSync(zeros, { level: 9 });
const brotliBomb = zlib.brotliCompressSync(zeros, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } });
const deflateBomb = zlib.deflateRawSync(zeros, { level: 9 });

function route(req: http.IncomingMessage, res: http.ServerResponse, privateServer: () => TestServer): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname;
  const text = (status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(body);
  };
  if (path === '/robots.txt') return text(200, 'User-agent: *\nDisallow: /private\n\nUser-agent: newsdesk\nDisallow: /no-newsdesk\n', { 'content-type': 'text/plain' });
  if (path === '/hello') return text(200, `<p>hello ${req.headers['user-agent']}</p>`);
  if (path === '/private/page' || path === '/no-newsdesk/page') return text(200, 'robots should have stopped this');
  if (path === '/feed.xml') return text(200, '<rss version="2.0"><channel><title>t</title></channel></rss>', { 'content-type': 'application/rss+xml' });
  if (path === '/image.png') return text(200, 'PNG', { 'content-type': 'image/png' });
  if (path === '/to-private') {
    res.writeHead(302, { location: privateServer().url('/secret') });
    return void res.end();
  }
  if (path === '/to-decimal') {
    res.writeHead(301, { location: `http://2130706433:${privateServer().port}/secret` });
    return void res.end();
  }
  if (path === '/loop-a') return void res.writeHead(302, { location: '/loop-b' }).end();
  if (path === '/loop-b') return void res.writeHead(307, { location: '/loop-a#again' }).end();
  const chain = /^\/chain\/(\d+)$/.exec(path);
  if (chain) {
    const left = Number(chain[1]);
    if (left === 0) return text(200, 'end of chain');
    return void res.writeHead(301, { location: `/chain/${left - 1}` }).end();
  }
  if (path === '/gzip' || path === '/deflate' || path === '/deflate-raw' || path === '/br') {
    const body = Buffer.from('<p>compressed but honest</p>');
    const [encoding, bytes] =
      path === '/gzip' ? ['gzip', zlib.gzipSync(body)]
      : path === '/br' ? ['br', zlib.brotliCompressSync(body)]
      : path === '/deflate' ? ['deflate', zlib.deflateSync(body)]
      : ['deflate', zlib.deflateRawSync(body)];
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': encoding });
    return void res.end(bytes);
  }
  if (path === '/gzip-bomb' || path === '/brotli-bomb' || path === '/deflate-bomb') {
    const [encoding, bytes] = path === '/gzip-bomb' ? ['gzip', gzipBomb] : path === '/brotli-bomb' ? ['br', brotliBomb] : ['deflate', deflateBomb];
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': encoding, 'content-length': String(bytes.length) });
    return void res.end(bytes);
  }
  if (path === '/endless') {
    res.writeHead(200, { 'content-type': 'text/html' });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    return pump();
  }
  if (path === '/too-long-declared') {
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(2 * MiB) });
    return void res.write('x');
  }
  if (path === '/drip') {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.write('<');
    const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write('p')), 1000);
    res.on('close', () => clearInterval(timer));
    return;
  }
  if (path === '/silent') return; // never answers
  if (path === '/stall') {
    res.writeHead(200, { 'content-type': 'text/html' });
    return void res.write('<p>and then nothing');
  }
  if (path === '/conditional') {
    if (req.headers['if-none-match'] === '"v1"' || req.headers['if-modified-since'] === 'Wed, 01 Jan 2025 00:00:00 GMT') {
      res.writeHead(304, { etag: '"v1"' });
      return void res.end();
    }
    return text(200, 'fresh', { etag: '"v1"', 'last-modified': 'Wed, 01 Jan 2025 00:00:00 GMT' });
  }
  if (path === '/429') return text(429, 'slow down', { 'retry-after': '120' });
  if (path === '/429-bare') return text(429, 'slow down');
  if (path === '/503-date') return text(503, 'maintenance', { 'retry-after': new Date(Date.now() + 90_000).toUTCString() });
  if (path === '/503-bare') return text(503, 'broken');
  if (path === '/403') return text(403, 'forbidden', { server: 'nginx' });
  if (path === '/cf-challenge') return text(403, '<html>challenge</html>', { 'cf-mitigated': 'challenge', server: 'cloudflare' });
  if (path === '/cf-page') {
    return text(503, '<title>Just a moment...</title><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1"></script>', { server: 'cloudflare' });
  }
  if (path === '/cf-gzip-page') {
    res.writeHead(403, { server: 'cloudflare', 'content-type': 'text/html', 'content-encoding': 'gzip' });
    return void res.end(zlib.gzipSync('<title>Attention Required! | Cloudflare</title>'));
  }
  if (path === '/datadome') return text(403, '<script src="https://ct.captcha-delivery.com/c.js"></script>', { 'x-datadome': 'protected', 'x-dd-b': '1' });
  text(404, 'not found');
}

describe('guarded HTTP transport against loopback servers', () => {
  let server: TestServer;
  let privateServer: TestServer;
  let transport: Transport;

  before(async () => {
    privateServer = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('secret'), '127.0.0.1');
    server = await startServer((req, res) => route(req, res, () => privateServer));
    transport = createHttpTransport(testOptions);
  });
  after(async () => {
    await transport.close?.();
    await server.close();
    await privateServer.close();
  });

  it('fetches from the allowlisted address, sending the newsdesk User-Agent', async () => {
    const response = await transport.fetch({ url: server.url('/hello'), purpose: 'page' });
    assert.equal(response.status, 200);
    assert.equal(response.notModified, false);
    assert.equal(new TextDecoder().decode(response.body), `<p>hello ${DEFAULT_USER_AGENT}</p>`);
    assert.match(DEFAULT_USER_AGENT, /^newsdesk\/\S+ \(\+https:\/\/github\.com\/newsdesk\/newsdesk\)$/);
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
  });

  it('refuses 127.0.0.1 while 127.0.0.2 is allowlisted, without connecting', async () => {
    const before = privateServer.requests.length;
    await rejectsWith(transport.fetch({ url: privateServer.url('/secret'), purpose: 'feed' }), 'ND_FETCH_PRIVATE_ADDRESS', /loopback/);
    assert.equal(privateServer.requests.length, before);
  });

  it('refuses a redirect from the allowed host to 127.0.0.1', async () => {
    const before = privateServer.requests.length;
    const params = await rejectsWith(transport.fetch({ url: server.url('/to-private'), purpose: 'feed' }), 'ND_FETCH_PRIVATE_ADDRESS', /loopback address \(127\.0\.0\.0\/8\)/);
    assert.equal(params.address, '127.0.0.1');
    assert.equal(params.url, privateServer.url('/secret'));
    assert.equal(privateServer.requests.length, before);
  });

  it('refuses a redirect to a decimal IP spelling', async () => {
    await rejectsWith(transport.fetch({ url: server.url('/to-decimal'), purpose: 'feed' }), 'ND_FETCH_PRIVATE_ADDRESS', /spelled "2130706433"/);
  });

  for (const spelling of ['2130706433', '0x7f000001', '0177.0.0.1', '0x7f.1', '127.1', '017700000001', '2130706434', '0x7f.0.0.2']) {
    it(`refuses the IP spelling http://${spelling}/ (even when it means the allowlisted 127.0.0.2)`, async () => {
      await rejectsWith(transport.fetch({ url: `http://${spelling}:${server.port}/hello`, purpose: 'page' }), 'ND_FETCH_PRIVATE_ADDRESS', /non-canonical/);
    });
  }

  for (const literal of ['[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[::ffff:10.0.0.1]', '[::ffff:8.8.8.8]']) {
    it(`refuses the IPv4-mapped IPv6 literal ${literal}`, async () => {
      await rejectsWith(transport.fetch({ url: `http://${literal}:${server.port}/`, purpose: 'feed' }), 'ND_FETCH_PRIVATE_ADDRESS', /IPv4-mapped IPv6/);
    });
  }

  it('refuses schemes other than http and https', async () => {
    await rejectsWith(transport.fetch({ url: 'file:///etc/passwd', purpose: 'feed' }), 'ND_FETCH_FAILED', /unsupported scheme file:/);
  });

  it('decodes gzip, brotli, zlib deflate and raw deflate bodies', async () => {
    for (const path of ['/gzip', '/br', '/deflate', '/deflate-raw']) {
      const response = await transport.fetch({ url: server.url(path), purpose: 'page' });
      assert.equal(new TextDecoder().decode(response.body), '<p>compressed but honest</p>', path);
    }
  });

  for (const [path, encoding, bomb] of [['/gzip-bomb', 'gzip', gzipBomb], ['/brotli-bomb', 'brotli', brotliBomb], ['/deflate-bomb', 'deflate', deflateBomb]] as const) {
    it(`stops a ${encoding} bomb at the cap, counted after decompression`, async () => {
      assert.ok(bomb.length < MiB, 'the compressed bomb itself is under the cap');
      const params = await rejectsWith(transport.fetch({ url: server.url(path), purpose: 'page' }), 'ND_FETCH_TOO_LARGE');
      assert.equal(params.limit, MiB);
    });
  }

  it('stops an endless body at the cap', async () => {
    await rejectsWith(transport.fetch({ url: server.url('/endless'), purpose: 'page' }), 'ND_FETCH_TOO_LARGE');
  });

  it('refuses a declared Content-Length over the cap before reading', async () => {
    await rejectsWith(transport.fetch({ url: server.url('/too-long-declared'), purpose: 'page' }), 'ND_FETCH_TOO_LARGE');
  });

  it('gives up on a server that drips one byte a second (total body deadline)', async () => {
    const drip = createHttpTransport({ ...testOptions, bodyIdleTimeoutMs: 5000, bodyDeadlineMs: 1500 });
    try {
      const started = Date.now();
      await rejectsWith(drip.fetch({ url: server.url('/drip'), purpose: 'page' }), 'ND_FETCH_TIMEOUT', /body not complete within 1500 ms/);
      assert.ok(Date.now() - started < 4000);
    } finally {
      await drip.close?.();
    }
  });

  it('times out a server that never sends headers', async () => {
    const impatient = createHttpTransport({ ...testOptions, headersTimeoutMs: 300 });
    try {
      await rejectsWith(impatient.fetch({ url: server.url('/silent'), purpose: 'feed' }), 'ND_FETCH_TIMEOUT', /no response headers/);
    } finally {
      await impatient.close?.();
    }
  });

  it('times out a body that stalls (idle timeout)', async () => {
    const impatient = createHttpTransport({ ...testOptions, bodyIdleTimeoutMs: 300, bodyDeadlineMs: 10_000 });
    try {
      await rejectsWith(impatient.fetch({ url: server.url('/stall'), purpose: 'page' }), 'ND_FETCH_TIMEOUT', /stalled/);
    } finally {
      await impatient.close?.();
    }
  });

  it('makes conditional GETs and reports 304 as notModified', async () => {
    const fresh = await transport.fetch({ url: server.url('/conditional'), purpose: 'feed' });
    assert.equal(fresh.notModified, false);
    assert.equal(fresh.headers['etag'], '"v1"');
    const byEtag = await transport.fetch({ url: server.url('/conditional'), purpose: 'feed', etag: fresh.headers['etag'] });
    assert.equal(byEtag.status, 304);
    assert.equal(byEtag.notModified, true);
    assert.equal(byEtag.body.length, 0);
    const byDate = await transport.fetch({ url: server.url('/conditional'), purpose: 'feed', lastModified: fresh.headers['last-modified'] });
    assert.equal(byDate.notModified, true);
    const last = server.requests.at(-1)!;
    assert.equal(last.headers['if-modified-since'], 'Wed, 01 Jan 2025 00:00:00 GMT');
  });

  it('reports 429 with Retry-After seconds as rate limited', async () => {
    const params = await rejectsWith(transport.fetch({ url: server.url('/429'), purpose: 'feed' }), 'ND_FETCH_RATE_LIMITED', /retry after 120/);
    assert.equal(params.retryAfter, 120);
    assert.equal(params.retryAfterSource, 'header');
  });

  it('reports 503 with a Retry-After date as rate limited, and 429 without one with the default', async () => {
    const dated = await rejectsWith(transport.fetch({ url: server.url('/503-date'), purpose: 'feed' }), 'ND_FETCH_RATE_LIMITED');
    assert.ok(typeof dated.retryAfter === 'number' && dated.retryAfter > 80 && dated.retryAfter <= 90, `retryAfter ${dated.retryAfter}`);
    const bare = await rejectsWith(transport.fetch({ url: server.url('/429-bare'), purpose: 'feed' }), 'ND_FETCH_RATE_LIMITED');
    assert.equal(bare.retryAfter, 60);
    assert.equal(bare.retryAfterSource, 'default');
  });

  it('reports a plain 503 and a plain 403 as HTTP status errors', async () => {
    const unavailable = await rejectsWith(transport.fetch({ url: server.url('/503-bare'), purpose: 'feed' }), 'ND_FETCH_HTTP_STATUS');
    assert.equal(unavailable.httpStatus, 503);
    const forbidden = await rejectsWith(transport.fetch({ url: server.url('/403'), purpose: 'feed' }), 'ND_FETCH_HTTP_STATUS');
    assert.equal(forbidden.httpStatus, 403);
  });

  it('reports bot walls by vendor, not as a bare 403', async () => {
    for (const [path, vendor, evidence] of [
      ['/cf-challenge', 'Cloudflare', /cf-mitigated: challenge/],
      ['/cf-page', 'Cloudflare', /challenge page/],
      ['/cf-gzip-page', 'Cloudflare', /Attention Required/],
      ['/datadome', 'DataDome', /x-datadome/],
    ] as const) {
      const params = await rejectsWith(transport.fetch({ url: server.url(path), purpose: 'page' }), 'ND_FETCH_BOT_WALL', evidence);
      assert.equal(params.vendor, vendor, path);
    }
  });

  it('detects a redirect loop', async () => {
    await rejectsWith(transport.fetch({ url: server.url('/loop-a'), purpose: 'feed' }), 'ND_FETCH_TOO_MANY_REDIRECTS', /redirect loop back to .*\/loop-a/);
  });

  it('follows 5 redirects and refuses a 6th', async () => {
    const five = await transport.fetch({ url: server.url('/chain/5'), purpose: 'feed' });
    assert.equal(five.url, server.url('/chain/0'));
    assert.equal(five.requestedUrl, server.url('/chain/5'));
    await rejectsWith(transport.fetch({ url: server.url('/chain/6'), purpose: 'feed' }), 'ND_FETCH_TOO_MANY_REDIRECTS', /more than 5 redirects/);
  });

  it('checks the content type against the purpose', async () => {
    const feed = await transport.fetch({ url: server.url('/feed.xml'), purpose: 'feed' });
    assert.equal(feed.status, 200);
    const image = await transport.fetch({ url: server.url('/image.png'), purpose: 'image' });
    assert.equal(image.status, 200);
    const params = await rejectsWith(transport.fetch({ url: server.url('/image.png'), purpose: 'page' }), 'ND_FETCH_CONTENT_TYPE');
    assert.equal(params.contentType, 'image/png');
    await rejectsWith(transport.fetch({ url: server.url('/hello'), purpose: 'image' }), 'ND_FETCH_CONTENT_TYPE');
  });

  it('a page on a host that cannot be reached fails with the network error, not as disallowed by robots.txt', async () => {
    // A port nothing listens on: robots.txt cannot be fetched, and neither could the page.
    const closed = await startServer((_req, res) => res.end(), '127.0.0.2');
    const url = closed.url('/article');
    await closed.close();
    const params = await rejectsWith(transport.fetch({ url, purpose: 'page' }), 'ND_FETCH_FAILED', /ECONNREFUSED/);
    assert.equal(params.url, url);
    assert.match(String(params.reason), /127\.0\.0\.2/, 'names the host');
    // Cached like an unreachable robots.txt: the second page of the host fails the same way.
    await rejectsWith(transport.fetch({ url: url.replace('/article', '/other'), purpose: 'page' }), 'ND_FETCH_FAILED', /ECONNREFUSED/);
  });

  it('respects robots.txt for page fetches only, fetching it once per host', async () => {
    const robotsFetchesBefore = server.requests.filter((r) => r.url === '/robots.txt').length;
    await rejectsWith(transport.fetch({ url: server.url('/no-newsdesk/page'), purpose: 'page' }), 'ND_FETCH_ROBOTS', /robots\.txt disallows http:\/\/127\.0\.0\.2:\d+\/no-newsdesk\/page/);
    assert.ok(server.requests.every((r) => r.url !== '/no-newsdesk/page'));
    // The group naming newsdesk replaces the * group, so its Disallow: /private does not apply.
    const ownGroup = await transport.fetch({ url: server.url('/private/page'), purpose: 'page' });
    assert.equal(ownGroup.status, 200);
    const asFeed = await transport.fetch({ url: server.url('/no-newsdesk/page'), purpose: 'feed' });
    assert.equal(asFeed.status, 200);
    const robotsFetches = server.requests.filter((r) => r.url === '/robots.txt').length - robotsFetchesBefore;
    assert.ok(robotsFetches <= 1, `robots.txt fetched ${robotsFetches} times: ${server.requests.map((r) => r.url).join(' ')}`);
  });
});

describe('guarded HTTP transport with an injected resolver', () => {
  let server: TestServer;
  let privateServer: TestServer;
  const zone: Record<string, string[]> = {
    'split.example.test': ['10.0.0.1', '127.0.0.1'],
    'half-public.example.test': ['93.184.216.34', '127.0.0.1'],
    'mapped.example.test': ['::ffff:10.0.0.1'],
    'public.example.test': ['127.0.0.2'],
    'intranet.example.test': ['127.0.0.1'],
    // 127.0.0.3 is allowlisted below but nothing listens there, so the second address must be tried.
    'two-addresses.example.test': ['127.0.0.3', '127.0.0.2'],
  };
  const lookup: HttpFetchOptions['lookup'] = async (hostname) => {
    if (hostname === 'slow.example.test') return new Promise(() => {});
    const addresses = zone[hostname];
    if (!addresses) throw Object.assign(new Error(`no such host ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

  before(async () => {
    server = await startServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`host=${req.headers.host}`));
    privateServer = await startServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`private host=${req.headers.host}`), '127.0.0.1');
  });
  after(async () => {
    await server.close();
    await privateServer.close();
  });

  it('refuses a name that resolves to private and loopback addresses', async () => {
    const transport = createHttpTransport({ ...testOptions, lookup });
    try {
      const params = await rejectsWith(
        transport.fetch({ url: `http://split.example.test:${server.port}/`, purpose: 'feed' }),
        'ND_FETCH_PRIVATE_ADDRESS',
        /split\.example\.test resolves to a private address \(10\.0\.0\.0\/8\)/,
      );
      assert.equal(params.url, `http://split.example.test:${server.port}/`);
      await rejectsWith(transport.fetch({ url: `http://half-public.example.test:${privateServer.port}/`, purpose: 'feed' }), 'ND_FETCH_PRIVATE_ADDRESS', /loopback/);
      await rejectsWith(transport.fetch({ url: `http://mapped.example.test:${server.port}/`, purpose: 'feed' }), 'ND_FETCH_PRIVATE_ADDRESS', /IPv4-mapped IPv6/);
      await rejectsWith(transport.fetch({ url: `http://nowhere.example.test:${server.port}/`, purpose: 'feed' }), 'ND_FETCH_FAILED', /cannot resolve nowhere\.example\.test \(ENOTFOUND\)/);
      assert.equal(privateServer.requests.length, 0);
    } finally {
      await transport.close?.();
    }
  });

  it('times out name resolution as part of the connect timeout', async () => {
    const transport = createHttpTransport({ ...testOptions, lookup, connectTimeoutMs: 200 });
    try {
      await rejectsWith(transport.fetch({ url: `http://slow.example.test:${server.port}/`, purpose: 'feed' }), 'ND_FETCH_TIMEOUT', /no connection within 200 ms/);
    } finally {
      await transport.close?.();
    }
  });

  it('connects to the address it checked, keeping the name in the Host header', async () => {
    const transport = createHttpTransport({ ...testOptions, lookup });
    try {
      const response = await transport.fetch({ url: `http://public.example.test:${server.port}/`, purpose: 'feed' });
      assert.equal(new TextDecoder().decode(response.body), `host=public.example.test:${server.port}`);
    } finally {
      await transport.close?.();
    }
  });

  it('tries the next checked address when one refuses connections', async () => {
    const transport = createHttpTransport({ ...testOptions, lookup, allow: { cidrs: ['127.0.0.2/32', '127.0.0.3/32'] } });
    try {
      const response = await transport.fetch({ url: `http://two-addresses.example.test:${server.port}/`, purpose: 'feed' });
      assert.equal(new TextDecoder().decode(response.body), `host=two-addresses.example.test:${server.port}`);
    } finally {
      await transport.close?.();
    }
  });

  it('lets an allowlisted intranet host through while other loopback names stay refused', async () => {
    const transport = createHttpTransport({ ...testOptions, lookup, allow: { hosts: ['intranet.example.test'] } });
    try {
      const response = await transport.fetch({ url: `http://intranet.example.test:${privateServer.port}/`, purpose: 'feed' });
      assert.equal(new TextDecoder().decode(response.body), `private host=intranet.example.test:${privateServer.port}`);
      await rejectsWith(transport.fetch({ url: `http://split.example.test:${privateServer.port}/`, purpose: 'feed' }), 'ND_FETCH_PRIVATE_ADDRESS');
      await rejectsWith(transport.fetch({ url: `http://127.0.0.2:${server.port}/`, purpose: 'feed' }), 'ND_FETCH_PRIVATE_ADDRESS');
    } finally {
      await transport.close?.();
    }
  });

  it('works with no options at all, refusing loopback by default', async () => {
    const transport = createHttpTransport();
    const privateRequestsBefore = privateServer.requests.length;
    try {
      await rejectsWith(transport.fetch({ url: privateServer.url('/'), purpose: 'feed' }), 'ND_FETCH_PRIVATE_ADDRESS', /loopback/);
      await rejectsWith(transport.fetch({ url: server.url('/'), purpose: 'feed' }), 'ND_FETCH_PRIVATE_ADDRESS', /loopback/);
      // Through the system resolver: localhost is a name, refused for what it resolves to.
      await rejectsWith(transport.fetch({ url: `http://localhost:${privateServer.port}/`, purpose: 'feed' }), 'ND_FETCH_PRIVATE_ADDRESS', /localhost resolves to a loopback address/);
      await rejectsWith(transport.fetch({ url: `http://0:${privateServer.port}/`, purpose: 'feed' }), 'ND_FETCH_PRIVATE_ADDRESS', /non-canonical/);
      assert.equal(privateServer.requests.length, privateRequestsBefore);
    } finally {
      await transport.close?.();
    }
  });
});

describe('HTTPS through the guarded connector', () => {
  const cert = readFileSync(new URL('./testdata/tls-cert.pem', import.meta.url), 'utf8');
  const key = readFileSync(new URL('./testdata/tls-key.pem', import.meta.url), 'utf8');
  let server: https.Server;
  let port = 0;
  const lookup: HttpFetchOptions['lookup'] = async (hostname) => {
    if (hostname === 'public.example.test' || hostname === 'other.example.test') return [{ address: '127.0.0.2', family: 4 }];
    throw Object.assign(new Error('no such host'), { code: 'ENOTFOUND' });
  };

  before(async () => {
    server = https.createServer({ cert, key }, (req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`tls host=${req.headers.host}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('connects to the checked address but verifies the certificate against the name', async () => {
    const transport = createHttpTransport({ ...testOptions, lookup, extraTrustedCertificates: [cert] });
    try {
      const response = await transport.fetch({ url: `https://public.example.test:${port}/`, purpose: 'page' });
      assert.equal(new TextDecoder().decode(response.body), `tls host=public.example.test:${port}`);
      // Same address, another name: the certificate does not cover it, so the handshake must fail.
      await rejectsWith(transport.fetch({ url: `https://other.example.test:${port}/`, purpose: 'feed' }), 'ND_FETCH_FAILED', /altnames|certificate/i);
    } finally {
      await transport.close?.();
    }
  });

  it('refuses an untrusted certificate by default', async () => {
    const transport = createHttpTransport({ ...testOptions, lookup });
    try {
      await rejectsWith(transport.fetch({ url: `https://public.example.test:${port}/`, purpose: 'feed' }), 'ND_FETCH_FAILED', /certificate/i);
    } finally {
      await transport.close?.();
    }
  });
});

describe('per-host politeness against a live server', () => {
  it('keeps one request at a time per host and spaces them out', async () => {
    let active = 0;
    let peak = 0;
    const starts: number[] = [];
    const server = await startServer((_req, res) => {
      active++;
      peak = Math.max(peak, active);
      starts.push(Date.now());
      setTimeout(() => {
        active--;
        res.writeHead(200, { 'content-type': 'text/html' }).end('ok');
      }, 30);
    });
    const transport = createHttpTransport({ ...testOptions, perHostDelayMs: 150, perHostJitterMs: 50 });
    try {
      await Promise.all([1, 2, 3].map(() => transport.fetch({ url: server.url('/'), purpose: 'feed' })));
      assert.equal(peak, 1);
      assert.equal(starts.length, 3);
      // Arrival times at the server carry connection-setup noise, hence the margin under the 150 ms gap.
      for (let i = 1; i < starts.length; i++) assert.ok(starts[i] - starts[i - 1] >= 100, `gap ${starts[i] - starts[i - 1]} ms`);
    } finally {
      await transport.close?.();
      await server.close();
    }
  });
});
