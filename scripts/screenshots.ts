// Screenshots for reviewers and release notes: the reader site's front page, a story, a search, and
// the Hugo site built from `export hugo`, all from the offline demo, in Debian's Chromium.
//
// Usage: npx tsx scripts/screenshots.ts [--out DIR]    (default /tmp/newsdesk-screenshots)
// Needs /usr/bin/chromium (or NEWSDESK_CHROMIUM) and hugo on PATH; prints each PNG's path.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { validateConfig } from '../src/config/load.ts';
import { openDesk } from '../src/jobs/desk.ts';
import { seedSources } from '../src/cli/context.ts';
import { runDueSources } from '../src/jobs/ingest.ts';
import { buildServer } from '../src/publish/server.ts';
import { buildNewsletter } from '../src/publish/newsletter/build.ts';
import { exportHugo } from '../src/publish/export/hugo.ts';
import { silentLogger } from '../src/log.ts';

const CHROMIUM = process.env.NEWSDESK_CHROMIUM ?? '/usr/bin/chromium';
const { values } = parseArgs({ options: { out: { type: 'string', default: '/tmp/newsdesk-screenshots' } } });
const outDir = resolve(values.out!);

class Refusal extends Error {}
function fail(message: string): never {
  throw new Refusal(message);
}
const missing = !existsSync(CHROMIUM)
  ? `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set NEWSDESK_CHROMIUM)`
  : spawnSync('hugo', ['version']).status !== 0
    ? 'hugo is not installed (apt-get install -y hugo)'
    : null;
if (missing) {
  process.stderr.write(`screenshots: ${missing}\n`);
  process.exit(1);
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json' };

/** The built Hugo site over loopback HTTP: folders answer with their index.html, nothing outside `root`. */
function serveStatic(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    let file = join(root, path);
    if (!file.startsWith(root)) return res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

const work = mkdtempSync(join(tmpdir(), 'newsdesk-shots-'));
// The desk may rewrite the taxonomy and organizations files: it gets copies.
copyFileSync('taxonomy/ai.yaml', join(work, 'ai.yaml'));
copyFileSync('config/organizations.yaml', join(work, 'organizations.yaml'));
const config = validateConfig({ demo: true, dataDir: join(work, 'data'), taxonomyFile: join(work, 'ai.yaml'), organizationsFile: join(work, 'organizations.yaml') });
const desk = await openDesk(config, { log: silentLogger });
let app: Awaited<ReturnType<typeof buildServer>> | undefined;
let hugoServer: Server | undefined;
let browser: import('playwright-core').Browser | undefined;
try {
  await seedSources(desk);
  await runDueSources(desk);
  app = await buildServer(desk);
  const base = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');

  // A newsletter issue for the newest day with published news, so the Hugo site has one too.
  let newest = '';
  for await (const a of desk.store.iterateArticles()) if (a.published && a.publishedDateTime && a.publishedDateTime > newest) newest = a.publishedDateTime;
  if (newest) await buildNewsletter(desk, newest.slice(0, 10));
  const site = join(work, 'hugo');
  const publicDir = join(work, 'public');
  await exportHugo(desk, site);
  const built = spawnSync('hugo', ['--source', site, '--destination', publicDir, '--quiet'], { encoding: 'utf8', timeout: 120_000 });
  if (built.status !== 0) fail(`hugo failed: ${built.stderr}`);
  hugoServer = await serveStatic(publicDir);
  const hugoBase = `http://127.0.0.1:${(hugoServer.address() as AddressInfo).port}`;

  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, colorScheme: 'light' });
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const shot = async (name: string, url: string, fullPage = false) => {
    const response = await page.goto(url, { waitUntil: 'load' });
    if (!response || response.status() !== 200) fail(`${url} answered ${response?.status() ?? 'nothing'}`);
    const file = join(outDir, `${name}.png`);
    await page.screenshot({ path: file, fullPage });
    written.push(file);
  };

  await shot('front-page', `${base}/`);
  // The story with the most outlets shows what a story page is for.
  const storyLinks = await page.$$eval('a[href^="/story/"]', (links) => [...new Set(links.map((a) => a.getAttribute('href')!))]);
  if (!storyLinks.length) fail('the front page links to no story');
  let story = storyLinks[0]!;
  let most = 0;
  for (const link of storyLinks) {
    const id = Number(link.split('/')[2]);
    const members = (await desk.store.storyMembers(id)).length;
    if (members > most) [story, most] = [link, members];
  }
  await shot('story', `${base}${story}`, true);
  await shot('search', `${base}/search?q=${encodeURIComponent('machine learning')}`);
  await shot('hugo-home', `${hugoBase}/`, true);
  await shot('hugo-story', `${hugoBase}/stories/${story.split('/')[2]}/`, true);
  await shot('hugo-topics', `${hugoBase}/topics/`);
  for (const file of written) process.stdout.write(`${file}\n`);
} catch (err) {
  process.exitCode = 1;
  process.stderr.write(`screenshots: ${err instanceof Refusal ? err.message : (err as Error).stack}\n`);
} finally {
  await browser?.close();
  hugoServer?.close();
  await app?.close();
  await desk.close();
  rmSync(work, { recursive: true, force: true });
}
