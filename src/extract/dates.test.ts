import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHTML } from 'linkedom';
import { extractDates, extractDatesDetailed, parseDateString, dateFromUrl } from './dates.ts';

function doc(html: string): Document {
  return parseHTML(html).document as unknown as Document;
}

test('parseDateString reads machine and human formats', () => {
  const cases: Array<[string, string | null]> = [
    ['2020-06-11T14:51:00Z', '2020-06-11T14:51:00Z'],
    ['2020-06-11T16:51:00+02:00', '2020-06-11T14:51:00Z'],
    ['2020-06-11', '2020-06-11T00:00:00Z'],
    ['20200611', '2020-06-11T00:00:00Z'],
    ['Thu, 11 Jun 2020 14:51:00 GMT', '2020-06-11T14:51:00Z'],
    ['June 11, 2020', '2020-06-11T00:00:00Z'],
    ['June 11th, 2020 at 2:51 pm EDT', '2020-06-11T18:51:00Z'],
    ['11. Juni 2020', '2020-06-11T00:00:00Z'],
    ['11 juin 2020', '2020-06-11T00:00:00Z'],
    ['11 de junio de 2020', '2020-06-11T00:00:00Z'],
    ['11.06.2020 um 14:51', '2020-06-11T14:51:00Z'],
    ['2020年6月11日', '2020-06-11T00:00:00Z'],
    ['1591887060', '2020-06-11T14:51:00Z'],
    ['2020-02-30', null],
    ['1990-01-01', null],
    ['not a date', null],
  ];
  for (const [input, expected] of cases) {
    assert.equal(parseDateString(input)?.iso ?? null, expected, input);
  }
});

test('parseDateString rejects dates after the bound', () => {
  assert.equal(parseDateString('2030-01-01', Date.UTC(2025, 0, 1)), null);
});

test('dateFromUrl finds dates in paths but not the archive stamp', () => {
  assert.equal(dateFromUrl('https://x.org/2020/06/11/story/')?.day, '2020-06-11');
  assert.equal(dateFromUrl('https://x.org/news/20200611-story')?.day, '2020-06-11');
  assert.equal(dateFromUrl('https://x.org/bericht_vom_22.04.2020_titel')?.day, '2020-04-22');
  assert.equal(dateFromUrl('https://x.org/meldungen/29-10-2021')?.day, '2021-10-29');
  assert.equal(dateFromUrl('https://web.archive.org/web/20120216182711/http://x.it/Artikel/1'), null);
  assert.equal(dateFromUrl('https://x.org/products/1234567'), null);
});

const page = (head: string, body = '') => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;

test('extractDates takes sources in order of trust, published before modified', () => {
  const cases: Array<{ name: string; html: string; url?: string; published: string | null; updated?: string | null }> = [
    {
      name: 'JSON-LD inside @graph',
      html: page('<script type="application/ld+json">{"@graph":[{"@type":"WebSite"},{"@type":"NewsArticle","datePublished":"2021-03-04T10:00:00+01:00","dateModified":"2021-03-05T08:00:00Z"}]}</script>'),
      published: '2021-03-04T09:00:00Z', updated: '2021-03-05T08:00:00Z',
    },
    {
      name: 'JSON-LD: the article object over the page and the site',
      html: page('<script type="application/ld+json">[{"@type":"WebSite","datePublished":"2010-01-01"},{"@type":"WebPage","datePublished":"2015-01-01"},{"@type":"NewsArticle","datePublished":"2021-06-01"}]</script>'),
      published: '2021-06-01T00:00:00Z',
    },
    {
      name: 'JSON-LD ignores comment dates',
      html: page('<script type="application/ld+json">{"@type":"Article","comment":[{"@type":"Comment","datePublished":"2022-01-01"}],"datePublished":"2021-05-06"}</script>'),
      published: '2021-05-06T00:00:00Z',
    },
    {
      name: 'meta article:published_time over modified',
      html: page('<meta property="article:modified_time" content="2021-02-02T00:00:00Z"><meta property="article:published_time" content="2021-01-01T12:00:00Z">'),
      published: '2021-01-01T12:00:00Z', updated: '2021-02-02T00:00:00Z',
    },
    { name: 'parsely', html: page('<meta name="parsely-pub-date" content="2019-09-09T09:09:09Z">'), published: '2019-09-09T09:09:09Z' },
    { name: 'citation_date', html: page('<meta name="citation_publication_date" content="2018/07/01">'), published: '2018-07-01T00:00:00Z' },
    {
      name: 'time itemprop',
      html: page('', '<article><h1>Title here</h1><time itemprop="datePublished" datetime="2017-05-05T05:05:05Z">May 5</time></article>'),
      published: '2017-05-05T05:05:05Z',
    },
    { name: 'URL', html: page('', '<p>no dates</p>'), url: 'https://x.org/2016/02/03/slug', published: '2016-02-03T00:00:00Z' },
    {
      name: 'date element in German',
      html: page('', '<div class="artikel-datum">Veröffentlicht am 3. Dezember 2011</div><p>Text</p>'),
      published: '2011-12-03T00:00:00Z',
    },
    {
      name: 'visible text near the headline',
      html: page('', '<p>Menu 01.01.2015</p><h1>A headline that is long</h1><p>Karlsruhe, 12.11.2021 – text</p>'),
      published: '2021-11-12T00:00:00Z',
    },
    {
      name: 'only an update stated',
      html: page('<meta property="article:modified_time" content="2021-02-02T00:00:00Z">', '<p>nothing</p>'),
      published: null, updated: '2021-02-02T00:00:00Z',
    },
    { name: 'nothing at all', html: page('<title>x</title>', '<p>Hello</p>'), published: null, updated: null },
  ];
  for (const c of cases) {
    const result = extractDates(doc(c.html), c.url ?? 'https://example.org/a', { html: c.html });
    assert.equal(result.published, c.published, c.name);
    if (c.updated !== undefined) assert.equal(result.updated, c.updated, c.name);
  }
});

test('broken JSON-LD is still read', () => {
  const html = page('<script type="application/ld+json">{"@type":"Article", "datePublished": "2020-01-02T03:04:05Z",}</script>');
  assert.equal(extractDates(doc(html), 'https://e.org/').published, '2020-01-02T03:04:05Z');
});

test('a page the parser could not build a tree of is read from its source text', () => {
  const html = '<br />\n<b>Warning</b>: something in <b>/x.php</b><br />\n<!DOCTYPE html><html><body><p>Dieser Beitrag wurde am Samstag, 3. Dezember 2011 veröffentlicht.</p></body></html>';
  const empty = doc('<html><body></body></html>');
  assert.equal(extractDates(empty, 'https://e.org/news/x/', { html }).published, '2011-12-03T00:00:00Z');
  assert.equal(extractDates(empty, 'https://e.org/news/x/').published, null);
});

test('an instant is read in the publisher\'s calendar when the URL gives the day', async () => {
  const { extractDatesDetailed } = await import('./dates.ts');
  const html = page('<meta property="article:published_time" content="2023-11-09T02:11:03+00:00">');
  const result = extractDatesDetailed(doc(html), 'https://news.example.com/2023/11/08/story/', { html });
  assert.equal(result.published?.iso, '2023-11-09T02:11:03Z');
  assert.equal(result.published?.day, '2023-11-08');
});

test('a republished page whose visible date is its dateModified takes that date; one showing both keeps datePublished', () => {
  const ld = '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2021-01-10T08:00:00Z","dateModified":"2023-03-06T09:00:00Z"}</script>';
  const onlyUpdated = doc(`<html><head>${ld}</head><body><article><h1>Slow metabolism</h1><div class="article-date">6 March 2023</div><p>Text of the story.</p></article></body></html>`);
  assert.equal(extractDates(onlyUpdated, 'https://x.example/a').published?.slice(0, 10), '2023-03-06');
  const both = doc(`<html><head>${ld}</head><body><article><h1>Slow metabolism</h1><div class="article-date">10 January 2021</div><div class="article-date">Updated 6 March 2023</div><p>Text.</p></article></body></html>`);
  assert.equal(extractDates(both, 'https://x.example/a').published?.slice(0, 10), '2021-01-10');
  const none = doc(`<html><head>${ld}</head><body><article><h1>Slow metabolism</h1><p>Text.</p></article></body></html>`);
  assert.equal(extractDates(none, 'https://x.example/a').published?.slice(0, 10), '2021-01-10');
});

test('a UTC timestamp is read on the calendar of a page whose language has one time zone', () => {
  const ld = '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2019-10-18T22:04:00Z"}</script>';
  const german = doc(`<html lang="de"><head>${ld}</head><body><p>Text.</p></body></html>`);
  assert.equal(extractDatesDetailed(german, 'https://x.example/a').published?.day, '2019-10-19');
  assert.equal(extractDatesDetailed(german, 'https://x.example/a').published?.iso, '2019-10-18T22:04:00Z');
  const english = doc(`<html lang="en"><head>${ld}</head><body><p>Text.</p></body></html>`);
  assert.equal(extractDatesDetailed(english, 'https://x.example/a').published?.day, '2019-10-18');
});

test('an instant written with the publisher\'s own offset keeps its day whatever other date the page shows', () => {
  const ld = (value: string) => `<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"${value}"}</script>`;
  const body = '<body><article><h1>Events this week</h1><div class="event-date">30.10.2023</div><p>Text of the story.</p></article></body>';
  const zoned = doc(`<html lang="en"><head>${ld('2023-10-31T08:22:26+01:00')}</head>${body}</html>`);
  assert.equal(extractDatesDetailed(zoned, 'https://x.example/a', { localDay: true }).published?.day, '2023-10-31');
  // A UTC instant is still read on the calendar the page shows.
  const utc = doc(`<html lang="en"><head>${ld('2023-10-31T01:22:26Z')}</head>${body}</html>`);
  assert.equal(extractDatesDetailed(utc, 'https://x.example/a', { localDay: true }).published?.day, '2023-10-30');
});

test('a <time> that writes out another day than its datetime shows the day as written; dates in teasers and quotes are not the page\'s', () => {
  const shown = doc('<html lang="fr"><body><article><h1>Titre</h1><time datetime="2019-07-03T10:18:46Z">Publié le 29 juin 2019</time><p>Texte.</p></article></body></html>');
  assert.equal(extractDatesDetailed(shown, 'https://x.example/a').published?.day, '2019-06-29');
  const quoted = doc(`<html><body><article><h1>Influencer marketing</h1>
    <blockquote class="twitter-tweet"><p>Post</p>— someone <time datetime="2018-03-12T19:30:12+00:00">Mar 12, 2018</time></blockquote>
    <div class="teaser"><span class="teaser__subline-pubdate">04.11.2021</span></div>
    <div class="article-date">29.01.2019</div><p>Text.</p></article></body></html>`);
  assert.equal(extractDatesDetailed(quoted, 'https://x.example/a').published?.day, '2019-01-29');
});

test('a date in the page\'s main region is read even when a layout wrapper above it names a sidebar', () => {
  const page = doc(`<html lang="de"><body><div class="pagebody pagebody--wsidebar"><main id="primary"><article><header><h1>Bundespräsident warnt</h1>
    <div class="posted-on"><time class="entry-date published" datetime="2021-11-19T10:13:50+01:00">Freitag</time></div></header><p>Text.</p></article></main>
    <aside><div class="newslist__meta">18.11.2021</div><div class="newslist__meta">18.11.2021</div></aside></div></body></html>`);
  assert.equal(extractDatesDetailed(page, 'https://x.example/a').published?.day, '2021-11-19');
  // The main region itself may carry the layout's name.
  const named = doc(`<html lang="de"><body><main class="content content--with-sidebar"><article><header><h1>Bundespräsident warnt</h1>
    <div class="posted-on"><time class="entry-date published" datetime="2021-11-19T10:13:50+01:00">Freitag</time></div></header><p>Text.</p></article></main>
    <aside><div class="newslist__meta">18.11.2021</div><div class="newslist__meta">18.11.2021</div></aside></body></html>`);
  assert.equal(extractDatesDetailed(named, 'https://x.example/a').published?.day, '2021-11-19');
});
