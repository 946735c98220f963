// Editors' passwords (scrypt), sessions kept in the store, CSRF tokens and login rate limits.
import { scrypt, randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import type { LoginLimitState, SiteStore } from '../../store/site.ts';
import { nowIso } from '../../store/values.ts';

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
export function decoy(): Promise<string> {
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
  /** Attempts per account within the window before addresses that have failed are refused for it. */
  perUser: number;
  /** Attempts per client address within the window before the address is refused. */
  perAddress: number;
  windowMinutes: number;
  /** Each time an address or account reaches its limit again, its block lasts twice as long, up to this. */
  maxBlockMinutes: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perUser: 5, perAddress: 20, windowMinutes: 15, maxBlockMinutes: 24 * 60 };

export type LoginOutcome =
  | { ok: true; editorId: number; username: string; token: string; csrf: string; expiresAt: string }
  | { ok: false; reason: 'invalid' | 'rate-limited'; retryAfterSeconds?: number };

export type Reservation = { ok: true } | { ok: false; retryAt: number };

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

  /**
   * Reserves the attempt against the address and the account before the password is hashed, so
   * concurrent guesses cannot all pass a count that none has added to yet; the reservation is
   * settled as a failure or given back after the check.
   */
  async login(username: string, password: string, address: string): Promise<LoginOutcome> {
    const now = this.now().getTime();
    const keys = { user: `user:${username.toLowerCase()}`, address: `address:${address}` };
    const reservation = await this.site.updateLoginLimits([keys.user, keys.address], (states) => reserveAttempt(this.limits, states, keys, now));
    if (!reservation.ok) return { ok: false, reason: 'rate-limited', retryAfterSeconds: Math.max(1, Math.ceil((reservation.retryAt - now) / 1000)) };
    let editor: Awaited<ReturnType<SiteStore['editorByName']>> = null;
    let valid = false;
    try {
      editor = await this.site.editorByName(username);
      valid = (await verifyPassword(password, editor?.passwordHash ?? (await decoy()))) && editor !== null;
    } finally {
      await this.site.updateLoginLimits([keys.user, keys.address], (states) => settleAttempt(this.limits, states, keys, valid, now), now - this.limits.maxBlockMinutes * 60_000);
    }
    if (!editor || !valid) return { ok: false, reason: 'invalid' };
    const token = newToken();
    const csrf = newToken();
    const expiresAt = nowIso(new Date(now + this.sessionHours * 3600_000));
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

/** A key's state as of `now`: an ended block lifted, an ended window begun again, old strikes forgotten. */
export function currentLimitState(limits: LoginLimits, state: LoginLimitState | null | undefined, now: number): LoginLimitState {
  const s = state ? { ...state } : { failures: 0, windowStart: now, blockedUntil: null, strikes: 0, lastAt: now };
  if (s.blockedUntil !== null && s.blockedUntil <= now) s.blockedUntil = null;
  if (s.windowStart + limits.windowMinutes * 60_000 <= now) {
    s.failures = 0;
    s.windowStart = now;
  }
  if (s.blockedUntil === null && s.lastAt + limits.maxBlockMinutes * 60_000 <= now) s.strikes = 0;
  return s;
}

/**
 * An address at its limit is refused. An account at its limit is refused only to addresses that
 * have failed lately: whoever guesses at an editor's name cannot lock the editor out, whose own
 * address has not failed.
 */
export function reserveAttempt(limits: LoginLimits, states: Map<string, LoginLimitState | null>, keys: { user: string; address: string }, now: number): { save: Map<string, LoginLimitState>; result: Reservation } {
  const address = currentLimitState(limits, states.get(keys.address), now);
  const user = currentLimitState(limits, states.get(keys.user), now);
  const windowEnd = (s: LoginLimitState) => s.blockedUntil ?? s.windowStart + limits.windowMinutes * 60_000;
  const save = new Map<string, LoginLimitState>();
  if (address.blockedUntil !== null || address.failures >= limits.perAddress) return { save, result: { ok: false, retryAt: windowEnd(address) } };
  const addressClean = address.failures === 0 && address.strikes === 0;
  if (!addressClean && (user.blockedUntil !== null || user.failures >= limits.perUser)) return { save, result: { ok: false, retryAt: windowEnd(user) } };
  for (const s of [address, user]) {
    s.failures++;
    s.lastAt = now;
  }
  save.set(keys.address, address).set(keys.user, user);
  return { save, result: { ok: true } };
}

/** A failed attempt stays counted, and a key at its limit is blocked, twice as long as the last time; a success gives the address its attempt back and clears the account. */
export function settleAttempt(limits: LoginLimits, states: Map<string, LoginLimitState | null>, keys: { user: string; address: string }, success: boolean, now: number): { save: Map<string, LoginLimitState>; result: null } {
  const address = currentLimitState(limits, states.get(keys.address), now);
  let user = currentLimitState(limits, states.get(keys.user), now);
  if (success) {
    address.failures = Math.max(0, address.failures - 1);
    user = { failures: 0, windowStart: now, blockedUntil: null, strikes: 0, lastAt: now };
  } else {
    for (const [s, limit] of [[address, limits.perAddress], [user, limits.perUser]] as const) {
      if (s.failures < limit || s.blockedUntil !== null) continue;
      s.strikes++;
      s.blockedUntil = now + Math.min(limits.maxBlockMinutes, limits.windowMinutes * 2 ** (s.strikes - 1)) * 60_000;
    }
  }
  return { save: new Map([[keys.address, address], [keys.user, user]]), result: null };
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
