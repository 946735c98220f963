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
import { inspectFeed } from './inspect-feed.ts';
import { validateConfig } from '../config/load.ts';
import { isNewsdeskError } from '../errors.ts';

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

test('local files are read within the size limit: a gzip bomb and a corrupt gzip are coded errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nd-inspect-bomb-'));
  try {
    const bomb = join(dir, 'bomb.html.gz');
    writeFileSync(bomb, gzipSync(Buffer.alloc(4 * 1024 * 1024)));
    const corrupt = join(dir, 'corrupt.html.gz');
    writeFileSync(corrupt, Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.from('not deflate data at all')]));
    const big = join(dir, 'big.html');
    writeFileSync(big, Buffer.alloc(2 * 1024 * 1024, 0x20));
    const run = (path: string) => inspectArticle(path, { maxBytes: 1024 * 1024 }, () => createHttpTransport(), () => {});
    await assert.rejects(run(bomb), (err: unknown) => isNewsdeskError(err, 'ND_FILE_UNREADABLE') && /unpacks to more than 1048576 bytes/.test(err.message));
    await assert.rejects(run(corrupt), (err: unknown) => isNewsdeskError(err, 'ND_FILE_UNREADABLE') && /not valid gzip/.test(err.message));
    await assert.rejects(run(big), (err: unknown) => isNewsdeskError(err, 'ND_FILE_UNREADABLE') && /the limit is 1048576/.test(err.message));
    await assert.rejects(run(join(dir, 'missing.html')), (err: unknown) => isNewsdeskError(err, 'ND_FILE_UNREADABLE'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('inspect feed fetches a URL with the configured allow list, body limit and user agent', async () => {
  const agents: string[] = [];
  const server = await startServer((req, res) => {
    agents.push(String(req.headers['user-agent']));
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<?xml version="1.0"?><rss version="2.0"><channel><title>Configured</title><item><title>A</title><link>https://example.org/a</link></item></channel></rss>');
  });
  try {
    const url = server.url('/feed.xml');
    const allowed = validateConfig({ fetch: { allow: { cidrs: ['127.0.0.2/32'] }, userAgent: 'configured-agent/1.0' } });
    const { output } = await inspectFeed(url, { json: true }, allowed);
    assert.equal(JSON.parse(output).title, 'Configured');
    assert.ok(agents.includes('configured-agent/1.0'), agents.join(', '));
    await assert.rejects(inspectFeed(url, { json: true }, validateConfig({})), (err: unknown) => isNewsdeskError(err, 'ND_FETCH_PRIVATE_ADDRESS'));
    await assert.rejects(inspectFeed(url, { json: true }, validateConfig({ fetch: { allow: { cidrs: ['127.0.0.2/32'] }, maxBodyBytes: 50 } })), (err: unknown) => isNewsdeskError(err, 'ND_FETCH_TOO_LARGE'));
  } finally {
    await server.close();
  }
});

test('fetch.timeoutSeconds bounds the wait for a server that never answers', async () => {
  const server = await startServer(() => {
    // Never answers: the request waits for headers until the configured timeout.
  });
  try {
    const config = validateConfig({ fetch: { allow: { cidrs: ['127.0.0.2/32'] }, timeoutSeconds: 0.3 } });
    await assert.rejects(inspectFeed(server.url('/silent.xml'), {}, config), (err: unknown) => isNewsdeskError(err, 'ND_FETCH_TIMEOUT') && /300 ms/.test(err.message));
  } finally {
    await server.close();
  }
});
