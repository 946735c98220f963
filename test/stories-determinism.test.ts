// The same input gives the same stories whatever the job timing: the whole offline demo ingested
// straight through, one source after another, and again through the job queue with several jobs at
// once (articles curated in whatever order the jobs finish), end in the same stories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../src/store/index.ts';
import { demoDesk } from '../src/jobs/testing.ts';
import { runDueSources } from '../src/jobs/ingest.ts';
import { InProcessRunner } from '../src/jobs/runner-inprocess.ts';
import { schedulerTick } from '../src/jobs/scheduler.ts';
import { auditIngest } from '../src/store/jobs.ts';

async function partition(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom('articles').select(['web_url', 'story_id']).execute();
  const groups = new Map<number, string[]>();
  for (const row of rows) groups.set(Number(row.story_id), [...(groups.get(Number(row.story_id)) ?? []), row.web_url]);
  return [...groups.values()].map((g) => g.sort().join(' ')).sort();
}

test('the demo ingested straight through and through the job queue ends in the same stories', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsdesk-determinism-'));
  const straight = await Store.open(join(dir, 'a.sqlite'));
  const queued = await Store.open(join(dir, 'b.sqlite'));
  try {
    await runDueSources(await demoDesk(straight));

    const desk = await demoDesk(queued);
    const runner = new InProcessRunner(desk, { concurrency: 4 });
    const tick = await schedulerTick(desk, runner.enqueue, { intervalMs: 60_000, holder: runner.workerId });
    assert.ok(tick.queued > 100, 'every demo source queued');
    await runner.runUntilIdle();

    const audit = await auditIngest(queued);
    assert.equal(audit.unclustered, 0);
    assert.equal(audit.wrongMemberCounts, 0);
    const expected = await partition(straight);
    assert.ok(expected.length < audit.articles, 'the demo has stories of several articles');
    assert.deepEqual(await partition(queued), expected);
  } finally {
    await straight.close();
    await queued.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
