import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHTML } from 'linkedom';
import { isBoilerplateLine, cleanArticleElement, removeAuthorBoxesAndDialogs, removeBoilerplateElements } from './content-clean.ts';
import { findProse, proseContainer } from './content-density.ts';

const words = (text: string) => (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;
const furniture = (text: string, context = { title: null as string | null, byline: null as string | null }) => isBoilerplateLine(text, words(text), context);
const sentence = 'The committee will meet again in the spring to decide how the remaining money is spent across the region.';

test('caption, credit, date, byline and prompt lines are furniture; story sentences are not', () => {
  for (const line of ['Protesters gather outside the court (Image: GETTY)', 'FILE PHOTO: Traders on the floor. REUTERS/Brendan McDermid',
    'Published 4:00 am CST, Wednesday, November 20, 2019', 'By Paul Takahashi', 'READ MORE: Causeway opening delayed',
    'Image copyright Getty Images', '___', 'Copyright 2024 The Courier', 'To view the full story, please subscribe to The Times.']) {
    assert.ok(furniture(line), `not recognised: ${line}`);
  }
  for (const line of [sentence, 'It’s complicated.', 'Published in 1851, the novel sold fewer than four thousand copies in the author’s lifetime.']) {
    assert.ok(!furniture(line), `story line taken for furniture: ${line}`);
  }
  assert.ok(furniture('Harbour town votes to keep its ferry', { title: 'Harbour town votes to keep its ferry', byline: null }));
});

test('edge trimming keeps short closing sentences but drops the link lists after the story', () => {
  const { document } = parseHTML(`<html><body><div id="a">
    <ul><li><a href="/1">Home</a></li><li><a href="/2">World</a></li></ul>
    <p>${sentence} ${sentence}</p><p>${sentence}</p>
    <p>“I have not talked to the trainers at all,” the coach said.</p>
    <h3>More stories</h3><ul><li><a href="/x">Storm cancels crossings for a week</a></li><li><a href="/y">Budget: what changes</a></li></ul>
  </div></body></html>`);
  const article = document.getElementById('a') as unknown as Element;
  cleanArticleElement(article, { title: null, byline: null });
  const text = article.textContent ?? '';
  assert.match(text, /the coach said/);
  assert.doesNotMatch(text, /More stories|Storm cancels|Home/);
});

test('the pre-pass removes share, newsletter and related boxes but never the story wrapper', () => {
  const { document } = parseHTML(`<html><body>
    <div class="post-wrap has-sidebar-right"><h1>Title</h1><p>${sentence}</p><p>${sentence}</p><p>${sentence}</p></div>
    <div class="share-tools"><a href="#">Share</a></div>
    <div class="newsletter-box"><p>Sign up for our newsletter and get the best stories every morning.</p></div>
  </body></html>`);
  removeBoilerplateElements(document as unknown as Document);
  const body = document.body.textContent ?? '';
  assert.match(body, /committee will meet/);
  assert.doesNotMatch(body, /Sign up|Share/);
});

test('prose is placed by its sibling paragraphs, not by a page of one-paragraph teasers', () => {
  const teaser = (i: number) => `<div class="teaser"><p>Teaser ${i}: ${sentence} ${sentence}</p></div>`;
  const { document } = parseHTML(`<html><body>
    <div id="story"><p>${sentence}</p><p>${sentence} Again.</p><p>${sentence} Once more.</p></div>
    ${[1, 2, 3, 4, 5, 6].map(teaser).join('')}
  </body></html>`);
  const found = proseContainer(findProse(document.body as unknown as Element));
  assert.equal(found?.element.getAttribute('id'), 'story');
});

test('an about-the-author box is removed before extraction; the short byline element stays', () => {
  const story = `<p>${sentence} ${sentence}</p>`.repeat(4);
  const { document } = parseHTML(`<html><body><article><h1>Budget vote</h1><div class="post-byline"><a rel="author" href="/author/jane">Jane Doe</a></div>${story}
    <section class="author-bio"><img src="/jane.jpg"><div class="author-bio-description"><p>Jane Doe covers regional politics and public budgets for the paper; before that she reported on courts for ten years.</p><a href="/author/jane">All articles by Jane Doe</a></div></section></article></body></html>`);
  removeBoilerplateElements(document as unknown as Document);
  const text = document.body.textContent ?? '';
  assert.ok(!text.includes('covers regional politics'), 'the bio box is gone');
  assert.ok(text.includes('Jane Doe'), 'the byline stays');
  assert.ok(text.includes('The committee will meet again'), 'the story stays');
});

test('recommendation, rating and log-in prompts in German, Spanish, Portuguese and English are furniture', () => {
  for (const line of ['Das könnte Sie auch interessieren!', 'Weitere Beiträge aus der Kolumne:', 'War der Artikel nützlich?', 'Sie sind aktuell nicht eingeloggt.',
    'Veja Também:', 'Valora esta noticia', 'You may also like', 'Keine Kommentare', 'Das Thema könnte dich auch interessieren:',
    'This entry was posted in Podcast and tagged live. Bookmark the permalink.', 'Quellen ausblenden', 'Show more', 'Ver más']) {
    assert.ok(furniture(line), `not recognised: ${line}`);
  }
  assert.ok(!furniture('Weitere Tests folgen im Frühjahr, wenn die Anlage wieder in Betrieb geht und die Messwerte vorliegen.'));
});

test('a heading that repeats the title is kept as the story heading; a plain line that repeats it is dropped', () => {
  const title = 'Harbour town votes to keep its ferry';
  const { document } = parseHTML(`<html><body><div id="a">
    <h2>${title}</h2><p>${sentence} ${sentence}</p><p>${title}</p><p>${sentence}</p>
  </div></body></html>`);
  const article = document.getElementById('a') as unknown as Element;
  cleanArticleElement(article, { title, byline: null });
  assert.equal(article.querySelectorAll('h2').length, 1);
  assert.equal(article.querySelectorAll('p').length, 2);
});

test('picture credits, source notes and log-in-to-comment notices are furniture; story sentences about photos are not', () => {
  for (const line of ['Photograph by Jane Doe', 'Augusta National/Getty Images', 'Abbildung: Vergleich der Schneehöhen im Januar', 'Roman Prymula, photo: Ondřej Tomšů',
    'Bild: Jahr Media', 'Quelle: Landesregierung', 'Quellenangaben:', 'Sie müssen sich einloggen, um sich an einer Diskussion beteiligen zu können.',
    'You must be logged in to post a comment.']) {
    assert.ok(furniture(line), `not recognised: ${line}`);
  }
  for (const line of ['The photographer spent three winters on the island before the goats were removed.', 'Die Quelle des Flusses liegt in den Alpen, rund 2000 Meter über dem Meer.']) {
    assert.ok(!furniture(line), `story line taken for furniture: ${line}`);
  }
});

test('tables of contents, post metadata and boxes whose names split a word ("news-letter") are removed before extraction', () => {
  const story = `<p>${sentence} ${sentence}</p>`.repeat(4);
  const { document } = parseHTML(`<html><body><article><h1>Budget vote</h1>
    <div id="ez-toc-container"><p class="ez-toc-title">Inhaltsverzeichnis</p><ul><li><a href="#a">Erstens</a></li></ul></div>${story}
    <div class="news-letter-section"><p>Sign up and we send you the best stories every morning, free.</p></div>
    <div class="postmetadata">Filed on Tuesday in Politics</div></article></body></html>`);
  removeBoilerplateElements(document as unknown as Document);
  const text = document.body.textContent ?? '';
  assert.ok(text.includes('The committee will meet again'));
  for (const gone of ['Inhaltsverzeichnis', 'best stories every morning', 'Filed on Tuesday']) assert.ok(!text.includes(gone), `kept: ${gone}`);
});

test('closing calls to action (subscribe, join our channel) are dropped; a closing story paragraph about subscribers is not', () => {
  const { document } = parseHTML(`<html><body><div id="a">
    <p>${sentence} ${sentence}</p><p>${sentence}</p>
    <p>The streaming service lost two million subscribers in the quarter, and its chief executive said prices would rise again in the spring.</p>
    <p>When you join our reader family, you get unlimited access to every story, every report and the archive of twenty years.</p>
    <p>¿Ya sabías que tenemos canal de Telegram? Únete desde tu celular en este enlace de invitación.</p>
  </div></body></html>`);
  const article = document.getElementById('a') as unknown as Element;
  cleanArticleElement(article, { title: null, byline: null });
  const text = article.textContent ?? '';
  assert.match(text, /lost two million subscribers/);
  assert.doesNotMatch(text, /reader family|Telegram/);
});

test('the pre-pass drops a dialog whatever it holds: bare, by role or aria-modal, even a whole second article', () => {
  const story = Array.from({ length: 8 }, () => `<p>${sentence}</p>`).join('');
  // Longer than any other boilerplate may be, so only the dialog rule can remove it.
  const opened = `<p>${'A second article opened on click, with paragraphs of its own about another event entirely. '.repeat(12)}</p>`;
  for (const dialog of [`<dialog>${opened}</dialog>`, `<div role="dialog">${opened}</div>`, `<div aria-modal="true">${opened}</div>`]) {
    const { document } = parseHTML(`<html><body><article>${story}</article>${dialog}</body></html>`);
    removeBoilerplateElements(document as unknown as Document);
    const text = document.body.textContent ?? '';
    assert.match(text, /committee will meet/);
    assert.doesNotMatch(text, /second article opened/, dialog.slice(0, 30));
  }
});

test('the second reading drops every dialog first, so a bio box is judged without the pop-up inside it', () => {
  const story = Array.from({ length: 8 }, () => `<p>${sentence}</p>`).join('');
  const popUp = `<div role="dialog"><p>${'Sign up for the morning briefing and get the day in five minutes. '.repeat(12)}</p></div>`;
  const bio = `<p>${'Jane Doe covers regional politics and public budgets for the paper. '.repeat(12)}</p>`;
  // The bio alone is within a bio's length; with the pop-up still inside it is too long to be one.
  const { document } = parseHTML(`<html><body><div class="story-body">${story}</div><div class="author-bio">${bio}${popUp}</div></body></html>`);
  removeAuthorBoxesAndDialogs(document as unknown as Document);
  const text = document.body.textContent ?? '';
  assert.doesNotMatch(text, /morning briefing/, 'the dialog is gone');
  assert.doesNotMatch(text, /covers regional politics/, 'the bio box is gone');
  assert.match(text, /committee will meet/, 'the story stays');
});
