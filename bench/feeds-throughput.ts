// `npm run bench:feeds`: newsdesk's parse-and-normalize rate against raw feedsmith in the same run,
// on a generated 1 MB RSS feed of 1,460 items and on the whole feedparser conformance set, plus
// peak memory. Each side runs several rounds alternately and the best round counts, because the
// machine is shared and timings are noisy (noise only ever adds time); the median of the
// per-round ratios is printed beside it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseFeed as feedsmithParse } from 'feedsmith';
import { parseFeed } from '../src/feeds/parse.ts';

// Rounds per side: the generated feed is cheap, the 2,107-file set costs about a second per run.
const ROUNDS = Number(process.env.ROUNDS ?? 25);
const SET_ROUNDS = Number(process.env.SET_ROUNDS ?? 4);
let peakRss = 0;
let peakHeap = 0;
function sampleMemory(): void {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}
const sampler = setInterval(sampleMemory, 20);

function generateRss(items: number): string {
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/">\n<channel><title>Generated feed</title><link>https://example.org/</link><description>Throughput test</description>\n'];
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < items; i++) {
    const date = new Date(start - i * 3_600_000).toUTCString();
    parts.push(
      `<item><title>Item ${i}: a headline about models &amp; benchmarks</title><link>https://example.org/posts/${i}</link>` +
        `<guid isPermaLink="false">urn:example:${i}</guid><pubDate>${date}</pubDate><dc:creator>Writer ${i % 17}</dc:creator>` +
        `<category>AI</category><category>Research</category>` +
        `<description><![CDATA[<p>Summary of item ${i} with a <a href="/rel/${i}">relative link</a> and some words to reach a realistic size for a news summary. A second sentence says what the announcement changes for people who build with these systems every day, and what it leaves open.</p>]]></description>` +
        `<media:thumbnail url="https://example.org/img/${i}.jpg" width="640" height="360"/></item>\n`,
    );
  }
  parts.push('</channel></rss>\n');
  return parts.join('');
}

// How each timed run is set up, the same for both sides. In every round each side runs twice in
// a row and only the second run is timed: the first absorbs the garbage the other side left
// behind (so neither pays for the other's) and puts its own code back in its steady state, the
// state of a process that parses feed after feed. Both sides do exactly the work they did before:
// feedsmith parses each text, newsdesk decodes, parses and normalizes every item of each document.
//
// An earlier version instead forced a full collection (global.gc) before every timed run. In V8
// that throws away the optimized code of both parsers (hundreds of "weak objects"
// deoptimizations: the collection drops the object shapes the code was specialized to), so each
// timed run was mostly unoptimized code, about three times slower for both sides and much
// noisier than the work being measured. feedsmith lost more to it than newsdesk did, so ratios
// from this version are lower than from that one for the same code.
function time(fn: () => void): number {
  fn();
  const t0 = process.hrtime.bigint();
  fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  sampleMemory();
  return ms;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function compare(label: string, inputs: { bytes: Uint8Array; url: string; contentType: string | null }[], totalBytes: number, rounds: number): number {
  const decoder = new TextDecoder();
  // feedsmith takes a string; giving it the already-decoded UTF-8 text is its most favourable case.
  const texts = inputs.map((i) => decoder.decode(i.bytes));
  const rawFeedsmith = (): void => {
    for (const text of texts) {
      try {
        feedsmithParse(text);
      } catch {
        // feedsmith throws on non-feeds; the time spent counts either way.
      }
    }
  };
  const newsdesk = (): void => {
    for (const input of inputs) {
      try {
        parseFeed(input.bytes, { url: input.url, contentType: input.contentType });
      } catch {
        // unparseable inputs are part of the set
      }
    }
  };
  // Warm both up so the JIT has compiled each before timing starts (a large set warms itself).
  for (let w = 0; w < (inputs.length > 100 ? 1 : 3); w++) {
    rawFeedsmith();
    newsdesk();
  }
  const feedsmithRuns: number[] = [];
  const newsdeskRuns: number[] = [];
  for (let r = 0; r < rounds; r++) {
    feedsmithRuns.push(time(rawFeedsmith));
    newsdeskRuns.push(time(newsdesk));
  }
  const feedsmithMs = Math.min(...feedsmithRuns);
  const newsdeskMs = Math.min(...newsdeskRuns);
  const mb = totalBytes / 1e6;
  const ratio = feedsmithMs / newsdeskMs;
  const roundRatios = feedsmithRuns.map((ms, r) => ms / newsdeskRuns[r]!);
  console.log(`${label}: ${inputs.length} documents, ${mb.toFixed(2)} MB, ${rounds} rounds`);
  console.log(`  raw feedsmith:               ${feedsmithMs.toFixed(1)} ms (${(mb / (feedsmithMs / 1000)).toFixed(2)} MB/s), median ${median(feedsmithRuns).toFixed(1)} ms`);
  console.log(`  newsdesk decode+parse+normalize: ${newsdeskMs.toFixed(1)} ms (${(mb / (newsdeskMs / 1000)).toFixed(2)} MB/s), median ${median(newsdeskRuns).toFixed(1)} ms`);
  console.log(`  rate ratio newsdesk/feedsmith: ${ratio.toFixed(2)} (bar 0.70); median of per-round ratios ${median(roundRatios).toFixed(2)}`);
  return ratio;
}

const generated = new TextEncoder().encode(generateRss(1460));
const parsedCheck = parseFeed(generated, { url: 'https://example.org/feed.xml' });
if (parsedCheck.entries.length !== 1460) throw new Error(`generated feed parsed into ${parsedCheck.entries.length} entries`);
const ratios = [compare('generated RSS', [{ bytes: generated, url: 'https://example.org/feed.xml', contentType: 'application/rss+xml' }], generated.length, ROUNDS)];

const testsRoot = join(import.meta.dirname, '../../shared/bench/feedparser-tests/tests');
if (existsSync(testsRoot)) {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.xml') || name.endsWith('.json')) files.push(path);
    }
  };
  walk(testsRoot);
  const inputs = files.map((path) => ({ bytes: new Uint8Array(readFileSync(path)), url: `http://127.0.0.1:8097/${path.slice(testsRoot.length + 1)}`, contentType: null }));
  ratios.push(compare('feedparser conformance set', inputs, inputs.reduce((n, i) => n + i.bytes.length, 0), SET_ROUNDS));
} else {
  console.log(`conformance set: skipped, ${testsRoot} not found`);
}
clearInterval(sampler);
sampleMemory();
console.log(`peak memory: rss ${(peakRss / 2 ** 20).toFixed(1)} MiB, heap used ${(peakHeap / 2 ** 20).toFixed(1)} MiB`);
console.log(`feeds throughput ratio (worst): ${Math.min(...ratios).toFixed(2)}`);
