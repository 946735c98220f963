import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFeed } from './parse.ts';
import { clockSeconds, needsRssTree } from './rss-tree.ts';

const parse = (s: string) => parseFeed(new TextEncoder().encode(s), { url: 'https://example.org/feed.xml' });
const IT = 'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"';

test('iTunes block and explicit are read as the exact words the spec names', () => {
  const feed = parse(`<rss ${IT}><channel><title>P</title><itunes:block>YES</itunes:block><itunes:explicit>clean</itunes:explicit><item><title>E</title><itunes:block>yes</itunes:block><itunes:explicit> yes </itunes:explicit><itunes:duration>3:00</itunes:duration></item></channel></rss>`);
  assert.equal(feed.podcast?.block, false);
  assert.equal(feed.podcast?.explicit, false);
  assert.equal(feed.entries[0]!.podcast?.block, true);
  assert.equal(feed.entries[0]!.podcast?.explicit, null);
  assert.equal(feed.entries[0]!.podcast?.duration, '3:00');
});

test('a channel feedsmith finds empty is filled from the tree (author, iTunes image and categories)', () => {
  const feed = parse(`<rss ${IT}><channel><author>me@example.com (Example editor)</author><itunes:image url="http://a.b/i.png"/><item><itunes:category text="Technology"><itunes:category text="Gadgets"/></itunes:category></item></channel></rss>`);
  assert.equal(feed.authorDetails?.[0]?.email, 'me@example.com');
  assert.equal(feed.image, 'http://a.b/i.png');
  assert.deepEqual(feed.entries[0]!.categories, ['Technology', 'Gadgets']);
});

test('RSS extras: xhtml body and fullitem content, summary beside description, tags, expirationDate, xml:lang', () => {
  const feed = parse(`<rss version="2.0" xml:lang="en"><channel><title>T</title>
    <item><title>A</title><body xmlns="http://www.w3.org/1999/xhtml"><p>Example</p></body><expirationDate>Wed, 01 Dec 2010 19:48:21 GMT</expirationDate><expirationDate>Thu, 01 Jan 2004 19:48:21 GMT</expirationDate></item>
    <item><title>B</title><summary>S</summary><description>D</description><tags>one, two</tags><category>three</category></item>
  </channel></rss>`);
  const [a, b] = feed.entries;
  assert.equal(a!.content, '<p>Example</p>');
  assert.equal(a!.textDetails?.content?.language, 'en');
  assert.equal(a!.expired, '2004-01-01T19:48:21.000Z');
  assert.equal(b!.summary, 'S');
  assert.equal(b!.content, 'D');
  assert.deepEqual(b!.categories, ['one', 'two', 'three']);
});

test('Podlove chapter starts in seconds', () => {
  assert.equal(clockSeconds('00:03:07.250'), 187.25);
  assert.equal(clockSeconds('08:26'), 506);
  assert.equal(clockSeconds('12'), 12);
  assert.equal(clockSeconds('x'), null);
});

test('Atom 0.3 info, created and relative ids', () => {
  const feed = parse(`<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>T</title><id>/feed</id><info>Read me</info><entry><title>E</title><id>/e/1</id><created>2003-12-31T10:14:55Z</created></entry></feed>`);
  assert.equal(feed.info, 'Read me');
  assert.equal(feed.id, 'https://example.org/feed');
  assert.equal(feed.entries[0]!.id, 'https://example.org/e/1');
  assert.equal(feed.entries[0]!.createdText, '2003-12-31T10:14:55Z');
});

test('internal DTD entities are expanded; Atom threading, content src and self link type are kept', async () => {
  const { expandInternalEntities } = await import('./parse.ts');
  assert.equal(expandInternalEntities('<!DOCTYPE rss [<!ENTITY id "tag:example.com,">]><rss>&id;x &amp;</rss>'), '<!DOCTYPE rss [<!ENTITY id "tag:example.com,">]><rss>tag:example.com,x &amp;</rss>');
  const feed = parse(`<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0"><title>T</title><link rel="self" href="/f"/><entry><title>E</title><thr:in-reply-to ref="tag:x" href="http://example.com/p"/><content src="http://example.com/movie.mp4"/></entry></feed>`);
  assert.equal(feed.links?.find((l) => l.rel === 'self')?.type, 'application/atom+xml');
  assert.equal(feed.entries[0]!.inReplyTo?.[0]?.ref, 'tag:x');
  assert.equal(feed.entries[0]!.contentSrc, 'http://example.com/movie.mp4');
});

test('items feedsmith cannot see (outside a channel) are read from the tree', () => {
  const feed = parse('<rss><item><title>A</title><link>/a</link><guid>g1</guid><description>&lt;b&gt;x&lt;/b&gt;&lt;br/&gt;</description></item></rss>');
  assert.equal(feed.entries.length, 1);
  assert.equal(feed.entries[0]!.title, 'A');
  assert.equal(feed.entries[0]!.link, 'https://example.org/a');
  assert.equal(feed.entries[0]!.id, 'g1');
  assert.equal(feed.entries[0]!.summary, '<b>x</b><br />');
});

test('RSS written with a prefix for the RSS namespace is read as RSS', () => {
  const feed = parse('<r:rss version="2.0" xmlns:r="http://backend.userland.com/rss2" xmlns:x="urn:x"><r:channel><r:title>T</r:title><r:item><r:title>I</r:title><x:description>wrong</x:description><r:description>right</r:description></r:item></r:channel></r:rss>');
  assert.equal(feed.title, 'T');
  assert.equal(feed.entries[0]!.summary, 'right');
});

test('the tree is read for a channel-level author, not for item authors alone', () => {
  assert.equal(needsRssTree('<rss><channel><author>A</author><item><title>T</title></item></channel></rss>'), true);
  assert.equal(needsRssTree('<rss><channel><item><author>a@example.org</author></item></channel></rss>'), false);
  assert.equal(needsRssTree('<rss><channel><author>A</author></channel></rss>'), true);
  assert.equal(needsRssTree('<rss><channel><title>T</title></channel></rss>'), false);
});
