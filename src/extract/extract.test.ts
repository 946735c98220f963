import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractArticle, truncateAtWord, bylineAuthors, parsePage } from './extract.ts';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => readFileSync(join(here, 'testdata', name), 'utf8');

test('the story paragraphs are kept and the page furniture around them is dropped', () => {
  const article = extractArticle(fixture('boilerplate-article.html'), 'https://courier.example.co.uk/news/2024/03/ferry-vote?ref=rss');
  const text = article.text;
  for (const kept of ['Residents of Port Ellery voted on Thursday', 'The council had proposed replacing', 'Supporters of the ferry said',
    'Turnout was the highest', 'negotiate a ten-year contract']) {
    assert.ok(text.includes(kept), `story paragraph missing: ${kept}`);
  }
  for (const dropped of ['We use cookies', 'Share on Twitter', 'Sign up for our free morning newsletter', 'Related stories',
    'Storm cancels crossings', 'Finally some common sense', 'Privacy policy', 'Photo: Island Archive', 'Read more:',
    'Published 14 March 2024', 'By Morgan Ashdown', 'Weather']) {
    assert.ok(!text.includes(dropped), `boilerplate kept: ${dropped}`);
  }
  assert.match(text, /two years\.\n\nThe council/, 'paragraphs are separated by a blank line');
  assert.equal(article.fallbackReason, null);
  assert.equal(article.title, 'Harbour town votes to keep its ferry');
  assert.equal(article.byline, 'By Morgan Ashdown');
  assert.deepEqual(article.authors.length > 0 ? article.authors : bylineAuthors(article.byline), ['Morgan Ashdown']);
  assert.equal(article.excerpt, 'Residents of Port Ellery chose by a wide margin to fund the ferry for another ten years.');
});

test('relative URLs resolve against the page address', () => {
  const article = extractArticle(fixture('boilerplate-article.html'), 'https://courier.example.co.uk/news/2024/03/ferry-vote?ref=rss');
  assert.equal(article.canonicalUrl, 'https://courier.example.co.uk/news/2024/03/ferry-vote');
  assert.equal(article.ampUrl, 'https://courier.example.co.uk/amp/news/2024/03/ferry-vote');
  assert.ok(article.html, 'sanitized html is present');
  assert.ok(!/<script|onclick|javascript:/i.test(article.html!));
});

test('a paywalled teaser is a fallback with reason paywall', () => {
  const article = extractArticle(fixture('paywall.html'), 'https://news.example.com/chips');
  assert.equal(article.fallbackReason, 'paywall');
});

test('a cookie-consent interstitial is a fallback with reason consent', () => {
  const article = extractArticle(fixture('consent.html'), 'https://consent.example.com/?continue=x');
  assert.equal(article.fallbackReason, 'consent');
});

test('an error page is a fallback with reason error-page', () => {
  const article = extractArticle(fixture('error-page.html'), 'https://daily.example.com/missing');
  assert.equal(article.fallbackReason, 'error-page');
  const byStatus = extractArticle(fixture('short-teaser.html'), 'https://lab.example.org/robot', { httpStatus: 404 });
  assert.equal(byStatus.fallbackReason, 'error-page');
});

test('a page text shorter than the feed content is a fallback; a longer one is not', () => {
  const url = 'https://lab.example.org/robot';
  const feedText = 'Researchers have trained a robot arm to fold shirts and towels after watching people do it. '.repeat(4);
  assert.equal(extractArticle(fixture('short-teaser.html'), url, { feedText }).fallbackReason, 'shorter-than-feed');
  assert.equal(extractArticle(fixture('short-teaser.html'), url, { feedText: 'A robot folds laundry.' }).fallbackReason, null);
});

test('an empty page is never a success', () => {
  const article = extractArticle('<html><head><title>x</title></head><body><div></div></body></html>', 'https://e.example/');
  assert.equal(article.text, '');
  assert.equal(article.fallbackReason, 'empty');
});

test('excerpts are cut at a word boundary within 250 characters', () => {
  const long = 'word '.repeat(100);
  const cut = truncateAtWord(long);
  assert.ok(cut.length <= 250);
  assert.match(cut, /word…$/);
  assert.equal(truncateAtWord('short text'), 'short text');
});

test('bylines split into author names', () => {
  assert.deepEqual(bylineAuthors('By Jane Doe and John Roe'), ['Jane Doe', 'John Roe']);
  assert.deepEqual(bylineAuthors(null), []);
});

test('text printed before <html> (a PHP warning, a stray script) does not empty the page', () => {
  const story = '<p>' + 'The harbour board met on Monday to decide the ferry timetable for the winter. '.repeat(8) + '</p>';
  for (const junk of ['<br />\n<b>Warning</b>: session_start() failed in /var/www/x.php on line 3<br />\n', '<script>var tracking = 1;</script>\n']) {
    const html = `${junk}<!doctype html><html><head><title>Ferry timetable</title></head><body><article><h1>Ferry timetable</h1>${story}</article></body></html>`;
    const doc = parsePage(html, 'https://port.example/ferry');
    assert.equal(doc.documentElement.tagName, 'HTML');
    assert.equal(doc.title, 'Ferry timetable');
    assert.match(extractArticle(html, 'https://port.example/ferry').text, /harbour board met on Monday/);
  }
});

test('a second <html>/<body> inside the body is read as part of the page', () => {
  const story = '<p>' + 'Volunteers counted the seals on the sandbank for the third year running. '.repeat(8) + '</p>';
  const html = `<html><head><title>Seal count</title></head><body><div id="wrap"><html><head><meta name="x" content="y"></head><body class="inner"><article>${story}</article></body></html></div></body></html>`;
  const doc = parsePage(html, 'https://coast.example/seals');
  assert.equal(doc.body.querySelectorAll('html, body, head').length, 0);
  assert.match(extractArticle(html, 'https://coast.example/seals').text, /counted the seals/);
});

test('the provider name comes from the organizations table it is given', () => {
  const html = '<html><head><title>A story</title><meta property="og:site_name" content="Some Site"></head><body><article><p>' + 'Words of a story. '.repeat(40) + '</p></article></body></html>';
  const organizations = new Map([['example-news.org', { domain: 'example-news.org', name: 'Example News Desk', logos: [] }]]);
  assert.equal(extractArticle(html, 'https://www.example-news.org/a/story', { organizations }).providerName, 'Example News Desk');
  assert.notEqual(extractArticle(html, 'https://www.example-news.org/a/story').providerName, 'Example News Desk');
});

const prose = 'The harbour board met on Tuesday evening to settle the timetable for the winter crossings, which had been disputed for months by the island councils and the operators of the two ferries.';

test('a page whose conditional-comment <html> tags nest the document still yields its article', () => {
  const html = `<style>.x{}</style><!DOCTYPE html>
<html lang="en" class="no-js lt-ie9">
<html lang="en" class="no-js">
<head><title>Winter crossings</title></head>
<body class="single"><article><h1>Winter crossings settled</h1><p>${prose}</p><p>${prose} Again.</p><p>${prose} Once more.</p></article></body></html>`;
  const doc = parsePage(html, 'https://example.org/a');
  assert.ok((doc.body?.textContent ?? '').includes('harbour board'), 'the nested body is the document body');
  assert.ok(extractArticle(html, 'https://example.org/a').text.includes('The harbour board met on Tuesday'));
});

test('a click-to-open dialog holding another article is not taken for the story', () => {
  const other = 'The officer training programme provides basic military training to cadets and their equivalents from the uniformed services, in a course modelled on long-established academies.';
  const html = `<html><body><main><h1>Winter crossings settled</h1><p>${prose}</p><p>${prose} Again.</p></main>
<div class="pum pum-overlay" role="dialog" aria-hidden="true"><div class="popup"><p>${other}</p><p>${other} Two.</p><p>${other} Three.</p><p>${other} Four.</p><p>${other} Five.</p></div></div></body></html>`;
  const text = extractArticle(html, 'https://example.org/a').text;
  assert.ok(text.includes('The harbour board met'));
  assert.ok(!text.includes('officer training programme'));
});

test('ruby readings are dropped and the text is in canonical composition', () => {
  const html = `<html><body><article><h1>Title of the story here</h1>
<p><ruby>子<rt>こ</rt></ruby>どもへの<ruby>虐待<rp>(</rp><rt>ぎゃくたい</rt><rp>)</rp></ruby>をなくすための<ruby>法律<rt>ほうりつ</rt></ruby>ができて、${prose}</p>
<p>কুষ্টিয\u09bcা ${prose} Again.</p></article></body></html>`;
  const text = extractArticle(html, 'https://example.org/a').text;
  assert.ok(text.includes('子どもへの虐待をなくすための法律ができて'), text.slice(0, 80));
  assert.ok(text.includes('কুষ্টিয়া'.normalize('NFC')) && text === text.normalize('NFC'));
});

test('a short story is not traded for its page\'s author box or comment form on the second reading', () => {
  const bio = 'Founder of the academy. Trained as an electrical engineer, now working on learning organisations, knowledge management and new work; member of several communities and host of another podcast.';
  const html = `<html><head><title>Live from the camp</title></head><body><div id="primary"><article class="post">
    <h1 class="entry-title">Live from the camp</h1>
    <div class="entry-content"><p>At this year's camp in Berlin we recorded live again. Our guests were two researchers who talk about what they took away from the two days.</p></div>
    <footer class="entry-meta"><div id="author-info"><div id="author-description"><h2>About Simon</h2>${bio} ${bio}</div></div></footer></article>
    <div id="comments"><div id="respond" class="comment-respond"><h3>Leave a reply</h3><form>${Array.from({ length: 5 }, (_, i) => `<p>Comment form line ${i}: notify me of new comments and posts by email.</p>`).join('')}</form></div></div></div></body></html>`;
  const text = extractArticle(html, 'https://example.org/camp').text;
  assert.match(text, /we recorded live again/);
  assert.doesNotMatch(text, /Founder of the academy|Comment form line/);
});

test('a teaser whose page declares isAccessibleForFree false in JSON-LD is a paywall fallback, with no wall phrase in sight', () => {
  // Readability removes the page's scripts, so the markup must be read from the page as parsed.
  const article = extractArticle(fixture('paywall-declared.html'), 'https://grid.example.net/summer-outlook');
  assert.ok(article.text.includes('reserve margins would be thinner'), 'the teaser is what was extracted');
  assert.equal(article.fallbackReason, 'paywall');
  const open = extractArticle(fixture('paywall-declared.html').replace(/"False"/g, '"True"'), 'https://grid.example.net/summer-outlook');
  assert.equal(open.fallbackReason, null);
});

test('the declaration counts in microdata too (itemprop="isAccessibleForFree" content="false")', () => {
  const withoutJsonLd = fixture('paywall-declared.html').replace(/<script type="application\/ld\+json">.*<\/script>/, '');
  assert.equal(extractArticle(withoutJsonLd, 'https://grid.example.net/summer-outlook').fallbackReason, null, 'nothing declared, no wall phrase');
  const microdata = withoutJsonLd.replace('<article>', '<article itemscope itemtype="https://schema.org/NewsArticle"><meta itemprop="isAccessibleForFree" content="false">');
  assert.equal(extractArticle(microdata, 'https://grid.example.net/summer-outlook').fallbackReason, 'paywall');
});

test('a metered page that declares a paywall but sends the whole article is not a fallback', () => {
  const paragraphs = Array.from({ length: 8 }, (_, i) => `<p>Paragraph ${i + 1} of the outlook explains how operators will balance imports, storage and demand response across the hottest weeks, which plants are scheduled for maintenance, and what households can expect to pay if the reserve margin falls below the planning target.</p>`).join('\n');
  const html = fixture('paywall-declared.html')
    .replace('<div class="locked"></div>', paragraphs)
    .replace('</article>', '</article>\n<aside class="meter"><p>You have reached your limit of free articles. Subscribe now to continue reading.</p></aside>');
  const article = extractArticle(html, 'https://grid.example.net/summer-outlook');
  assert.ok(article.text.includes('Paragraph 8 of the outlook'), 'the whole article was extracted');
  assert.equal(article.fallbackReason, null);
});
