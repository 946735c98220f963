import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstSentence, subjectPattern, subjectRule } from './subject.ts';
import { defaultTaxonomyFile, loadTaxonomy } from './taxonomy.ts';

const taxonomy = loadTaxonomy(defaultTaxonomyFile);
const rule = subjectRule(taxonomy);
const topicsOf = (title: string, excerpt = '', text = '') => rule.matches({ title, excerpt, text }).map((m) => m.topic);

test('the first sentence ends at . ! ? before a capital, not after an abbreviation, an initial or an ellipsis', () => {
  const cases: Array<[string, string]> = [
    ['IBM says it will stop. Amazon followed.', 'IBM says it will stop.'],
    ['A U.S. study by Amazon.com Inc. found bias. Later text.', 'A U.S. study by Amazon.com Inc. found bias.'],
    ['Dr. Smith joined Google! Then more.', 'Dr. Smith joined Google!'],
    ['It helps respond ... and Cisco uses it. Next one.', 'It helps respond ... and Cisco uses it.'],
    ['“Why now?” Microsoft asked.', '“Why now?”'],
    ['no end mark at all', 'no end mark at all'],
    ['Revenue rose 5.5% in 2021. Next.', 'Revenue rose 5.5% in 2021.'],
  ];
  for (const [text, want] of cases) assert.equal(firstSentence(text), want, text);
  assert.equal(firstSentence('x'.repeat(500)).length, 300);
});

test("SPEC.md's facial-recognition record: IBM and Amazon are the subject of the excerpt's first sentence", () => {
  const excerpt = 'IBM says it will no longer sell or research facial recognition software, and Amazon announced a moratorium on police use of its software.';
  const matches = rule.matches({ title: 'Tech companies reconsider facial recognition software', excerpt, text: '' });
  assert.deepEqual(
    matches.map((m) => [m.topic, m.name, m.place]),
    [
      ['AWS AI', 'Amazon', 'first sentence'],
      ['IBM AI', 'IBM', 'first sentence'],
    ],
  );
});

test('a company named only after the first sentence, or in the text, is a passing mention', () => {
  assert.deepEqual(topicsOf('Startup raises $20M for chips', 'The round was led by Sequoia. Its founders worked at Google and Microsoft.'), []);
  assert.deepEqual(topicsOf('Startup raises $20M', '', 'A long text about chips. It names IBM Watson only later.'), []);
  assert.deepEqual(topicsOf('Startup raises $20M', '', 'IBM Watson leads the round. Then more.'), ['IBM AI'], 'without an excerpt the text leads');
});

test('names match as written or in capitals, with a possessive, not as a common word or inside a compound', () => {
  assert.deepEqual(topicsOf("Meta's new model reads images"), ['Facebook AI', 'Meta AI']);
  assert.deepEqual(topicsOf('A meta-analysis of vision models'), []);
  assert.deepEqual(topicsOf('Meta-Analysis Finds Gains'), []);
  assert.deepEqual(topicsOf('GOOGLE UNVEILS NEW CHIP'), ['Google AI']);
  assert.deepEqual(topicsOf('how to google for a chip'), []);
  assert.deepEqual(topicsOf('Google-backed startup raises $5M'), []);
  assert.deepEqual(topicsOf('AWS and Azure add GPUs'), ['AWS AI', 'Microsoft AI']);
  assert.deepEqual(topicsOf('TensorFlow 3 released'), ['Google AI', 'TensorFlow']);
});

test('a subject pattern needs a name; multi-word names allow any spacing', () => {
  assert.equal(subjectPattern([]), null);
  assert.ok(subjectPattern(['Amazon Web Services'])!.test('Amazon  Web Services adds a region'));
  assert.ok(!subjectPattern(['AWS'])!.test('laws'));
});
