// A Fever API client written from the published spec (feedafever.com/api), as the apps speak it: every
// call is a form POST to `ENDPOINT?api&<words>` (the words say what to answer: items, since_id=…,
// unread_item_ids, …) whose body carries `api_key`, md5 of "name:password" in lowercase hex, and, to
// change state, `mark`, `as`, `id` and `before`. It knows nothing of the server it talks to.
import { createHash } from 'node:crypto';

export interface FeverItem {
  id: number;
  feed_id: number;
  title: string;
  author: string;
  html: string;
  url: string;
  is_saved: 0 | 1;
  is_read: 0 | 1;
  created_on_time: number;
}
export interface FeverFeed {
  id: number;
  favicon_id: number;
  title: string;
  url: string;
  site_url: string;
  is_spark: 0 | 1;
  last_updated_on_time: number;
}
export interface FeverLink {
  id: number;
  feed_id: number;
  item_id: number;
  temperature: number;
  is_item: 0 | 1;
  is_local: 0 | 1;
  is_saved: 0 | 1;
  title: string;
  url: string;
  item_ids: string;
}
export interface FeverAnswer {
  api_version: number;
  auth: 0 | 1;
  last_refreshed_on_time?: number;
  groups?: Array<{ id: number; title: string }>;
  feeds?: FeverFeed[];
  feeds_groups?: Array<{ group_id: number; feed_ids: string }>;
  favicons?: Array<{ id: number; data: string }>;
  items?: FeverItem[];
  total_items?: number;
  links?: FeverLink[];
  unread_item_ids?: string;
  saved_item_ids?: string;
  error?: string;
}

export const feverApiKey = (name: string, password: string) => createHash('md5').update(`${name}:${password}`, 'utf8').digest('hex');

/** A comma-separated id list, as Fever sends unread_item_ids, saved_item_ids and feed_ids. */
export const idsOf = (list: string | undefined): number[] => (list ? list.split(',').filter(Boolean).map(Number) : []);

export class FeverClient {
  constructor(
    /** The server URL the user types in, e.g. https://news.example.org/api/fever/ */
    readonly endpoint: string,
    public apiKey: string | null,
  ) {}

  /** One call: the words in the query string after `api`, the key and `form` in the body. */
  async call(words: Record<string, string | number | true> = {}, form: Record<string, string | number> = {}): Promise<{ status: number; headers: Headers; answer: FeverAnswer }> {
    const query = ['api', ...Object.entries(words).map(([k, v]) => (v === true ? k : `${k}=${encodeURIComponent(String(v))}`))].join('&');
    const body = new URLSearchParams();
    if (this.apiKey !== null) body.set('api_key', this.apiKey);
    for (const [k, v] of Object.entries(form)) body.set(k, String(v));
    const res = await fetch(`${this.endpoint}?${query}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    return { status: res.status, headers: res.headers, answer: (await res.json()) as FeverAnswer };
  }

  /** A call that must succeed and be authenticated. */
  async ok(words: Record<string, string | number | true> = {}, form: Record<string, string | number> = {}): Promise<FeverAnswer> {
    const { status, answer } = await this.call(words, form);
    if (status !== 200 || answer.auth !== 1) throw new Error(`fever ${JSON.stringify(words)}: ${status} ${JSON.stringify(answer)}`);
    return answer;
  }

  async items(words: { since_id?: number; max_id?: number; with_ids?: number[] } = {}): Promise<{ items: FeverItem[]; total: number }> {
    const asked: Record<string, string | number | true> = { items: true };
    if (words.since_id !== undefined) asked.since_id = words.since_id;
    if (words.max_id !== undefined) asked.max_id = words.max_id;
    if (words.with_ids) asked.with_ids = words.with_ids.join(',');
    const answer = await this.ok(asked);
    return { items: answer.items ?? [], total: answer.total_items ?? 0 };
  }

  /** What an app does on first sync: since_id from 0, each time the highest id seen, until a page is empty. */
  async syncForward(): Promise<{ items: FeverItem[]; pages: number[] }> {
    const items: FeverItem[] = [];
    const pages: number[] = [];
    let since = 0;
    for (;;) {
      const page = (await this.items({ since_id: since })).items;
      pages.push(page.length);
      if (page.length === 0) return { items, pages };
      items.push(...page);
      since = Math.max(since, ...page.map((i) => i.id));
    }
  }

  /** Backfilling: max_id from 0 (the newest), each time the lowest id seen, until a page is empty. */
  async syncBackward(): Promise<FeverItem[]> {
    const items: FeverItem[] = [];
    let max = 0;
    for (;;) {
      const page = (await this.items({ max_id: max })).items;
      if (page.length === 0) return items;
      items.push(...page);
      max = Math.min(...page.map((i) => i.id));
    }
  }

  async unreadIds(): Promise<number[]> {
    return idsOf((await this.ok({ unread_item_ids: true })).unread_item_ids);
  }

  async savedIds(): Promise<number[]> {
    return idsOf((await this.ok({ saved_item_ids: true })).saved_item_ids);
  }

  markItem(id: number, as: 'read' | 'unread' | 'saved' | 'unsaved') {
    return this.ok({}, { mark: 'item', as, id });
  }

  markFeed(id: number, before: number) {
    return this.ok({}, { mark: 'feed', as: 'read', id, before });
  }

  markGroup(id: number, before: number) {
    return this.ok({}, { mark: 'group', as: 'read', id, before });
  }
}
