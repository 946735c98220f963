// A single-pass XML well-formedness check. The feed parsers newsdesk uses are forgiving by design
// (they recover from broken markup), so they cannot say whether a feed was well-formed. This check
// can, and its findings are reported on the parsed feed so that a user debugging a source sees
// "undefined entity &nbsp; at line 12" rather than a silent repair.

// Name classes are a superset of XML's (every non-ASCII letter is allowed): the check is about
// structure, and simple classes keep the scan fast on megabyte feeds.
const xmlNameStart = 'A-Za-z_:\\u00C0-\\uFFFD';
const xmlNameChar = `${xmlNameStart}\\-.0-9\\u00B7`;
const namePattern = `[${xmlNameStart}][${xmlNameChar}]*`;
const startTag = new RegExp(`<(${namePattern})((?:\\s+${namePattern}\\s*=\\s*(?:"[^"]*"|'[^']*'))*)\\s*(/?)>`, 'y');
const endTag = new RegExp(`</(${namePattern})\\s*>`, 'y');
// With indices ('d'): a tag the regex read is recorded by position, like one read by hand.
const attribute = new RegExp(`(${namePattern})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'gd');
const reference = new RegExp(`&(?:(${namePattern})|#([0-9]+)|#x([0-9a-fA-F]+));`, 'y');
const entityDeclaration = new RegExp(`<!ENTITY\\s+(%\\s+)?(${namePattern})`, 'g');
// Characters XML 1.0 forbids anywhere in a document.
const forbiddenChar = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const predefinedEntities = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const PAIRWISE_ATTRIBUTE_LIMIT = 16;

export interface WellFormedness {
  wellFormed: boolean;
  /** The first problem found, with its line number. */
  problem: string | null;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The first bad reference between `from` and `to`: what is wrong and where. */
function checkReferences(text: string, from: number, to: number, entities: Set<string>): { problem: string; at: number } | null {
  for (let amp = text.indexOf('&', from); amp !== -1 && amp < to; amp = text.indexOf('&', amp + 1)) {
    reference.lastIndex = amp;
    const match = reference.exec(text);
    if (!match) return { problem: 'unescaped & (not an entity reference)', at: amp };
    if (match[1] && !predefinedEntities.has(match[1]) && !entities.has(match[1])) return { problem: `undefined entity &${match[1]};`, at: amp };
    const code = match[2] ? Number(match[2]) : match[3] ? parseInt(match[3], 16) : null;
    if (code !== null && (code > 0x10ffff || (code < 0x20 && code !== 9 && code !== 10 && code !== 13) || (code >= 0xd800 && code <= 0xdfff))) {
      return { problem: `character reference &#${match[2] ?? `x${match[3]}`}; is not a legal XML character`, at: amp };
    }
  }
  return null;
}

// The last start tag read, by positions in the text, whether scanPlainStartTag read it by hand or
// readTagByRegex from the regex's match; reused so the scan allocates nothing per tag.
const lastTag = {
  nameEnd: 0,
  // Index of the first colon in the element's name, or -1.
  nameColon: -1,
  selfClosing: false,
  attributeCount: 0,
  attributeNameStarts: [] as number[],
  attributeNameEnds: [] as number[],
  attributeColons: [] as number[],
  valueStarts: [] as number[],
  valueEnds: [] as number[],
};

// ASCII name characters: 1 can start a name (letters, `_`, `:`), 2 only continue one (digits, `-`, `.`).
const asciiNameClass = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  asciiNameClass[c] = /[A-Za-z_:]/.test(ch) ? 1 : /[0-9.-]/.test(ch) ? 2 : 0;
}
const isAsciiNameStart = (c: number): boolean => c < 128 && asciiNameClass[c] === 1;
const isAsciiNameChar = (c: number): boolean => c < 128 && asciiNameClass[c] !== 0;
const isXmlSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;

/** Whether text[aStart, aEnd) and text[bStart, bEnd) are the same characters. */
function sameSpan(text: string, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let k = 0; k < aEnd - aStart; k++) if (text.charCodeAt(aStart + k) !== text.charCodeAt(bStart + k)) return false;
  return true;
}

/**
 * Reads the start tag at `at` when its names are ASCII and its spaces are XML spaces, the case in
 * which the startTag regex has exactly one reading; returns the index after `>`, or -1 for any
 * other tag (malformed or not), which the caller hands to the regex.
 */
function scanPlainStartTag(text: string, at: number): number {
  let p = at + 1;
  if (!isAsciiNameStart(text.charCodeAt(p))) return -1;
  let colon = text.charCodeAt(p) === 0x3a ? p : -1;
  for (let c = text.charCodeAt(++p); isAsciiNameChar(c); c = text.charCodeAt(++p)) if (c === 0x3a && colon === -1) colon = p;
  lastTag.nameEnd = p;
  lastTag.nameColon = colon;
  let count = 0;
  for (;;) {
    let c = text.charCodeAt(p);
    const spaced = isXmlSpace(c);
    while (isXmlSpace(c)) c = text.charCodeAt(++p);
    if (c === 0x3e /* > */) {
      lastTag.selfClosing = false;
      break;
    }
    if (c === 0x2f /* / */) {
      if (text.charCodeAt(p + 1) !== 0x3e) return -1;
      lastTag.selfClosing = true;
      p++;
      break;
    }
    if (!spaced || !isAsciiNameStart(c)) return -1;
    const nameStart = p;
    let attributeColon = c === 0x3a ? p : -1;
    for (c = text.charCodeAt(++p); isAsciiNameChar(c); c = text.charCodeAt(++p)) if (c === 0x3a && attributeColon === -1) attributeColon = p;
    const nameEnd = p;
    c = text.charCodeAt(p);
    while (isXmlSpace(c)) c = text.charCodeAt(++p);
    if (c !== 0x3d /* = */) return -1;
    c = text.charCodeAt(++p);
    while (isXmlSpace(c)) c = text.charCodeAt(++p);
    if (c !== 0x22 && c !== 0x27) return -1;
    const close = text.indexOf(c === 0x22 ? '"' : "'", p + 1);
    if (close === -1) return -1;
    lastTag.attributeNameStarts[count] = nameStart;
    lastTag.attributeNameEnds[count] = nameEnd;
    lastTag.attributeColons[count] = attributeColon;
    lastTag.valueStarts[count] = p + 1;
    lastTag.valueEnds[count++] = close;
    p = close + 1;
  }
  lastTag.attributeCount = count;
  return p + 1;
}

/** Records the start tag the startTag regex matched at `at` in `lastTag`. */
function readTagByRegex(tag: RegExpExecArray, at: number): void {
  const name = tag[1]!;
  const colon = name.indexOf(':');
  lastTag.nameEnd = at + 1 + name.length;
  lastTag.nameColon = colon === -1 ? -1 : at + 1 + colon;
  lastTag.selfClosing = tag[3] === '/';
  let count = 0;
  // The attributes' text starts right after the name.
  const offset = lastTag.nameEnd;
  if (tag[2]) for (const a of tag[2].matchAll(attribute)) {
    const [nameStart, nameEnd] = a.indices![1]!;
    const [valueStart, valueEnd] = (a.indices![2] ?? a.indices![3])!;
    const attributeColon = a[1]!.indexOf(':');
    lastTag.attributeNameStarts[count] = offset + nameStart;
    lastTag.attributeNameEnds[count] = offset + nameEnd;
    lastTag.attributeColons[count] = attributeColon === -1 ? -1 : offset + nameStart + attributeColon;
    lastTag.valueStarts[count] = offset + valueStart;
    lastTag.valueEnds[count++] = offset + valueEnd;
  }
  lastTag.attributeCount = count;
}

export function checkWellFormed(text: string): WellFormedness {
  const fail = (index: number, what: string): WellFormedness => ({ wellFormed: false, problem: `${what} at line ${lineOf(text, index)}` });
  const badChar = forbiddenChar.exec(text);
  if (badChar) return fail(badChar.index, `illegal character U+${badChar[0].charCodeAt(0).toString(16).padStart(4, '0')}`);

  const entities = new Set<string>();
  // The open elements: where their names stand in the text, and the prefix maps in scope inside them.
  const openNameStarts: number[] = [];
  const openNameEnds: number[] = [];
  const openPrefixes: Map<string, string>[] = [];
  const openName = (k: number): string => text.slice(openNameStarts[k], openNameEnds[k]);
  const rootPrefixes = new Map<string, string>();
  // Position of the next "]]>" at or after the scan point, found lazily so the search stays linear.
  let nextCdataEnd = text.indexOf(']]>');
  // Likewise the next "&": searching from each text run would rescan up to the next "&" every time.
  let nextAmp = text.indexOf('&');
  let rootSeen = false;
  let i = 0;
  const length = text.length;
  while (i < length) {
    const lt = text.indexOf('<', i);
    const textEnd = lt === -1 ? length : lt;
    if (textEnd > i) {
      if (openNameStarts.length === 0) {
        if (/\S/.test(text.slice(i, textEnd))) return fail(i, 'text outside the root element');
      } else {
        if (nextAmp !== -1 && nextAmp < i) nextAmp = text.indexOf('&', i);
        if (nextAmp !== -1 && nextAmp < textEnd) {
          const bad = checkReferences(text, nextAmp, textEnd, entities);
          if (bad) return fail(bad.at, bad.problem);
        }
        if (nextCdataEnd !== -1 && nextCdataEnd < i) nextCdataEnd = text.indexOf(']]>', i);
        if (nextCdataEnd !== -1 && nextCdataEnd < textEnd) return fail(nextCdataEnd, '"]]>" in text');
      }
    }
    if (lt === -1) break;
    i = lt;
    const next = text.charCodeAt(i + 1);
    if (next === 0x21 /* ! */ && text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) return fail(i, 'unterminated comment');
      i = end + 3;
    } else if (next === 0x21 && text.startsWith('<![CDATA[', i)) {
      if (openNameStarts.length === 0) return fail(i, 'CDATA outside the root element');
      const end = text.indexOf(']]>', i + 9);
      if (end === -1) return fail(i, 'unterminated CDATA section');
      i = end + 3;
    } else if (next === 0x3f /* ? */) {
      const end = text.indexOf('?>', i + 2);
      if (end === -1) return fail(i, 'unterminated processing instruction');
      if (/^<\?xml\s/.test(text.slice(i, i + 6)) && i !== 0 && text.slice(0, i).trim()) {
        // An XML declaration is only legal at the very start; comments before it are not allowed either.
        return fail(i, 'XML declaration not at the start of the document');
      }
      i = end + 2;
    } else if (next === 0x21 && text.startsWith('<!DOCTYPE', i)) {
      if (rootSeen || openNameStarts.length) return fail(i, 'DOCTYPE after the root element');
      const bracket = text.indexOf('[', i);
      const close = text.indexOf('>', i);
      let end = close;
      if (bracket !== -1 && bracket < close) {
        const subsetEnd = text.indexOf(']', bracket);
        if (subsetEnd === -1) return fail(i, 'unterminated DOCTYPE internal subset');
        const subset = text.slice(bracket, subsetEnd);
        for (const m of subset.matchAll(entityDeclaration)) if (!m[1]) entities.add(m[2]!);
        end = text.indexOf('>', subsetEnd);
      }
      if (end === -1) return fail(i, 'unterminated DOCTYPE');
      i = end + 1;
    } else if (next === 0x2f /* / */) {
      // The common case, `</name>` closing the open element, is checked without a regex.
      const depth = openNameStarts.length;
      if (depth) {
        const currentStart = openNameStarts[depth - 1]!;
        const currentLength = openNameEnds[depth - 1]! - currentStart;
        if (text.charCodeAt(i + 2 + currentLength) === 0x3e /* > */ && sameSpan(text, currentStart, currentStart + currentLength, i + 2, i + 2 + currentLength)) {
          openNameStarts.pop();
          openNameEnds.pop();
          openPrefixes.pop();
          i += currentLength + 3;
          continue;
        }
      }
      endTag.lastIndex = i;
      const m = endTag.exec(text);
      if (!m) return fail(i, 'malformed end tag');
      const open = openNameStarts.length ? openName(openNameStarts.length - 1) : undefined;
      openNameStarts.pop();
      openNameEnds.pop();
      openPrefixes.pop();
      if (open === undefined) return fail(i, `end tag </${m[1]}> without a start tag`);
      if (open !== m[1]) return fail(i, `end tag </${m[1]}> does not match <${open}>`);
      i = endTag.lastIndex;
    } else {
      // Most start tags are plain ASCII (`<item>`, `<guid isPermaLink="false">`) and are read by
      // hand, which is several times cheaper than the regex, and their attributes are checked
      // where they stand in the text; any other tag goes to the regex, whose reading stays the
      // reference for odd markup.
      let tagEnd = scanPlainStartTag(text, i);
      if (tagEnd === -1) {
        startTag.lastIndex = i;
        const tag = startTag.exec(text);
        if (!tag) return fail(i, 'malformed tag or unescaped <');
        readTagByRegex(tag, i);
        tagEnd = startTag.lastIndex;
      }
      if (openNameStarts.length === 0 && rootSeen) return fail(i, 'more than one root element');
      rootSeen = true;
      // Elements share their parent's prefix map unless they declare a prefix of their own.
      let prefixes = openNameStarts.length ? openPrefixes[openPrefixes.length - 1]! : rootPrefixes;
      const { nameEnd, selfClosing, attributeCount, attributeNameStarts: nameStarts, attributeNameEnds: nameEnds, valueStarts, valueEnds } = lastTag;
      let prefixedAttribute = false;
      let ownPrefixes = false;
      let nextValueLt = attributeCount ? text.indexOf('<', valueStarts[0]!) : -1;
      // Pairwise comparison is cheapest for the few attributes a tag has; a tag with many (a hostile
      // feed's 100,000) is checked against a set of names so the check stays linear.
      const seenNames = attributeCount > PAIRWISE_ATTRIBUTE_LIMIT ? new Set<string>() : null;
      for (let k = 0; k < attributeCount; k++) {
        const nameStart = nameStarts[k]!;
        const nameEnd = nameEnds[k]!;
        if (seenNames) {
          const name = text.slice(nameStart, nameEnd);
          if (seenNames.has(name)) return fail(i, `duplicate attribute ${name}`);
          seenNames.add(name);
        } else {
          for (let j = 0; j < k; j++) if (sameSpan(text, nameStarts[j]!, nameEnds[j]!, nameStart, nameEnd)) return fail(i, `duplicate attribute ${text.slice(nameStart, nameEnd)}`);
        }
        const valueStart = valueStarts[k]!;
        const valueEnd = valueEnds[k]!;
        // One forward cursor for the tag's values: a search from each value would rescan the rest of the tag.
        if (nextValueLt !== -1 && nextValueLt < valueStart) nextValueLt = text.indexOf('<', valueStart);
        if (nextValueLt !== -1 && nextValueLt < valueEnd) return fail(i, `"<" in the value of attribute ${text.slice(nameStart, nameEnd)}`);
        if (nextAmp !== -1 && nextAmp < valueStart) nextAmp = text.indexOf('&', valueStart);
        if (nextAmp !== -1 && nextAmp < valueEnd) {
          // A reference cannot run past the closing quote: names hold no quotes.
          const bad = checkReferences(text, nextAmp, valueEnd, entities);
          if (bad) return fail(i, bad.problem);
        }
        if (nameEnd - nameStart >= 6 && text.startsWith('xmlns:', nameStart)) {
          // The parent's map is copied once per tag, not once per declaration.
          if (!ownPrefixes) prefixes = new Map(prefixes);
          ownPrefixes = true;
          prefixes.set(text.slice(nameStart + 6, nameEnd), text.slice(valueStart, valueEnd));
        } else if (lastTag.attributeColons[k] !== -1) {
          prefixedAttribute = true;
        }
      }
      if (lastTag.nameColon !== -1 || prefixedAttribute) {
        for (let k = -1; k < attributeCount; k++) {
          const qualified = k === -1 ? text.slice(i + 1, nameEnd) : text.slice(nameStarts[k], nameEnds[k]);
          const colon = qualified.indexOf(':');
          if (colon > 0) {
            const prefix = qualified.slice(0, colon);
            if (prefix !== 'xml' && prefix !== 'xmlns' && !prefixes.has(prefix)) return fail(i, `undeclared namespace prefix ${prefix}:`);
          }
        }
      }
      if (!selfClosing) {
        openNameStarts.push(i + 1);
        openNameEnds.push(nameEnd);
        openPrefixes.push(prefixes);
      }
      i = tagEnd;
    }
  }
  if (openNameStarts.length) return fail(length, `unclosed element <${openName(openNameStarts.length - 1)}>`);
  if (!rootSeen) return { wellFormed: false, problem: 'no root element' };
  return { wellFormed: true, problem: null };
}

/**
 * A truncated document (a download cut short, a feed generator that died mid-write) closed
 * again: a trailing partial tag is dropped, an open CDATA section is ended and every element
 * still open is closed, so a parser can read what did arrive.
 */
export function closeTruncatedDocument(text: string): string {
  let body = text.replace(/<\/?[A-Za-z_][\w:.-]*(\s[^<>]*)?$/, '');
  if (body.lastIndexOf('<![CDATA[') > body.lastIndexOf(']]>')) body += ']]>';
  const stack: string[] = [];
  const token = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE(?:[^>[]|\[[\s\S]*?\])*>|<(\/?)([A-Za-z_][\w:.-]*)(?:"[^"]*"|'[^']*'|[^'">])*?(\/?)>/g;
  for (const m of body.matchAll(token)) {
    const name = m[2];
    if (!name) continue;
    if (m[1]) {
      const at = stack.lastIndexOf(name);
      if (at !== -1) stack.length = at;
    } else if (!m[3]) {
      stack.push(name);
    }
  }
  return body + stack.reverse().map((name) => `</${name}>`).join('');
}
