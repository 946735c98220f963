import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { createHttpTransport } from '../fetch/http.ts';
import { startServer } from '../fetch/test-servers.ts';
import { inspectArticle } from './inspect-article.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const fixture = (name: string) => join(root, 'src', 'extract', 'testdata', name);
const REQUIRED = ['path', 'url', 'title', 'text', 'excerpt', 'publishedDateTime', 'images', 'ampWebUrl', 'provider', 'locale', 'type'];

test('--batch prints one JSON object per line, errors included, through the real CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nd-inspect-article-'));
  try {
    const gz = join(dir, 'article.html.gz');
    writeFileSync(gz, gzipSync(readFileSync(fixture('boilerplate-article.html'))));
    const list = join(dir, 'list.jsonl');
    writeFileSync(list, [
      JSON.stringify({ path: gz, url: 'https://www.courier.example.co.uk/news/2024/03/ferry-vote' }),
      JSON.stringify({ path: fixture('paywall.html'), url: 'https://news.example.com/chips' }),
      JSON.stringify({ path: join(dir, 'missing.html'), url: 'https://missing.example.com/' }),
    ].join('\n'));
    const run = spawnSync(process.execPath, [join(root, 'bin', 'newsdesk.mjs'), 'inspect', 'article', '--batch', list], { encoding: 'utf8', cwd: root });
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(lines.length, 3);
    for (const key of REQUIRED) assert.ok(key in lines[0], `missing ${key}`);
    assert.equal(lines[0].title, 'Harbour town votes to keep its ferry');
    assert.deepEqual(lines[0].provider.domain, 'example.co.uk');
    assert.equal(lines[0].ampWebUrl, 'https://www.courier.example.co.uk/amp/news/2024/03/ferry-vote');
    assert.match(lines[0].text, /Residents of Port Ellery voted/);
    assert.deepEqual(lines[1].extraction, { status: 'fallback', reason: 'paywall' });
    assert.ok(lines[2].error, 'a missing file is reported on its line, not thrown');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a URL is fetched through the transport and extracted', async () => {
  const html = readFileSync(fixture('boilerplate-article.html'));
  const server = await startServer((req, res) => {
    if (req.url === '/robots.txt') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  const transport = createHttpTransport({ allow: { cidrs: ['127.0.0.2/32'] }, perHostDelayMs: 0, perHostJitterMs: 0 });
  try {
    const out: string[] = [];
    await inspectArticle(server.url('/news/ferry'), { json: true }, () => transport, (line) => out.push(line));
    const record = JSON.parse(out[0]);
    assert.equal(record.url, server.url('/news/ferry'));
    assert.equal(record.title, 'Harbour town votes to keep its ferry');
    assert.equal(record.webUrl, new URL('/news/2024/03/ferry-vote', server.url('/')).href);
  } finally {
    await transport.close?.();
    await server.close();
  }
});
