// Contracts of the curation stages: topics, quality, clustering, heat, gate.
import type { NewsRecord, QualityPart } from '../record.ts';

export interface TopicDef {
  id: string;
  name: string;
  shortName?: string;
  parent: string | null;
  description?: string;
  keywords: string[];
  hashtags?: string[];
}

export interface Taxonomy {
  root: TopicDef;
  /** Every topic except the root, in taxonomy order (see `allTopics` in topics/taxonomy.ts). */
  topics: TopicDef[];
}

export interface ClassifierInput {
  title: string;
  excerpt: string;
  text: string;
}

export interface TopicClassifier {
  readonly name: string;
  /** Topic names, root included. */
  classify(input: ClassifierInput): string[];
}

export interface QualityResult {
  total: number;
  parts: QualityPart[];
}

/** What quality scoring may know beyond the record itself. */
export interface QualityContext {
  knownOrganization: { name: string; hasLogo: boolean } | null;
  duplicateOf?: string | null;
}

export type QualityScorer = (record: NewsRecord, context: QualityContext) => QualityResult;

export interface StoryMember {
  articleId: number;
  quality: number | null;
}

export interface HeatResult {
  articleId: number;
  heat: number | null;
  reason: string;
}

export interface GateInput {
  heat: number | null;
  override: 'pin' | 'block' | null;
  threshold: number;
}
