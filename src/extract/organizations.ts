// The known-organizations table: publishers recognised by domain, with their display name and
// logos. A YAML file users can edit; config/organizations.yaml ships with newsdesk.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { z } from 'zod';
import type { ImageRef } from '../record.ts';
import { newsdeskError } from '../errors.ts';

export interface Organization {
  domain: string;
  name: string;
  logos: ImageRef[];
}

export const DEFAULT_ORGANIZATIONS_FILE = fileURLToPath(new URL('../../config/organizations.yaml', import.meta.url));

const logoSchema = z.object({
  url: z.string().min(1),
  width: z.number().int().positive().nullable().default(null),
  height: z.number().int().positive().nullable().default(null),
  isCached: z.boolean().optional(),
});
const organizationSchema = z.object({
  domain: z.string().min(1).transform((d) => d.trim().toLowerCase().replace(/^www\./, ''))
    .refine((d) => /^[a-z0-9.-]+\.[a-z0-9-]+$/.test(d), 'not a domain name'),
  name: z.string().trim().min(1),
  logos: z.array(logoSchema).default([]),
});
const fileSchema = z.object({ organizations: z.array(organizationSchema).default([]) });

/**
 * Reads the table; later entries for the same domain replace earlier ones. Without an argument the
 * shipped table is read; `null` or a file that does not exist yet is an empty table.
 */
export function loadOrganizations(file: string | null = DEFAULT_ORGANIZATIONS_FILE): Map<string, Organization> {
  const table = new Map<string, Organization>();
  if (file === null || !existsSync(file)) return table;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw newsdeskError('ND_CONFIG_UNREADABLE', { file, reason: (err as Error).message }, err);
  }
  let parsed: unknown;
  try {
    parsed = YAML.parse(text) ?? {};
  } catch (err) {
    throw newsdeskError('ND_CONFIG_INVALID', { path: file, reason: (err as Error).message }, err);
  }
  const result = fileSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw newsdeskError('ND_CONFIG_INVALID', { path: `${file}: ${issue.path.join('.')}`, reason: issue.message });
  }
  for (const org of result.data.organizations) {
    table.set(org.domain, { domain: org.domain, name: org.name, logos: org.logos });
  }
  return table;
}

/**
 * The organization for a host: the most specific entry wins, so `aws.amazon.com` is AWS while
 * `www.amazon.com` falls back to an `amazon.com` entry.
 */
export function findOrganization(table: Map<string, Organization>, host: string): Organization | null {
  let name = host.toLowerCase().replace(/\.$/, '');
  while (name.includes('.')) {
    const hit = table.get(name) ?? table.get(name.replace(/^www\./, ''));
    if (hit) return hit;
    name = name.slice(name.indexOf('.') + 1);
  }
  return null;
}
