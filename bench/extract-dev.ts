// A quick runner for iterating on one benchmark half: `tsx bench/extract-dev.ts --set trafilatura --half dev`
// prints the figure of that half only; `--dump FILE` writes per-page counts (JSON) to compare two runs.
// The full figures come from `npm run bench:extract`.
import { writeFileSync } from 'node:fs';
import { extractArticle } from '../src/extract/extract.ts';
import { decodeHtmlBytes } from '../src/extract/content-decode.ts';
import { benchAvailable, loadScrapinghub, loadTrafilaturaEval, splitOf } from './extract-data.ts';
import { shingleScore, corpusShingleF1, segmentCounts, segmentF } from './extract-score.ts';

const args = process.argv.slice(2);
const argValue = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const set = argValue('--set') ?? 'trafilatura';
const half = (argValue('--half') ?? 'dev') as 'dev' | 'test';
const dump = argValue('--dump');

if (!benchAvailable()) {
  console.log('extract-dev: ../shared/bench is absent; nothing to measure');
  process.exit(0);
}
const started = Date.now();
const perPage: Record<string, unknown> = {};
if (set === 'trafilatura') {
  const pages = loadTrafilaturaEval().filter((p) => splitOf(p.file) === half);
  const counts = pages.map((page) => {
    const text = extractArticle(decodeHtmlBytes(page.html), page.url).text;
    const c = segmentCounts(text, page.with, page.without);
    perPage[page.file] = c;
    return c;
  });
  const f = segmentF(counts);
  console.log(`trafilatura-eval ${half} (${pages.length} pages): F ${f.f.toFixed(3)}  P ${f.precision.toFixed(3)}  R ${f.recall.toFixed(3)}`);
} else if (set === 'scrapinghub') {
  const pages = loadScrapinghub().filter((p) => splitOf(p.id) === half);
  const scores = pages.map((page) => {
    const score = shingleScore(page.expected, extractArticle(decodeHtmlBytes(page.html), page.url).text);
    perPage[page.id] = score;
    return score;
  });
  const f = corpusShingleF1(scores);
  console.log(`scrapinghub-aeb ${half} (${pages.length} pages): F1 ${f.f1.toFixed(3)}  P ${f.precision.toFixed(3)}  R ${f.recall.toFixed(3)}`);
} else {
  console.log(`unknown --set ${set} (trafilatura | scrapinghub)`);
  process.exit(1);
}
if (dump) writeFileSync(dump, JSON.stringify(perPage, null, 1));
console.log(`${((Date.now() - started) / 1000).toFixed(0)} s`);
