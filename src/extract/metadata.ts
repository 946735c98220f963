// Page metadata: title, description, authors, language and locale, type, site and provider,
// lead image, canonical and AMP URLs. Read from structured data first (JSON-LD, Open Graph,
// Dublin Core, citation_* and other meta tags), then from the markup (bylines, <html lang>).
import { getDomain, getDomainWithoutSuffix, getHostname } from 'tldts';
import type { ArticleType, ImageRef } from '../record.ts';
import { detectLanguageSync, loadLanguageModel } from './language.ts';
import { findOrganization, loadOrganizations, type Organization } from './organizations.ts';
import { resolveHttpUrl } from '../normalize/url.ts';
import { contentLanguageMeta, jsonLdScripts, pageElements, pageElementsByTag } from './page-index.ts';

export interface PageMetadata {
  title: string | null;
  description: string | null;
  authors: string[];
  language: string | null;
  locale: string | null;
  type: ArticleType;
  siteName: string | null;
  leadImage: ImageRef | null;
  canonicalUrl: string | null;
  ampUrl: string | null;
  providerName: string | null;
  /** Registrable domain (public suffix list), or the host a known organization is listed under. */
  providerDomain: string;
  /** schema.org's paywall markup, `isAccessibleForFree: false`, in JSON-LD or microdata. */
  paywallDeclared: boolean;
}

export interface MetadataOptions {
  /** The known-organizations table; the shipped one is loaded once when not given. */
  organizations?: Map<string, Organization>;
}

type Json = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Small readers.

function clean(text: string | null | undefined): string | null {
  if (!text) return null;
  const value = text.replace(/\s+/g, ' ').trim();
  return value || null;
}

/** All meta tags of a document by lower-cased name/property/itemprop, read once per document. */
const metaIndexes = new WeakMap<Document, Map<string, string[]>>();

function metaIndex(doc: Document): Map<string, string[]> {
  let index = metaIndexes.get(doc);
  if (index) return index;
  index = new Map();
  for (const el of pageElementsByTag(doc, 'meta')) {
    const value = clean(el.getAttribute('content'));
    if (!value) continue;
    for (const attribute of ['property', 'name', 'itemprop']) {
      const key = el.getAttribute(attribute)?.toLowerCase();
      if (!key) continue;
      const list = index.get(key);
      if (list) list.push(value);
      else index.set(key, [value]);
    }
  }
  metaIndexes.set(doc, index);
  return index;
}

function metaContent(doc: Document, ...keys: string[]): string | null {
  const index = metaIndex(doc);
  for (const key of keys) {
    const values = index.get(key.toLowerCase());
    if (values?.length) return values[0]!;
  }
  return null;
}

function metaContents(doc: Document, ...keys: string[]): string[] {
  const index = metaIndex(doc);
  return keys.flatMap((key) => index.get(key.toLowerCase()) ?? []);
}

function linkHref(doc: Document, rel: string, base: string): string | null {
  for (const el of pageElementsByTag(doc, 'link')) {
    if (!el.hasAttribute('rel')) continue;
    const rels = (el.getAttribute('rel') ?? '').toLowerCase().split(/\s+/);
    if (rels.includes(rel)) {
      const href = resolveHttpUrl(el.getAttribute('href'), base);
      if (href) return href;
    }
  }
  return null;
}

/**
 * Every JSON-LD object of the page as parsed, @graph members and nested objects included. It reads
 * the page index, so only before main-content extraction rewrites the page.
 */
function pageJsonLdObjects(doc: Document): Json[] {
  const scripts = jsonLdScripts(doc);
  const out: Json[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 6 || !value || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    const obj = value as Json;
    out.push(obj);
    if (obj['@graph']) visit(obj['@graph'], depth + 1);
    if (obj.mainEntity) visit(obj.mainEntity, depth + 1);
  };
  for (const script of scripts) {
    const text = (script.textContent ?? '').trim().replace(/^<!--|-->$/g, '');
    try {
      visit(JSON.parse(text), 0);
    } catch {
      // Broken JSON-LD is common; the meta tags usually say the same.
    }
  }
  return out;
}

function typesOf(obj: Json): string[] {
  const type = obj['@type'];
  return (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === 'string');
}

const ARTICLE_TYPES = /^(Article|NewsArticle|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|BlogPosting|LiveBlogPosting|TechArticle|ScholarlyArticle|MedicalScholarlyArticle|Report|SocialMediaPosting|WebPage|VideoObject|PodcastEpisode|AudioObject|CreativeWork|Blog|PressRelease)$/;

/** The JSON-LD object describing the page's main content, if any. */
function mainObject(objects: Json[]): Json | null {
  const rank = (obj: Json): number => {
    const types = typesOf(obj);
    if (types.some((t) => /Article|BlogPosting|PressRelease|Report/.test(t))) return 3;
    if (types.some((t) => /VideoObject|PodcastEpisode|AudioObject/.test(t))) return 2;
    if (types.some((t) => ARTICLE_TYPES.test(t))) return 1;
    return 0;
  };
  let best: Json | null = null;
  let bestRank = 0;
  for (const obj of objects) {
    const r = rank(obj);
    if (r > bestRank) {
      best = obj;
      bestRank = r;
    }
  }
  return best;
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return clean(value);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Json;
    return textOf(obj.name ?? obj['@value'] ?? null);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Authors.

const NOT_A_NAME = /^(admin|administrator|staff|editor|editorial|redaktion|newsroom|guest|unknown|anonymous|null|undefined)$/i;

/** Splits and cleans a byline into names: "By Jane Doe and John Roe, Reuters" → [Jane Doe, John Roe]. */
export function parseByline(byline: string): string[] {
  let text = byline.replace(/\s+/g, ' ').trim();
  text = text.replace(/^(written\s+)?(by|von|par|por|di|door|av|af)\s*:?\s+/i, '');
  text = text.replace(/\s*[|•·]\s*.*$/, '');
  // A date, "Updated ..." or "Published ..." tail is not part of the byline.
  text = text.replace(/\s*(?:,\s*)?(?:updated|published|posted|veröffentlicht|am|on)\b.*$/i, '');
  const parts = text.split(/\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*/i);
  const names: string[] = [];
  for (const raw of parts) {
    const name = raw.replace(/^[\s@-]+|[\s.:-]+$/g, '').trim();
    if (!name || name.length < 3 || name.length > 60) continue;
    if (/https?:|www\.|@|\d{3,}/.test(name)) continue;
    if (name.split(/\s+/).length > 5 || NOT_A_NAME.test(name)) continue;
    // Agency and outlet credits ("Reuters", "AP") are not authors when they trail a real name.
    if (names.length > 0 && /^(reuters|ap|afp|dpa|associated press|staff writer|contributor)$/i.test(name)) continue;
    names.push(name);
  }
  return names;
}

function authorsFromJsonLd(main: Json | null): string[] {
  if (!main) return [];
  const raw = main.author ?? main.creator;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const names: string[] = [];
  for (const entry of list) {
    if (entry && typeof entry === 'object' && typesOf(entry as Json).includes('Organization')) continue;
    const name = textOf(entry);
    if (name) names.push(...parseByline(name));
  }
  return names;
}

/** Class names of byline elements, in order of trust, after the microdata and rel=author markers. */
const BYLINE_CLASSES = ['byline__name', 'author-name', 'byline', 'author', 'article-author', 'story-byline'];

/**
 * Candidate byline elements in order of trust, each kind in document order: an author's name in
 * microdata, the author in microdata, rel=author, the byline classes, any class containing
 * "byline". Sorted out in one walk of the page rather than one query per kind.
 */
function bylineCandidates(doc: Document): Element[] {
  const kinds: Element[][] = Array.from({ length: 4 + BYLINE_CLASSES.length }, () => []);
  for (const el of pageElements(doc)) {
    if (!el.hasAttributes()) continue;
    const itemprop = el.getAttribute('itemprop');
    if (itemprop === 'name') {
      for (let up = el.parentElement; up; up = up.parentElement) {
        if (up.getAttribute('itemprop') === 'author') {
          kinds[0]!.push(el);
          break;
        }
      }
    }
    if (itemprop === 'author') kinds[1]!.push(el);
    if (el.getAttribute('rel')?.toLowerCase() === 'author') kinds[2]!.push(el);
    const className = el.getAttribute('class');
    if (className === null) continue;
    const classes = className.split(/\s+/);
    BYLINE_CLASSES.forEach((name, i) => {
      if (classes.includes(name)) kinds[3 + i]!.push(el);
    });
    if (className.includes('byline')) kinds[3 + BYLINE_CLASSES.length]!.push(el);
  }
  return kinds.flat();
}

/** Inside a comment thread, an aside or a footer: a byline there is not the article's. */
function inCommentsOrChrome(el: Element): boolean {
  for (let node: Element | null = el; node; node = node.parentElement) {
    const tag = node.localName.toLowerCase();
    if (tag === 'aside' || tag === 'footer' || node.getAttribute('id') === 'comments') return true;
    const classes = (node.getAttribute('class') ?? '').split(/\s+/);
    if (classes.includes('comment') || classes.includes('comments')) return true;
  }
  return false;
}

function authorsFromMarkup(doc: Document): string[] {
  for (const el of bylineCandidates(doc)) {
    if (inCommentsOrChrome(el)) continue;
    const text = clean(el.getAttribute('content') ?? el.textContent);
    if (!text || text.length > 120) continue;
    const names = parseByline(text);
    if (names.length) return names;
  }
  return [];
}

function extractAuthors(doc: Document, main: Json | null): string[] {
  // Cheapest and most reliable first; the markup search runs only when nothing else names anyone.
  const sources = [
    () => authorsFromJsonLd(main),
    () => metaContents(doc, 'citation_author', 'dc.creator', 'dcterms.creator'),
    () => metaContents(doc, 'author', 'article:author', 'parsely-author', 'sailthru.author', 'byl', 'twitter:creator:name')
      .filter((v) => !/^https?:/.test(v)).flatMap(parseByline),
    () => authorsFromMarkup(doc),
  ];
  let found: string[] = [];
  for (const source of sources) {
    found = source();
    if (found.length) break;
  }
  const seen = new Set<string>();
  return found.filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Title.


/** The page title without the site name a <title> usually carries. */
function extractTitle(doc: Document, main: Json | null, siteNames: string[]): string | null {
  const ogTitle = metaContent(doc, 'og:title', 'twitter:title', 'citation_title', 'dc.title');
  const ldTitle = main ? textOf(main.headline ?? main.name) : null;
  const docTitle = clean(pageElementsByTag(doc, 'title')[0]?.textContent);
  const h1s = pageElementsByTag(doc, 'h1').map((h) => clean(h.textContent)).filter((t): t is string => !!t);
  for (const candidate of [ogTitle, ldTitle, docTitle]) {
    if (!candidate) continue;
    const stripped = stripSiteName(candidate, siteNames);
    // A headline that repeats as an <h1> is the article's own title.
    if (h1s.some((h) => h === stripped)) return stripped;
  }
  const best = ogTitle ?? ldTitle ?? docTitle;
  if (best) return stripSiteName(best, siteNames);
  return h1s[0] ?? null;
}

/** The title without a site name before or after it ("Story | Site", "Site - Story"). */
function stripSiteName(title: string, siteNames: string[]): string {
  const norm = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  const names = new Set(siteNames.map(norm).filter((n) => n.length >= 2));
  const isSite = (part: string) => names.has(norm(part));
  const last = /^(.*\S)\s+([|–—·•:»-])\s+(.+)$/u.exec(title);
  if (last) {
    const [, head, separator, tail] = last;
    if (isSite(tail!)) return head!;
    // Without a known name, a short last part after a strong separator is the site (" | Site").
    if (/[|–—·•»]/.test(separator!) && tail!.split(/\s+/).length <= 4 && head!.split(/\s+/).length >= 3) return head!;
  }
  const first = /^(.+?)\s+[|–—·•:»-]\s+(.*\S)$/u.exec(title);
  if (first && isSite(first[1]!)) return first[2]!;
  return title;
}

// ---------------------------------------------------------------------------------------------
// Lead image.

function imageFromJsonLd(value: unknown, base: string): ImageRef | null {
  if (!value) return null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const image = imageFromJsonLd(item, base);
      if (image) return image;
    }
    return null;
  }
  if (typeof value === 'string') {
    const url = resolveHttpUrl(value, base);
    return url ? { url, width: null, height: null } : null;
  }
  if (typeof value === 'object') {
    const obj = value as Json;
    const url = resolveHttpUrl(typeof obj.url === 'string' ? obj.url : typeof obj.contentUrl === 'string' ? obj.contentUrl : null, base);
    if (!url) return null;
    return { url, width: dimension(obj.width), height: dimension(obj.height), title: textOf(obj.caption) ?? null };
  }
  return null;
}

function dimension(value: unknown): number | null {
  if (value && typeof value === 'object') return dimension((value as Json).value);
  const n = typeof value === 'number' ? value : typeof value === 'string' ? parseInt(value, 10) : NaN;
  return Number.isFinite(n) && n > 0 && n < 100_000 ? Math.round(n) : null;
}

function extractLeadImage(doc: Document, main: Json | null, base: string): ImageRef | null {
  const og = resolveHttpUrl(metaContent(doc, 'og:image:secure_url', 'og:image', 'og:image:url'), base);
  if (og) {
    return {
      url: og,
      width: dimension(metaContent(doc, 'og:image:width')),
      height: dimension(metaContent(doc, 'og:image:height')),
      title: metaContent(doc, 'og:image:alt'),
    };
  }
  const fromLd = main ? imageFromJsonLd(main.image ?? main.thumbnailUrl, base) : null;
  if (fromLd) return fromLd;
  const twitter = resolveHttpUrl(metaContent(doc, 'twitter:image', 'twitter:image:src', 'thumbnail', 'parsely-image-url'), base);
  if (twitter) return { url: twitter, width: null, height: null };
  const linked = linkHref(doc, 'image_src', base);
  if (linked) return { url: linked, width: null, height: null };
  const itemprop = pageElements(doc).find((el) => el.getAttribute('itemprop') === 'image');
  const itempropUrl = resolveHttpUrl(itemprop?.getAttribute('content') ?? itemprop?.getAttribute('src') ?? itemprop?.getAttribute('href'), base);
  return itempropUrl ? { url: itempropUrl, width: null, height: null } : null;
}

// ---------------------------------------------------------------------------------------------
// Language and locale.

/** The country a country-code TLD stands for, where it differs from the code itself. */
const TLD_COUNTRY: Record<string, string> = { uk: 'gb' };
const GENERIC_TLDS = new Set(['com', 'org', 'net', 'info', 'biz', 'io', 'co', 'ai', 'tv', 'me', 'app', 'dev', 'news', 'edu', 'gov', 'int', 'mil', 'eu', 'asia', 'xyz', 'online', 'site', 'tech', 'cc', 'fm', 'ly', 'to', 'gg', 'is', 'it']);
/** The region assumed for a language when nothing on the page names one. */
const DEFAULT_REGION: Record<string, string> = {
  en: 'us', de: 'de', fr: 'fr', es: 'es', it: 'it', pt: 'br', nl: 'nl', ja: 'jp', zh: 'cn', ko: 'kr', ru: 'ru',
  sv: 'se', da: 'dk', nb: 'no', no: 'no', fi: 'fi', pl: 'pl', tr: 'tr', cs: 'cz', el: 'gr', he: 'il', ar: 'sa',
  hi: 'in', id: 'id', th: 'th', vi: 'vn', uk: 'ua', hu: 'hu', ro: 'ro', fa: 'ir',
};
const LANG_COUNTRIES: Record<string, string[]> = {
  en: ['us', 'gb', 'au', 'ca', 'ie', 'nz', 'in', 'za', 'sg', 'ph', 'ng', 'ke', 'pk'],
  de: ['de', 'at', 'ch', 'li', 'lu'], fr: ['fr', 'be', 'ch', 'ca', 'lu'], es: ['es', 'mx', 'ar', 'co', 'cl', 'pe', 've'],
  pt: ['br', 'pt'], it: ['it', 'ch'], nl: ['nl', 'be'], zh: ['cn', 'tw', 'hk', 'sg'],
};

function parseLanguageTag(tag: string | null): { language: string; region: string | null } | null {
  if (!tag) return null;
  const m = /^([a-z]{2,3})(?:[-_]([a-z]{4}))?(?:[-_]([a-z]{2}|\d{3}))?\b/i.exec(tag.trim());
  if (!m) return null;
  const language = m[1]!.toLowerCase();
  if (language === 'und' || language === 'mul' || language === 'xx') return null;
  return { language, region: m[3] ? m[3].toLowerCase() : null };
}

function countryOfHost(host: string): string | null {
  const tld = host.split('.').pop() ?? '';
  if (tld.length !== 2 || GENERIC_TLDS.has(tld)) return null;
  return TLD_COUNTRY[tld] ?? tld;
}

const SKIPPED = new Set(['NAV', 'FOOTER', 'HEADER', 'ASIDE', 'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'FORM', 'BUTTON', 'SELECT']);
const PROSE = new Set(['P', 'H1', 'H2', 'H3', 'LI', 'BLOCKQUOTE', 'DD']);
/** Enough text to identify a language and to tell a player page from an article. */
const SAMPLE_CHARS = 2000;
const pageTexts = new WeakMap<Document, string>();

/** A sample of the page's prose (paragraphs outside navigation and chrome), read once per document. */
function pageText(doc: Document): string {
  const cached = pageTexts.get(doc);
  if (cached !== undefined) return cached;
  const body = doc.body ?? doc.documentElement;
  const parts: string[] = [];
  let length = 0;
  const walk = (node: Element): void => {
    for (let child = node.firstElementChild; child && length < SAMPLE_CHARS; child = child.nextElementSibling) {
      if (SKIPPED.has(child.tagName)) continue;
      if (PROSE.has(child.tagName)) {
        const text = clean(child.textContent);
        if (text && text.length > 30) {
          parts.push(text);
          length += text.length + 1;
        }
        continue;
      }
      walk(child);
    }
  };
  if (body) walk(body);
  const text = parts.length ? parts.join(' ') : (clean(body?.textContent) ?? '').slice(0, SAMPLE_CHARS);
  pageTexts.set(doc, text);
  return text;
}

/** The first few thousand characters of the page's text, for datelines and wire credits. */
function leadText(doc: Document, limit = 4000): string {
  const parts: string[] = [];
  let length = 0;
  const walk = (node: Node): void => {
    for (let child = node.firstChild; child && length < limit; child = child.nextSibling) {
      if (child.nodeType === 3) {
        const value = child.nodeValue ?? '';
        parts.push(value);
        length += value.length;
      } else if (child.nodeType === 1 && !SKIPPED.has((child as Element).tagName)) {
        parts.push(' ');
        walk(child);
      }
    }
  };
  const body = doc.body ?? doc.documentElement;
  if (body) walk(body);
  return parts.join('').slice(0, limit);
}

/** Only a substantial text outvotes the markup's language. */
const OVERRIDE_MIN_CHARS = 600;

function extractLanguage(doc: Document, main: Json | null, host: string): { language: string | null; locale: string | null } {
  const tags = [
    doc.documentElement?.getAttribute('lang'),
    doc.documentElement?.getAttribute('xml:lang'),
    metaContent(doc, 'og:locale'),
    metaContent(doc, 'content-language', 'language', 'dc.language', 'dcterms.language', 'citation_language'),
    contentLanguageMeta(doc)?.getAttribute('content') ?? null,
    main ? textOf(main.inLanguage) : null,
  ].map((t) => parseLanguageTag(t ?? null)).filter((t): t is { language: string; region: string | null } => t !== null);

  // The text decides when the markup is silent, and when it contradicts a template's default
  // (many sites ship lang="en" on every page whatever the language).
  const text = pageText(doc);
  const detected = detectLanguageSync(text);
  let language = tags[0]?.language ?? detected;
  if (detected && language && detected !== language && text.length >= OVERRIDE_MIN_CHARS
    && tags.every((t) => t.language !== detected)) language = detected;
  if (!language) return { language: null, locale: null };
  const region = tags.find((t) => t.language === language && t.region)?.region
    ?? (() => {
      const country = countryOfHost(host);
      if (country && (LANG_COUNTRIES[language]?.includes(country) ?? DEFAULT_REGION[language] === country)) return country;
      return DEFAULT_REGION[language] ?? null;
    })();
  return { language, locale: region ? `${language}-${region}` : language };
}

// ---------------------------------------------------------------------------------------------
// Type.

/** Newswire distributors: a page they publish is a press release by construction. */
const WIRE_DOMAINS = new Set(['prnewswire.com', 'businesswire.com', 'globenewswire.com', 'accesswire.com',
  'einpresswire.com', 'prweb.com', 'newswire.com', 'newsfilecorp.com', 'marketwired.com', 'openpr.com',
  'presseportal.de', 'ots.at', 'pressebox.de', 'cision.com', 'newswire.ca', 'prlog.org', 'issuewire.com',
  'newsdirect.com', 'prunderground.com', 'send2press.com', 'mynewsdesk.com']);
const WIRE_DATELINE = /\((?:PR\s?Newswire|BUSINESS WIRE|GLOBE NEWSWIRE|ACCESSWIRE|EINPresswire|PRWEB|Newsfile Corp\.?|Marketwired|NEWMEDIAWIRE)\)|\/PRNewswire(?:-[A-Z]+)?\/|\/CNW\/|--\s*\(BUSINESS WIRE\)/i;

function extractType(doc: Document, objects: Json[], main: Json | null, domain: string, url: string): ArticleType {
  const mainTypes = main ? typesOf(main) : [];
  const allTypes = objects.flatMap(typesOf);
  const ogType = (metaContent(doc, 'og:type') ?? '').toLowerCase();

  if (metaContent(doc, 'citation_title', 'citation_doi', 'citation_journal_title', 'citation_pdf_url', 'dc.identifier.doi')
    || mainTypes.some((t) => /ScholarlyArticle/.test(t))) return 'paper';
  if (WIRE_DOMAINS.has(domain) || mainTypes.includes('PressRelease')) return 'press-release';
  if (WIRE_DATELINE.test(leadText(doc))) return 'press-release';
  if (/\/(press[-_]?releases?|news[-_]?releases?|pressemitteilungen?|communiques?-de-presse)\//i.test(new URL(url).pathname)
    && /\b(media contact|press contact|investor contact|about [A-Z][\w&.]+|###)\b/i.test(doc.body?.textContent ?? '')) return 'press-release';

  const isArticle = mainTypes.some((t) => /Article|BlogPosting|Report/.test(t)) || ogType === 'article';
  if (ogType.startsWith('video') || (!isArticle && mainTypes.includes('VideoObject'))) return 'video';
  if (mainTypes.some((t) => t === 'PodcastEpisode' || t === 'PodcastSeries' || t === 'AudioObject')
    || ogType === 'music.song' || ogType.includes('podcast')) return 'podcast';
  if (!isArticle) {
    // A page that is mostly a player: little text around a video or audio element or embed.
    const words = pageText(doc).split(/\s+/).length;
    const video = doc.querySelector('video, iframe[src*="youtube.com/embed"], iframe[src*="player.vimeo.com"], iframe[src*="dailymotion.com/embed"]');
    const audio = doc.querySelector('audio, iframe[src*="open.spotify.com/embed"], iframe[src*="podcasts.apple.com"], iframe[src*="anchor.fm"], iframe[src*="soundcloud.com/player"]');
    if (words < 250 && video) return 'video';
    if (words < 400 && (audio || allTypes.includes('PodcastEpisode'))) return 'podcast';
  }
  return 'article';
}

// ---------------------------------------------------------------------------------------------
// Site and provider.

function publisherName(objects: Json[], main: Json | null): string | null {
  const fromMain = main ? textOf(main.publisher) : null;
  if (fromMain) return fromMain;
  for (const obj of objects) {
    const types = typesOf(obj);
    if (types.includes('NewsMediaOrganization')) return textOf(obj.name);
  }
  for (const obj of objects) {
    if (typesOf(obj).includes('WebSite')) return textOf(obj.name);
  }
  return null;
}

let shippedOrganizations: Map<string, Organization> | null = null;

let modelRequested = false;

/**
 * All page metadata except the main text and dates. Language from the text needs the fastText model:
 * await `loadLanguageModel()` once at startup; until it is loaded only the markup's language is used
 * (the first call starts loading it in the background).
 */
export function extractMetadata(doc: Document, url: string, opts: MetadataOptions = {}): PageMetadata {
  if (!modelRequested) {
    modelRequested = true;
    loadLanguageModel().catch(() => {
      // Without the model, language comes from the markup only.
    });
  }
  const objects = pageJsonLdObjects(doc);
  const main = mainObject(objects);
  const host = getHostname(url) ?? '';
  const organizations = opts.organizations ?? (shippedOrganizations ??= loadOrganizations());
  const organization = findOrganization(organizations, host);
  const registrable = getDomain(url) ?? host.replace(/^www\./, '');
  const providerDomain = organization?.domain ?? registrable;

  const siteName = metaContent(doc, 'og:site_name', 'application-name', 'al:android:app_name', 'citation_journal_title')
    ?? publisherName(objects, main);
  const siteNames = [siteName, organization?.name, registrable, getDomainWithoutSuffix(url), host.replace(/^www\./, '')]
    .filter((name): name is string => !!name);
  const title = extractTitle(doc, main, siteNames);
  const description = metaContent(doc, 'og:description', 'description', 'twitter:description', 'dc.description', 'citation_abstract')
    ?? (main ? textOf(main.description) : null);
  const { language, locale } = extractLanguage(doc, main, host);

  return {
    title,
    description,
    authors: extractAuthors(doc, main),
    language,
    locale,
    type: extractType(doc, objects, main, registrable, url),
    siteName,
    leadImage: extractLeadImage(doc, main, url),
    canonicalUrl: linkHref(doc, 'canonical', url) ?? resolveHttpUrl(metaContent(doc, 'og:url'), url),
    ampUrl: linkHref(doc, 'amphtml', url),
    providerName: organization?.name ?? siteName ?? null,
    providerDomain,
    paywallDeclared: declaresPaywall(doc, objects),
  };
}

function declaresPaywall(doc: Document, objects: Json[]): boolean {
  const closed = (value: unknown): boolean => value === false || (typeof value === 'string' && value.toLowerCase() === 'false');
  if (objects.some((obj) => closed(obj.isAccessibleForFree))) return true;
  return closed(pageElements(doc).find((el) => el.getAttribute('itemprop') === 'isAccessibleForFree')?.getAttribute('content'));
}
