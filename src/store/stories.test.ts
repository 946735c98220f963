// Stories that heal, on both stores: a consolidation pass joins stories that curation opened apart
// (the older keeps its id, the younger redirects, the merge is in the history, heat and gate follow),
// never undoes an editor's merge, split, pin or hold, and retention takes deleted articles out of the
// document frequencies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachStore } from '../../test/helpers/stores.ts';
import { validateConfig } from '../config/load.ts';
import { openDesk, type Desk } from '../jobs/desk.ts';
import { insertNewArticle } from '../jobs/ingest.ts';
import { consolidateStories, curateArticle, scoreArticle } from '../jobs/curate.ts';
import { prepareArticle } from '../curate/cluster/clusterer.ts';
import { StoreCandidateIndex } from './cluster-index.ts';
import { resolveStory, storyEvents, StoreStories } from './stories.ts';
import { applyRetention } from './jobs.ts';
import { mergeStories, splitStory, decideStory } from '../publish/desk/actions.ts';
import { silentLogger } from '../log.ts';
import type { Store } from './index.ts';
import type { NewsRecord } from '../record.ts';

interface Fixture {
  id: string;
  gold: string;
  publishedDateTime: string;
  title: string;
  text: string;
}
const fixtures: Fixture[] = readFileSync(join(import.meta.dirname, '..', 'curate', 'cluster', 'testdata', 'stories.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));

function recordOf(f: Fixture, n: number): NewsRecord {
  const url = `https://outlet${n}.example.com/${f.id}`;
  return {
    title: f.title, excerpt: f.text.slice(0, 200), publishedDateTime: f.publishedDateTime, updatedDateTime: null,
    originalUrl: url, webUrl: url, ampWebUrl: null, cdnAmpWebUrl: null, type: 'article',
    provider: { name: `Outlet ${n}`, domain: `outlet${n}.example.com` }, topics: [], images: [], locale: 'en', authors: [],
    text: f.text, html: null, extraction: { status: 'feed' },
  };
}

async function deskOn(store: Store): Promise<Desk> {
  return openDesk(validateConfig({ demo: false, dataDir: mkdtempSync(join(tmpdir(), 'newsdesk-stories-')), thresholds: { publish: 10 } }), { store, log: silentLogger });
}

/**
 * Stores the article and gives it a story of its own, as two workers that did not see each other's
 * articles would: topics and quality as curation gives them, the features and keys of the clusterer.
 */
async function placeApart(desk: Desk, f: Fixture, n: number): Promise<{ id: number; storyId: number }> {
  const { id } = await insertNewArticle(desk, recordOf(f, n), null);
  await scoreArticle(desk, (await desk.store.getArticle(id))!);
  const index = new StoreCandidateIndex(desk.store);
  const prepared = await prepareArticle({ id: String(id), title: f.title, text: f.text, publishedDateTime: f.publishedDateTime }, index);
  const storyId = await index.add({ id: String(id), features: prepared.features, keys: prepared.keys, documentTerms: prepared.documentTerms, storyId: await index.createStory(String(id)) });
  return { id, storyId: Number(storyId) };
}

async function storyOf(store: Store, articleId: number): Promise<number> {
  return (await store.getArticle(articleId))!.storyId!;
}

describeEachStore('consolidation on the store', (fixture) => {
  test('stories opened apart come together: the older id stays, the younger redirects, the merge is in the history, heat follows', async () => {
    const desk = await deskOn(fixture().store);
    const acme = fixtures.filter((f) => f.gold === 'acme');
    const placed = [];
    for (const [i, f] of acme.entries()) placed.push(await placeApart(desk, f, i));
    const other = await placeApart(desk, fixtures.find((f) => f.gold === 'hilda')!, 9);
    assert.equal(new Set(placed.map((p) => p.storyId)).size, 3, 'three stories to begin with');

    const run = await consolidateStories(desk, { wait: true });
    assert.equal(run.ran, true);
    const oldest = Math.min(...placed.map((p) => p.storyId));
    for (const p of placed) assert.equal(await storyOf(desk.store, p.id), oldest);
    assert.notEqual(await storyOf(desk.store, other.id), oldest);
    for (const p of placed.filter((p) => p.storyId !== oldest)) {
      assert.equal(await desk.store.getStory(p.storyId), null, 'the younger story is gone');
      assert.equal(await resolveStory(desk.store, p.storyId), oldest, 'and redirects to the one that holds it');
    }
    const events = await storyEvents(desk.store, oldest);
    assert.equal(events.filter((e) => e.kind === 'merged' && e.actor === null).length, 2);
    // Heat and the gate follow the new story: the lead gets 10 per related article, the others -1.
    const members = await desk.store.storyMembers(oldest);
    const heats = members.map((m) => m.heat).sort((a, b) => a! - b!);
    assert.deepEqual(heats.slice(0, 2), [-1, -1]);
    const lead = members.find((m) => m.heat !== -1)!;
    assert.equal(lead.heat, lead.quality! + 20);
    assert.equal((await desk.store.getStory(oldest))!.memberCount, 3);
    // Nothing waits any more, and another pass changes nothing.
    const again = await consolidateStories(desk, { wait: true });
    assert.equal(again.passes.length, 0);
  });

  test("an editor's split is never joined again, a merge by hand is not undone, a pinned story keeps its members", async () => {
    const desk = await deskOn(fixture().store);
    const ids: number[] = [];
    for (const [i, f] of fixtures.filter((f) => f.gold === 'acme' || f.gold === 'bright').entries()) {
      const { id } = await insertNewArticle(desk, recordOf(f, i), null);
      await curateArticle(desk, id);
      ids.push(id);
    }
    await consolidateStories(desk, { wait: true });
    // In file order: a1, a2 (Acme), c1, c2 (Brightline), a3 (Acme).
    const [a1, a2, c1, c2, a3] = ids as [number, number, number, number, number];
    const acmeStory = await storyOf(desk.store, a1);
    assert.equal(await storyOf(desk.store, a3), acmeStory);
    // Split a3 off the Acme story: consolidation must leave it apart although it is the same event.
    const splitOff = await splitStory(desk, 'ed', acmeStory, [a3]);
    // Merge the two Brightline reports into the Acme story by hand: they stay, unlike as they are.
    await mergeStories(desk, 'ed', acmeStory, await storyOf(desk.store, c1));
    await decideStory(desk, 'ed', acmeStory, 'pin');
    const more = await insertNewArticle(desk, recordOf(fixtures.find((f) => f.id === 'a2')!, 7), null);
    await curateArticle(desk, more.id);
    await consolidateStories(desk, { wait: true });
    assert.ok((await new StoreStories(desk.store).dfVersion()) > 0);
    assert.equal(await storyOf(desk.store, a3), splitOff, 'the split-off article stays split off');
    assert.equal(await storyOf(desk.store, c1), acmeStory, 'the merge by hand holds');
    assert.equal(await storyOf(desk.store, c2), acmeStory);
    assert.equal(await storyOf(desk.store, a2), acmeStory);
    assert.notEqual(await storyOf(desk.store, more.id), splitOff, 'a new report of the event does not bridge the split');
    assert.equal((await desk.store.getStory(acmeStory))!.override, 'pin');
    const kinds = (await storyEvents(desk.store, acmeStory)).filter((e) => e.actor === 'ed').map((e) => e.kind);
    assert.deepEqual(kinds, ['split', 'merged', 'editor']);
  });

  test('retention takes deleted articles out of the document frequencies', async () => {
    const { store } = fixture();
    const desk = await deskOn(store);
    const index = new StoreCandidateIndex(store);
    const f = fixtures.find((x) => x.id === 'd1')!;
    const { id } = await placeApart(desk, f, 3);
    await consolidateStories(desk, { wait: true });
    const features = JSON.parse((await store.db.selectFrom('articles').select('cluster_features').where('id', '=', id).executeTakeFirstOrThrow()).cluster_features!);
    const term = features.terms[0][0] as string;
    const [before] = await index.documentFrequencies([term]);
    const count = await index.documentCount();
    assert.ok(before! >= 1);
    await store.setScores(id, { quality: 5, published: false }, 'test');
    await store.db.updateTable('articles').set({ created_at: '2000-01-01T00:00:00Z' }).where('id', '=', id).execute();
    const removed = await applyRetention(store, { unpublishedDays: 30, fetchLogDays: 30, failedJobDays: 30 });
    assert.equal(removed.articles, 1);
    const [after] = await index.documentFrequencies([term]);
    assert.equal(after, before! - 1);
    assert.equal(await index.documentCount(), count - 1);
  });
});
