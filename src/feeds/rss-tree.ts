// What feedsmith does not keep of an RSS (or RSS 1.0) document, read from the element tree:
// per-element xml:lang, elements outside the RSS 2.0 core that publishers use (a channel
// `author`, `dc:author`, RSS 0.93 `expirationDate`, `fullitem`, an XHTML `body`, a plain
// `summary` beside `description`, comma-separated `tags`, a `redirect/newLocation`), the iTunes
// values as written (`block` and `explicit` are exact words, `duration` a clock string) and
// Podlove Simple Chapters. The tree is only built when the text shows one of these, so common
// feeds pay nothing for it.
import { buildTree, childNamed, childrenNamed, type XmlElement } from './xmltree.ts';
import { canonicalHtml, normalizeLanguage, personOf, resolveHtmlUrls, resolveUrl } from './parse.ts';
import { parseFeedDate } from './dates.ts';
import type { FeedEntry, FeedTag, ParsedFeed, TextField } from './types.ts';

const ITUNES = 'http://www.itunes.com/dtds/podcast-1.0.dtd';
const XHTML = 'http://www.w3.org/1999/xhtml';
const DC = 'http://purl.org/dc/elements/1.1/';
const CONTENT = 'http://purl.org/rss/1.0/modules/content/';
const PSC = 'http://podlove.org/simple-chapters';

// Any of: xml:lang, the iTunes namespace, Podlove chapters, or one of the extra element names.
// (Case-sensitive: XML names are, and the iTunes namespace URI is canonicalized before this runs.)
export const rssTreeMarkers = /xml:lang|itunes\.com\/dtds|podlove\.org\/simple-chapters|<(?:[\w.-]+:)?(?:expirationDate|fullitem|body|summary|tags|newLocation|redirect|browserFriendly)\b|<dc:author\b/;

/**
 * Whether the RSS text carries anything this module reads; cheap, run on every RSS feed.
 * `mayHaveMarkers` false says the caller already searched for rssTreeMarkers and found none.
 */
export function needsRssTree(text: string, mayHaveMarkers = true): boolean {
  if (mayHaveMarkers && rssTreeMarkers.test(text)) return true;
  // A channel-level `author` (items' `author` is core RSS and feedsmith reads it): one before
  // the first item, so only the text before it is searched.
  const firstItem = text.indexOf('<item');
  return firstItem === -1 ? text.includes('<author') : text.lastIndexOf('<author', firstItem) !== -1;
}

const isItunes = (el: XmlElement): boolean => (el.ns ?? '').toLowerCase() === ITUNES;
const noNamespace = (el: XmlElement, rootNs: string | null): boolean => el.ns === null || el.ns === rootNs;

function own(el: XmlElement | undefined): string | null {
  const t = el?.text.trim();
  return t ? t : null;
}

function lang(el: XmlElement, inherited: string | null): string | null {
  return el.attrs['xml:lang'] !== undefined ? normalizeLanguage(el.attrs['xml:lang']) : inherited;
}

function setLanguage(target: { textDetails?: Partial<Record<TextField, { language: string | null; base: string }>> }, field: TextField, language: string | null, base: string): void {
  target.textDetails ??= {};
  const detail = target.textDetails[field];
  target.textDetails[field] = { language, base: detail?.base ?? base };
}

/** iTunes `block`: only the exact word `yes` blocks. `explicit`: yes/true/explicit, clean/no/false, anything else unknown. */
function itunesFlags(el: XmlElement, into: { podcast?: { explicit: boolean | null; block: boolean; durationSeconds?: number | null; duration?: string | null } }): void {
  const kids = el.children.filter(isItunes);
  const block = kids.find((c) => c.local === 'block');
  const explicit = kids.find((c) => c.local === 'explicit');
  const duration = kids.find((c) => c.local === 'duration');
  if (!block && !explicit && !duration) return;
  const info = into.podcast ?? { explicit: null, block: false };
  if (block) info.block = block.text === 'yes' || block.text === 'Yes';
  if (explicit) {
    const v = explicit.text;
    info.explicit = v === 'yes' || v === 'true' || v === 'explicit' ? true : v === 'clean' || v === 'no' || v === 'false' ? false : null;
  }
  if (duration) info.duration = own(duration);
  into.podcast = info;
}

function itunesImageOf(el: XmlElement, base: string): string | null {
  for (const c of el.children) {
    if (!isItunes(c)) continue;
    if (c.local === 'image') {
      const url = resolveUrl(c.attrs.href ?? c.attrs.url ?? own(c), base);
      if (url) return url;
    }
    if (c.local === 'link' && (c.attrs.rel ?? '').toLowerCase() === 'image') {
      const url = resolveUrl(c.attrs.href, base);
      if (url) return url;
    }
  }
  return null;
}

function itunesCategories(el: XmlElement): FeedTag[] {
  const out: FeedTag[] = [];
  const walk = (parent: XmlElement): void => {
    for (const c of parent.children) {
      if (!isItunes(c) || c.local !== 'category') continue;
      const term = c.attrs.text?.trim();
      if (term) out.push({ term, scheme: 'http://www.itunes.com/', label: null });
      walk(c);
    }
  };
  walk(el);
  return out;
}

function addTags(into: { tags?: FeedTag[]; categories: string[] } | { tags?: FeedTag[]; categories?: string[] }, extra: FeedTag[], first = false): void {
  const tags = [...(into.tags ?? [])];
  const fresh = extra.filter((t) => !tags.some((x) => x.term === t.term));
  if (!fresh.length) return;
  into.tags = first ? [...fresh, ...tags] : [...tags, ...fresh];
  into.categories = [...new Set(into.tags.map((t) => t.term))];
}

/** A Podlove `start` (`hh:mm:ss.mmm`, `mm:ss`, `ss`) in seconds. */
export function clockSeconds(value: string): number | null {
  const m = /^\s*(?:(?:(\d+):)?(\d+):)?(\d+(?:\.\d+)?)\s*$/.exec(value);
  if (!m) return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3]);
}

function chaptersOf(item: XmlElement, base: string): FeedEntry['chapters'] | undefined {
  const el = item.children.find((c) => c.local === 'chapters' && c.ns === PSC);
  if (!el) return undefined;
  const chapters = el.children
    .filter((c) => c.local === 'chapter' && c.ns === PSC)
    .map((c) => ({
      start: c.attrs.start ?? '',
      startSeconds: clockSeconds(c.attrs.start ?? ''),
      title: c.attrs.title ?? '',
      href: resolveUrl(c.attrs.href, base),
      image: c.attrs.image ?? null,
    }));
  return { version: el.attrs.version ?? null, chapters };
}

function itemContent(item: XmlElement, rootNs: string | null): { value: string; el: XmlElement; xhtml: boolean } | null {
  for (const c of item.children) {
    if (c.local === 'body' && (c.ns === XHTML || noNamespace(c, rootNs))) return { value: c.inner.replace(/\s+xmlns(?::[\w.-]+)?\s*=\s*("[^"]*"|'[^']*')/g, '').trim(), el: c, xhtml: true };
    if (c.local === 'fullitem' && noNamespace(c, rootNs)) return { value: c.text.trim(), el: c, xhtml: false };
  }
  return null;
}

function applyItem(entry: FeedEntry, item: XmlElement, rootNs: string | null, inheritedLanguage: string | null, base: string, itunes: boolean): void {
  const language = lang(item, inheritedLanguage);
  // xml:lang on the item's own text elements.
  for (const [field, el] of [
    ['title', item.children.find((c) => c.local === 'title' && noNamespace(c, rootNs))],
    ['summary', item.children.find((c) => c.local === 'description' && noNamespace(c, rootNs))],
    ['content', item.children.find((c) => c.local === 'encoded' && c.ns === CONTENT)],
  ] as [TextField, XmlElement | undefined][]) {
    if (el && (el.attrs['xml:lang'] !== undefined || language !== (entry.textDetails?.[field]?.language ?? entry.language ?? null))) setLanguage(entry, field, lang(el, language), base);
  }
  if (item.attrs['xml:lang'] !== undefined) entry.language = language;
  // A `summary` beside `description`: whichever comes first is the summary, the other the content.
  const summaryEl = item.children.find((c) => c.local === 'summary' && noNamespace(c, rootNs));
  if (summaryEl && own(summaryEl)) {
    const descriptionEl = item.children.find((c) => c.local === 'description' && noNamespace(c, rootNs));
    const summaryFirst = !descriptionEl || item.children.indexOf(summaryEl) < item.children.indexOf(descriptionEl);
    const summaryText = own(summaryEl)!;
    if (!descriptionEl || entry.summary === null) {
      entry.summary = summaryText;
      entry.summaryType = 'text';
    } else if (summaryFirst) {
      if (entry.content === null) {
        entry.content = entry.summary;
        entry.contentType = entry.summaryType;
      }
      entry.summary = summaryText;
      entry.summaryType = 'text';
    } else if (entry.content === null) {
      entry.content = summaryText;
      entry.contentType = 'text';
    }
  }
  const content = entry.content === null ? itemContent(item, rootNs) : null;
  if (content && content.value) {
    entry.content = resolveHtmlUrls(content.value, base);
    entry.contentType = 'html';
    if (content.xhtml) entry.contentMediaType = 'application/xhtml+xml';
    setLanguage(entry, 'content', lang(content.el, language), base);
  }
  const tags = own(item.children.find((c) => c.local === 'tags' && noNamespace(c, rootNs)));
  if (tags) addTags(entry, tags.split(',').map((t) => t.trim()).filter(Boolean).map((term) => ({ term, scheme: null, label: null })), true);
  const expirations = item.children.filter((c) => c.local === 'expirationDate' && noNamespace(c, rootNs)).map(own).filter((t): t is string => !!t);
  if (expirations.length) {
    // A later value replaces an earlier one.
    entry.expiredText = expirations[expirations.length - 1]!;
    entry.expired = parseFeedDate(entry.expiredText);
  }
  if (!entry.authorDetails?.length) {
    const author = item.children.find((c) => c.local === 'author' && c.ns === DC);
    const person = author ? personOf(own(author)) : null;
    if (person) {
      entry.authorDetails = [person];
      entry.authors = [person.name ?? person.email ?? ''].filter(Boolean);
    }
  }
  const chapters = chaptersOf(item, base);
  if (chapters) entry.chapters = chapters;
  if (itunes) {
    itunesFlags(item, entry);
    const image = itunesImageOf(item, base);
    if (image && !entry.images.some((i) => i.url === image)) entry.images.unshift({ url: image, width: null, height: null, title: null });
    addTags(entry, itunesCategories(item));
  }
}

function coreItem(item: XmlElement, rootNs: string | null, language: string | null, base: string): FeedEntry {
  const core = (name: string): XmlElement | undefined => item.children.find((c) => c.local === name && noNamespace(c, rootNs));
  const title = own(core('title'));
  const link = resolveUrl(own(core('link')), base);
  const description = core('description')?.text.trim() || null;
  const pubDate = own(core('pubDate'));
  const entry: FeedEntry = {
    id: own(core('guid')),
    title,
    titleType: 'text',
    link,
    links: link ? [{ href: link, rel: 'alternate', type: null, title: null }] : [],
    summary: description === null ? null : canonicalHtml(description, false, base),
    summaryType: 'html',
    content: null,
    published: pubDate ? parseFeedDate(pubDate) : null,
    publishedText: pubDate,
    updated: null,
    authors: [],
    categories: [],
    enclosures: [],
    images: [],
    language,
    base,
  };
  if (description !== null) setLanguage(entry, 'summary', lang(core('description')!, language), base);
  return entry;
}

/** Fills `parsed` (from feedsmith, or an empty shell when feedsmith found nothing it knew) from the tree of `text`. */
export function applyRssTree(parsed: ParsedFeed, text: string, base: string): void {
  const root = buildTree(text);
  if (!root) return;
  const rootNs = root.ns;
  const channel = childNamed(root, 'channel') ?? root;
  const itunes = text.includes('itunes.com/dtds');
  const rootLanguage = lang(root, null);
  const channelLanguage = lang(channel, rootLanguage) ?? normalizeLanguage(own(childNamed(channel, 'language')) ?? undefined);
  if (!parsed.language && channelLanguage) parsed.language = channelLanguage;
  const feedLanguage = parsed.language ?? channelLanguage;
  if (!parsed.authorDetails?.length) {
    const author = channel.children.find((c) => c.local === 'author' && (noNamespace(c, rootNs) || c.ns === DC));
    const person = author ? personOf(own(author)) : null;
    if (person) {
      parsed.authorDetails = [person];
      parsed.authors = [person.name ?? person.email ?? ''].filter(Boolean);
    }
  }
  const browserFriendly = own(channel.children.find((c) => c.local === 'browserFriendly'));
  if (browserFriendly && !parsed.info) {
    parsed.info = browserFriendly;
    parsed.infoType = 'text';
  }
  const newLocation = own(childNamed(childNamed(root, 'redirect'), 'newLocation'));
  if (newLocation && !parsed.movedTo) parsed.movedTo = resolveUrl(newLocation, base);
  if (itunes) {
    itunesFlags(channel, parsed);
    const image = itunesImageOf(channel, base);
    if (image && !parsed.image) parsed.image = image;
    addTags(parsed, itunesCategories(channel));
  }
  const items = [...childrenNamed(channel, 'item'), ...(channel === root ? [] : childrenNamed(root, 'item'))];
  if (!parsed.entries.length && items.length) {
    // feedsmith found none of these items (they sit outside a channel, or hold nothing it models):
    // their core RSS elements are read here.
    parsed.entries = items.map((item) => coreItem(item, rootNs, feedLanguage, base));
  }
  if (parsed.entries.length !== items.length) return;
  items.forEach((item, i) => applyItem(parsed.entries[i]!, item, rootNs, feedLanguage, parsed.entries[i]!.base ?? base, itunes));
}

/** Podlove Simple Chapters in an Atom feed (the only part of this module Atom needs). */
export function applyAtomChapters(parsed: ParsedFeed, text: string): void {
  const root = buildTree(text);
  const entries = childrenNamed(root, 'entry');
  if (entries.length !== parsed.entries.length) return;
  entries.forEach((el, i) => {
    const entry = parsed.entries[i]!;
    const chapters = chaptersOf(el, entry.base ?? parsed.base ?? '');
    if (chapters) entry.chapters = chapters;
  });
}
