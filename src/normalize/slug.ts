// The reference system's file-name rule: `YYYY-MM-DD-<slug>` from the UTC date and the title.

/**
 * The title cut at the first space at or after `max` characters (the word that crosses the limit
 * stays whole), lower-cased, every character outside [a-z0-9 -] dropped, each run of spaces and
 * hyphens turned into one `-`. Edge hyphens are kept: the reference kept them ("of 41.3 %" ends
 * in `-`).
 */
export function slugify(title: string, max = 140): string {
  let head = title.trim();
  if (head.length > max) {
    const space = head.indexOf(' ', max);
    if (space >= 0) head = head.slice(0, space);
  }
  return head.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/[ -]+/g, '-');
}

/** `YYYY-MM-DD-<slug>`; an undated article takes the date it was stored. */
export function pathKey(title: string, publishedDateTime: string | null, storedAt: Date = new Date()): string {
  const date = (publishedDateTime ?? storedAt.toISOString()).slice(0, 10);
  return `${date}-${slugify(title) || 'untitled'}`;
}
