import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandKeys, estimatedJaccard, hash32, minHashScheme, minHashSignature } from './minhash.ts';
import { contentTerms, shingles } from './text.ts';

const scheme = minHashScheme(42, 16, 4);
const textA = 'Acme Robotics raised 40 million dollars in a Series B round led by Northgate Ventures to build warehouse robots in Pittsburgh';
const textB = 'Acme Robotics raised 40 million dollars in a Series B round led by Northgate Ventures to build warehouse robots in Pittsburgh today';
const textC = 'Storm Hilda flooded the streets of Porto and forced hundreds of residents of Vila Nova de Gaia to leave their homes';
const sh = (t: string) => shingles(contentTerms(t));

test('hash32 is deterministic and seed-dependent', () => {
  assert.equal(hash32('rehab'), hash32('rehab'));
  assert.notEqual(hash32('rehab', 1), hash32('rehab', 2));
  // A fixed value: stored band keys depend on it never changing.
  assert.equal(hash32('newsdesk'), hash32('newsdesk', 0));
  assert.equal(typeof hash32('x'), 'number');
});

test('the same seed gives the same signature and band keys; another seed does not', () => {
  const again = minHashScheme(42, 16, 4);
  assert.deepEqual(minHashSignature(sh(textA), scheme), minHashSignature(sh(textA), again));
  assert.deepEqual(bandKeys(minHashSignature(sh(textA), scheme), scheme), bandKeys(minHashSignature(sh(textA), again), again));
  const other = minHashScheme(43, 16, 4);
  assert.notDeepEqual(bandKeys(minHashSignature(sh(textA), scheme), scheme), bandKeys(minHashSignature(sh(textA), other), other));
});

const cases: Array<{ name: string; a: string; b: string; minShared: number; maxShared: number }> = [
  { name: 'identical texts share every band', a: textA, b: textA, minShared: 16, maxShared: 16 },
  { name: 'a near-duplicate shares some bands', a: textA, b: textB, minShared: 1, maxShared: 16 },
  { name: 'unrelated texts share none', a: textA, b: textC, minShared: 0, maxShared: 0 },
];
for (const c of cases) {
  test(`band keys: ${c.name}`, () => {
    const ka = new Set(bandKeys(minHashSignature(sh(c.a), scheme), scheme));
    const kb = bandKeys(minHashSignature(sh(c.b), scheme), scheme);
    const shared = kb.filter((k) => ka.has(k)).length;
    assert.ok(shared >= c.minShared && shared <= c.maxShared, `shared ${shared}`);
  });
}

test('estimated Jaccard follows the true Jaccard', () => {
  const a = Array.from({ length: 200 }, (_, i) => `s${i}`);
  const b = [...a.slice(0, 100), ...Array.from({ length: 100 }, (_, i) => `t${i}`)]; // J = 100/300
  const big = minHashScheme(7, 64, 4);
  const estimate = estimatedJaccard(minHashSignature(a, big), minHashSignature(b, big));
  assert.ok(Math.abs(estimate - 1 / 3) < 0.08, `estimate ${estimate}`);
});

test('an empty shingle set has no band keys', () => {
  assert.deepEqual(bandKeys(minHashSignature([], scheme), scheme), []);
});
