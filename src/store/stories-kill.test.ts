// A worker killed with -9 in the middle of a consolidation pass loses and duplicates nothing: the pass
// writes its result in one transaction, the lock it held goes with its connection (PostgreSQL) or its
// process (SQLite), and the next pass ends in the stories a pass without a kill makes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeEachStore, freshStore } from '../../test/helpers/stores.ts';
import { validateConfig } from '../config/load.ts';
import { openDesk } from '../jobs/desk.ts';
import { insertNewArticle } from '../jobs/ingest.ts';
import { consolidateStories, scoreArticle } from '../jobs/curate.ts';
import { prepareArticle } from '../curate/cluster/clusterer.ts';
import { StoreCandidateIndex } from './cluster-index.ts';
import { auditIngest } from './jobs.ts';
import { silentLogger } from '../log.ts';
import { seededUint32 } from '../random.ts';
import type { NewsRecord } from '../record.ts';
import type { Store } from './index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHILD = join(root, 'test', 'helpers', 'consolidate-child.ts');
const EVENTS = 150;
const REPORTS = 3;

/** Events with made-up names (so no two are alike), each told by three outlets in different words. */
function reports(): Array<{ gold: number; record: NewsRecord }> {
  const next = seededUint32(11);
  const syllables = ['ka', 'lo', 'mi', 'ren', 'tor', 'vel', 'sa', 'dun', 'pi', 'ros', 'tel', 'ba', 'nor', 'qui', 'zan', 'fe', 'gu'];
  const word = () => Array.from({ length: 3 }, () => syllables[next() % syllables.length]).join('');
  const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);
  const out: Array<{ gold: number; record: NewsRecord }> = [];
  for (let e = 0; e < EVENTS; e++) {
    const [company, city, product] = [cap(word()), cap(word()), word()];
    const amount = 10 + (next() % 90);
    const day = 1 + (e % 25);
    const lines = [
      [`${company} raises $${amount} million for ${product} machines`, `${company}, based in ${city}, raised $${amount} million to build ${product} machines, its founder said.`],
      [`${city} start-up ${company} gets $${amount} million`, `Investors put $${amount} million into ${company} of ${city}, which makes ${product} machines.`],
      [`${company} of ${city} lands $${amount} million round`, `The ${product} maker ${company} closed a $${amount} million round, the ${city} company said.`],
    ];
    lines.slice(0, REPORTS).forEach(([title, text], r) => {
      const url = `https://outlet${r}.example.com/${e}`;
      out.push({
        gold: e,
        record: {
          title: title!, excerpt: text!, publishedDateTime: `2026-03-${String(day).padStart(2, '0')}T${String(8 + r).padStart(2, '0')}:00:00Z`, updatedDateTime: null,
          originalUrl: url, webUrl: url, ampWebUrl: null, cdnAmpWebUrl: null, type: 'article', provider: { name: `Outlet ${r}`, domain: `outlet${r}.example.com` },
          topics: [], images: [], locale: 'en', authors: [], text: text!, html: null, extraction: { status: 'feed' },
        },
      });
    });
  }
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every report in a story of its own, as if each had been curated by a worker that saw none of the others. */
async function placeEveryReportApart(store: Store): Promise<void> {
  const desk = await openDesk(validateConfig({ demo: false, dataDir: mkdtempSync(join(tmpdir(), 'newsdesk-kill-')) }), { store, log: silentLogger });
  const index = new StoreCandidateIndex(store);
  for (const { record } of reports()) {
    const { id } = await insertNewArticle(desk, record, null);
    await scoreArticle(desk, (await store.getArticle(id))!);
    const prepared = await prepareArticle({ id: String(id), title: record.title, text: record.excerpt, publishedDateTime: record.publishedDateTime }, index);
    await index.add({ id: String(id), features: prepared.features, keys: prepared.keys, documentTerms: prepared.documentTerms, storyId: await index.createStory(String(id)) });
  }
}

/** Stories as sets of URLs, comparable across stores whatever the ids. */
async function partition(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom('articles').select(['web_url', 'story_id']).execute();
  const groups = new Map<number, string[]>();
  for (const row of rows) groups.set(Number(row.story_id), [...(groups.get(Number(row.story_id)) ?? []), row.web_url]);
  return [...groups.values()].map((g) => g.sort().join(' ')).sort();
}

describeEachStore('kill -9 of a worker during consolidation', (fixture, kind) => {
  test('loses nothing, duplicates nothing, and the next pass ends in the stories of an uninterrupted one', { timeout: 600_000 }, async () => {
    const { store, location, schema } = fixture();
    await placeEveryReportApart(store);
    const total = EVENTS * REPORTS;
    const env = { ...process.env, NEWSDESK_STORE: location, ...(schema ? { NEWSDESK_STORE_SCHEMA: schema } : {}) };
    let killedMidway = 0;
    for (const delay of [150, 600, 1200]) {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env, stdio: ['ignore', 'pipe', 'inherit'], cwd: root });
      let output = '';
      child.stdout!.on('data', (chunk) => (output += chunk));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      while (!output.includes('started') && child.exitCode === null) await sleep(10);
      await sleep(delay);
      if (!output.includes('done')) killedMidway++;
      child.kill('SIGKILL');
      await exited;
      const audit = await auditIngest(store);
      assert.equal(audit.articles, total, `after a kill ${delay} ms in: every article is still there, once`);
      assert.equal(audit.unclustered, 0, 'every article is in a story');
      assert.equal(audit.emptyStories, 0, 'no story is left empty');
      assert.equal(audit.wrongMemberCounts, 0, 'member counts match');
      const dangling = await store.db.selectFrom('articles as a').leftJoin('stories as s', 's.id', 'a.story_id').select('a.id').where('s.id', 'is', null).execute();
      assert.equal(dangling.length, 0, 'no article points at a story that is gone');
    }
    assert.ok(killedMidway >= 1, 'at least one kill landed while the pass ran');
    const desk = await openDesk(validateConfig({ demo: false, dataDir: mkdtempSync(join(tmpdir(), 'newsdesk-kill-')) }), { store, log: silentLogger });
    await consolidateStories(desk, { wait: true });
    const audit = await auditIngest(store);
    assert.equal(audit.indexedDocuments, total, 'every article counted once in the document frequencies');

    const reference = await freshStore(kind);
    try {
      await placeEveryReportApart(reference.store);
      const clean = await openDesk(validateConfig({ demo: false, dataDir: mkdtempSync(join(tmpdir(), 'newsdesk-kill-')) }), { store: reference.store, log: silentLogger });
      await consolidateStories(clean, { wait: true });
      const expected = await partition(reference.store);
      assert.ok(expected.length < total / 2, 'the uninterrupted pass joined most reports');
      assert.deepEqual(await partition(store), expected);
    } finally {
      await reference.dispose();
    }
  });
});
