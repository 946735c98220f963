import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { clusterJsonl } from './inspect-cluster.ts';
import { isNewsdeskError } from '../errors.ts';

const fixture = join(import.meta.dirname, '..', 'curate', 'cluster', 'testdata', 'stories.jsonl');

test('clusterJsonl: one row per article in input order, same-story articles share a story id', async () => {
  const rows = await clusterJsonl(Readable.from(readFileSync(fixture, 'utf8')));
  const gold = new Map(readFileSync(fixture, 'utf8').split('\n').filter(Boolean).map((l) => [JSON.parse(l).id, JSON.parse(l).gold]));
  assert.deepEqual(rows.map(([id]) => id), [...gold.keys()]);
  const story = new Map(rows);
  assert.equal(story.get('a1'), story.get('a2'));
  assert.equal(story.get('a1'), story.get('a3'));
  assert.equal(story.get('b1'), story.get('b2'));
  assert.notEqual(story.get('a1'), story.get('c1'));
  assert.notEqual(story.get('a1'), story.get('e1'));
});

test('lines with one address (after canonical form) are one article: one story, whatever their words', async () => {
  const lines = [
    { id: 'x1', title: 'Probe lands on the moon', text: 'The probe landed in a crater.', url: 'https://news.example/a?utm_source=feed', publishedDateTime: '2026-03-02T10:00:00Z' },
    { id: 'x2', title: 'Council votes on the budget', text: 'The council passed it.', url: 'https://news.example/a#top', publishedDateTime: '2026-03-02T11:00:00Z' },
    { id: 'x3', title: 'Council votes on the budget', text: 'The council passed it.', url: 'https://news.example/b', publishedDateTime: '2026-03-02T12:00:00Z' },
  ];
  const story = new Map(await clusterJsonl(Readable.from(lines.map((l) => JSON.stringify(l)).join('\n'))));
  assert.equal(story.get('x1'), story.get('x2'));
  assert.equal(story.size, 3);
});

const badInputs: Array<{ name: string; input: string; reason: RegExp }> = [
  { name: 'not JSON', input: '{"id":"x","title":"t"\n', reason: /line 1 is not JSON/ },
  { name: 'no id', input: '{"title":"t","text":"x"}\n', reason: /line 1 has no id/ },
  { name: 'duplicate id', input: '{"id":"x","title":"a"}\n\n{"id":"x","title":"b"}\n', reason: /line 3: duplicate id x/ },
  { name: 'text not a string', input: '{"id":"x","text":5}\n', reason: /text must be a string/ },
];
for (const c of badInputs) {
  test(`clusterJsonl rejects input: ${c.name}`, async () => {
    await assert.rejects(clusterJsonl(Readable.from(c.input)), (err) => isNewsdeskError(err, 'ND_BAD_REQUEST') && c.reason.test(err.message));
  });
}

test('the CLI prints id<TAB>story-id lines for a file', () => {
  // One spawn only: starting the whole CLI through tsx is slow on a loaded machine.
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'newsdesk.mjs');
  const run = spawnSync(process.execPath, [bin, 'inspect', 'cluster', fixture], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines.length, 9);
  for (const line of lines) assert.match(line, /^[^\t]+\t[^\t]+$/);
  const story = new Map(lines.map((l) => l.split('\t') as [string, string]));
  assert.equal(story.get('a2'), story.get('a1'));
  assert.notEqual(story.get('c1'), story.get('a1'));
});
