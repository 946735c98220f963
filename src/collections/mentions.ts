// Mentions: a news article that names a company or a person links to it. An entity is recognized by
// its name, its aliases and its website's registrable domain:
// - names and aliases match as whole words in the title, excerpt or text. Proper nouns are written
//   with a capital, so a match must start with an upper-case letter or digit where the term does not
//   itself start lower-case (this keeps "ada" in "Canada" and "intel" in "intelligence" out: whole
//   words; and keeps "Scale" apart from "scale": the capital);
// - a domain matches the article's provider (NVIDIA's own blog) or the domain written in the text.
// The job reads articles in id order and remembers where it stopped, so each article is read once;
// `recomputeAllMentions` starts over after the collections change.
import type { Store } from '../store/index.ts';
import { CollectionStore } from '../store/collections.ts';
import type { Mention } from './types.ts';

const STATE_KEY = 'mentions.lastArticleId';

interface Term {
  entityId: number;
  kind: 'name' | 'alias' | 'domain';
  term: string;
  words: string[];
}

export interface MentionMatcher {
  match(article: { id: number; title: string; excerpt: string; text: string; providerDomain: string }): Mention[];
  readonly size: number;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’.&+-]*[\p{L}\p{N}+]|[\p{L}\p{N}]/gu;

function words(text: string): Array<{ word: string; lower: string }> {
  return [...text.matchAll(WORD)].map((m) => ({ word: m[0], lower: m[0].toLowerCase().replace(/[’']s$/, '') }));
}

/** Builds a matcher from the stored terms; one lookup per word position, however many entities. */
export function buildMatcher(terms: Array<{ entityId: number; termKind: 'name' | 'alias' | 'domain'; term: string }>): MentionMatcher {
  const byFirstWord = new Map<string, Term[]>();
  const byDomain = new Map<string, Term[]>();
  for (const t of terms) {
    const term: Term = { entityId: t.entityId, kind: t.termKind, term: t.term, words: words(t.term).map((w) => w.lower) };
    if (term.words.length === 0) continue;
    if (t.termKind === 'domain') {
      const list = byDomain.get(t.term) ?? [];
      list.push(term);
      byDomain.set(t.term, list);
    }
    const list = byFirstWord.get(term.words[0]!) ?? [];
    list.push(term);
    byFirstWord.set(term.words[0]!, list);
  }
  for (const list of byFirstWord.values()) list.sort((a, b) => b.words.length - a.words.length);

  const scan = (text: string, field: Mention['field'], found: Map<number, Mention>, articleId: number) => {
    const tokens = words(text);
    for (let i = 0; i < tokens.length; i++) {
      const candidates = byFirstWord.get(tokens[i]!.lower);
      if (!candidates) continue;
      for (const term of candidates) {
        if (found.has(term.entityId)) continue;
        if (i + term.words.length > tokens.length) continue;
        let ok = true;
        for (let k = 1; k < term.words.length && ok; k++) ok = tokens[i + k]!.lower === term.words[k];
        if (!ok) continue;
        const first = tokens[i]!.word;
        // A capitalized term needs a capitalized match; domains and lower-case brands match as written.
        if (term.kind !== 'domain' && !/^[\p{Lu}\p{N}]/u.test(first)) continue;
        found.set(term.entityId, { articleId, entityId: term.entityId, matched: term.term, field });
      }
    }
  };

  return {
    size: terms.length,
    match(article) {
      const found = new Map<number, Mention>();
      for (const term of byDomain.get(article.providerDomain.toLowerCase()) ?? []) {
        found.set(term.entityId, { articleId: article.id, entityId: term.entityId, matched: term.term, field: 'provider' });
      }
      scan(article.title, 'title', found, article.id);
      scan(article.excerpt, 'excerpt', found, article.id);
      scan(article.text, 'text', found, article.id);
      return [...found.values()];
    },
  };
}

/**
 * Computes mentions for the articles stored since the last run (all of them the first time).
 * Returns how many articles were read and how many mentions were stored.
 */
export async function computeMentions(store: Store, options: { batchSize?: number } = {}): Promise<{ articles: number; mentions: number }> {
  const collections = new CollectionStore(store);
  const matcher = buildMatcher(await collections.terms());
  let after = Number((await collections.getState(STATE_KEY)) ?? 0);
  let articles = 0;
  let mentions = 0;
  for (;;) {
    const batch = await collections.articlesAfter(after, options.batchSize ?? 500);
    if (batch.length === 0) break;
    for (const article of batch) {
      const found = matcher.size ? matcher.match(article) : [];
      await collections.replaceMentions(article.id, found);
      mentions += found.length;
      articles++;
    }
    after = batch[batch.length - 1]!.id;
    await collections.setState(STATE_KEY, String(after));
  }
  return { articles, mentions };
}

/** Forgets where the job stopped and reads every article again (after collections were imported or edited). */
export async function recomputeAllMentions(store: Store): Promise<{ articles: number; mentions: number }> {
  await new CollectionStore(store).setState(STATE_KEY, '0');
  return computeMentions(store);
}
