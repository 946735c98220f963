import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePage } from './extract.ts';
import { contentLanguageMeta, jsonLdScripts, pageElements, pageElementsByTag } from './page-index.ts';

const html = `<html><head><meta http-equiv="Content-Language" content="de-AT"><script type="Application/LD+JSON">{}</script>
  <script>var x;</script></head><body><h1>A</h1><template><h1>not rendered</h1></template><p>text</p><h1>B</h1></body></html>`;

test('the page index answers as the equivalent selector queries do', () => {
  const doc = parsePage(html, 'https://example.org/');
  assert.deepEqual(pageElements(doc), Array.from(doc.querySelectorAll('*')));
  assert.equal(pageElements(doc), pageElements(doc), 'read once per document');
  assert.deepEqual(pageElementsByTag(doc, 'h1'), Array.from(doc.querySelectorAll('h1')));
  assert.deepEqual(jsonLdScripts(doc), Array.from(doc.querySelectorAll('script[type="application/ld+json"]')));
  assert.equal(jsonLdScripts(doc).length, 1);
  assert.equal(contentLanguageMeta(doc), doc.querySelector('meta[http-equiv="content-language" i]'));
  assert.equal(contentLanguageMeta(doc)?.getAttribute('content'), 'de-AT');
});
