// Row shapes of every table. JSON-valued columns are stored as text on both stores so that one
// query code path serves SQLite and PostgreSQL; booleans are 0/1 integers for the same reason.
import type { Generated } from 'kysely';

export interface SourcesTable {
  id: Generated<number>;
  url: string;
  name: string | null;
  site_url: string | null;
  /** ok | error | paused | new */
  status: string;
  last_error: string | null;
  last_error_code: string | null;
  etag: string | null;
  last_modified: string | null;
  last_fetched_at: string | null;
  next_fetch_at: string | null;
  poll_minutes: number | null;
  fetch_count: number;
  error_count: number;
  created_at: string;
}

export interface ArticlesTable {
  id: Generated<number>;
  web_url: string;
  original_url: string;
  source_id: number | null;
  title: string;
  excerpt: string;
  published_at: string | null;
  updated_at_source: string | null;
  amp_web_url: string | null;
  cdn_amp_web_url: string | null;
  type: string;
  provider_name: string;
  provider_domain: string;
  provider_images: string | null;
  topics: string;
  images: string;
  locale: string | null;
  authors: string;
  text: string;
  html: string | null;
  extraction_status: string;
  extraction_reason: string | null;
  quality: number | null;
  quality_parts: string;
  heat: number | null;
  published: number | null;
  /** 1 when the article appears in the public stream: published, or not yet scored. */
  listed: number;
  story_id: number | null;
  secured: string | null;
  /** `_news/<file>.md` basename without extension: YYYY-MM-DD-<slug>. */
  path_key: string;
  cluster_features: string | null;
  /** 0 not clustered yet, 1 given a story by the incremental clusterer, 2 consolidated. */
  story_state: Generated<number>;
  /** The document-frequency version of the article's last consolidation. */
  story_version: number | null;
  /** 1 once its stored terms are counted in cluster_terms. */
  df_counted: Generated<number>;
  /** 1 when an editor's decision holds it in its story. */
  story_locked: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface StoriesTable {
  id: Generated<number>;
  lead_article_id: number | null;
  member_count: number;
  heat: number | null;
  /** pin | block | null: an editor's decision that survives every recomputation. */
  override: string | null;
  created_at: string;
  updated_at: string;
}

export interface ScoreHistoryTable {
  id: Generated<number>;
  article_id: number;
  field: string;
  old_value: string | null;
  new_value: string | null;
  reason: string;
  at: string;
}

export interface TopicsTable {
  id: string;
  name: string;
  short_name: string | null;
  parent: string | null;
  description: string | null;
  keywords: string;
  hashtags: string;
  position: number;
}

export interface StoryBandsTable {
  band_key: string;
  article_id: number;
  /** Days since the epoch of the article's publication (null when undated). */
  day: number | null;
}

export interface StoryRedirectsTable {
  from_id: number;
  to_id: number;
  at: string;
}

export interface StoryEventsTable {
  id: Generated<number>;
  story_id: number;
  at: string;
  kind: string;
  detail: string;
  /** JSON list of the article ids concerned. */
  article_ids: string;
  /** null for the consolidation pass, else the editor. */
  actor: string | null;
}

export interface StoryApartTable {
  story_a: number;
  story_b: number;
  at: string;
}

export interface FetchLogTable {
  id: Generated<number>;
  source_id: number;
  url: string;
  at: string;
  outcome: string;
  http_status: number | null;
  items_new: number;
  error: string | null;
  duration_ms: number;
}

export interface ArticleTopicsTable {
  article_id: number;
  topic: string;
  /** Copied from the article so a topic page is one index range scan, newest first. */
  published_at: string | null;
  listed: number;
}

export interface ClusterTermsTable {
  term: string;
  df: number;
}

export interface CountersTable {
  name: string;
  value: number;
}

// Reader apps: accounts, API tokens, per-reader state of items (stories), stable feed ids.
export interface ReadersTable {
  id: Generated<number>;
  name: string;
  role: string;
  password_hash: string;
  api_password_hash: string | null;
  fever_key_hash: string | null;
  resurface: Generated<number>;
  created_at: string;
  last_seen_at: string | null;
}
export interface ReaderTokensTable {
  token_hash: string;
  reader_id: number;
  created_at: string;
  expires_at: string;
}
export interface ReaderItemsTable {
  reader_id: number;
  story_id: number;
  is_read: number;
  is_starred: number;
  read_members: number;
  read_at: string | null;
  starred_at: string | null;
  updated_at: string;
}
export interface ReaderFeedsTable {
  id: Generated<number>;
  kind: string;
  key: string;
}
export interface ReaderItemNumbersTable {
  number: Generated<number>;
  story_id: number;
  numbered_at: string;
}

export interface Database {
  cluster_terms: ClusterTermsTable;
  counters: CountersTable;
  article_topics: ArticleTopicsTable;
  sources: SourcesTable;
  articles: ArticlesTable;
  stories: StoriesTable;
  score_history: ScoreHistoryTable;
  topics: TopicsTable;
  story_bands: StoryBandsTable;
  story_redirects: StoryRedirectsTable;
  story_events: StoryEventsTable;
  story_apart: StoryApartTable;
  fetch_log: FetchLogTable;
  readers: ReadersTable;
  reader_tokens: ReaderTokensTable;
  reader_items: ReaderItemsTable;
  reader_feeds: ReaderFeedsTable;
  reader_item_numbers: ReaderItemNumbersTable;
}
