// Readers' accounts and how reader apps prove who they are. Passwords are hashed as the desk's are
// (scrypt); an editor of the desk is a reader too. Reader apps may use a separate API password: the
// Google Reader API trades it for a token (ClientLogin), and the Fever key is, by the Fever spec,
// md5("name:password") of it (or of the login password when no API password is set); the store keeps
// only the sha256 of that key. Attempts are limited per account and per address as on the desk login.
import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../../store/index.ts';
import { ReaderStore, type Reader, type ReaderRole } from '../../store/readers.ts';
import { SiteStore } from '../../store/site.ts';
import { nowIso } from '../../store/values.ts';
import { DEFAULT_LOGIN_LIMITS, decoy, hashPassword, reserveAttempt, settleAttempt, currentLimitState, tokenHash, validatePassword, validateUsername, verifyPassword, type LoginLimits } from '../desk/auth.ts';

/** The Fever key of a name and password, as the Fever spec defines it: md5 of "name:password", lowercase hex. */
export function feverKey(name: string, password: string): string {
  return createHash('md5').update(`${name}:${password}`).digest('hex');
}

/** What the store keeps of a Fever key. */
export const feverKeyHash = (key: string) => createHash('sha256').update(`fever:${key.trim().toLowerCase()}`).digest('hex');

/** Google Reader's write token (T), derived from the Auth token so it needs no storage. */
export const writeToken = (authToken: string) => createHash('sha256').update(`greader-write:${authToken}`).digest('hex').slice(0, 40);

export class AccountError extends Error {}

export interface AccountListing {
  name: string;
  role: ReaderRole;
  apiPassword: boolean;
  fever: boolean;
  createdAt: string;
  lastSeenAt: string | null;
  /** An editor created with `admin create` who has not used a reader app yet. */
  deskOnly: boolean;
}

export type ApiAuth = { ok: true; reader: Reader } | { ok: false; reason: 'invalid' | 'rate-limited'; retryAfterSeconds?: number };

export class ReaderAccounts {
  readonly readers: ReaderStore;
  readonly site: SiteStore;

  constructor(
    store: Store,
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
    private readonly tokenDays = 30,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.readers = new ReaderStore(store);
    this.site = new SiteStore(store);
  }

  // ---- management (the `users` command) -------------------------------------------------------------

  async add(name: string, role: ReaderRole, password: string): Promise<void> {
    const problem = validateUsername(name) ?? validatePassword(password);
    if (problem) throw new AccountError(problem);
    if ((await this.readers.readerByName(name)) || (await this.site.editorByName(name))) throw new AccountError(`a user named ${name} exists already (use users password)`);
    const hash = await hashPassword(password);
    // One transaction through its own view: an editor is made whole or not at all.
    await this.site.store.inTransaction(async (view) => {
      await new ReaderStore(view).createReader({ name, role, passwordHash: hash, feverKeyHash: feverKeyHash(feverKey(name, password)) });
      if (role === 'editor') await new SiteStore(view).createEditor(name, hash);
    });
  }

  /** The login password (the desk's too, for an editor). */
  async setPassword(name: string, password: string): Promise<void> {
    const problem = validatePassword(password);
    if (problem) throw new AccountError(problem);
    const reader = await this.readers.readerByName(name);
    const editor = await this.site.editorByName(name);
    if (!reader && !editor) throw new AccountError(`no user named ${name}`);
    const hash = await hashPassword(password);
    if (reader) await this.readers.setPassword(name, hash, feverKeyHash(feverKey(name, password)));
    if (editor) await this.site.setEditorPassword(name, hash);
  }

  /** A separate password for reader apps (and the Fever key made from it); null goes back to the login password, without Fever. */
  async setApiPassword(name: string, password: string | null): Promise<void> {
    if (password !== null) {
      const problem = validatePassword(password);
      if (problem) throw new AccountError(problem);
    }
    if (!(await this.readers.readerByName(name))) {
      if (!(await this.readerForEditor(name))) throw new AccountError(`no user named ${name}`);
    }
    await this.readers.setApiPassword(name, password === null ? null : await hashPassword(password), password === null ? null : feverKeyHash(feverKey(name, password)));
  }

  async remove(name: string): Promise<void> {
    const reader = await this.readers.removeReader(name);
    const editor = await this.site.removeEditor(name);
    if (!reader && !editor) throw new AccountError(`no user named ${name}`);
  }

  async list(): Promise<AccountListing[]> {
    const readers = await this.readers.listReaders();
    const names = new Set(readers.map((r) => r.name));
    const out: AccountListing[] = readers.map((r) => ({ name: r.name, role: r.role, apiPassword: r.apiPasswordHash !== null, fever: r.feverKeyHash !== null, createdAt: r.createdAt, lastSeenAt: r.lastSeenAt, deskOnly: false }));
    for (const e of await this.site.listEditors()) {
      if (!names.has(e.username)) out.push({ name: e.username, role: 'editor', apiPassword: false, fever: false, createdAt: e.createdAt, lastSeenAt: e.lastLoginAt, deskOnly: true });
    }
    return out;
  }

  /** An editor of the desk is a reader too: their reader row is made on first use, with the desk password. */
  private async readerForEditor(name: string): Promise<Reader | null> {
    const editor = await this.site.editorByName(name);
    if (!editor) return null;
    try {
      await this.readers.createReader({ name, role: 'editor', passwordHash: editor.passwordHash });
    } catch (err) {
      // Made meanwhile by another request; any other failure is not hidden behind "no such user".
      const made = await this.readers.readerByName(name);
      if (made) return made;
      throw err;
    }
    return this.readers.readerByName(name);
  }

  /** Whether a read story that gains new coverage shows as unread again for this reader. */
  async setResurface(name: string, on: boolean): Promise<void> {
    const reader = (await this.readers.readerByName(name)) ?? (await this.readerForEditor(name));
    if (!reader) throw new AccountError(`no user named ${name}`);
    await this.readers.setResurface(reader.id, on);
  }

  // ---- reader apps ------------------------------------------------------------------------------------

  private retry(retryAt: number, now: number) {
    return Math.max(1, Math.ceil((retryAt - now) / 1000));
  }

  /**
   * A name and password from a reader app (Google Reader's ClientLogin): the API password when the
   * reader has one, else the login password. The attempt is reserved against the account and the
   * address before the password is hashed, as on the desk.
   */
  async passwordLogin(name: string, password: string, address: string): Promise<ApiAuth> {
    const now = this.now().getTime();
    const keys = { user: `api-user:${name.toLowerCase()}`, address: `api-address:${address}` };
    const reservation = await this.site.updateLoginLimits([keys.user, keys.address], (states) => reserveAttempt(this.limits, states, keys, now));
    if (!reservation.ok) return { ok: false, reason: 'rate-limited', retryAfterSeconds: this.retry(reservation.retryAt, now) };
    let reader: Reader | null = null;
    let valid = false;
    try {
      reader = (await this.readers.readerByName(name)) ?? (await this.readerForEditor(name));
      const hash = reader ? reader.apiPasswordHash ?? reader.passwordHash : await decoy();
      valid = (await verifyPassword(password, hash)) && reader !== null;
    } finally {
      await this.site.updateLoginLimits([keys.user, keys.address], (states) => settleAttempt(this.limits, states, keys, valid, now), now - this.limits.maxBlockMinutes * 60_000);
    }
    if (!reader || !valid) return { ok: false, reason: 'invalid' };
    await this.readers.touch(reader.id);
    return { ok: true, reader };
  }

  /** A new Google Reader Auth token for the reader. */
  async issueToken(reader: Reader): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.readers.createToken(tokenHash(token), reader.id, nowIso(new Date(this.now().getTime() + this.tokenDays * 86_400_000)));
    return token;
  }

  /**
   * A credential sent with every request (a Google Reader token, a Fever key): looked up by its hash.
   * A wrong one counts as a failed attempt of the address (and a blocked address is refused even a
   * right one), so guessing keys is limited as guessing passwords is.
   */
  async bearer(kind: 'greader' | 'fever', secret: string | null, address: string): Promise<ApiAuth> {
    const now = this.now().getTime();
    const keys = { user: `api-${kind}:${address}`, address: `api-address:${address}` };
    const reader = secret ? (kind === 'greader' ? await this.readers.readerByToken(tokenHash(secret), this.now()) : await this.readers.readerByFeverKey(feverKeyHash(secret))) : null;
    if (reader) {
      const state = currentLimitState(this.limits, await this.site.loginLimitState(keys.address), now);
      if (state.blockedUntil !== null) return { ok: false, reason: 'rate-limited', retryAfterSeconds: this.retry(state.blockedUntil, now) };
      return { ok: true, reader };
    }
    // No credential at all is no guess: refused, not counted.
    if (!secret) return { ok: false, reason: 'invalid' };
    // A bearer names no account: the address's own limit is the one that holds.
    const limits = { ...this.limits, perUser: this.limits.perAddress };
    const reservation = await this.site.updateLoginLimits([keys.user, keys.address], (states) => reserveAttempt(limits, states, keys, now));
    if (!reservation.ok) return { ok: false, reason: 'rate-limited', retryAfterSeconds: this.retry(reservation.retryAt, now) };
    await this.site.updateLoginLimits([keys.user, keys.address], (states) => settleAttempt(limits, states, keys, false, now), now - this.limits.maxBlockMinutes * 60_000);
    return { ok: false, reason: 'invalid' };
  }
}
