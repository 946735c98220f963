import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePage } from './extract.ts';
import { extractMainContent } from './content.ts';
import { contentLanguageMeta, jsonLdScripts, pageElements, pageElementsByTag } from './page-index.ts';

const html = `<html><head><meta http-equiv="Content-Language" content="de-AT"><script type="Application/LD+JSON">{}</script>
  <script>var x;</script></head><body><h1>A</h1><template><h1>not rendered</h1></template><p>text</p><h1>B</h1></body></html>`;

test('the page index answers as the equivalent selector queries do', () => {
  const doc = parsePage(html, 'https://example.org/');
  assert.deepEqual([...pageElements(doc)], Array.from(doc.querySelectorAll('*')));
  assert.equal(pageElements(doc), pageElements(doc), 'read once per document');
  assert.deepEqual([...pageElementsByTag(doc, 'h1')], Array.from(doc.querySelectorAll('h1')));
  assert.deepEqual(jsonLdScripts(doc), Array.from(doc.querySelectorAll('script[type="application/ld+json"]')));
  assert.equal(jsonLdScripts(doc).length, 1);
  assert.equal(contentLanguageMeta(doc), doc.querySelector('meta[http-equiv="content-language" i]'));
  assert.equal(contentLanguageMeta(doc)?.getAttribute('content'), 'de-AT');
});

test('parsePage leaves the index equal to a fresh listing: <base> added, stray document tags unwrapped, head and body created', () => {
  const pages = [
    html,
    '<html><head><base href="/x/"><title>T</title></head><body><p>a</p></body></html>',
    '<html><head><title>T</title></head><body><div><html><head><meta name="a" content="b"></head><body><p>inner</p></body></html></div></body></html>',
    '<p>a fragment without html, head or body</p>',
    '<html><p>no head or body</p></html>',
  ];
  for (const page of pages) {
    const doc = parsePage(page, 'https://example.org/a/');
    assert.deepEqual([...pageElements(doc)], Array.from(doc.querySelectorAll('*')), page);
    assert.equal(doc.querySelector('base')?.getAttribute('href')?.startsWith('https://example.org/'), true);
  }
});

test('main-content extraction drops the list: a reader afterwards sees the page as it is then', () => {
  const doc = parsePage(`<html><head><title>T</title></head><body><article><h1>Story</h1>${'<p>The committee will meet again next week to settle the budget for the coming year and its reserves.</p>'.repeat(8)}</article><div class="share-box"><h1>Share</h1></div></body></html>`, 'https://example.org/');
  assert.equal(pageElementsByTag(doc, 'h1').length, 2);
  extractMainContent(doc);
  assert.deepEqual([...pageElements(doc)], Array.from(doc.querySelectorAll('*')));
});
