import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFeed } from './parse.ts';

test('a CDF channel is read as a feed of items', () => {
  const feed = parseFeed(new TextEncoder().encode('<CHANNEL BASE="http://base.example.org/" HREF="http://www.example.org/" LASTMOD="2004-04-06T23:05:43-05:00"><TITLE>Channel</TITLE><ABSTRACT>About</ABSTRACT><ITEM HREF="/item/1" LASTMOD="2004-04-06T23:05:43-05:00"><TITLE>Item</TITLE><ABSTRACT>Item abstract</ABSTRACT></ITEM></CHANNEL>'), { url: 'https://example.org/c.cdf' });
  assert.equal(feed.version, 'cdf');
  assert.equal(feed.title, 'Channel');
  assert.equal(feed.link, 'http://www.example.org/');
  assert.equal(feed.description, 'About');
  assert.equal(feed.updated, '2004-04-07T04:05:43.000Z');
  assert.equal(feed.entries[0]!.link, 'http://base.example.org/item/1');
  assert.equal(feed.entries[0]!.summary, 'Item abstract');
});
