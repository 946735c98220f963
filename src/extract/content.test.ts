import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePage } from './extract.ts';
import { extractMainContent } from './content.ts';

const method = Array.from({ length: 5 }, (_, i) => `<p>Step ${i + 1}: whisk the eggs with the sugar until pale, then fold in the flour in three additions so the batter stays light and airy for the oven.</p>`).join('');

test('an ingredient table in a sibling box of the method is part of the recipe', () => {
  const html = `<html><head><title>Sponge cake</title></head><body><nav><ul><li><a href="/">Home</a></li><li><a href="/r">Recipes</a></li></ul></nav>
    <main><div class="box ingredients"><h2>Ingredients</h2><table><tr><td>4</td><td>eggs</td></tr><tr><td>120 g</td><td>caster sugar</td></tr><tr><td>120 g</td><td>plain flour</td></tr></table></div>
    <div class="box"><h2>Method</h2><div class="steps">${method}</div></div>
    <div class="box"><ul><li><a href="/a">Lemon drizzle cake with a crunchy top</a></li><li><a href="/b">Chocolate brownies</a></li></ul></div></main></body></html>`;
  const content = extractMainContent(parsePage(html, 'https://bake.example/sponge'), { reparse: () => parsePage(html, 'https://bake.example/sponge') });
  assert.match(content.text, /whisk the eggs/);
  assert.match(content.text, /caster sugar/);
  assert.ok(content.text.indexOf('caster sugar') < content.text.indexOf('whisk the eggs'), 'document order is kept');
  assert.doesNotMatch(content.text, /Lemon drizzle|Chocolate brownies/, 'a list of links is not content');
  assert.doesNotMatch(content.text, /Recipes/);
});

test('the standfirst under the headline is put before the body; a site-logo <h1> is not the headline', () => {
  const body = Array.from({ length: 5 }, () => '<p>The council approved the new cycle lanes after a long debate, and work on the first section will begin in the spring once the contracts are signed.</p>').join('');
  const html = `<html><head><title>Cycle lanes approved</title></head><body><header><h1><a href="/">The Riverside Gazette</a></h1></header>
    <article><header><h1>Cycle lanes approved after long debate</h1><p class="article-lead">Councillors voted nine to four for a network of protected lanes through the town centre, ending a year of argument.</p></header>
    <div class="article-body">${body}</div></article></body></html>`;
  const content = extractMainContent(parsePage(html, 'https://gazette.example/lanes'), { reparse: () => parsePage(html, 'https://gazette.example/lanes') });
  assert.match(content.text, /^Councillors voted nine to four/);
  assert.match(content.text, /work on the first section/);
});

test('a lead that opens like the body is still put before it; a paragraph marked as the description is a lead, a subheading is not', () => {
  const sentence = 'The council approved the new cycle lanes after a long debate, and work on the first section will begin in the spring once the contracts are signed.';
  const body = `<p>Councillors voted nine to four for a network of protected lanes. ${sentence}</p>` + Array.from({ length: 4 }, () => `<p>${sentence}</p>`).join('');
  const page = (header: string) => `<html><head><title>Cycle lanes approved</title></head><body>
    <article><header><h1>Cycle lanes approved after long debate</h1>${header}</header><div class="article-body">${body}</div></article></body></html>`;
  const run = (html: string) => extractMainContent(parsePage(html, 'https://gazette.example/lanes'), { reparse: () => parsePage(html, 'https://gazette.example/lanes') }).text;
  assert.match(run(page('<p class="lead">Councillors voted nine to four for a network of protected lanes. The mayor called it a turning point for the town.</p>')), /^Councillors voted nine to four for a network of protected lanes\. The mayor/);
  assert.match(run(page('<p itemprop="description">The mayor called the vote a turning point for the town and promised the first lanes within a year.</p>')), /^The mayor called the vote/);
  assert.doesNotMatch(run(page('<h2 itemprop="description">The mayor called the vote a turning point for the town and promised the first lanes within a year.</h2>')), /The mayor called the vote/);
});
