import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkWellFormed, closeTruncatedDocument } from './wellformed.ts';
import { buildTree, childNamed, childrenNamed } from './xmltree.ts';

// [document, expected problem (substring) or null when well-formed]
const cases: [string, string | null][] = [
  ['<rss><channel><title>ok &amp; fine</title></channel></rss>', null],
  ['<?xml version="1.0"?><!-- c --><a x="1" y=\'2\'><b/><![CDATA[<raw> & ]]></a>', null],
  ['<!DOCTYPE a [<!ENTITY me "x">]><a>&me;</a>', null],
  ['<a xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>x</dc:creator></a>', null],
  ['<a>&nbsp;</a>', 'undefined entity &nbsp;'],
  ['<a>A & B</a>', 'unescaped &'],
  ['<a><b></a>', 'does not match'],
  ['<a>', 'unclosed element <a>'],
  ['<a></a><b></b>', 'more than one root'],
  ['<a x="1" x="2"/>', 'duplicate attribute'],
  ['<a x="<"/>', '"<" in the value of attribute x'],
  ['<dc:creator>x</dc:creator>', 'undeclared namespace prefix dc:'],
  ['<a>\u0001</a>', 'illegal character'],
  ['<a><![CDATA[open</a>', 'unterminated CDATA'],
  ['', 'no root element'],
  ['<a>x</a>\n<!-- tail --> text', 'text outside the root element'],
  // tags outside the hand-read ASCII case go through the regex and read the same
  ['<a\u3000b="1"></a>', null],
  ['<é x="1"><ü/></é>', null],
  ['<a b="1"c="2"/>', 'malformed tag'],
  ['<a / >', 'malformed tag'],
  ['<a xmlns:p="u" xmlns:p="v"/>', 'duplicate attribute xmlns:p'],
  ['<a p:x="1"/>', 'undeclared namespace prefix p:'],
  ['<a x="&amp;" y="&bad;"/>', 'undefined entity &bad;'],
  ['<a>no ampersand here</a>', null],
  // the same attribute checks on tags the regex reads (a non-ASCII name), from the positions it records
  ['<é x="1" x="2"/>', 'duplicate attribute x'],
  ['<é x="a<b"/>', '"<" in the value of attribute x'],
  ['<é y="&amp;" x="&bad;"/>', 'undefined entity &bad;'],
  ["<é y='1' x='&#1;'/>", 'not a legal XML character'],
  ['<é p:x="1"/>', 'undeclared namespace prefix p:'],
  ['<p:é/>', 'undeclared namespace prefix p:'],
  ['<é xmlns:p="u" p:x="&lt;"><p:ü/></é>', null],
  // tags with many attributes (past the pairwise comparison, checked against a set of names)
  [`<a${Array.from({ length: 40 }, (_, i) => ` x${i}="1"`).join('')}/>`, null],
  [`<a${Array.from({ length: 40 }, (_, i) => ` x${i}="1"`).join('')} x7="2"/>`, 'duplicate attribute x7'],
  [`<a${Array.from({ length: 40 }, (_, i) => ` x${i}="1"`).join('')} y="a<b"/>`, '"<" in the value of attribute y'],
  [`<a${Array.from({ length: 40 }, (_, i) => ` xmlns:p${i}="u${i}"`).join('')} p39:x="1"><p0:b/></a>`, null],
  [`<a${Array.from({ length: 40 }, (_, i) => ` xmlns:p${i}="u${i}"`).join('')}><q:b/></a>`, 'undeclared namespace prefix q:'],
];

for (const [doc, problem] of cases) {
  test(`well-formedness: ${JSON.stringify(doc).slice(0, 60)}`, () => {
    const result = checkWellFormed(doc);
    assert.equal(result.wellFormed, problem === null, result.problem ?? '');
    if (problem) assert.ok(result.problem?.includes(problem), `${result.problem} should mention ${problem}`);
  });
}

test('problems carry the line they were found on', () => {
  assert.match(checkWellFormed('<a>\n<b>\n&bogus;</b></a>').problem ?? '', /line 3/);
});

test('closeTruncatedDocument closes what was left open and drops a partial tag', () => {
  assert.equal(closeTruncatedDocument('<rss><channel><item><title>A</title></it'), '<rss><channel><item><title>A</title></item></channel></rss>');
  assert.equal(closeTruncatedDocument('<a><b><![CDATA[x'), '<a><b><![CDATA[x]]></b></a>');
  assert.equal(checkWellFormed(closeTruncatedDocument('<rss><channel><title>T</title></rss')).wellFormed, true);
});

test('buildTree resolves namespaces, keeps inner markup and decodes text', () => {
  const root = buildTree('<feed xmlns="http://purl.org/atom/ns#" xmlns:x="urn:x"><title mode="xml"><div xmlns="http://www.w3.org/1999/xhtml">A <b>b</b></div></title><x:y>1 &amp; 2</x:y><entry/><entry/></feed>');
  assert.ok(root);
  assert.equal(root.ns, 'http://purl.org/atom/ns#');
  const title = childNamed(root, 'title', ['http://purl.org/atom/ns#']);
  assert.equal(title?.inner, '<div xmlns="http://www.w3.org/1999/xhtml">A <b>b</b></div>');
  assert.equal(childNamed(title, 'div')?.ns, 'http://www.w3.org/1999/xhtml');
  assert.equal(childNamed(root, 'y', ['urn:x'])?.text, '1 & 2');
  assert.equal(childrenNamed(root, 'entry').length, 2);
  assert.equal(buildTree('no markup at all'), null);
});
