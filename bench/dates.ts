// htmldate-eval: publication dates of 1,000 pages, scored as htmldate's own evaluation does
// (see ../shared/bench/htmldate-eval/README.md): the day of the output against the reference day;
// no output is a false negative, a wrong day only a false positive.
// Usage: npm run bench:dates [-- --show-errors] [-- --detail] [-- --half dev|test]
// Pages are split into halves by a hash of their path (splitOf): tune on dev, report both.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractDatesDetailed } from '../src/extract/dates.ts';
import { parsePage } from '../src/extract/extract.ts';
import { splitOf } from './extract-data.ts';

const here = dirname(fileURLToPath(import.meta.url));
const shared = resolve(here, '../../shared/bench');
const benchDir = join(shared, 'htmldate-eval');
if (!existsSync(benchDir)) {
  console.log(`skipped: ${benchDir} is absent`);
  process.exit(0);
}

const work = join(tmpdir(), 'newsdesk-bench');
function unpack(archive: string, into: string): string {
  const dir = join(work, into);
  if (!existsSync(join(dir, '.done'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-xJf', archive, '-C', dir]);
    execFileSync('touch', [join(dir, '.done')]);
  }
  return dir;
}
const roots: Record<string, string> = {
  'htmldate-eval': unpack(join(benchDir, 'htmldate-eval-overlay.tar.xz'), 'htmldate-eval'),
  'trafilatura-eval': unpack(join(shared, 'trafilatura-eval/trafilatura-eval.tar.xz'), 'trafilatura-eval'),
};

interface Item { url: string; date: string | null; path: string; bundle: string }
const argv = process.argv.slice(2);
const halfArg = argv.includes('--half') ? argv[argv.indexOf('--half') + 1] : undefined;
const items = (JSON.parse(readFileSync(join(benchDir, 'manifest.json'), 'utf8')) as Item[]).filter((item) => !halfArg || splitOf(item.path) === halfArg);

/** Bytes to text in the page's declared charset (BOM, then <meta charset>), utf-8 otherwise. */
function decode(bytes: Buffer): string {
  const head = bytes.subarray(0, 4096).toString('latin1');
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head);
  let label = m?.[1]?.toLowerCase() ?? 'utf-8';
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) label = 'utf-8';
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

const args = new Set(process.argv.slice(2));
const showErrors = args.has('--show-errors');
// The record stores UTC instants; the labels are calendar days as the publisher wrote them. Both
// readings are scored: "as written" (the day in the page's own time zone, or the URL's day) and
// "UTC" (the day of the stored instant).
const tally = { local: { tp: 0, fp: 0, fn: 0 }, utc: { tp: 0, fp: 0, fn: 0 } };
const byHalf = { dev: { tp: 0, fp: 0, fn: 0 }, test: { tp: 0, fp: 0, fn: 0 } };
const bySource = new Map<string, { tp: number; fp: number }>();
const byDetail = new Map<string, { tp: number; fp: number }>();
const started = performance.now();
for (const item of items) {
  const file = join(roots[item.bundle]!, item.path);
  const html = decode(readFileSync(file));
  // Parsed as the pipeline parses pages, so the figure is the pipeline's.
  const document = parsePage(html, item.url);
  const result = extractDatesDetailed(document, item.url, { html, localDay: true });
  const found = result.published ?? result.updated;
  const detail = result.published ? result.source ?? '?' : found ? 'updated' : 'none';
  const source = detail.replace(/:.*/, '');
  for (const [mode, day] of [['local', found?.day ?? null], ['utc', found ? found.iso.slice(0, 10) : null]] as const) {
    const t = tally[mode];
    if (day === null) t.fn++;
    else if (day === item.date) t.tp++;
    else t.fp++;
  }
  const day = found?.day ?? null;
  const half = byHalf[splitOf(item.path)];
  if (day === null) half.fn++;
  else if (day === item.date) half.tp++;
  else half.fp++;
  for (const [map, key] of [[bySource, source], [byDetail, detail]] as const) {
    const stats = map.get(key) ?? { tp: 0, fp: 0 };
    map.set(key, stats);
    if (day !== null) {
      if (day === item.date) stats.tp++;
      else stats.fp++;
    }
  }
  if (showErrors && day !== null && day !== item.date) console.log(`fp ${detail.padEnd(8)} got ${day} want ${item.date} upd ${result.updated?.day} ${item.path} ${item.url}`);
  if (showErrors && day === null) console.log(`fn want ${item.date} ${item.path} ${item.url}`);
}
const seconds = (performance.now() - started) / 1000;
console.log(`htmldate-eval (${items.length} pages${halfArg ? `, ${halfArg} half` : ''}), htmldate's scorer (day match; none = fn, wrong = fp)`);
for (const [mode, label] of [['local', 'day as written on the page'], ['utc', 'UTC day of the stored instant']] as const) {
  const { tp, fp, fn } = tally[mode];
  const f = (2 * tp) / (2 * tp + fp + fn);
  console.log(`  ${label.padEnd(30)} F ${f.toFixed(3)}  precision ${(tp / (tp + fp)).toFixed(3)}  recall ${(tp / (tp + fn)).toFixed(3)}  accuracy ${(tp / items.length).toFixed(3)}  (tp ${tp} fp ${fp} fn ${fn})`);
}
const halfF = ({ tp, fp, fn }: { tp: number; fp: number; fn: number }) => (tp + fp + fn ? ((2 * tp) / (2 * tp + fp + fn)).toFixed(3) : 'n/a');
console.log(`  day as written by half: dev (tuned on) F ${halfF(byHalf.dev)} (${byHalf.dev.tp + byHalf.dev.fp + byHalf.dev.fn} pages), test (not looked at) F ${halfF(byHalf.test)} (${byHalf.test.tp + byHalf.test.fp + byHalf.test.fn} pages)`);
console.log(`  ${(items.length / seconds).toFixed(0)} pages/s (parse + dates, one core, noisy under load)`);
console.log(`  by source (as written): ${[...bySource].map(([s, v]) => `${s} ${v.tp}/${v.tp + v.fp}`).join(', ')}`);
if (args.has('--detail')) console.log(`  by tag: ${[...byDetail].map(([s, v]) => `${s} ${v.tp}/${v.tp + v.fp}`).join(', ')}`);
console.log('  anchors: htmldate extensive F 0.949, fast 0.925; newspaper4k 0.810');
