// Feed validity on the offline demo, and how long the publication steps take: every outgoing feed
// (stream and each topic, three formats) parsed by feedsmith and, for RSS/Atom, by Debian's
// python3-feedparser (bozo count); then the Jekyll export and a newsletter build, timed.
// Run: npm run bench:publications   (timings are noisy on a shared machine: run twice, take the best)
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseFeed } from 'feedsmith';
import { Store } from '../src/store/index.ts';
import { openDemoDesk } from '../src/collections/testing.ts';
import { buildFeed } from '../src/publish/feeds-out/routes.ts';
import { allTopics } from '../src/curate/topics/taxonomy.ts';
import { exportJekyll } from '../src/publish/export/jekyll.ts';
import { buildNewsletter } from '../src/publish/newsletter/build.ts';

const dir = mkdtempSync(join(tmpdir(), 'nd-bench-pub-'));
const store = await Store.open(join(dir, 'store.sqlite'));
let t = performance.now();
const desk = await openDemoDesk(store);
console.log(`demo ingested and collections fixture imported: ${Math.round(performance.now() - t)} ms`);

const docs: Array<{ name: string; body: string }> = [];
t = performance.now();
for (const scope of [{ kind: 'news' as const }, ...allTopics(desk.taxonomy).map((topic) => ({ kind: 'topic' as const, id: topic.id }))]) {
  for (const format of ['rss', 'atom', 'json'] as const) docs.push({ name: `${'id' in scope ? scope.id : 'news'}.${format}`, body: (await buildFeed(desk, scope, format)).body });
}
console.log(`feeds built: ${docs.length} in ${Math.round(performance.now() - t)} ms`);
const strictFailures = docs.filter((d) => {
  try {
    parseFeed(d.body);
    return false;
  } catch {
    return true;
  }
});
console.log(`feedsmith: ${docs.length - strictFailures.length}/${docs.length} parsed`);
const xml = docs.filter((d) => !d.name.endsWith('.json'));
if (existsSync('/usr/bin/python3')) {
  const run = spawnSync('/usr/bin/python3', ['-c', 'import sys,json,feedparser\nprint(json.dumps([[int(r.bozo), len(r.entries)] for r in (feedparser.parse(d.encode()) for d in json.load(sys.stdin))]))'], { input: JSON.stringify(xml.map((d) => d.body)), encoding: 'utf8' });
  if (run.status === 0) {
    const results = JSON.parse(run.stdout) as Array<[number, number]>;
    console.log(`python3-feedparser (RSS and Atom): ${results.length} feeds, bozo ${results.filter((r) => r[0]).length}, ${results.reduce((n, r) => n + r[1], 0)} entries`);
  } else console.log(`python3-feedparser unavailable: ${run.stderr.split('\n').at(-2)}`);
}

t = performance.now();
const report = await exportJekyll(desk, join(dir, 'site'));
console.log(`export jekyll: ${report.news} news, ${report.apiFiles} API files, ${report.feeds} feeds in ${Math.round(performance.now() - t)} ms`);
t = performance.now();
const issue = await buildNewsletter(desk, '2021-11-18');
console.log(`newsletter ${issue.slug}: ${issue.sections.map((s) => s.items.length).join('/')} items in ${Math.round(performance.now() - t)} ms`);
await desk.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
