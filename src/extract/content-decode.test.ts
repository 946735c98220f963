import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHtmlBytes, charsetFromContentType } from './content-decode.ts';

const latin1 = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0)));

test('a <meta charset> of a legacy charset is honoured', () => {
  const bytes = latin1('<html><head><meta charset="iso-8859-1"></head><body>Gr\u00fc\u00dfe aus K\u00f6ln</body></html>');
  assert.match(decodeHtmlBytes(bytes), /Grüße aus Köln/);
});

test('the Content-Type header wins over the page, a BOM over both', () => {
  const bytes = new TextEncoder().encode('<meta charset="windows-1251"><p>Ünïcödé</p>');
  assert.match(decodeHtmlBytes(bytes, 'text/html; charset=utf-8'), /Ünïcödé/);
  const withBom = Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]);
  assert.match(decodeHtmlBytes(withBom, 'text/html; charset=iso-8859-1'), /Ünïcödé/);
  assert.equal(charsetFromContentType('text/html; charset="Shift_JIS"'), 'shift_jis');
});

test('undeclared bytes are UTF-8 when valid, windows-1252 otherwise', () => {
  assert.match(decodeHtmlBytes(new TextEncoder().encode('<p>naïve café</p>')), /naïve café/);
  assert.match(decodeHtmlBytes(latin1('<p>na\u00efve caf\u00e9 \u0093quoted\u0094</p>')), /naïve café “quoted”/);
});

test('a page declared latin-1 but written in UTF-8 is read as UTF-8', () => {
  const bytes = new TextEncoder().encode('<meta charset="iso-8859-1"><p>Müller sagt Grüß Gott</p>');
  assert.match(decodeHtmlBytes(bytes), /Müller sagt Grüß Gott/);
});
