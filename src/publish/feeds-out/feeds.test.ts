import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFeed as feedsmithParse } from 'feedsmith';
import { parseFeed as rowanParse } from '@rowanmanning/feed-parser';
import { describeEachStore, postgresUnavailable } from '../../../test/helpers/stores.ts';
import { SMALL_NEWS } from '../../collections/testing.ts';
import { smallDeskOnFirstUse } from '../testing.ts';
import { CollectionStore } from '../../store/collections.ts';
import { renderRss, renderAtom, renderJsonFeed, xmlEscape } from './write.ts';

await postgresUnavailable();

/** feedsmith gives Atom text constructs as {type, value}. */
type Title = string | { type?: string; value?: string };

// Debian's python3-feedparser, run with the system interpreter (a pyenv python may not have it).
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const probe = spawnSync(PYTHON, ['-c', 'import feedparser; print(feedparser.__version__)'], { encoding: 'utf8' });
const feedparserMissing = probe.status === 0 ? false : 'python3-feedparser is not installed (apt-get install -y python3-feedparser)';
if (feedparserMissing) process.stdout.write(`# skipping feedparser validation: ${feedparserMissing}\n`);

/** Parses feeds with Universal Feed Parser; returns per feed: bozo flag, exception, entry count, first title. */
function feedparser(documents: string[]): Array<{ bozo: number; exception: string | null; version: string; entries: number; title: string; firstTitle: string | null }> {
  const script = `
import sys, json, feedparser
out = []
for doc in json.load(sys.stdin):
    d = feedparser.parse(doc.encode('utf-8'))
    out.append({'bozo': int(d.bozo), 'exception': str(d.get('bozo_exception')) if d.bozo else None, 'version': d.version,
                'entries': len(d.entries), 'title': d.feed.get('title', ''), 'firstTitle': d.entries[0].title if d.entries else None})
print(json.dumps(out))
`;
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(documents), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

test('XML escaping drops characters XML forbids and escapes markup', () => {
  assert.equal(xmlEscape('a & b <c> "d" \u0001e\uFFFE'), 'a &amp; b &lt;c&gt; &quot;d&quot; e');
});

describeEachStore('feeds out', (fixture) => {
  const open = smallDeskOnFirstUse(() => fixture().store, (desk) => new CollectionStore(desk.store).saveSearch({ slug: 'gpus', name: 'GPUs', query: 'GPU' }));

  const listed = SMALL_NEWS.filter((a) => a.heat === null || a.heat >= 70);
  const scopes = ['/feeds/news', '/feeds/topics/ai-hardware', '/feeds/providers/theverge.com', '/feeds/searches/gpus'];

  test('every scope serves RSS 2.0, Atom 1.0 and JSON Feed 1.1 with its content type', async () => {
    const { app } = await open();
    for (const scope of scopes) {
      for (const [ext, type] of [['rss', 'application/rss+xml'], ['atom', 'application/atom+xml'], ['json', 'application/feed+json']] as const) {
        const response = await app.inject({ method: 'GET', url: `${scope}.${ext}` });
        assert.equal(response.statusCode, 200, `${scope}.${ext}: ${response.body}`);
        assert.match(String(response.headers['content-type']), new RegExp(`^${type.replace('+', '\\+')}`));
      }
    }
    assert.equal((await app.inject({ method: 'GET', url: '/feeds/topics/no-such-topic.rss' })).statusCode, 404);
    assert.equal((await app.inject({ method: 'GET', url: '/feeds/searches/unknown.json' })).statusCode, 404);
    assert.equal((await app.inject({ method: 'GET', url: '/feeds/news.xml' })).statusCode, 404);
  });

  test('feeds parse back with feedsmith and @rowanmanning/feed-parser, with the right items', async () => {
    const { app } = await open();
    const expectations: Record<string, string[]> = {
      '/feeds/news': listed.map((a) => a.title),
      '/feeds/topics/ai-hardware': listed.filter((a) => a.topics?.includes('AI Hardware')).map((a) => a.title),
      '/feeds/providers/theverge.com': listed.filter((a) => a.domain === 'theverge.com').map((a) => a.title),
      '/feeds/searches/gpus': listed.filter((a) => /gpu/i.test(a.title)).map((a) => a.title),
    };
    for (const [scope, titles] of Object.entries(expectations)) {
      const expected = [...titles].sort();
      for (const ext of ['rss', 'atom', 'json']) {
        const body = (await app.inject({ method: 'GET', url: `${scope}.${ext}` })).body;
        const strict = feedsmithParse(body) as { format: string; feed: { items?: Array<{ title?: Title }>; entries?: Array<{ title?: Title }> } };
        assert.equal(strict.format, ext, `${scope}.${ext} detected as ${strict.format}`);
        const strictTitles = (strict.feed.items ?? strict.feed.entries ?? []).map((i) => (typeof i.title === 'string' ? i.title : i.title?.value ?? ''));
        assert.deepEqual([...strictTitles].sort(), expected.slice(0, 50), `feedsmith ${scope}.${ext}`);
        if (ext !== 'json') {
          const lenient = rowanParse(body);
          assert.deepEqual(lenient.items.map((i) => i.title ?? '').sort(), expected.slice(0, 50), `feed-parser ${scope}.${ext}`);
        }
      }
    }
    // Markup in a title arrives as text, not as markup.
    const json = JSON.parse((await app.inject({ method: 'GET', url: '/feeds/providers/theverge.com.json' })).body);
    assert.ok(json.items.some((i: { title: string }) => i.title === 'Self driving cars & the law: what changes <today>'));
  });

  // Debian's feedparser 6.0.10 predates JSON Feed support (6.1), so it checks RSS and Atom; JSON Feed
  // is checked by feedsmith above.
  test('Universal Feed Parser (python3-feedparser) reads every RSS and Atom feed without bozo', { skip: feedparserMissing }, async () => {
    const { app } = await open();
    const names: string[] = [];
    const documents: string[] = [];
    for (const scope of scopes) {
      for (const ext of ['rss', 'atom']) {
        names.push(`${scope}.${ext}`);
        documents.push((await app.inject({ method: 'GET', url: `${scope}.${ext}` })).body);
      }
    }
    const results = feedparser(documents);
    results.forEach((r, i) => {
      assert.equal(r.bozo, 0, `${names[i]}: ${r.exception}`);
      assert.ok(r.entries > 0, names[i]);
      assert.equal(r.version, names[i]!.endsWith('.rss') ? 'rss20' : 'atom10');
    });
    // Keep the validation results so they can be shown.
    mkdirSync('test-output', { recursive: true });
    writeFileSync(join('test-output', 'feeds-validation.json'), `${JSON.stringify(results.map((r, i) => ({ feed: names[i], ...r })), null, 2)}\n`);
  });
});

test('empty feeds are still valid documents', { skip: feedparserMissing }, () => {
  const meta = { title: 'Empty', description: 'Nothing yet', homeUrl: 'https://example.org/', feedUrl: 'https://example.org/feeds/news.rss' };
  const results = feedparser([renderRss(meta, []), renderAtom(meta, [])]);
  assert.deepEqual(results.map((r) => [r.bozo, r.entries, r.title]), [[0, 0, 'Empty'], [0, 0, 'Empty']]);
  const json = feedsmithParse(renderJsonFeed(meta, [])) as { format: string; feed: { title: string } };
  assert.deepEqual([json.format, json.feed.title], ['json', 'Empty']);
});
