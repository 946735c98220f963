// Synthetic article text from real words (the demo archive's vocabulary), so that extraction, topics
// and clustering in ingest benchmarks see text shaped like the real one. Deterministic per article.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const words = (() => {
  const set = new Set<string>();
  for (const line of gunzipSync(readFileSync(join(root, 'demo/archive.jsonl.gz'))).toString('utf8').split('\n').slice(1)) {
    if (!line) continue;
    const body = (JSON.parse(line) as { body?: string }).body ?? '';
    for (const w of body.replace(/<[^>]+>/g, ' ').match(/\b[a-zA-Z]{3,12}\b/g) ?? []) set.add(w.toLowerCase());
  }
  return [...set];
})();

/** `count` words for article `n`, frequent words more often (a skewed draw, as in real text). */
export function textFor(n: number, count: number): string {
  let x = n * 2654435761;
  return Array.from({ length: count }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return words[Math.floor(words.length * (x / 2147483648) ** 2)]!;
  }).join(' ');
}
