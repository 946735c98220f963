// Curation over the demo: stories, heat recomputed as stories change, and editor overrides that
// survive every recomputation, with the history kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../src/config/load.ts';
import { openDesk, type Desk } from '../src/jobs/desk.ts';
import { seedSources } from '../src/cli/context.ts';
import { runDueSources } from '../src/jobs/ingest.ts';
import { rescoreStory, rescoreAll } from '../src/jobs/curate.ts';
import { silentLogger } from '../src/log.ts';

let desk: Desk;
before(async () => {
  desk = await openDesk(validateConfig({ dataDir: mkdtempSync(join(tmpdir(), 'newsdesk-curation-')), topics: { classifier: 'keywords' } }), { log: silentLogger });
  await seedSources(desk);
  await runDueSources(desk);
});
after(() => desk.close());

async function storyOf(predicate: (members: Awaited<ReturnType<Desk['store']['storyMembers']>>) => boolean) {
  for (const id of await desk.store.storyIds()) {
    const members = await desk.store.storyMembers(id);
    if (predicate(members)) return { id, members };
  }
  throw new Error('no such story in the demo');
}

test('multi-member stories follow the reference heat rule', async () => {
  const { members } = await storyOf((m) => m.length >= 2 && m.every((a) => a.quality !== null));
  const leads = members.filter((m) => m.heat !== -1);
  assert.equal(leads.length, 1);
  const lead = leads[0]!;
  assert.equal(lead.heat, lead.quality! + 10 * (members.length - 1));
  assert.ok(members.every((m) => m.quality! <= lead.quality!));
});

test('a pin publishes a cold story and a block unpublishes a hot one; both survive rescoring', async () => {
  const threshold = desk.config.thresholds.publish;
  const cold = await storyOf((m) => m.length === 1 && m[0]!.heat !== null && m[0]!.heat < threshold);
  const hot = await storyOf((m) => m.some((a) => a.published === true));
  await desk.store.setStoryOverride(cold.id, 'pin');
  await desk.store.setStoryOverride(hot.id, 'block');
  await rescoreStory(desk, cold.id);
  await rescoreStory(desk, hot.id);
  const check = async () => {
    assert.equal((await desk.store.storyMembers(cold.id))[0]!.published, true);
    assert.ok((await desk.store.storyMembers(hot.id)).every((a) => a.published === false));
  };
  await check();
  await rescoreAll(desk);
  await check();
  const history = await desk.store.history(cold.members[0]!.id);
  assert.ok(history.some((h) => h.field === 'published' && h.newValue === 'true' && /pinned by an editor/.test(h.reason)), 'the history says why');
  // Lifting the pin restores the machine's decision.
  await desk.store.setStoryOverride(cold.id, null);
  await rescoreStory(desk, cold.id);
  assert.equal((await desk.store.storyMembers(cold.id))[0]!.published, false);
});

test('when a story grows, its heat is recomputed', async () => {
  const a = await storyOf((m) => m.length === 1 && m[0]!.quality !== null);
  const b = await storyOf((m) => m.length === 1 && m[0]!.quality !== null && m[0]!.id !== a.members[0]!.id);
  await desk.store.mergeStories(a.id, b.id);
  await rescoreStory(desk, a.id);
  const members = await desk.store.storyMembers(a.id);
  const heats = members.map((m) => m.heat).sort((x, y) => x! - y!);
  const top = Math.max(...members.map((m) => m.quality!));
  assert.deepEqual(heats, [-1, top + 10]);
});
