// Retention at a realistic size: a year and more of articles deleted in several short transactions,
// with what stays consistent (stories, topics, bands, the full-text index) and other work going on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachStore } from '../../test/helpers/stores.ts';
import { sampleRecord } from '../../test/helpers/records.ts';
import { fillSynthetic } from './synthetic.ts';
import { applyRetention } from './jobs.ts';
import { ReaderStore } from './readers.ts';

const count = async (store: { db: any }, query: ReturnType<typeof sql>) => Number(((await query.execute(store.db)).rows[0] as { n: number | string }).n);

describeEachStore('retention at scale', (fixture, kind) => {
  test('deletes old unpublished articles in several batches, keeps stories and indexes consistent, and lets other work in between', async () => {
    const { store } = fixture();
    const start = Date.parse('2024-01-01T00:00:00Z');
    // 20k articles an hour apart: 833 days, of which the first 433 are past the 400 days kept.
    // One article a story, as most stories of a desk are (a held-back story nobody else covered).
    const filled = await fillSynthetic(store, { count: 20_000, start, spacingSeconds: 3600, storySize: 1 });
    const now = new Date(start + 833 * 86_400_000);
    const cutoff = new Date(now.getTime() - 400 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    // Bands of the clustering index for every article, which must go with their articles.
    await sql.raw(`insert into story_bands (band_key, article_id, day) select 'b' || ${kind === 'postgres' ? '(id % 97)::text' : 'cast(id % 97 as text)'}, id, 0 from articles`).execute(store.db);
    // A story that retention would empty, starred by a reader: kept whole.
    const doomed = await sql<{ story_id: number }>`
      select s.id as story_id from stories s where not exists (select 1 from articles m where m.story_id = s.id and (m.published is null or m.published = 1 or m.created_at >= ${cutoff}))
      order by s.id limit 1`.execute(store.db);
    const starred = Number(doomed.rows[0]!.story_id);
    const readers = new ReaderStore(store);
    const reader = await readers.createReader({ name: 'keeper', role: 'reader', passwordHash: 'x' });
    await readers.setStarred(reader, [starred], true);
    // Stories whose old lead goes but which keep a newer member: their lead and count must follow.
    const joined = await sql<{ id: number; story_id: number }>`
      select a.id, a.story_id from articles a where a.published = 0 and a.created_at < ${cutoff} and a.story_id <> ${starred}
      order by a.id limit 5`.execute(store.db);
    for (const [k, row] of joined.rows.entries()) {
      const { id } = await store.insertArticle(sampleRecord(800_000 + k), { sourceId: null, pathKey: `retention-joined-${k}` });
      await store.setScores(id, { quality: 10, published: false }, 'test');
      await store.assignStory(id, Number(row.story_id));
      await sql`update stories set member_count = 2 where id = ${Number(row.story_id)}`.execute(store.db);
    }
    const published = await count(store, sql`select count(*) as n from articles where published = 1`);
    const eligible = await count(
      store,
      sql`select count(*) as n from articles a where a.published = 0 and a.created_at < ${cutoff}
        and not exists (select 1 from articles m where m.story_id = a.story_id and m.published = 1)
        and not exists (select 1 from reader_items r where r.story_id = a.story_id and r.is_starred = 1)`,
    );
    assert.ok(eligible > 2000, `enough to delete: ${eligible}`);

    // Reads and writes run alongside; each notes how many batches had committed when it finished.
    let batchesDone = 0;
    let running = true;
    const finishedAfter: number[] = [];
    let n = 0;
    const other = (async () => {
      while (running) {
        const page = await store.listStream({ page: 1, perPage: 30 });
        assert.equal(page.items.length, 30);
        await store.insertArticle(sampleRecord(900_000 + n++), { sourceId: null, pathKey: `retention-concurrent-${n}` });
        finishedAfter.push(batchesDone);
        // As requests arrive from the network: between them the event loop turns. (SQLite answers
        // without I/O, so a loop of awaits alone would keep every timer from firing.)
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const result = await applyRetention(store, { unpublishedDays: 400, fetchLogDays: 14, failedJobDays: 7 }, now, {
      batch: 500,
      afterBatch: async ({ batch }) => {
        batchesDone = batch;
        // Give the other work a moment to be between batches, as a busy server would be.
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    });
    running = false;
    await other;

    assert.equal(result.articles, eligible, 'every eligible article, and only those');
    assert.ok(result.batches >= Math.ceil(eligible / 500), `batches of at most 500: ${result.batches} for ${eligible}`);
    const between = new Set(finishedAfter.filter((b) => b >= 1 && b < result.batches));
    assert.ok(between.size >= 2, `reads and writes finished between batches (after batches ${[...between].join(', ')} of ${result.batches})`);
    assert.equal(
      await count(store, sql`select count(*) as n from articles a where a.published = 0 and a.created_at < ${cutoff} and a.id <= ${filled.lastId}
        and not exists (select 1 from articles m where m.story_id = a.story_id and m.published = 1)
        and not exists (select 1 from reader_items r where r.story_id = a.story_id and r.is_starred = 1)`),
      0,
      'nothing eligible is left',
    );
    assert.equal(await count(store, sql`select count(*) as n from articles where published = 1`), published, 'every published article stays');
    assert.ok(await count(store, sql`select count(*) as n from articles where story_id = ${starred}`) > 0, 'the starred story keeps its articles');
    // Stories: none empty, every count right, every lead a member.
    assert.equal(await count(store, sql`select count(*) as n from stories s where not exists (select 1 from articles a where a.story_id = s.id)`), 0, 'no empty story');
    assert.equal(await count(store, sql`select count(*) as n from stories s where s.member_count <> (select count(*) from articles a where a.story_id = s.id)`), 0, 'member counts');
    assert.equal(
      await count(store, sql`select count(*) as n from stories s where s.lead_article_id is not null and not exists (select 1 from articles a where a.id = s.lead_article_id and a.story_id = s.id)`),
      0,
      'leads are members',
    );
    assert.ok(result.stories > 0);
    for (const row of joined.rows) {
      const story = await store.getStory(Number(row.story_id));
      assert.ok(story, 'a story with a newer member stays');
      assert.equal(story.memberCount, 1);
      assert.notEqual(story.leadArticleId, Number(row.id), 'its deleted lead is replaced');
      assert.equal(await store.getArticle(Number(row.id)), null);
    }
    // What hangs off an article went with it.
    assert.equal(await count(store, sql`select count(*) as n from article_topics t where not exists (select 1 from articles a where a.id = t.article_id)`), 0, 'topics');
    assert.equal(await count(store, sql`select count(*) as n from story_bands b where not exists (select 1 from articles a where a.id = b.article_id)`), 0, 'bands');
    if (kind === 'sqlite') {
      await sql`insert into site_articles_fts(site_articles_fts, rank) values ('integrity-check', 1)`.execute(store.db);
    } else {
      assert.equal(await count(store, sql`select count(*) as n from site_article_search`), await count(store, sql`select count(*) as n from articles`), 'full-text rows');
    }
    // A second run finds nothing more.
    const again = await applyRetention(store, { unpublishedDays: 400, fetchLogDays: 14, failedJobDays: 7 }, now, { batch: 500 });
    assert.equal(again.articles, 0);
  });
});
