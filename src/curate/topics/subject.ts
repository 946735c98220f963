// The subject rule of company topics (IBM AI, AWS AI, Google AI, ...): such a topic applies when one of
// its `subject` names (taxonomy file) is what the item is about, which a news item states in its title
// or in the excerpt's first sentence. A name further down the excerpt or in the text is a passing
// mention ("... companies such as IBM and Google") and does not count. Names match as written (they
// are proper nouns: "Meta" the company, not "meta" the prefix), in capitals too, with a possessive,
// not inside a hyphenated compound.
import type { ClassifierInput, Taxonomy, TopicDef } from '../types.ts';
import { escapeRegExp } from './keywords.ts';

/** Abbreviations whose period does not end a sentence ("U.S. study", "Amazon.com Inc. said"). */
const abbreviations = new Set([
  'inc', 'corp', 'co', 'ltd', 'llc', 'plc', 'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'jr', 'sr', 'vs', 'no', 'gov', 'sen', 'rep',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'e.g', 'i.e', 'etc', 'approx', 'est',
]);

/**
 * The first sentence of a text: up to the first `.`, `!` or `?` followed by a space and a capital,
 * digit or quote, or the end. A period after an abbreviation, an initial ("U.S.") or inside a name
 * ("Amazon.com") does not end it; an ellipsis ("...") marks left-out words in a snippet, not an end.
 */
export function firstSentence(text: string, maxChars = 300): string {
  const trimmed = text.trim();
  const end = /[.!?…]+["”’)]?(?=\s+["“‘(]?[\p{Lu}\p{N}])/gu;
  for (const match of trimmed.matchAll(end)) {
    const at = match.index!;
    const mark = match[0].replace(/["”’)]$/, '');
    if (mark.startsWith('..') || mark.includes('…')) continue;
    if (mark === '.') {
      const word = /([\p{L}.]+)$/u.exec(trimmed.slice(0, at))?.[1] ?? '';
      if (abbreviations.has(word.toLowerCase()) || /^(?:\p{L}\.)*\p{L}$/u.test(word)) continue;
    }
    return trimmed.slice(0, Math.min(at + match[0].length, maxChars));
  }
  return trimmed.slice(0, maxChars);
}

/** Where an item states its subject: the title, and the excerpt's first sentence (the text's without an excerpt). */
export function subjectPlaces(input: ClassifierInput): Array<{ place: 'title' | 'first sentence'; text: string }> {
  const lead = input.excerpt.trim() ? input.excerpt : input.text;
  return [
    { place: 'title', text: input.title },
    { place: 'first sentence', text: firstSentence(lead) },
  ];
}

export function subjectPattern(names: readonly string[]): RegExp | null {
  const forms = [...new Set(names.flatMap((n) => [n.trim(), n.trim().toUpperCase()]).filter((n) => n.length > 0))];
  if (forms.length === 0) return null;
  const alternatives = forms.map((n) => n.split(/\s+/).map(escapeRegExp).join('\\s+'));
  // "Google-backed", "Meta-analysis": a hyphenated compound names something else.
  return new RegExp(`(?<![\\p{L}\\p{N}-])(?:${alternatives.join('|')})(?:['’]s)?(?![\\p{L}\\p{N}]|-\\p{L})`, 'u');
}

export interface SubjectMatch {
  topic: string;
  /** The name as it occurs. */
  name: string;
  place: 'title' | 'first sentence';
}

export interface SubjectRule {
  /** Topics the rule decides (those with subject names), in taxonomy order. */
  topics: TopicDef[];
  /** One match per topic whose name is the subject, at its first place. */
  matches(input: ClassifierInput): SubjectMatch[];
}

export function subjectRule(taxonomy: Taxonomy): SubjectRule {
  const rules = taxonomy.topics
    .map((topic) => ({ topic, pattern: subjectPattern(topic.subject ?? []) }))
    .filter((r): r is { topic: TopicDef; pattern: RegExp } => r.pattern !== null);
  return {
    topics: rules.map((r) => r.topic),
    matches(input) {
      const places = subjectPlaces(input);
      const found: SubjectMatch[] = [];
      for (const { topic, pattern } of rules) {
        for (const { place, text } of places) {
          const m = pattern.exec(text);
          if (m) {
            found.push({ topic: topic.name, name: m[0], place });
            break;
          }
        }
      }
      return found;
    },
  };
}
