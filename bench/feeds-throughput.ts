// `npm run bench:feeds`: newsdesk's parse-and-normalize rate against raw feedsmith in the same run,
// on a generated 1 MB RSS feed of 1,460 items and on the whole feedparser conformance set, plus
// peak memory. Each side runs several rounds alternately and the best round counts, because the
// machine is shared and timings are noisy.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseFeed as feedsmithParse } from 'feedsmith';
import { parseFeed } from '../src/feeds/parse.ts';

// Rounds per side: the generated feed is cheap, the 2,107-file set costs seconds per round.
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const SET_ROUNDS = Number(process.env.SET_ROUNDS ?? 3);
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

// With --expose-gc, each timed run starts from a collected heap, so neither side pays for the
// garbage the other left behind.
const collect = (globalThis as { gc?: () => void }).gc;

function time(fn: () => void): number {
  collect?.();
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function best(rounds: number, fn: () => void): number {
  let min = Infinity;
  for (let r = 0; r < rounds; r++) {
    min = Math.min(min, time(fn));
    sampleMemory();
  }
  return min;
}

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
  // Warm both up so the JIT has compiled each before timing starts.
  for (let w = 0; w < 2; w++) {
    rawFeedsmith();
    newsdesk();
  }
  let feedsmithMs = Infinity;
  let newsdeskMs = Infinity;
  for (let r = 0; r < rounds; r++) {
    feedsmithMs = Math.min(feedsmithMs, best(1, rawFeedsmith));
    newsdeskMs = Math.min(newsdeskMs, best(1, newsdesk));
  }
  const mb = totalBytes / 1e6;
  const ratio = feedsmithMs / newsdeskMs;
  console.log(`${label}: ${inputs.length} documents, ${mb.toFixed(2)} MB`);
  console.log(`  raw feedsmith:               ${feedsmithMs.toFixed(1)} ms (${(mb / (feedsmithMs / 1000)).toFixed(2)} MB/s)`);
  console.log(`  newsdesk decode+parse+normalize: ${newsdeskMs.toFixed(1)} ms (${(mb / (newsdeskMs / 1000)).toFixed(2)} MB/s)`);
  console.log(`  rate ratio newsdesk/feedsmith: ${ratio.toFixed(2)} (bar 0.70)`);
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
if (!collect) console.log('note: run with node --expose-gc (npm run bench:feeds does) for GC-isolated timings');
console.log(`peak memory: rss ${(peakRss / 2 ** 20).toFixed(1)} MiB, heap used ${(peakHeap / 2 ** 20).toFixed(1)} MiB`);
console.log(`feeds throughput ratio (worst): ${Math.min(...ratios).toFixed(2)}`);
