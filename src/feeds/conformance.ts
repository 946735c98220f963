// Runs the Universal Feed Parser test feeds through newsdesk's parser. feedparser's results are
// Python dicts with their own key names; `feedparserView` maps a ParsedFeed onto those names
// (title → title_detail.value, categories → tags[].term, ...) and `evaluateConditions` applies the
// manifest's Expect conditions to that view. Nothing here looks at a test's file name: the only
// inputs are the bytes, the HTTP headers the manifest says to serve them with, and the conditions.
import { parseFeed } from './parse.ts';
import { isNewsdeskError } from '../errors.ts';
import { normalizeCharsetLabel } from './charset.ts';
import type { InReplyTo, FeedEntry, FeedGenerator, FeedLink, FeedPerson, FeedSource, FeedTag, ParsedFeed, TextDetail, TextField } from './types.ts';

export interface ManifestItem {
  path: string;
  category: string;
  description: string;
  expect: string;
  http_headers: Record<string, string> | null;
  input_mode: 'text' | 'http' | 'bytes';
  harness_bozo_assertion: string | boolean | null;
  conditions: Condition[] | null;
  translatable: boolean;
}

export interface Condition {
  op: string;
  path?: (string | number)[];
  paths?: (string | number)[][];
  value?: unknown;
  conditions?: Condition[];
}

type View = Record<string, unknown>;

function textType(type: 'text' | 'html' | undefined): string {
  return type === 'html' ? 'text/html' : 'text/plain';
}

function detail(value: string | null | undefined, type: 'text' | 'html' | undefined, language: string | null | undefined, base?: string): View | undefined {
  if (value === null || value === undefined) return undefined;
  return { value, type: textType(type), language: language ?? null, base: base ?? '' };
}

/** The `*_detail` of one text field, with that field's own language and base when the parser recorded them. */
function fieldDetail(
  owner: { textDetails?: Partial<Record<TextField, TextDetail>>; language?: string | null; base?: string },
  field: TextField,
  value: string | null | undefined,
  type: 'text' | 'html' | undefined,
): View | undefined {
  const own = owner.textDetails?.[field];
  return detail(value, type, own ? own.language : owner.language, own ? own.base : owner.base);
}

/** A Python `time.struct_time`-like 9-tuple in UTC, as feedparser gives for `*_parsed`. */
export function dateTuple(iso: string | null | undefined): number[] | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return undefined;
  const startOfYear = Date.UTC(d.getUTCFullYear(), 0, 1);
  const yearDay = Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - startOfYear) / 86_400_000) + 1;
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), (d.getUTCDay() + 6) % 7, yearDay, 0];
}

function setIf(target: View, key: string, value: unknown): void {
  if (value !== undefined && value !== null) target[key] = value;
}

/** Applied to every HTML value in the view, e.g. the sanitizer newsdesk runs before display. */
export type HtmlTransform = (html: string, baseUrl?: string) => string;

function markup(value: string | null | undefined, type: 'text' | 'html' | undefined, base: string | undefined, html?: HtmlTransform): string | null | undefined {
  return html && type === 'html' && typeof value === 'string' ? html(value, base) : value;
}

function personView(p: FeedPerson): View {
  const view: View = {};
  setIf(view, 'name', p.name);
  setIf(view, 'email', p.email);
  setIf(view, 'href', p.url);
  return view;
}

function peopleInto(view: View, authors: FeedPerson[] | undefined, names: string[] | undefined, contributors: FeedPerson[] | undefined): void {
  const people = authors?.length ? authors : (names ?? []).map((name) => ({ name, email: null, url: null }));
  if (people.length) {
    const first = people[0]!;
    // feedparser's one-line author: `name (email)` when both are known.
    view.author = first.name && first.email ? `${first.name} (${first.email})` : (first.name ?? first.email);
    view.author_detail = personView(first);
    view.authors = people.map(personView);
  }
  if (contributors?.length) view.contributors = contributors.map(personView);
}

function tagsView(tags: FeedTag[] | undefined, terms: string[] | undefined): View[] | undefined {
  const list = tags?.length ? tags : (terms ?? []).map((term) => ({ term, scheme: null, label: null }));
  return list.length ? list.map((t) => ({ term: t.term, scheme: t.scheme, label: t.label })) : undefined;
}

function linksView(links: FeedLink[] | undefined): View[] {
  return (links ?? []).map((l) => {
    const link: View = { href: l.href, rel: l.rel };
    setIf(link, 'type', l.type);
    setIf(link, 'title', l.title);
    setIf(link, 'hreflang', l.hreflang);
    if (l.length !== undefined) link.length = String(l.length);
    return link;
  });
}

function generatorView(into: View, generator: FeedGenerator | null | undefined): void {
  if (!generator) return;
  setIf(into, 'generator', generator.name);
  const detail: View = {};
  setIf(detail, 'name', generator.name);
  setIf(detail, 'href', generator.url);
  setIf(detail, 'version', generator.version);
  into.generator_detail = detail;
}

function sourceView(source: FeedSource, language: string | null, base: string | undefined, html?: HtmlTransform): View {
  const view: View = {};
  setIf(view, 'id', source.id);
  const title = markup(source.title, source.titleType, base, html);
  setIf(view, 'title', title);
  setIf(view, 'title_detail', detail(title, source.titleType, language, base));
  setIf(view, 'link', source.link);
  if (source.links.length) view.links = linksView(source.links);
  setIf(view, 'href', source.url);
  const subtitle = markup(source.subtitle, source.subtitleType, base, html);
  setIf(view, 'subtitle', subtitle);
  setIf(view, 'subtitle_detail', detail(subtitle, source.subtitleType, language, base));
  const rights = markup(source.rights, source.rightsType, base, html);
  setIf(view, 'rights', rights);
  setIf(view, 'rights_detail', detail(rights, source.rightsType, language, base));
  peopleInto(view, source.authorDetails, undefined, source.contributors);
  setIf(view, 'tags', tagsView(source.tags, undefined));
  generatorView(view, source.generator);
  setIf(view, 'icon', source.icon);
  setIf(view, 'logo', source.logo);
  setIf(view, 'updated', source.updatedText ?? source.updated);
  setIf(view, 'updated_parsed', dateTuple(source.updated));
  return view;
}

function replyView(reply: InReplyTo): View {
  return Object.fromEntries(Object.entries(reply).filter(([, v]) => v !== null));
}

function entryView(entry: FeedEntry, html?: HtmlTransform): View {
  const view: View = {};
  const language = entry.language ?? null;
  setIf(view, 'id', entry.id);
  const title = markup(entry.title, entry.titleType, entry.base, html);
  setIf(view, 'title', title);
  setIf(view, 'title_detail', fieldDetail(entry, 'title', title, entry.titleType));
  setIf(view, 'link', entry.link);
  view.links = linksView(entry.links);
  // feedparser fills summary from content when an entry has only content.
  const summaryType = entry.summary !== null ? entry.summaryType : entry.contentType;
  const summary = markup(entry.summary ?? entry.content, summaryType, entry.base, html);
  setIf(view, 'summary', summary);
  setIf(view, 'summary_detail', fieldDetail(entry, entry.summary !== null ? 'summary' : 'content', summary, summaryType));
  if (entry.content === null && entry.contentSrc) view.content = [{ value: '', src: entry.contentSrc, type: 'text/plain', language: entry.language ?? null, base: entry.base ?? '' }];
  if (entry.content !== null) {
    const content = fieldDetail(entry, 'content', markup(entry.content, entry.contentType, entry.base, html), entry.contentType)!;
    if (entry.contentMediaType) content.type = entry.contentMediaType;
    if (entry.contentSrc) content.src = entry.contentSrc;
    view.content = [content];
  }
  setIf(view, 'published', entry.publishedText ?? entry.published);
  setIf(view, 'published_parsed', dateTuple(entry.published));
  setIf(view, 'updated', entry.updatedText ?? entry.updated ?? entry.publishedText ?? entry.published);
  setIf(view, 'updated_parsed', dateTuple(entry.updated ?? entry.published));
  peopleInto(view, entry.authorDetails, entry.authors, entry.contributors);
  setIf(view, 'tags', tagsView(entry.tags, entry.categories));
  if (entry.enclosures.length) {
    view.enclosures = entry.enclosures.map((e) => {
      const enclosure: View = { href: e.url };
      if (e.length !== null) enclosure.length = String(e.length);
      setIf(enclosure, 'type', e.type);
      return enclosure;
    });
  }
  setIf(view, 'comments', entry.comments);
  setIf(view, 'wfw_comment', entry.commentApi);
  setIf(view, 'wfw_commentrss', entry.commentsFeed);
  const rights = markup(entry.rights, entry.rightsType, entry.base, html);
  setIf(view, 'rights', rights);
  setIf(view, 'rights_detail', fieldDetail(entry, 'rights', rights, entry.rightsType));
  // feedparser marks a link taken from a permalink guid.
  if (entry.id && entry.link === entry.id) view.guidislink = true;
  setIf(view, 'license', entry.license);
  // feedparser's `where` is GeoJSON: a Polygon's coordinates are a list of rings; an unusable geometry is `{}`.
  if (entry.where) view.where = entry.where.type === null ? {} : { type: entry.where.type, coordinates: entry.where.type === 'Polygon' ? [entry.where.coordinates] : entry.where.coordinates };
  if (entry.podcast) {
    view.itunes_explicit = entry.podcast.explicit;
    view.itunes_block = entry.podcast.block ? 1 : 0;
    setIf(view, 'itunes_duration', entry.podcast.duration);
  }
  if (entry.chapters) {
    view.psc_chapters = {
      version: entry.chapters.version,
      chapters: entry.chapters.chapters.map((c) => {
        const chapter: View = { start: c.start, title: c.title };
        if (c.startSeconds !== null) chapter.start_parsed = { $timedelta_seconds: c.startSeconds };
        setIf(chapter, 'href', c.href);
        setIf(chapter, 'image', c.image);
        return chapter;
      }),
    };
  }
  setIf(view, 'created', entry.createdText);
  setIf(view, 'created_parsed', dateTuple(entry.created));
  setIf(view, 'expired', entry.expiredText);
  setIf(view, 'expired_parsed', dateTuple(entry.expired));
  if (entry.publisher) {
    view.publisher = entry.publisher.name ?? entry.publisher.email;
    view.publisher_detail = personView(entry.publisher);
  }
  setIf(view, 'subtitle', entry.subtitle);
  if (entry.inReplyTo?.length) view['thr_in-reply-to'] = replyView(entry.inReplyTo[0]!);
  if (entry.mediaPlayer) view.media_player = { url: entry.mediaPlayer.url, ...(entry.mediaPlayer.width !== null ? { width: String(entry.mediaPlayer.width) } : {}), ...(entry.mediaPlayer.height !== null ? { height: String(entry.mediaPlayer.height) } : {}) };
  if (entry.source) view.source = sourceView(entry.source, language, entry.base, html);
  if (entry.images.length) {
    view.media_thumbnail = entry.images.map((i) => ({ url: i.url }));
    view.image = { href: entry.images[0]!.url };
  }
  return view;
}

/** The feedparser-shaped result for a parsed feed (or for a feed newsdesk refused: bozo, nothing else). */
export function feedparserView(parsed: ParsedFeed | null, http: { headers?: Record<string, string> } = {}, html?: HtmlTransform): View {
  const headers = Object.fromEntries(Object.entries(http.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const result: View = { bozo: 1, feed: {}, entries: [], headers };
  if (headers.etag) result.etag = headers.etag;
  if (headers['last-modified']) {
    result.modified = headers['last-modified'];
    result.modified_parsed = dateTuple(new Date(headers['last-modified']).toISOString());
  }
  if (!parsed) return result;
  result.bozo = parsed.wellFormed === false ? 1 : 0;
  setIf(result, 'encoding', parsed.charset);
  setIf(result, 'version', parsed.version);
  const feed: View = {};
  const title = markup(parsed.title, parsed.titleType, parsed.base, html);
  setIf(feed, 'title', title);
  setIf(feed, 'title_detail', fieldDetail(parsed, 'title', title, parsed.titleType));
  setIf(feed, 'link', parsed.link);
  if (parsed.links?.length) feed.links = linksView(parsed.links);
  const subtitle = markup(parsed.subtitle ?? parsed.description, parsed.subtitleType, parsed.base, html);
  setIf(feed, 'subtitle', subtitle);
  setIf(feed, 'subtitle_detail', fieldDetail(parsed, 'subtitle', subtitle, parsed.subtitleType));
  setIf(feed, 'language', parsed.language);
  const rights = markup(parsed.rights, parsed.rightsType, parsed.base, html);
  setIf(feed, 'rights', rights);
  setIf(feed, 'rights_detail', fieldDetail(parsed, 'rights', rights, parsed.rightsType ?? 'text'));
  setIf(feed, 'icon', parsed.icon);
  setIf(feed, 'logo', parsed.logo);
  setIf(feed, 'updated', parsed.updatedText ?? parsed.updated);
  setIf(feed, 'updated_parsed', dateTuple(parsed.updated));
  setIf(feed, 'id', parsed.id);
  if (parsed.generatorDetail) generatorView(feed, parsed.generatorDetail);
  else setIf(feed, 'generator', parsed.generator);
  if (parsed.image) feed.image = { href: parsed.image };
  if (parsed.imageDetail) {
    const image: View = { href: parsed.imageDetail.url };
    setIf(image, 'title', parsed.imageDetail.title);
    setIf(image, 'link', parsed.imageDetail.link);
    setIf(image, 'width', parsed.imageDetail.width);
    setIf(image, 'height', parsed.imageDetail.height);
    setIf(image, 'description', parsed.imageDetail.description);
    feed.image = image;
  }
  peopleInto(feed, parsed.authorDetails, parsed.authors, parsed.contributors);
  setIf(feed, 'published', parsed.publishedText ?? parsed.published);
  setIf(feed, 'published_parsed', dateTuple(parsed.published));
  if (parsed.ttlMinutes !== undefined) feed.ttl = String(parsed.ttlMinutes);
  setIf(feed, 'newlocation', parsed.movedTo);
  if (parsed.publisher) {
    feed.publisher = parsed.publisher.name ?? parsed.publisher.email;
    feed.publisher_detail = personView(parsed.publisher);
  }
  if (parsed.podcast) {
    feed.itunes_explicit = parsed.podcast.explicit;
    feed.itunes_block = parsed.podcast.block ? 1 : 0;
  }
  setIf(feed, 'tags', tagsView(parsed.tags, parsed.categories));
  const info = markup(parsed.info, parsed.infoType, parsed.base, html);
  setIf(feed, 'info', info);
  setIf(feed, 'info_detail', fieldDetail(parsed, 'info', info, parsed.infoType));
  setIf(feed, 'docs', parsed.docs);
  if (parsed.inReplyTo?.length) feed['thr_in-reply-to'] = replyView(parsed.inReplyTo[0]!);
  if (parsed.cloud) {
    const c = parsed.cloud;
    feed.cloud = Object.fromEntries(Object.entries({ domain: c.domain, port: c.port, path: c.path, registerprocedure: c.registerProcedure, protocol: c.protocol }).filter(([, v]) => v !== null));
  }
  if (parsed.textInput) feed.textinput = Object.fromEntries(Object.entries(parsed.textInput).filter(([, v]) => v !== null));
  if (parsed.validity) {
    setIf(feed, 'validity_start', parsed.validity.startText);
    setIf(feed, 'validity_start_parsed', dateTuple(parsed.validity.start));
    setIf(feed, 'validity_end', parsed.validity.endText);
    setIf(feed, 'validity_end_parsed', dateTuple(parsed.validity.end));
  }
  setIf(feed, 'created', parsed.createdText);
  setIf(feed, 'created_parsed', dateTuple(parsed.created));
  result.feed = feed;
  result.entries = parsed.entries.map((entry) => {
    const view = entryView(entry, html);
    // An entry's own language (dc:language, xml:lang on the item) when it differs from the feed's.
    if (entry.language && entry.language !== parsed.language) view.language = entry.language;
    return view;
  });
  return result;
}

// feedparser's FeedParserDict answers these names for others; a test may use either.
const keyAliases: Record<string, string[]> = {
  channel: ['feed'],
  items: ['entries'],
  guid: ['id'],
  date: ['updated'],
  date_parsed: ['updated_parsed'],
  description: ['summary', 'subtitle'],
  description_detail: ['summary_detail', 'subtitle_detail'],
  url: ['href'],
  modified: ['updated'],
  modified_parsed: ['updated_parsed'],
  issued: ['published'],
  issued_parsed: ['published_parsed'],
  copyright: ['rights'],
  copyright_detail: ['rights_detail'],
  tagline: ['subtitle'],
  tagline_detail: ['subtitle_detail'],
};

const missing = Symbol('missing');

function getKey(container: unknown, key: string | number): unknown {
  if (Array.isArray(container)) {
    if (typeof key !== 'number') return missing;
    const index = key < 0 ? container.length + key : key;
    return index >= 0 && index < container.length ? container[index] : missing;
  }
  if (container === null || typeof container !== 'object') return missing;
  const record = container as View;
  if (typeof key === 'number') return missing;
  if (key in record) return record[key];
  for (const alias of keyAliases[key] ?? []) if (alias in record) return record[alias];
  if (key === 'category') {
    const tags = record.tags;
    if (Array.isArray(tags) && tags.length) return (tags[0] as View).term;
  }
  if (key === 'license') {
    const links = record.links;
    if (Array.isArray(links)) return (links as View[]).find((l) => l.rel === 'license')?.href ?? missing;
  }
  if (key === 'enclosures' && Array.isArray(record.links)) {
    const enclosures = (record.links as View[]).filter((l) => l.rel === 'enclosure');
    if (enclosures.length) return enclosures;
  }
  return missing;
}

function resolvePath(root: View, path: (string | number)[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    node = getKey(node, key);
    if (node === missing) return missing;
  }
  return node;
}

function truthy(value: unknown): boolean {
  if (value === missing || value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value as object).length > 0;
  return true;
}

function decodeExpected(value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as View;
    if ('$tuple' in record) return (record.$tuple as unknown[]).map(decodeExpected);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decodeExpected(v)]));
  }
  if (Array.isArray(value)) return value.map(decodeExpected);
  return value;
}

/** Python `==`: booleans equal 0/1, containers compare structurally. */
function pythonEquals(actual: unknown, expected: unknown): boolean {
  if (actual === missing) return false;
  // The manifest writes a timedelta as whole seconds (its microseconds were dropped in translation).
  if (expected && typeof expected === 'object' && '$timedelta_seconds' in expected && actual && typeof actual === 'object' && '$timedelta_seconds' in actual) {
    return Math.floor((actual as View).$timedelta_seconds as number) === (expected as View).$timedelta_seconds;
  }
  const norm = (v: unknown): unknown => (v === true ? 1 : v === false ? 0 : v);
  const a = norm(actual);
  const e = norm(expected);
  if (a === e) return true;
  if (a === null || e === null || typeof a !== 'object' || typeof e !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(e)) return false;
  if (Array.isArray(a) && Array.isArray(e)) return a.length === e.length && a.every((v, i) => pythonEquals(v, e[i]));
  const ak = Object.keys(a as object).filter((k) => (a as View)[k] !== undefined && (a as View)[k] !== null || k in (e as object));
  const ek = Object.keys(e as object);
  if (!ek.every((k) => ak.includes(k))) return false;
  return ek.every((k) => pythonEquals((a as View)[k], (e as View)[k])) && ak.every((k) => ek.includes(k));
}

export function evaluateCondition(view: View, condition: Condition): boolean {
  const value = condition.path ? resolvePath(view, condition.path) : undefined;
  switch (condition.op) {
    case 'always':
      return true;
    case 'eq':
      // Charset names are case-insensitive and have aliases (GB2312 is read as its superset
      // gb18030, TIS-620 as windows-874): compare them as charsets, not as strings.
      if (condition.path?.length === 1 && condition.path[0] === 'encoding' && typeof value === 'string' && typeof condition.value === 'string') {
        return (normalizeCharsetLabel(value) ?? value.toLowerCase()) === (normalizeCharsetLabel(condition.value) ?? condition.value.toLowerCase());
      }
      return pythonEquals(value, decodeExpected(condition.value));
    case 'ne':
      return !pythonEquals(value, decodeExpected(condition.value));
    case 'truthy':
      return truthy(value);
    case 'falsy':
      return !truthy(value);
    case 'is':
      return value !== missing && (value ?? null) === condition.value;
    case 'len_eq':
      return Array.isArray(value) || typeof value === 'string' ? value.length === condition.value : false;
    case 'absent':
    case 'lacks_key':
      return condition.op === 'absent' ? value === missing : getKey(value, String(condition.value)) === missing;
    case 'not_contains':
      return value !== missing && getKey(value, String(condition.value)) === missing;
    case 'paths_equal': {
      const [first, ...rest] = (condition.paths ?? []).map((p) => resolvePath(view, p));
      return first !== missing && rest.every((v) => pythonEquals(v, first));
    }
    case 'any':
      return (condition.conditions ?? []).some((c) => evaluateCondition(view, c));
    case 'all':
      return (condition.conditions ?? []).every((c) => evaluateCondition(view, c));
    default:
      return false;
  }
}

export function evaluateConditions(view: View, conditions: Condition[]): boolean {
  return conditions.every((c) => evaluateCondition(view, c));
}

export interface CaseOutcome {
  path: string;
  category: string;
  passed: boolean;
  /** Set when newsdesk's parser threw something other than its coded "unparseable" error. */
  exception?: string;
  /** Set when newsdesk refused the feed as unparseable (a coded error, counted as bozo). */
  refused?: string;
}

/** Runs one case from its bytes and (for http cases) the response headers it was served with. */
export function runCase(item: ManifestItem, bytes: Uint8Array, url: string, headers: Record<string, string> = {}, html?: HtmlTransform): CaseOutcome {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  let parsed: ParsedFeed | null = null;
  const outcome: CaseOutcome = { path: item.path, category: item.category, passed: false };
  try {
    parsed = parseFeed(bytes, { url, contentType: lower['content-type'] ?? null, contentLocation: lower['content-location'] ?? null, contentLanguage: lower['content-language'] ?? null });
  } catch (err) {
    if (isNewsdeskError(err, 'ND_FEED_UNPARSEABLE')) outcome.refused = err.message;
    else outcome.exception = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
  if (outcome.exception) return outcome;
  const view = feedparserView(parsed, { headers: lower }, html);
  const conditions = [...(item.conditions ?? [])];
  // The harness-level bozo assertion: wellformed feeds must not be bozo; for undefined-entity
  // feeds a strict XML parser must report them (newsdesk's well-formedness check is strict).
  const bozoAssertion = item.harness_bozo_assertion;
  if (bozoAssertion === false || bozoAssertion === 'False') conditions.unshift({ op: 'falsy', path: ['bozo'] });
  else if (typeof bozoAssertion === 'string' && bozoAssertion.startsWith('strict:true')) conditions.unshift({ op: 'truthy', path: ['bozo'] });
  outcome.passed = item.translatable && evaluateConditions(view, conditions);
  return outcome;
}
