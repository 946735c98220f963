// The 745 sanitize cases of feedparser's conformance suite, run through newsdesk's sanitizer alone.
// Each case is a tiny feed whose one HTML field must come out exactly as feedparser's expectation.
// Reading the field out of the feed is done here with a small reader (the full feed parser's
// conformance harness runs the same cases end to end); what is measured is the sanitizer.
// Usage: npm run bench:sanitize [-- --show-failures]
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sanitizeHtml } from '../src/extract/sanitize.ts';

const here = dirname(fileURLToPath(import.meta.url));
const suite = resolve(here, '../../shared/bench/feedparser-tests');
if (!existsSync(suite)) {
  console.log(`skipped: ${suite} is absent`);
  process.exit(0);
}

interface Condition { path: (string | number)[]; op: string; value?: unknown }
interface Case { path: string; conditions: Condition[] }
const manifest = JSON.parse(readFileSync(join(suite, 'manifest.json'), 'utf8')) as Case[];
const cases = manifest.filter((c) => c.path.includes('/sanitize/'));

function xmlUnescape(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-f]+|#\d+);/gi, (_, e: string) => {
    const lower = e.toLowerCase();
    if (lower === 'lt') return '<';
    if (lower === 'gt') return '>';
    if (lower === 'amp') return '&';
    if (lower === 'quot') return '"';
    if (lower === 'apos') return "'";
    return String.fromCodePoint(lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : Number(lower.slice(1)));
  });
}

/** The raw HTML of the field a case tests, as a feed parser would hand it to a sanitizer. */
function fieldHtml(xml: string, path: (string | number)[]): string | null {
  const body = xml.replace(/<!--[\s\S]*?-->/, '');
  const scope = path[0] === 'entries' ? /<(item|entry)\b[^>]*>([\s\S]*?)<\/\1>/.exec(body)?.[2] ?? '' : body;
  const names = path[0] === 'entries'
    ? ['description', 'summary', 'content:encoded', 'content', 'xhtml:body', 'body', 'fullitem', 'title']
    : [String(path[1]) === 'info' ? 'info' : '', 'tagline', 'subtitle', 'copyright', 'rights', 'title', 'description'].filter(Boolean);
  const wanted = String(path[path.length - 1] === 'value' ? 'content' : path[1]);
  const order = [wanted, ...names];
  for (const name of order) {
    const re = new RegExp(`<(${name.replace(':', '\\:')})\\b([^>]*)>([\\s\\S]*?)</\\1>`);
    const m = re.exec(scope);
    if (!m) continue;
    const attrs = m[2]!;
    let inner = m[3]!;
    if (/mode=["']base64["']/.test(attrs)) return Buffer.from(inner.trim(), 'base64').toString('utf8');
    const cdata = /^\s*<!\[CDATA\[([\s\S]*)\]\]>\s*$/.exec(inner);
    if (cdata) return cdata[1]!;
    const inline = /type=["'](xhtml|application\/xhtml\+xml)["']|mode=["']xml["']/.test(attrs) || /body$/.test(name);
    if (inline) {
      const div = /^\s*<div\b[^>]*>([\s\S]*)<\/div>\s*$/.exec(inner);
      if (div && /type=["']xhtml["']/.test(attrs)) inner = div[1]!;
      return inner;
    }
    return xmlUnescape(inner);
  }
  return null;
}

const show = process.argv.includes('--show-failures');
let pass = 0;
let failRel = 0;
const failures: string[] = [];
for (const c of cases) {
  const expected = c.conditions.find((cond) => cond.op === 'eq');
  if (!expected) { pass++; continue; }
  const xml = readFileSync(join(suite, c.path), 'utf8');
  const input = fieldHtml(xml, expected.path);
  const base = /xml:base=["']([^"']+)["']/.exec(xml)?.[1];
  const output = input === null ? null : sanitizeHtml(input, base).trim();
  if (output === expected.value) { pass++; continue; }
  // A link differing only by the rel="nofollow noopener" newsdesk adds on purpose.
  if (output !== null && output.replace(/ rel="nofollow noopener"/g, '') === expected.value) failRel++;
  failures.push(`${c.path}\n   want ${JSON.stringify(expected.value)}\n   got  ${JSON.stringify(output)}`);
}
console.log(`feedparser sanitize cases: ${pass}/${cases.length} pass (${(pass / cases.length * 100).toFixed(1)}%)`);
console.log(`  failing only because links get rel="nofollow noopener": ${failRel}`);
console.log(`  other failures: ${failures.length - failRel}`);
if (show) for (const f of failures) console.log(f);
