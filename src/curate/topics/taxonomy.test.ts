import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allTopics, ancestorsOf, defaultTaxonomyFile, loadTaxonomy, parseTaxonomy } from './taxonomy.ts';
import { isNewsdeskError } from '../../errors.ts';

test('the default taxonomy has the reference topics, root AI first', () => {
  const taxonomy = loadTaxonomy(defaultTaxonomyFile);
  assert.equal(taxonomy.root.id, 'ai');
  assert.equal(taxonomy.root.name, 'AI');
  const topics = allTopics(taxonomy);
  assert.equal(topics.length, 22);
  const cv = topics.find((t) => t.id === 'computer-vision');
  assert.deepEqual(cv?.keywords.slice(0, 3), ['computer vision', 'face recognition', 'facial recognition']);
  assert.equal(cv?.shortName, 'Vision');
  assert.equal(cv?.parent, 'ai');
  for (const t of taxonomy.topics) assert.equal(t.parent, 'ai', t.id);
});

const valid = () => ({
  root: 'ai',
  topics: [
    { id: 'ai', name: 'AI', parent: null, keywords: ['ai'] },
    { id: 'robots', name: 'Robots', parent: 'ai', keywords: ['robot'] },
  ],
});

const invalidCases: Array<{ name: string; edit: (doc: any) => void; path: string }> = [
  { name: 'bad id', edit: (d) => { d.topics[1].id = 'Robots!'; }, path: 'topics[1].id' },
  { name: 'missing name', edit: (d) => { delete d.topics[1].name; }, path: 'topics[1].name' },
  { name: 'unknown parent', edit: (d) => { d.topics[1].parent = 'nope'; }, path: 'topics[1].parent' },
  { name: 'root with parent', edit: (d) => { d.topics[0].parent = 'robots'; }, path: 'topics[0].parent' },
  { name: 'no root', edit: (d) => { d.root = 'x'; }, path: 'root' },
  { name: 'duplicate id', edit: (d) => { d.topics[1].id = 'ai'; }, path: 'topics[1].id' },
  { name: 'keyword not a string', edit: (d) => { d.topics[1].keywords = ['robot', 3]; }, path: 'topics[1].keywords[1]' },
  { name: 'unknown key', edit: (d) => { d.topics[1].colour = 'red'; }, path: 'topics[1]' },
  { name: 'empty subject list', edit: (d) => { d.topics[1].subject = []; }, path: 'topics[1].subject' },
  { name: 'cue not a string', edit: (d) => { d.topics[1].cues = ['arm', null]; }, path: 'topics[1].cues[1]' },
  {
    name: 'parents in a cycle',
    edit: (d) => {
      d.topics.push({ id: 'arms', name: 'Arms', parent: 'grippers' }, { id: 'grippers', name: 'Grippers', parent: 'arms' });
    },
    path: 'topics[2].parent',
  },
];

for (const c of invalidCases) {
  test(`an invalid taxonomy names the key path: ${c.name}`, () => {
    const doc = valid();
    c.edit(doc);
    assert.throws(() => parseTaxonomy(doc, 'x.yaml'), (err: unknown) => {
      assert.ok(isNewsdeskError(err, 'ND_TAXONOMY_INVALID'));
      assert.equal(err.params.path, c.path);
      assert.match(err.message, /x\.yaml/);
      return true;
    });
  });
}

test('a valid document parses, the root kept apart from the other topics', () => {
  const taxonomy = parseTaxonomy(valid());
  assert.equal(taxonomy.root.name, 'AI');
  assert.deepEqual(taxonomy.topics.map((t) => t.id), ['robots']);
});

test('subject names and cues are kept; ancestors lead up to the root', () => {
  const doc = valid();
  doc.topics.push({ id: 'arms', name: 'Robot Arms', parent: 'robots', subject: ['Acme'], cues: ['gripper'] } as never);
  const taxonomy = parseTaxonomy(doc);
  const arms = taxonomy.topics.find((t) => t.id === 'arms')!;
  assert.deepEqual([arms.subject, arms.cues], [['Acme'], ['gripper']]);
  assert.deepEqual(ancestorsOf(taxonomy, 'Robot Arms').map((t) => t.id), ['robots', 'ai']);
  assert.deepEqual(ancestorsOf(taxonomy, 'AI'), []);
  assert.deepEqual(ancestorsOf(taxonomy, 'Nowhere'), []);
  const shipped = loadTaxonomy(defaultTaxonomyFile);
  assert.deepEqual(shipped.topics.find((t) => t.id === 'ibm-ai')?.subject, ['IBM', 'Watson']);
});

test('unreadable and malformed files fail with the taxonomy code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nd-tax-'));
  const broken = join(dir, 'broken.yaml');
  writeFileSync(broken, 'root: [unclosed');
  for (const file of [join(dir, 'missing.yaml'), broken]) {
    assert.throws(() => loadTaxonomy(file), (err: unknown) => isNewsdeskError(err, 'ND_TAXONOMY_INVALID'));
  }
});
