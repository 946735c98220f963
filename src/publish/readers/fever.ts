// The Fever API (feedafever.com/api, version 3) under /api/fever: apps POST to `BASE/api/fever/?api`
// with the form field `api_key`, md5("name:password") in lowercase hex, where the password is the
// reader's API password when set, else the login password. The words of the query string (and the
// form) say what to answer: groups, feeds, favicons, items, links, unread_item_ids, saved_item_ids;
// `mark` changes state first. Every answer is JSON with `api_version` and `auth`; a wrong or missing
// key is `{"api_version":3,"auth":0}`, as Fever answers it, and counts against the address as a wrong
// password does (429 with Retry-After once the address is at its limit).
//
// Groups and feeds are the desk's streams (as in the Google Reader API): the groups Top stories,
// Topics and Providers, holding the top-stories feed, a feed per topic and a feed per provider. Fever
// gives an item one feed: the provider of its lead. Items are numbered as they first appear (see
// ReaderStore.numberItems), so since_id paging misses nothing that appears later.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Desk } from '../../jobs/desk.ts';
import { ReaderStore, type ItemQuery, type ItemRef, type ItemScope, type Reader } from '../../store/readers.ts';
import { ReaderAccounts } from './accounts.ts';
import { deskStreams, renderItems, type DeskStream } from './desk-items.ts';
import { LABELS, paramsOf } from './greader.ts';
import { squareIcon } from './favicon.ts';

const API_VERSION = 3;
/** Items and links per answer, as Fever serves them. */
export const FEVER_PAGE = 50;
const GROUPS = [
  { id: 1, kind: 'top', title: LABELS.top },
  { id: 2, kind: 'topic', title: LABELS.topic },
  { id: 3, kind: 'provider', title: LABELS.provider },
] as const;
/** Fever's own groups: 0 is everything (Kindling), -1 the Sparks (this desk has none). */
const KINDLING = 0;
const SPARKS = -1;
const FAVICONS = { top: 1, topic: 2, provider: 3 } as const;
const ICONS = [
  { id: FAVICONS.top, data: `image/png;base64,${squareIcon([196, 48, 43]).toString('base64')}` },
  { id: FAVICONS.topic, data: `image/png;base64,${squareIcon([46, 104, 178]).toString('base64')}` },
  { id: FAVICONS.provider, data: `image/png;base64,${squareIcon([90, 96, 104]).toString('base64')}` },
];

class FeverError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly auth: 0 | 1,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
const bad = (reason: string) => new FeverError(400, reason, 1);

function integer(params: URLSearchParams, name: string, { min = 0, max = 2_147_483_647 } = {}): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const text = raw.trim();
  if (!/^-?[0-9]{1,12}$/.test(text) || Number(text) < min || Number(text) > max) throw bad(`${name} must be a whole number from ${min} to ${max}, not ${text.slice(0, 40)}`);
  return Number(text);
}

/** `with_ids`: a comma list of at most 50 item ids. */
function idList(raw: string): number[] {
  const parts = raw.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length > FEVER_PAGE) throw bad(`with_ids takes at most ${FEVER_PAGE} ids, not ${parts.length}`);
  return parts.map((p) => {
    if (!/^[0-9]{1,10}$/.test(p) || Number(p) < 1 || Number(p) > 2_147_483_647) throw bad(`with_ids: not an item id: ${p.slice(0, 40)}`);
    return Number(p);
  });
}

/** Text fields of a multipart/form-data body (some Fever apps post the form that way). */
export function multipartFields(body: string, contentType: string): URLSearchParams {
  const match = /boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  if (!match) throw new FeverError(400, 'a multipart body needs a boundary', 0);
  const delimiter = `--${match[1] ?? match[2]}`;
  const fields = new URLSearchParams();
  for (const part of body.split(delimiter).slice(1)) {
    if (part.startsWith('--')) break;
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(part.slice(0, split))?.[1];
    if (name !== undefined) fields.append(name, part.slice(split + 4).replace(/\r\n$/, ''));
  }
  return fields;
}

const seconds = (iso: string | null) => {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
};

interface FeedTable {
  streams: Array<DeskStream & { id: number }>;
  byId: Map<number, DeskStream>;
  providerIds: Map<string, number>;
}

export async function registerFeverRoutes(app: FastifyInstance, desk: Desk, accounts = new ReaderAccounts(desk.store)): Promise<void> {
  const readers = new ReaderStore(desk.store);

  const feedTable = async (reader: Reader, extraProviders: string[] = []): Promise<FeedTable> => {
    const streams = await deskStreams(desk, reader);
    const top = await readers.feedIds('top', ['top']);
    const topics = await readers.feedIds('topic', streams.filter((s) => s.kind === 'topic').map((s) => s.ref));
    const providerIds = await readers.feedIds('provider', [...streams.filter((s) => s.kind === 'provider').map((s) => s.ref), ...extraProviders]);
    const idOf = (s: DeskStream) => (s.kind === 'top' ? top.get('top')! : s.kind === 'topic' ? topics.get(s.ref)! : providerIds.get(s.ref)!);
    const numbered = streams.map((s) => ({ ...s, id: idOf(s) }));
    return { streams: numbered, byId: new Map(numbered.map((s) => [s.id, s])), providerIds };
  };

  const feedsGroups = (table: FeedTable) => GROUPS.map((g) => ({ group_id: g.id, feed_ids: table.streams.filter((s) => s.kind === g.kind).map((s) => s.id).join(',') }));

  /** Every item of a group: the union of its feeds' (top and providers hold them all; topics those with a topic). */
  const groupItems = async (reader: Reader, group: number, query: Omit<ItemQuery, 'scope' | 'order'>): Promise<ItemRef[]> => {
    if (group === SPARKS) return [];
    const all = await readers.items(reader, { ...query, scope: { kind: 'all' }, order: 'number-asc' });
    if (group === KINDLING || group === 1 || group === 3) return all;
    if (group !== 2) throw bad(`no group ${group}`);
    const taxonomy = new Set((await deskStreams(desk, reader)).filter((s) => s.kind === 'topic').map((s) => (s.scope as { topic: string }).topic));
    const topics = await readers.leadTopics(all.map((i) => i.leadId));
    return all.filter((i) => (topics.get(i.leadId) ?? []).some((t) => taxonomy.has(t)));
  };

  const scopeOfFeed = async (reader: Reader, id: number): Promise<ItemScope> => {
    const feed = await readers.feedById(id);
    if (!feed) throw bad(`no feed ${id}`);
    if (feed.kind === 'top') return { kind: 'all' };
    if (feed.kind === 'provider') return { kind: 'provider', domain: feed.key };
    const stream = (await feedTable(reader)).streams.find((s) => s.kind === 'topic' && s.ref === feed.key);
    if (!stream) throw bad(`feed ${id} is a topic no longer in the taxonomy`);
    return stream.scope;
  };

  /** `before` is the client's time of its last items request: only what was numbered by then is marked. */
  const numberedBy = (params: URLSearchParams): string => {
    const before = integer(params, 'before', { min: 0, max: 253_402_300_799 });
    return new Date(before === undefined ? Date.now() : (before + 1) * 1000).toISOString();
  };

  const mark = async (reader: Reader, params: URLSearchParams): Promise<void> => {
    const what = params.get('mark')?.trim();
    if (!what) return;
    const as = params.get('as')?.trim() ?? '';
    const id = integer(params, 'id', { min: -1 });
    if (id === undefined) throw bad('mark needs an id');
    if (what === 'item') {
      if (!['read', 'unread', 'saved', 'unsaved'].includes(as)) throw bad(`an item is marked as read, unread, saved or unsaved, not ${as.slice(0, 40)}`);
      const stories = await readers.storiesOfNumbers([id]);
      if (as === 'unsaved') return readers.setStarred(reader.id, stories, false);
      const existing = await readers.existingItems(reader, stories);
      if (as === 'saved') return readers.setStarred(reader.id, existing, true);
      return readers.setRead(reader.id, existing, as === 'read');
    }
    if (what !== 'feed' && what !== 'group') throw bad(`mark is item, feed or group, not ${what.slice(0, 40)}`);
    if (as !== 'read') throw bad(`a ${what} is marked as read, not ${as.slice(0, 40)}`);
    const query = { unreadOnly: true, numberedBefore: numberedBy(params) };
    const items = what === 'group' ? await groupItems(reader, id, query) : await readers.items(reader, { ...query, scope: await scopeOfFeed(reader, id), order: 'number-asc' });
    await readers.setRead(reader.id, items.map((i) => i.storyId), true);
  };

  const items = async (reader: Reader, params: URLSearchParams) => {
    let refs: ItemRef[];
    const withIds = params.get('with_ids');
    if (withIds !== null && withIds.trim() !== '') {
      const stories = await readers.storiesOfNumbers(idList(withIds));
      const found = await readers.items(reader, { scope: { kind: 'ids', storyIds: stories }, order: 'number-asc' });
      const seen = new Set(found.map((i) => i.storyId));
      // A saved item no longer published stays the reader's: it is served by id as it is listed.
      const kept = stories.some((s) => !seen.has(s)) ? (await readers.items(reader, { scope: { kind: 'starred' }, order: 'number-asc' })).filter((i) => stories.includes(i.storyId) && !seen.has(i.storyId)) : [];
      refs = [...found, ...kept].sort((a, b) => a.number! - b.number!);
    } else {
      const sinceId = integer(params, 'since_id');
      const maxId = integer(params, 'max_id');
      const query: ItemQuery = { scope: { kind: 'all' }, order: maxId !== undefined && sinceId === undefined ? 'number-desc' : 'number-asc', limit: FEVER_PAGE };
      if (sinceId !== undefined) query.numberAbove = sinceId;
      // max_id=0 asks for the newest items.
      if (maxId !== undefined && maxId > 0) query.numberBelow = maxId;
      refs = await readers.items(reader, query);
    }
    const rendered = await renderItems(desk, refs.filter((r) => r.number !== null));
    const providerIds = await readers.feedIds('provider', rendered.map((r) => r.ref.provider));
    return {
      items: rendered.map((item) => ({
        id: item.ref.number!,
        feed_id: providerIds.get(item.ref.provider)!,
        title: item.title,
        author: item.author,
        html: item.html,
        url: item.url,
        is_saved: item.ref.starred ? 1 : 0,
        is_read: item.ref.read ? 1 : 0,
        created_on_time: item.published,
      })),
      total_items: await readers.itemCount(),
    };
  };

  /** Hot stories by heat, in a window of days ending at the newest item (or now, if that is sooner: a desk that has not fetched lately shows what was hot when it last did). */
  const links = async (reader: Reader, params: URLSearchParams) => {
    const offset = integer(params, 'offset', { max: 36_500 }) ?? 0;
    const range = integer(params, 'range', { min: 1, max: 36_500 }) ?? 7;
    const page = integer(params, 'page', { min: 1, max: 100_000 }) ?? 1;
    const all = await readers.items(reader, { scope: { kind: 'all' }, order: 'newest' });
    const newest = all.length ? Date.parse(all[0]!.time) : Date.now();
    const end = Math.min(Date.now(), Number.isNaN(newest) ? Date.now() : newest) - offset * 86_400_000;
    const start = end - range * 86_400_000;
    const hot = all
      .filter((i) => i.heat !== null && i.number !== null && Date.parse(i.time) > start && Date.parse(i.time) <= end)
      .sort((a, b) => b.heat! - a.heat! || a.number! - b.number!)
      .slice((page - 1) * FEVER_PAGE, page * FEVER_PAGE);
    const rendered = await renderItems(desk, hot);
    const providerIds = await readers.feedIds('provider', hot.map((h) => h.provider));
    return rendered.map((item) => ({
      id: item.ref.number!,
      feed_id: providerIds.get(item.ref.provider)!,
      item_id: item.ref.number!,
      temperature: Math.round(item.ref.heat! * 10) / 10,
      is_item: 1,
      is_local: 1,
      is_saved: item.ref.starred ? 1 : 0,
      title: item.title,
      url: item.url,
      item_ids: String(item.ref.number!),
    }));
  };

  const feeds = async (reader: Reader, table: FeedTable) => {
    const all = await readers.items(reader, { scope: { kind: 'all' }, order: 'newest' });
    const topics = await readers.leadTopics(all.map((i) => i.leadId));
    const newest = new Map<string, number>();
    const seen = (key: string, item: ItemRef) => newest.set(key, Math.max(newest.get(key) ?? 0, seconds(item.time)));
    const topicKeys = new Map(table.streams.filter((s) => s.kind === 'topic').map((s) => [(s.scope as { topic: string }).topic, s.key]));
    for (const item of all) {
      seen('top', item);
      seen(`provider:${item.provider}`, item);
      for (const t of topics.get(item.leadId) ?? []) {
        const key = topicKeys.get(t);
        if (key) seen(key, item);
      }
    }
    return table.streams.map((s) => ({ id: s.id, favicon_id: FAVICONS[s.kind], title: s.title, url: s.feedUrl, site_url: s.htmlUrl, is_spark: 0, last_updated_on_time: newest.get(s.key) ?? 0 }));
  };

  const answer = async (req: FastifyRequest, reply: FastifyReply) => {
    const params = paramsOf(req);
    if (params.get('api')?.trim().toLowerCase() === 'xml') throw new FeverError(400, 'this server answers the Fever API in JSON only: ask for ?api, not ?api=xml', 0);
    const key = params.get('api_key')?.trim().toLowerCase() || null;
    const auth = await accounts.bearer('fever', key, req.ip);
    if (!auth.ok) {
      if (auth.reason === 'rate-limited') throw new FeverError(429, 'too many attempts', 0, { 'retry-after': String(auth.retryAfterSeconds ?? 60) });
      return reply.send({ api_version: API_VERSION, auth: 0 });
    }
    const reader = auth.reader;
    await readers.foldMerged(reader.id);
    await readers.numberItems();
    await mark(reader, params);
    const out: Record<string, unknown> = { api_version: API_VERSION, auth: 1, last_refreshed_on_time: seconds(await readers.lastFetchedAt()) };
    const asked = (word: string) => params.has(word);
    if (asked('groups') || asked('feeds')) {
      const table = await feedTable(reader);
      if (asked('groups')) out.groups = GROUPS.map((g) => ({ id: g.id, title: g.title }));
      if (asked('feeds')) out.feeds = await feeds(reader, table);
      out.feeds_groups = feedsGroups(table);
    }
    if (asked('favicons')) out.favicons = ICONS;
    if (asked('items')) Object.assign(out, await items(reader, params));
    if (asked('links')) out.links = await links(reader, params);
    if (asked('unread_item_ids')) out.unread_item_ids = numbersOf(await readers.items(reader, { scope: { kind: 'all' }, order: 'number-asc', unreadOnly: true }));
    if (asked('saved_item_ids')) out.saved_item_ids = numbersOf(await readers.items(reader, { scope: { kind: 'starred' }, order: 'number-asc' }));
    return reply.send(out);
  };

  await app.register(
    async (scope) => {
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, new URLSearchParams(body as string)));
      scope.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 64 * 1024 }, (req, body, done) => {
        try {
          done(null, multipartFields(body as string, String(req.headers['content-type'])));
        } catch (err) {
          done(err as Error, undefined);
        }
      });
      scope.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
        if (err instanceof FeverError) return reply.status(err.status).headers(err.headers).send({ api_version: API_VERSION, auth: err.auth, error: err.message });
        if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return reply.status(err.statusCode).send({ api_version: API_VERSION, auth: 0, error: err.message });
        desk.log.error({ err }, 'fever api request failed');
        return reply.status(500).send({ api_version: API_VERSION, auth: 0, error: 'internal error' });
      });
      scope.setNotFoundHandler((_req, reply) => reply.status(404).send({ api_version: API_VERSION, auth: 0, error: 'not found: the Fever API is BASE/api/fever/?api' }));
      scope.post('/', answer);
      scope.get('/', answer);
    },
    { prefix: '/api/fever' },
  );
}

const numbersOf = (items: ItemRef[]) =>
  items
    .map((i) => i.number)
    .filter((n): n is number => n !== null)
    .join(',');
