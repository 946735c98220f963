// Editors' passwords (scrypt), sessions kept in the store, CSRF tokens and login rate limits.
import { scrypt, randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import type { SiteStore } from '../../store/site.ts';
import { nowIso } from '../../store/site.ts';

const KEY_LENGTH = 64;
/** scrypt cost: 2^15 costs ~32 MiB and some tens of ms per check, which is the point. */
const DEFAULT_COST = { N: 1 << 15, r: 8, p: 1 };

function scryptAsync(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...params, maxmem: 256 * params.N * params.r }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash` (salt and hash base64url): parameters travel with the hash so they can rise later. */
export async function hashPassword(password: string, cost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!N || !r || !p) return false;
  const expected = Buffer.from(parts[5]!, 'base64url');
  const key = await scryptAsync(password, Buffer.from(parts[4]!, 'base64url'), { N, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of a random password, checked against when the username is unknown so timing does not tell. */
let decoyHash: Promise<string> | null = null;
function decoy(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return decoyHash;
}

export function validatePassword(password: string): string | null {
  if (password.length < 10) return 'the password must have at least 10 characters';
  if (password.length > 1024) return 'the password is too long';
  return null;
}

export function validateUsername(username: string): string | null {
  return /^[a-zA-Z0-9._-]{2,64}$/.test(username) ? null : 'the username must be 2 to 64 letters, digits, dots, hyphens or underscores';
}

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export interface LoginLimits {
  /** Failures per username within the window before further attempts are refused. */
  perUser: number;
  /** Failures per client address within the window. */
  perAddress: number;
  windowMinutes: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perUser: 5, perAddress: 20, windowMinutes: 15 };

export type LoginOutcome =
  | { ok: true; editorId: number; username: string; token: string; csrf: string; expiresAt: string }
  | { ok: false; reason: 'invalid' | 'rate-limited'; retryAfterMinutes?: number };

export class EditorAuth {
  constructor(
    private readonly site: SiteStore,
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
    private readonly sessionHours = 12,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async createEditor(username: string, password: string): Promise<number> {
    return this.site.createEditor(username, await hashPassword(password));
  }

  async setPassword(username: string, password: string): Promise<boolean> {
    return this.site.setEditorPassword(username, await hashPassword(password));
  }

  /** Checks the limits first, then the password; failures count against both the name and the address. */
  async login(username: string, password: string, address: string): Promise<LoginOutcome> {
    const now = this.now();
    const since = new Date(now.getTime() - this.limits.windowMinutes * 60_000);
    const userKey = `user:${username.toLowerCase()}`;
    const addressKey = `address:${address}`;
    const [userFailures, addressFailures] = await Promise.all([this.site.loginFailuresSince(userKey, since), this.site.loginFailuresSince(addressKey, since)]);
    if (userFailures >= this.limits.perUser || addressFailures >= this.limits.perAddress) {
      return { ok: false, reason: 'rate-limited', retryAfterMinutes: this.limits.windowMinutes };
    }
    const editor = await this.site.editorByName(username);
    const valid = await verifyPassword(password, editor?.passwordHash ?? (await decoy()));
    if (!editor || !valid) {
      await this.site.recordLoginFailure([userKey, addressKey], now, since);
      return { ok: false, reason: 'invalid' };
    }
    await this.site.clearLoginFailures(userKey);
    await this.site.clearLoginFailures(addressKey, since);
    const token = newToken();
    const csrf = newToken();
    const expiresAt = nowIso(new Date(now.getTime() + this.sessionHours * 3600_000));
    await this.site.createSession(tokenHash(token), editor.id, csrf, expiresAt);
    return { ok: true, editorId: editor.id, username: editor.username, token, csrf, expiresAt };
  }

  async session(token: string | undefined): Promise<{ editorId: number; username: string; csrfToken: string } | null> {
    if (!token) return null;
    return this.site.session(tokenHash(token), this.now());
  }

  async logout(token: string | undefined): Promise<void> {
    if (token) await this.site.deleteSession(tokenHash(token));
  }
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name && !(name in out)) {
      try {
        out[name] = decodeURIComponent(value);
      } catch {
        out[name] = value;
      }
    }
  }
  return out;
}
