// The `secured` field: a private payload (the full extracted text, a hash of the raw HTML and the
// extraction details) that is published with the record but readable only with the desk's key.
// AES-256-GCM; stored as `<base64 ciphertext followed by the 16-byte tag>;<base64 IV>`, with a
// 16-byte IV like the reference records.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { newsdeskError } from '../errors.ts';

export interface SecuredPayload {
  /** The full extracted main text. */
  text: string;
  /** sha256 of the raw HTML bytes as fetched, hex. */
  rawHtmlSha256: string | null;
  /** How the text was obtained: status, reason, extractor details. */
  extraction: Record<string, unknown>;
  /** Anything else a deployment wants kept private. */
  [key: string]: unknown;
}

const IV_BYTES = 16;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/**
 * Reads a key from configuration: 64 hex digits, or base64 (standard or URL-safe) of 32 bytes.
 * Anything else is a configuration error naming `secured.key` (the key itself is never echoed).
 */
export function parseSecuredKey(text: string, path = 'secured.key'): Buffer {
  const value = text.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-f]{64}$/i.test(value)) key = Buffer.from(value, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    const decoded = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (decoded.length === KEY_BYTES) key = decoded;
  }
  if (!key) {
    throw newsdeskError('ND_CONFIG_INVALID', {
      path,
      reason: `the key must be ${KEY_BYTES} bytes, written as 64 hex digits or base64 (e.g. from \`openssl rand -base64 32\`)`,
    });
  }
  return key;
}

function asKey(key: Buffer | string): Buffer {
  if (typeof key === 'string') return parseSecuredKey(key);
  if (key.length !== KEY_BYTES) throw newsdeskError('ND_CONFIG_INVALID', { path: 'secured.key', reason: `the key must be ${KEY_BYTES} bytes` });
  return key;
}

/** sha256 of the raw HTML, hex: proves later which bytes the text came from. */
export function hashRawHtml(raw: Uint8Array | string): string {
  return createHash('sha256').update(raw).digest('hex');
}

/** Encrypts a payload (an object is stored as JSON) under the key. A fresh IV every time. */
export function encryptSecured(payload: SecuredPayload | string, key: Buffer | string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', asKey(key), iv, { authTagLength: TAG_BYTES });
  const plain = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8');
  const sealed = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return `${sealed.toString('base64')};${iv.toString('base64')}`;
}

/** The plaintext of a secured value, as a string. Throws when the key is wrong or the value altered. */
export function decryptSecuredText(value: string, key: Buffer | string): string {
  const [sealedText, ivText, extra] = value.trim().split(';');
  if (!sealedText || !ivText || extra !== undefined) {
    throw newsdeskError('ND_BAD_REQUEST', { reason: 'a secured value is "<base64 ciphertext>;<base64 IV>"' });
  }
  const sealed = Buffer.from(sealedText, 'base64');
  const iv = Buffer.from(ivText, 'base64');
  if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) {
    throw newsdeskError('ND_BAD_REQUEST', { reason: `a secured value needs a ${IV_BYTES}-byte IV and a ${TAG_BYTES}-byte tag` });
  }
  const decipher = createDecipheriv('aes-256-gcm', asKey(key), iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch (err) {
    throw newsdeskError('ND_FORBIDDEN', { reason: 'the secured value does not open with this key (wrong key, or the value was altered)' }, err);
  }
}

/** The payload of a secured value: the parsed object for JSON payloads, otherwise the text. */
export function decryptSecured(value: string, key: Buffer | string): SecuredPayload | string {
  const text = decryptSecuredText(value, key);
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as SecuredPayload;
  } catch {
    // Not JSON: a plain-text payload.
  }
  return text;
}

/** Re-encrypts a value under a new key (fresh IV), checking it opens with the old one first. */
export function rotateSecured(value: string, oldKey: Buffer | string, newKey: Buffer | string): string {
  return encryptSecured(decryptSecuredText(value, oldKey), newKey);
}

/**
 * The function the pipeline uses: encrypts with the configured key, or returns null when no key is
 * configured and says why in the log once per process.
 */
export function createSecurer(keyText: string | undefined | null, log?: Pick<Logger, 'warn'>): (payload: SecuredPayload) => string | null {
  if (!keyText) {
    let told = false;
    return () => {
      if (!told) {
        told = true;
        log?.warn({ setting: 'secured.key' }, 'secured payloads are off: no key configured (secured.key or NEWSDESK_SECURED_KEY), so the secured field stays null');
      }
      return null;
    };
  }
  const key = parseSecuredKey(keyText);
  return (payload) => encryptSecured(payload, key);
}
