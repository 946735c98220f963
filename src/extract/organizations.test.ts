import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrganizations, findOrganization } from './organizations.ts';
import { isNewsdeskError } from '../errors.ts';

test('the shipped table loads and knows the corpus publishers', () => {
  const table = loadOrganizations();
  assert.ok(table.size > 100);
  assert.equal(table.get('forbes.com')?.name, 'Forbes');
  assert.deepEqual(table.get('forbes.com')?.logos.map((l) => l.width), [50, 400]);
  assert.equal(findOrganization(table, 'www.forbes.com')?.name, 'Forbes');
  assert.equal(findOrganization(table, 'aws.amazon.com')?.name, 'AWS');
  assert.equal(findOrganization(table, 'unknown-publisher.example'), null);
});

test('a user table is validated and normalized', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nd-orgs-'));
  try {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'organizations:\n  - domain: WWW.Example.org\n    name: Example News\n    logos:\n      - {url: "https://example.org/l.png", width: 50, height: 50}\n');
    const table = loadOrganizations(good);
    assert.deepEqual(table.get('example.org'), {
      domain: 'example.org', name: 'Example News', logos: [{ url: 'https://example.org/l.png', width: 50, height: 50 }],
    });
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'organizations:\n  - domain: not a domain\n    name: X\n');
    assert.throws(() => loadOrganizations(bad), (err) => isNewsdeskError(err, 'ND_CONFIG_INVALID'));
    assert.equal(loadOrganizations(join(dir, 'missing.yaml')).size, 0);
    assert.equal(loadOrganizations(null).size, 0);
    writeFileSync(bad, 'organizations: [1, 2');
    assert.throws(() => loadOrganizations(bad), (err) => isNewsdeskError(err, 'ND_CONFIG_INVALID'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
