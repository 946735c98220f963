// Loading the extraction benchmarks of ../shared/bench (see each folder's README). Archives are
// unpacked once into the OS temp dir, never into the repository.
import { readFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, resolve, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export const SHARED_BENCH = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/bench');
const UNPACK_ROOT = join(tmpdir(), 'newsdesk-bench');

export function benchAvailable(): boolean {
  return existsSync(join(SHARED_BENCH, 'scrapinghub-aeb', 'ground-truth.json'));
}

/** Unpacks `<set>/<archive>` into the temp dir unless `marker` is already there; returns the dir. */
function unpacked(set: string, archive: string, marker: string): string {
  const dir = join(UNPACK_ROOT, set);
  if (!existsSync(join(dir, marker))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-xJf', join(SHARED_BENCH, set, archive)], { cwd: dir });
  }
  return dir;
}

/**
 * A fixed half/half split by a hash of each page's key: parameters are tuned on `dev` only and the
 * figures reported for `test` were not looked at while tuning.
 */
export function splitOf(key: string): 'dev' | 'test' {
  return createHash('sha1').update(key).digest()[0] % 2 === 0 ? 'dev' : 'test';
}

export interface ScrapinghubPage { id: string; url: string; html: Uint8Array; expected: string }

export function loadScrapinghub(): ScrapinghubPage[] {
  const dir = join(SHARED_BENCH, 'scrapinghub-aeb');
  const truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as Record<string, { articleBody: string; url: string }>;
  const pages: ScrapinghubPage[] = [];
  for (const name of readdirSync(join(dir, 'html')).sort()) {
    const id = name.replace(/\.html\.gz$/, '');
    const entry = truth[id];
    if (!entry) continue;
    pages.push({ id, url: entry.url, html: gunzipSync(readFileSync(join(dir, 'html', name))), expected: entry.articleBody });
  }
  return pages;
}

export function loadScrapinghubReference(system: string): Record<string, string> {
  const raw = JSON.parse(gunzipSync(readFileSync(join(SHARED_BENCH, 'scrapinghub-aeb', 'reference-outputs', `${system}.json.gz`))).toString('utf8'));
  const data = raw && typeof raw === 'object' && 'output' in raw && 'version' in raw ? raw.output : raw;
  const out: Record<string, string> = {};
  for (const [id, value] of Object.entries(data as Record<string, { articleBody?: string }>)) out[id] = value.articleBody ?? '';
  return out;
}

export interface TrafilaturaPage { url: string; file: string; html: Uint8Array; with: string[]; without: string[] }

export function loadTrafilaturaEval(): TrafilaturaPage[] {
  const dir = unpacked('trafilatura-eval', 'trafilatura-eval.tar.xz', 'evaldata.json');
  const data = JSON.parse(readFileSync(join(dir, 'evaldata.json'), 'utf8')) as Record<string, { file: string; with: string[]; without: string[] }>;
  const pages: TrafilaturaPage[] = [];
  for (const [url, entry] of Object.entries(data)) {
    const path = [join(dir, 'cache', entry.file), join(dir, 'eval', entry.file)].find((p) => existsSync(p));
    if (!path) throw new Error(`trafilatura-eval: missing file ${entry.file}`);
    pages.push({ url, file: entry.file, html: readFileSync(path), with: entry.with, without: entry.without });
  }
  return pages;
}

export interface ReadabilityCase {
  name: string;
  html: string;
  expectedHtml: string;
  metadata: { title: string | null; byline: string | null; excerpt: string | null; siteName: string | null; publishedTime: string | null; lang: string | null };
}

export const READABILITY_TEST_URL = 'http://fakehost/test/page.html';

export function loadReadabilityCases(): ReadabilityCase[] {
  const dir = join(unpacked('readability-test-pages', 'readability-test-pages.tar.xz', 'test-pages'), 'test-pages');
  return readdirSync(dir).sort().map((name) => ({
    name,
    html: readFileSync(join(dir, name, 'source.html'), 'utf8'),
    expectedHtml: readFileSync(join(dir, name, 'expected.html'), 'utf8'),
    metadata: JSON.parse(readFileSync(join(dir, name, 'expected-metadata.json'), 'utf8')),
  }));
}

export interface DatePage { url: string; path: string; bundle: string; html: Uint8Array; date: string | null }

export function loadHtmldateEval(): DatePage[] {
  const own = unpacked('htmldate-eval', 'htmldate-eval-overlay.tar.xz', 'test_set');
  const shared = unpacked('trafilatura-eval', 'trafilatura-eval.tar.xz', 'evaldata.json');
  const manifest = JSON.parse(readFileSync(join(SHARED_BENCH, 'htmldate-eval', 'manifest.json'), 'utf8')) as
    { url: string; path: string; date: string | null; bundle: string }[];
  return manifest.map((item) => ({
    url: item.url,
    path: item.path,
    date: item.date,
    bundle: item.bundle,
    html: readFileSync(join(item.bundle === 'htmldate-eval' ? own : shared, item.path)),
  }));
}
