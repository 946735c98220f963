// The Hugo export of the offline demo, built by the real `hugo` binary (Debian's), and the built site
// read back: every page has a title and text, every menu entry and every internal link resolves, and
// news, stories, topics and newsletters show what the store holds. On SQLite only, like the
// Hugo build in export.test.ts: what is tested here is the files hugo reads and what it builds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { validateConfig } from '../src/config/load.ts';
import { openDesk, type Desk } from '../src/jobs/desk.ts';
import { seedSources } from '../src/cli/context.ts';
import { runDueSources } from '../src/jobs/ingest.ts';
import { silentLogger } from '../src/log.ts';
import { buildNewsletter } from '../src/publish/newsletter/build.ts';
import { exportHugo, type HugoExportReport } from '../src/publish/export/hugo.ts';

const version = spawnSync('hugo', ['version'], { encoding: 'utf8' });
const hugoMissing = version.status === 0 ? false : 'hugo is not installed (apt-get install -y hugo)';
if (hugoMissing) process.stdout.write(`# skipping the Hugo export tests: ${hugoMissing}\n`);

let dir = '';
let desk: Desk;
let report: HugoExportReport;
let site = '';
let out = '';
let build: ReturnType<typeof spawnSync>;
let issueTitle = '';
const pages = new Map<string, string>();

/** Every built HTML file, by its URL path ("/news/x/"). */
function readBuilt(root: string, prefix = '/'): void {
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (statSync(path).isDirectory()) readBuilt(path, `${prefix}${name}/`);
    else if (name === 'index.html') pages.set(prefix, readFileSync(path, 'utf8'));
  }
}

const text = (html: string) =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z#0-9]+;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const mainOf = (html: string) => /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
const menuOf = (html: string) => [...(/<nav class="site-nav"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '').matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((m) => ({ href: m[1]!, name: m[2]! }));

/** An internal link's built file: a folder's index.html, or the file itself. */
function resolves(href: string): boolean {
  const path = decodeURIComponent(href.split('#')[0]!.split('?')[0]!);
  if (!path.startsWith('/')) return false;
  return path.endsWith('/') ? pages.has(path) : existsSync(join(out, path));
}

before(async () => {
  if (hugoMissing) return;
  dir = mkdtempSync(join(tmpdir(), 'nd-hugo-'));
  copyFileSync('taxonomy/ai.yaml', join(dir, 'ai.yaml'));
  copyFileSync('config/organizations.yaml', join(dir, 'organizations.yaml'));
  desk = await openDesk(validateConfig({ demo: true, dataDir: dir, taxonomyFile: join(dir, 'ai.yaml'), organizationsFile: join(dir, 'organizations.yaml') }), { log: silentLogger });
  await seedSources(desk);
  await runDueSources(desk);
  // The demo builds no newsletter on its own: one issue, of the newest day with published news.
  let newest = '';
  for await (const a of desk.store.iterateArticles()) if (a.published && a.publishedDateTime && a.publishedDateTime > newest) newest = a.publishedDateTime;
  issueTitle = (await buildNewsletter(desk, newest.slice(0, 10))).sections[0]!.items[0]!.title;
  site = join(dir, 'site');
  out = join(dir, 'public');
  report = await exportHugo(desk, site);
  build = spawnSync('hugo', ['--source', site, '--destination', out], { encoding: 'utf8', timeout: 120_000 });
  if (build.status === 0) readBuilt(out);
});

after(async () => {
  await desk?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('hugo builds the export of the demo without a warning, from hugo.toml alone', { skip: hugoMissing }, () => {
  assert.equal(build.status, 0, String(build.stderr));
  assert.doesNotMatch(`${build.stdout}${build.stderr}`, /WARN|ERROR|found no layout/i);
  assert.ok(existsSync(join(site, 'hugo.toml')));
  assert.ok(!existsSync(join(site, 'config.toml')), 'one config, not two');
  assert.ok(existsSync(join(site, 'themes', 'newsdesk', 'layouts', '_default', 'baseof.html')));
  assert.ok(report.news >= 10 && report.stories >= 5 && report.newsletters === 1 && report.topics >= 5, JSON.stringify(report));
});

test('every built page has a title, a heading and text to read', { skip: hugoMissing }, () => {
  // Home, four section lists, one page per item and per topic, and the lists' further pages if any
  // (a list's /page/1/ is Hugo's redirect to the list itself, not a page).
  const content = [...pages].filter(([path]) => !/\/page\/1\/$/.test(path));
  const expected = 1 + 4 + report.news + report.stories + report.newsletters + report.topics;
  assert.equal(content.filter(([path]) => !/\/page\/\d+\/$/.test(path)).length, expected, [...pages.keys()].join('\n'));
  for (const [path, html] of content) {
    const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
    assert.ok(title.trim().length > 3, `${path}: title "${title}"`);
    assert.match(mainOf(html), /<h1[^>]*>[^<]*\S/, `${path}: a heading`);
    assert.ok(text(mainOf(html)).length > 80, `${path}: "${text(mainOf(html))}"`);
    assert.match(html, /<link rel="stylesheet" href="\/css\/newsdesk\.css">/);
  }
  assert.ok(existsSync(join(out, 'css', 'newsdesk.css')));
});

test('every menu entry and every internal link resolves to a built page', { skip: hugoMissing }, () => {
  const menu = menuOf(pages.get('/')!);
  // The demo has no collections: the menu lists only sections with pages.
  assert.deepEqual(menu.map((m) => m.name), ['News', 'Stories', 'Topics', 'Newsletters']);
  for (const { href, name } of menu) {
    assert.ok(resolves(href), `menu ${name}: ${href}`);
    assert.ok(text(mainOf(pages.get(href)!)).length > 80, `menu ${name} leads to a page with entries`);
  }
  let checked = 0;
  for (const [path, html] of pages) {
    // Hugo's /page/1/ of a list is a redirect to the list itself: no layout, only the link.
    if (/\/page\/1\/$/.test(path)) assert.match(html, /<meta http-equiv="refresh"/, path);
    else assert.deepEqual(menuOf(html), menu, `${path}: the same menu on every page`);
    for (const href of hrefs(html)) {
      if (/^(https?:|mailto:|#)/.test(href)) continue;
      assert.ok(resolves(href), `${path} links to ${href}, which was not built`);
      checked++;
    }
  }
  assert.ok(checked > 500, `${checked} internal links`);
});

test('news, stories, topics and the newsletter show what the store holds', { skip: hugoMissing }, async () => {
  // A story page lists every outlet of the story, lead first, and each member's page links back to it.
  let stories = 0;
  for (const [path, html] of pages) {
    const id = /^\/stories\/(\d+)\/$/.exec(path)?.[1];
    if (!id) continue;
    stories++;
    const story = (await desk.store.getStory(Number(id)))!;
    const members = await desk.store.storyMembers(Number(id));
    const lead = members.find((m) => m.id === story.leadArticleId)!;
    assert.match(html, new RegExp(`<h2 id="outlets">Every outlet \\(${members.length}\\)</h2>`), path);
    const outletLinks = [...html.matchAll(/<h3><a href="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
    assert.deepEqual(outletLinks.slice().sort(), members.map((m) => m.webUrl).sort(), path);
    assert.equal(outletLinks[0], lead.webUrl, `${path}: lead first`);
    assert.match(html, /<ol class="timeline">\s*<li><time datetime="[^"]+">[^<]+<\/time> <strong>/, `${path}: a reader's timeline`);
    for (const member of members.filter((m) => m.published !== false)) {
      assert.match(pages.get(`/news/${member.pathKey}/`)!, new RegExp(`<aside class="story-link"><a href="/stories/${id}/">`), member.pathKey);
    }
  }
  assert.equal(stories, report.stories);
  // Article pages: headline, outlet, link to the source, topics linking to their pages.
  const firstStory = Number([...pages.keys()].find((p) => /^\/stories\/\d+\/$/.test(p))!.split('/')[2]);
  const article = (await desk.store.storyMembers(firstStory)).find((a) => a.published)!;
  const news = pages.get(`/news/${article.pathKey}/`)!;
  assert.ok(news.includes(`>${article.provider.name.replaceAll('&', '&amp;')}</span>`), 'the outlet is named');
  assert.ok(news.includes(`href="${article.webUrl.replaceAll('&', '&amp;')}"`), 'the source is linked');
  for (const topic of article.topics) assert.match(news, new RegExp(`<a class="chip" href="/topics/[a-z0-9-]+/">${topic}</a>`), topic);
  // Topic pages carry the taxonomy's names and descriptions, listed in taxonomy order.
  const ml = pages.get('/topics/machine-learning/')!;
  assert.match(ml, /<h1 class="page-title">Machine Learning<\/h1>/);
  assert.ok(ml.includes(desk.taxonomy.topics.find((t) => t.id === 'machine-learning')!.description!.slice(0, 30)));
  const listed = [...pages.get('/topics/')!.matchAll(/<li><a href="\/topics\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
  assert.equal(listed[0], 'AI');
  const order = [desk.taxonomy.root, ...desk.taxonomy.topics].map((t) => t.name);
  assert.deepEqual(listed, order.filter((n) => listed.includes(n)));
  // The newsletter issue shows its news inside the site's layout, not a second <html>.
  const issuePath = [...pages.keys()].find((p) => /^\/newsletters\/.+\/$/.test(p))!;
  const issue = pages.get(issuePath)!;
  assert.ok(issue.includes(issueTitle.replaceAll('&', '&amp;')) || issue.includes(issueTitle), issueTitle);
  assert.equal((issue.match(/<html/g) ?? []).length, 1);
  // The home page leads with stories, then the latest news.
  const home = pages.get('/')!;
  assert.match(home, /<h2 id="top-stories"[^>]*>Top stories<\/h2>[\s\S]*<article class="card">[\s\S]*<h2 id="latest"[^>]*>Latest news<\/h2>/);
});
