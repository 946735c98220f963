// The desk over HTTP on both stores: login, refusal, rate limit, CSRF, decisions that reach the
// public site and the API, merge and split, topic corrections, taxonomy edits, sources.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describeEachStore } from '../../../test/helpers/stores.ts';
import { validateConfig } from '../../config/load.ts';
import { openDesk, type Desk } from '../../jobs/desk.ts';
import { storeArticle } from '../../jobs/ingest.ts';
import { buildServer } from '../server.ts';
import { EditorAuth, hashPassword, verifyPassword } from './auth.ts';
import { correctTopics, learning, relearnStoredCorrections } from './actions.ts';
import { freshStore } from '../../../test/helpers/stores.ts';
import type { TopicClassifier } from '../../curate/types.ts';
import { SiteStore } from '../../store/site.ts';
import type { NewsRecord } from '../../record.ts';

const PASSWORD = 'a long enough password';

function record(n: number, title: string, day = '2024-05-02'): NewsRecord {
  return {
    title,
    excerpt: `${title}. More words about it.`,
    publishedDateTime: `${day}T1${n % 10}:00:00Z`,
    updatedDateTime: null,
    originalUrl: `https://outlet${n}.com/story-${n}`,
    webUrl: `https://outlet${n}.com/story-${n}`,
    ampWebUrl: null,
    cdnAmpWebUrl: null,
    type: 'article',
    provider: { name: `Outlet ${n}`, domain: `outlet${n}.com` },
    topics: [],
    images: [{ url: `https://outlet${n}.com/i.jpg`, width: 800, height: 400 }],
    locale: 'en-us',
    authors: [],
    text: '',
    html: null,
    extraction: { status: 'feed' },
  };
}

it('hashes passwords with scrypt and a salt, and verifies them', async () => {
  const a = await hashPassword('secret words here', { N: 1024, r: 8, p: 1 });
  const b = await hashPassword('secret words here', { N: 1024, r: 8, p: 1 });
  assert.match(a, /^scrypt\$1024\$8\$1\$/);
  assert.notEqual(a, b, 'salted');
  assert.equal(await verifyPassword('secret words here', a), true);
  assert.equal(await verifyPassword('secret words hers', a), false);
  assert.equal(await verifyPassword('anything', 'not-a-hash'), false);
});

it('hands corrections to a learning classifier in one batch, and again after a restart', async () => {
  const fixture = await freshStore('sqlite');
  const batches: string[][][] = [];
  const classifier: TopicClassifier & { addCorrections(examples: Array<{ topics: string[] }>): void } = {
    name: 'learned',
    classify: () => ['AI'],
    addCorrections: (examples) => batches.push(examples.map((e) => e.topics)),
  };
  const saved = learning.delayMs;
  learning.delayMs = 30;
  const dir = mkdtempSync(join(tmpdir(), 'newsdesk-learn-'));
  try {
    const desk = await openDesk(validateConfig({ demo: true, dataDir: dir }), { store: fixture.store, classifier, log: pino({ level: 'silent' }) });
    const a = (await storeArticle(desk, record(1, 'Robots sort parcels'), null))!;
    const b = (await storeArticle(desk, record(2, 'Banks try language models'), null))!;
    await correctTopics(desk, 'ed', a, ['AI in Robotics']);
    await correctTopics(desk, 'ed', b, ['AI in Finance', 'Natural Language Processing']);
    await new Promise((r) => setTimeout(r, 120));
    assert.deepEqual(batches, [[['AI', 'AI in Robotics'], ['AI', 'Natural Language Processing', 'AI in Finance']]], 'one retraining for both');
    const restarted = await openDesk(validateConfig({ demo: true, dataDir: dir }), { store: fixture.store, classifier, log: pino({ level: 'silent' }) });
    assert.equal(await relearnStoredCorrections(restarted), 2);
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(batches.length, 2, 'stored corrections are learned again after a restart');
  } finally {
    learning.delayMs = saved;
    await fixture.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

describeEachStore('editor desk', (fixture) => {
  let dir: string;
  let desk: Desk;
  let app: FastifyInstance;
  const articleIds: number[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsdesk-desk-'));
    copyFileSync('taxonomy/ai.yaml', join(dir, 'ai.yaml'));
    copyFileSync('config/organizations.yaml', join(dir, 'organizations.yaml'));
    const config = validateConfig({ demo: true, dataDir: dir, thresholds: { publish: 20 }, taxonomyFile: join(dir, 'ai.yaml'), organizationsFile: join(dir, 'organizations.yaml') });
    desk = await openDesk(config, { store: fixture().store, log: pino({ level: 'silent' }) });
    const titles = ['Robotaxi maker expands driverless service to a new city', 'Chip startup unveils a gpu for training large models', 'Hospital deploys machine learning to read scans'];
    for (const [i, title] of titles.entries()) {
      const id = await storeArticle(desk, record(i + 1, title), null);
      articleIds.push(id!);
    }
    await new EditorAuth(new SiteStore(desk.store)).createEditor('ed', PASSWORD);
    process.env.NEWSDESK_PAGE_CACHE_MS = '60000';
    app = await buildServer(desk);
  });

  after(async () => {
    await app?.close();
    await desk?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const form = (fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) body.append(k, value);
    return body.toString();
  };
  const flash = (res: LightMyRequestResponse) => new URL(String(res.headers.location), 'http://x').searchParams.get('error') ?? '';
  const cookiesOf = (res: LightMyRequestResponse) =>
    [res.headers['set-cookie'] ?? []].flat().map((c) => String(c).split(';')[0]!).filter((c) => !c.endsWith('='));

  async function loginForm(): Promise<{ cookie: string; csrf: string }> {
    const res = await app.inject({ method: 'GET', url: '/desk/login' });
    assert.equal(res.statusCode, 200);
    return { cookie: cookiesOf(res).join('; '), csrf: /name="csrf" value="([^"]+)"/.exec(res.body)![1]! };
  }

  async function login(username = 'ed', password = PASSWORD, address = '10.0.0.1'): Promise<LightMyRequestResponse> {
    const { cookie, csrf } = await loginForm();
    return app.inject({ method: 'POST', url: '/desk/login', remoteAddress: address, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ csrf, username, password, next: '/desk' }) });
  }

  async function session(): Promise<{ cookie: string; csrf: string }> {
    const res = await login();
    assert.equal(res.statusCode, 303);
    const cookie = cookiesOf(res).join('; ');
    const page = await app.inject({ method: 'GET', url: '/desk', headers: { cookie } });
    assert.equal(page.statusCode, 200);
    return { cookie, csrf: /name="csrf" value="([^"]+)"/.exec(page.body)![1]! };
  }

  const post = (s: { cookie: string; csrf: string }, url: string, fields: Record<string, string | string[]> = {}, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', host: 'localhost:80', ...headers }, payload: form({ csrf: s.csrf, ...fields }) });

  it('sends visitors without a session to the login form', async () => {
    const res = await app.inject({ method: 'GET', url: '/desk' });
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /^\/desk\/login/);
    const postRes = await app.inject({ method: 'POST', url: '/desk/story/1/decide', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'decision=block' });
    assert.equal(postRes.statusCode, 401);
  });

  it('refuses a wrong password and a login without the form token', async () => {
    const wrong = await login('ed', 'not the password', '10.0.0.2');
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /Wrong username or password/);
    assert.equal(cookiesOf(wrong).some((c) => c.startsWith('nd_session=')), false);
    const forged = await app.inject({ method: 'POST', url: '/desk/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ username: 'ed', password: PASSWORD }) });
    assert.equal(forged.statusCode, 403);
  });

  it('rate-limits repeated failures for a name from the guessing address, even when the right password follows, but not from a fresh one', async () => {
    await new EditorAuth(new SiteStore(desk.store)).createEditor('target', PASSWORD);
    for (let i = 0; i < 5; i++) assert.equal((await login('target', `guess ${i}`, '10.1.0.1')).statusCode, 401);
    const limited = await login('target', PASSWORD, '10.1.0.1');
    assert.equal(limited.statusCode, 429);
    assert.ok(Number(limited.headers['retry-after']) > 0, 'says when to retry');
    assert.match(limited.body, /Try again in 15 minutes/);
    assert.equal((await login('target', PASSWORD, '10.1.0.99')).statusCode, 303, 'the editor, from an address that has not failed, logs in');
  });

  it('refuses desk forms without the session CSRF token or from another origin', async () => {
    const s = await session();
    const story = (await desk.store.getArticle(articleIds[0]!))!.storyId!;
    assert.equal((await post({ ...s, csrf: 'forged' }, `/desk/story/${story}/decide`, { decision: 'block' })).statusCode, 403);
    assert.equal((await post(s, `/desk/story/${story}/decide`, { decision: 'block' }, { origin: 'https://evil.example' })).statusCode, 403);
    assert.equal((await desk.store.getStory(story))!.override, null, 'nothing changed');
  });

  it('unpublishes a story: it leaves the front page and the API at once, and comes back on the automatic gate', async () => {
    const s = await session();
    const article = (await desk.store.getArticle(articleIds[1]!))!;
    assert.equal(article.published, true, 'published by the gate to begin with');
    const front = await app.inject({ method: 'GET', url: '/' });
    assert.ok(front.body.includes(article.title), 'on the front page before');
    const res = await post(s, `/desk/story/${article.storyId}/decide`, { decision: 'block', back: '/desk' });
    assert.equal(res.statusCode, 303);
    assert.equal((await desk.store.getStory(article.storyId!))!.override, 'block');
    assert.ok(!(await app.inject({ method: 'GET', url: '/' })).body.includes(article.title), 'the cached front page was cleared');
    const api = JSON.parse((await app.inject({ method: 'GET', url: '/api/news/' })).body) as { value: Array<{ title: string }> };
    assert.ok(!api.value.some((v) => v.title === article.title), 'gone from the API');
    assert.equal((await app.inject({ method: 'GET', url: `/story/${article.storyId}` })).statusCode, 404, 'readers cannot open a blocked story');
    await post(s, `/desk/story/${article.storyId}/decide`, { decision: 'auto' });
    assert.equal((await desk.store.getArticle(article.id))!.published, true);
    const activity = await app.inject({ method: 'GET', url: '/desk/activity', headers: { cookie: s.cookie } });
    assert.match(activity.body, /unpublished/);
  });

  it('merges two stories and splits one article back off', async () => {
    const s = await session();
    const [a, b] = await Promise.all([desk.store.getArticle(articleIds[0]!), desk.store.getArticle(articleIds[2]!)]);
    const merged = await post(s, `/desk/story/${a!.storyId}/merge`, { from: String(b!.storyId) });
    assert.equal(merged.statusCode, 303);
    const members = await desk.store.storyMembers(a!.storyId!);
    assert.deepEqual(members.map((m) => m.id).sort(), [a!.id, b!.id].sort());
    assert.equal(await desk.store.getStory(b!.storyId!), null);
    assert.equal(members.filter((m) => m.heat === -1).length, 1, 'one lead, one follower after rescoring');
    const split = await post(s, `/desk/story/${a!.storyId}/split`, { article: String(b!.id) });
    assert.equal(split.statusCode, 303);
    const moved = (await desk.store.getArticle(b!.id))!;
    assert.notEqual(moved.storyId, a!.storyId);
    assert.match(String(split.headers.location), new RegExp(`/desk/story/${moved.storyId}`));
    assert.ok((moved.heat ?? -1) >= 0, 'the split-off article leads its own story');
    const all = await post(s, `/desk/story/${moved.storyId}/split`, { article: String(b!.id), back: `/desk/story/${moved.storyId}` });
    assert.match(flash(all), /leave the story empty/);
  });

  it('stores topic corrections for training and applies them to the article', async () => {
    const s = await session();
    const id = articleIds[2]!;
    const res = await post(s, `/desk/article/${id}/topics`, { topic: ['AI in Healthcare', 'Computer Vision'] });
    assert.equal(res.statusCode, 303);
    assert.deepEqual((await desk.store.getArticle(id))!.topics, ['AI', 'Computer Vision', 'AI in Healthcare']);
    const corrections = await new SiteStore(desk.store).topicCorrections();
    assert.deepEqual(corrections.map((c) => [c.articleId, c.topics]), [[id, ['AI', 'Computer Vision', 'AI in Healthcare']]]);
    const bad = await post(s, `/desk/article/${id}/topics`, { topic: 'Astrology' });
    assert.match(flash(bad), /unknown topics: Astrology/);
  });

  it('validates taxonomy edits, naming the mistake, and applies good ones', async () => {
    const s = await session();
    const original = readFileSync(join(dir, 'ai.yaml'), 'utf8');
    const broken = await post(s, '/desk/taxonomy', { text: original.replace('parent: ai', 'parent: nowhere') });
    assert.equal(broken.statusCode, 400);
    assert.match(broken.body, /no topic has id &quot;nowhere&quot;/);
    assert.equal(readFileSync(join(dir, 'ai.yaml'), 'utf8'), original, 'the file is untouched');
    const edited = original.replace('keywords: [machine learning, ml,', 'keywords: [machine learning, ml, gradient boosting,');
    const ok = await post(s, '/desk/taxonomy', { text: edited });
    assert.equal(ok.statusCode, 303);
    assert.equal(readFileSync(join(dir, 'ai.yaml'), 'utf8'), edited);
    assert.ok(desk.taxonomy.topics.find((t) => t.id === 'machine-learning')!.keywords.includes('gradient boosting'), 'the desk uses the new taxonomy');
    const topics = desk.classifier.classify({ title: 'Gradient boosting wins again', excerpt: '', text: '' });
    assert.ok(topics.includes('Machine Learning'), `the new keyword tags articles (got ${topics.join(', ')})`);
  });

  it('adds a source by URL with discovery, pauses it and shows its fetch history', async () => {
    const s = await session();
    const url = 'https://247wallst.com/newsdesk-demo/feed.xml';
    const res = await post(s, '/desk/sources', { url });
    assert.equal(res.statusCode, 303);
    const source = (await desk.store.listSources()).find((x) => x.url === url)!;
    assert.ok(source, 'added');
    await post(s, `/desk/sources/${source.id}/fetch`);
    const history = await app.inject({ method: 'GET', url: `/desk/sources/${source.id}`, headers: { cookie: s.cookie } });
    assert.match(history.body, /status-ok">ok</);
    await post(s, `/desk/sources/${source.id}/pause`);
    assert.equal((await desk.store.getSource(source.id))!.status, 'paused');
    const list = await app.inject({ method: 'GET', url: '/desk/sources', headers: { cookie: s.cookie } });
    assert.match(list.body, /Resume/);
  });

  it('logs out: the session no longer opens the desk', async () => {
    const s = await session();
    await post(s, '/desk/logout');
    const res = await app.inject({ method: 'GET', url: '/desk', headers: { cookie: s.cookie } });
    assert.equal(res.statusCode, 303);
  });
});
