// The Google Reader API as FreshRSS and Miniflux serve it, under /api/greader (clients take
// BASE/api/greader as their server URL). Login trades a name and password (the API password when set)
// for an Auth token (ClientLogin); every other call carries `Authorization: GoogleLogin auth=TOKEN`.
// Streams: the desk's subscriptions (`feed/top`, `feed/topic:<id>`, `feed/provider:<domain>`), the
// labels grouping them, and the reader's states (reading-list, read, starred). Items are published
// stories; their ids come in both forms (`tag:google.com,2005:reader/item/<16 hex>` and decimal).
// Errors are answered as the protocol's clients expect: plain text, 401 for a missing or bad token.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Desk } from '../../jobs/desk.ts';
import { nowIso } from '../../store/values.ts';
import { ReaderStore, type ItemQuery, type ItemRef, type ItemScope, type Reader } from '../../store/readers.ts';
import { ReaderAccounts, writeToken } from './accounts.ts';
import { deskStreams, renderItems, streamByKey, type DeskStream, type RenderedItem } from './desk-items.ts';
import { sameToken } from '../desk/auth.ts';
import { xmlEscape } from '../feeds-out/write.ts';

const ITEM_PREFIX = 'tag:google.com,2005:reader/item/';
const STATE = 'user/-/state/com.google/';
const READING_LIST = `${STATE}reading-list`;
const READ = `${STATE}read`;
const STARRED = `${STATE}starred`;
const KEPT_UNREAD = `${STATE}kept-unread`;
export const LABELS = { top: 'Top stories', topic: 'Topics', provider: 'Providers' } as const;
const MAX_ITEMS = 10_000;
const MAX_IDS = 10_000;

class ProtocolError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
const bad = (reason: string) => new ProtocolError(400, `Error=BadRequest ${reason}`);

export const longItemId = (storyId: number) => `${ITEM_PREFIX}${storyId.toString(16).padStart(16, '0')}`;

/** A story id from an item id in either form (long hex, short decimal, or bare 16 hex digits); null when it is neither. */
export function parseItemId(raw: string): number | null {
  const text = raw.trim();
  let value: bigint;
  if (text.startsWith(ITEM_PREFIX)) {
    const hex = text.slice(ITEM_PREFIX.length);
    if (!/^[0-9a-fA-F]{1,16}$/.test(hex)) return null;
    value = BigInt(`0x${hex}`);
  } else if (/^-?[0-9]{1,20}$/.test(text)) {
    value = BigInt(text);
    if (value < 0n) value += 1n << 64n;
  } else if (/^[0-9a-fA-F]{16}$/.test(text)) {
    value = BigInt(`0x${text}`);
  } else return null;
  return value >= 1n && value <= 2_147_483_647n ? Number(value) : null;
}

/** `user/<anything>/...` means the caller's own, as `user/-/...` does. */
const normalizeStream = (id: string) => id.trim().replace(/^user\/[^/]+\//, 'user/-/');

function usec(seconds: number): string {
  return `${BigInt(Math.max(0, Math.floor(seconds))) * 1_000_000n}`;
}

function parseSeconds(raw: string | null, name: string): number | undefined {
  if (raw === null || raw === '') return undefined;
  if (!/^[0-9]{1,17}$/.test(raw)) throw bad(`${name} must be a time in seconds`);
  return Number(raw);
}

const isoOf = (seconds: number) => nowIso(new Date(Math.min(seconds, 253_402_300_799) * 1000));

function encodeContinuation(item: ItemRef): string {
  return Buffer.from(JSON.stringify([item.time, item.storyId])).toString('base64url');
}

function decodeContinuation(raw: string): { time: string; storyId: number } {
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'string' && value[0].length <= 40 && Number.isSafeInteger(value[1])) return { time: value[0], storyId: value[1] as number };
  } catch {
    // falls through
  }
  throw bad('c is not a continuation this server gave');
}

/** Query string and form body together, every value of a repeated key kept. */
export function paramsOf(req: FastifyRequest): URLSearchParams {
  const q = req.url.indexOf('?');
  const params = new URLSearchParams(q >= 0 ? req.url.slice(q + 1) : '');
  if (req.body instanceof URLSearchParams) for (const [k, v] of req.body) params.append(k, v);
  return params;
}

function authTokenOf(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^GoogleLogin\s+auth=(\S+)$/i.exec(header.trim()) : null;
  return match ? match[1]! : null;
}

interface Resolved {
  id: string;
  title: string;
  scope: ItemScope;
  stream?: DeskStream;
}

function resolveStream(streams: DeskStream[], raw: string, siteName: string): Resolved {
  const id = normalizeStream(raw);
  if (id === READING_LIST) return { id, title: `${siteName}: reading list`, scope: { kind: 'all' } };
  if (id === STARRED) return { id, title: 'Starred', scope: { kind: 'starred' } };
  if (id === READ) return { id, title: 'Read', scope: { kind: 'read' } };
  if (id.startsWith('feed/')) {
    const stream = streamByKey(streams, id.slice(5));
    if (stream) return { id, title: stream.title, scope: stream.scope, stream };
  }
  if (id.startsWith('user/-/label/')) {
    const label = id.slice('user/-/label/'.length);
    // Every item is a top story with a lead from some provider: each label holds them all.
    if (Object.values(LABELS).includes(label as never)) return { id, title: label, scope: { kind: 'all' } };
  }
  throw new ProtocolError(404, `Error=UnknownStream ${raw.slice(0, 200)}`);
}

export function registerGoogleReaderRoutes(app: FastifyInstance, desk: Desk, accounts = new ReaderAccounts(desk.store)): Promise<void> {
  const readers = new ReaderStore(desk.store);

  const authorize = async (req: FastifyRequest): Promise<{ reader: Reader; token: string }> => {
    const token = authTokenOf(req);
    const auth = await accounts.bearer('greader', token, req.ip);
    if (!auth.ok) {
      if (auth.reason === 'rate-limited') throw new ProtocolError(429, 'Error=TooManyRequests', { 'retry-after': String(auth.retryAfterSeconds ?? 60) });
      throw new ProtocolError(401, 'Unauthorized', { 'google-bad-token': 'true' });
    }
    await readers.foldMerged(auth.reader.id);
    return { reader: auth.reader, token: token! };
  };

  /** POSTs that change state carry T when the client has one: a wrong one is refused (a missing one is not: the Auth header cannot be sent by another site's page). */
  const checkWriteToken = (params: URLSearchParams, token: string) => {
    const t = params.get('T');
    if (t !== null && !sameToken(t.trim(), writeToken(token))) throw new ProtocolError(401, 'Unauthorized', { 'x-reader-google-bad-token': 'true' });
  };

  const itemQuery = (params: URLSearchParams, scope: ItemScope, defaultN: number): ItemQuery => {
    const nRaw = params.get('n');
    let limit = defaultN;
    if (nRaw !== null && nRaw !== '') {
      if (!/^[0-9]{1,9}$/.test(nRaw)) throw bad('n must be a number');
      limit = Math.min(Math.max(1, Number(nRaw)), MAX_ITEMS);
    }
    const query: ItemQuery = { scope, order: params.get('r') === 'o' ? 'oldest' : 'newest', limit: limit + 1 };
    const ot = parseSeconds(params.get('ot'), 'ot');
    const nt = parseSeconds(params.get('nt'), 'nt');
    if (ot !== undefined) query.since = isoOf(ot);
    if (nt !== undefined) query.before = isoOf(nt);
    for (const xt of params.getAll('xt').map(normalizeStream)) {
      if (xt === READ) query.unreadOnly = true;
    }
    for (const it of params.getAll('it').map(normalizeStream)) {
      if (it === STARRED) query.starredOnly = true;
      if (it === READ && scope.kind === 'all') query.scope = { kind: 'read' };
    }
    const c = params.get('c');
    if (c) query.after = decodeContinuation(c);
    return query;
  };

  const page = async (reader: Reader, query: ItemQuery): Promise<{ items: ItemRef[]; continuation?: string }> => {
    const limit = query.limit! - 1;
    const found = await readers.items(reader, query);
    const items = found.slice(0, limit);
    return found.length > limit && items.length ? { items, continuation: encodeContinuation(items.at(-1)!) } : { items };
  };

  const toJsonItem = (item: RenderedItem, streams: DeskStream[], origin?: DeskStream) => {
    const source = origin ?? streamByKey(streams, `provider:${item.ref.provider}`);
    const categories = [READING_LIST, ...item.topics.map((t) => `user/-/label/${t}`)];
    if (item.ref.read) categories.push(READ);
    if (item.ref.starred) categories.push(STARRED);
    return {
      id: longItemId(item.ref.storyId),
      crawlTimeMsec: String(Date.parse(item.lead.createdAt) || item.published * 1000),
      timestampUsec: usec(item.published),
      published: item.published,
      updated: item.published,
      title: item.title,
      canonical: [{ href: item.url }],
      alternate: [{ href: item.url, type: 'text/html' }],
      categories,
      origin: { streamId: source ? `feed/${source.key}` : 'feed/top', title: source?.title ?? item.author, htmlUrl: source?.htmlUrl ?? item.url },
      summary: { direction: 'ltr', content: item.html },
      author: item.author,
    };
  };

  return app.register(
    async (scope) => {
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, new URLSearchParams(body as string)));
      scope.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
        if (err instanceof ProtocolError) return reply.status(err.status).headers(err.headers).type('text/plain; charset=utf-8').send(`${err.message}\n`);
        if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return reply.status(err.statusCode).type('text/plain; charset=utf-8').send(`Error=BadRequest\n`);
        desk.log.error({ err }, 'google reader api request failed');
        return reply.status(500).type('text/plain; charset=utf-8').send('Error=InternalError\n');
      });
      scope.setNotFoundHandler((_req, reply) => reply.status(404).type('text/plain; charset=utf-8').send('Error=NotFound\n'));

      const login = async (req: FastifyRequest, reply: FastifyReply) => {
        const params = paramsOf(req);
        const name = (params.get('Email') ?? '').trim();
        const password = params.get('Passwd') ?? '';
        if (!name || !password) throw new ProtocolError(401, 'Error=BadAuthentication');
        const auth = await accounts.passwordLogin(name, password, req.ip);
        if (!auth.ok) {
          if (auth.reason === 'rate-limited') throw new ProtocolError(429, 'Error=TooManyRequests', { 'retry-after': String(auth.retryAfterSeconds ?? 60) });
          throw new ProtocolError(401, 'Error=BadAuthentication');
        }
        const token = await accounts.issueToken(auth.reader);
        if (params.get('output') === 'json') return reply.type('application/json; charset=utf-8').send({ SID: token, LSID: null, Auth: token });
        return reply.type('text/plain; charset=utf-8').send(`SID=${token}\nLSID=null\nAuth=${token}\n`);
      };
      scope.post('/accounts/ClientLogin', login);
      scope.get('/accounts/ClientLogin', login);

      scope.get('/reader/api/0/token', async (req, reply) => {
        const { token } = await authorize(req);
        return reply.type('text/plain; charset=utf-8').send(writeToken(token));
      });

      scope.get('/reader/api/0/user-info', async (req) => {
        const { reader } = await authorize(req);
        return { userId: String(reader.id), userName: reader.name, userProfileId: String(reader.id), userEmail: '', isBloggerUser: false, signupTimeSec: Math.floor(Date.parse(reader.createdAt) / 1000) };
      });

      scope.get('/reader/api/0/subscription/list', async (req) => {
        const { reader } = await authorize(req);
        const streams = await deskStreams(desk, reader);
        return {
          subscriptions: streams.map((s) => ({
            id: `feed/${s.key}`,
            title: s.title,
            categories: [{ id: `user/-/label/${LABELS[s.kind]}`, label: LABELS[s.kind] }],
            url: s.feedUrl,
            htmlUrl: s.htmlUrl,
            iconUrl: '',
            firstitemmsec: '0',
            sortid: s.key,
          })),
        };
      });

      scope.get('/reader/api/0/tag/list', async (req) => {
        await authorize(req);
        return { tags: [{ id: STARRED, sortid: 'starred' }, ...Object.values(LABELS).map((label) => ({ id: `user/-/label/${label}`, sortid: label, type: 'folder' }))] };
      });

      scope.get('/reader/api/0/unread-count', async (req) => {
        const { reader } = await authorize(req);
        const streams = await deskStreams(desk, reader);
        const unread = await readers.items(reader, { scope: { kind: 'all' }, order: 'newest', unreadOnly: true });
        const topics = await readers.leadTopics(unread.map((u) => u.leadId));
        const counts = new Map<string, { count: number; newest: number }>();
        const add = (id: string, item: ItemRef) => {
          const entry = counts.get(id) ?? { count: 0, newest: 0 };
          entry.count++;
          entry.newest = Math.max(entry.newest, Math.floor(Date.parse(item.time) / 1000) || 0);
          counts.set(id, entry);
        };
        const topicStream = new Map(streams.filter((s) => s.kind === 'topic').map((s) => [(s.scope as { topic: string }).topic, s.key]));
        for (const item of unread) {
          add(READING_LIST, item);
          add('feed/top', item);
          add(`user/-/label/${LABELS.top}`, item);
          add(`feed/provider:${item.provider}`, item);
          add(`user/-/label/${LABELS.provider}`, item);
          const keys = (topics.get(item.leadId) ?? []).map((t) => topicStream.get(t)).filter((k): k is string => k !== undefined);
          for (const key of keys) add(`feed/${key}`, item);
          if (keys.length) add(`user/-/label/${LABELS.topic}`, item);
        }
        return { max: MAX_ITEMS, unreadcounts: [...counts].map(([id, c]) => ({ id, count: c.count, newestItemTimestampUsec: usec(c.newest) })) };
      });

      const streamContents = async (req: FastifyRequest, rawStream: string | null) => {
        const { reader } = await authorize(req);
        const params = paramsOf(req);
        const streamId = rawStream ?? params.get('s');
        if (!streamId) throw bad('which stream: s is missing');
        const streams = await deskStreams(desk, reader);
        const stream = resolveStream(streams, streamId, desk.config.siteName);
        const { items, continuation } = await page(reader, itemQuery(params, stream.scope, 20));
        const rendered = await renderItems(desk, items);
        return {
          direction: 'ltr',
          id: stream.id,
          title: stream.title,
          ...(stream.stream ? { alternate: [{ href: stream.stream.htmlUrl, type: 'text/html' }] } : {}),
          updated: Math.floor(Date.now() / 1000),
          items: rendered.map((item) => toJsonItem(item, streams, stream.stream)),
          ...(continuation ? { continuation } : {}),
        };
      };
      scope.get<{ Params: { '*': string } }>('/reader/api/0/stream/contents/*', async (req) => streamContents(req, req.params['*'] || null));
      scope.get('/reader/api/0/stream/contents', async (req) => streamContents(req, null));

      // The same streams as Atom, as Google Reader served them at /reader/atom/<stream> (what
      // newsboat's FeedHQ and Old Reader sources read): read and starred as gr categories.
      scope.get<{ Params: { '*': string } }>('/reader/atom/*', async (req, reply) => {
        const { reader } = await authorize(req);
        const params = paramsOf(req);
        const streams = await deskStreams(desk, reader);
        const stream = resolveStream(streams, req.params['*'] || READING_LIST, desk.config.siteName);
        const { items, continuation } = await page(reader, itemQuery(params, stream.scope, 20));
        const rendered = await renderItems(desk, items);
        const x = xmlEscape;
        const user = `user/${reader.id}/state/com.google/`;
        const category = (state: string) => `<category term="${user}${state}" scheme="http://www.google.com/reader/" label="${state}"/>`;
        const entries = rendered.map((item) => {
          const json = toJsonItem(item, streams, stream.stream);
          const when = new Date(item.published * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
          return [
            `<entry gr:crawl-timestamp-msec="${x(json.crawlTimeMsec)}">`,
            `<id gr:original-id="${x(item.url)}">${x(json.id)}</id>`,
            category('reading-list'),
            item.ref.read ? category('read') : category('fresh'),
            item.ref.starred ? category('starred') : '',
            ...item.topics.map((t) => `<category term="user/${reader.id}/label/${x(t)}" scheme="http://www.google.com/reader/" label="${x(t)}"/>`),
            `<title type="html">${x(item.title)}</title>`,
            `<published>${when}</published>`,
            `<updated>${when}</updated>`,
            `<link rel="alternate" href="${x(item.url)}" type="text/html"/>`,
            `<content type="html">${x(item.html)}</content>`,
            `<author><name>${x(item.author)}</name></author>`,
            `<source gr:stream-id="${x(json.origin.streamId)}"><id>tag:google.com,2005:reader/${x(json.origin.streamId)}</id><title>${x(json.origin.title)}</title><link rel="alternate" href="${x(json.origin.htmlUrl)}" type="text/html"/></source>`,
            '</entry>',
          ]
            .filter(Boolean)
            .join('\n');
        });
        const body = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:gr="http://www.google.com/schemas/reader/atom/" xmlns:idx="urn:atom-extension:indexing" idx:index="no" gr:dir="ltr">
<id>tag:google.com,2005:reader/${x(stream.id)}</id>
<title>${x(stream.title)}</title>
${stream.stream ? `<link rel="alternate" href="${x(stream.stream.htmlUrl)}" type="text/html"/>\n` : ''}${continuation ? `<gr:continuation>${x(continuation)}</gr:continuation>\n` : ''}<updated>${nowIso()}</updated>
${entries.join('\n')}
</feed>
`;
        return reply.type('application/atom+xml; charset=utf-8').send(body);
      });

      scope.get('/reader/api/0/stream/items/ids', async (req) => {
        const { reader } = await authorize(req);
        const params = paramsOf(req);
        const streamId = params.get('s');
        if (!streamId) throw bad('which stream: s is missing');
        const stream = resolveStream(await deskStreams(desk, reader), streamId, desk.config.siteName);
        const { items, continuation } = await page(reader, itemQuery(params, stream.scope, 1000));
        return {
          itemRefs: items.map((i) => ({ id: String(i.storyId), directStreamIds: [`feed/provider:${i.provider}`], timestampUsec: usec(Math.floor(Date.parse(i.time) / 1000) || 0) })),
          ...(continuation ? { continuation } : {}),
        };
      });

      const itemIds = (params: URLSearchParams): number[] => {
        const raw = params.getAll('i');
        if (raw.length > MAX_IDS) throw bad(`at most ${MAX_IDS} item ids at once`);
        return raw.map((r) => {
          const id = parseItemId(r);
          if (id === null) throw bad(`not an item id: ${r.slice(0, 80)}`);
          return id;
        });
      };

      const itemContents = async (req: FastifyRequest) => {
        const { reader } = await authorize(req);
        const params = paramsOf(req);
        const wanted = await readers.currentStoryIds(itemIds(params));
        const found = new Map((await readers.items(reader, { scope: { kind: 'ids', storyIds: wanted }, order: 'newest' })).map((i) => [i.storyId, i]));
        const streams = await deskStreams(desk, reader);
        const rendered = await renderItems(desk, wanted.map((id) => found.get(id)).filter((i): i is ItemRef => i !== undefined));
        return { direction: 'ltr', id: READING_LIST, updated: Math.floor(Date.now() / 1000), items: rendered.map((item) => toJsonItem(item, streams)) };
      };
      scope.post('/reader/api/0/stream/items/contents', itemContents);
      scope.get('/reader/api/0/stream/items/contents', itemContents);

      scope.post('/reader/api/0/edit-tag', async (req, reply) => {
        const { reader, token } = await authorize(req);
        const params = paramsOf(req);
        checkWriteToken(params, token);
        const ids = await readers.currentStoryIds(itemIds(params));
        if (ids.length === 0) throw bad('no item: give i');
        const add = params.getAll('a').map(normalizeStream);
        const remove = params.getAll('r').map(normalizeStream);
        for (const tag of [...add, ...remove]) {
          if (![READ, STARRED, KEPT_UNREAD, `${STATE}tracking-kept-unread`, `${STATE}broadcast`, `${STATE}like`].includes(tag) && !tag.startsWith('user/-/label/')) throw bad(`unknown tag ${tag.slice(0, 80)}`);
        }
        const existing = await readers.existingItems(reader, ids);
        if (add.includes(READ)) await readers.setRead(reader.id, existing, true);
        if (remove.includes(READ) || add.includes(KEPT_UNREAD)) await readers.setRead(reader.id, existing, false);
        if (add.includes(STARRED)) await readers.setStarred(reader.id, existing, true);
        if (remove.includes(STARRED)) await readers.setStarred(reader.id, existing, false);
        return reply.type('text/plain; charset=utf-8').send('OK');
      });

      scope.post('/reader/api/0/mark-all-as-read', async (req, reply) => {
        const { reader, token } = await authorize(req);
        const params = paramsOf(req);
        checkWriteToken(params, token);
        const streamId = params.get('s');
        if (!streamId) throw bad('which stream: s is missing');
        const stream = resolveStream(await deskStreams(desk, reader), streamId, desk.config.siteName);
        const ts = params.get('ts');
        if (ts !== null && ts !== '' && !/^[0-9]{1,20}$/.test(ts)) throw bad('ts must be a time in microseconds');
        const query: ItemQuery = { scope: stream.scope, order: 'id-asc', unreadOnly: true };
        if (ts) query.before = isoOf(Math.floor(Number(BigInt(ts) / 1_000_000n)) + 1);
        const items = await readers.items(reader, query);
        await readers.setRead(reader.id, items.map((i) => i.storyId), true);
        return reply.type('text/plain; charset=utf-8').send('OK');
      });
    },
    { prefix: '/api/greader' },
  ) as unknown as Promise<void>;
}
