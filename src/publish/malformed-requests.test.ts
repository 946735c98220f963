// Hostile and malformed requests against the whole server, on both stores: every one is answered
// with a 4xx (never a 5xx), and coded JSON where the API answers. The list starts with what a probe
// of the running system found answering 500 and goes on with the same tricks on every parameter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import { describeEachStore, postgresUnavailable } from '../../test/helpers/stores.ts';
import { smallDeskOnFirstUse } from './testing.ts';
import { EditorAuth } from './desk/auth.ts';
import { SiteStore } from '../store/site.ts';

await postgresUnavailable();

const PASSWORD = 'a long enough password';
const HUGE = ['1e309', '99999999999999999999', '-1', '0', '1.5', 'NaN', 'Infinity', '0x10', ' 1', '1%00', '%ff', "1'--", '１'];
const BAD_DAYS = ['2026-99-99', '2026-02-30', '0000-00-00', '2026-1-1', '9999999-01-01', 'yesterday', '2026-01-01T00:00:00Z'];

function getRequests(): InjectOptions[] {
  const urls: string[] = [];
  for (const day of BAD_DAYS) urls.push(`/search?q=x&to=${day}`, `/search?q=x&from=${day}`, `/archive/${day}`);
  for (const page of HUGE) {
    for (const path of ['/events/', '/learning/', '/companies/', '/people/', '/latest', '/topic/ai', '/provider/wired.com', '/archive/2024-03-05', '/desk', '/search?q=ai&x=1']) {
      urls.push(`${path}${path.includes('?') ? '&' : '?'}page=${encodeURIComponent(page)}`);
    }
    for (const path of ['/api/news/page/', '/api/news/ai/page/', '/api/companies/ai/page/', '/api/events/page/', '/api/events/future/page/', '/api/newsletters/page/']) urls.push(`${path}${encodeURIComponent(page)}/`);
    for (const path of ['/story/', '/img/a/', '/desk/story/', '/desk/sources/']) urls.push(`${path}${encodeURIComponent(page)}`);
    urls.push(`/api/stories/${encodeURIComponent(page)}/`);
  }
  urls.push(
    '/search?q=a&q=b',
    '/search?page=1&page=2',
    '/newsletter/confirm/?token=a&token=b',
    '/newsletter/unsubscribe/?token=a&token=b',
    '/companies/?topic=a&topic=b',
    `/search?q=${'x'.repeat(5000)}`,
    `/api/news/item/${'k'.repeat(390)}/`,
    '/api/news/item/%E0%A4%A/',
    '/topic/%ZZ',
    '/feeds/..%2f..%2fetc%2fpasswd',
    '/images/..%2f..%2fpackage.json',
    '/feeds/search.rss?q=a&q=b',
    '/api/news/%00/',
  );
  return urls.map((url) => ({ method: 'GET', url }));
}

function postRequests(cookie = ''): InjectOptions[] {
  const bodies: Array<[string, string | Buffer]> = [
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n'],
    ['application/xml', '<?xml version="1.0"?><a/>'],
    ['text/xml', '<a>'],
    ['application/octet-stream', Buffer.from([0, 1, 2, 255, 254])],
    ['image/png', Buffer.alloc(64, 0x89)],
    ['text/plain', 'csrf=x&username=a'],
    ['application/json', '{"csrf":'],
    ['application/json', '[1,2,3]'],
    ['application/x-www-form-urlencoded', `a=${'b'.repeat(2 * 1024 * 1024)}`],
    ['application/x-www-form-urlencoded', '%%%=%%%&csrf=%ZZ'],
    ['', 'nothing declared'],
  ];
  const paths = ['/desk/login', '/desk/logout', '/desk/story/1/decide', '/desk/story/1e309/merge', '/desk/story/99999999999999999999/split', '/desk/article/1/topics', '/desk/sources', '/desk/sources/1/fetch', '/desk/taxonomy', '/newsletter/subscribe/', '/newsletter/unsubscribe/?token=x', '/api/news/'];
  const requests: InjectOptions[] = [];
  for (const url of paths) {
    for (const [type, payload] of bodies) requests.push({ method: 'POST', url, payload, headers: { ...(type ? { 'content-type': type } : {}), ...(cookie ? { cookie } : {}) } });
  }
  return requests;
}

describeEachStore('malformed requests', (fixture) => {
  const open = smallDeskOnFirstUse(() => fixture().store, (desk) => new EditorAuth(new SiteStore(desk.store)).createEditor('ed', PASSWORD));

  const sendAll = async (requests: InjectOptions[]) => {
    const { app } = await open();
    const failures: string[] = [];
    for (const request of requests) {
      const response = await app.inject(request);
      const label = `${request.method} ${String(request.url).slice(0, 80)} ${JSON.stringify((request.headers as Record<string, string> | undefined)?.['content-type'] ?? '')}`;
      if (response.statusCode >= 500) failures.push(`${label} → ${response.statusCode} ${response.body.slice(0, 120)}`);
      if (String(request.url).startsWith('/api/') && response.statusCode >= 400) {
        const body = JSON.parse(response.body) as { error?: { code?: string } };
        if (!/^ND_[A-Z_]+$/.test(body.error?.code ?? '')) failures.push(`${label} → ${response.statusCode} without a coded error: ${response.body.slice(0, 120)}`);
      }
    }
    return failures;
  };

  test('no GET with a hostile query or path parameter is answered 5xx', async () => {
    const requests = getRequests();
    assert.ok(requests.length > 250);
    assert.deepEqual(await sendAll(requests), []);
  });

  test('the probe\'s requests get the 4xx that names what is wrong', async () => {
    const { app } = await open();
    const status = async (url: string) => (await app.inject({ method: 'GET', url })).statusCode;
    assert.equal(await status('/search?q=x&to=2026-99-99'), 400);
    assert.equal(await status('/events/?page=1e309'), 400);
    assert.equal(await status('/people/?page=99999999999999999999'), 400);
    assert.equal(await status('/desk?page=1e309'), 400);
    assert.equal(await status('/story/99999999999999999999'), 404);
    assert.equal(await status('/search?q=x&from=&to='), 200, 'the search form sends empty dates when none is chosen');
    const front = await app.inject({ method: 'GET', url: '/' });
    assert.equal(front.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains', 'HSTS, since the public address is https');
    const login = await app.inject({ method: 'POST', url: '/desk/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `a=${'b'.repeat(2 * 1024 * 1024)}` });
    assert.equal(login.statusCode, 413);
    const multipart = await app.inject({ method: 'POST', url: '/desk/story/1/decide', headers: { 'content-type': 'multipart/form-data; boundary=x' }, payload: '--x--' });
    assert.equal(multipart.statusCode, 415);
    const api = await app.inject({ method: 'POST', url: '/api/news/', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    assert.ok([404, 415].includes(api.statusCode));
  });

  test('no POST with an unsupported, oversized or broken body is answered 5xx, with or without a session', async () => {
    const { app } = await open();
    assert.deepEqual(await sendAll(postRequests()), []);
    const form = await app.inject({ method: 'GET', url: '/desk/login' });
    const loginCookie = [form.headers['set-cookie']].flat().map((c) => String(c).split(';')[0]).join('; ');
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const login = await app.inject({ method: 'POST', url: '/desk/login', remoteAddress: '10.9.9.9', headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ csrf, username: 'ed', password: PASSWORD }).toString() });
    assert.equal(login.statusCode, 303);
    const session = [login.headers['set-cookie']].flat().map((c) => String(c).split(';')[0]).filter((c) => !c.endsWith('=')).join('; ');
    assert.deepEqual(await sendAll(postRequests(session)), []);
    const page = await app.inject({ method: 'GET', url: '/desk', headers: { cookie: session } });
    const deskCsrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const forms = ['from=99999999999999999999', 'from=1e309', 'article=99999999999999999999&article=-1', 'decision=pin', 'topic=%00'].map((fields) => `csrf=${encodeURIComponent(deskCsrf)}&${fields}`);
    const failures: string[] = [];
    for (const url of ['/desk/story/1/merge', '/desk/story/1/split', '/desk/story/99999999999999999999/decide', '/desk/article/2147483647/topics', '/desk/sources/99999999999999999999/pause']) {
      for (const payload of forms) {
        const response = await app.inject({ method: 'POST', url, payload, headers: { cookie: session, 'content-type': 'application/x-www-form-urlencoded' } });
        if (response.statusCode >= 500) failures.push(`${url} ${payload.slice(-40)} → ${response.statusCode}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});
