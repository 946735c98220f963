// Feed dates as feeds really write them, normalized to ISO-8601 UTC. RFC 822 as found in RSS
// (optional weekday, two- or four-digit years, named or numeric zones, missing seconds or zone),
// W3CDTF/ISO 8601 as found in Atom and RDF (reduced precision, basic format, space for `T`), and
// asctime-like forms. A date that cannot be read gives null, never a guess.

const monthNumbers: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10,
  november: 11, december: 12,
};

// Offsets in minutes for the zone names feeds use (RFC 822 names, common US/European abbreviations,
// and the single-letter military zones, where `Z` is UTC).
const zoneOffsets: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0, bst: 60, cet: 60, cest: 120, met: 60, mest: 120, eet: 120, eest: 180,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  akst: -540, akdt: -480, hst: -600, ast: -240, adt: -180, nst: -210, ndt: -150,
  ist: 330, jst: 540, kst: 540, hkt: 480, sgt: 480, aest: 600, aedt: 660, acst: 570, awst: 480, nzst: 720, nzdt: 780,
  a: -60, b: -120, c: -180, d: -240, e: -300, f: -360, g: -420, h: -480, i: -540, k: -600, l: -660, m: -720,
  n: 60, o: 120, p: 180, q: 240, r: 300, s: 360, t: 420, u: 480, v: 540, w: 600, x: 660, y: 720,
};

function expandYear(year: string): number {
  const n = Number(year);
  if (year.length === 2) return n < 50 ? 2000 + n : 1900 + n; // RFC 2822 section 4.3
  if (year.length === 3) return 1900 + n; // RFC 2822: three-digit years add 1900
  return n;
}

/** Offset in minutes from a zone designator: `Z`, `+0100`, `-05:00`, `+1`, `EST`, `GMT+2`. Null if unknown; undefined if absent. */
function zoneOffset(zone: string | undefined): number | null | undefined {
  if (zone === undefined || zone === '') return undefined;
  const trimmed = zone.trim();
  const numeric = /^(?:(?:gmt|utc|ut)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(trimmed);
  if (numeric) {
    const sign = numeric[1] === '-' ? -1 : 1;
    return sign * (Number(numeric[2]) * 60 + Number(numeric[3] ?? 0));
  }
  return namedZoneOffset(trimmed);
}

/** Offset in minutes of a zone name (`EST`, `CEST`, `Z`); null if unknown. */
function namedZoneOffset(name: string): number | null {
  return zoneOffsets[name.toLowerCase()] ?? null;
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function build(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number, offsetMinutes: number): string | null {
  if (month < 1 || month > 12 || day < 1 || hour > 24 || minute > 59 || second > 61) return null;
  // Reject day overflow such as 31 February rather than silently rolling into March. Date.UTC
  // reads years 0-99 as 1900-1999, so the leap year is that year's.
  const calendarYear = year >= 0 && year <= 99 ? 1900 + year : year;
  const leap = calendarYear % 4 === 0 && (calendarYear % 100 !== 0 || calendarYear % 400 === 0);
  if (day > (month === 2 && leap ? 29 : monthDays[month - 1]!)) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), millis) - offsetMinutes * 60_000;
  if (Number.isNaN(utc)) return null;
  return isoString(utc);
}

const digit = (n: number): number => 0x30 + n;

/**
 * What `new Date(utc).toISOString()` gives, written without the Date object (a tenth of the
 * cost, and feeds carry a date or two per item). Days are turned into a civil date with
 * Howard Hinnant's days-from-civil inverse; years outside 0000-9999 go through Date. The
 * string is made from its character codes in one piece: a template literal would leave a tree
 * of a dozen partial strings behind every date that the entry then keeps.
 */
function isoString(utc: number): string {
  const days = Math.floor(utc / 86_400_000);
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return new Date(utc).toISOString();
  let rest = utc - days * 86_400_000;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const millis = rest - second * 1000;
  return String.fromCharCode(
    digit(Math.floor(year / 1000)), digit(Math.floor(year / 100) % 10), digit(Math.floor(year / 10) % 10), digit(year % 10), 0x2d,
    digit(Math.floor(month / 10)), digit(month % 10), 0x2d,
    digit(Math.floor(day / 10)), digit(day % 10), 0x54,
    digit(Math.floor(hour / 10)), digit(hour % 10), 0x3a,
    digit(Math.floor(minute / 10)), digit(minute % 10), 0x3a,
    digit(Math.floor(second / 10)), digit(second % 10), 0x2e,
    digit(Math.floor(millis / 100)), digit(Math.floor(millis / 10) % 10), digit(millis % 10), 0x5a,
  );
}

const rfc822 = /^(?:[a-z]{2,9}\.?,?\s*)?(\d{1,2})[\s-]+([a-z]{3,9})\.?[\s-]+(\d{2,4})(?:[\s,T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*([a-z]{1,5}|(?:gmt|utc|ut)?\s*[+-]\d{1,2}(?::?\d{2})?)?\.?$/i;
// `Sun Jan  4 16:29:06 PST 2004` (asctime, `date` command) and `Jan 4, 2004 16:29` variants.
const monthFirst = /^(?:[a-z]{2,9},?\s+)?([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(?:(\d{4})\s+)?(?:(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([a-z]{1,5}|[+-]\d{2}:?\d{2})?)?\s*(\d{4})?$/i;
const iso = /^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?(?:[T\s]+(\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?)?\s*(z|[+-]\d{2}(?::?\d{2})?|[a-z]{2,5})?$/i;
// Perforce-style `2006/09/15 08:19:53 EST` and `2004/01/04`.
const slashed = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*([a-z]{1,5}|[+-]\d{2}:?\d{2})?$/i;

/** Runs of whitespace as one space; the regex replace only runs for text that has such a run. */
function collapseSpaces(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // ASCII whitespace other than a single space, or any non-ASCII character (some are \s).
    if ((c === 0x20 && text.charCodeAt(i + 1) === 0x20) || (c >= 0x09 && c <= 0x0d) || c > 0x7f) return text.replace(/\s+/g, ' ');
  }
  return text;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isLetter = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);

/**
 * `Thu, 01 Jan 2026 00:00:00 GMT` (or `+0100`), the form nearly every RSS feed writes, read by
 * hand: the same fields the rfc822 pattern captures from it, in a tenth of the time. Undefined
 * when the text is not exactly of this form (the patterns then read it).
 */
function commonRfc822(text: string): string | null | undefined {
  if (!isLetter(text.charCodeAt(0)) || !isLetter(text.charCodeAt(1)) || !isLetter(text.charCodeAt(2)) || text.charCodeAt(3) !== 0x2c /* , */ || text.charCodeAt(4) !== 0x20) return undefined;
  let p = 5;
  if (!isDigit(text.charCodeAt(p))) return undefined;
  const dayEnd = isDigit(text.charCodeAt(p + 1)) ? p + 2 : p + 1;
  const day = digitsValue(text, p, dayEnd - p);
  p = dayEnd;
  if (text.charCodeAt(p) !== 0x20 || !isLetter(text.charCodeAt(p + 1)) || !isLetter(text.charCodeAt(p + 2)) || !isLetter(text.charCodeAt(p + 3)) || text.charCodeAt(p + 4) !== 0x20) return undefined;
  const month = monthNumbers[text.slice(p + 1, p + 4).toLowerCase()];
  p += 5;
  if (!digitsAt(text, p, 4) || text.charCodeAt(p + 4) !== 0x20) return undefined;
  const year = digitsValue(text, p, 4);
  p += 5;
  if (!digitsAt(text, p, 2) || text.charCodeAt(p + 2) !== 0x3a || !digitsAt(text, p + 3, 2) || text.charCodeAt(p + 5) !== 0x3a || !digitsAt(text, p + 6, 2) || text.charCodeAt(p + 8) !== 0x20) return undefined;
  const hour = digitsValue(text, p, 2);
  const minute = digitsValue(text, p + 3, 2);
  const second = digitsValue(text, p + 6, 2);
  p += 9;
  const zoneLength = text.length - p;
  const sign = text.charCodeAt(p);
  let offset: number | null | undefined;
  if (zoneLength === 5 && (sign === 0x2b /* + */ || sign === 0x2d /* - */) && digitsAt(text, p + 1, 4)) {
    offset = (sign === 0x2d ? -1 : 1) * (digitsValue(text, p + 1, 2) * 60 + digitsValue(text, p + 3, 2));
  } else if (zoneLength >= 1 && zoneLength <= 5 && lettersAt(text, p, zoneLength)) {
    // A zone name (zoneOffset's numeric forms all hold a sign).
    offset = namedZoneOffset(text.slice(p));
  } else {
    return undefined;
  }
  if (!month || offset === null) return null;
  return build(year, month, day, hour, minute, second, 0, offset ?? 0);
}

/** The number written by `count` digits at `at` (already checked to be digits). */
function digitsValue(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) value = value * 10 + text.charCodeAt(i) - 0x30;
  return value;
}

function digitsAt(text: string, at: number, count: number): boolean {
  for (let i = at; i < at + count; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

function lettersAt(text: string, at: number, count: number): boolean {
  for (let i = at; i < at + count; i++) if (!isLetter(text.charCodeAt(i))) return false;
  return true;
}

function millisOf(fraction: string | undefined): number {
  return fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0;
}

/** Parses a feed date into ISO-8601 UTC (`2003-12-31T15:14:55.000Z`), or null if it is not a date. */
export function parseFeedDate(input: string | null | undefined): string | null {
  if (!input) return null;
  const text = collapseSpaces(input.trim());
  if (!text || text.length > 100) return null;
  const common = commonRfc822(text);
  if (common !== undefined) return common;

  let m = iso.exec(text);
  if (m) {
    const offset = zoneOffset(m[8]);
    if (offset === null) return null;
    return build(Number(m[1]), Number(m[2] ?? 1), Number(m[3] ?? 1), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), millisOf(m[7]), offset ?? 0);
  }
  m = rfc822.exec(text);
  if (m) {
    const month = monthNumbers[m[2]!.toLowerCase()];
    const offset = zoneOffset(m[8]);
    if (!month || offset === null) return null;
    return build(expandYear(m[3]!), month, Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), millisOf(m[7]), offset ?? 0);
  }
  m = monthFirst.exec(text);
  if (m) {
    const month = monthNumbers[m[1]!.toLowerCase()];
    const year = m[3] ?? m[8];
    const offset = zoneOffset(m[7]);
    if (!month || !year || offset === null) return null;
    return build(Number(year), month, Number(m[2]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), 0, offset ?? 0);
  }
  m = slashed.exec(text);
  if (m) {
    const offset = zoneOffset(m[7]);
    if (offset === null) return null;
    return build(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), 0, offset ?? 0);
  }
  return null;
}
