// A sample of the Scrapinghub article-body pages, checked against their ground truth. The full
// figures are printed by `npm run bench:extract`; this only guards against a regression that would
// lose whole articles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchAvailable, loadScrapinghub } from '../../bench/extract-data.ts';
import { shingleScore, corpusShingleF1 } from '../../bench/extract-score.ts';
import { decodeHtmlBytes } from './content-decode.ts';
import { extractArticle } from './extract.ts';

const skip = benchAvailable() ? false : 'benchmark data ../shared/bench is absent';

test('scrapinghub sample: article bodies are found on every page, F1 well above whole-page text', { skip }, () => {
  const pages = loadScrapinghub();
  // Every 10th page: 12 pages spread over the set, a few seconds even on a loaded machine.
  const sample = pages.filter((_, i) => i % 10 === 0);
  const scores = sample.map((page) => {
    const article = extractArticle(decodeHtmlBytes(page.html), page.url);
    assert.ok(article.text.length > 0, `empty text for ${page.url}`);
    return shingleScore(page.expected, article.text);
  });
  for (const [i, score] of scores.entries()) {
    assert.ok((score.recall ?? 0) > 0.5, `article mostly missed on ${sample[i].url}: recall ${score.recall}`);
  }
  // Whole-page text scores 0.66 on this set and Readability.js 0.95.
  assert.ok(corpusShingleF1(scores).f1 > 0.9, `sample F1 ${corpusShingleF1(scores).f1}`);
});
