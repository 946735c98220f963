import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePage } from './extract.ts';
import { descendantsByTag, firstByTag, closestByTag, tagSet } from './dom-walk.ts';

const html = `<html><body><div id="outer"><p id="a">one <b>two</b></p><section><P id="b">three</P><ul><li><p id="c">four</p></li></ul></section>
  <template><p id="hidden">in a template</p></template></div><p id="d">five</p></body></html>`;

test('tag walks agree with querySelectorAll: document order, root excluded, templates skipped', () => {
  const document = parsePage(html, 'https://example.org/');
  const body = document.body;
  for (const [selector, tags] of [['p', tagSet('p')], ['p, li', tagSet('p', 'li')], ['section, b, template', tagSet('section', 'b', 'template')]] as const) {
    assert.deepEqual(descendantsByTag(body, tags), Array.from(body.querySelectorAll(selector)), selector);
  }
  const outer = document.querySelector('#outer')!;
  assert.deepEqual(descendantsByTag(outer, tagSet('div')), []);
  assert.equal(firstByTag(outer, tagSet('li', 'p'))?.id, 'a');
  assert.equal(firstByTag(outer, tagSet('h1')), null);
  const deepest = document.querySelector('#c')!;
  assert.equal(closestByTag(deepest, tagSet('ul', 'section'))?.tagName, 'UL');
  assert.equal(closestByTag(deepest, tagSet('p')), deepest);
});
