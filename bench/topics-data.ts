// Readers for the public topic benchmarks in ../shared/bench (see each folder's README).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const sharedBench = new URL('../../shared/bench/', import.meta.url).pathname;

export interface LabeledText {
  id: string;
  label: string;
  text: string;
}

function readTsvGz(file: string): LabeledText[] {
  return gunzipSync(readFileSync(file))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line, i) => {
      const tab = line.indexOf('\t');
      return { id: String(i), label: line.slice(0, tab), text: line.slice(tab + 1) };
    });
}

export function readReutersR8(): { train: LabeledText[]; test: LabeledText[] } {
  const dir = join(sharedBench, 'reuters-r8');
  return { train: readTsvGz(join(dir, 'r8-train.tsv.gz')), test: readTsvGz(join(dir, 'r8-test.tsv.gz')) };
}

/** Unpacks the archive once into the system temp folder (the raw posts, headers kept). */
export function readTwentyNewsgroups(): { train: LabeledText[]; test: LabeledText[] } {
  const target = join(tmpdir(), 'newsdesk-bench-20news');
  if (!existsSync(join(target, '20news-bydate-test'))) {
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xJf', join(sharedBench, '20newsgroups-bydate', '20news-bydate.tar.xz'), '-C', target]);
  }
  const read = (split: string) => {
    const out: LabeledText[] = [];
    const root = join(target, split);
    for (const group of readdirSync(root).sort()) {
      for (const file of readdirSync(join(root, group)).sort()) {
        out.push({ id: `${group}/${file}`, label: group, text: readFileSync(join(root, group, file), 'latin1') });
      }
    }
    return out;
  };
  return { train: read('20news-bydate-train'), test: read('20news-bydate-test') };
}

export function readBbcNews(): Array<LabeledText & { title: string }> {
  return gunzipSync(readFileSync(join(sharedBench, 'bbc-news', 'bbc-news.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const r = JSON.parse(l) as { id: string; category: string; title: string; text: string };
      return { id: r.id, label: r.category, title: r.title, text: `${r.title}\n${r.text}` };
    });
}
