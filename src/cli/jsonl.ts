// Input of the `inspect` commands: one JSON object a line with an `id` and some string fields.
import { newsdeskError } from '../errors.ts';

export interface ArticleLine {
  id: string;
  /** Each asked-for field as given, or null where absent. */
  fields: Record<string, string | null>;
}

/** Parses one line; a malformed line is a coded error naming its number and the reason. */
export function parseArticleLine(line: string, lineNumber: number, stringFields: readonly string[]): ArticleLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw newsdeskError('ND_BAD_REQUEST', { reason: `line ${lineNumber} is not JSON: ${(err as Error).message}` });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw newsdeskError('ND_BAD_REQUEST', { reason: `line ${lineNumber} is not a JSON object` });
  }
  const v = value as Record<string, unknown>;
  const id = typeof v.id === 'number' ? String(v.id) : v.id;
  if (typeof id !== 'string' || id === '') throw newsdeskError('ND_BAD_REQUEST', { reason: `line ${lineNumber} has no id` });
  const fields: Record<string, string | null> = {};
  for (const field of stringFields) {
    const given = v[field];
    if (given !== undefined && given !== null && typeof given !== 'string') {
      throw newsdeskError('ND_BAD_REQUEST', { reason: `line ${lineNumber}: ${field} must be a string` });
    }
    fields[field] = (given as string | null | undefined) ?? null;
  }
  return { id, fields };
}
