// What every part of the store shares: times as they are stored (ISO 8601, UTC, whole seconds) and
// id lists cut into statement-sized parts.
export const nowIso = (date = new Date()): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Ids per `in (...)` list: well under SQLite's and PostgreSQL's limits on parameters. */
export const CHUNK = 500;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
