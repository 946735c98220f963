// The reference system's classifier: a topic applies when one of its keywords occurs in the article as
// a whole word, case-insensitively. The root topic always applies. Naive by design (SPEC.md's
// facial-recognition article comes out as NLP); kept for compatibility and as a feature of the learned model.
import type { ClassifierInput, Taxonomy, TopicClassifier, TopicDef } from '../types.ts';
import { allTopics } from './taxonomy.ts';

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface KeywordPatternOptions {
  /**
   * Also match plurals and possessives (`robots`, `GPUs`, `Tesla's`) and a hyphen or space between
   * words (`self-driving`). Off for the reference-compatible classifier; the learned model uses it.
   */
  inflections?: boolean;
}

/** One regex per topic matching any of its keywords as a whole word (letters/digits do not continue it). */
export function keywordPattern(keywords: readonly string[], options: KeywordPatternOptions = {}): RegExp | null {
  const alternatives = keywords
    .map((k) => k.trim())
    .filter((k) => k.length > 0)
    .map((k) => (options.inflections ? k.split(/[\s-]+/).map(escapeRegExp).join('[\\s-]') : escapeRegExp(k)));
  if (alternatives.length === 0) return null;
  const suffix = options.inflections ? "(?:e?s|['’]s)?" : '';
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})${suffix}(?![\\p{L}\\p{N}])`, 'iu');
}

export function classifierText(input: ClassifierInput): string {
  return [input.title, input.excerpt, input.text].filter((part) => part && part.length > 0).join('\n');
}

export interface KeywordMatcher {
  topic: TopicDef;
  pattern: RegExp | null;
}

export function keywordMatchers(taxonomy: Taxonomy, options: KeywordPatternOptions = {}): KeywordMatcher[] {
  return taxonomy.topics.map((topic) => ({ topic, pattern: keywordPattern(topic.keywords, options) }));
}

export function createKeywordClassifier(taxonomy: Taxonomy): TopicClassifier {
  const matchers = keywordMatchers(taxonomy);
  const rootName = taxonomy.root.name;
  return {
    name: 'keywords',
    classify(input: ClassifierInput): string[] {
      const text = classifierText(input);
      const names = [rootName];
      for (const { topic, pattern } of matchers) if (pattern?.test(text)) names.push(topic.name);
      return names;
    },
  };
}

/** Topic names in taxonomy order, root first; unknown names are dropped. */
export function inTaxonomyOrder(taxonomy: Taxonomy, names: Iterable<string>): string[] {
  const wanted = new Set(names);
  return allTopics(taxonomy).filter((t) => wanted.has(t.name)).map((t) => t.name);
}
