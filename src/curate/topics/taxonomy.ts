// Loads and validates a topic taxonomy file (YAML). The file lists every topic, root included, in the
// order the desk shows them; `root` names the root's id. Validation errors name the key path so that a
// person editing the file can find the mistake.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { newsdeskError } from '../../errors.ts';
import type { Taxonomy, TopicDef } from '../types.ts';

const topicIdPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const topicSchema = z
  .object({
    id: z.string().regex(topicIdPattern, 'must be lower-case words joined by hyphens'),
    name: z.string().trim().min(1),
    shortName: z.string().trim().min(1).optional(),
    parent: z.string().nullable().default(null),
    description: z.string().optional(),
    keywords: z.array(z.string().trim().min(1)).default([]),
    hashtags: z.array(z.string().trim().min(1)).optional(),
    subject: z.array(z.string().trim().min(1)).min(1).optional(),
    cues: z.array(z.string().trim().min(1)).optional(),
  })
  .strict();

export const taxonomyFileSchema = z
  .object({
    version: z.literal(1).default(1),
    root: z.string().min(1),
    topics: z.array(topicSchema).min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    const names = new Set<string>();
    file.topics.forEach((topic, index) => {
      if (ids.has(topic.id)) ctx.addIssue({ code: 'custom', path: ['topics', index, 'id'], message: `duplicate id "${topic.id}"` });
      if (names.has(topic.name)) ctx.addIssue({ code: 'custom', path: ['topics', index, 'name'], message: `duplicate name "${topic.name}"` });
      ids.add(topic.id);
      names.add(topic.name);
    });
    if (!ids.has(file.root)) ctx.addIssue({ code: 'custom', path: ['root'], message: `no topic has id "${file.root}"` });
    file.topics.forEach((topic, index) => {
      if (topic.id === file.root) {
        if (topic.parent !== null) ctx.addIssue({ code: 'custom', path: ['topics', index, 'parent'], message: 'the root topic has no parent' });
      } else if (topic.parent === null) {
        ctx.addIssue({ code: 'custom', path: ['topics', index, 'parent'], message: 'every topic but the root needs a parent' });
      } else if (!ids.has(topic.parent)) {
        ctx.addIssue({ code: 'custom', path: ['topics', index, 'parent'], message: `no topic has id "${topic.parent}"` });
      }
    });
    // A child implies its parents, so parents must lead up to the root, not round in a circle.
    const parentOf = new Map(file.topics.map((t) => [t.id, t.parent]));
    file.topics.forEach((topic, index) => {
      const seen = new Set<string>([topic.id]);
      for (let id = parentOf.get(topic.id); id; id = parentOf.get(id)) {
        if (seen.has(id)) {
          ctx.addIssue({ code: 'custom', path: ['topics', index, 'parent'], message: `parents of "${topic.id}" form a cycle` });
          break;
        }
        seen.add(id);
      }
    });
  });

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(top)';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

/** Validates an already parsed taxonomy document. `file` only names the source in errors. */
export function parseTaxonomy(document: unknown, file = '(inline)'): Taxonomy {
  const result = taxonomyFileSchema.safeParse(document);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw newsdeskError('ND_TAXONOMY_INVALID', { file, path: formatPath(issue.path), reason: issue.message });
  }
  const defs: TopicDef[] = result.data.topics.map((t) => {
    const def: TopicDef = { id: t.id, name: t.name, parent: t.parent, keywords: t.keywords };
    if (t.shortName !== undefined) def.shortName = t.shortName;
    if (t.description !== undefined) def.description = t.description;
    if (t.hashtags !== undefined) def.hashtags = t.hashtags;
    if (t.subject !== undefined) def.subject = t.subject;
    if (t.cues !== undefined) def.cues = t.cues;
    return def;
  });
  const root = defs.find((t) => t.id === result.data.root)!;
  return { root, topics: defs.filter((t) => t !== root) };
}

export function loadTaxonomy(file: string): Taxonomy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw newsdeskError('ND_TAXONOMY_INVALID', { file, path: '(file)', reason: (err as Error).message }, err);
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (err) {
    throw newsdeskError('ND_TAXONOMY_INVALID', { file, path: '(yaml)', reason: (err as Error).message }, err);
  }
  return parseTaxonomy(document, file);
}

/** Root first, then the other topics in file order. */
export function allTopics(taxonomy: Taxonomy): TopicDef[] {
  return [taxonomy.root, ...taxonomy.topics];
}

export function topicByName(taxonomy: Taxonomy, name: string): TopicDef | undefined {
  return allTopics(taxonomy).find((t) => t.name === name);
}

/** The topic's parent, its parent's parent, ... up to the root (included); a topic not in the taxonomy has none. */
export function ancestorsOf(taxonomy: Taxonomy, name: string): TopicDef[] {
  const topics = allTopics(taxonomy);
  const out: TopicDef[] = [];
  let topic = topics.find((t) => t.name === name);
  while (topic?.parent) {
    const parentId: string = topic.parent;
    topic = topics.find((t) => t.id === parentId);
    if (!topic || out.includes(topic)) break;
    out.push(topic);
  }
  return out;
}

export function topicById(taxonomy: Taxonomy, id: string): TopicDef | undefined {
  return allTopics(taxonomy).find((t) => t.id === id);
}

/** The default taxonomy shipped with newsdesk (the reference AI desk's). */
export const defaultTaxonomyFile = new URL('../../../taxonomy/ai.yaml', import.meta.url).pathname;
