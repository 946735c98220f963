import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractEntities, extractFigures, extractNames, extractQuotedNames, isTitleCase } from './entities.ts';

const nameCases: Array<{ text: string; want: string[]; not?: string[] }> = [
  { text: 'Perennial party girl Tara Reid checked into Promises Treatment Center, her rep told People.', want: ['name:tara reid', 'name:promises treatment center', 'name:people'] },
  { text: 'The Bank of America said profits rose.', want: ['name:bank of america'], not: ['name:the bank of america', 'name:the'] },
  { text: 'In Washington, the senator spoke. However, nobody listened.', want: ['name:washington'], not: ['name:in washington', 'name:however', 'name:in'] },
  { text: 'Officials said the storm hit Porto. Officials also said it was over.', want: ['name:porto'], not: ['name:officials'] },
  { text: 'Analysts expect growth. The growth of Acme Corp surprised analysts at Goldman Sachs.', want: ['name:acme corp', 'name:goldman sachs'], not: ['name:analysts'] },
  { text: 'the U.S. Department of Commerce fined IBM.', want: ['name:us department of commerce', 'name:ibm'] },
];
for (const c of nameCases) {
  test(`names: ${c.text.slice(0, 50)}`, () => {
    const got = extractNames(c.text);
    for (const w of c.want) assert.ok(got.includes(w), `missing ${w} in ${JSON.stringify(got)}`);
    for (const n of c.not ?? []) assert.ok(!got.includes(n), `unexpected ${n} in ${JSON.stringify(got)}`);
  });
}

const figureCases: Array<{ text: string; want: string[] }> = [
  { text: 'revenue of $11.04 billion in 2017', want: ['money:$11.04b', 'num:2017'] },
  { text: 'a CAGR of 8.9% and 19 percent', want: ['pct:8.9', 'pct:19'] },
  { text: 'it employs 3,000 people and 7 dogs', want: ['num:3000'] },
  { text: 'profit of £600m and €3m', want: ['money:£600m', 'money:€3m'] },
  { text: 'a 33-year-old actress', want: ['num:33'] },
];
for (const c of figureCases) {
  test(`figures: ${c.text}`, () => assert.deepEqual(extractFigures(c.text), c.want));
}

test('quoted names: short and capitalized only', () => {
  assert.deepEqual(extractQuotedNames('the “American Pie” star said "we appreciate your respect to her and her family" today'), ['quote:american pie']);
  assert.deepEqual(extractQuotedNames("the `` American Pie '' star"), ['quote:american pie']);
});

test('title case is recognized so that capitals in headlines are not taken for names', () => {
  assert.equal(isTitleCase('Amazon Releases A New Tool To Improve Machine Learning Processes'), true);
  assert.equal(isTitleCase('Lindsay Lohan checks into Betty Ford Center'), false);
  const got = extractEntities('Amazon Releases A New Tool To Improve Machine Learning Processes', 'The tool was released by Amazon on Monday.');
  assert.ok(got.includes('name:amazon'));
  assert.ok(!got.some((e) => e.includes('releases')), JSON.stringify(got));
});

test('extractEntities: each once, title names first', () => {
  const got = extractEntities('Lindsay Lohan checks into Betty Ford Center', 'Lindsay Lohan has checked into the Betty Ford Center for 90 days.');
  assert.deepEqual(got, ['name:lindsay lohan', 'name:betty ford center', 'name:betty ford', 'name:ford center', 'num:90']);
});

test('long capitalized runs also give their two-word ends (role + name)', () => {
  const got = extractNames('The verdict was read by Superior Court Judge James Bodiford on Friday.');
  assert.ok(got.includes('name:superior court judge james bodiford'));
  assert.ok(got.includes('name:james bodiford'));
  assert.ok(got.includes('name:superior court'));
  assert.ok(!extractNames('It sued the Bank of America.').includes('name:of america'));
});
