import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sanitizeHtml, filterStyle } from './sanitize.ts';

const base = 'https://news.example.com/2024/01/story.html';

test('dangerous markup is removed', () => {
  const cases: Array<[string, string]> = [
    ['<p>a<script>alert(1)</script>b</p>', '<p>ab</p>'],
    ['<p>a<style>p{color:red}</style>b</p>', '<p>ab</p>'],
    ['<img src="x.jpg" onerror="alert(1)">', '<img src="https://news.example.com/2024/01/x.jpg" />'],
    ['<a href="javascript:alert(1)">x</a>', '<a href="">x</a>'],
    ['<a href="JaVaScRiPt:alert(1)">x</a>', '<a href="">x</a>'],
    ['<a href="java&#x09;script:alert(1)">x</a>', '<a href="">x</a>'],
    ['<a href=" javascript:alert(1)">x</a>', '<a href="">x</a>'],
    ['<a href="vbscript:msgbox(1)">x</a>', '<a href="">x</a>'],
    ['<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', '<a href="">x</a>'],
    ['<img src="data:image/png;base64,iVBORw0KGgo=">', '<img />'],
    ['<img srcset="data:image/png;base64,AAA 1x, /b.jpg 2x">', '<img srcset="https://news.example.com/b.jpg 2x" />'],
    ['<iframe src="https://evil.example/"></iframe>ok', 'ok'],
    ['<object data="x.swf"><embed src="x.swf"></object>ok', 'ok'],
    ['<form action="https://evil.example/"><input name="password"></form>ok', 'ok'],
    ['<svg><script>alert(1)</script></svg>ok', 'ok'],
    ['<math><mi xlink:href="javascript:alert(1)">x</mi></math>ok', 'ok'],
    ['<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/">ok', 'ok'],
    ['<div style="background: url(javascript:alert(1))">x</div>', '<div>x</div>'],
    ['<div style="width: expression(alert(1))">x</div>', '<div>x</div>'],
    ['<div style="color: red; position: fixed; top: 0">x</div>', '<div style="color: red;">x</div>'],
    ['<p title="&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;">x</p>', '<p title="&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;">x</p>'],
    ['<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>ok', 'ok'],
    ['<video poster="javascript:alert(1)" src="v.mp4"></video>', '<video src="https://news.example.com/2024/01/v.mp4"></video>'],
    ['<div onclick="alert(1)" onmouseover="alert(2)">x</div>', '<div>x</div>'],
    ['<<script>script>alert(1)<</script>/script>', '&lt;/script&gt;'],
  ];
  for (const [input, expected] of cases) {
    assert.equal(sanitizeHtml(input, base), expected, input);
  }
});

test('no script, handler or unsafe scheme survives in any output', () => {
  const attacks = [
    '<IMG SRC=JaVaScRiPt:alert(1)>', '<IMG SRC=`javascript:alert(1)`>', '<BODY ONLOAD=alert(1)>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>', '<svg/onload=alert(1)>', '<details open ontoggle=alert(1)>',
    '<a href="\u0001javascript:alert(1)">x</a>', '<img src=x:alert(1) onerror=eval(src)>',
    '<a href="vbscript&colon;msgbox(1)">x</a>', '<link rel=import href=data:text/html,x>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
  ];
  for (const attack of attacks) {
    const out = sanitizeHtml(attack, base).toLowerCase();
    assert.doesNotMatch(out, /<script|\son\w+=|<svg|<link|<body/, attack);
    assert.doesNotMatch(out, /\s(?:href|src|srcset|background|poster|action|cite)="\s*(?:javascript|vbscript|data):/, attack);
  }
});

test('links get rel="nofollow noopener" and relative URLs become absolute', () => {
  assert.equal(sanitizeHtml('<a href="/about" rel="me">About</a>', base),
    '<a href="https://news.example.com/about" rel="nofollow noopener">About</a>');
  assert.equal(sanitizeHtml('<a href="../img.png">x</a>', base),
    '<a href="https://news.example.com/2024/img.png" rel="nofollow noopener">x</a>');
  assert.equal(sanitizeHtml('<a href="#note">x</a>', base), '<a href="#nd-note" rel="nofollow noopener">x</a>');
  assert.equal(sanitizeHtml('<h2 id="note">N</h2><a name="top"></a><img usemap="#m" /><map name="m"></map>'),
    '<h2 id="nd-note">N</h2><a name="nd-top"></a><img usemap="#nd-m" /><map name="nd-m"></map>');
  assert.equal(sanitizeHtml('<form id="config"></form><div id="nd-x"></div>'), '<div id="nd-x"></div>');
  assert.equal(sanitizeHtml('<a href="mailto:a@b.org">mail</a>', base),
    '<a href="mailto:a@b.org" rel="nofollow noopener">mail</a>');
  assert.equal(sanitizeHtml('<img src="/i.jpg" alt="">'), '<img src="/i.jpg" alt="" />');
});

test('ordinary article markup passes unchanged', () => {
  const html = '<h2>Sub</h2><p>Text with <em>em</em>, <strong>strong</strong> and <code>x &lt; y</code>.</p>'
    + '<figure><img src="https://cdn.example.com/a.jpg" width="640" height="360" alt="A" /><figcaption>Cap</figcaption></figure>'
    + '<blockquote cite="https://example.org/q">Quote</blockquote><ul><li>one</li></ul>'
    + '<table><thead><tr><th>h</th></tr></thead><tbody><tr><td colspan="2">d</td></tr></tbody></table>';
  assert.equal(sanitizeHtml(html, base), html);
});

test('filterStyle keeps presentational CSS in a stable form', () => {
  const cases: Array<[string, string]> = [
    ['color:red', 'color: red;'],
    ['border: 1px solid rgb(0, 0, 0)', 'border: 1px solid rgb(0, 0, 0);'],
    ['margin: 99999em', ''],
    ['background-repeat: repeat-x', ''],
    ['mso-list: l0 level1 lfo1', ''],
    ['font-family: \'Lucida Console\'', 'font-family: \'Lucida Console\';'],
    ['background: url(http://x/y.png); background-color: #000', 'background-color: #000;'],
  ];
  for (const [input, expected] of cases) assert.equal(filterStyle(input), expected, input);
});
