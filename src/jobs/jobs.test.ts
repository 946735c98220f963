// Jobs across processes: same-story articles curated by concurrent workers end in the stories a
// one-by-one run makes; a worker killed with -9 in the middle of a demo ingest loses and duplicates
// nothing; a job held by a dead process is taken again at start-up; one scheduler tick at a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describeEachStore, freshStore, postgresUnavailable, POSTGRES_URL } from '../../test/helpers/stores.ts';
import { Store } from '../store/index.ts';
import { demoDesk, expectedUrls, auditIngest } from './testing.ts';
import { InProcessRunner } from './runner-inprocess.ts';
import { processHolderId } from './leases.ts';
import { JOB_KINDS, jobKeys, jobHandlers } from './kinds.ts';
import { curateArticle, CONSOLIDATION_MAX_WAIT_MS } from './curate.ts';
import { pendingConsolidation } from '../store/stories.ts';
import { claimJob, enqueueJob, queueCounts } from '../store/jobs.ts';
import { schedulerTick } from './scheduler.ts';
import { insertNewArticle } from './ingest.ts';
import type { NewsRecord } from '../record.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(root, 'bin', 'newsdesk.mjs');

interface StoryFixture {
  id: string;
  gold: string;
  publishedDateTime: string;
  title: string;
  text: string;
}
const stories: StoryFixture[] = readFileSync(join(root, 'src/curate/cluster/testdata/stories.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as StoryFixture);

function recordOf(s: StoryFixture): NewsRecord {
  const url = `https://news.example.com/${s.id}`;
  return {
    title: s.title, excerpt: s.text.slice(0, 200), publishedDateTime: s.publishedDateTime, updatedDateTime: null,
    originalUrl: url, webUrl: url, ampWebUrl: null, cdnAmpWebUrl: null, type: 'article',
    provider: { name: 'Example News', domain: 'example.com' }, topics: [], images: [], locale: 'en', authors: [],
    text: s.text, html: null, extraction: { status: 'feed' },
  };
}

/** Stories as sets of fixture ids, in a canonical order, so two runs compare by grouping only. */
async function partition(store: Store): Promise<string[][]> {
  const rows = await store.db.selectFrom('articles').select(['web_url', 'story_id']).execute();
  const groups = new Map<number, string[]>();
  for (const row of rows) {
    const id = row.web_url.split('/').pop()!;
    groups.set(Number(row.story_id), [...(groups.get(Number(row.story_id)) ?? []), id]);
  }
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

// Ask PostgreSQL before anything busies the event loop: a probe timed out by a blocked loop would skip the PostgreSQL half.
await postgresUnavailable();

const reopen = (store: Store) => Store.open(store.location, store.schema ? { schema: store.schema } : {});

describeEachStore('jobs across workers', (fixture, kind) => {
  test('same-story articles curated by concurrent workers end in the stories of a one-by-one run', async () => {
    // One by one, in publication order.
    const sequential = await demoDesk(fixture().store, 0);
    const ids: number[] = [];
    for (const s of stories) ids.push((await insertNewArticle(sequential, recordOf(s), null)).id);
    const oneByOne = new InProcessRunner(sequential, { concurrency: 1 });
    for (const id of ids) await oneByOne.enqueue(JOB_KINDS.curateArticle, { articleId: id }, { key: jobKeys.curateArticle(id) });
    await oneByOne.runUntilIdle();
    const expected = await partition(fixture().store);
    assert.ok(expected.length < stories.length, 'the fixture has stories of several articles');

    // Concurrently: two workers, each with its own connections and several loops, taking jobs in any order.
    const concurrent = await freshStore(kind);
    const second = await reopen(concurrent.store);
    try {
      const deskA = await demoDesk(concurrent.store, 0);
      const deskB = await demoDesk(second, 0);
      const articleIds: number[] = [];
      for (const s of stories) articleIds.push((await insertNewArticle(deskA, recordOf(s), null)).id);
      const runnerA = new InProcessRunner(deskA, { concurrency: 3 });
      const runnerB = new InProcessRunner(deskB, { concurrency: 3 });
      for (const id of articleIds) await runnerA.enqueue(JOB_KINDS.curateArticle, { articleId: id }, { key: jobKeys.curateArticle(id) });
      await Promise.all([runnerA.runUntilIdle(), runnerB.runUntilIdle()]);
      assert.deepEqual(await partition(concurrent.store), expected);
      const audit = await auditIngest(concurrent.store);
      assert.equal(audit.unclustered, 0);
      assert.equal(audit.emptyStories, 0);
      assert.equal(audit.indexedDocuments, stories.length);
    } finally {
      await second.close();
      await concurrent.dispose();
    }
  });

  test('one scheduler tick at a time: a second process is refused while the first holds the tick, and a source is queued once', async () => {
    const { store } = fixture();
    const deskA = await demoDesk(store, 3);
    const other = await reopen(store);
    try {
      const deskB = await demoDesk(other, 3);
      const queued: string[] = [];
      const enqueue = async (_kind: string, _payload: unknown, options?: { key?: string }) => void queued.push(options?.key ?? '');
      const [a, b] = await Promise.all([
        schedulerTick(deskA, enqueue, { intervalMs: 60_000, holder: 'process-a' }),
        schedulerTick(deskB, enqueue, { intervalMs: 60_000, holder: 'process-b' }),
      ]);
      assert.equal([a.ran, b.ran].filter(Boolean).length, 1, 'exactly one tick ran');
      const fetches = queued.filter((k) => k.startsWith('fetch-source:'));
      assert.equal(fetches.length, 3);
      // The holder ticks again; the sources it queued are not due again until their fetch reschedules them.
      const holder = a.ran ? deskA : deskB;
      const again = await schedulerTick(holder, enqueue, { intervalMs: 60_000, holder: a.ran ? 'process-a' : 'process-b' });
      assert.equal(again.ran, true);
      assert.equal(again.queued, 0);
    } finally {
      await other.close();
    }
  });
});

describeEachStore('scheduler lease', (fixture) => {
  test('a tick lease held by a process of this machine that died is taken at once; a live holder keeps it', async () => {
    const desk = await demoDesk(fixture().store, 1);
    const dead = spawn(process.execPath, ['-e', '0']);
    await exited(dead);
    const enqueue = async () => {};
    assert.equal((await schedulerTick(desk, enqueue, { intervalMs: 60_000, holder: `${hostname()}:${dead.pid}:abc` })).ran, true, 'the process that is now dead held the tick');
    assert.equal((await schedulerTick(desk, enqueue, { intervalMs: 60_000, holder: processHolderId() })).ran, true, 'taken without waiting for the lease to expire');
    const other = await schedulerTick(desk, enqueue, { intervalMs: 60_000, holder: `${hostname()}:${process.ppid}:def` });
    assert.equal(other.ran, false, 'a live holder (this process) keeps the tick');
  });
});

describeEachStore('in-process runner', (fixture, kind) => {
  test('a job held by a process of this machine that died is taken again when a runner starts', { skip: kind === 'postgres' ? 'the same code path; the SQLite half covers it' : false }, async () => {
    const { store } = fixture();
    const desk = await demoDesk(store, 0);
    const dead = spawn(process.execPath, ['-e', '0']);
    await exited(dead);
    const deadHolder = `${hostname()}:${dead.pid}:abc`;
    const { id } = await insertNewArticle(desk, recordOf(stories[0]!), null);
    await enqueueJob(store, JOB_KINDS.curateArticle, { articleId: id });
    assert.ok(await claimJob(store, deadHolder, { lockMs: 3_600_000 }));
    const runner = new InProcessRunner(desk, { concurrency: 1 });
    await runner.runUntilIdle();
    assert.equal((await queueCounts(store)).pending, 0);
    assert.notEqual((await store.getArticle(id))?.storyId, null);
  });
});

// ---- kill -9 of a real worker process during a demo ingest --------------------------------------

// Enough feeds for a few dozen articles: the kill lands mid-ingest, and the test stays short on a busy machine.
const DEMO_SOURCES_IN_KILL_TEST = 12;

function startWorker(env: Record<string, string>, args: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [BIN, 'worker', '--concurrency', '3', '--tick', '2', ...args], {
    cwd: mkdtempSync(join(tmpdir(), 'newsdesk-worker-')),
    env: { ...process.env, NEWSDESK_LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (chunk) => process.stderr.write(`# worker ${child.pid}: ${chunk}`));
  child.stdout!.resume();
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, explain?: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${explain ? `: ${await explain()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

describeEachStore('kill -9 of a worker during a demo ingest', (fixture, kind) => {
  test('loses nothing and duplicates nothing', async () => {
    const { store, location, schema } = fixture();
    const desk = await demoDesk(store, DEMO_SOURCES_IN_KILL_TEST);
    const expected = await expectedUrls(desk);
    const env: Record<string, string> = { NEWSDESK_STORE: location, NEWSDESK_DATA: mkdtempSync(join(tmpdir(), 'newsdesk-data-')), ...(schema ? { NEWSDESK_STORE_SCHEMA: schema } : {}) };
    const articles = async () => (await store.counts()).articles;
    const workers: ChildProcess[] = [];
    try {
      if (kind === 'postgres') {
        // Two workers share the queue through graphile-worker; one is killed, the other finishes,
        // freeing the dead worker's locked jobs once its heartbeat lapses.
        const victim = startWorker(env, ['--heartbeat', '2']);
        const survivor = startWorker(env, ['--heartbeat', '2']);
        workers.push(victim, survivor);
        await waitFor('a third of the articles', async () => (await articles()) >= expected.size / 3, 120_000);
        victim.kill('SIGKILL');
        await exited(victim);
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        try {
          await waitFor(
            'the survivor to finish the queue',
            async () => {
              // Work left: jobs with attempts left. A job graphile-worker replaced while the victim ran it
              // (queued again under its key) keeps no attempts and stays behind; its replacement does the work.
              const pending = await client.query(`select count(*)::int as n from "${schema}_jobs".jobs where attempts < max_attempts`);
              return pending.rows[0].n === 0 && (await articles()) >= expected.size;
            },
            120_000,
            async () => {
              const jobs = await client.query(`select task_identifier, attempts, locked_by, run_at, last_error from "${schema}_jobs".jobs limit 5`);
              return `${await articles()} of ${expected.size} articles; jobs left: ${JSON.stringify(jobs.rows)}`;
            },
          );
        } finally {
          await client.end();
        }
      } else {
        // SQLite runs one worker per machine: kill it, start it again, and it picks up where it died.
        const victim = startWorker(env);
        workers.push(victim);
        await waitFor('a third of the articles', async () => (await articles()) >= expected.size / 3, 120_000);
        victim.kill('SIGKILL');
        await exited(victim);
        const restarted = startWorker(env, ['--until-idle']);
        workers.push(restarted);
        assert.equal(await exited(restarted), 0);
        assert.equal((await queueCounts(store)).pending, 0);
      }
      const audit = await auditIngest(store);
      assert.deepEqual([...audit.urls].sort(), [...expected].sort(), 'every article of the feeds, once');
      assert.equal(audit.unclustered, 0, 'every article curated');
      assert.equal(audit.emptyStories, 0, 'no story left behind by a killed curation');
      assert.equal(audit.wrongMemberCounts, 0);
      assert.equal(audit.indexedDocuments, audit.articles, 'no article indexed twice');
    } finally {
      for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
      await Promise.all(workers.map(exited));
      if (schema) {
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        await client.query(`drop schema if exists "${schema}_jobs" cascade`);
        await client.end();
      }
    }
  });
});

describeEachStore('consolidation while a burst arrives', (fixture) => {
  test('waits for a full batch or for its oldest article to have waited; runs at once when nothing arrives', async () => {
    const { store } = fixture();
    const desk = await demoDesk(store, 0);
    const handler = jobHandlers().get(JOB_KINDS.consolidateStories)!;
    for (const s of stories.slice(0, 6)) {
      const { id } = await insertNewArticle(desk, recordOf(s), null);
      assert.equal(await curateArticle(desk, id), true);
    }
    const queuedAgain: string[] = [];
    const context = (arriving: number) => ({
      desk, log: desk.log, attempt: 1,
      enqueue: async (kind: string) => void queuedAgain.push(kind),
      queued: async () => arriving,
    });
    await handler({}, context(3));
    assert.equal((await pendingConsolidation(store)).count, 6, 'no pass while articles arrive and the batch is small');
    assert.deepEqual(queuedAgain, [JOB_KINDS.consolidateStories], 'the pass is queued again for later');

    const realNow = desk.now;
    desk.now = () => new Date(Date.now() + CONSOLIDATION_MAX_WAIT_MS + 1000);
    try {
      await handler({}, context(3));
    } finally {
      desk.now = realNow;
    }
    assert.equal((await pendingConsolidation(store)).count, 0, 'the oldest article waited long enough: the pass ran');

    const { id } = await insertNewArticle(desk, recordOf(stories[6]!), null);
    await curateArticle(desk, id);
    await handler({}, context(0));
    assert.equal((await pendingConsolidation(store)).count, 0, 'nothing arriving: the pass runs at once');
  });
});
