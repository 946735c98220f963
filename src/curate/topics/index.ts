// One entry point for the pipeline: the configured classifier over the configured taxonomy.
import { existsSync } from 'node:fs';
import type { Taxonomy, TopicClassifier } from '../types.ts';
import { createKeywordClassifier } from './keywords.ts';
import { createLearnedClassifier, defaultTopicModelFile, loadTopicModel, type LearnedTopicClassifier, type TopicExample } from './learned.ts';
import { isNewsdeskError, newsdeskError } from '../../errors.ts';
import { silentLogger } from '../../log.ts';
import type { Logger } from '../../log.ts';

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
  /**
   * When the model file is missing or was trained for another taxonomy: `keywords` falls back to the
   * keyword classifier with a warning (a desk with its own taxonomy keeps running until it trains a
   * model), `throw` refuses. Default `keywords` for the shipped model, `throw` for a named model file.
   */
  onModelMismatch?: 'keywords' | 'throw';
  log?: Logger;
}

export function createTopicClassifier(settings: TopicClassifierSettings): TopicClassifier {
  if (settings.classifier === 'keywords') return createKeywordClassifier(settings.taxonomy);
  const file = settings.modelFile ?? defaultTopicModelFile;
  const fallback = (settings.onModelMismatch ?? (settings.modelFile ? 'throw' : 'keywords')) === 'keywords';
  let classifier: LearnedTopicClassifier;
  try {
    if (!existsSync(file)) {
      throw newsdeskError('ND_MODEL_INVALID', { file, reason: 'no such file; train one with `newsdesk topics train`' });
    }
    classifier = createLearnedClassifier(settings.taxonomy, loadTopicModel(file));
  } catch (err) {
    if (!fallback || !isNewsdeskError(err, 'ND_MODEL_INVALID')) throw err;
    (settings.log ?? silentLogger).warn({ file, reason: err.message }, 'learned topic model unusable; using the keyword classifier');
    return createKeywordClassifier(settings.taxonomy);
  }
  if (settings.corrections && settings.corrections.length > 0) classifier.addCorrections(settings.corrections);
  return classifier;
}
