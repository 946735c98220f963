// SQL for stories that heal: the consolidation pass's reads and its one write (ConsolidationSource),
// the document frequencies counted from stored features in batches, story redirects, the stories'
// history, editors' locks and the pairs of stories an editor split apart. Every query runs unchanged
// on SQLite and PostgreSQL.
import { sql, type Transaction } from 'kysely';
import type { Store } from './index.ts';
import type { Database } from './tables.ts';
import type { ClusterFeatures } from '../curate/types.ts';
import type { ConsolidationSource, Region } from '../curate/cluster/consolidate.ts';
import type { RegionArticle, RegionStory, RegroupPlan, StoryRef } from '../curate/cluster/regroup.ts';
import { documentTerms } from '../curate/cluster/features.ts';
import { DOCUMENT_COUNT, StoreCandidateIndex } from './cluster-index.ts';
import { pointStoryAt } from './story-redirects.ts';
import { chunks, nowIso } from './values.ts';

/**
 * Articles not consolidated yet in the given state, found through the partial index of such articles
 * (articles_story_pending): its condition `story_state < 2` is stated too, as SQLite does not infer it
 * from `= 1` and walked every article by date instead (seconds at a million).
 */
const storyStateIs = (state: 0 | 1) => sql<boolean>`story_state < 2 and story_state = ${state}`;

const DF_BATCH = 2000;
/** Articles stored this recently and not yet clustered are taken to be on their way (their curation is queued). */
const IN_FLIGHT_MS = 10 * 60_000;
export const DF_VERSION = 'cluster_df_version';


/** Days since the epoch, the time unit of lookup postings. */
export function epochDay(time: number | null): number | null {
  return time === null ? null : Math.floor(time / 86_400_000);
}

export interface StoryEvent {
  storyId: number;
  at: string;
  kind: string;
  detail: string;
  articleIds: number[];
  actor: string | null;
}

export class StoreStories implements ConsolidationSource {
  private readonly index: StoreCandidateIndex;

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
    /** Whether more articles are on their way (queued work): settling waits until they are not. */
    private readonly arriving: () => Promise<boolean> = async () => false,
  ) {
    this.index = new StoreCandidateIndex(store);
  }

  private get db() {
    return this.store.db;
  }

  documentCount(): Promise<number> {
    return this.index.documentCount();
  }

  documentFrequencies(terms: readonly string[]): Promise<number[]> {
    return this.index.documentFrequencies(terms);
  }

  async dfVersion(): Promise<number> {
    const row = await this.db.selectFrom('counters').select('value').where('name', '=', DF_VERSION).executeTakeFirst();
    return row ? Number(row.value) : 0;
  }

  /**
   * Counts the stored terms of articles not counted yet, a batch per transaction (the batch and its
   * marks commit together, so a kill never counts an article twice or loses one), and returns the
   * counts' version. Runs inside the consolidation pass, which one process runs at a time.
   */
  async refreshDocumentFrequencies(): Promise<number> {
    for (;;) {
      const rows = await this.db.selectFrom('articles').select(['id', 'cluster_features']).where('df_counted', '=', 0).where('cluster_features', 'is not', null).orderBy('id').limit(DF_BATCH).execute();
      if (rows.length === 0) break;
      const counts = new Map<string, number>();
      for (const row of rows) for (const t of documentTerms(JSON.parse(row.cluster_features!) as ClusterFeatures)) counts.set(t, (counts.get(t) ?? 0) + 1);
      await this.store.transaction(async (trx) => {
        const ids = rows.map((r) => Number(r.id));
        let marked = 0;
        for (const part of chunks(ids)) {
          const result = await trx.updateTable('articles').set({ df_counted: 1 }).where('id', 'in', part).where('df_counted', '=', 0).executeTakeFirst();
          marked += Number(result.numUpdatedRows);
        }
        // Another pass cannot run meanwhile; should one have, nothing is counted twice.
        if (marked !== ids.length) throw new Error(`document frequencies: ${ids.length - marked} articles were counted meanwhile`);
        await addTermCounts(trx, counts, 1);
        await bumpCounter(trx, DOCUMENT_COUNT, rows.length);
        await bumpCounter(trx, DF_VERSION, 1);
      });
      if (rows.length < DF_BATCH) break;
    }
    return this.dfVersion();
  }

  async seeds(limit: number, version: number, recentSince: Date): Promise<string[]> {
    const pending = await this.db.selectFrom('articles').select('id').where(storyStateIs(1)).orderBy('published_at').orderBy('id').limit(limit).execute();
    if (pending.length > 0) return pending.map((r) => String(r.id));
    // Settling: once nothing waits, the recent articles are grouped again under the counts as they
    // are now, so the stories of a burst do not depend on when each pass ran. Not while articles are
    // still on their way to their first story.
    const inFlight = await this.db
      .selectFrom('articles')
      .select('id')
      .where(storyStateIs(0))
      .where('created_at', '>=', new Date(this.clock().getTime() - IN_FLIGHT_MS).toISOString().replace(/\.\d{3}Z$/, 'Z'))
      .limit(1)
      .executeTakeFirst();
    if (inFlight || (await this.arriving())) return [];
    const recent = await this.db
      .selectFrom('articles')
      .select('id')
      .where('created_at', '>=', recentSince.toISOString().replace(/\.\d{3}Z$/, 'Z'))
      .where('story_state', '=', 2)
      .where((eb) => eb.or([eb('story_version', 'is', null), eb('story_version', '<>', version)]))
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return recent.map((r) => String(r.id));
  }

  async neighbours(seedIds: readonly string[], windowDays: number, perKey: number): Promise<string[]> {
    const found = new Set<string>();
    const ids = seedIds.map(Number);
    const seeds = new Map<number, { day: number | null; keys: string[] }>();
    for (const part of chunks(ids)) {
      const rows = await this.db.selectFrom('story_bands').select(['article_id', 'band_key', 'day']).where('article_id', 'in', part).execute();
      for (const row of rows) {
        const entry = seeds.get(Number(row.article_id)) ?? { day: row.day === null ? null : Number(row.day), keys: [] };
        entry.keys.push(row.band_key);
        seeds.set(Number(row.article_id), entry);
      }
    }
    // Seeds close in time are looked up together: one range scan of (band_key, day) per key over
    // the group's days, keeping per key the latest `perKey` postings for each seed that has it.
    const ordered = [...seeds].sort((a, b) => (a[1].day ?? Infinity) - (b[1].day ?? Infinity) || a[0] - b[0]);
    for (let start = 0; start < ordered.length; ) {
      const first = ordered[start]![1].day;
      const fits = (day: number | null) => (first === null ? day === null : day !== null && day - first <= windowDays);
      const group: typeof ordered = [ordered[start++]!];
      while (start < ordered.length && group.length < 50 && fits(ordered[start]![1].day)) group.push(ordered[start++]!);
      const limits = new Map<string, number>();
      for (const [, { keys }] of group) for (const k of keys) limits.set(k, (limits.get(k) ?? 0) + perKey);
      const days = group.map(([, g]) => g.day).filter((d): d is number => d !== null);
      const range = days.length > 0 ? { from: Math.min(...days) - windowDays, to: Math.max(...days) + windowDays } : undefined;
      const postings = await this.index.latestPostings([...limits].map(([key, limit]) => ({ key, limit })), range);
      for (const { articleId } of postings) found.add(articleId);
    }
    for (const id of ids) found.delete(String(id));
    return [...found];
  }

  async region(ids: readonly string[]): Promise<Region> {
    const articleIds = ids.map(Number);
    const storyIds = new Set<number>();
    for (const part of chunks(articleIds)) {
      const rows = await this.db.selectFrom('articles').select('story_id').distinct().where('id', 'in', part).where('story_id', 'is not', null).execute();
      for (const row of rows) storyIds.add(Number(row.story_id));
    }
    const rows = new Map<number, { id: number; story_id: number | null; cluster_features: string | null; published_at: string | null; web_url: string; story_locked: number }>();
    const columns = ['id', 'story_id', 'cluster_features', 'published_at', 'web_url', 'story_locked'] as const;
    for (const part of chunks(articleIds)) for (const row of await this.db.selectFrom('articles').select(columns).where('id', 'in', part).execute()) rows.set(Number(row.id), row);
    for (const part of chunks([...storyIds])) for (const row of await this.db.selectFrom('articles').select(columns).where('story_id', 'in', part).execute()) rows.set(Number(row.id), row);

    const stories = new Map<string, RegionStory>();
    for (const part of chunks([...storyIds])) {
      for (const row of await this.db.selectFrom('stories').select(['id', 'override']).where('id', 'in', part).execute()) {
        stories.set(String(row.id), { id: String(row.id), age: Number(row.id), override: (row.override as RegionStory['override']) ?? null });
      }
    }
    const articles: RegionArticle[] = [];
    for (const row of rows.values()) {
      // An article curated before it had features (never the case today) cannot be compared: it stays where it is.
      if (!row.cluster_features) continue;
      articles.push({
        id: String(row.id),
        order: `${row.published_at ?? '9999'}\u0000${row.web_url}`,
        features: JSON.parse(row.cluster_features) as ClusterFeatures,
        storyId: row.story_id === null ? null : String(row.story_id),
        locked: Number(row.story_locked) === 1,
      });
    }
    const apart: Array<[string, string]> = [];
    for (const part of chunks([...storyIds])) {
      const pairs = await this.db.selectFrom('story_apart').select(['story_a', 'story_b']).where((eb) => eb.or([eb('story_a', 'in', part), eb('story_b', 'in', part)])).execute();
      for (const p of pairs) apart.push([String(p.story_a), String(p.story_b)]);
    }
    return { articles, stories, apart };
  }

  async apply(plan: RegroupPlan, seeds: readonly string[], version: number): Promise<string[]> {
    const at = nowIso();
    return this.store.transaction(async (trx) => {
      const created: number[] = [];
      for (let i = 0; i < plan.created; i++) created.push(await insertStory(trx, at));
      const idOf = (ref: StoryRef) => ('existing' in ref ? Number(ref.existing) : created[ref.created]!);
      const changed = new Set<number>(created);

      const current = new Map<number, number | null>();
      const planned = [...plan.storyOf.keys()].map(Number);
      for (const part of chunks(planned)) {
        for (const row of await trx.selectFrom('articles').select(['id', 'story_id']).where('id', 'in', part).execute()) current.set(Number(row.id), row.story_id === null ? null : Number(row.story_id));
      }
      const movesTo = new Map<number, number[]>();
      for (const [id, ref] of plan.storyOf) {
        const articleId = Number(id);
        const to = idOf(ref);
        const from = current.get(articleId);
        if (from === undefined || from === to) continue;
        movesTo.set(to, [...(movesTo.get(to) ?? []), articleId]);
        changed.add(to);
        if (from !== null) changed.add(from);
      }
      for (const [to, ids] of movesTo) for (const part of chunks(ids)) await trx.updateTable('articles').set({ story_id: to }).where('id', 'in', part).execute();

      for (const { from, into } of plan.mergedAway) {
        const gone = Number(from);
        const target = idOf(into);
        // Articles that joined the story while the pass ran go where the rest of it went.
        await trx.updateTable('articles').set({ story_id: target }).where('story_id', '=', gone).execute();
        await pointStoryAt(trx, gone, target, at);
        await trx.deleteFrom('stories').where('id', '=', gone).execute();
        changed.delete(gone);
        changed.add(target);
      }
      if (plan.events.length > 0) {
        await trx
          .insertInto('story_events')
          .values(plan.events.map((e) => ({ story_id: idOf(e.story), at, kind: e.kind, detail: e.detail, article_ids: JSON.stringify(e.articleIds.map(Number)), actor: null })))
          .execute();
      }
      const seedIds = seeds.map(Number);
      for (const part of chunks(seedIds)) {
        for (const row of await trx.selectFrom('articles').select('story_id').distinct().where('id', 'in', part).where('story_id', 'is not', null).execute()) changed.add(Number(row.story_id));
        await trx.updateTable('articles').set({ story_state: 2, story_version: version }).where('id', 'in', part).where('story_state', '>=', 1).execute();
      }
      const alive = await existingStories(trx, [...changed]);
      for (const part of chunks(alive)) {
        await trx
          .updateTable('stories')
          .set((eb) => ({ member_count: eb.selectFrom('articles').select(eb.fn.countAll<number>().as('n')).whereRef('articles.story_id', '=', 'stories.id'), updated_at: at }))
          .where('id', 'in', part)
          .execute();
      }
      return alive.map(String);
    });
  }
}

async function insertStory(trx: Transaction<Database>, at: string): Promise<number> {
  const row = await trx.insertInto('stories').values({ lead_article_id: null, member_count: 0, heat: null, override: null, created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

async function existingStories(trx: Transaction<Database>, ids: number[]): Promise<number[]> {
  const out: number[] = [];
  for (const part of chunks(ids)) for (const row of await trx.selectFrom('stories').select('id').where('id', 'in', part).execute()) out.push(Number(row.id));
  return out.sort((a, b) => a - b);
}

/** Adds `sign` times each count to cluster_terms (terms in sorted order, so concurrent writers never deadlock). */
export async function addTermCounts(trx: Transaction<Database>, counts: ReadonlyMap<string, number>, sign: 1 | -1): Promise<void> {
  const entries = [...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const part of chunks(entries)) {
    if (sign > 0) {
      await trx
        .insertInto('cluster_terms')
        .values(part.map(([term, n]) => ({ term, df: n })))
        .onConflict((oc) => oc.column('term').doUpdateSet({ df: sql<number>`cluster_terms.df + excluded.df` }))
        .execute();
    } else {
      // One statement per distinct count keeps it to a few statements per batch.
      const byCount = new Map<number, string[]>();
      for (const [term, n] of part) byCount.set(n, [...(byCount.get(n) ?? []), term]);
      for (const [n, terms] of byCount) await trx.updateTable('cluster_terms').set({ df: sql<number>`df - ${n}` }).where('term', 'in', terms).execute();
    }
  }
  if (sign < 0) await trx.deleteFrom('cluster_terms').where('df', '<=', 0).execute();
}

export async function bumpCounter(trx: Transaction<Database>, name: string, by: number): Promise<void> {
  await trx
    .insertInto('counters')
    .values({ name, value: by })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`counters.value + ${by}` }))
    .execute();
}

// ---- redirects, history, editors' constraints ------------------------------------------------------

/** Where a story id leads now: itself while it exists, else the story it was merged into; null if neither. */
export async function resolveStory(store: Store, storyId: number): Promise<number | null> {
  const story = await store.db.selectFrom('stories').select('id').where('id', '=', storyId).executeTakeFirst();
  if (story) return storyId;
  const redirect = await store.db.selectFrom('story_redirects').select('to_id').where('from_id', '=', storyId).executeTakeFirst();
  return redirect ? Number(redirect.to_id) : null;
}

export async function storyEvents(store: Store, storyId: number): Promise<StoryEvent[]> {
  const rows = await store.db.selectFrom('story_events').selectAll().where('story_id', '=', storyId).orderBy('id').execute();
  return rows.map((r) => ({ storyId: Number(r.story_id), at: r.at, kind: r.kind, detail: r.detail, articleIds: JSON.parse(r.article_ids) as number[], actor: r.actor }));
}

/** Stories that were merged into `storyId` (directly or through a chain: redirects are kept one hop). */
export async function storiesMergedInto(store: Store, storyId: number): Promise<number[]> {
  const rows = await store.db.selectFrom('story_redirects').select('from_id').where('to_id', '=', storyId).orderBy('from_id').execute();
  return rows.map((r) => Number(r.from_id));
}

export async function recordStoryEvent(trx: Transaction<Database> | Store['db'], event: Omit<StoryEvent, 'at'> & { at?: string }): Promise<void> {
  await trx.insertInto('story_events').values({ story_id: event.storyId, at: event.at ?? nowIso(), kind: event.kind, detail: event.detail, article_ids: JSON.stringify(event.articleIds), actor: event.actor }).execute();
}

/** An editor's decision holds the story's present members in it: consolidation keeps them together. */
export async function lockStoryMembers(trx: Transaction<Database> | Store['db'], storyId: number): Promise<void> {
  await trx.updateTable('articles').set({ story_locked: 1 }).where('story_id', '=', storyId).execute();
}

export async function keepStoriesApart(trx: Transaction<Database> | Store['db'], a: number, b: number): Promise<void> {
  const [x, y] = a < b ? [a, b] : [b, a];
  await trx.insertInto('story_apart').values({ story_a: x, story_b: y, at: nowIso() }).onConflict((oc) => oc.columns(['story_a', 'story_b']).doNothing()).execute();
}

/** After a merge by hand (which redirects `from`): the pairs of stories kept apart follow it into `into`. */
export async function moveApartPairs(trx: Transaction<Database> | Store['db'], from: number, into: number): Promise<void> {
  for (const column of ['story_a', 'story_b'] as const) {
    const rows = await trx.selectFrom('story_apart').select(['story_a', 'story_b']).where(column, '=', from).execute();
    for (const row of rows) {
      const other = column === 'story_a' ? Number(row.story_b) : Number(row.story_a);
      await trx.deleteFrom('story_apart').where('story_a', '=', Number(row.story_a)).where('story_b', '=', Number(row.story_b)).execute();
      if (other !== into) await keepStoriesApart(trx, into, other);
    }
  }
}

/** Articles waiting for consolidation (given a story by the incremental clusterer only), and when the oldest was stored. */
export async function pendingConsolidation(store: Store): Promise<{ count: number; oldestCreatedAt: string | null }> {
  const row = await store.db
    .selectFrom('articles')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where(storyStateIs(1))
    .executeTakeFirst();
  return { count: Number(row?.n ?? 0), oldestCreatedAt: (row?.oldest as string | null | undefined) ?? null };
}

/** Adds a consolidation run to the running totals (articles consolidated, milliseconds in the pass). */
export async function recordConsolidation(store: Store, articles: number, ms: number): Promise<void> {
  await store.transaction(async (trx) => {
    await bumpCounter(trx, 'consolidation_articles', articles);
    await bumpCounter(trx, 'consolidation_ms', Math.round(ms));
    await bumpCounter(trx, 'consolidation_runs', 1);
  });
}

// ---- heat and gate of many stories at once ---------------------------------------------------------

export interface ScoringMember {
  id: number;
  quality: number | null;
  publishedDateTime: string | null;
  providerDomain: string;
  heat: number | null;
  published: boolean | null;
}

export interface StoryForScoring {
  id: number;
  override: 'pin' | 'block' | null;
  leadArticleId: number | null;
  memberCount: number;
  heat: number | null;
  /** In article-id order. */
  members: ScoringMember[];
}

/** What the heat and the gate of these stories are computed from, in three queries whatever their number. */
export async function storiesForScoring(store: Store, storyIds: readonly number[]): Promise<StoryForScoring[]> {
  const byId = new Map<number, StoryForScoring>();
  for (const part of chunks([...new Set(storyIds)])) {
    for (const row of await store.db.selectFrom('stories').select(['id', 'override', 'lead_article_id', 'member_count', 'heat']).where('id', 'in', part).execute()) {
      byId.set(Number(row.id), {
        id: Number(row.id),
        override: (row.override as StoryForScoring['override']) ?? null,
        leadArticleId: row.lead_article_id === null ? null : Number(row.lead_article_id),
        memberCount: Number(row.member_count),
        heat: row.heat === null ? null : Number(row.heat),
        members: [],
      });
    }
    const members = await store.db
      .selectFrom('articles')
      .select(['id', 'story_id', 'quality', 'published_at', 'provider_domain', 'heat', 'published'])
      .where('story_id', 'in', part)
      .orderBy('id')
      .execute();
    for (const m of members) {
      byId.get(Number(m.story_id))?.members.push({
        id: Number(m.id),
        quality: m.quality === null ? null : Number(m.quality),
        publishedDateTime: m.published_at,
        providerDomain: m.provider_domain,
        heat: m.heat === null ? null : Number(m.heat),
        published: m.published === null ? null : Number(m.published) === 1,
      });
    }
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

export interface StoryScores {
  storyId: number;
  leadArticleId: number | null;
  heat: number | null;
  memberCount: number;
  members: Array<{ id: number; quality: number | null; heat: number | null; published: boolean | null; reason: string; before: { heat: number | null; published: boolean | null } }>;
}

/**
 * Saves the heat and gate of many stories in one transaction, writing only what changed: a member
 * whose heat and decision stand costs nothing, one that changes gets its row, its topic rows' listing
 * and a line of score history.
 */
export async function saveStoryScores(store: Store, stories: readonly StoryScores[], before: ReadonlyMap<number, StoryForScoring>): Promise<number> {
  const at = nowIso();
  let changed = 0;
  await store.transaction(async (trx) => {
    const history: Array<{ article_id: number; field: string; old_value: string | null; new_value: string | null; reason: string; at: string }> = [];
    const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
    for (const story of stories) {
      for (const m of story.members) {
        const heatChanged = str(m.heat) !== str(m.before.heat);
        const publishedChanged = str(m.published) !== str(m.before.published);
        if (!heatChanged && !publishedChanged) continue;
        changed++;
        const listed = m.published === true || m.quality === null ? 1 : 0;
        const published = m.published === null ? null : m.published ? 1 : 0;
        await trx.updateTable('articles').set({ heat: m.heat, published, listed, updated_at: at }).where('id', '=', m.id).execute();
        await trx.updateTable('article_topics').set({ listed }).where('article_id', '=', m.id).execute();
        if (heatChanged) history.push({ article_id: m.id, field: 'heat', old_value: str(m.before.heat), new_value: str(m.heat), reason: m.reason, at });
        if (publishedChanged) history.push({ article_id: m.id, field: 'published', old_value: str(m.before.published), new_value: str(m.published), reason: m.reason, at });
      }
      const old = before.get(story.storyId);
      if (!old || old.leadArticleId !== story.leadArticleId || old.heat !== story.heat || old.memberCount !== story.memberCount) {
        await trx.updateTable('stories').set({ lead_article_id: story.leadArticleId, member_count: story.memberCount, heat: story.heat, updated_at: at }).where('id', '=', story.storyId).execute();
      }
    }
    for (const part of chunks(history, 200)) await trx.insertInto('score_history').values(part).execute();
  });
  return changed;
}
