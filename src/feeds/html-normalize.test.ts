import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeHtml } from './html-normalize.ts';

test('HTML is re-written in one canonical form', () => {
  assert.equal(normalizeHtml('a<br/>b<BR>'), 'a<br />b<br />');
  assert.equal(normalizeHtml('<img src="x.jpg" alt="cat<br />dog">'), '<img alt="cat&lt;br /&gt;dog" src="x.jpg" />');
  assert.equal(normalizeHtml(`<a title='"t"'>t</a>`), '<a title="&quot;t&quot;">t</a>');
  assert.equal(normalizeHtml('<a href=http://example.com/">e</a>'), '<a href="http://example.com/&quot;">e</a>');
  assert.equal(normalizeHtml('Q&A &amp; &#X61; &copy;'), 'Q&amp;A &amp; &#x61; &copy;');
  assert.equal(normalizeHtml('plain text'), 'plain text');
  assert.equal(normalizeHtml('<!-- c --><p>x</p>'), '<!-- c --><p>x</p>');
});

test('inline XHTML references stand for their characters', () => {
  assert.equal(normalizeHtml('<b>&#38;</b><a title="&#x26;">&#x26;</a>', true), '<b>&amp;</b><a title="&amp;">&amp;</a>');
  assert.equal(normalizeHtml('History of the &lt;blink&gt; tag', true), 'History of the &lt;blink&gt; tag');
});

test('inline XHTML with foreign vocabularies is made self-contained', () => {
  assert.equal(
    normalizeHtml('<svg:svg version="1.1" baseProfile="full"><svg:a xlink:href="http://example.com/"><svg:circle r="5"/></svg:a></svg:svg>', true),
    '<svg baseProfile="full" version="1.1" xmlns="http://www.w3.org/2000/svg"><a xlink:href="http://example.com/" xmlns:xlink="http://www.w3.org/1999/xlink"><circle r="5"></circle></a></svg>',
  );
  assert.equal(normalizeHtml('<p>a<br/>b</p>', true), '<p>a<br />b</p>');
});

test('end tags of void elements and an unclosed comment disappear', () => {
  assert.equal(normalizeHtml('<br></br>'), '<br />');
  assert.equal(normalizeHtml('safe<!-- never closed <b>x</b>'), 'safe');
});
