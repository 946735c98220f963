// Hostile page shapes are bounded before the readers walk them; real pages are left as they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { limitNesting, MAX_PARSE_DEPTH } from './nesting.ts';
import { MAX_ATTRIBUTES, MAX_DEPTH, MAX_ELEMENTS, MAX_MARKUP, PRUNE_ABOVE } from './page-budget.ts';
import { extractArticle, parsePage } from './extract.ts';
import { isNewsdeskError } from '../errors.ts';

const depthOf = (doc: Document): number => {
  let max = 0;
  const stack: Array<[Element, number]> = [[doc.documentElement, 1]];
  while (stack.length) {
    const [el, d] = stack.pop()!;
    max = Math.max(max, d);
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) stack.push([c, d + 1]);
  }
  return max;
};

test('limitNesting leaves ordinary markup as it is and drops only start tags past the depth', () => {
  const page = '<html><body><div><p>One<p>Two<ul><li>a<li>b</ul><script>"<div><div>"</script><img src=x><br></div></body></html>';
  assert.equal(limitNesting(page), page);
  assert.equal(limitNesting('<b><i><u>x</u></i></b>', 2), '<b><i>x</u></i></b>');
  // Tags a start tag closes, void elements and raw text do not count as nesting.
  assert.equal(limitNesting('<li>'.repeat(50), 3), '<li>'.repeat(50));
  assert.equal(limitNesting(`<div>${'<br>'.repeat(10)}<script>${'<div>'.repeat(10)}</script></div>`, 2), `<div>${'<br>'.repeat(10)}<script>${'<div>'.repeat(10)}</script></div>`);
  const deep = '<span>'.repeat(MAX_PARSE_DEPTH + 500) + 'text';
  assert.equal((limitNesting(deep).match(/<span>/g) ?? []).length, MAX_PARSE_DEPTH);
  assert.ok(limitNesting(deep).endsWith('text'));
});

test('a page nested 20,000 deep is read, flattened past the depth bound, with its text', () => {
  const html = `<html><head><title>Deep</title></head><body>${'<div>'.repeat(20_000)}<p>${'The words at the bottom of a very deep page. '.repeat(20)}</p>${'</div>'.repeat(20_000)}</body></html>`;
  assert.ok(depthOf(parsePage(html, 'https://example.com/deep')) <= MAX_DEPTH + 1);
  const article = extractArticle(html, 'https://example.com/deep');
  assert.match(article.text, /The words at the bottom of a very deep page/);
  const unclosed = extractArticle(`<html><body>${'<span>'.repeat(100_000)}${'Text inside unclosed spans. '.repeat(30)}</body></html>`, 'https://example.com/spans');
  assert.match(unclosed.text, /Text inside unclosed spans/);
});

test('a run of stray "<" becomes one text node, and a page past the budgets is refused with a coded error', () => {
  const doc = parsePage(`<html><body><p>${'<'.repeat(5000)}</p></body></html>`, 'https://example.com/lt');
  const p = doc.querySelector('p')!;
  assert.ok(p.childNodes.length < 10, `${p.childNodes.length} text nodes`);
  assert.equal(p.textContent, '<'.repeat(5000));
  for (const html of [`<body>${'<div><p>a</p></div>'.repeat(MAX_ELEMENTS / 2 + 1)}</body>`, `<body>${'<'.repeat(MAX_MARKUP + 1)}</body>`, `<body>${'&amp;'.repeat(300_000)}</body>`, `<body>${'<p>Plain words of a long text. </p>'.repeat(80_000)}</body>`]) {
    assert.throws(() => extractArticle(html, 'https://example.com/big'), (err: unknown) => isNewsdeskError(err, 'ND_EXTRACT_FAILED'));
  }
});

test('a page past PRUNE_ABOVE elements loses its empty ones and keeps what shows', () => {
  const doc = parsePage(`<html><body>${'<p></p><span><b></b></span>'.repeat(PRUNE_ABOVE)}<p>Kept words</p><img src="/kept.png"></body></html>`, 'https://example.com/empty');
  assert.equal(doc.querySelectorAll('p').length, 1);
  assert.equal(doc.querySelectorAll('span, b').length, 0);
  assert.equal(doc.querySelectorAll('img').length, 1);
  assert.match(doc.body.textContent ?? '', /Kept words/);
  const small = parsePage('<html><body><p></p><div class="clear"></div><p>x</p></body></html>', 'https://example.com/small');
  assert.equal(small.querySelectorAll('p, div').length, 3, 'an ordinary page keeps its empty elements');
});

test('broken document tags the fuzz suite found: the text is read, not a TypeError', () => {
  const words = 'The page you are looking for may have been moved, deleted or possibly never existed. '.repeat(6);
  const cases = [
    `<!doctype html><html lang="en"><head><title>Broken body</title></head><body<\n<main><h1>Heading</h1><p>${words}</p></main></body></html>`,
    `<!doctype html><html><head><title>Content in head</title><.head.\n<article><p>${words}</p></article><body><nav><a href="/">Home</a></nav></body></html>`,
  ];
  for (const html of cases) {
    const article = extractArticle(html, 'https://example.com/broken');
    assert.match(article.text, /may have been moved/, html.slice(0, 80));
  }
  // An <html> tag whose quote never closes holds the whole page in an attribute, as a browser reads
  // it too: nothing to show, and no error.
  const open = extractArticle(`<!doctype html><html lang="en\u00a2>\n<head><title>Open quote</title></head><body><p>${words}</p></body></html>`, 'https://example.com/open');
  assert.equal(typeof open.text, 'string');
});

test('an element keeps at most MAX_ATTRIBUTES attributes, the first ones', () => {
  const attributes = Array.from({ length: 5000 }, (_, k) => `data-a${k}="${k}"`).join(' ');
  const doc = parsePage(`<html><body><mai<p ${attributes}>Words</p><p id="plain" class="x">Plain</p></body></html>`, 'https://example.com/attrs');
  const crowded = Array.from(doc.querySelectorAll('*')).find((el) => el.hasAttribute('data-a0'))!;
  assert.equal(crowded.attributes.length, MAX_ATTRIBUTES);
  assert.equal(crowded.getAttribute(`data-a${MAX_ATTRIBUTES - 1}`), String(MAX_ATTRIBUTES - 1));
  assert.equal(doc.querySelector('#plain')?.getAttribute('class'), 'x');
});
