// Drives the real site and desk in Debian's Chromium: the front page, search, an editor's login
// and decision, a refused password. Screenshots go to test-output/screenshots/ for reviewers.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { validateConfig } from '../../src/config/load.ts';
import { openDesk, type Desk } from '../../src/jobs/desk.ts';
import { seedSources } from '../../src/cli/context.ts';
import { runDueSources } from '../../src/jobs/ingest.ts';
import { Store } from '../../src/store/index.ts';
import { SiteStore } from '../../src/store/site.ts';
import { EditorAuth } from '../../src/publish/desk/auth.ts';
import { buildServer } from '../../src/publish/server.ts';

const CHROMIUM = process.env.NEWSDESK_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-output', 'screenshots');
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;
if (skip) process.stdout.write(`# skipping browser tests: ${skip}\n`);

const EDITOR = { username: 'editor', password: 'correct horse battery staple' };

describe('reader site and desk in Chromium', { skip }, () => {
  let dir: string;
  let store: Store;
  let desk: Desk;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  const offsite: string[] = [];
  const problems: string[] = [];

  async function newPage(options: { width?: number; dark?: boolean } = {}): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: 900 }, colorScheme: options.dark ? 'dark' : 'light' });
    page.on('request', (req) => {
      if (!req.url().startsWith(base) && !req.url().startsWith('data:')) offsite.push(req.url());
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
    return page;
  }

  async function apiTitles(): Promise<Set<string>> {
    const titles = new Set<string>();
    for (let url: string | null = `${base}/api/news/`; url; ) {
      const body = (await (await fetch(url)).json()) as { value: Array<{ title: string }>; nextPage: number | null };
      for (const item of body.value) titles.add(item.title);
      url = body.nextPage ? `${base}/api/news/page/${body.nextPage}/` : null;
    }
    return titles;
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsdesk-browser-'));
    mkdirSync(SHOTS, { recursive: true });
    // The desk may rewrite the taxonomy and organizations files: give it copies.
    copyFileSync('taxonomy/ai.yaml', join(dir, 'ai.yaml'));
    copyFileSync('config/organizations.yaml', join(dir, 'organizations.yaml'));
    store = await Store.open(join(dir, 'store.sqlite'));
    const config = validateConfig({ demo: true, dataDir: dir, taxonomyFile: join(dir, 'ai.yaml'), organizationsFile: join(dir, 'organizations.yaml') });
    desk = await openDesk(config, { store, log: (await import('pino')).pino({ level: 'warn' }) });
    await seedSources(desk);
    await runDueSources(desk);
    await new EditorAuth(new SiteStore(store)).createEditor(EDITOR.username, EDITOR.password);
    app = await buildServer(desk);
    base = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await desk?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the top stories on the front page, with nothing loaded from elsewhere', async () => {
    const page = await newPage();
    const response = await page.goto(`${base}/`);
    assert.equal(response?.status(), 200);
    assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self'/);
    const stories = page.locator('main article.story');
    assert.ok((await stories.count()) >= 10, `expected at least 10 stories, saw ${await stories.count()}`);
    assert.ok(await page.locator('header[role="banner"]').first().isVisible(), 'the banner landmark shows');
    assert.equal(await page.locator('main img:not([alt])').count(), 0, 'every image has an alt attribute');
    // Lazy images below the fold load only when scrolled to; a full-page picture wants them all.
    await page.evaluate(() => document.querySelectorAll('img[loading="lazy"]').forEach((img) => ((img as HTMLImageElement).loading = 'eager')));
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(SHOTS, 'front.png'), fullPage: true });
    const narrow = await newPage({ width: 360, dark: true });
    await narrow.goto(`${base}/`);
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 360px`);
    await narrow.screenshot({ path: join(SHOTS, 'front-360-dark.png') });
    assert.deepEqual(offsite, [], 'no request leaves newsdesk');
    assert.deepEqual(problems, [], 'no console errors or CSP violations');
    await page.close();
    await narrow.close();
  });

  it('finds a known demo story by full-text search, with the match highlighted', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await page.fill('#q-top', 'facial recognition moratorium');
    await page.press('#q-top', 'Enter');
    await page.waitForURL(/\/search\?q=/);
    const first = page.locator('.results article.story h3').first();
    assert.match((await first.textContent()) ?? '', /Amazon’s facial recognition moratorium/);
    assert.ok((await page.locator('.results mark').count()) > 0, 'matches are highlighted');
    await page.screenshot({ path: join(SHOTS, 'search.png') });
    await page.close();
  });

  it('shows a story page with every outlet and a timeline', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await page.locator('a', { hasText: /^Full coverage/ }).first().click();
    await page.waitForURL(/\/story\/\d+/);
    assert.ok((await page.locator('.outlets li').count()) >= 2, 'every outlet is listed');
    assert.ok((await page.locator('.timeline li').count()) >= 2, 'the timeline has events');
    await page.screenshot({ path: join(SHOTS, 'story.png'), fullPage: true });
    await page.close();
  });

  it('refuses a wrong password', async () => {
    const page = await newPage();
    await page.goto(`${base}/desk`);
    await page.waitForURL(/\/desk\/login/);
    await page.fill('#username', EDITOR.username);
    await page.fill('#password', 'not the password');
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/desk/login') && r.request().method() === 'POST'), page.click('button[type="submit"]')]);
    assert.equal(response.status(), 401);
    assert.match((await page.locator('[role="alert"]').textContent()) ?? '', /Wrong username or password/);
    await page.goto(`${base}/desk`);
    assert.match(page.url(), /\/desk\/login/, 'still not logged in');
    // The refused login is a 401 the browser reports on its console; that one is expected.
    const expected = problems.filter((p) => /status of 401/.test(p));
    assert.equal(expected.length, 1);
    problems.splice(0, problems.length, ...problems.filter((p) => !/status of 401/.test(p)));
    await page.close();
  });

  it('lets an editor log in and unpublish a story, which then leaves the front page and the API', async () => {
    const site = new SiteStore(store);
    const top = (await site.frontPage(desk.now()))[0]!.stories[0]!;
    const title = top.lead.title;
    assert.ok((await apiTitles()).has(title), 'the story is in the API before');
    const page = await newPage();
    await page.goto(`${base}/`);
    assert.ok((await page.locator('main article.story h3', { hasText: title }).count()) > 0, 'the story is on the front page before');

    await page.goto(`${base}/desk/login`);
    await page.fill('#username', EDITOR.username);
    await page.fill('#password', EDITOR.password);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${base}/desk`);
    assert.ok((await page.locator('table.desk-table tbody tr').count()) > 0, 'the review queue lists stories');
    await page.screenshot({ path: join(SHOTS, 'desk.png'), fullPage: true });

    await page.goto(`${base}/desk/story/${top.lead.storyId}`);
    await page.screenshot({ path: join(SHOTS, 'desk-story.png'), fullPage: true });
    await page.locator('form[action$="/decide"] button', { hasText: 'Unpublish' }).first().click();
    await page.waitForURL(/done=/);
    assert.match((await page.locator('[role="status"]').first().textContent()) ?? '', /unpublished/);

    await page.goto(`${base}/`);
    assert.equal(await page.locator('main article.story h3', { hasText: title }).count(), 0, 'gone from the front page');
    assert.ok(!(await apiTitles()).has(title), 'gone from the API');
    assert.deepEqual(offsite, []);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
