import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachToken, htmlTokenPattern, normalizeHtml, xmlTokenPattern } from './html-normalize.ts';
import { canonicalHtml, resolveHtmlUrls } from './parse.ts';

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

// HTML mode has a fast path for fragments already in canonical form (every tag lower-case, not
// void, with at most one double-quoted attribute, and every `&` starting a reference), which
// returns the fragment with only its URLs resolved. Each fragment here is also sent through the
// tokenizer by writing a non-canonical `<BR>` before it (it comes out `<br />`, and the tokenizer
// reads what follows as it would read the fragment alone); the two must agree. canonicalHtml, which
// resolves URLs while normalizing, must also agree with normalizing and then resolving.
test('the canonical-HTML fast path and URL resolution in the normalizing pass agree with the full pass', () => {
  const fragments = [
    '<p>x</p>',
    '<a href="rel">x</a>',
    '<p class="c">a &amp; b &copy; &#65; &#x41;</p><a href="../up?q=1#f">u</a> tail',
    '<a title="t">x</a>',
    '<a href="rel">',
    '<img src=a.png>',
    '<img src="a.png">',
    '<!-- <a href="rel"> -->',
    'a < b & c',
    'AT&T; Q&A',
    '&#X41;',
    '<br/>',
    '<br>',
    '</br>',
    '<P CLASS=x>',
    '<p class="a" id="b">x</p>',
    '<a href="x&amp;y">',
  ];
  const bases = ['https://example.org/blog/feed.xml', 'https://example.org', 'http://example.test/a/', 'https://example.org/a/b?c=/d#e'];
  const lead = '<BR>';
  for (const base of bases) {
    for (const html of fragments) {
      const fast = canonicalHtml(html, false, base);
      const full = canonicalHtml(lead + html, false, base);
      assert.ok(full.startsWith('<br />'), full);
      assert.equal(fast, full.slice('<br />'.length), `${html} against ${base}`);
      assert.equal(normalizeHtml(html), normalizeHtml(lead + html).slice('<br />'.length), html);
      assert.equal(fast, resolveHtmlUrls(normalizeHtml(html), base), `${html} against ${base}`);
    }
  }
});

// eachToken must find exactly what the global patterns find, only without their quadratic reading
// of hostile text; random fragments of the pieces that make the patterns read ahead check that.
test('the linear tokenizer finds what the token patterns find', () => {
  const pieces = ['<a', ' href=', '"', "'", '>', '<![CDATA[', ']]>', '<!--', '-->', '&amp;', '&', '&#X41;', '<?x', '</a', '<!x', ' ', 'b', '/', '=', '<A B=c>'];
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let n = 0; n < 3000; n++) {
    const fragment = Array.from({ length: 1 + Math.floor(random() * 14) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    for (const htmlMode of [true, false]) {
      const found: Array<[number, string]> = [];
      eachToken(fragment, htmlMode, (at, whole) => found.push([at, whole]));
      const expected = [...fragment.matchAll(htmlMode ? htmlTokenPattern : new RegExp(xmlTokenPattern.source, 'g'))].map((m): [number, string] => [m.index!, m[0]]);
      assert.deepEqual(found, expected, `${htmlMode ? 'HTML' : 'XML'} mode on ${JSON.stringify(fragment)}`);
    }
  }
});

test('hostile fragments come out escaped, not dropped', () => {
  const repeated = '<a href='.repeat(2000);
  assert.equal(normalizeHtml(repeated), '&lt;a href='.repeat(2000));
  assert.equal(normalizeHtml(`${'<![CDATA['.repeat(50)}>`), `${'&lt;![CDATA['.repeat(50)}>`);
  // An unclosed comment after the last `>` still hides the rest, as the pattern reads it.
  assert.equal(normalizeHtml('<b>x</b><!-- open <a href='), '<b>x</b>');
  // Deep XHTML: an end tag closes its element and those inside it, however deep the stack.
  assert.equal(normalizeHtml(`${'<i>'.repeat(3)}<b>x${'</q>'.repeat(2)}</i>`, true), '<i><i><i><b>x</q></q></i>');
  const manyAttributes = `<p ${Array.from({ length: 500 }, (_, i) => `a${i % 250}="${i}"`).join(' ')}>t</p>`;
  assert.equal((normalizeHtml(manyAttributes).match(/ a\d+="/g) ?? []).length, 250, 'a repeated attribute is written once');
});
