// Publication and modification dates of an article page.
// Sources are tried from the most to the least explicit: structured data (JSON-LD), meta tags,
// marked-up time elements, the URL, date-like elements of the page, and finally dates written in
// the visible text. The published date wins over the modified one; a page that only states when it
// was updated still gets that date as `updated`.
import { contentLanguageMeta, jsonLdScripts, pageElements, pageElementsByTag } from './page-index.ts';

export interface ExtractedDates {
  /** ISO 8601 UTC, e.g. `2020-06-11T14:51:00Z`; a date without a time is midnight UTC of that day. */
  published: string | null;
  updated: string | null;
}

export interface DateOptions {
  /** The raw HTML, when available: used to read dates the DOM hides (broken JSON-LD, scripts). */
  html?: string;
  /** Latest acceptable date (default: now + 1 day). Dates after it are treated as noise. */
  notAfter?: Date;
  /**
   * Also work out the calendar day as the page shows it (`ParsedDate.day`) when a structured
   * instant has a time: costs a scan of the page's date elements, so only on request.
   */
  localDay?: boolean;
}

/** A parsed date; `day` is the date as written on the page, `iso` the UTC instant. */
export interface ParsedDate {
  iso: string;
  day: string;
  hasTime: boolean;
  /** Written as a UTC instant (`Z`, `+00:00`, epoch seconds): its day is not the publisher's day. */
  inUtc?: boolean;
  /** Written with a UTC offset other than zero: its day is the publisher's own calendar day. */
  zoned?: boolean;
}

const EARLIEST = Date.UTC(1995, 0, 1);

// ---------------------------------------------------------------------------------------------
// Month names. Several languages, since the text-date fallback must read pages in those languages.

const MONTHS: Record<string, number> = {};
function addMonths(names: string[]): void {
  names.forEach((list, index) => {
    for (const name of list.split('|')) MONTHS[name] = index + 1;
  });
}
// English
addMonths(['january|jan', 'february|feb', 'march|mar', 'april|apr', 'may', 'june|jun', 'july|jul',
  'august|aug', 'september|sept|sep', 'october|oct', 'november|nov', 'december|dec']);
// German
addMonths(['januar|jänner|jän', 'februar|feber', 'märz|maerz|mär|mrz', 'april', 'mai', 'juni', 'juli',
  'august', 'september', 'oktober|okt', 'november', 'dezember|dez']);
// French
addMonths(['janvier|janv', 'février|fevrier|févr|fevr|fév', 'mars', 'avril|avr', 'mai', 'juin', 'juillet|juil',
  'août|aout|aoû', 'septembre', 'octobre', 'novembre', 'décembre|decembre|déc']);
// Spanish
addMonths(['enero|ene', 'febrero', 'marzo', 'abril|abr', 'mayo', 'junio', 'julio', 'agosto|ago',
  'septiembre|setiembre|set', 'octubre', 'noviembre', 'diciembre|dic']);
// Italian
addMonths(['gennaio|gen', 'febbraio', 'marzo', 'aprile', 'maggio|mag', 'giugno|giu', 'luglio|lug',
  'agosto', 'settembre|sett', 'ottobre|ott', 'novembre', 'dicembre']);
// Portuguese
addMonths(['janeiro', 'fevereiro|fev', 'março|marco', 'abril', 'maio', 'junho', 'julho', 'agosto',
  'setembro', 'outubro|out', 'novembro', 'dezembro']);
// Dutch
addMonths(['januari', 'februari', 'maart|mrt', 'april', 'mei', 'juni', 'juli', 'augustus', 'september',
  'oktober', 'november', 'december']);
// Swedish, Danish, Norwegian
addMonths(['januari|januar', 'februari|februar', 'mars|marts', 'april', 'maj|mai', 'juni', 'juli',
  'augusti|august', 'september', 'oktober', 'november', 'december|desember']);
// Polish (nominative and genitive)
addMonths(['styczeń|stycznia|styczen', 'luty|lutego', 'marzec|marca', 'kwiecień|kwietnia', 'maj|maja',
  'czerwiec|czerwca', 'lipiec|lipca', 'sierpień|sierpnia', 'wrzesień|września', 'październik|października',
  'listopad|listopada', 'grudzień|grudnia']);
// Turkish
addMonths(['ocak', 'şubat|subat', 'mart', 'nisan', 'mayıs|mayis', 'haziran', 'temmuz', 'ağustos|agustos',
  'eylül|eylul', 'ekim', 'kasım|kasim', 'aralık|aralik']);
// Russian (genitive, as in dates)
addMonths(['января|январь', 'февраля|февраль', 'марта|март', 'апреля|апрель', 'мая|май', 'июня|июнь',
  'июля|июль', 'августа|август', 'сентября|сентябрь', 'октября|октябрь', 'ноября|ноябрь', 'декабря|декабрь']);
// Indonesian / Malay
addMonths(['januari', 'februari|pebruari', 'maret', 'april', 'mei', 'juni', 'juli', 'agustus|ogos',
  'september', 'oktober', 'november|nopember', 'desember|disember']);

const MONTH_NAMES = Object.keys(MONTHS).sort((a, b) => b.length - a.length)
  .map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

// ---------------------------------------------------------------------------------------------
// Parsing one date string.

function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function expandYear(year: number): number {
  if (year >= 100) return year;
  return year < 70 ? 2000 + year : 1900 + year;
}

function makeDate(year: number, month: number, day: number, bound: number,
  time?: { h: number; m: number; s: number; offsetMinutes: number | null }): ParsedDate | null {
  if (!validDay(year, month, day)) return null;
  const dayString = `${year}-${pad(month)}-${pad(day)}`;
  let ms = Date.UTC(year, month - 1, day);
  if (ms < EARLIEST || ms > bound) return null;
  if (!time || time.h > 23 || time.m > 59 || time.s > 60) {
    return { iso: `${dayString}T00:00:00Z`, day: dayString, hasTime: false };
  }
  ms = Date.UTC(year, month - 1, day, time.h, time.m, Math.min(time.s, 59)) - (time.offsetMinutes ?? 0) * 60_000;
  const iso = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (time.offsetMinutes === 0) return { iso, day: dayString, hasTime: true, inUtc: true };
  return time.offsetMinutes === null ? { iso, day: dayString, hasTime: true } : { iso, day: dayString, hasTime: true, zoned: true };
}

function parseOffset(zone: string | undefined): number | null {
  if (!zone) return null;
  if (/^z$/i.test(zone) || /^(ut|utc|gmt)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  const named: Record<string, number> = { est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360,
    pst: -480, pdt: -420, cet: 60, cest: 120, bst: 60, ist: 330, jst: 540, kst: 540, aest: 600, aedt: 660 };
  return named[zone.toLowerCase()] ?? null;
}

const TIME_RE = /(?:T|\s+|,\s*|\s+um\s+|\s+at\s+|\s+à\s+)(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(am|pm|a\.m\.|p\.m\.)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT|[ECMP][SD]T|CES?T|BST|JST|KST|AES?T|AEDT)?/iy;

function readTime(text: string, at: number): { h: number; m: number; s: number; offsetMinutes: number | null } | undefined {
  TIME_RE.lastIndex = at;
  const m = TIME_RE.exec(text);
  if (!m) return undefined;
  let h = Number(m[1]);
  const meridiem = m[4]?.toLowerCase().replace(/\./g, '');
  if (meridiem === 'pm' && h < 12) h += 12;
  if (meridiem === 'am' && h === 12) h = 0;
  return { h, m: Number(m[2]), s: Number(m[3] ?? 0), offsetMinutes: parseOffset(m[5]) };
}

/**
 * Parses a machine-readable date (ISO 8601, RFC 2822, compact `20200611`, epoch seconds) or a
 * human one (`June 11, 2020`, `11. Juni 2020`, `11.06.2020`). Returns null for anything else
 * or a date outside 1995..bound.
 */
export function parseDateString(input: string, bound: number = Date.now() + 86_400_000,
  dayFirst = true): ParsedDate | null {
  const text = input.trim();
  if (!text) return null;
  // ISO 8601 and its common relatives: 2020-06-11, 2020-06-11T14:51:00+02:00, 2020/06/11 14:51.
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/.exec(text);
  if (m) return makeDate(Number(m[1]), Number(m[2]), Number(m[3]), bound, readTime(text, m[0].length));
  // Compact: 20200611 or 20200611T145100Z
  m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})?)?$/.exec(text);
  if (m) {
    const time = m[4] ? { h: Number(m[4]), m: Number(m[5]), s: Number(m[6] ?? 0), offsetMinutes: parseOffset(m[7]) } : undefined;
    return makeDate(Number(m[1]), Number(m[2]), Number(m[3]), bound, time);
  }
  // Epoch seconds or milliseconds.
  m = /^(\d{10})(\d{3})?$/.exec(text);
  if (m) {
    const ms = Number(m[1]) * 1000 + Number(m[2] ?? 0);
    const d = new Date(ms);
    return makeDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), bound,
      { h: d.getUTCHours(), m: d.getUTCMinutes(), s: d.getUTCSeconds(), offsetMinutes: 0 });
  }
  return findDateInText(text, bound, dayFirst, true)[0]?.date ?? null;
}

// ---------------------------------------------------------------------------------------------
// Dates written in running text.

interface TextDate {
  date: ParsedDate;
  index: number;
}

const TEXT_PATTERNS: Array<{ re: RegExp; build: (m: RegExpExecArray, dayFirst: boolean) => [number, number, number] | null }> = [
  // 2020-06-11, 2020/06/11, 2020.06.11
  { re: /\b(\d{4})([-/.])(\d{1,2})\2(\d{1,2})\b/g, build: (m) => [Number(m[1]), Number(m[3]), Number(m[4])] },
  // 2020年1月21日, 2020년 1월 21일
  { re: /(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?/g, build: (m) => [Number(m[1]), Number(m[2]), Number(m[3])] },
  // 11.06.2020, 11/06/2020, 11-06-2020, 11.06.20
  {
    re: /\b(\d{1,2})([./-])\s?(\d{1,2})\2\s?(\d{4}|\d{2})(?![\d.\/-]\d)/g,
    build: (m, dayFirst) => {
      const a = Number(m[1]);
      const b = Number(m[3]);
      const year = expandYear(Number(m[4]));
      if (m[4]!.length === 2 && m[2] !== '.') return null; // 06/11/20 is too ambiguous
      if (m[2] === '.') return [year, b, a];
      if (a > 12) return [year, b, a];
      if (b > 12) return [year, a, b];
      return dayFirst ? [year, b, a] : [year, a, b];
    },
  },
  // 11. Juni 2020, 11 June 2020, 11th of June, 2020, 11 de junio de 2020
  {
    re: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th|er|\\.)?\\s*(?:of\\s+|de\\s+)?(${MONTH_NAMES})\\.?,?\\s*(?:de\\s+|del\\s+)?(\\d{4})\\b`, 'giu'),
    build: (m) => [Number(m[3]), MONTHS[m[2]!.toLowerCase()]!, Number(m[1])],
  },
  // June 11, 2020; Jun. 11th 2020
  {
    re: new RegExp(`\\b(${MONTH_NAMES})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'giu'),
    build: (m) => [Number(m[3]), MONTHS[m[1]!.toLowerCase()]!, Number(m[2])],
  },
  // 11 января 2020 г. is covered above; Russian/other Cyrillic need no \b, handled by the u flag.
];

function findDateInText(text: string, bound: number, dayFirst: boolean, firstOnly = false): TextDate[] {
  const found: TextDate[] = [];
  for (const { re, build } of TEXT_PATTERNS) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const parts = build(m, dayFirst);
      if (!parts) continue;
      const date = makeDate(parts[0], parts[1], parts[2], bound, readTime(text, m.index + m[0].length));
      if (date) found.push({ date, index: m.index });
      if (firstOnly && date) break;
    }
  }
  found.sort((a, b) => a.index - b.index);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Sources in the page.

const PUBLISHED_META = new Set([
  'article:published_time', 'og:published_time', 'og:article:published_time', 'article:published',
  'published_time', 'publish-date', 'publish_date', 'publishdate', 'pubdate', 'publication_date',
  'date', 'dc.date', 'dc.date.issued', 'dc.date.created', 'dcterms.date', 'dcterms.issued', 'dcterms.created',
  'datepublished', 'date_published', 'sailthru.date', 'parsely-pub-date', 'citation_publication_date',
  'citation_date', 'citation_online_date', 'prism.publicationdate', 'article.published', 'article_date_original',
  'original-publish-date', 'cxenseparse:recs:publishtime', 'displaydate', 'published-date', 'release_date',
  'dc.created', 'creation_date', 'created', 'datecreated', 'pub_date', 'article.created', 'originalpublicationdate',
  'rnews:datepublished', 'og:pubdate', 'bt:pubdate', 'ptime', 'pdate', 'published', 'shareaholic:article_published_time',
  'sailthru.date.published', 'dc.date.published', 'article:post_date', 'post_date', 'gentime', 'date.available',
]);

const MODIFIED_META = new Set([
  'article:modified_time', 'og:updated_time', 'og:modified_time', 'article:modified', 'modified_time',
  'last-modified', 'lastmod', 'dc.date.modified', 'dcterms.modified', 'datemodified', 'date_modified',
  'updated_time', 'article.updated', 'utime', 'revised', 'dc.modified', 'last-updated', 'lastupdate',
  'parsely-updated', 'sailthru.lastmodified', 'citation_last_modified',
]);

function attr(el: Element, name: string): string {
  return el.getAttribute(name)?.trim() ?? '';
}

interface Found {
  published: ParsedDate | null;
  updated: ParsedDate | null;
  /** Which tag or key the published date came from. */
  key?: string;
}

/** How much a JSON-LD object's own dates say about the article: the article itself first, the page and site last. */
function jsonLdRank(type: string): number {
  if (/Article|BlogPosting|Report|PressRelease|VideoObject|PodcastEpisode|Recipe|HowTo|Review$/i.test(type)) return 3;
  if (/WebSite|Organization|Corporation|Brand|WPHeader|WPFooter|SiteNavigation/i.test(type)) return 0;
  if (/WebPage|ItemPage|CollectionPage|ProfilePage|SearchResultsPage/i.test(type)) return 1;
  return 2;
}

function jsonLdDates(doc: Document, html: string | undefined, bound: number): Found {
  const result: Found = { published: null, updated: null };
  let publishedRank = -1;
  let updatedRank = -1;
  const visit = (node: unknown, depth: number): void => {
    if (depth > 8 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    const obj = node as Record<string, unknown>;
    const type = String(obj['@type'] ?? '');
    // Comments, reviews by readers and people carry dates that are not the article's.
    const foreign = /Comment|UserReview|Person|Rating|Offer|Event|Answer|Question/i.test(type);
    if (!foreign) {
      const rank = jsonLdRank(type);
      if (rank > 0 && rank > publishedRank) {
        for (const key of ['datePublished', 'dateCreated', 'uploadDate']) {
          const date = typeof obj[key] === 'string' ? parseDateString(obj[key] as string, bound) : null;
          if (date) {
            result.published = date;
            publishedRank = rank;
            break;
          }
        }
      }
      if (rank > 0 && rank > updatedRank && typeof obj.dateModified === 'string') {
        const date = parseDateString(obj.dateModified, bound);
        if (date) {
          result.updated = date;
          updatedRank = rank;
        }
      }
    }
    for (const [key, value] of Object.entries(obj)) {
      if (key === 'comment' || key === 'review') continue;
      if (value && typeof value === 'object') visit(value, depth + 1);
    }
  };
  for (const script of jsonLdScripts(doc)) {
    const text = script.textContent ?? '';
    try {
      visit(JSON.parse(text), 0);
    } catch {
      // Broken JSON-LD is common; read the keys directly below.
      readRawKeys(text, result, bound);
    }
  }
  if (html && (!result.published || !result.updated)) readRawKeys(html, result, bound);
  return result;
}

const STATE_KEY = /["']?(?:publish(?:ed)?_?(?:at|date|time|on)?|pub_?date|created_?(?:at|date|on)?|first_?published(?:_?at)?|releaseDate|postDate|post_date|date_?gmt|display_?date)["']?\s*[:=]\s*["']([^"'<>]{8,40})["']/gi;

function scriptStateDate(html: string, bound: number): ParsedDate | null {
  STATE_KEY.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = STATE_KEY.exec(html))) {
    const date = parseDateString(m[1]!, bound);
    if (date) return date;
  }
  return null;
}

function readRawKeys(text: string, result: Found, bound: number): void {
  if (!result.published) {
    const m = /["']datePublished["']\s*:\s*["']([^"']{6,40})["']/.exec(text);
    if (m) result.published = parseDateString(m[1]!, bound);
  }
  if (!result.updated) {
    const m = /["']dateModified["']\s*:\s*["']([^"']{6,40})["']/.exec(text);
    if (m) result.updated = parseDateString(m[1]!, bound);
  }
}

function metaDates(doc: Document, bound: number): Found {
  const result: Found = { published: null, updated: null };
  for (const meta of pageElementsByTag(doc, 'meta')) {
    const key = (attr(meta, 'property') || attr(meta, 'name') || attr(meta, 'itemprop') || attr(meta, 'http-equiv')).toLowerCase();
    if (!key) continue;
    const content = attr(meta, 'content') || attr(meta, 'datetime');
    if (!content) continue;
    if (!result.published && PUBLISHED_META.has(key)) {
      result.published = parseDateString(content, bound);
      if (result.published) result.key = key;
    }
    else if (!result.updated && MODIFIED_META.has(key)) result.updated = parseDateString(content, bound);
  }
  return result;
}

const DATE_ITEMPROPS = new Set(['datePublished', 'dateCreated', 'dateModified']);

/** [itemprop=datePublished|dateCreated|dateModified], time[pubdate], abbr.published|updated, .published|.updated[title]. */
function isMarkedUpDate(el: Element): boolean {
  if (!el.hasAttributes()) return false;
  const itemprop = el.getAttribute('itemprop');
  if (itemprop !== null && DATE_ITEMPROPS.has(itemprop)) return true;
  const tag = el.localName.toLowerCase();
  if (tag === 'time' && el.hasAttribute('pubdate')) return true;
  const className = el.getAttribute('class');
  if (className === null) return false;
  const classes = className.split(/\s+/);
  if (!classes.includes('published') && !classes.includes('updated')) return false;
  return tag === 'abbr' || el.hasAttribute('title');
}

function markedUpDates(doc: Document, bound: number, dayFirst: boolean): Found {
  const result: Found = { published: null, updated: null };
  for (const el of pageElements(doc).filter(isMarkedUpDate)) {
    const prop = attr(el, 'itemprop');
    const value = attr(el, 'datetime') || attr(el, 'content') || attr(el, 'title') || (el.textContent ?? '');
    const date = parseDateString(value, bound, dayFirst);
    if (!date) continue;
    const isUpdate = prop === 'dateModified' || el.classList.contains('updated');
    if (isUpdate) result.updated ??= date;
    else result.published ??= date;
  }
  return result;
}

/** A date written in the URL path: /2020/06/11/, /2020-06-11-, /20200611/. */
export function dateFromUrl(url: string, bound: number = Date.now() + 86_400_000): ParsedDate | null {
  let path: string;
  try {
    const parsed = new URL(url);
    path = decodeURIComponent(parsed.pathname);
  } catch {
    path = url;
  }
  // An archived copy's own timestamp says when it was archived, not published: read the original URL.
  path = path.replace(/^\/web\/\d{8,14}[a-z_]*\/(?:https?:\/\/?[^/]+)?/, '/');
  let m = /(?:^|[/_-])((?:19|20)\d{2})[/_.-](\d{1,2})[/_.-](\d{1,2})(?=$|[/_.-])/.exec(path);
  if (m) return makeDate(Number(m[1]), Number(m[2]), Number(m[3]), bound);
  m = /(?:^|[/_-]|\D)((?:19|20)\d{2})(\d{2})(\d{2})(?=$|\D)/.exec(path);
  if (m && !/\d/.test(path.charAt(m.index + m[0].length))) return makeDate(Number(m[1]), Number(m[2]), Number(m[3]), bound);
  // Day first, as in /bericht_vom_22.04.2020_titel or /meldungen/29-10-2021
  m = /(?:^|[/_-])(\d{1,2})([.-])(\d{1,2})\2((?:19|20)\d{2})(?=$|[/_.-])/.exec(path);
  if (m) return makeDate(Number(m[4]), Number(m[3]), Number(m[1]), bound);
  return null;
}

/** Only year and month in the URL (/2020/06/): a check on candidate dates, not a date itself. */
function monthFromUrl(url: string): string | null {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  const m = /\/((?:19|20)\d{2})\/(\d{1,2})\//.exec(path);
  return m ? `${m[1]}-${pad(Number(m[2]))}` : null;
}

const DATE_CLASS = /(?:^|[\s_-])(?:date|datum|time|timestamp|published|publish|pubdate|posted|post-?meta|entry-?meta|entry-?date|article-?meta|meta-?date|byline|dateline|postinfo|post-?info|article-?info|info-?date|story-?date|fecha|data)(?:$|[\s_-])|date|datum|zeit|fecha/i;
const UPDATE_WORDS = /(?:updated|modified|aktualisiert|geändert|mis à jour|actualizado|aggiornato|last change|stand:)/i;
const PUBLISH_WORDS = /(?:published|posted|veröffentlicht|erschienen|publié|publicado|pubblicato|gepubliceerd|opublikowano|datum|date|am\s*$)/i;

function visibleRoot(doc: Document): Element | null {
  // Broken markup (several <html> tags, conditional comments) can leave the parsed body empty
  // while the content hangs off the document element.
  const body = doc.body;
  if (body && (body.textContent ?? '').trim().length > 0) return body;
  return doc.documentElement ?? body;
}

function isHidden(el: Element): boolean {
  for (let cur: Element | null = el; cur; cur = cur.parentElement) {
    const tag = cur.tagName;
    if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'NOSCRIPT' || tag === 'TEMPLATE') return true;
  }
  return false;
}

function elementDates(doc: Document, bound: number, dayFirst: boolean): Found {
  const result: Found = { published: null, updated: null };
  const root = visibleRoot(doc);
  if (!root) return result;
  // <time datetime> outside comments and related-article lists first.
  for (const time of root.querySelectorAll('time')) {
    if (insideNoise(time)) continue;
    const value = attr(time, 'datetime') || (time.textContent ?? '');
    let date = parseDateString(value, bound, dayFirst);
    if (!date) continue;
    // The day the element shows its readers, when it writes one out in full, is the day as written.
    const shown = attr(time, 'datetime') ? findDateInText((time.textContent ?? '').replace(/\s+/g, ' '), bound, dayFirst, true)[0]?.date : undefined;
    if (shown && shown.day !== date.day) date = shown;
    const context = `${time.getAttribute('class') ?? ''} ${time.parentElement?.textContent?.slice(0, 80) ?? ''}`;
    if (UPDATE_WORDS.test(context) && !/publi/i.test(time.getAttribute('class') ?? '')) result.updated ??= date;
    else {
      result.published ??= date;
      break;
    }
  }
  if (result.published) return result;
  // Elements whose class or id says they hold a date.
  for (const el of root.querySelectorAll('[class], [id]')) {
    const label = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    if (!DATE_CLASS.test(label)) continue;
    if (/comment|related|sidebar|widget|footer|archive|calendar|event|copyright/i.test(label) || insideNoise(el)) continue;
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (!text || text.length > 300) continue;
    const dates = findDateInText(text, bound, dayFirst);
    if (dates.length === 0) continue;
    const first = dates[0]!;
    const before = text.slice(Math.max(0, first.index - 40), first.index);
    if (UPDATE_WORDS.test(before) && !PUBLISH_WORDS.test(before)) {
      result.updated ??= first.date;
      if (dates[1]) result.published ??= dates[1].date;
    } else {
      result.published = first.date;
    }
    if (result.published) break;
  }
  return result;
}

function insideNoise(el: Element): boolean {
  let depth = 0;
  for (let cur: Element | null = el; cur && depth < 12; cur = cur.parentElement, depth++) {
    // The page's main region and the layout wrappers above it ("page--with-sidebar") are not noise,
    // whatever their class names say.
    if (cur.tagName === 'MAIN' || cur.getAttribute('role') === 'main') break;
    const label = `${cur.getAttribute('class') ?? ''} ${cur.getAttribute('id') ?? ''}`;
    if (/comment|related|sidebar|widget|recommend|teaser|more-stories|popular/i.test(label)) return true;
    // Quoted material (embedded posts, citations) carries the quoted source's dates.
    if (cur.tagName === 'ASIDE' || cur.tagName === 'BLOCKQUOTE') return true;
    // A footer of the article is where blogs put the date; the page's footer is noise.
    if (cur.tagName === 'FOOTER' && !cur.closest('article')) return true;
  }
  return isHidden(el);
}

const HEADLINE_REACH = 1000;

/** The date the page shows its readers, if it marks one up; used to read an instant's local day. */
function displayedDate(doc: Document, bound: number, dayFirst: boolean): ParsedDate | null {
  const root = visibleRoot(doc);
  if (!root) return null;
  for (const el of root.querySelectorAll('time, [class*="date"], [class*="Date"], [class*="byline"], [class*="meta"]')) {
    if (insideNoise(el)) continue;
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (!text || text.length > 200) continue;
    const found = findDateInText(text, bound, dayFirst, true)[0];
    if (found) return found.date;
  }
  return null;
}

/** Last resort: dates in the visible text, preferring ones introduced by a publication word. */
function textDates(doc: Document, bound: number, dayFirst: boolean, urlMonth: string | null, html?: string): ParsedDate | null {
  const root = visibleRoot(doc);
  if (!root) return null;
  let text = visibleText(root).replace(/\s+/g, ' ');
  // Markup the parser could not make a tree of (text before <html>, broken nesting) still has
  // readable text: take it from the source with the tags removed.
  if (text.trim().length < 50 && html) text = textOfSource(html);
  const dates = findDateInText(text, bound, dayFirst);
  if (dates.length === 0) return null;
  if (urlMonth) {
    const matching = dates.find((d) => d.date.day.startsWith(urlMonth));
    if (matching) return matching.date;
  }
  // Articles put their date next to the headline: take the first date shortly after it.
  const headline = (root.querySelector('h1')?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const headlineAt = headline.length >= 8 ? text.indexOf(headline) : -1;
  if (headlineAt >= 0) {
    const near = dates.find((d) => d.index >= headlineAt && d.index - headlineAt < HEADLINE_REACH);
    if (near) return near.date;
  }
  for (const d of dates) {
    const before = text.slice(Math.max(0, d.index - 40), d.index);
    if (PUBLISH_WORDS.test(before) && !UPDATE_WORDS.test(before)) return d.date;
  }
  // Otherwise the most frequent date, the earliest mention breaking ties.
  const counts = new Map<string, { date: ParsedDate; count: number; first: number }>();
  for (const d of dates) {
    const entry = counts.get(d.date.day);
    if (entry) entry.count++;
    else counts.set(d.date.day, { date: d.date, count: 1, first: d.index });
  }
  const ranked = [...counts.values()].sort((a, b) => b.count - a.count || a.first - b.first);
  return ranked[0]!.date;
}

function textOfSource(html: string): string {
  return html
    .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&auml;/g, 'ä').replace(/&ouml;/g, 'ö').replace(/&uuml;/g, 'ü').replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

function visibleText(root: Element): string {
  const parts: string[] = [];
  const walk = (node: Node): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) parts.push(child.nodeValue ?? '');
      else if (child.nodeType === 1) {
        const tag = (child as Element).tagName;
        if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'NOSCRIPT' || tag === 'TEMPLATE' || tag === 'SVG') continue;
        parts.push(' ');
        walk(child);
        parts.push(' ');
      }
    }
  };
  walk(root);
  return parts.join('');
}

/**
 * Languages (and language-region pairs) spoken in a single time zone, so that a page in them is
 * published on that zone's calendar. Languages spread over many zones (en, es, pt, ar, ru) count only
 * with a region that settles it.
 */
const PAGE_TIME_ZONES: Record<string, string> = {
  de: 'Europe/Berlin', fr: 'Europe/Paris', it: 'Europe/Rome', nl: 'Europe/Amsterdam', pl: 'Europe/Warsaw', cs: 'Europe/Prague',
  sk: 'Europe/Bratislava', hu: 'Europe/Budapest', da: 'Europe/Copenhagen', sv: 'Europe/Stockholm', nb: 'Europe/Oslo', no: 'Europe/Oslo',
  fi: 'Europe/Helsinki', el: 'Europe/Athens', ro: 'Europe/Bucharest', bg: 'Europe/Sofia', hr: 'Europe/Zagreb', sl: 'Europe/Ljubljana',
  tr: 'Europe/Istanbul', ja: 'Asia/Tokyo', ko: 'Asia/Seoul', zh: 'Asia/Shanghai', 'zh-tw': 'Asia/Taipei', 'zh-hk': 'Asia/Hong_Kong',
  'en-gb': 'Europe/London', 'en-ie': 'Europe/Dublin', 'en-in': 'Asia/Kolkata', 'es-es': 'Europe/Madrid', 'pt-pt': 'Europe/Lisbon',
  'pt-br': 'America/Sao_Paulo', 'es-ar': 'America/Argentina/Buenos_Aires', 'es-mx': 'America/Mexico_City', 'ru-ru': 'Europe/Moscow',
};

function pageTimeZone(doc: Document): string | null {
  const lang = (doc.documentElement?.getAttribute('lang') ?? contentLanguageMeta(doc)?.getAttribute('content') ?? '')
    .trim().toLowerCase().replace('_', '-');
  if (!lang) return null;
  const [language, region] = lang.split('-');
  return (region ? PAGE_TIME_ZONES[`${language}-${region}`] : undefined) ?? PAGE_TIME_ZONES[language!] ?? null;
}

/** The calendar day of a UTC instant in a time zone. */
function dayInZone(iso: string, zone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
  } catch {
    return null;
  }
}

function prefersDayFirst(doc: Document, url: string): boolean {
  const lang = (doc.documentElement?.getAttribute('lang') ?? '').toLowerCase();
  if (/^en-us|^en$/.test(lang) || (!lang && /\.com$|\.org$|\.gov$|\.edu$/.test(safeHost(url)))) return false;
  return true;
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/** Published and updated dates of an article page, as ISO UTC strings. */
export function extractDates(doc: Document, url: string, opts: DateOptions = {}): ExtractedDates {
  const detailed = extractDatesDetailed(doc, url, opts);
  return { published: detailed.published?.iso ?? null, updated: detailed.updated?.iso ?? null };
}

/** Like `extractDates`, with the day as written on the page and the source each date came from. */
export function extractDatesDetailed(doc: Document, url: string, opts: DateOptions = {}):
  { published: ParsedDate | null; updated: ParsedDate | null; source: string | null } {
  const bound = (opts.notAfter?.getTime() ?? Date.now()) + 86_400_000;
  const dayFirst = prefersDayFirst(doc, url);
  let updated: ParsedDate | null = null;
  const fromUrl = dateFromUrl(url, bound);
  const done = (published: ParsedDate | null, source: string | null) => {
    // Republished pages keep their first datePublished in the markup while the page itself shows
    // only the later date: the date the reader is shown is the page's date.
    if (published && updated && updated.day !== published.day && (source === 'json-ld' || source?.startsWith('meta'))) {
      const shown = displayedDate(doc, bound, dayFirst);
      if (shown && shown.day === updated.day) published = updated;
    }
    // The URL carries the publisher's own calendar day; a structured instant a day off from it is
    // the same moment seen from another time zone.
    // A timestamp written in UTC is moved to the calendar of the page's language, when that has one zone.
    if (published?.inUtc && !fromUrl) {
      const zone = pageTimeZone(doc);
      const day = zone ? dayInZone(published.iso, zone) : null;
      if (day) published = { ...published, day };
    }
    // An instant written with the publisher's own offset already is on its calendar.
    const local = fromUrl ?? (opts.localDay && published?.hasTime && !published.zoned && (source === 'json-ld' || source?.startsWith('meta'))
      ? displayedDate(doc, bound, dayFirst) : null);
    if (published && local && published.day !== local.day) {
      const gap = Math.abs(Date.parse(published.day) - Date.parse(local.day));
      if (gap <= 86_400_000) published = { ...published, day: local.day };
    }
    return { published, updated, source };
  };

  const ld = jsonLdDates(doc, opts.html, bound);
  updated ??= ld.updated;
  if (ld.published) return done(ld.published, 'json-ld');

  const meta = metaDates(doc, bound);
  updated ??= meta.updated;
  if (meta.published) return done(meta.published, `meta:${meta.key}`);

  const marked = markedUpDates(doc, bound, dayFirst);
  updated ??= marked.updated;
  if (marked.published) return done(marked.published, 'itemprop');

  if (fromUrl) return done(fromUrl, 'url');

  const elements = elementDates(doc, bound, dayFirst);
  updated ??= elements.updated;
  if (elements.published) return done(elements.published, 'element');

  const fromText = textDates(doc, bound, dayFirst, monthFromUrl(url), opts.html);
  if (fromText) return done(fromText, 'text');

  // Pages rendered by scripts keep their dates in embedded state objects.
  const fromScripts = opts.html ? scriptStateDate(opts.html, bound) : null;
  if (fromScripts) return done(fromScripts, 'script');
  return done(null, null);
}
