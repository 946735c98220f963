// The SQL of the reader site and the editor's desk, over the same Kysely handle as the Store: lean
// article rows for pages, full-text search (FTS5 on SQLite, tsvector on PostgreSQL), editors,
// sessions, login failures, topic corrections and the desk's audit trail.
import { sql, type Kysely, type Generated } from 'kysely';
import type { Database } from './tables.ts';
import type { Store } from './index.ts';
import type { ImageRef } from '../record.ts';
import { nowIso } from './values.ts';

interface SiteEditorsTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  created_at: string;
  last_login_at: string | null;
}
interface SiteSessionsTable {
  token_hash: string;
  editor_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}
interface SiteLoginLimitsTable {
  key: string;
  failures: number;
  window_start: number;
  blocked_until: number | null;
  strikes: number;
  last_at: number;
}
interface SiteTopicCorrectionsTable {
  id: Generated<number>;
  article_id: number;
  topics: string;
  previous: string;
  editor: string;
  at: string;
}
interface SiteAuditTable {
  id: Generated<number>;
  editor: string;
  action: string;
  story_id: number | null;
  article_id: number | null;
  detail: string | null;
  at: string;
}

export interface SiteDatabase extends Database {
  site_editors: SiteEditorsTable;
  site_sessions: SiteSessionsTable;
  site_login_limits: SiteLoginLimitsTable;
  site_topic_corrections: SiteTopicCorrectionsTable;
  site_audit: SiteAuditTable;
}

/** One address's or account's login attempts (times in epoch ms). */
export interface LoginLimitState {
  /** Attempts counted in the current window, those still being checked included. */
  failures: number;
  windowStart: number;
  blockedUntil: number | null;
  /** How often the limit was reached; each block lasts twice the one before. */
  strikes: number;
  lastAt: number;
}

/** What a page needs of an article: no text, no html. */
export interface SiteArticle {
  id: number;
  title: string;
  excerpt: string;
  publishedAt: string | null;
  webUrl: string;
  providerName: string;
  providerDomain: string;
  providerImages: ImageRef[];
  topics: string[];
  images: ImageRef[];
  quality: number | null;
  heat: number | null;
  published: boolean | null;
  storyId: number | null;
  pathKey: string;
}

export interface FrontStory {
  lead: SiteArticle;
  /** The other members, highest quality first. */
  others: SiteArticle[];
  override: 'pin' | 'block' | null;
}

export interface SearchFilters {
  query: string;
  topic?: string | null;
  provider?: string | null;
  /** Inclusive UTC dates, YYYY-MM-DD. */
  from?: string | null;
  to?: string | null;
  page?: number;
  perPage?: number;
  /** How many of the newest matches are ranked; default SEARCH_RECENT_MATCHES. */
  recentMatches?: number;
  /**
   * Only listed articles (published or unscored), as the feeds of a search promise. Otherwise every
   * stored article but those of stories an editor blocked: an outlet shown under a story is found by
   * its own headline; published ones rank first.
   */
  publishedOnly?: boolean;
}

export interface SearchHit {
  article: SiteArticle;
  /** Title and snippet with matches between MARK_START and MARK_END. */
  titleMarked: string;
  snippetMarked: string;
  /** Whether the article's story has a page readers may see (a published member, not blocked). */
  storyVisible: boolean;
}

/** Private-use characters delimit matches in snippets; pages escape the text, then turn these into <mark>. */
export const MARK_START = '\uE000';
/** Search ranks at most this many matching articles, the newest. */
/**
 * Matches ranked, the newest ones (10 pages of 20): every one ranked costs PostgreSQL a visit to the
 * table, as GIN answers in no order (1,000 put a search at 1M articles past 100 ms).
 */
export const SEARCH_RECENT_MATCHES = 200;

/** Article ids a search block holds (PostgreSQL): its lexeme is in every document of the block. */
export const SEARCH_BLOCK = 1_000;

/** Search blocks in a coarse block: its own lexeme, so a long window is a short query. */
export const SEARCH_COARSE = 16;

/**
 * The tsquery of blocks from..to: coarse lexemes for the whole coarse blocks within, fine ones at the
 * edges (GIN's cost grows with the lexemes asked for). Lexemes with a space, which no parsed query
 * can contain.
 */
export function searchBlocks(from: number, to: number, toIsNewest = false): string {
  const blocks: string[] = [];
  for (let b = Math.max(0, from); b <= to; ) {
    // The coarse block of the newest articles is whole as far as any article goes.
    if (b % SEARCH_COARSE === 0 && (b + SEARCH_COARSE - 1 <= to || toIsNewest)) {
      blocks.push(`'rr ${b / SEARCH_COARSE}'`);
      b += SEARCH_COARSE;
    } else {
      blocks.push(`'r ${b}'`);
      b++;
    }
  }
  return blocks.join(' | ');
}
export const MARK_END = '\uE001';

const leanColumns = [
  'id',
  'title',
  'excerpt',
  'published_at',
  'web_url',
  'provider_name',
  'provider_domain',
  'provider_images',
  'topics',
  'images',
  'quality',
  'heat',
  'published',
  'story_id',
  'path_key',
] as const;

type LeanRow = {
  id: number;
  title: string;
  excerpt: string;
  published_at: string | null;
  web_url: string;
  provider_name: string;
  provider_domain: string;
  provider_images: string | null;
  topics: string;
  images: string;
  quality: number | null;
  heat: number | null;
  published: number | null;
  story_id: number | null;
  path_key: string;
};

const parseJson = <T>(text: string | null, fallback: T): T => {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toSiteArticle(row: LeanRow): SiteArticle {
  return {
    id: Number(row.id),
    title: row.title,
    excerpt: row.excerpt,
    publishedAt: row.published_at,
    webUrl: row.web_url,
    providerName: row.provider_name,
    providerDomain: row.provider_domain,
    providerImages: parseJson<ImageRef[]>(row.provider_images, []),
    topics: parseJson<string[]>(row.topics, []),
    images: parseJson<ImageRef[]>(row.images, []),
    quality: num(row.quality),
    heat: num(row.heat),
    published: row.published === null ? null : Number(row.published) === 1,
    storyId: num(row.story_id),
    pathKey: row.path_key,
  };
}

const byQuality = (a: SiteArticle, b: SiteArticle) => (b.quality ?? -1) - (a.quality ?? -1) || a.id - b.id;

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * FTS5 query from free text: each word a quoted term, all required; the porter stemmer matches its
 * other forms, as PostgreSQL's websearch query does. No word is a prefix: a short prefix merges the
 * postings of every word it begins ("the*": there, then, theory...), seconds in a large store.
 * Operators are never passed through.
 */
export function fts5Query(text: string): string | null {
  const words = text
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 12);
  if (!words.length) return null;
  return words.map((w) => `"${w}"`).join(' ');
}

function toLimitState(r: { failures: number; window_start: number; blocked_until: number | null; strikes: number; last_at: number }): LoginLimitState {
  return { failures: Number(r.failures), windowStart: Number(r.window_start), blockedUntil: r.blocked_until === null ? null : Number(r.blocked_until), strikes: Number(r.strikes), lastAt: Number(r.last_at) };
}

export class SiteStore {
  readonly store: Store;
  readonly db: Kysely<SiteDatabase>;

  constructor(store: Store) {
    this.store = store;
    this.db = store.db as unknown as Kysely<SiteDatabase>;
  }

  private lean() {
    return this.db.selectFrom('articles').select([...leanColumns]);
  }

  async articles(ids: number[]): Promise<SiteArticle[]> {
    if (!ids.length) return [];
    const rows = await this.lean().where('id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [Number(r.id), toSiteArticle(r as LeanRow)]));
    return ids.map((id) => byId.get(id)).filter((a): a is SiteArticle => a !== undefined);
  }

  async article(id: number): Promise<SiteArticle | null> {
    return (await this.articles([id]))[0] ?? null;
  }

  /** Members of stories, grouped by story id, highest quality first. */
  async storyMembers(storyIds: number[]): Promise<Map<number, SiteArticle[]>> {
    const out = new Map<number, SiteArticle[]>();
    if (!storyIds.length) return out;
    const rows = await this.lean().where('story_id', 'in', storyIds).execute();
    for (const row of rows) {
      const a = toSiteArticle(row as LeanRow);
      const list = out.get(a.storyId!) ?? [];
      list.push(a);
      out.set(a.storyId!, list);
    }
    for (const list of out.values()) list.sort(byQuality);
    return out;
  }

  /** The UTC day of the newest published article before `before`: the front page's "today", then earlier days with news. */
  async latestDay(before: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('articles')
      .select((eb) => eb.fn.max('published_at').as('latest'))
      .where('listed', '=', 1)
      .where('published', '=', 1)
      .where('published_at', '<', before)
      .executeTakeFirst();
    const latest = row?.latest as string | null | undefined;
    return latest ? latest.slice(0, 10) : null;
  }

  /**
   * Published stories of one UTC day, by heat (pinned first), one entry per story, with the
   * story's other members for the "N more" fold.
   */
  async topStoriesOfDay(day: string, limit: number): Promise<FrontStory[]> {
    const rows = await this.db
      .selectFrom('articles')
      .leftJoin('stories', 'stories.id', 'articles.story_id')
      .select(['articles.id as id', 'articles.story_id as story_id', 'stories.override as override'])
      .where('articles.listed', '=', 1)
      .where('articles.published', '=', 1)
      .where('articles.published_at', '>=', `${day}T00:00:00Z`)
      .where('articles.published_at', '<', `${addDays(day, 1)}T00:00:00Z`)
      .orderBy(sql`case when stories.override = 'pin' then 1 else 0 end`, 'desc')
      .orderBy('articles.heat', 'desc')
      .orderBy('articles.published_at', 'desc')
      .limit(limit * 3)
      .execute();
    const seen = new Set<number>();
    const picked: Array<{ id: number; storyId: number | null; override: string | null }> = [];
    for (const r of rows) {
      const storyId = num(r.story_id);
      if (storyId !== null) {
        if (seen.has(storyId)) continue;
        seen.add(storyId);
      }
      picked.push({ id: Number(r.id), storyId, override: r.override });
      if (picked.length >= limit) break;
    }
    const [leads, members] = await Promise.all([
      this.articles(picked.map((p) => p.id)),
      this.storyMembers(picked.map((p) => p.storyId).filter((s): s is number => s !== null)),
    ]);
    const leadById = new Map(leads.map((a) => [a.id, a]));
    return picked
      .filter((p) => leadById.has(p.id))
      .map((p) => ({
        lead: leadById.get(p.id)!,
        others: (p.storyId === null ? [] : members.get(p.storyId) ?? []).filter((m) => m.id !== p.id),
        override: (p.override as FrontStory['override']) ?? null,
      }));
  }

  /**
   * The front page: the newest day's top stories, then earlier days' (days with published news,
   * so a quiet week still shows a full page), until `limit` stories or `maxDays` days.
   */
  async frontPage(now: Date, limit = 30, maxDays = 10): Promise<Array<{ day: string; stories: FrontStory[] }>> {
    const days: Array<{ day: string; stories: FrontStory[] }> = [];
    let before = nowIso(new Date(now.getTime() + 3600_000));
    let total = 0;
    for (let i = 0; i < maxDays && total < limit; i++) {
      const day = await this.latestDay(before);
      if (!day) break;
      const stories = await this.topStoriesOfDay(day, i === 0 ? limit : Math.min(12, limit - total));
      if (stories.length) days.push({ day, stories });
      total += stories.length;
      before = `${day}T00:00:00Z`;
    }
    return days;
  }

  /** Listed articles (published or unscored), newest first, with a filter. */
  async listed(filter: { topic?: string; provider?: string; day?: string }, page: number, perPage: number): Promise<{ items: SiteArticle[]; hasMore: boolean }> {
    const { ids, hasMore } = await this.store.listedIds({ ...filter, page, perPage });
    return { items: await this.articles(ids), hasMore };
  }

  /** Days with listed articles and their counts, newest first. */
  async archiveDays(limit = 400): Promise<Array<{ day: string; count: number }>> {
    const dayExpr = sql<string>`substr(published_at, 1, 10)`;
    const rows = await this.db
      .selectFrom('articles')
      .select([dayExpr.as('day'), (eb) => eb.fn.countAll().as('n')])
      .where('listed', '=', 1)
      .where('published_at', 'is not', null)
      .groupBy(dayExpr)
      .orderBy(dayExpr, 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ day: r.day, count: Number(r.n) }));
  }

  async providers(limit = 500): Promise<Array<{ domain: string; name: string; count: number }>> {
    const rows = await this.db
      .selectFrom('articles')
      .select(['provider_domain', (eb) => eb.fn.max('provider_name').as('name'), (eb) => eb.fn.countAll().as('n')])
      .where('listed', '=', 1)
      .groupBy('provider_domain')
      .orderBy(sql`count(*)`, 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ domain: r.provider_domain, name: String(r.name), count: Number(r.n) }));
  }

  async providerName(domain: string): Promise<string | null> {
    const row = await this.db.selectFrom('articles').select('provider_name').where('provider_domain', '=', domain).limit(1).executeTakeFirst();
    return row?.provider_name ?? null;
  }

  async topicCounts(): Promise<Map<string, number>> {
    const rows = await this.db.selectFrom('article_topics').select(['topic', (eb) => eb.fn.countAll().as('n')]).where('listed', '=', 1).groupBy('topic').execute();
    return new Map(rows.map((r) => [r.topic, Number(r.n)]));
  }

  /** Of these stories, those readers may see: not blocked, with a member published or not yet scored. */
  async visibleStories(storyIds: number[]): Promise<Set<number>> {
    if (!storyIds.length) return new Set();
    const rows = await this.db
      .selectFrom('articles')
      .leftJoin('stories', 'stories.id', 'articles.story_id')
      .select('articles.story_id as story_id')
      .distinct()
      .where('articles.story_id', 'in', [...new Set(storyIds)])
      .where((eb) => eb.or([eb('articles.published', 'is', null), eb('articles.published', '=', 1)]))
      .where((eb) => eb.or([eb('stories.override', 'is', null), eb('stories.override', '!=', 'block')]))
      .execute();
    return new Set(rows.map((r) => Number(r.story_id)));
  }

  /**
   * Full-text search over title, excerpt and text, best match first: every stored article but those
   * of blocked stories, the listed (published or unscored) ones ranked first; or listed ones only.
   */
  async search(filters: SearchFilters): Promise<{ hits: SearchHit[]; hasMore: boolean }> {
    const perPage = filters.perPage ?? 20;
    const recentMatches = Math.max(1, Math.floor(filters.recentMatches ?? SEARCH_RECENT_MATCHES));
    const offset = ((filters.page ?? 1) - 1) * perPage;
    const topicIds = filters.topic ? sql`and a.id in (select article_id from article_topics where topic = ${filters.topic})` : sql``;
    const provider = filters.provider ? sql`and a.provider_domain = ${filters.provider}` : sql``;
    const from = filters.from ? sql`and a.published_at >= ${`${filters.from}T00:00:00Z`}` : sql``;
    const to = filters.to ? sql`and a.published_at < ${`${addDays(filters.to, 1)}T00:00:00Z`}` : sql``;
    // `not exists` by the story's key rather than `not in (select ...)`: PostgreSQL charged the list of
    // blocked stories to every candidate row and answered a nested loop with a scan of all articles.
    const scope = filters.publishedOnly
      ? sql`a.listed = 1`
      : sql`not exists (select 1 from stories b where b.id = a.story_id and b.override = 'block')`;
    let rows: Array<{ id: number; title_marked: string; snippet_marked: string }>;
    if (this.store.dialect === 'sqlite') {
      const match = fts5Query(filters.query);
      if (!match) return { hits: [], hasMore: false };
      // Ranked among the newest matches only (on both stores): ranking every match costs time in
      // proportion to the matches (seconds for a common word in a million articles), and a reader
      // searching news wants the recent ones. FTS5 yields matches newest first, so the bound stops
      // the scan early.
      const ranked = await sql<{ id: number }>`
        with recent as (
          select f.rowid as id, bm25(site_articles_fts, 10.0, 4.0, 1.0) as rank, a.published_at as published_at, a.listed as listed
          from site_articles_fts f join articles a on a.id = f.rowid
          where site_articles_fts match ${match} and ${scope} ${topicIds} ${provider} ${from} ${to}
          order by f.rowid desc
          limit ${recentMatches})
        select id from recent order by listed desc, rank, published_at desc, id desc
        limit ${perPage + 1} offset ${offset}`.execute(this.db);
      const ids = ranked.rows.map((r) => Number(r.id));
      // Highlights and snippets for the page's rows alone: they are the costly part of a match.
      const marked = ids.length
        ? await sql<{ id: number; title_marked: string; snippet_marked: string }>`
            select rowid as id,
              highlight(site_articles_fts, 0, ${MARK_START}, ${MARK_END}) as title_marked,
              snippet(site_articles_fts, -1, ${MARK_START}, ${MARK_END}, '…', 28) as snippet_marked
            from site_articles_fts
            where site_articles_fts match ${match} and rowid in (${sql.join(ids)})`.execute(this.db)
        : { rows: [] };
      const byId = new Map(marked.rows.map((r) => [Number(r.id), r]));
      rows = ids.filter((id) => byId.has(id)).map((id) => byId.get(id)!);
    } else {
      const text = filters.query.normalize('NFKC').slice(0, 300).trim();
      if (!text) return { hits: [], hasMore: false };
      const options = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;
      const titleOptions = `StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`;
      // The GIN index yields matches in no order, and every match it yields costs a visit to the
      // table (for its id). So the newest matches are looked for among the newest articles first:
      // each document carries the lexemes of its block of ids (`'r <id / 1000>'`, `'rr <id / 16000>'`, see migration
      // 0602), and `word & (block | block ...)` is answered by GIN's intersection, which skips through
      // a common word's postings at the pace of the few blocks asked for. A common word is settled in
      // the newest block; a rarer one in a second window sized from the first one's density; a rare
      // one (few matches in the whole store by that density) by the index alone, whose cost is its
      // matches. Ordered by `article_id + 0`: ordered by the key, the planner walks the key
      // backwards testing every document, expecting to meet the limit soon.
      const newest = Number((await this.db.selectFrom('articles').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst())?.id ?? 0);
      const newestBlock = Math.floor(newest / SEARCH_BLOCK);
      // A window of the newest `blocks` blocks starts here: from a coarse block's start once it spans
      // one, so that it is asked for in a few coarse lexemes.
      const firstBlock = (blocks: number) => {
        const first = Math.max(0, newestBlock - blocks + 1);
        return blocks >= SEARCH_COARSE ? first - (first % SEARCH_COARSE) : first;
      };
      // Each match the articles table is joined for costs a second visit: only when a filter needs it
      // (most often none: no story is blocked and no filter given).
      const anyBlocked = (await this.db.selectFrom('stories').select('id').where('override', '=', 'block').limit(1).executeTakeFirst()) !== undefined;
      const needsArticles = filters.publishedOnly || anyBlocked || filters.topic || filters.provider || filters.from || filters.to;
      const matchesIn = async (trx: Kysely<Database>, blocks: number | null) => {
        const within = blocks === null ? sql`` : sql`&& ${searchBlocks(firstBlock(blocks), newestBlock, true)}::tsquery`;
        const articles = needsArticles ? sql`join articles a on a.id = s.article_id` : sql``;
        const filtered = needsArticles ? sql`and ${scope} ${topicIds} ${provider} ${from} ${to}` : sql``;
        const found = await sql<{ id: number }>`
          select s.article_id as id
          from site_article_search s ${articles}
          where s.document @@ (websearch_to_tsquery('english', ${text}) ${within}) ${filtered}
          order by s.article_id + 0 desc
          limit ${recentMatches}`.execute(trx);
        return found.rows.map((r) => Number(r.id));
      };
      // Ids a window of the newest `blocks` blocks spans (the newest block is partly filled).
      const covered = (blocks: number) => newest - firstBlock(blocks) * SEARCH_BLOCK + 1;
      // Each window planned for its own blocks: the statement is prepared once per connection, and
      // after five runs PostgreSQL may keep a generic plan blind to them (at 200k articles two common
      // words took 412 and 267 ms so, 82 and 135 planned each time).
      const ids = await this.store.transaction(async (trx) => {
        await sql`set local plan_cache_mode = force_custom_plan`.execute(trx);
        // A window's lexemes make the planner guess many matches, and on a table of short documents
        // it then reads the whole table: never the right plan for a window of the newest articles.
        await sql`set local enable_seqscan = off`.execute(trx);
        let blocks = 1;
        let ids = await matchesIn(trx, newestBlock < blocks ? null : blocks);
        while (ids.length < recentMatches && blocks <= newestBlock) {
          // Nothing in the newest block: one more look over a whole coarse block (one lexeme) before
          // judging how rare the words are.
          if (ids.length === 0 && blocks < SEARCH_COARSE) {
            blocks = SEARCH_COARSE;
            ids = await matchesIn(trx, blocks);
            continue;
          }
          const density = ids.length / covered(blocks);
          // Few matches in the whole store at this density: the index alone costs no more than they.
          if (density * newest <= 3 * recentMatches) return matchesIn(trx, null);
          const next = Math.max(blocks * 2, Math.ceil((recentMatches * 1.25) / density / SEARCH_BLOCK) + 1);
          if (next > newestBlock) return matchesIn(trx, null);
          blocks = next;
          ids = await matchesIn(trx, blocks);
        }
        return ids;
      });
      if (!ids.length) return { hits: [], hasMore: false };
      const result = await sql<{ id: number; title_marked: string; snippet_marked: string }>`
        with q as (select websearch_to_tsquery('english', ${text}) as query),
        hits as (
          select s.article_id as id, a.published_at, a.listed, ts_rank_cd(s.document, q.query) as rank
          from site_article_search s join articles a on a.id = s.article_id, q
          where s.article_id = any(${ids}::int[])
          order by a.listed desc, rank desc, a.published_at desc, s.article_id desc
          limit ${perPage + 1} offset ${offset})
        select hits.id,
          ts_headline('english', a.title, q.query, ${titleOptions}) as title_marked,
          ts_headline('english', a.excerpt || ' ' || left(a.text, 5000), q.query, ${options}) as snippet_marked
        from hits join articles a on a.id = hits.id, q
        order by hits.listed desc, hits.rank desc, hits.published_at desc, hits.id desc`.execute(this.db);
      rows = result.rows;
    }
    const page = rows.slice(0, perPage);
    const articles = new Map((await this.articles(page.map((r) => Number(r.id)))).map((a) => [a.id, a]));
    const visible = await this.visibleStories([...articles.values()].map((a) => a.storyId).filter((id): id is number => id !== null));
    const hits = page
      .filter((r) => articles.has(Number(r.id)))
      .map((r) => {
        const article = articles.get(Number(r.id))!;
        return { article, titleMarked: r.title_marked, snippetMarked: r.snippet_marked, storyVisible: article.storyId !== null && visible.has(article.storyId) };
      });
    return { hits, hasMore: rows.length > perPage };
  }

  // ---- the desk's review queue -----------------------------------------------------------------

  /**
   * Story leads for review. `borderline`: heat within `margin` of the threshold either side;
   * `unpublished`: scored and not published; `overridden`: pinned or blocked by an editor.
   */
  async reviewQueue(view: 'borderline' | 'unpublished' | 'published' | 'overridden', threshold: number, page: number, perPage = 30, margin = 15): Promise<{ items: Array<SiteArticle & { override: string | null; memberCount: number }>; hasMore: boolean }> {
    let ids: number[];
    if (view === 'overridden') {
      // Editors' decisions are few: read from the stories they decided on, then ordered.
      const rows = await this.db
        .selectFrom('stories as s')
        .innerJoin('articles as a', 'a.story_id', 's.id')
        .select('a.id as id')
        .where('s.override', 'is not', null)
        .where('a.quality', 'is not', null)
        .where((eb) => eb.or([eb('s.lead_article_id', 'is', null), eb('s.lead_article_id', '=', eb.ref('a.id'))]))
        .orderBy('a.published_at', 'desc')
        .orderBy('a.id', 'desc')
        .limit(perPage + 1)
        .offset((page - 1) * perPage)
        .execute();
      ids = rows.map((r) => Number(r.id));
    } else {
      // The page is chosen from the articles_review index in its order (scored articles by time, with
      // published, heat and story in the entry), each entry checked against its story's lead by key:
      // a deep page skips index entries and story keys, never whole article rows. The lead check is
      // an `exists` and not a join's OR: PostgreSQL estimated that OR at one row and sorted the whole
      // view instead of reading it in order.
      let query = this.db
        .selectFrom('articles as a')
        .select('a.id as id')
        .where('a.quality', 'is not', null)
        .where(sql<boolean>`(a.story_id is null or exists (select 1 from stories s where s.id = a.story_id and (s.lead_article_id is null or s.lead_article_id = a.id)))`);
      if (view === 'borderline') query = query.where('a.heat', '>=', threshold - margin).where('a.heat', '<', threshold + margin);
      // SQLite: `+a.published` keeps the term off any index; otherwise it took the retention index for
      // `published = 0` and sorted the whole view. (PostgreSQL estimates the plain column better.)
      else query = query.where(this.store.dialect === 'sqlite' ? sql<number>`+a.published` : sql<number>`a.published`, '=', view === 'published' ? 1 : 0);
      const rows = await query
        .orderBy('a.published_at', 'desc')
        .orderBy('a.id', 'desc')
        .limit(perPage + 1)
        .offset((page - 1) * perPage)
        .execute();
      ids = rows.map((r) => Number(r.id));
    }
    const pageIds = ids.slice(0, perPage);
    const articles = await this.articles(pageIds);
    const storyIds = [...new Set(articles.map((a) => a.storyId).filter((id): id is number => id !== null))];
    const stories = new Map(
      storyIds.length ? (await this.db.selectFrom('stories').select(['id', 'override', 'member_count']).where('id', 'in', storyIds).execute()).map((r) => [Number(r.id), r] as const) : [],
    );
    return {
      items: articles.map((a) => {
        const story = a.storyId === null ? undefined : stories.get(a.storyId);
        return { ...a, override: story?.override ?? null, memberCount: Number(story?.member_count ?? 1) };
      }),
      hasMore: ids.length > perPage,
    };
  }

  // ---- editors and sessions ------------------------------------------------------------------------

  async createEditor(username: string, passwordHash: string): Promise<number> {
    const row = await this.db.insertInto('site_editors').values({ username, password_hash: passwordHash, created_at: nowIso(), last_login_at: null }).returning('id').executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async setEditorPassword(username: string, passwordHash: string): Promise<boolean> {
    const result = await this.db.updateTable('site_editors').set({ password_hash: passwordHash }).where('username', '=', username).executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) await this.db.deleteFrom('site_sessions').where('editor_id', 'in', this.db.selectFrom('site_editors').select('id').where('username', '=', username)).execute();
    return Number(result.numUpdatedRows) > 0;
  }

  async editorByName(username: string): Promise<{ id: number; username: string; passwordHash: string } | null> {
    const row = await this.db.selectFrom('site_editors').select(['id', 'username', 'password_hash']).where('username', '=', username).executeTakeFirst();
    return row ? { id: Number(row.id), username: row.username, passwordHash: row.password_hash } : null;
  }

  async listEditors(): Promise<Array<{ id: number; username: string; createdAt: string; lastLoginAt: string | null }>> {
    const rows = await this.db.selectFrom('site_editors').selectAll().orderBy('id').execute();
    return rows.map((r) => ({ id: Number(r.id), username: r.username, createdAt: r.created_at, lastLoginAt: r.last_login_at }));
  }

  async removeEditor(username: string): Promise<boolean> {
    const result = await this.db.deleteFrom('site_editors').where('username', '=', username).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async createSession(tokenHash: string, editorId: number, csrfToken: string, expiresAt: string): Promise<void> {
    const at = nowIso();
    await this.db.insertInto('site_sessions').values({ token_hash: tokenHash, editor_id: editorId, csrf_token: csrfToken, created_at: at, expires_at: expiresAt }).execute();
    await this.db.updateTable('site_editors').set({ last_login_at: at }).where('id', '=', editorId).execute();
    await this.db.deleteFrom('site_sessions').where('expires_at', '<', at).execute();
  }

  async session(tokenHash: string, now: Date): Promise<{ editorId: number; username: string; csrfToken: string } | null> {
    const row = await this.db
      .selectFrom('site_sessions')
      .innerJoin('site_editors', 'site_editors.id', 'site_sessions.editor_id')
      .select(['site_sessions.editor_id as editor_id', 'site_editors.username as username', 'site_sessions.csrf_token as csrf_token'])
      .where('site_sessions.token_hash', '=', tokenHash)
      .where('site_sessions.expires_at', '>', nowIso(now))
      .executeTakeFirst();
    return row ? { editorId: Number(row.editor_id), username: row.username, csrfToken: row.csrf_token } : null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('site_sessions').where('token_hash', '=', tokenHash).execute();
  }

  /** The login-limit state of one key as it is now, without the lock: for checks that change nothing. */
  async loginLimitState(key: string): Promise<LoginLimitState | null> {
    const row = await this.db.selectFrom('site_login_limits').selectAll().where('key', '=', key).executeTakeFirst();
    return row ? toLimitState(row) : null;
  }

  /**
   * Reads the login-limit state of `keys` (null for a key not seen), lets `decide` change it, and
   * saves the states it returns, all under one lock across every process on the store, so two
   * attempts never both read the state before either wrote it. SQLite: one immediate transaction
   * (the write lock is taken first); PostgreSQL: a transaction holding an advisory lock.
   * States last seen before `forgetBefore` (epoch ms) are dropped, so the table stays small.
   */
  async updateLoginLimits<T>(keys: string[], decide: (states: Map<string, LoginLimitState | null>) => { save: Map<string, LoginLimitState>; result: T }, forgetBefore?: number): Promise<T> {
    return this.store.transaction(async (trx) => {
      const db = trx as unknown as Kysely<SiteDatabase>;
      if (this.store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`${this.store.schema ?? 'public'}:login-limits`}))`.execute(db);
      const rows = keys.length ? await db.selectFrom('site_login_limits').selectAll().where('key', 'in', keys).execute() : [];
      const states = new Map<string, LoginLimitState | null>(keys.map((k) => [k, null]));
      for (const r of rows) states.set(r.key, toLimitState(r));
      const { save, result } = decide(states);
      for (const [key, s] of save) {
        const values = { failures: s.failures, window_start: s.windowStart, blocked_until: s.blockedUntil, strikes: s.strikes, last_at: s.lastAt };
        await db
          .insertInto('site_login_limits')
          .values({ key, ...values })
          .onConflict((oc) => oc.column('key').doUpdateSet(values))
          .execute();
      }
      if (forgetBefore !== undefined) {
        await db.deleteFrom('site_login_limits').where('last_at', '<', forgetBefore).where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', forgetBefore)])).execute();
      }
      return result;
    });
  }

  // ---- corrections, organizations, audit -----------------------------------------------------------

  async addTopicCorrection(articleId: number, topics: string[], previous: string[], editor: string): Promise<void> {
    await this.db.insertInto('site_topic_corrections').values({ article_id: articleId, topics: JSON.stringify(topics), previous: JSON.stringify(previous), editor, at: nowIso() }).execute();
  }

  /** Every article's latest correction, as training examples for the learned topic classifier. */
  async topicCorrections(): Promise<Array<{ articleId: number; title: string; excerpt: string; text: string; topics: string[]; editor: string; at: string }>> {
    const latest = this.db.selectFrom('site_topic_corrections').select((eb) => eb.fn.max('id').as('id')).groupBy('article_id');
    const rows = await this.db
      .selectFrom('site_topic_corrections as c')
      .innerJoin('articles as a', 'a.id', 'c.article_id')
      .select(['c.article_id as article_id', 'a.title as title', 'a.excerpt as excerpt', 'a.text as text', 'c.topics as topics', 'c.editor as editor', 'c.at as at'])
      .where('c.id', 'in', latest)
      .orderBy('c.id')
      .execute();
    return rows.map((r) => ({ articleId: Number(r.article_id), title: r.title, excerpt: r.excerpt, text: r.text, topics: parseJson<string[]>(r.topics, []), editor: r.editor, at: r.at }));
  }

  async audit(entry: { editor: string; action: string; storyId?: number | null; articleId?: number | null; detail?: string | null }): Promise<void> {
    await this.db.insertInto('site_audit').values({ editor: entry.editor, action: entry.action, story_id: entry.storyId ?? null, article_id: entry.articleId ?? null, detail: entry.detail ?? null, at: nowIso() }).execute();
  }

  async storyAudit(storyId: number): Promise<Array<{ editor: string; action: string; detail: string | null; at: string }>> {
    const rows = await this.db.selectFrom('site_audit').select(['editor', 'action', 'detail', 'at']).where('story_id', '=', storyId).orderBy('id').execute();
    return rows;
  }

  async recentAudit(limit = 30): Promise<Array<{ editor: string; action: string; storyId: number | null; detail: string | null; at: string }>> {
    const rows = await this.db.selectFrom('site_audit').select(['editor', 'action', 'story_id', 'detail', 'at']).orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ editor: r.editor, action: r.action, storyId: num(r.story_id), detail: r.detail, at: r.at }));
  }

  /** Score history of several articles at once (for a story's timeline). */
  async histories(articleIds: number[]): Promise<Array<{ articleId: number; field: string; oldValue: string | null; newValue: string | null; reason: string; at: string }>> {
    if (!articleIds.length) return [];
    const rows = await this.db.selectFrom('score_history').selectAll().where('article_id', 'in', articleIds).orderBy('id').execute();
    return rows.map((r) => ({ articleId: Number(r.article_id), field: r.field, oldValue: r.old_value, newValue: r.new_value, reason: r.reason, at: r.at }));
  }
}
