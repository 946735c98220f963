// Known organizations: a data table users edit (config/organizations.yaml): domain, name, logos.
import { readFileSync, existsSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { newsdeskError } from '../errors.ts';
import type { ImageRef } from '../record.ts';

const logoSchema = z.object({
  url: z.string().min(1),
  width: z.number().int().positive().nullable().default(null),
  height: z.number().int().positive().nullable().default(null),
});

const fileSchema = z.object({
  organizations: z
    .array(
      z.object({
        domain: z.string().min(3).transform((d) => d.toLowerCase()),
        name: z.string().min(1),
        logos: z.array(logoSchema).default([]),
      }),
    )
    .default([]),
});

export interface Organization {
  domain: string;
  name: string;
  logos: ImageRef[];
}

/** Loads the table keyed by domain; a missing file is an empty table, a malformed one an error naming the key. */
export function loadOrganizations(file?: string | null): Map<string, Organization> {
  const table = new Map<string, Organization>();
  if (!file || !existsSync(file)) return table;
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8')) ?? {};
  } catch (err) {
    throw newsdeskError('ND_CONFIG_INVALID', { path: `${file} (yaml)`, reason: (err as Error).message.split('\n')[0] }, err);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw newsdeskError('ND_CONFIG_INVALID', { path: `${file}: ${issue.path.join('.')}`, reason: issue.message });
  }
  for (const org of parsed.data.organizations) table.set(org.domain, { domain: org.domain, name: org.name, logos: org.logos });
  return table;
}
