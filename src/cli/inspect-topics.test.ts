import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Readable, PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { tagJsonl } from './inspect-topics.ts';
import { createKeywordClassifier } from '../curate/topics/keywords.ts';
import { defaultTaxonomyFile, loadTaxonomy } from '../curate/topics/taxonomy.ts';
import { isNewsdeskError } from '../errors.ts';

const classifier = createKeywordClassifier(loadTaxonomy(defaultTaxonomyFile));

async function run(lines: string[]): Promise<string> {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (c: Buffer) => chunks.push(c.toString()));
  await tagJsonl(Readable.from([lines.join('\n')]), classifier, output);
  return chunks.join('');
}

test('tags each line, in input order, skipping blank lines', async () => {
  const out = await run([
    JSON.stringify({ id: 'a', title: 'A new GPU', text: '' }),
    '',
    JSON.stringify({ id: 7, title: 'x', excerpt: 'Waymo expands', text: 'the bank said' }),
  ]);
  assert.equal(out, 'a\tAI;AI Hardware\n7\tAI;AI in Autos;AI in Finance\n');
});

const bad: Array<[string, RegExp]> = [
  ['not json', /line 1 is not JSON/],
  ['[1,2]', /not a JSON object/],
  [JSON.stringify({ title: 'no id' }), /has no id/],
  [JSON.stringify({ id: 'x', title: 3 }), /title must be a string/],
];
for (const [line, message] of bad) {
  test(`refuses a bad line: ${line}`, async () => {
    await assert.rejects(run([line]), (err: unknown) => isNewsdeskError(err, 'ND_BAD_REQUEST') && message.test(err.message));
  });
}

test('the command reads stdin and uses the learned classifier by default', () => {
  const bin = fileURLToPath(new URL('../../bin/newsdesk.mjs', import.meta.url));
  const input = JSON.stringify({
    id: 'spec',
    title: 'Tech companies reconsider facial recognition software',
    excerpt: 'IBM says it will no longer sell or research facial recognition software, and Amazon announced a moratorium on police use of its software.',
    text: '',
  });
  const result = spawnSync(process.execPath, [bin, 'inspect', 'topics'], { input: `${input}\n`, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  const [id, topics] = result.stdout.trim().split('\t');
  assert.equal(id, 'spec');
  assert.ok(topics!.split(';').includes('Computer Vision'), topics);
  assert.ok(topics!.split(';').includes('AI Ethics'), topics);
  assert.ok(!topics!.split(';').includes('Natural Language Processing'), topics);
});
