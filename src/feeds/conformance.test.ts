// Runs over the feedparser conformance set when ../shared is present: every file must parse or be
// refused with the coded error (never an exception), the inspect report must render for every
// parsed file, and a sample of the parsing cases is scored (the full score is `npm run conformance`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runCase, dateTuple, type ManifestItem } from './conformance.ts';
import { parseFeed } from './parse.ts';
import { formatFeed, inspectFeed } from '../cli/inspect-feed.ts';
import { register as registerInspect } from '../cli/inspect.ts';
import { Command } from 'commander';
import { isNewsdeskError } from '../errors.ts';

const root = join(import.meta.dirname, '../../../shared/bench/feedparser-tests');
const absent = existsSync(join(root, 'manifest.json')) ? false : `feedparser test set not found at ${root} (../shared is absent)`;

test('every conformance file parses or is refused with ND_FEED_UNPARSEABLE, and renders for inspect', { skip: absent }, () => {
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as ManifestItem[];
  let refused = 0;
  for (const item of manifest) {
    const bytes = readFileSync(join(root, item.path));
    try {
      const feed = parseFeed(bytes, { url: `http://127.0.0.1:8097/${item.path}`, contentType: item.http_headers?.['Content-type'] ?? null });
      assert.ok(formatFeed(feed).startsWith('feed\n'));
      for (const value of [feed.title, ...feed.entries.flatMap((e) => [e.title, e.summary, e.content])]) {
        assert.ok(value === null || value === undefined || typeof value === 'string', item.path);
      }
    } catch (err) {
      assert.ok(isNewsdeskError(err, 'ND_FEED_UNPARSEABLE'), `${item.path}: ${String(err)}`);
      refused++;
    }
  }
  // Only documents with no feed in them at all may be refused.
  assert.ok(refused <= 2, `refused ${refused}`);
});

test('a sample of the parsing cases passes at the rate npm run conformance reports', { skip: absent }, () => {
  const manifest = (JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as ManifestItem[])
    .filter((m) => m.category !== 'wellformed/sanitize' && m.input_mode !== 'http');
  // Every 7th case: a fixed, spread-out sample across folders.
  const sample = manifest.filter((_, i) => i % 7 === 0);
  const passed = sample.filter((item) => runCase(item, readFileSync(join(root, item.path)), `http://127.0.0.1:8097/${item.path}`).passed).length;
  console.log(`conformance sample: ${passed}/${sample.length}`);
  // A regression guard at the level measured when this test was written, not the 97% bar.
  assert.ok(passed / sample.length >= 0.8, `${passed}/${sample.length}`);
});

async function runInspect(args: string[]): Promise<{ stdout: string; exitCode: number }> {
  const [target, flag] = args;
  const { output, exitCode } = await inspectFeed(target!, { json: flag === '--json' });
  return { stdout: output, exitCode };
}

test('inspect feed reads plain and gzipped files and prints every entry field', { skip: absent }, async () => {
  const source = join(root, 'tests/wellformed/rss/item_description.xml');
  const dir = mkdtempSync(join(tmpdir(), 'nd-inspect-'));
  const gz = join(dir, 'feed.xml.gz');
  writeFileSync(gz, gzipSync(readFileSync(source)));
  for (const file of [source, gz]) {
    const run = await runInspect([file]);
    assert.equal(run.exitCode, 0);
    assert.match(run.stdout, /^feed\n {2}format: "rss"/);
    assert.match(run.stdout, /entry 1\n {2}id: -\n {2}title: -\n {2}link: -\n {2}summary: "Example description"/);
  }
  const json = await runInspect([source, '--json']);
  assert.equal(JSON.parse(json.stdout).entries[0].summary, 'Example description');
  const empty = await runInspect([join(root, 'tests/illformed/rss_empty_document.xml')]);
  assert.equal(empty.exitCode, 1);
  assert.match(empty.stdout, /^unparseable: ND_FEED_UNPARSEABLE: /);
});

test('the inspect group registers the feed subcommand', () => {
  const program = new Command();
  registerInspect(program);
  const inspect = program.commands.find((c) => c.name() === 'inspect');
  assert.ok(inspect);
  assert.ok(inspect.commands.some((c) => c.name() === 'feed'));
});

test('feedparser date tuples: weekday Monday=0 and day of year', () => {
  assert.deepEqual(dateTuple('2003-12-31T10:14:55.000Z'), [2003, 12, 31, 10, 14, 55, 2, 365, 0]);
  assert.deepEqual(dateTuple('2004-04-07T04:05:43.000Z'), [2004, 4, 7, 4, 5, 43, 2, 98, 0]);
  assert.equal(dateTuple(null), undefined);
});
