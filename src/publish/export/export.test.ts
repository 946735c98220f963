import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describeEachStore, postgresUnavailable, freshStore } from '../../../test/helpers/stores.ts';
import { importEveryday, splitFrontMatter } from '../../collections/import.ts';
import { CollectionStore } from '../../store/collections.ts';
import { NewsletterStore } from '../../store/newsletter.ts';
import { SMALL_NEWS } from '../../collections/testing.ts';
import { smallDeskOnFirstUse } from '../testing.ts';
import { exportJekyll } from './jekyll.ts';
import { exportHugo } from './hugo.ts';
import { apiFiles } from './api-files.ts';
import { buildNewsletter } from '../newsletter/build.ts';

await postgresUnavailable();

const hugo = spawnSync('hugo', ['version'], { encoding: 'utf8' });
const hugoMissing = hugo.status === 0 ? false : 'hugo is not installed (apt-get install -y hugo)';
if (hugoMissing) process.stdout.write(`# skipping the Hugo build: ${hugoMissing}\n`);

describeEachStore('static export', (fixture, kind) => {
  let dir = '';
  const open = smallDeskOnFirstUse(
    () => fixture().store,
    (desk) => {
      dir = mkdtempSync(join(tmpdir(), 'nd-export-'));
      return buildNewsletter(desk, '2024-03-05');
    },
  );
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('export jekyll writes the reference layout', async () => {
    const { desk } = await open();
    const report = await exportJekyll(desk, dir);
    assert.equal(report.news, SMALL_NEWS.length);
    for (const folder of ['_news', '_companies', '_companies/collections', '_people', '_events', '_learning/videos', '_data/topics', '_data/organizations', 'api/news', 'api/companies', 'api/people', 'api/events/future', 'api/events/past', 'api/learning']) {
      assert.ok(existsSync(join(dir, folder)), `${folder} exists`);
    }
    const nvidia = splitFrontMatter(readFileSync(join(dir, '_companies', 'nvidia.md'), 'utf8'));
    assert.equal(nvidia?.data.name, 'NVIDIA');
    assert.equal(typeof nvidia?.data.heat, 'number');
    assert.ok(existsSync(join(dir, 'api', 'news', 'index.json')));
    assert.ok(existsSync(join(dir, 'api', 'news', 'page', '2', 'index.json')));
    assert.ok(existsSync(join(dir, '_news', '2024-03-05-nvidia-unveils-a-new-gpu-for-training-large-models.md')));
    assert.ok(existsSync(join(dir, 'api', 'news', 'machine-learning', 'page', '1', 'index.json')));
    const companies = JSON.parse(readFileSync(join(dir, 'api', 'companies', 'ai-hardware', 'page', '1', 'index.json'), 'utf8'));
    assert.equal(companies.title, 'Companies');
    assert.equal(companies.path, '_companies');
    assert.ok(companies.value.some((c: { name: string }) => c.name === 'NVIDIA'));
    const seattle = JSON.parse(readFileSync(join(dir, 'api', 'companies', 'collections', 'ai-companies-in-santa-clara', 'index.json'), 'utf8'));
    assert.deepEqual(seattle.topItems.map((i: { name: string }) => i.name).sort(), ['Intel', 'NVIDIA']);
    const future = JSON.parse(readFileSync(join(dir, 'api', 'events', 'future', 'index.json'), 'utf8'));
    assert.deepEqual(future.value.map((e: { name: string }) => e.name), ['Future AI Conference']);
    const issue = splitFrontMatter(readFileSync(join(dir, '_newsletters', 'ai-every-day-2024-03-05.html'), 'utf8'));
    assert.equal(issue?.data.title, 'A.I. Every Day (2024-03-05)');
    assert.match(issue!.body, /NVIDIA unveils a new GPU/);
    assert.doesNotMatch(issue!.body, /\{\{unsubscribe_url\}\}/);
    const newsletters = JSON.parse(readFileSync(join(dir, 'api', 'newsletters', 'index.json'), 'utf8'));
    assert.deepEqual(newsletters.value.map((v: { path: string }) => v.path), ['_newsletters/ai-every-day-2024-03-05.html']);
    const topicFiles = readdirSync(join(dir, '_data', 'topics'));
    assert.ok(topicFiles.includes('00-ai.yaml') && topicFiles.includes('01-machine-learning.yaml'), topicFiles.join(','));
  });

  test('every exported api/ file is byte-identical to the server answer for its route', async () => {
    const { desk, app } = await open();
    let compared = 0;
    for await (const { route } of apiFiles(desk)) {
      const file = join(dir, ...route.split('/').filter(Boolean), 'index.json');
      const response = await app.inject({ method: 'GET', url: route });
      assert.equal(response.statusCode, 200, route);
      assert.equal(response.body, readFileSync(file, 'utf8'), route);
      compared++;
    }
    assert.ok(compared > 100, `${compared} routes compared`);
    for (const feed of ['/feeds/news.rss', '/feeds/topics/ai-hardware.atom', '/feeds/news.json']) {
      assert.equal((await app.inject({ method: 'GET', url: feed })).body, readFileSync(join(dir, ...feed.split('/').filter(Boolean)), 'utf8'), feed);
    }
  });

  test('the Jekyll export imports back into an empty store (the reference format, both ways)', { skip: kind === 'postgres' ? 'the round trip runs once, on the SQLite half' : false }, async () => {
    await open();
    const fresh = await freshStore('sqlite');
    try {
      const report = await importEveryday(fresh.store, dir);
      assert.deepEqual(report.errors, []);
      assert.equal(report.imported.news, SMALL_NEWS.length);
      const counts = await new CollectionStore(fresh.store).countByKind();
      assert.deepEqual({ company: counts.company, person: counts.person, event: counts.event, learning: counts.learning }, { company: 5, person: 3, event: 3, learning: 3 });
      const gpu = (await fresh.store.getArticleByPathKey('2024-03-05-nvidia-unveils-a-new-gpu-for-training-large-models'))!;
      assert.deepEqual([gpu.quality, gpu.heat, gpu.published], [214, 214, true]);
      assert.ok(await new NewsletterStore(fresh.store).issueByDate('2024-03-05'));
    } finally {
      await fresh.dispose();
    }
  });

  test('export hugo builds with Debian hugo and the pages show the records', { skip: kind === 'postgres' ? 'the Hugo build runs once, on the SQLite half' : hugoMissing }, async () => {
    const { desk } = await open();
    const site = join(dir, 'hugo');
    const report = await exportHugo(desk, site);
    assert.ok(report.pages > 40, `${report.pages} pages`);
    const out = join(dir, 'hugo-public');
    const build = spawnSync('hugo', ['--source', site, '--destination', out, '--quiet'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(build.status, 0, build.stderr);
    const nvidia = readFileSync(join(out, 'companies', 'nvidia', 'index.html'), 'utf8');
    assert.match(nvidia, /<h1 class="page-title">NVIDIA<\/h1>/);
    const news = readdirSync(join(out, 'news'));
    // Published and unscored articles get a page; the one below the threshold does not.
    assert.equal(news.filter((n) => n !== 'index.html' && n !== 'page').length, SMALL_NEWS.filter((a) => a.heat === null || a.heat >= 70).length);
    const gpu = readFileSync(join(out, 'news', '2024-03-05-nvidia-unveils-a-new-gpu-for-training-large-models', 'index.html'), 'utf8');
    assert.match(gpu, /<h1 class="page-title">NVIDIA unveils a new GPU for training large models<\/h1>/);
    const home = readFileSync(join(out, 'index.html'), 'utf8');
    assert.match(home, /A\.I\. Every Day/);
    assert.ok(existsSync(join(out, 'topics', 'machine-learning', 'index.html')));
    // With collections, their sections join the menu, and each entry leads to a built list.
    const menu = [...(/<nav class="site-nav"[^>]*>([\s\S]*?)<\/nav>/.exec(home)?.[1] ?? '').matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)];
    assert.deepEqual(menu.map((m) => m[2]), ['News', 'Stories', 'Topics', 'Newsletters', 'Companies', 'People', 'Events', 'Learning Resources']);
    for (const [, href] of menu) assert.ok(existsSync(join(out, href!, 'index.html')), href);
    assert.match(readFileSync(join(out, 'events', 'index.html'), 'utf8'), /Future AI Conference/, 'an event ahead is built, not left out as a future page');
  });
});
