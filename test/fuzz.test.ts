// Seeded, bounded fuzzing of the two parsers that read hostile input: feeds (bytes from any server)
// and article pages. Each input is a seed document mutated the ways attackers and broken servers
// do it: flipped bytes, truncation, deep nesting, huge attributes, entity tricks, spliced fragments.
// Every input must end in a parsed result or a coded error (ND_...), within PER_INPUT_MS.
// FUZZ_SEED=n reruns another sequence; FUZZ_ROUNDS=n changes how many inputs of each kind;
// FUZZ_DUMP=DIR writes each input that fails there, to reproduce it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFeed } from '../src/feeds/parse.ts';
import { extractArticle } from '../src/extract/extract.ts';
import { isNewsdeskError } from '../src/errors.ts';
import { seededRandom } from '../src/random.ts';

const PER_INPUT_MS = 5000;
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 160);
const here = dirname(fileURLToPath(import.meta.url));

const FEEDS = [
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Example &amp; Co</title><link>https://example.org/</link><item><title>First story</title><link>https://example.org/a</link><description>&lt;p&gt;Some &lt;b&gt;html&lt;/b&gt; &lt;a href="/x"&gt;link&lt;/a&gt;&lt;/p&gt;</description><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate><dc:creator>Jane</dc:creator><media:content url="https://example.org/i.jpg" medium="image"/></item><item><title><![CDATA[Second <i>story</i>]]></title><link>https://example.org/b</link><guid isPermaLink="false">b</guid></item></channel></rss>`,
  `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.net/"><title type="html">Atom &lt;feed&gt;</title><id>urn:x</id><updated>2026-03-02T10:00:00Z</updated><entry><title>Entry</title><link rel="alternate" href="/e1"/><id>urn:e1</id><updated>2026-03-02T10:00:00Z</updated><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Inline <b>xhtml</b> &amp; more</p></div></content><author><name>Kim</name></author></entry></feed>`,
  `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://example.com/"><title>RDF</title><link>https://example.com/</link></channel><item rdf:about="https://example.com/1"><title>One</title><link>https://example.com/1</link></item></rdf:RDF>`,
  JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'JSON', items: [{ id: '1', url: 'https://example.com/1', title: 'One', content_html: '<p>Hi &amp; bye</p>', date_published: '2026-03-02T10:00:00Z' }] }),
];

const PAGES = readdirSync(join(here, '..', 'src', 'extract', 'testdata'))
  .filter((f) => f.endsWith('.html'))
  .map((f) => readFileSync(join(here, '..', 'src', 'extract', 'testdata', f), 'utf8'));

// Fragments inserted at random places: markup that has made parsers slow or throw before.
const FRAGMENTS = [
  '&lt;a href=',
  '<a href=',
  '<![CDATA[',
  ']]>',
  '<!--',
  '&#x110000;',
  '&#0;',
  '&#xD800;',
  '&undefined;',
  '&amp;amp;',
  '<?xml version="1.0"?>',
  '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
  '\u0000',
  '\uFEFF',
  '\uFFFF',
  '\u2028',
  '</',
  '<',
  '>',
  '"',
  "'",
  '<script>',
  '</script>',
  '<svg:svg>',
  '<x:y xmlns:x="u">',
  '<base href="javascript:alert(1)">',
  '<img src="data:image/png;base64,AAAA">',
];

type Mutation = (text: string, random: () => number) => string;
const at = (text: string, random: () => number) => Math.floor(random() * (text.length + 1));
const insert = (text: string, random: () => number, piece: string) => {
  const i = at(text, random);
  return text.slice(0, i) + piece + text.slice(i);
};
const MUTATIONS: Record<string, Mutation> = {
  flip: (text, random) => {
    const bytes = Buffer.from(text);
    for (let n = 1 + Math.floor(random() * 8); n > 0; n--) bytes[Math.floor(random() * bytes.length)] ^= 1 << Math.floor(random() * 8);
    return bytes.toString('latin1');
  },
  truncate: (text, random) => text.slice(0, at(text, random)),
  nest: (text, random) => {
    const tag = ['div', 'span', 'b', 'p', 'a', 'item', 'x:y', 'table'][Math.floor(random() * 8)]!;
    const depth = [200, 2000, 20_000][Math.floor(random() * 3)]!;
    const close = random() < 0.5 ? `</${tag}>`.repeat(depth) : '';
    return insert(text, random, `<${tag}>`.repeat(depth) + 'deep' + close);
  },
  attributes: (text, random) => {
    const many = random() < 0.5;
    const piece = many ? `<p ${Array.from({ length: 50_000 }, (_, k) => `a${random() < 0.1 ? 0 : k}="${k}"`).join(' ')}>x</p>` : `<p title="${'x'.repeat(500_000)}">x</p>`;
    return insert(text, random, piece);
  },
  entities: (text, random) => insert(text, random, ['&lt;a href='.repeat(20_000), '&amp;'.repeat(50_000), '&#38;#38;'.repeat(10_000), '&'.repeat(100_000), '&#x41;'.repeat(30_000)][Math.floor(random() * 5)]!),
  splice: (text, random) => {
    let out = text;
    for (let n = 1 + Math.floor(random() * 6); n > 0; n--) out = insert(out, random, FRAGMENTS[Math.floor(random() * FRAGMENTS.length)]!.repeat(1 + Math.floor(random() * 3000)));
    return out;
  },
};

interface Finding {
  kind: string;
  mutation: string;
  round: number;
  problem: string;
}

function exercise(kind: 'feed' | 'page', seeds: string[], run: (input: string) => unknown): Finding[] {
  const random = seededRandom(SEED + (kind === 'feed' ? 0 : 1));
  const names = Object.keys(MUTATIONS);
  const findings: Finding[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const mutation = names[round % names.length]!;
    let input = seeds[Math.floor(random() * seeds.length)]!;
    input = MUTATIONS[mutation]!(input, random);
    if (random() < 0.3) input = MUTATIONS[names[Math.floor(random() * names.length)]!]!(input, random);
    const started = performance.now();
    if (process.env.FUZZ_TRACE) process.stderr.write(`${kind} ${round} ${mutation} ${input.length}\n`);
    if (process.env.FUZZ_DUMP && process.env.FUZZ_TRACE === `${kind}-${round}`) writeFileSync(join(process.env.FUZZ_DUMP, `${kind}-${SEED}-${round}.txt`), input, 'latin1');
    try {
      run(input);
    } catch (err) {
      // A coded error that wraps a TypeError or RangeError is a bug met on the way, not a verdict on the input.
      const cause = isNewsdeskError(err) ? err.cause : err;
      if (!isNewsdeskError(err) || cause instanceof TypeError || cause instanceof RangeError || cause instanceof ReferenceError) {
        findings.push({ kind, mutation, round, problem: `${isNewsdeskError(err) ? 'wrapped' : 'uncoded'} ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`.slice(0, 200) });
      }
    }
    const ms = performance.now() - started;
    if (ms > PER_INPUT_MS) findings.push({ kind, mutation, round, problem: `took ${Math.round(ms)} ms (${input.length} chars)` });
    if (process.env.FUZZ_DUMP && findings.at(-1)?.round === round && findings.at(-1)?.kind === kind) writeFileSync(join(process.env.FUZZ_DUMP, `${kind}-${SEED}-${round}.txt`), input, 'latin1');
  }
  return findings;
}

test(`feeds: ${ROUNDS} mutated documents (seed ${SEED}) parse or fail with a coded error, each within ${PER_INPUT_MS} ms`, () => {
  const findings = exercise('feed', FEEDS, (input) => parseFeed(Buffer.from(input, 'latin1'), { url: 'https://example.org/feed.xml' }));
  assert.deepEqual(findings, []);
});

test(`pages: ${ROUNDS} mutated pages (seed ${SEED}) extract or fail with a coded error, each within ${PER_INPUT_MS} ms`, () => {
  assert.ok(PAGES.length > 0, 'the extraction fixtures are there');
  const findings = exercise('page', PAGES, (input) => extractArticle(input, 'https://example.com/news/story'));
  assert.deepEqual(findings, []);
});
