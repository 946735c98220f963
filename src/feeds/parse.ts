// Bytes of a feed in, a normalized ParsedFeed out. The bytes are decoded by the charset module,
// parsed by feedsmith, and, when feedsmith cannot make a feed of them, by the lenient
// @rowanmanning/feed-parser before the feed is declared broken. Normalization resolves every URL
// against xml:base and the feed URL, turns dates into ISO UTC and gathers images from enclosures
// and the media and itunes namespaces.
import { parseFeed as feedsmithParse } from 'feedsmith';
import { parseFeed as lenientParse } from '@rowanmanning/feed-parser';
import { newsdeskError } from '../errors.ts';
import { decodeText, fixC1Characters, fixC1References, repairDoubleEncoding, type DecodedText } from './charset.ts';
import { parseFeedDate } from './dates.ts';
import { checkWellFormed, closeTruncatedDocument } from './wellformed.ts';
import { buildTree, childNamed, childrenNamed, type XmlElement } from './xmltree.ts';
import { applyAtomChapters, applyRssTree, needsRssTree, rssTreeMarkers } from './rss-tree.ts';
import { isCdf, parseCdf } from './cdf.ts';
import { normalizeHtml } from './html-normalize.ts';
import { applyGeo, geoMarkers, mentionsGeo } from './geo.ts';
import type { InReplyTo, FeedEnclosure, FeedEntry, FeedFormat, FeedGenerator, FeedGeometry, FeedLink, FeedMediaImage, FeedPerson, FeedSource, FeedTag, ParsedFeed, PodcastInfo, TextDetail, TextField } from './types.ts';

export interface ParseFeedOptions {
  /** The URL the feed was fetched from (after redirects); the base for relative URLs. */
  url: string;
  contentType?: string | null;
  /** HTTP Content-Language: the feed's language when the feed itself names none. */
  contentLanguage?: string | null;
  /** HTTP Content-Location; when it is an http(s) URL it is the base for relative URLs (RFC 2616 14.14). */
  contentLocation?: string | null;
}

// feedsmith's output is a union of four deep generic shapes; the normalizer reads it field by
// field with these small accessors instead of narrowing every union.
type Raw = Record<string, unknown>;
const asRaw = (v: unknown): Raw | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : undefined);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
/** asList's reading, without building a list for a single value (the common case on hot paths). */
function eachOf(v: unknown, fn: (item: unknown) => void): void {
  if (Array.isArray(v)) for (const item of v) fn(item);
  else if (v !== undefined && v !== null) fn(v);
}
function asString(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number') return String(v);
  const raw = asRaw(v);
  if (raw && typeof raw.value === 'string') return raw.value.trim() || null;
  return null;
}
const asNumber = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};
function path(v: unknown, ...keys: string[]): unknown {
  let node = v;
  for (const key of keys) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Raw)[key];
  }
  return node;
}

/** Resolves `ref` against `base`; keeps only web-safe results (no `javascript:` or `data:` links). */
export function resolveUrl(ref: string | null | undefined, base: string | null | undefined): string | null {
  if (!ref) return null;
  const trimmed = ref.trim();
  if (!trimmed) return null;
  const simple = resolveSimpleUrl(trimmed, base);
  if (simple !== null) return simple;
  try {
    const resolved = base ? new URL(trimmed, base) : new URL(trimmed);
    if (!webSafeProtocols.has(resolved.protocol)) return null;
    // WHATWG URL serialization lowercases hosts and percent-encodes IRIs; a feed's URL is kept as
    // the publisher wrote it when it names the same resource.
    if (keepsWrittenForm.test(trimmed) || (base && baseKeepsWrittenForm(base))) {
      const written = joinReference(trimmed, base ?? '');
      if (written !== null && written !== resolved.href) {
        try {
          if (new URL(written).href === resolved.href) return written;
        } catch {
          // the written form is not a URL on its own; the serialized one stands
        }
      }
    }
    return resolved.href;
  } catch {
    // A relative reference with no usable base stays as written rather than vanishing.
    return /^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^(javascript|data|vbscript):/i.test(trimmed) ? trimmed : base ? null : trimmed;
  }
}

// Non-ASCII characters or an upper-case letter in the scheme-and-host part.
const keepsWrittenForm = /[^\x00-\x7f]|^[a-z][\w+.-]*:\/\/[^/?#]*[A-Z]/;
const webSafeProtocols = new Set(['http:', 'https:', 'ftp:', 'mailto:', 'file:', 'magnet:', 'tag:', 'urn:']);

// Most feed URLs are plain: an http(s) URL with a lower-case host name (not an IP address or
// an IDN), a path without dot segments, and only characters that no URL component escapes.
// WHATWG serialization gives such a URL back unchanged, and resolves a plain path reference
// against a plain base by joining strings, so resolveSimpleUrl does that without building URL
// objects (a feed has several URLs per item); everything else goes through new URL().
const pathChars = "[\\w\\-.~!$&'()*+,;=:@%/]";
const plainTail = "(?:\\?[\\w\\-.~!$&()*+,;=:@%/?]*)?(?:#[\\w\\-.~!$&'()*+,;=:@%/?]*)?$";
const plainAbsoluteUrl = new RegExp(`^https?://(?:[a-z0-9-]+\\.)*[a-z][a-z0-9-]*/${pathChars}*${plainTail}`);
const plainRootRelative = new RegExp(`^/(?!/)${pathChars}*${plainTail}`);
// A path reference may not start with a dot or hold a colon before its query (it would read as a scheme).
const plainPathRelative = new RegExp(`^[\\w\\-~!$&'()*+,;=@%][\\w\\-.~!$&'()*+,;=@%/]*${plainTail}`);

/** A dot segment (also percent-encoded) or an IDN label: URLs with these are never plain. */
const mayNotBePlain = (url: string): boolean => url.includes('/.') || url.includes('%2e') || url.includes('%2E') || url.includes('xn--');

// A feed resolves all its URLs against one or two bases, so facts about the last base are kept.
let lastBase: string | null = null;
let lastBaseKeeps = false;
let lastBaseOrigin: string | null = null;
let lastBaseDirectory: string | null = null;
function rememberBase(base: string): void {
  if (base === lastBase) return;
  lastBase = base;
  lastBaseKeeps = keepsWrittenForm.test(base);
  if (!mayNotBePlain(base) && plainAbsoluteUrl.test(base)) {
    const pathStart = base.indexOf('/', base.indexOf('//') + 2);
    const pathEnd = base.search(/[?#]/);
    const path = pathEnd === -1 ? base : base.slice(0, pathEnd);
    lastBaseOrigin = base.slice(0, pathStart);
    lastBaseDirectory = path.slice(0, path.lastIndexOf('/') + 1);
  } else {
    lastBaseOrigin = null;
    lastBaseDirectory = null;
  }
}

function baseKeepsWrittenForm(base: string): boolean {
  rememberBase(base);
  return lastBaseKeeps;
}

/** resolveUrl's result for a plain URL or a plain reference against a plain base; null when either is not plain. */
function resolveSimpleUrl(ref: string, base: string | null | undefined): string | null {
  if (mayNotBePlain(ref)) return null;
  // An absolute URL ignores the base, even one new URL() would reject (resolveUrl then keeps the reference as written).
  if (plainAbsoluteUrl.test(ref)) return ref;
  if (!base) return null;
  rememberBase(base);
  if (lastBaseOrigin === null) return null;
  if (plainRootRelative.test(ref)) return lastBaseOrigin + ref;
  if (plainPathRelative.test(ref)) return lastBaseDirectory + ref;
  return null;
}

function removeDotSegments(path: string): string {
  const out: string[] = [];
  const segments = path.split('/');
  segments.forEach((segment, i) => {
    if (segment === '.') {
      if (i === segments.length - 1) out.push('');
    } else if (segment === '..') {
      if (out.length > 1) out.pop();
      if (i === segments.length - 1) out.push('');
    } else out.push(segment);
  });
  return out.join('/');
}

/** RFC 3986 5.2 reference resolution on the strings as written (no normalization); null if `base` is not absolute. */
export function joinReference(ref: string, base: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) return ref;
  const b = /^([a-z][a-z0-9+.-]*:)(\/\/[^/?#]*)?([^?#]*)(\?[^#]*)?/i.exec(base);
  if (!b) return null;
  const [, scheme, authority = '', basePath = '', baseQuery = ''] = b;
  if (ref.startsWith('//')) return scheme + ref;
  if (ref === '' || ref.startsWith('#')) return scheme + authority + basePath + baseQuery + ref;
  if (ref.startsWith('?')) return scheme + authority + basePath + ref;
  const cut = /[?#]/.exec(ref)?.index ?? ref.length;
  const refPath = ref.slice(0, cut);
  const rest = ref.slice(cut);
  if (refPath.startsWith('/')) return scheme + authority + removeDotSegments(refPath) + rest;
  const dir = authority && !basePath ? '/' : basePath.slice(0, basePath.lastIndexOf('/') + 1);
  return scheme + authority + removeDotSegments(dir + refPath) + rest;
}

/** A base URL for the next level down: `xml:base` resolved against the current base, if usable. */
function childBase(xmlBase: unknown, base: string): string {
  const declared = asString(xmlBase);
  if (!declared) return base;
  const resolved = resolveUrl(declared, base);
  return resolved && /^(https?|file):/.test(resolved) ? resolved : base;
}

const urlAttributes = /(\s(?:href|src|cite|poster|longdesc|background|action|usemap|codebase|dynsrc|lowsrc|profile)\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/gi;

/** Makes relative `href`/`src` (and the like) inside an HTML fragment absolute. */
export function resolveHtmlUrls(html: string, base: string): string {
  if (!/\s(?:href|src|cite|poster|longdesc|background|action|usemap|codebase|dynsrc|lowsrc|profile)\s*=/i.test(html)) return html;
  // No tag starts after the last `>`: the pattern is not tried there, where it would read to the end
  // from every `<` (quadratic on a fragment of unclosed tags).
  const tagsEnd = html.lastIndexOf('>') + 1;
  return html.slice(0, tagsEnd).replace(/<[a-zA-Z][^>]*>/g, (tag) => resolveTagUrls(tag, base)) + html.slice(tagsEnd);
}

/** One tag with its URL attributes resolved against `base` and written double-quoted. */
function resolveTagUrls(tag: string, base: string): string {
  // A URL attribute needs `=`; most tags (`<p>`, `<br />`) have none.
  if (!tag.includes('=')) return tag;
  let out = '';
  let written = 0;
  urlAttributes.lastIndex = 0;
  for (let m = urlAttributes.exec(tag); m !== null; m = urlAttributes.exec(tag)) {
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    const resolved = resolveUrl(decodeBasicEntities(value), base);
    if (resolved === null || resolved === value) continue;
    const escaped = resolved.includes('&') || resolved.includes('"') ? resolved.replace(/&/g, '&amp;').replace(/"/g, '&quot;') : resolved;
    out += `${tag.slice(written, m.index)}${m[1]}"${escaped}"`;
    written = m.index + m[0].length;
  }
  urlAttributes.lastIndex = 0;
  return written === 0 ? tag : out + tag.slice(written);
}

/**
 * resolveHtmlUrls(normalizeHtml(html, xhtml), base). For HTML the URLs are resolved in the
 * normalizing pass, tag by tag: each tag resolveHtmlUrls would rewrite is one piece of markup
 * normalizeHtml writes out (no `<` or `>` is left unescaped inside an attribute it writes).
 */
export function canonicalHtml(html: string, xhtml: boolean, base: string): string {
  if (xhtml) return resolveHtmlUrls(normalizeHtml(html, true), base);
  // A start tag is resolved directly; comments and the like may hold several tags.
  return normalizeHtml(html, false, (markup) => (!markup.includes('=') ? markup : markup.charCodeAt(1) === 0x21 /* ! */ || markup.charCodeAt(1) === 0x3f /* ? */ ? resolveHtmlUrls(markup, base) : resolveTagUrls(markup, base)));
}

function decodeBasicEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(amp|lt|gt|quot|apos|#(\d+)|#x([0-9a-f]+));/gi, (whole, name: string, dec?: string, hex?: string) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[name.toLowerCase()] ?? whole;
  });
}

const looksLikeHtml = /<\/?[a-zA-Z][a-zA-Z0-9]*(\s[^>]*)?\/?>|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);/;

/** Atom text construct type → newsdesk's two kinds. Atom 0.3 uses MIME types (`text/html`, `application/xhtml+xml`). */
function markupOf(type: unknown, value: string | null): 'text' | 'html' {
  const t = typeof type === 'string' ? type.trim().toLowerCase() : '';
  if (t === 'html' || t === 'xhtml' || t.includes('html')) return 'html';
  if (t === 'text' || t === 'text/plain') return 'text';
  if (!t) return 'text';
  return value && looksLikeHtml.test(value) ? 'html' : 'text';
}

interface TextValue {
  value: string | null;
  type: 'text' | 'html';
  language?: string | null;
  base?: string;
}

/** BCP 47 form of a language tag as feeds write it (`en_US` → `en-US`); blank means "no language". */
export function normalizeLanguage(tag: unknown): string | null {
  if (typeof tag !== 'string') return null;
  const trimmed = tag.trim().replace(/_/g, '-');
  return trimmed || null;
}

/** The element's own `xml:lang` if it has one (an empty one clears the inherited language), else the inherited one. */
function languageOf(node: unknown, inherited: string | null): string | null {
  const own = path(node, 'xml', 'lang');
  return typeof own === 'string' ? normalizeLanguage(own) : inherited;
}

function recordDetail(target: { textDetails?: Partial<Record<TextField, TextDetail>> }, field: TextField, text: TextValue): void {
  if (text.value === null || text.base === undefined) return;
  target.textDetails ??= {};
  target.textDetails[field] = { language: text.language ?? null, base: text.base };
}

// RFC 4287 4.1.3.3: a text or content element whose type is neither text, html, xhtml, an XML
// nor a text/* type carries base64.
function decodedBase64(v: unknown): string | null {
  const declared = asString(asRaw(v)?.type)?.toLowerCase() ?? '';
  const value = asString(v);
  if (!value || !declared.includes('/') || declared.startsWith('text/') || declared.includes('xml')) return null;
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+=*$/.test(compact)) return null;
  const decoded = Buffer.from(compact, 'base64').toString('utf8');
  return decoded.includes('\ufffd') ? null : decoded;
}

function atomText(v: unknown, base: string, inheritedLanguage: string | null = null): TextValue {
  const ownBase = childBase(path(v, 'xml', 'base'), base);
  const language = languageOf(v, inheritedLanguage);
  const base64 = decodedBase64(v);
  if (base64 !== null) {
    const type = looksLikeHtml.test(base64) ? 'html' : 'text';
    return { value: type === 'html' ? resolveHtmlUrls(base64, ownBase) : base64, type, language, base: ownBase };
  }
  const written = asString(v);
  const value = written === null ? null : repairDoubleEncoding(written);
  const type = markupOf(asRaw(v)?.type, value);
  if (value === null) return { value: null, type };
  const xhtml = /xhtml|xml/i.test(String(asRaw(v)?.type ?? ''));
  return { value: type === 'html' ? canonicalHtml(fixC1References(value), xhtml, ownBase) : value, type, language, base: ownBase };
}

// RSS leaves markup undeclared; description and content:encoded are HTML by convention, a title
// is HTML only if it visibly contains markup.
function rssText(v: unknown, base: string, defaultType: 'text' | 'html', language: string | null = null): TextValue {
  const written = asString(v);
  if (written === null) return { value: null, type: defaultType };
  // Entities decode after the document-level repair, so double-encoded text written as references is fixed here.
  const value = repairDoubleEncoding(written);
  const type = defaultType === 'html' || looksLikeHtml.test(value) ? 'html' : 'text';
  return { value: type === 'html' ? canonicalHtml(fixC1References(value), false, base) : value, type, language, base };
}

function dedupe(values: (string | null | undefined)[]): string[] {
  // Lists here are short (an entry's authors, categories): a scan beats building a Set.
  if (values.length <= 8) {
    const out: string[] = [];
    for (const v of values) if (v && !out.includes(v)) out.push(v);
    return out;
  }
  const seen = new Set<string>();
  for (const v of values) if (v) seen.add(v);
  return [...seen];
}

function personName(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  const raw = asRaw(v);
  if (!raw) return null;
  return asString(raw.name) ?? asString(raw.email) ?? null;
}

const emailPattern = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;

/** A person from a feed: an object with name/email/uri, or a string like `Name (email)`, `Name <email>`, `email (Name)`. */
export function personOf(v: unknown, base?: string): FeedPerson | null {
  const raw = asRaw(v);
  if (raw) {
    const name = asString(raw.name);
    const email = asString(raw.email);
    const url = resolveUrl(asString(raw.uri) ?? asString(raw.url) ?? asString(raw.link), base);
    if (name && !email) {
      const parsed = personOf(name);
      if (parsed?.email) return { ...parsed, url };
    }
    return name || email || url ? { name, email, url } : null;
  }
  const text = asString(v);
  if (!text) return null;
  const email = emailPattern.exec(text)?.[0] ?? null;
  if (!email) return { name: text, email: null, url: null };
  const rest = text.replace(email, '').replace(/mailto:/i, '').replace(/[()<>]/g, ' ').replace(/\s+/g, ' ').trim();
  return { name: rest || null, email, url: null };
}

/**
 * The people of feedsmith values (each a list, one value or nothing), in order and without repeats,
 * their URIs resolved against `base` (relative author URIs are common in Atom).
 */
function peopleOf(base: string, ...values: unknown[]): FeedPerson[] {
  const out: FeedPerson[] = [];
  for (const value of values) eachOf(value, (v) => addPerson(out, personOf(withBase(v, base))));
  return out;
}

function addPerson(out: FeedPerson[], person: FeedPerson | null): void {
  if (!person) return;
  for (const p of out) if (p.name === person.name && p.email === person.email && p.url === person.url) return;
  out.push(person);
}

/** A person object with its uri resolved against `base`; anything else as it is. */
function withBase(v: unknown, base: string): unknown {
  const raw = asRaw(v);
  if (!raw) return v;
  const uri = asString(raw.uri) ?? asString(raw.url);
  return uri ? { ...raw, uri: resolveUrl(uri, base) ?? uri } : raw;
}

function namesOf(people: FeedPerson[]): string[] {
  return dedupe(people.map((p) => p.name ?? p.email));
}

function addTag(out: FeedTag[], term: string | null, scheme: string | null, label: string | null): void {
  if (!term) return;
  for (const t of out) if (t.term === term && t.scheme === scheme) return;
  out.push({ term, scheme, label });
}

function addCategory(out: FeedTag[], c: unknown): void {
  const raw = asRaw(c);
  if (raw) addTag(out, asString(raw.term) ?? asString(raw.name) ?? asString(raw.label), asString(raw.scheme) ?? asString(raw.domain), asString(raw.label));
  else addTag(out, asString(c), null, null);
}

/** Tags from Atom or RSS categories, then plain-text ones (keywords, subjects); each a feedsmith value. */
function tagsOf(categories: unknown, ...plain: unknown[]): FeedTag[] {
  const out: FeedTag[] = [];
  eachOf(categories, (c) => addCategory(out, c));
  for (const value of plain) eachOf(value, (v) => addTag(out, asString(v), null, null));
  return out;
}

/** The first candidate that is a readable date: its ISO form and the text the feed wrote. */
function firstDateWithText(...candidates: unknown[]): { iso: string | null; text: string | null } {
  let firstText: string | null = null;
  for (const c of candidates) {
    // Each candidate is a list, one value or nothing (asList's reading), walked without copying.
    if (c === undefined || c === null) continue;
    const list = Array.isArray(c) ? c : null;
    const count = list ? list.length : 1;
    for (let k = 0; k < count; k++) {
      const v = list ? list[k] : c;
      if (typeof v !== 'string') continue;
      const trimmed = v.trim();
      if (!trimmed) continue;
      firstText ??= trimmed;
      const iso = parseFeedDate(v);
      if (iso) return { iso, text: trimmed };
    }
  }
  return { iso: null, text: firstText };
}

function firstDate(...candidates: unknown[]): string | null {
  for (const c of candidates) {
    for (const v of asList(c)) {
      const parsed = typeof v === 'string' ? parseFeedDate(v) : v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString() : null;
      if (parsed) return parsed;
    }
  }
  return null;
}

const imageExtension = /\.(jpe?g|png|gif|webp|avif|bmp|svg)(\?|#|$)/i;

function collectMediaImages(node: unknown, base: string, into: FeedMediaImage[]): void {
  const media = asRaw(path(node, 'media'));
  if (!media) return;
  collectMediaGroupImages(media, base, into);
  for (const group of asList(media.groups)) {
    const g = asRaw(group);
    if (g) collectMediaGroupImages(g, base, into);
  }
}

function collectMediaGroupImages(group: Raw, base: string, into: FeedMediaImage[]): void {
  for (const content of asList(group.contents)) {
    const c = asRaw(content);
    if (!c) continue;
    const url = resolveUrl(asString(c.url), base);
    const type = asString(c.type) ?? '';
    const medium = asString(c.medium) ?? '';
    if (url && (medium === 'image' || type.startsWith('image/') || (!medium && !type && imageExtension.test(url)))) {
      into.push({ url, width: asNumber(c.width), height: asNumber(c.height), title: asString(path(c, 'title')) });
    }
    for (const thumb of asList(c.thumbnails)) collectThumbnail(thumb, base, into);
  }
  for (const thumb of asList(group.thumbnails)) collectThumbnail(thumb, base, into);
}

function collectThumbnail(thumb: unknown, base: string, into: FeedMediaImage[]): void {
  const t = asRaw(thumb);
  const url = resolveUrl(asString(t?.url), base);
  if (url) into.push({ url, width: asNumber(t?.width), height: asNumber(t?.height), title: null });
}

function uniqueImages(images: FeedMediaImage[]): FeedMediaImage[] {
  if (images.length < 2) return images;
  const seen = new Set<string>();
  return images.filter((image) => (seen.has(image.url) ? false : (seen.add(image.url), true)));
}

function enclosureImages(enclosures: FeedEnclosure[]): FeedMediaImage[] {
  const images: FeedMediaImage[] = [];
  for (const e of enclosures) if (e.type ? e.type.startsWith('image/') : imageExtension.test(e.url)) images.push({ url: e.url, width: null, height: null, title: null });
  return images;
}

function itunesImage(node: unknown, base: string): FeedMediaImage[] {
  const raw = path(node, 'itunes', 'image');
  const url = resolveUrl(asString(raw) ?? asString(asRaw(raw)?.href), base);
  return url ? [{ url, width: null, height: null, title: null }] : [];
}

function emptyEntry(): FeedEntry {
  return {
    id: null, title: null, link: null, summary: null, content: null, published: null, updated: null,
    authors: [], categories: [], enclosures: [], images: [],
  };
}

function atomLinks(links: unknown, base: string): FeedLink[] {
  const out: FeedLink[] = [];
  for (const link of asList(links)) {
    const l = asRaw(link);
    // An empty href is a same-document reference: the base itself.
    // (feedsmith drops an empty attribute, so a link without href is read the same way).
    const href = l && (l.href === undefined || (typeof l.href === 'string' && !l.href.trim())) ? resolveUrl(base, null) : resolveUrl(asString(l?.href), base);
    if (!l || !href) continue;
    const normalized: FeedLink = { href, rel: asString(l.rel) ?? 'alternate', type: asString(l.type), title: asString(l.title) };
    const hreflang = asString(l.hreflang);
    const length = asNumber(l.length);
    if (hreflang) normalized.hreflang = hreflang;
    if (length !== null) normalized.length = length;
    out.push(normalized);
  }
  return out;
}

function alternateLink(links: FeedLink[]): string | null {
  const alternates = links.filter((l) => l.rel === 'alternate');
  const html = alternates.find((l) => !l.type || /html/i.test(l.type));
  return (html ?? alternates[0])?.href ?? null;
}

function generatorOf(v: unknown, base: string): FeedGenerator | null {
  const raw = asRaw(v);
  const name = raw ? asString(raw.text) ?? asString(raw.value) : asString(v);
  const url = raw ? resolveUrl(asString(raw.uri) ?? asString(raw.url), base) : null;
  const version = raw ? asString(raw.version) : null;
  return name || url || version ? { name, url, version } : null;
}

function atomSource(v: unknown, base: string): FeedSource | null {
  const raw = asRaw(v);
  if (!raw || !Object.keys(raw).length) return null;
  const title = atomText(raw.title, base);
  const subtitle = atomText(raw.subtitle, base);
  const rights = atomText(raw.rights, base);
  const links = atomLinks(raw.links, base);
  const updated = firstDateWithText(raw.updated);
  return {
    id: asString(raw.id),
    title: title.value,
    titleType: title.type,
    link: alternateLink(links),
    links,
    url: resolveUrl(asString(raw.url), base),
    subtitle: subtitle.value,
    subtitleType: subtitle.type,
    rights: rights.value,
    rightsType: rights.type,
    authorDetails: peopleOf(base, raw.authors),
    contributors: peopleOf(base, raw.contributors),
    tags: tagsOf(raw.categories),
    generator: generatorOf(raw.generator, base),
    icon: resolveUrl(asString(raw.icon), base),
    logo: resolveUrl(asString(raw.logo), base),
    updated: updated.iso,
    updatedText: updated.text,
  };
}

function rssSource(v: unknown, base: string): FeedSource | null {
  const raw = asRaw(v);
  const title = asString(raw?.title) ?? asString(v);
  const url = resolveUrl(asString(raw?.url), base);
  if (!title && !url) return null;
  return {
    id: null, title, titleType: 'text', link: null, links: [], url, subtitle: null, rights: null,
    authorDetails: [], contributors: [], tags: [], generator: null, icon: null, logo: null, updated: null, updatedText: null,
  };
}

function normalizeAtomEntry(raw: Raw, feedBase: string, feedLanguage: string | null): FeedEntry {
  const base = childBase(path(raw, 'xml', 'base'), feedBase);
  const entryLanguage = languageOf(raw, feedLanguage);
  const entry = emptyEntry();
  entry.id = asString(raw.id);
  const title = atomText(raw.title, base, entryLanguage);
  recordDetail(entry, 'title', title);
  entry.title = title.value ?? asString(path(raw, 'dc', 'titles', '0' as never)) ?? null;
  entry.titleType = title.type;
  const links = atomLinks(raw.links, base);
  entry.links = links;
  entry.link = alternateLink(links) ?? (entry.id && /^https?:\/\//.test(entry.id) ? entry.id : null);
  const summary = atomText(raw.summary, base, entryLanguage);
  recordDetail(entry, 'summary', summary);
  entry.summary = summary.value;
  entry.summaryType = summary.type;
  const contentRaw = asRaw(raw.content);
  if (contentRaw) {
    const content = atomText(contentRaw, base, entryLanguage);
    recordDetail(entry, 'content', content);
    entry.content = content.value;
    entry.contentType = content.type;
    const src = resolveUrl(asString(contentRaw.src), base);
    if (src) entry.contentSrc = src;
    if (src && !entry.link) entry.link = src;
  }
  const published = firstDateWithText(raw.published, path(raw, 'dc', 'dates'), path(raw, 'dcterms', 'issued'), path(raw, 'dcterms', 'created'));
  const updated = firstDateWithText(raw.updated, path(raw, 'dcterms', 'modified'));
  entry.published = published.iso;
  entry.publishedText = published.text;
  entry.updated = updated.iso;
  entry.updatedText = updated.text;
  entry.authorDetails = peopleOf(base, raw.authors, path(raw, 'dc', 'creators'), path(raw, 'itunes', 'author'));
  entry.authors = namesOf(entry.authorDetails);
  entry.contributors = peopleOf(base, raw.contributors, path(raw, 'dc', 'contributors'));
  entry.tags = tagsOf(raw.categories, path(raw, 'dc', 'subjects'));
  entry.categories = dedupe(entry.tags.map((t) => t.term));
  entry.enclosures = links
    .filter((l) => l.rel === 'enclosure')
    .map((l) => ({ url: l.href, type: l.type, length: asNumber(asList(raw.links).map(asRaw).find((x) => resolveUrl(asString(x?.href), base) === l.href)?.length) }));
  const rights = atomText(raw.rights, base, entryLanguage);
  recordDetail(entry, 'rights', rights);
  entry.rights = rights.value;
  entry.rightsType = rights.type;
  entry.source = atomSource(raw.source, base);
  withImages(entry, raw, base, entryLanguage);
  readEntryExtensions(entry, raw, base);
  return entry;
}

/** The parts every XML entry ends with: its language, base and images (enclosures, media, itunes). */
function withImages(entry: FeedEntry, raw: Raw, base: string, entryLanguage: string | null): FeedEntry {
  entry.language = entryLanguage;
  entry.base = base;
  const images = enclosureImages(entry.enclosures);
  collectMediaImages(raw, base, images);
  if (raw.itunes !== undefined) images.push(...itunesImage(raw, base));
  entry.images = uniqueImages(images);
  return entry;
}

function normalizeRssItem(raw: Raw, feedBase: string, feedLanguage: string | null): FeedEntry {
  // The namespace groups are looked up once per item; most items have two or three of them,
  // and every field of an absent group is then skipped without a lookup.
  const dc = asRaw(raw.dc);
  const dcterms = asRaw(raw.dcterms);
  const atom = asRaw(raw.atom);
  const itunes = asRaw(raw.itunes);
  const base = childBase(asRaw(raw.xml)?.base, feedBase);
  const entry = emptyEntry();
  const guid = asRaw(raw.guid);
  entry.id = asString(raw.guid) ?? asString(path(dc, 'identifiers', '0' as never)) ?? asString(path(raw, 'rdf', 'about'));
  const entryLanguage = languageOf(raw, (dc ? normalizeLanguage(asList(dc.languages)[0]) : null) ?? feedLanguage);
  const title = rssText(raw.title ?? asList(dc?.titles)[0], base, 'text', entryLanguage);
  recordDetail(entry, 'title', title);
  entry.title = title.value;
  entry.titleType = title.type;
  const atomLinkList = atom ? atomLinks(atom.links, base) : [];
  const guidIsLink = guid && guid.isPermaLink !== false && entry.id && /^https?:\/\//i.test(entry.id) ? entry.id : null;
  entry.link = resolveUrl(asString(raw.link), base) ?? alternateLink(atomLinkList) ?? resolveUrl(guidIsLink, base);
  const summary = rssText(raw.description ?? asList(dc?.descriptions)[0] ?? itunes?.summary ?? itunes?.subtitle, base, 'html', entryLanguage);
  recordDetail(entry, 'summary', summary);
  entry.summary = summary.value;
  entry.summaryType = summary.type;
  const content = rssText(path(raw, 'content', 'encoded'), base, 'html', entryLanguage);
  recordDetail(entry, 'content', content);
  if (content.value !== null) {
    entry.content = content.value;
    entry.contentType = content.type;
  }
  const published = firstDateWithText(raw.pubDate, dc?.dates, dcterms?.issued, dcterms?.created, atom?.published);
  const updated = dcterms || atom ? firstDateWithText(dcterms?.modified, atom?.updated) : noDate;
  entry.published = published.iso;
  entry.publishedText = published.text;
  entry.updated = updated.iso;
  entry.updatedText = updated.text;
  entry.authorDetails = peopleOf(base, raw.authors, dc?.creators, atom?.authors, itunes?.author);
  entry.authors = namesOf(entry.authorDetails);
  entry.contributors = peopleOf(base, dc?.contributors, atom?.contributors);
  entry.tags = tagsOf(raw.categories, dc?.subjects, itunes?.keywords);
  entry.categories = dedupe(entry.tags.map((t) => t.term));
  for (const enclosure of asList(raw.enclosures)) {
    const e = asRaw(enclosure);
    const url = resolveUrl(asString(e?.url), base);
    if (url) entry.enclosures.push({ url, type: asString(e?.type), length: asNumber(e?.length) });
  }
  const links: FeedLink[] = [];
  if (entry.link) links.push({ href: entry.link, rel: 'alternate', type: null, title: null });
  for (const e of entry.enclosures) links.push({ href: e.url, rel: 'enclosure', type: e.type, title: null });
  if (atomLinkList.length) links.push(...atomLinkList.filter((l) => !links.some((x) => x.href === l.href && x.rel === l.rel)));
  entry.links = links;
  entry.comments = resolveUrl(asString(raw.comments), base);
  const wfw = asRaw(raw.wfw);
  entry.commentApi = wfw ? resolveUrl(asString(wfw.comment), base) : null;
  entry.commentsFeed = wfw ? resolveUrl(asString(wfw.commentRss), base) : null;
  entry.source = rssSource(raw.source, base) ?? (atom ? atomSource(atom.source, base) : null);
  entry.license = raw.cc === undefined && raw.creativeCommons === undefined ? null : resolveUrl(asString(path(raw, 'cc', 'license')) ?? asString(asList(path(raw, 'creativeCommons', 'licenses'))[0]), base);
  entry.rights = dc ? asString(asList(dc.rights)[0]) : null;
  withImages(entry, raw, base, entryLanguage);
  readEntryExtensions(entry, raw, base);
  return entry;
}

/**
 * The fields an RSS item or Atom entry reads from extension namespace groups feedsmith keeps apart
 * (iTunes, Media RSS, Dublin Core, DC terms, threading, GeoRSS). Each is read only when its own
 * group is present; most entries have none, and then only `publisher` is set (to null).
 */
function readEntryExtensions(entry: FeedEntry, raw: Raw, base: string): void {
  const itunes = asRaw(raw.itunes);
  const media = asRaw(raw.media);
  const dc = asRaw(raw.dc);
  if (itunes) {
    const info = podcastOf(raw);
    if (info) entry.podcast = info;
  }
  if (itunes || media) mergeTags(entry, [...mediaTags(raw), ...itunesTags(raw)]);
  if (raw.dcterms !== undefined) {
    const created = firstDateWithText(path(raw, 'dcterms', 'created'));
    if (created.text) {
      entry.created = created.iso;
      entry.createdText = created.text;
    }
  }
  entry.publisher ??= (dc ? peopleOf(base, dc.publishers)[0] : null) ?? null;
  if (raw.thr !== undefined) {
    const replies = inReplyToOf(raw, base);
    if (replies.length) entry.inReplyTo = replies;
  }
  if (media) {
    const player = asRaw(media.player);
    const playerUrl = player ? resolveUrl(asString(player.url), base) : null;
    if (playerUrl) entry.mediaPlayer = { url: playerUrl, width: asNumber(player?.width), height: asNumber(player?.height) };
  }
  if (itunes) {
    const subtitle = asString(itunes.subtitle);
    if (subtitle) entry.subtitle = subtitle;
  }
  if (raw.georss !== undefined) {
    const where = geometryOf(raw);
    if (where) entry.where = where;
  }
  if (media && entry.title === null) {
    const mediaTitle = asString(media.title);
    if (mediaTitle) {
      entry.title = mediaTitle;
      entry.titleType = markupOf(asRaw(media.title)?.type === 'html' ? 'html' : 'text', mediaTitle);
    }
  }
}

const noDate: { iso: string | null; text: string | null } = Object.freeze({ iso: null, text: null });

function normalizeJsonItem(raw: Raw, base: string, feedLanguage: string | null): FeedEntry {
  const entry = emptyEntry();
  entry.id = asString(raw.id);
  entry.title = asString(raw.title);
  entry.titleType = 'text';
  entry.link = resolveUrl(asString(raw.url), base) ?? resolveUrl(asString(raw.external_url), base);
  entry.summary = asString(raw.summary);
  entry.summaryType = 'text';
  const html = asString(raw.content_html);
  entry.content = html !== null ? resolveHtmlUrls(html, entry.link ?? base) : asString(raw.content_text);
  entry.contentType = html !== null ? 'html' : 'text';
  const published = firstDateWithText(raw.date_published);
  const updated = firstDateWithText(raw.date_modified);
  entry.published = published.iso;
  entry.publishedText = published.text;
  entry.updated = updated.iso;
  entry.updatedText = updated.text;
  entry.authorDetails = peopleOf(base, raw.authors, raw.author);
  entry.authors = namesOf(entry.authorDetails);
  entry.tags = tagsOf(raw.tags);
  entry.categories = dedupe(entry.tags.map((t) => t.term));
  for (const attachment of asList(raw.attachments)) {
    const a = asRaw(attachment);
    const url = resolveUrl(asString(a?.url), base);
    if (url) entry.enclosures.push({ url, type: asString(a?.mime_type), length: asNumber(a?.size_in_bytes) });
  }
  const links: FeedLink[] = [];
  if (entry.link) links.push({ href: entry.link, rel: 'alternate', type: 'text/html', title: null });
  for (const e of entry.enclosures) links.push({ href: e.url, rel: 'enclosure', type: e.type, title: null });
  entry.links = links;
  entry.language = asString(raw.language) ?? feedLanguage;
  const images = enclosureImages(entry.enclosures);
  for (const key of ['image', 'banner_image']) {
    const url = resolveUrl(asString(raw[key]), base);
    if (url) images.unshift({ url, width: null, height: null, title: null });
  }
  entry.images = uniqueImages(images);
  return entry;
}

function rssVersion(text: string, format: FeedFormat): string | null {
  const head = text.slice(0, 4096);
  if (format === 'rdf') {
    if (/["']http:\/\/my\.netscape\.com\/rdf\/simple\/0\.9\/["']/.test(head)) return 'rss090';
    return 'rss10';
  }
  if (format === 'atom') {
    if (/http:\/\/www\.w3\.org\/2005\/Atom/.test(head)) return 'atom10';
    const v = /<feed\b[^>]*\bversion\s*=\s*["']([\d.]+)["']/.exec(head);
    return v ? `atom${v[1]!.replace('.', '')}` : 'atom';
  }
  const rss = /<rss\b[^>]*\bversion\s*=\s*["']([^"']*)["']/.exec(head);
  if (!rss) return 'rss';
  const version = rss[1]!.trim();
  if (version === '0.91') return /<!DOCTYPE[^>]*netscape/i.test(head) ? 'rss091n' : 'rss091u';
  if (/^0\.9[0-4]$/.test(version)) return `rss${version.replace('.', '')}`;
  if (/^2(\.|$)/.test(version)) return 'rss20';
  return 'rss';
}

function inReplyToOf(node: unknown, base: string): InReplyTo[] {
  return asList(path(node, 'thr', 'inReplyTos'))
    .map(asRaw)
    .filter((r): r is Raw => !!r)
    .map((r) => ({ ref: asString(r.ref), href: resolveUrl(asString(r.href), base), type: asString(r.type), source: resolveUrl(asString(r.source), base) }));
}

/** A DCMI period (`start=...; end=...; scheme=W3C-DTF`). */
function validityOf(period: string): { start: string | null; startText: string | null; end: string | null; endText: string | null } {
  const part = (name: string): string | null => new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*([^;]*)`, 'i').exec(period)?.[1]?.trim() || null;
  const startText = part('start');
  const endText = part('end');
  return { start: startText ? parseFeedDate(startText) : null, startText, end: endText ? parseFeedDate(endText) : null, endText };
}

function geometryOf(node: unknown): FeedGeometry | null {
  const geo = asRaw(path(node, 'georss'));
  if (!geo) return null;
  const lonLat = (p: unknown): [number, number] | null => {
    const lat = asNumber(asRaw(p)?.lat);
    const lng = asNumber(asRaw(p)?.lng);
    return lat === null || lng === null ? null : [lng, lat];
  };
  const points = (list: unknown): [number, number][] => asList(path(list, 'points')).map(lonLat).filter((p): p is [number, number] => !!p);
  const point = lonLat(geo.point);
  if (point) return { type: 'Point', coordinates: point };
  const line = points(geo.line);
  if (line.length >= 2) return { type: 'LineString', coordinates: line };
  const polygon = points(geo.polygon);
  if (polygon.length >= 4) return { type: 'Polygon', coordinates: polygon };
  const box = asRaw(geo.box);
  const lower = lonLat(box?.lowerCorner);
  const upper = lonLat(box?.upperCorner);
  if (lower && upper) return { type: 'Box', coordinates: [lower, upper] };
  return null;
}

/** Media RSS categories as tags, at item level and inside media groups. */
function mediaTags(node: unknown): FeedTag[] {
  const media = asRaw(path(node, 'media'));
  if (!media) return [];
  const out: FeedTag[] = [];
  for (const group of [media, ...asList(media.groups)]) {
    for (const c of asList(asRaw(group)?.categories)) {
      const term = asString(asRaw(c)?.name) ?? asString(c);
      if (term) out.push({ term, scheme: asString(asRaw(c)?.scheme) ?? 'http://search.yahoo.com/mrss/category_schema', label: asString(asRaw(c)?.label) });
    }
  }
  return out;
}

function podcastOf(node: unknown): PodcastInfo | undefined {
  const itunes = asRaw(path(node, 'itunes'));
  if (!itunes || (itunes.explicit === undefined && itunes.block === undefined && itunes.duration === undefined)) return undefined;
  const info: PodcastInfo = { explicit: typeof itunes.explicit === 'boolean' ? itunes.explicit : null, block: itunes.block === true };
  if (itunes.duration !== undefined) info.durationSeconds = asNumber(itunes.duration);
  return info;
}

function addItunesCategories(categories: unknown, out: FeedTag[]): void {
  for (const c of asList(categories)) {
    const term = asString(asRaw(c)?.text);
    if (term) out.push({ term, scheme: 'http://www.itunes.com/', label: null });
    addItunesCategories(asRaw(c)?.categories, out);
  }
}

/** iTunes categories (nested ones flattened) and keywords as tags. */
function itunesTags(node: unknown): FeedTag[] {
  const out: FeedTag[] = [];
  addItunesCategories(path(node, 'itunes', 'categories'), out);
  for (const keyword of asList(path(node, 'itunes', 'keywords'))) {
    const term = asString(keyword);
    if (term) out.push({ term, scheme: 'http://www.itunes.com/', label: null });
  }
  return out;
}

function mergeTags(into: { tags?: FeedTag[]; categories: string[] } | { tags?: FeedTag[]; categories?: string[] }, extra: FeedTag[]): void {
  if (!extra.length) return;
  const tags = [...(into.tags ?? [])];
  for (const t of extra) if (!tags.some((x) => x.term === t.term)) tags.push(t);
  into.tags = tags;
  into.categories = dedupe(tags.map((t) => t.term));
}

const ATOM03 = ['http://purl.org/atom/ns#'];

/** An Atom 0.3 text construct read from the tree: `mode` says escaped, base64 or inline XML (kept with its wrapper, which 0.3 counts as content). */
function atom03Text(el: XmlElement | undefined, base: string, inheritedLanguage: string | null): TextValue | null {
  if (!el) return null;
  const mode = (el.attrs.mode ?? 'xml').trim().toLowerCase();
  const ownBase = childBase(el.attrs['xml:base'], base);
  const language = el.attrs['xml:lang'] !== undefined ? normalizeLanguage(el.attrs['xml:lang']) : inheritedLanguage;
  let value: string;
  if (mode === 'base64') value = Buffer.from(el.text.replace(/\s+/g, ''), 'base64').toString('utf8');
  else if (mode === 'xml' && el.children.length) value = el.inner.replace(/\s+xmlns(?::[\w.-]+)?\s*=\s*("[^"]*"|'[^']*')/g, '').trim();
  else value = el.text.trim();
  if (!value) return null;
  const declared = el.attrs.type;
  const inline = mode === 'xml' && el.children.length > 0;
  const type = inline ? 'html' : markupOf(declared ?? 'text/plain', value);
  return { value: type === 'html' ? canonicalHtml(fixC1References(value), inline, ownBase) : value, type, language, base: ownBase };
}

// feedsmith reads Atom 0.3 through its Atom 1.0 model: `mode` (escaped, base64, inline XML) and
// `copyright` are lost. This puts them back from the element tree.
function applyAtom03(parsed: ParsedFeed, text: string, fromLenient = false): void {
  const root = buildTree(text);
  if (!root || root.local !== 'feed') return;
  const feedBase = parsed.base ?? '';
  const apply = (
    target: { textDetails?: Partial<Record<TextField, TextDetail>> },
    field: TextField,
    value: TextValue | null,
    set: (v: TextValue) => void,
    replace: boolean,
  ): void => {
    if (!value || !replace) return;
    set(value);
    recordDetail(target, field, value);
  };
  // The lenient parser keeps Atom 0.3 text as written (no mode, no URL resolution), so after it
  // every text construct comes from the tree.
  const needsTree = (el: XmlElement | undefined): boolean => !!el && (fromLenient || (el.attrs.mode ?? '').toLowerCase() === 'base64' || ((el.attrs.mode ?? 'xml').toLowerCase() === 'xml' && el.children.length > 0));
  const feedLanguage = parsed.language;
  const title = childNamed(root, 'title', ATOM03);
  apply(parsed, 'title', atom03Text(title, feedBase, feedLanguage), (v) => { parsed.title = v.value; parsed.titleType = v.type; }, needsTree(title));
  const tagline = childNamed(root, 'tagline', ATOM03) ?? childNamed(root, 'subtitle', ATOM03);
  apply(parsed, 'subtitle', atom03Text(tagline, feedBase, feedLanguage), (v) => { parsed.subtitle = v.value; parsed.description = v.value; parsed.subtitleType = v.type; }, needsTree(tagline));
  const info = childNamed(root, 'info', ATOM03);
  apply(parsed, 'info', atom03Text(info, feedBase, feedLanguage), (v) => { parsed.info = v.value; parsed.infoType = v.type; }, true);
  const copyright = childNamed(root, 'copyright', ATOM03);
  apply(parsed, 'rights', atom03Text(copyright, feedBase, feedLanguage), (v) => { parsed.rights = v.value; parsed.rightsType = v.type; }, needsTree(copyright) || !parsed.rights);
  const homepageOf = (person: XmlElement | undefined, base: string): string | null => resolveUrl((childNamed(person, 'url', ATOM03) ?? childNamed(person, 'homepage', ATOM03))?.text, base);
  const feedAuthorUrl = homepageOf(childNamed(root, 'author', ATOM03), feedBase);
  if (feedAuthorUrl && parsed.authorDetails?.[0] && !parsed.authorDetails[0].url) parsed.authorDetails[0].url = feedAuthorUrl;
  childrenNamed(root, 'contributor', ATOM03).forEach((c, i) => {
    const url = homepageOf(c, feedBase);
    const person = parsed.contributors?.[i];
    if (url && person && !person.url) person.url = url;
  });
  if (parsed.id && !/^[a-z][a-z0-9+.-]*:/i.test(parsed.id)) parsed.id = resolveUrl(parsed.id, feedBase) ?? parsed.id;
  childrenNamed(root, 'entry', ATOM03).forEach((el, index) => {
    const entry = parsed.entries[index];
    if (!entry) return;
    const base = entry.base ?? feedBase;
    // An empty xml:lang on the entry clears the feed's language (feedsmith drops the empty attribute).
    const language = el.attrs['xml:lang'] !== undefined ? normalizeLanguage(el.attrs['xml:lang']) : (entry.language ?? null);
    entry.language = language;
    const t = childNamed(el, 'title', ATOM03);
    apply(entry, 'title', atom03Text(t, base, language), (v) => { entry.title = v.value; entry.titleType = v.type; }, needsTree(t));
    const summary = childNamed(el, 'summary', ATOM03);
    apply(entry, 'summary', atom03Text(summary, base, language), (v) => { entry.summary = v.value; entry.summaryType = v.type; }, needsTree(summary));
    const content = childNamed(el, 'content', ATOM03);
    apply(entry, 'content', atom03Text(content, base, language), (v) => { entry.content = v.value; entry.contentType = v.type; }, needsTree(content));
    const authorUrl = homepageOf(childNamed(el, 'author', ATOM03), base);
    if (authorUrl && entry.authorDetails?.[0] && !entry.authorDetails[0].url) entry.authorDetails[0].url = authorUrl;
    const contributorEls = childrenNamed(el, 'contributor', ATOM03);
    contributorEls.forEach((c, i) => {
      const url = homepageOf(c, base);
      const person = entry.contributors?.[i];
      if (url && person && !person.url) person.url = url;
    });
    // A repeated date element: the later one replaces the earlier.
    const createdEl = childrenNamed(el, 'created', ATOM03).at(-1);
    if (createdEl?.text.trim()) {
      entry.createdText = createdEl.text.trim();
      entry.created = parseFeedDate(entry.createdText);
    }
    // Atom 0.3 ids may be written relative to the document.
    if (entry.id && !/^[a-z][a-z0-9+.-]*:/i.test(entry.id)) entry.id = resolveUrl(entry.id, base) ?? entry.id;
    if (!entry.published) {
      const created = firstDateWithText(childNamed(el, 'created', ATOM03)?.text, childNamed(el, 'issued', ATOM03)?.text);
      entry.published = created.iso;
      entry.publishedText ??= created.text;
    }
  });
}

function normalizeXmlFeed(format: FeedFormat, feed: Raw, feedUrl: string, text: string, httpLanguage: string | null, hasMarkers: (text: string) => boolean): ParsedFeed {
  const base = childBase(path(feed, 'xml', 'base'), feedUrl);
  const language = languageOf(feed, normalizeLanguage(feed.language) ?? normalizeLanguage(asList(path(feed, 'dc', 'languages'))[0]) ?? httpLanguage);
  const parsed: ParsedFeed = { format, version: rssVersion(text, format), title: null, link: null, description: null, language, entries: [], base };
  if (format === 'atom') {
    const title = atomText(feed.title, base, language);
    recordDetail(parsed, 'title', title);
    parsed.title = title.value;
    parsed.titleType = title.type;
    const links = atomLinks(feed.links, base);
    // An Atom feed's link to itself is an Atom document unless it says otherwise.
    for (const l of links) if (l.rel === 'self' && !l.type) l.type = 'application/atom+xml';
    parsed.links = links;
    parsed.link = alternateLink(links);
    const subtitle = atomText(feed.subtitle, base, language);
    recordDetail(parsed, 'subtitle', subtitle);
    parsed.subtitle = subtitle.value;
    parsed.subtitleType = subtitle.type;
    parsed.description = subtitle.value;
    const rights = atomText(feed.rights, base, language);
    recordDetail(parsed, 'rights', rights);
    parsed.rights = rights.value;
    parsed.rightsType = rights.type;
    const updated = firstDateWithText(feed.updated, path(feed, 'dc', 'dates'));
    parsed.updated = updated.iso;
    parsed.updatedText = updated.text;
    parsed.authorDetails = peopleOf(base, feed.authors, path(feed, 'dc', 'creators'));
    parsed.authors = namesOf(parsed.authorDetails);
    parsed.contributors = peopleOf(base, feed.contributors, path(feed, 'dc', 'contributors'));
    parsed.tags = tagsOf(feed.categories, path(feed, 'dc', 'subjects'));
    parsed.categories = dedupe(parsed.tags.map((t) => t.term));
    parsed.id = asString(feed.id);
    parsed.generatorDetail = generatorOf(feed.generator, base);
    parsed.generator = parsed.generatorDetail?.name ?? null;
    parsed.icon = resolveUrl(asString(feed.icon), base);
    parsed.logo = resolveUrl(asString(feed.logo), base);
    parsed.image = parsed.logo ?? parsed.icon;
    parsed.entries = asList(feed.entries).map(asRaw).filter((e): e is Raw => !!e).map((e) => normalizeAtomEntry(e, base, language));
  } else {
    const title = rssText(feed.title ?? asList(path(feed, 'dc', 'titles'))[0], base, 'text', language);
    recordDetail(parsed, 'title', title);
    parsed.title = title.value;
    parsed.titleType = title.type;
    const atomLinkList = atomLinks(path(feed, 'atom', 'links'), base);
    parsed.link = resolveUrl(asString(feed.link), base) ?? alternateLink(atomLinkList);
    const links: FeedLink[] = parsed.link ? [{ href: parsed.link, rel: 'alternate', type: 'text/html', title: null }] : [];
    links.push(...atomLinkList.filter((l) => !links.some((x) => x.href === l.href && x.rel === l.rel)));
    parsed.links = links;
    const description = rssText(feed.description ?? asList(path(feed, 'dc', 'descriptions'))[0] ?? path(feed, 'itunes', 'subtitle') ?? path(feed, 'itunes', 'summary'), base, 'html');
    recordDetail(parsed, 'subtitle', { ...description, language, base });
    parsed.description = description.value;
    parsed.subtitle = description.value;
    parsed.subtitleType = description.value && looksLikeHtml.test(description.value) ? 'html' : 'text';
    parsed.rights = asString(feed.copyright) ?? asString(asList(path(feed, 'dc', 'rights'))[0]);
    const updated = firstDateWithText(feed.lastBuildDate, feed.pubDate, path(feed, 'dc', 'dates'), path(feed, 'dcterms', 'modified'), path(feed, 'atom', 'updated'));
    parsed.updated = updated.iso;
    parsed.updatedText = updated.text;
    parsed.authorDetails = peopleOf(base, feed.managingEditor, path(feed, 'dc', 'creators'), path(feed, 'atom', 'authors'), path(feed, 'itunes', 'author'), feed.webMaster);
    parsed.authors = namesOf(parsed.authorDetails);
    parsed.contributors = peopleOf(base, path(feed, 'dc', 'contributors'));
    parsed.tags = tagsOf(feed.categories, path(feed, 'dc', 'subjects'));
    parsed.categories = dedupe(parsed.tags.map((t) => t.term));
    parsed.generator = asString(feed.generator);
    const published = firstDateWithText(feed.pubDate, path(feed, 'dcterms', 'issued'));
    parsed.published = published.iso;
    parsed.publishedText = published.text;
    const ttl = asNumber(feed.ttl);
    if (ttl !== null) parsed.ttlMinutes = ttl;
    parsed.movedTo = resolveUrl(asString(path(feed, 'itunes', 'newFeedUrl')), base);
    parsed.publisher = peopleOf(base, path(feed, 'dc', 'publishers'), path(feed, 'itunes', 'owner'), feed.webMaster)[0] ?? null;
    parsed.docs = resolveUrl(asString(feed.docs), base);
    const cloud = asRaw(feed.cloud);
    if (cloud) {
      const port = asString(cloud.port);
      parsed.cloud = { domain: asString(cloud.domain), port, path: asString(cloud.path), registerProcedure: asString(cloud.registerProcedure), protocol: asString(cloud.protocol) };
    }
    const textInput = asRaw(feed.textInput);
    if (textInput) parsed.textInput = { title: asString(textInput.title), description: asString(textInput.description), name: asString(textInput.name), link: resolveUrl(asString(textInput.link), base) };
    parsed.image = resolveUrl(asString(path(feed, 'image', 'url')), base) ?? itunesImage(feed, base)[0]?.url ?? null;
    const image = asRaw(feed.image);
    const imageUrl = resolveUrl(asString(image?.url), base);
    if (image && imageUrl) {
      parsed.imageDetail = {
        url: imageUrl,
        title: asString(image.title),
        link: resolveUrl(asString(image.link), base),
        width: asNumber(image.width),
        height: asNumber(image.height),
        description: asString(image.description),
      };
    }
    parsed.entries = asList(feed.items).map(asRaw).filter((e): e is Raw => !!e).map((e) => normalizeRssItem(e, base, language));
  }
  const created = firstDateWithText(path(feed, 'dcterms', 'created'));
  if (created.text) {
    parsed.created = created.iso;
    parsed.createdText = created.text;
  }
  const valid = asString(asList(path(feed, 'dcterms', 'valid'))[0]);
  if (valid) parsed.validity = validityOf(valid);
  const feedReplies = inReplyToOf(feed, base);
  if (feedReplies.length) parsed.inReplyTo = feedReplies;
  const podcast = podcastOf(feed);
  if (podcast) parsed.podcast = podcast;
  mergeTags(parsed, itunesTags(feed));
  if (parsed.version === 'atom03') applyAtom03(parsed, text);
  else if (format !== 'atom' && needsRssTree(text, hasMarkers(text))) applyRssTree(parsed, text, base);
  else if (format === 'atom' && text.includes('podlove.org/simple-chapters')) applyAtomChapters(parsed, text);
  return parsed;
}

function normalizeJsonFeed(feed: Raw, feedUrl: string, version: string | null): ParsedFeed {
  const base = resolveUrl(asString(feed.feed_url), feedUrl) ?? feedUrl;
  const language = asString(feed.language);
  const link = resolveUrl(asString(feed.home_page_url), base);
  return {
    format: 'json',
    version,
    title: asString(feed.title),
    titleType: 'text',
    link,
    links: link ? [{ href: link, rel: 'alternate', type: 'text/html', title: null }] : [],
    description: asString(feed.description),
    subtitle: asString(feed.description),
    subtitleType: 'text',
    language,
    authors: dedupe([...asList(feed.authors).map(personName), personName(feed.author)]),
    image: resolveUrl(asString(feed.icon) ?? asString(feed.favicon), base),
    entries: asList(feed.items).map(asRaw).filter((e): e is Raw => !!e).map((e) => normalizeJsonItem(e, base, language)),
  };
}

// The lenient parser keeps less structure (no text types, no per-entry xml:base) but recovers
// feeds that fast XML handling gives up on.
function normalizeLenient(text: string, feedUrl: string, httpLanguage: string | null = null): ParsedFeed {
  const feed = lenientParse(text);
  const type = feed.meta.type === 'atom' ? 'atom' : text.slice(0, 2048).includes('rdf:RDF') ? 'rdf' : 'rss';
  // The lenient parser has no notion of xml:base; the document element's own still applies.
  const rootTag = /<(?:feed|rss|rdf:RDF|channel)\b[^>]*>/.exec(text)?.[0] ?? '';
  const base = childBase(/\sxml:base\s*=\s*["']([^"']*)["']/.exec(rootTag)?.[1], feedUrl);
  const toIso = (d: Date | null): string | null => (d && !Number.isNaN(d.getTime()) ? d.toISOString() : null);
  const language = normalizeLanguage(/\sxml:lang\s*=\s*["']([^"']*)["']/.exec(rootTag)?.[1]) ?? normalizeLanguage(feed.language) ?? httpLanguage;
  const entries = feed.items.map((item): FeedEntry => {
    const entry = emptyEntry();
    entry.id = item.id;
    entry.title = item.title;
    entry.titleType = item.title && looksLikeHtml.test(item.title) ? 'html' : 'text';
    entry.link = resolveUrl(item.url, base);
    entry.summary = item.description === null ? null : resolveHtmlUrls(item.description, base);
    entry.summaryType = 'html';
    entry.content = item.content === null ? null : resolveHtmlUrls(item.content, base);
    if (entry.content !== null) entry.contentType = 'html';
    entry.published = toIso(item.published);
    entry.updated = toIso(item.updated);
    entry.authors = dedupe(item.authors.map((a) => a.name ?? a.email));
    entry.categories = dedupe(item.categories.map((c) => c.label ?? c.term));
    for (const media of item.media) {
      const url = resolveUrl(media.url, base);
      if (url) entry.enclosures.push({ url, type: media.mimeType ?? null, length: media.length ?? null });
    }
    entry.links = entry.link ? [{ href: entry.link, rel: 'alternate', type: null, title: null }] : [];
    entry.language = language;
    entry.base = base;
    const images = enclosureImages(entry.enclosures);
    const image = resolveUrl(item.image?.url, base);
    if (image) images.unshift({ url: image, width: null, height: null, title: item.image?.title ?? null });
    entry.images = uniqueImages(images);
    return entry;
  });
  return {
    base,
    format: type,
    version: type === 'atom' ? rssVersion(text, 'atom') : rssVersion(text, type),
    title: feed.title,
    titleType: 'text',
    link: resolveUrl(feed.url, base),
    description: feed.description,
    subtitle: feed.description,
    language,
    rights: feed.copyright,
    updated: toIso(feed.updated ?? feed.published),
    authors: dedupe(feed.authors.map((a) => a.name)),
    categories: dedupe(feed.categories.map((c) => c.label ?? c.term)),
    generator: feed.generator?.label ?? null,
    image: resolveUrl(feed.image?.url, base),
    entries,
  };
}

const feedRootFormats: Record<string, FeedFormat> = { rss: 'rss', channel: 'rss', feed: 'atom', rdf: 'rdf' };

const rssNamespaces = ['http://backend.userland.com/rss2', 'http://blogs.law.harvard.edu/tech/rss', 'http://backend.userland.com/rss'];

/** The document with its RSS-namespace prefix removed from element names, or null when the root is not such a prefixed RSS element. */
function unprefixRss(text: string, root: string): string | null {
  const colon = root.indexOf(':');
  if (colon <= 0 || root.slice(colon + 1) !== 'rss') return null;
  const prefix = root.slice(0, colon);
  const declared = new RegExp(`xmlns:${prefix}\\s*=\\s*["']([^"']*)["']`).exec(text)?.[1];
  if (!declared || !rssNamespaces.includes(declared.replace(/\/$/, ''))) return null;
  return text.replace(new RegExp(`<(/?)${prefix}:`, 'g'), '<$1');
}

/** Name of the first element in the document, skipping the prolog, comments and DOCTYPE. */
function rootElementName(text: string): string | null {
  const match = /<([A-Za-z_][\w:.-]*)/.exec(text.replace(/<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>/g, ''));
  return match ? match[1]! : null;
}

function looksLikeJson(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x7b; // `{`
}

function documentBase(opts: ParseFeedOptions): string {
  const location = resolveUrl(opts.contentLocation, opts.url);
  return location && /^https?:/.test(location) ? location : opts.url;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function parseJsonBytes(bytes: Uint8Array, opts: ParseFeedOptions, decoded: DecodedText): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(decoded.text);
  } catch (err) {
    throw newsdeskError('ND_FEED_UNPARSEABLE', { url: opts.url, reason: `invalid JSON: ${errorMessage(err)}` }, err);
  }
  const raw = asRaw(data);
  const versionUrl = asString(raw?.version);
  if (!raw || !versionUrl || !/jsonfeed\.org\/version\//.test(versionUrl)) {
    throw newsdeskError('ND_FEED_UNPARSEABLE', { url: opts.url, reason: 'JSON document is not a JSON Feed (no jsonfeed.org version)' });
  }
  const version = /version\/1\.1/.test(versionUrl) ? 'json11' : /version\/1(\/|$)/.test(versionUrl) ? 'json10' : 'json';
  const parsed = normalizeJsonFeed(raw, documentBase(opts), version);
  parsed.charset = decoded.charset;
  parsed.charsetSource = decoded.source;
  parsed.wellFormed = !decoded.problem;
  parsed.problems = decoded.problem ? [decoded.problem] : [];
  parsed.parser = 'feedsmith';
  return parsed;
}

/** Decodes, parses and normalizes a feed. Throws ND_FEED_UNPARSEABLE with the reason when neither parser can read it. */
export function parseFeed(bytes: Uint8Array, opts: ParseFeedOptions): ParsedFeed {
  if (looksLikeJson(bytes)) return parseJsonBytes(bytes, opts, decodeText(bytes, { contentType: opts.contentType, kind: 'json' }));
  const decoded = decodeText(bytes, { contentType: opts.contentType, kind: 'xml' });
  return parseFeedText(decoded.text, opts, decoded);
}

// Namespace URIs that publishers spell in more than one way; the parsers match URIs exactly.
const namespaceSpellings: [RegExp, string][] = [
  [/(xmlns:[\w.-]+\s*=\s*["'])http:\/\/www\.itunes\.com\/dtds\/podcast-1\.0\.dtd(["'])/gi, '$1http://www.itunes.com/dtds/podcast-1.0.dtd$2'],
];

function canonicalNamespaces(text: string): string {
  let out = text;
  for (const [pattern, replacement] of namespaceSpellings) out = out.replace(pattern, replacement);
  return out;
}

// (Built on first use: rss-tree imports this module, so its pattern may not exist yet when this one loads.)
let treeOrGeoMarkers: RegExp | null = null;

/**
 * rss-tree's markers and the GeoRSS/GML namespaces in one search: most feeds have none of them, and
 * then neither needsRssTree nor mentionsGeo needs a search of its own. One search per parse: the
 * answer is kept for the last text asked about.
 */
function markerSearch(): (text: string) => boolean {
  let searched: string | null = null;
  let found = false;
  return (text) => {
    if (text !== searched) {
      treeOrGeoMarkers ??= new RegExp(`${rssTreeMarkers.source}|${geoMarkers.source}`);
      searched = text;
      found = treeOrGeoMarkers.test(text);
    }
    return found;
  };
}

// How far into a document its DOCTYPE's internal subset is looked for.
const internalSubsetReach = 8192;
const latin1Range = /[\u0080-\u00f4]/;

/**
 * Entities declared in the document's internal DTD subset (`<!ENTITY id "tag:example.com,">`),
 * replaced where the body uses them: the XML parsers leave `&id;` as written. Only plain-text
 * values are expanded (no markup, no nested references).
 */
export function expandInternalEntities(text: string): string {
  const doctype = /<!DOCTYPE[^[>]*\[([\s\S]*?)\]\s*>/.exec(text.slice(0, internalSubsetReach));
  if (!doctype) return text;
  const values = new Map<string, string>();
  for (const m of doctype[1]!.matchAll(/<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"<&%]*)"|'([^'<&%]*)')\s*>/g)) {
    if (!['amp', 'lt', 'gt', 'quot', 'apos'].includes(m[1]!)) values.set(m[1]!, m[2] ?? m[3] ?? '');
  }
  if (!values.size) return text;
  const end = doctype.index + doctype[0].length;
  const escape = (v: string): string => v.replace(/>/g, '&gt;');
  return text.slice(0, end) + text.slice(end).replace(/&([A-Za-z_][\w.-]*);/g, (whole, name: string) => (values.has(name) ? escape(values.get(name)!) : whole));
}

/** Parses already-decoded feed text; `decoded` carries charset facts when known. */
export function parseFeedText(rawText: string, opts: ParseFeedOptions, decoded?: DecodedText): ParsedFeed {
  const c1Fixed = fixC1References(rawText);
  // Both repairs look for characters in U+0080-U+00F4, which ASCII text (most English feeds) has
  // none of; otherwise one search tells whether either is needed.
  const cleaned = canonicalNamespaces(!decoded?.ascii && latin1Range.test(c1Fixed) ? repairDoubleEncoding(fixC1Characters(c1Fixed)) : c1Fixed);
  // Entity declarations sit in the DOCTYPE, which expandInternalEntities only looks for in the head.
  const text = cleaned.lastIndexOf('<!ENTITY', internalSubsetReach) !== -1 ? expandInternalEntities(cleaned) : cleaned;
  const problems: string[] = decoded?.problem ? [decoded.problem] : [];
  const base = documentBase(opts);
  const wellFormedness = checkWellFormed(text);
  if (!wellFormedness.wellFormed && wellFormedness.problem) problems.push(`not well-formed XML: ${wellFormedness.problem}`);

  let parsed: ParsedFeed | null = null;
  const hasMarkers = markerSearch();
  // Notes are worth telling a user but do not make the document defective.
  const notes: string[] = [];
  let strictError: unknown = null;
  const strict = (source: string): ParsedFeed | null => {
    const result = feedsmithParse(source) as { format: string; feed: unknown };
    const feed = asRaw(result.feed);
    if (feed && (result.format === 'rss' || result.format === 'atom' || result.format === 'rdf')) return normalizeXmlFeed(result.format, feed, base, source, normalizeLanguage(opts.contentLanguage), hasMarkers);
    if (feed && result.format === 'json') return normalizeJsonFeed(feed, base, 'json');
    return null;
  };
  try {
    parsed = strict(text);
  } catch (err) {
    strictError = err;
    const root = rootElementName(text);
    const format = root ? feedRootFormats[root.replace(/^[\w.-]+:/, '').toLowerCase()] : undefined;
    // feedsmith recognised the document but found none of the elements it models (a channel with
    // only an author, items with only iTunes or extension elements): an empty feed the tree fills.
    if (isCdf(root)) parsed = parseCdf(text, base);
    // RSS written with a prefix for the RSS namespace itself (`<r:rss xmlns:r=".../rss2">`):
    // read again with the RSS elements unprefixed, which is what they mean.
    const unprefixed = !parsed && wellFormedness.wellFormed && root ? unprefixRss(text, root) : null;
    if (unprefixed) {
      try {
        parsed = strict(unprefixed);
      } catch {
        // the lenient parser below gets the original text
      }
    }
    if (!parsed && wellFormedness.wellFormed && (format === 'rss' || format === 'rdf') && !root!.includes(':') && (err as { name?: string } | null)?.name === 'ParseError') {
      parsed = normalizeXmlFeed(format, {}, base, text, normalizeLanguage(opts.contentLanguage), hasMarkers);
      applyRssTree(parsed, text, base);
    }
    if (!parsed && !wellFormedness.wellFormed) {
      const closed = closeTruncatedDocument(text);
      if (closed !== text) {
        try {
          parsed = strict(closed);
          if (parsed) notes.push('document was cut short; its open elements were closed');
        } catch {
          // fall through to the lenient parser with the original text
        }
      }
    }
  }
  if (parsed) parsed.parser = 'feedsmith';
  if (!parsed) {
    let lenientError: unknown = null;
    try {
      parsed = normalizeLenient(text, base, normalizeLanguage(opts.contentLanguage));
      if (parsed.version === 'atom03') applyAtom03(parsed, text, true);
      parsed.parser = 'feed-parser';
      notes.push(`strict parser failed (${errorMessage(strictError)}); recovered with the lenient parser`);
    } catch (err) {
      lenientError = err;
      const root = rootElementName(text);
      const format = root ? feedRootFormats[root.replace(/^[\w.-]+:/, '').toLowerCase()] : undefined;
      if (format) {
        // A feed document with nothing either parser could read (`<rss></rss>`, or one cut off
        // mid-way) is an empty feed with a problem, not a non-feed.
        parsed = { format, version: rssVersion(text, format), title: null, link: null, description: null, language: null, entries: [] };
        parsed.parser = 'feed-parser';
        notes.push(`no channel or entries could be read (${errorMessage(strictError)})`);
      }
    }
    if (!parsed) {
      const reason = `${errorMessage(strictError)}; lenient parser: ${errorMessage(lenientError)}${wellFormedness.problem ? `; ${wellFormedness.problem}` : ''}`;
      throw newsdeskError('ND_FEED_UNPARSEABLE', { url: opts.url, reason }, strictError ?? lenientError);
    }
  }
  if (hasMarkers(text) && mentionsGeo(text)) applyGeo(parsed, text);
  if (decoded) {
    parsed.charset = decoded.charset;
    parsed.charsetSource = decoded.source;
  }
  parsed.wellFormed = problems.length === 0;
  parsed.problems = [...problems, ...notes];
  return parsed;
}
