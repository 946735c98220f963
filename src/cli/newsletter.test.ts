// `newsdesk newsletter build` as a user runs it on the demo: a day with news builds its issue; a day
// without (today, for the demo's old archive) exits non-zero, says why, and leaves the archive as it was.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Store } from '../store/index.ts';
import { SiteStore } from '../store/site.ts';
import { NewsletterStore } from '../store/newsletter.ts';

const bin = resolve('bin/newsdesk.mjs');

it('newsletter build: an issue for a day with news; for a day without, a non-zero exit and no issue', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsdesk-newsletter-'));
  try {
    writeFileSync(join(dir, 'newsdesk.yaml'), 'store: ./store.sqlite\ndemo: true\n');
    const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    const ingest = run(['ingest']);
    assert.equal(ingest.status, 0, ingest.stderr);

    let store = await Store.open(join(dir, 'store.sqlite'));
    const newsDay = (await new SiteStore(store).archiveDays())[0]!.day;
    await store.close();
    const built = run(['newsletter', 'build', '--date', newsDay]);
    assert.equal(built.status, 0, built.stderr);
    assert.match(built.stdout, new RegExp(`built ".*\\(${newsDay}\\)"`));

    const issues = async () => {
      store = await Store.open(join(dir, 'store.sqlite'));
      try {
        return (await new NewsletterStore(store).listIssues({ page: 1, perPage: 100 })).items.map((i) => `${i.slug} ${i.html.length}`);
      } finally {
        await store.close();
      }
    };
    const before = await issues();
    assert.equal(before.length, 1);
    for (const args of [['newsletter', 'build'], ['newsletter', 'build', '--date', '2001-01-01'], ['newsletter', 'send', '--build', '--date', '2001-01-01']]) {
      const empty = run(args);
      assert.equal(empty.status, 1, `${args.join(' ')}: ${empty.stdout}`);
      assert.match(empty.stderr, /ND_NEWSLETTER_EMPTY: no stories were published on \d{4}-\d{2}-\d{2}, so no newsletter was built/, args.join(' '));
      assert.doesNotMatch(empty.stdout, /built/);
    }
    assert.deepEqual(await issues(), before, 'the archive is unchanged');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
