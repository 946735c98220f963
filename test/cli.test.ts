// The CLI as a user runs it: real processes, a real store, a real HTTP server on loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', 'bin', 'newsdesk.mjs');

function run(args: string[], env: Record<string, string> = {}, cwd = process.cwd()): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NEWSDESK_LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

let server: Server;
let base = '';
before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><head><link rel="alternate" type="application/rss+xml" title="Site feed" href="/feed.xml"></head><body>hi</body></html>`);
    } else if (req.url === '/feed.xml') {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(`<rss version="2.0"><channel><title>Site feed</title><item><title>One</title><link>${base}/one</link></item></channel></rss>`);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('a bad config file prints one clear line with the key path, not a stack trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsdesk-cli-'));
  writeFileSync(join(dir, 'newsdesk.yaml'), 'server:\n  port: "eighty"\n');
  const result = await run(['sources', 'list'], {}, dir);
  assert.equal(result.code, 1);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0]!, /^newsdesk: ND_CONFIG_INVALID: .*server\.port/);
});

test('a store that cannot be opened prints one clear line', async () => {
  const result = await run(['sources', 'list'], { NEWSDESK_STORE: 'postgres://nobody@127.0.0.1:1/none' });
  assert.equal(result.code, 1);
  assert.match(result.stderr.trim(), /^newsdesk: ND_STORE_UNAVAILABLE: [^\n]*$/);
});

test('sources add discovers a page\'s feed; export and import round-trip through OPML', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsdesk-cli-'));
  writeFileSync(join(dir, 'newsdesk.yaml'), `dataDir: ${dir}/data\nfetch:\n  allow:\n    cidrs: [127.0.0.0/8]\n`);
  const added = await run(['sources', 'add', `${base}/`], {}, dir);
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout, new RegExp(`added source \\d+: ${base}/feed.xml \\(Site feed\\)`));
  const exported = await run(['sources', 'export', join(dir, 'out.opml')], {}, dir);
  assert.equal(exported.code, 0, exported.stderr);
  const opml = readFileSync(join(dir, 'out.opml'), 'utf8');
  assert.match(opml, new RegExp(`xmlUrl="${base}/feed.xml"`));
  assert.equal((opml.match(/xmlUrl=/g) ?? []).length, 1, 'only the added source, no demo feed');

  const other = mkdtempSync(join(tmpdir(), 'newsdesk-cli-'));
  writeFileSync(join(other, 'newsdesk.yaml'), `dataDir: ${other}/data\n`);
  const imported = await run(['sources', 'import', join(dir, 'out.opml')], {}, other);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /1 new sources/);
  const list = await run(['sources', 'list', '--json'], {}, other);
  const urls = (JSON.parse(list.stdout) as Array<{ url: string; status: string }>).filter((s) => s.status !== 'paused').map((s) => s.url);
  assert.deepEqual(urls, [`${base}/feed.xml`]);
});

// util-linux `script` gives the command a pseudo-terminal, the way a person runs it.
const noScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0 ? false : 'util-linux `script` is not installed (no pseudo-terminal to run under)';

test('topics train draws a progress bar on a terminal and nothing into a pipe', { skip: noScript }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsdesk-cli-'));
  writeFileSync(
    join(dir, 'taxonomy.yaml'),
    'version: 1\nroot: ai\ntopics:\n  - {id: ai, name: AI, parent: null, keywords: []}\n  - {id: vision, name: Vision, parent: ai, keywords: [camera]}\n  - {id: language, name: Language, parent: ai, keywords: [speech]}\n',
  );
  const examples = [
    ...['image', 'photo', 'pixels', 'video frames', 'picture', 'camera lens'].map((w) => ({ title: `new model reads ${w}`, topics: ['Vision'] })),
    ...['text', 'words', 'sentences', 'speech', 'translation', 'chat'].map((w) => ({ title: `new model reads ${w}`, topics: ['Language'] })),
  ];
  writeFileSync(join(dir, 'data.jsonl'), examples.map((e) => JSON.stringify(e)).join('\n'));
  const args = ['topics', 'train', '--taxonomy', join(dir, 'taxonomy.yaml'), '--data', join(dir, 'data.jsonl'), '--out', join(dir, 'model.json')];
  const piped = await run(args, {}, dir);
  assert.equal(piped.code, 0, piped.stderr);
  assert.equal(piped.stderr, '');
  assert.match(piped.stdout, /^trained on 12 examples/);

  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const terminal = spawnSync('script', ['-qec', [process.execPath, BIN, ...args].map(quote).join(' '), '/dev/null'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NEWSDESK_LOG_LEVEL: 'silent' },
    timeout: 60_000,
  });
  assert.equal(terminal.status, 0, terminal.stdout + terminal.stderr);
  // Two topics, three inner folds for the threshold and the final fit: 8 models; the bar ends full.
  assert.match(terminal.stdout, /\r\x1b\[2Ktopics train: models \[#{20}\] 8\/8[^\n]*\r?\n/);
  assert.match(terminal.stdout, /trained on 12 examples/);
});
