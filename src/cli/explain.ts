// `newsdesk explain <article-id|url|path>`: why an article scored what it did: the quality parts with
// their points and reasons, its topics (with why the classifier gives each: the learned model's
// probability, or the subject rule of company topics), heat, publication, its story's regroupings and
// the history of its scores.
import type { Command } from 'commander';
import { openStore, type HistoryEntry, type StoredArticle, type StoryRow, type Store } from '../store/index.ts';
import { newsdeskError } from '../errors.ts';
import { createTopicClassifier } from '../curate/topics/index.ts';
import type { TopicReason } from '../curate/topics/learned.ts';
import { loadTaxonomy } from '../curate/topics/taxonomy.ts';
import type { ClassifierInput, TopicClassifier } from '../curate/types.ts';
import { configFrom } from './context.ts';
import { storyEvents, type StoryEvent } from '../store/stories.ts';

export interface Explanation {
  article: Pick<StoredArticle, 'id' | 'title' | 'webUrl' | 'provider' | 'topics' | 'quality' | 'qualityParts' | 'heat' | 'published' | 'storyId'>;
  story?: (StoryRow & { members?: number }) | null;
  history?: HistoryEntry[];
  /** What happened to the article's story: regroupings by the consolidation pass and editors' decisions. */
  storyHistory?: StoryEvent[];
  /** Why the topic classifier gives each topic to the article now (the learned classifier says). */
  topicReasons?: TopicReason[];
}

/** A classifier that can say why it gives each topic (the learned one). */
export interface ExplainingClassifier extends TopicClassifier {
  explain(input: ClassifierInput): { topics: string[]; reasons: TopicReason[] };
}

function explains(classifier: TopicClassifier): classifier is ExplainingClassifier {
  return typeof (classifier as Partial<ExplainingClassifier>).explain === 'function';
}

function describeReason(reason: TopicReason): string {
  switch (reason.by) {
    case 'model':
      return `learned model, probability ${reason.probability.toFixed(2)} (threshold ${reason.threshold.toFixed(2)})`;
    case 'subject':
      return `subject rule: "${reason.name}" in the ${reason.place === 'title' ? 'title' : "excerpt's first sentence"}`;
    case 'child':
      return `implied by its child topic ${reason.child}`;
  }
}

/** One line per stored topic with the classifier's reason, and the topics it would give that the article lacks. */
function topicReasonLines(stored: string[], reasons: TopicReason[]): string[] {
  const width = Math.max(0, ...stored.map((t) => t.length), ...reasons.map((r) => r.topic.length));
  const lines: string[] = [];
  for (const topic of stored) {
    const reason = reasons.find((r) => r.topic === topic);
    if (reason) lines.push(`    ${topic.padEnd(width)}  ${describeReason(reason)}`);
  }
  const unexplained = stored.slice(1).filter((t) => !reasons.some((r) => r.topic === t));
  if (unexplained.length) lines.push(`    not given by the classifier now (an editor's or an earlier model's): ${unexplained.join('; ')}`);
  const missing = reasons.filter((r) => !stored.includes(r.topic));
  for (const reason of missing) lines.push(`    the classifier would now add ${reason.topic}: ${describeReason(reason)}`);
  return lines;
}

const signed = (points: number) => (points > 0 ? `+${points}` : String(points));

/** Plain text, one fact a line, the quality parts as a sum that adds up to the stored quality. */
export function formatExplanation({ article, story, history, storyHistory, topicReasons }: Explanation): string {
  const lines: string[] = [];
  lines.push(`article ${article.id}: ${article.title}`);
  lines.push(`  ${article.webUrl}`);
  lines.push(`  provider: ${article.provider.name} (${article.provider.domain})`);
  lines.push(`  topics: ${article.topics.length ? article.topics.join('; ') : '(none)'}`);
  if (topicReasons) lines.push(...topicReasonLines(article.topics, topicReasons));
  if (article.quality === null) {
    lines.push('quality: not scored yet');
  } else {
    lines.push(`quality: ${article.quality}`);
    const width = Math.max(4, ...article.qualityParts.map((p) => p.name.length));
    for (const part of article.qualityParts) {
      lines.push(`  ${signed(part.points).padStart(5)}  ${part.name.padEnd(width)}  ${part.reason}`);
    }
    const sum = article.qualityParts.reduce((s, p) => s + p.points, 0);
    if (article.qualityParts.length && sum !== article.quality) lines.push(`  (the parts add up to ${sum}; the stored quality was set differently)`);
  }
  const heat = article.heat === null ? 'not computed' : String(article.heat);
  const published = article.published === null ? 'not decided' : article.published ? 'yes' : 'no';
  lines.push(`heat: ${heat}   published: ${published}`);
  if (story) {
    const role = story.leadArticleId === article.id ? 'lead' : 'member';
    const override = story.override ? `, editor ${story.override === 'pin' ? 'pinned' : 'blocked'} it` : '';
    lines.push(`story ${story.id}: ${role} of ${story.memberCount} article${story.memberCount === 1 ? '' : 's'}, story heat ${story.heat ?? 'none'}${override}`);
    for (const e of storyHistory ?? []) {
      const mine = e.articleIds.includes(article.id) ? ' (this article)' : '';
      lines.push(`  ${e.at}  ${e.kind}: ${e.detail}${mine}, by ${e.actor ? `editor ${e.actor}` : 'consolidation'}`);
    }
  }
  if (history && history.length) {
    lines.push('history:');
    for (const h of history) lines.push(`  ${h.at}  ${h.field}: ${h.oldValue ?? 'null'} -> ${h.newValue ?? 'null'}  (${h.reason})`);
  }
  return `${lines.join('\n')}\n`;
}

/** Finds an article by numeric id, URL (canonical or as found) or export path (`_news/<file>.md`). */
export async function findArticle(store: Store, key: string): Promise<StoredArticle | null> {
  if (/^\d+$/.test(key)) return store.getArticle(Number(key));
  if (/^https?:\/\//i.test(key)) return store.getArticleByUrl(key);
  const pathKey = key.replace(/^_news\//, '').replace(/\.md$/, '');
  return (await store.getArticleByPathKey(pathKey)) ?? store.getArticleByPathKey(key);
}

/** `classifier`: the desk's topic classifier; when it can explain itself, each topic's reason is shown. */
export async function explainArticle(store: Store, key: string, classifier?: TopicClassifier): Promise<string> {
  const article = await findArticle(store, key);
  if (!article) throw newsdeskError('ND_NOT_FOUND', { what: `article ${key}` });
  const story = article.storyId === null ? null : await store.getStory(article.storyId);
  const storyHistory = story ? await storyEvents(store, story.id) : [];
  const topicReasons =
    classifier && explains(classifier) ? classifier.explain({ title: article.title, excerpt: article.excerpt, text: article.text }).reasons : undefined;
  return formatExplanation({ article, story, history: await store.history(article.id), storyHistory, topicReasons });
}

export function register(program: Command): void {
  program
    .command('explain')
    .description("show why an article scored what it did: quality parts, topics, heat, the story and the score history")
    .argument('<article>', 'article id, URL, or export path (_news/<file>.md)')
    .action(async function (this: Command, key: string) {
      const config = configFrom(this);
      const store = await openStore(config.storeUrl);
      try {
        const classifier = createTopicClassifier({ taxonomy: loadTaxonomy(config.taxonomyFile), classifier: config.topics.classifier });
        process.stdout.write(await explainArticle(store, key, classifier));
      } finally {
        await store.close();
      }
    });
}
