import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { parseHTML } from 'linkedom';
import { extractMetadata, parseByline } from './metadata.ts';
import { loadLanguageModel, detectLanguage } from './language.ts';
import type { Organization } from './organizations.ts';

function doc(html: string): Document {
  return parseHTML(html).document as unknown as Document;
}
const page = (head: string, body = '', lang = '') => `<!doctype html><html${lang ? ` lang="${lang}"` : ''}><head>${head}</head><body>${body}</body></html>`;
const orgs = new Map<string, Organization>([
  ['example-news.com', { domain: 'example-news.com', name: 'Example News', logos: [] }],
  ['aws.amazon.com', { domain: 'aws.amazon.com', name: 'AWS', logos: [] }],
]);
const english = '<p>' + 'The company said on Tuesday that its new system would be rolled out to customers across the country over the coming months. '.repeat(8) + '</p>';
const german = '<p>' + 'Die Bundesregierung hat am Dienstag beschlossen, dass die neuen Regeln ab dem kommenden Jahr für alle Unternehmen gelten sollen. '.repeat(8) + '</p>';

before(async () => {
  await loadLanguageModel();
});

test('detectLanguage identifies the language of a text', async () => {
  assert.equal(await detectLanguage('Die Bundesregierung hat am Dienstag neue Regeln für Unternehmen beschlossen.'), 'de');
  assert.equal(await detectLanguage('The government announced new rules for companies on Tuesday.'), 'en');
  assert.equal(await detectLanguage('12 34'), null);
});

test('parseByline splits and cleans bylines', () => {
  const cases: Array<[string, string[]]> = [
    ['By Jane Doe and John Roe', ['Jane Doe', 'John Roe']],
    ['Von Max Mustermann', ['Max Mustermann']],
    ['By Jane Doe, Reuters', ['Jane Doe']],
    ['Jane Doe | Updated June 1, 2020', ['Jane Doe']],
    ['Anna A., Ben B. & Carl C.', ['Anna A', 'Ben B', 'Carl C']],
    ['admin', []],
    ['https://www.facebook.com/someone', []],
  ];
  for (const [input, expected] of cases) assert.deepEqual(parseByline(input), expected, input);
});

test('extractMetadata reads structured data and markup', () => {
  const cases: Array<{ name: string; html: string; url?: string; check: Partial<ReturnType<typeof extractMetadata>> }> = [
    {
      name: 'Open Graph article',
      html: page('<title>Big story | Example News</title><meta property="og:title" content="Big story"><meta property="og:site_name" content="Example News">'
        + '<meta property="og:description" content="What happened."><meta property="og:image" content="/img/lead.jpg"><meta property="og:image:width" content="1200"><meta property="og:image:height" content="630">'
        + '<link rel="canonical" href="https://www.example-news.com/big-story"><link rel="amphtml" href="/big-story/amp"><meta name="author" content="By Jane Doe">',
      '<h1>Big story</h1>' + english, 'en-GB'),
      url: 'https://www.example-news.com/big-story?utm_source=x',
      check: {
        title: 'Big story', description: 'What happened.', authors: ['Jane Doe'], language: 'en', locale: 'en-gb', type: 'article',
        siteName: 'Example News', providerName: 'Example News', providerDomain: 'example-news.com',
        leadImage: { url: 'https://www.example-news.com/img/lead.jpg', width: 1200, height: 630, title: null },
        canonicalUrl: 'https://www.example-news.com/big-story', ampUrl: 'https://www.example-news.com/big-story/amp',
      },
    },
    {
      name: 'JSON-LD graph with publisher and authors',
      html: page('<title>Headline - Daily</title><script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Daily Site"},'
        + '{"@type":"NewsArticle","headline":"Headline","author":[{"@type":"Person","name":"Ann Smith"},{"@type":"Person","name":"Bob Jones"}],'
        + '"publisher":{"@type":"Organization","name":"The Daily"},"image":{"@type":"ImageObject","url":"https://cdn.daily.co.uk/a.jpg","width":800,"height":450}}]}</script>',
      '<h1>Headline</h1>' + english),
      url: 'https://news.daily.co.uk/a/1',
      check: {
        title: 'Headline', authors: ['Ann Smith', 'Bob Jones'], siteName: 'The Daily', providerName: 'The Daily',
        providerDomain: 'daily.co.uk', locale: 'en-gb', leadImage: { url: 'https://cdn.daily.co.uk/a.jpg', width: 800, height: 450, title: null },
        canonicalUrl: null, ampUrl: null,
      },
    },
    {
      name: 'language from the text when the markup says nothing; German TLD',
      html: page('<title>Neue Regeln</title>', '<h1>Neue Regeln</h1>' + german),
      url: 'https://www.beispiel.de/artikel',
      check: { language: 'de', locale: 'de-de', title: 'Neue Regeln', providerDomain: 'beispiel.de', providerName: null },
    },
    {
      name: 'known organization on a sub-site',
      html: page('<meta property="og:site_name" content="Amazon Web Services">', english),
      url: 'https://aws.amazon.com/blogs/machine-learning/x/',
      check: { providerName: 'AWS', providerDomain: 'aws.amazon.com', siteName: 'Amazon Web Services' },
    },
    {
      name: 'site name in the title matched by the domain',
      html: page('<title>엘제이 진흙탕 싸움 - Entermedia</title>', english),
      url: 'http://www.entermedia.co.kr/news/1',
      check: { title: '엘제이 진흙탕 싸움', providerDomain: 'entermedia.co.kr' },
    },
    {
      name: 'site name first, and a colon inside the headline kept',
      html: page('<title>Example News - Apple: the future is backwards</title><meta property="og:site_name" content="Example News">', english),
      check: { title: 'Apple: the future is backwards' },
    },
    {
      name: 'a hyphenated headline without a site name is left alone',
      html: page('<title>Man bites dog - and the dog bites back</title>', english),
      check: { title: 'Man bites dog - and the dog bites back' },
    },
    {
      name: 'byline element',
      html: page('<title>T</title>', '<article><h1>T</h1><div class="byline">By <a rel="author" href="/a/x">Carla Diaz</a></div>' + english + '</article>'),
      check: { authors: ['Carla Diaz'] },
    },
    {
      name: 'scholarly paper',
      html: page('<meta name="citation_title" content="On Things"><meta name="citation_author" content="Doe, Jane"><meta name="citation_author" content="Roe, Rick"><meta name="citation_doi" content="10.1/x">', english),
      check: { type: 'paper', title: 'On Things' },
    },
    {
      name: 'press release on a wire',
      html: page('<meta property="og:type" content="article">', '<p>SAN FRANCISCO, June 1, 2021 /PRNewswire/ -- Acme today announced...</p>'),
      url: 'https://www.prnewswire.com/news-releases/acme-301.html',
      check: { type: 'press-release' },
    },
    {
      name: 'press release syndicated with a wire dateline',
      html: page('<meta property="og:type" content="article">', '<p>NEW YORK--(BUSINESS WIRE)--Acme Corp. announced today...</p>' + english),
      url: 'https://finance.example.com/news/acme',
      check: { type: 'press-release' },
    },
    {
      name: 'video page',
      html: page('<meta property="og:type" content="video.other"><title>Clip</title>', '<video src="/v.mp4"></video>'),
      check: { type: 'video' },
    },
    {
      name: 'podcast episode',
      html: page('<script type="application/ld+json">{"@type":"PodcastEpisode","name":"Ep 1"}</script>', '<audio src="/e.mp3"></audio><p>Show notes.</p>'),
      check: { type: 'podcast', title: 'Ep 1' },
    },
    {
      name: 'article with an embedded video stays an article',
      html: page('<meta property="og:type" content="article">', '<iframe src="https://www.youtube.com/embed/x"></iframe>' + english),
      check: { type: 'article' },
    },
  ];
  for (const c of cases) {
    const meta = extractMetadata(doc(c.html), c.url ?? 'https://www.example.org/story', { organizations: orgs });
    for (const [key, value] of Object.entries(c.check)) {
      assert.deepEqual(meta[key as keyof typeof meta], value, `${c.name}: ${key}`);
    }
  }
});

test('the shipped organizations table names corpus publishers', () => {
  const meta = extractMetadata(doc(page('<title>x</title>', english)), 'https://www.forbes.com/sites/x/2020/01/01/y/');
  assert.equal(meta.providerName, 'Forbes');
  assert.equal(meta.providerDomain, 'forbes.com');
});
