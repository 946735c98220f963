import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { encryptSecured, decryptSecured, rotateSecured, parseSecuredKey, createSecurer, hashRawHtml, type SecuredPayload } from './secured.ts';
import { isNewsdeskError } from '../errors.ts';

const key = randomBytes(32);
const payload: SecuredPayload = {
  text: 'Full text of the article.\n\nSecond paragraph with ünïcödé.',
  rawHtmlSha256: hashRawHtml('<html>raw</html>'),
  extraction: { status: 'extracted', extractor: 'readability+cleanup', chars: 52 },
};

test('encrypt then decrypt gives the payload back, in the stored format', () => {
  const value = encryptSecured(payload, key);
  assert.match(value, /^[A-Za-z0-9+/]+=*;[A-Za-z0-9+/]+=*$/);
  const [, iv] = value.split(';');
  assert.equal(Buffer.from(iv!, 'base64').length, 16);
  assert.deepEqual(decryptSecured(value, key), payload);
  assert.notEqual(encryptSecured(payload, key), value, 'a fresh IV each time');
  assert.equal(decryptSecured(encryptSecured('plain words', key), key), 'plain words');
});

test('a wrong key or an altered value does not open', () => {
  const value = encryptSecured(payload, key);
  assert.throws(() => decryptSecured(value, randomBytes(32)), (err) => isNewsdeskError(err, 'ND_FORBIDDEN'));
  const [sealed, iv] = value.split(';');
  const bytes = Buffer.from(sealed!, 'base64');
  bytes[0] = bytes[0]! ^ 1;
  assert.throws(() => decryptSecured(`${bytes.toString('base64')};${iv}`, key), (err) => isNewsdeskError(err, 'ND_FORBIDDEN'));
  for (const malformed of ['', 'abc', 'a;b;c', `${sealed};${Buffer.alloc(12).toString('base64')}`]) {
    assert.throws(() => decryptSecured(malformed, key), (err) => isNewsdeskError(err, 'ND_BAD_REQUEST'), malformed);
  }
});

test('rotation re-encrypts under the new key only', () => {
  const newKey = randomBytes(32);
  const rotated = rotateSecured(encryptSecured(payload, key), key, newKey);
  assert.deepEqual(decryptSecured(rotated, newKey), payload);
  assert.throws(() => decryptSecured(rotated, key));
  assert.throws(() => rotateSecured(rotated, key, newKey), 'the old key no longer opens it');
});

test('keys are accepted as hex or base64 of exactly 32 bytes', () => {
  const hex = key.toString('hex');
  const cases: Array<[string, boolean]> = [
    [hex, true], [hex.toUpperCase(), true], [key.toString('base64'), true], [key.toString('base64url'), true],
    [` ${hex}\n`, true], [hex.slice(2), false], [randomBytes(16).toString('base64'), false], ['not a key at all!', false], ['', false],
  ];
  for (const [text, ok] of cases) {
    if (ok) assert.deepEqual(parseSecuredKey(text), key, text);
    else assert.throws(() => parseSecuredKey(text), (err) => isNewsdeskError(err, 'ND_CONFIG_INVALID') && !String((err as Error).message).includes(text || '\u0000'), text);
  }
  const value = encryptSecured(payload, hex);
  assert.deepEqual(decryptSecured(value, key.toString('base64')), payload);
});

test('without a key the securer returns null and says why once', () => {
  const warnings: string[] = [];
  const log = { warn: (_obj: unknown, message?: string) => { warnings.push(message ?? ''); } };
  const securer = createSecurer(undefined, log as never);
  assert.equal(securer(payload), null);
  assert.equal(securer(payload), null);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /no key configured/);
  const keyed = createSecurer(key.toString('base64'), log as never);
  assert.deepEqual(decryptSecured(keyed(payload)!, key), payload);
  assert.throws(() => createSecurer('short', log as never), (err) => isNewsdeskError(err, 'ND_CONFIG_INVALID'));
});
