import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { Store } from '../store/index.ts';
import { encryptSecured, decryptSecured } from '../extract/secured.ts';
import { describeError } from '../errors.ts';
import { register } from './secured.ts';
import type { NewsRecord } from '../record.ts';

function record(n: number): NewsRecord {
  return {
    title: `Secured story ${n}`, excerpt: `Excerpt ${n}`, publishedDateTime: '2021-08-10T10:00:00Z', updatedDateTime: null,
    originalUrl: `https://news.example.com/s/${n}`, webUrl: `https://news.example.com/s/${n}`, ampWebUrl: null, cdnAmpWebUrl: null,
    type: 'article', provider: { name: 'Example News', domain: 'example.com' }, topics: [], images: [], locale: 'en-us',
    authors: [], text: 'short', html: null, extraction: { status: 'extracted' },
  } as NewsRecord;
}

/** Runs `newsdesk secured ...` in this process with the given environment; returns output or the error line. */
async function run(args: string[], env: Record<string, string>): Promise<{ ok: boolean; out: string }> {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('NEWSDESK_')) delete process.env[key];
  Object.assign(process.env, env);
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  const program = new Command().exitOverride().option('-c, --config <file>');
  register(program);
  try {
    await program.parseAsync(['node', 'newsdesk', 'secured', ...args]);
    return { ok: true, out: chunks.join('') };
  } catch (err) {
    return { ok: false, out: describeError(err) };
  } finally {
    process.stdout.write = write;
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

test('newsdesk secured decrypt and rotate work on a value and on the store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nd-secured-cli-'));
  try {
    const storePath = join(dir, 'store.sqlite');
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('hex');
    const payload = { text: 'the whole text', rawHtmlSha256: 'ab'.repeat(32), extraction: { status: 'extracted' } };
    const store = await Store.open(storePath);
    const { id } = await store.insertArticle(record(1), { sourceId: null, pathKey: 'k1', secured: encryptSecured(payload, oldKey) });
    const foreign = await store.insertArticle(record(2), { sourceId: null, pathKey: 'k2', secured: encryptSecured(payload, randomBytes(32)) });
    await store.close();
    writeFileSync(join(dir, 'newsdesk.yaml'), '{}\n');
    const env = { NEWSDESK_STORE: storePath, NEWSDESK_SECURED_KEY: oldKey, NEWSDESK_DATA: dir, NEWSDESK_CONFIG: join(dir, 'newsdesk.yaml') };

    const byValue = await run(['decrypt', encryptSecured(payload, oldKey)], env);
    assert.ok(byValue.ok, byValue.out);
    assert.deepEqual(JSON.parse(byValue.out), payload);

    const byArticle = await run(['decrypt', '--article', String(id)], env);
    assert.ok(byArticle.ok, byArticle.out);
    assert.deepEqual(JSON.parse(byArticle.out), payload);

    const missing = await run(['decrypt', '--article', '999'], env);
    assert.deepEqual([missing.ok, /ND_NOT_FOUND/.test(missing.out)], [false, true], missing.out);

    const noKey = await run(['decrypt', '--article', String(id)], { ...env, NEWSDESK_SECURED_KEY: '' });
    assert.deepEqual([noKey.ok, /secured\.key/.test(noKey.out)], [false, true], noKey.out);

    const rotated = await run(['rotate'], { ...env, NEWSDESK_NEW_SECURED_KEY: newKey });
    assert.ok(rotated.ok, rotated.out);
    assert.match(rotated.out, /re-encrypted 1 payloads; 1 did not open/);
    assert.match(rotated.out, new RegExp(`article ${foreign.id}:`));

    const reopened = await Store.open(storePath);
    const stored = await reopened.getArticle(id);
    await reopened.close();
    assert.deepEqual(decryptSecured(stored!.secured!, newKey), payload);
    assert.throws(() => decryptSecured(stored!.secured!, oldKey));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
