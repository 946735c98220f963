import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentTerms, shingles, stem, wordTokens } from './text.ts';

const stems: Array<[string, string]> = [
  ['checks', 'check'],
  ['checked', 'check'],
  ['checking', 'check'],
  ['stopped', 'stop'],
  ['companies', 'company'],
  ['called', 'call'],
  ['status', 'status'],
  ['bus', 'bus'],
  ['2013', '2013'],
];
for (const [word, want] of stems) {
  test(`stem ${word} -> ${want}`, () => assert.equal(stem(word), want));
}

test('wordTokens lower-cases, drops possessives and keeps decimals', () => {
  assert.deepEqual(wordTokens("Reid's rep said 8.9% of U.S. firms"), ['reid', 'rep', 'said', '8.9', 'of', 'u', 's', 'firms']);
});

test('contentTerms drops stopwords and one-letter tokens', () => {
  assert.deepEqual(contentTerms('The actress checked into a rehab center on Tuesday'), ['actress', 'check', 'rehab', 'center']);
});

const shingleCases: Array<{ terms: string[]; size: number; want: string[] }> = [
  { terms: ['a', 'b', 'c', 'd'], size: 3, want: ['a b c', 'b c d'] },
  { terms: ['a', 'b'], size: 3, want: ['a b'] },
  { terms: [], size: 3, want: [] },
  { terms: ['x', 'y', 'x', 'y', 'x'], size: 2, want: ['x y', 'y x'] },
];
for (const c of shingleCases) {
  test(`shingles of ${c.terms.length} terms, size ${c.size}`, () => assert.deepEqual(shingles(c.terms, c.size), c.want));
}
