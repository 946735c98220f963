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
  const named = zoneOffsets[trimmed.toLowerCase()];
  return named === undefined ? null : named;
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function build(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number, offsetMinutes: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 61) return null;
  // Reject day overflow such as 31 February rather than silently rolling into March. Date.UTC
  // reads years 0-99 as 1900-1999, so the leap year is that year's.
  const calendarYear = year >= 0 && year <= 99 ? 1900 + year : year;
  const leap = calendarYear % 4 === 0 && (calendarYear % 100 !== 0 || calendarYear % 400 === 0);
  if (day > (month === 2 && leap ? 29 : monthDays[month - 1]!)) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), millis) - offsetMinutes * 60_000;
  if (Number.isNaN(utc)) return null;
  return new Date(utc).toISOString();
}

const rfc822 = /^(?:[a-z]{2,9}\.?,?\s*)?(\d{1,2})[\s-]+([a-z]{3,9})\.?[\s-]+(\d{2,4})(?:[\s,T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*([a-z]{1,5}|(?:gmt|utc|ut)?\s*[+-]\d{1,2}(?::?\d{2})?)?\.?$/i;
// `Sun Jan  4 16:29:06 PST 2004` (asctime, `date` command) and `Jan 4, 2004 16:29` variants.
const monthFirst = /^(?:[a-z]{2,9},?\s+)?([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(?:(\d{4})\s+)?(?:(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([a-z]{1,5}|[+-]\d{2}:?\d{2})?)?\s*(\d{4})?$/i;
const iso = /^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?(?:[T\s]+(\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?)?\s*(z|[+-]\d{2}(?::?\d{2})?|[a-z]{2,5})?$/i;
// Perforce-style `2006/09/15 08:19:53 EST` and `2004/01/04`.
const slashed = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*([a-z]{1,5}|[+-]\d{2}:?\d{2})?$/i;

function millisOf(fraction: string | undefined): number {
  return fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0;
}

/** Parses a feed date into ISO-8601 UTC (`2003-12-31T15:14:55.000Z`), or null if it is not a date. */
export function parseFeedDate(input: string | null | undefined): string | null {
  if (!input) return null;
  const text = input.trim().replace(/\s+/g, ' ');
  if (!text || text.length > 100) return null;

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
