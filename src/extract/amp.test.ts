import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { ampCacheUrl } from './amp.ts';

test('ampCacheUrl follows the host rewriting rule', () => {
  const cases: Array<[string, string]> = [
    ['https://www.marketplace.org/2020/06/11/story/amp', 'https://www-marketplace-org.cdn.ampproject.org/c/s/www.marketplace.org/2020/06/11/story/amp'],
    ['https://my-site.example.co.uk/a?amp=1', 'https://my--site-example-co-uk.cdn.ampproject.org/c/s/my-site.example.co.uk/a?amp=1'],
    ['https://www.nasdaq.com/articles/x%3A-y?amp', 'https://www-nasdaq-com.cdn.ampproject.org/c/s/www.nasdaq.com/articles/x%3A-y?amp'],
    ['http://news.example.org/amp/1', 'https://news-example-org.cdn.ampproject.org/c/news.example.org/amp/1'],
    ['https://WWW.Example.com/Path#frag', 'https://www-example-com.cdn.ampproject.org/c/s/www.example.com/Path'],
  ];
  for (const [input, expected] of cases) assert.equal(ampCacheUrl(input), expected, input);
  assert.equal(ampCacheUrl('ftp://x.org/a'), null);
  assert.equal(ampCacheUrl('not a url'), null);
});

const corpus = new URL('../../../shared/corpus/everyday-ai/news.jsonl', import.meta.url);
test('ampCacheUrl rebuilds every cdnAmpWebUrl of the reference corpus', { skip: existsSync(corpus) ? false : 'corpus ../shared absent' }, () => {
  let checked = 0;
  for (const line of readFileSync(corpus, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const record = JSON.parse(line) as { ampWebUrl?: string | null; cdnAmpWebUrl?: string | null };
    if (!record.ampWebUrl || !record.cdnAmpWebUrl) continue;
    assert.equal(ampCacheUrl(record.ampWebUrl), record.cdnAmpWebUrl);
    checked++;
  }
  assert.ok(checked > 50, `only ${checked} corpus records had AMP URLs`);
});
