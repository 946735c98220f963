// One entry point for the pipeline: the configured classifier over the configured taxonomy.
import { existsSync } from 'node:fs';
import type { Taxonomy, TopicClassifier } from '../types.ts';
import { createKeywordClassifier } from './keywords.ts';
import { createLearnedClassifier, defaultTopicModelFile, loadTopicModel, type LearnedTopicClassifier, type TopicExample } from './learned.ts';
import { newsdeskError } from '../../errors.ts';

export { loadTaxonomy, allTopics, topicById, topicByName, defaultTaxonomyFile } from './taxonomy.ts';
export { createKeywordClassifier } from './keywords.ts';
export {
  createLearnedClassifier,
  trainTopicModel,
  loadTopicModel,
  saveTopicModel,
  defaultTopicModelFile,
  type LearnedTopicClassifier,
  type TopicExample,
} from './learned.ts';

export interface TopicClassifierSettings {
  taxonomy: Taxonomy;
  classifier: 'keywords' | 'learned';
  /** Trained model for the learned classifier; default: the shipped AI model. */
  modelFile?: string;
  /** Editors' corrections to learn from (the learned classifier retrains once with them). */
  corrections?: TopicExample[];
}

export function createTopicClassifier(settings: TopicClassifierSettings): TopicClassifier {
  if (settings.classifier === 'keywords') return createKeywordClassifier(settings.taxonomy);
  const file = settings.modelFile ?? defaultTopicModelFile;
  if (!existsSync(file)) {
    throw newsdeskError('ND_MODEL_INVALID', { file, reason: 'no such file; train one with `newsdesk topics train`' });
  }
  const classifier: LearnedTopicClassifier = createLearnedClassifier(settings.taxonomy, loadTopicModel(file));
  if (settings.corrections && settings.corrections.length > 0) classifier.addCorrections(settings.corrections);
  return classifier;
}
