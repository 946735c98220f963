// What an editor can decide, as functions of the desk: each changes the store, rescores what it
// touched, leaves an audit entry and clears the page cache so readers see it at once.
import { readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Desk } from '../../jobs/desk.ts';
import { rescoreStory } from '../../jobs/curate.ts';
import { siteContext } from '../site/context.ts';
import { newsdeskError } from '../../errors.ts';
import { parseTaxonomy, allTopics } from '../../curate/topics/taxonomy.ts';
import { createKeywordClassifier } from '../../curate/topics/keywords.ts';
import { createLearnedClassifier, type LearnedTopicClassifier } from '../../curate/topics/learned.ts';
import { loadOrganizations } from '../../extract/organizations.ts';
import { discoverFeeds, type DiscoveredFeed } from '../../feeds/discover.ts';
import type { TopicClassifier } from '../../curate/types.ts';
import { writeFileAtomically } from '../../files.ts';
import { keepStoriesApart, lockStoryMembers, moveApartPairs, recordStoryEvent } from '../../store/stories.ts';

export type StoryDecision = 'pin' | 'block' | 'auto';

export async function decideStory(desk: Desk, editor: string, storyId: number, decision: StoryDecision): Promise<void> {
  const story = await desk.store.getStory(storyId);
  if (!story) throw newsdeskError('ND_NOT_FOUND', { what: `story ${storyId}` });
  const label = { pin: 'pinned and published', block: 'unpublished', auto: 'returned to the automatic gate' }[decision];
  await desk.storiesLock.run(async () => {
    await desk.store.transaction(async (trx) => {
      await trx.updateTable('stories').set({ override: decision === 'auto' ? null : decision }).where('id', '=', storyId).execute();
      // A pin or a hold is on this story as it stands: consolidation keeps its members together.
      if (decision !== 'auto') await lockStoryMembers(trx, storyId);
      await recordStoryEvent(trx, { storyId, kind: 'editor', detail: label, articleIds: [], actor: editor });
    });
    await rescoreStory(desk, storyId);
  });
  const ctx = siteContext(desk);
  await ctx.site.audit({ editor, action: label, storyId });
  ctx.cache.clear();
}

/** Moves every article of `from` into `into`; the merged story is rescored (one lead, one heat). */
export async function mergeStories(desk: Desk, editor: string, into: number, from: number): Promise<void> {
  if (into === from) throw newsdeskError('ND_BAD_REQUEST', { reason: 'a story cannot be merged into itself' });
  const [a, b] = await Promise.all([desk.store.getStory(into), desk.store.getStory(from)]);
  if (!a) throw newsdeskError('ND_NOT_FOUND', { what: `story ${into}` });
  if (!b) throw newsdeskError('ND_NOT_FOUND', { what: `story ${from}` });
  await desk.storiesLock.run(async () => {
    const moved = (await desk.store.storyMembers(from)).map((m) => m.id);
    await desk.store.inTransaction(async (view) => {
      await view.mergeStories(into, from);
      await moveApartPairs(view.db, from, into);
      await lockStoryMembers(view.db, into);
      await recordStoryEvent(view.db, { storyId: into, kind: 'merged', detail: `story ${from} merged in by hand`, articleIds: moved, actor: editor });
    });
    await rescoreStory(desk, into);
  });
  const ctx = siteContext(desk);
  await ctx.site.audit({ editor, action: 'merged', storyId: into, detail: `story ${from} merged in` });
  await ctx.site.audit({ editor, action: 'merged away', storyId: from, detail: `into story ${into}` });
  ctx.cache.clear();
}

/** Moves some articles of a story into a new story of their own; both are rescored. Returns the new story's id. */
export async function splitStory(desk: Desk, editor: string, storyId: number, articleIds: number[]): Promise<number> {
  const members = await desk.store.storyMembers(storyId);
  if (!members.length) throw newsdeskError('ND_NOT_FOUND', { what: `story ${storyId}` });
  const moving = [...new Set(articleIds)].filter((id) => members.some((m) => m.id === id));
  if (moving.length === 0) throw newsdeskError('ND_BAD_REQUEST', { reason: 'choose at least one article of this story to split off' });
  if (moving.length === members.length) throw newsdeskError('ND_BAD_REQUEST', { reason: 'splitting off every article would leave the story empty' });
  const newStory = await desk.storiesLock.run(async () => {
    const created = await desk.store.transaction(async (trx) => {
      const id = await desk.store.createStory(trx);
      for (const articleId of moving) await desk.store.assignStory(articleId, id, trx);
      // Both sides stay as the editor left them, and apart: consolidation never joins them again.
      await lockStoryMembers(trx, storyId);
      await lockStoryMembers(trx, id);
      await keepStoriesApart(trx, storyId, id);
      await recordStoryEvent(trx, { storyId, kind: 'split', detail: `${moving.length} article${moving.length === 1 ? '' : 's'} split off by hand into story ${id}`, articleIds: moving, actor: editor });
      await recordStoryEvent(trx, { storyId: id, kind: 'opened', detail: `split off by hand from story ${storyId}`, articleIds: moving, actor: editor });
      return id;
    });
    await rescoreStory(desk, storyId);
    await rescoreStory(desk, created);
    return created;
  });
  const ctx = siteContext(desk);
  await ctx.site.audit({ editor, action: 'split', storyId, detail: `articles ${moving.join(', ')} moved to story ${newStory}` });
  await ctx.site.audit({ editor, action: 'split off', storyId: newStory, detail: `from story ${storyId}` });
  ctx.cache.clear();
  return newStory;
}

interface CorrectableClassifier extends TopicClassifier {
  addCorrections(corrections: Array<{ title: string; excerpt: string; text: string; topics: string[] }>): void;
}

function canLearn(classifier: TopicClassifier): classifier is CorrectableClassifier {
  return typeof (classifier as Partial<CorrectableClassifier>).addCorrections === 'function';
}

/** How long corrections are gathered before the classifier retrains on them, once for the batch. */
export const learning = { delayMs: 20_000 };
const pendingLearning = new WeakMap<Desk, { examples: Array<{ title: string; excerpt: string; text: string; topics: string[] }>; timer: NodeJS.Timeout }>();

/**
 * Retraining takes seconds of CPU and holds the server while it runs, so corrections are batched:
 * the first starts a short timer, later ones join it, and the classifier retrains once.
 */
function learnLater(desk: Desk, example: { title: string; excerpt: string; text: string; topics: string[] }): void {
  const pending = pendingLearning.get(desk);
  if (pending) {
    pending.examples.push(example);
    return;
  }
  const timer = setTimeout(() => {
    const batch = pendingLearning.get(desk);
    pendingLearning.delete(desk);
    if (!batch || !canLearn(desk.classifier)) return;
    try {
      desk.classifier.addCorrections(batch.examples);
      desk.log.info({ corrections: batch.examples.length }, 'topic classifier retrained on corrections');
    } catch (err) {
      desk.log.warn({ err }, 'classifier could not learn from the corrections');
    }
  }, learning.delayMs);
  timer.unref();
  pendingLearning.set(desk, { examples: [example], timer });
}

/**
 * Sets an article's topics as an editor says, keeps the correction as a training example, and hands
 * it to the classifier (batched, see learnLater) when that one learns. The root topic is always kept.
 */
export async function correctTopics(desk: Desk, editor: string, articleId: number, topicNames: string[]): Promise<{ learned: boolean }> {
  const article = await desk.store.getArticle(articleId);
  if (!article) throw newsdeskError('ND_NOT_FOUND', { what: `article ${articleId}` });
  const known = new Set(allTopics(desk.taxonomy).map((t) => t.name));
  const unknown = topicNames.filter((t) => !known.has(t));
  if (unknown.length) throw newsdeskError('ND_BAD_REQUEST', { reason: `unknown topics: ${unknown.join(', ')}` });
  const ordered = allTopics(desk.taxonomy)
    .map((t) => t.name)
    .filter((name) => name === desk.taxonomy.root.name || topicNames.includes(name));
  const ctx = siteContext(desk);
  await desk.store.setTopics(articleId, ordered);
  await ctx.site.addTopicCorrection(articleId, ordered, article.topics, editor);
  await ctx.site.audit({ editor, action: 'corrected topics', storyId: article.storyId, articleId, detail: ordered.join(', ') });
  const learned = canLearn(desk.classifier);
  if (learned) learnLater(desk, { title: article.title, excerpt: article.excerpt, text: article.text, topics: ordered });
  ctx.cache.clear();
  return { learned };
}

/**
 * Hands the stored corrections to a learning classifier once after start-up (batched like new
 * ones), so what editors taught it survives a restart. Returns how many were queued.
 */
export async function relearnStoredCorrections(desk: Desk): Promise<number> {
  if (!canLearn(desk.classifier)) return 0;
  const examples = await topicCorrectionExamples(desk);
  for (const example of examples) learnLater(desk, example);
  return examples.length;
}

/** Editors' corrections, latest per article, in the shape topic training takes. */
export async function topicCorrectionExamples(desk: Desk): Promise<Array<{ title: string; excerpt: string; text: string; topics: string[] }>> {
  const rows = await siteContext(desk).site.topicCorrections();
  return rows.map((r) => ({ title: r.title, excerpt: r.excerpt, text: r.text, topics: r.topics }));
}

function hasModel(classifier: TopicClassifier): classifier is LearnedTopicClassifier {
  return classifier.name === 'learned' && 'model' in classifier;
}

export function readTextFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Validates a taxonomy file's new text, writes it in place of the old, and puts it to work: the
 * desk's taxonomy, the store's topics table and, for the keyword classifier, its keywords.
 */
export async function saveTaxonomy(desk: Desk, editor: string, text: string): Promise<{ classifierUpdated: boolean }> {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (err) {
    throw newsdeskError('ND_TAXONOMY_INVALID', { file: desk.config.taxonomyFile, path: '(yaml)', reason: (err as Error).message.split('\n')[0] });
  }
  const taxonomy = parseTaxonomy(document, desk.config.taxonomyFile);
  writeFileAtomically(desk.config.taxonomyFile, text);
  desk.taxonomy = taxonomy;
  await desk.store.replaceTopics(allTopics(taxonomy));
  let classifierUpdated = false;
  if (desk.classifier.name === 'keywords') {
    desk.classifier = createKeywordClassifier(taxonomy);
    classifierUpdated = true;
  } else if (hasModel(desk.classifier)) {
    // The learned model (with the corrections it holds) keeps working while the topics stay the
    // same names in the same order; new keywords and descriptions take effect at once. Added or
    // renamed topics need a retrained model, which the model refuses to be used without.
    try {
      desk.classifier = createLearnedClassifier(taxonomy, desk.classifier.model);
      classifierUpdated = true;
    } catch (err) {
      desk.log.warn({ err }, 'taxonomy saved; the learned classifier keeps the old topics until retrained');
    }
  }
  const ctx = siteContext(desk);
  await ctx.site.audit({ editor, action: 'edited the taxonomy', detail: `${taxonomy.topics.length + 1} topics` });
  ctx.cache.clear();
  return { classifierUpdated };
}

/** Validates the organizations file's new text, writes it, and makes the desk look publishers up in it. */
export async function saveOrganizations(desk: Desk, editor: string, text: string): Promise<number> {
  const file = desk.config.organizationsFile;
  const candidate = join(dirname(file), `.${basename(file)}.${process.pid}.check.yaml`);
  writeFileSync(candidate, text);
  let table: ReturnType<typeof loadOrganizations>;
  try {
    table = loadOrganizations(candidate);
  } finally {
    try {
      unlinkSync(candidate);
    } catch {
      /* already gone */
    }
  }
  writeFileAtomically(file, text);
  desk.lookupOrganization = (domain: string) => table.get(domain) ?? null;
  await siteContext(desk).site.audit({ editor, action: 'edited the known organizations', detail: `${table.size} organizations` });
  return table.size;
}

export type AddSourceResult = { added: true; sourceId: number; url: string } | { added: false; choices: DiscoveredFeed[] };

/**
 * Adds a source from any URL an editor pastes: a feed is added as it is; a page is searched for
 * the feeds it announces. One feed found: added. Several: the editor chooses.
 */
export async function addSourceByUrl(desk: Desk, editor: string, url: string, name: string | null, exact = false): Promise<AddSourceResult> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw newsdeskError('ND_BAD_REQUEST', { reason: `not a URL: ${url}` });
  }
  if (!/^https?:$/.test(parsed.protocol)) throw newsdeskError('ND_BAD_REQUEST', { reason: 'only http and https sources can be fetched' });
  let feedUrl = parsed.href;
  let title: string | null = null;
  if (!exact) {
    const found = await discoverFeeds(parsed.href, desk.transport);
    if (found.length === 0) throw newsdeskError('ND_BAD_REQUEST', { reason: `no feed found at ${parsed.href}` });
    if (found.length > 1) return { added: false, choices: found };
    feedUrl = found[0]!.url;
    title = found[0]!.title;
  }
  const source = await desk.store.addSource({ url: feedUrl, name: name || title });
  await siteContext(desk).site.audit({ editor, action: 'added a source', detail: feedUrl });
  return { added: true, sourceId: source.id, url: feedUrl };
}
