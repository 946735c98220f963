// The login limiter on both stores, with the real scrypt cost: concurrent guesses are reserved
// before hashing, so no more pass than the limit; an account under attack stays open to its editor.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachStore } from '../../../test/helpers/stores.ts';
import { Store } from '../../store/index.ts';
import { SiteStore } from '../../store/site.ts';
import { EditorAuth, DEFAULT_LOGIN_LIMITS } from './auth.ts';

const PASSWORD = 'the editor password';

describeEachStore('login limits', (fixture, kind) => {
  let clock = new Date('2026-03-01T10:00:00Z');
  let auth: EditorAuth;
  // PostgreSQL: a second pool on the same schema, as a second server process would hold. (Two
  // SQLite handles in one process would block each other's event loop; there the one connection
  // and BEGIN IMMEDIATE serialize the callers.)
  let other: Store | null = null;
  let otherAuth: EditorAuth;

  before(async () => {
    const { store, location, schema } = fixture();
    auth = new EditorAuth(new SiteStore(store), DEFAULT_LOGIN_LIMITS, 12, () => clock);
    otherAuth = auth;
    if (kind === 'postgres') {
      other = await Store.open(location, { schema });
      otherAuth = new EditorAuth(new SiteStore(other), DEFAULT_LOGIN_LIMITS, 12, () => clock);
    }
    await auth.createEditor('ed', PASSWORD);
    await auth.createEditor('kim', PASSWORD);
  });
  after(async () => {
    await other?.close();
  });

  it('60 concurrent wrong passwords from one address: at most 20 are checked, the rest refused', async () => {
    const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? auth : otherAuth).login(`nobody${i}`, 'wrong guess', '203.0.113.7')));
    const checked = outcomes.filter((o) => !o.ok && o.reason === 'invalid').length;
    const refused = outcomes.filter((o) => !o.ok && o.reason === 'rate-limited').length;
    assert.equal(checked, DEFAULT_LOGIN_LIMITS.perAddress);
    assert.equal(refused, 60 - DEFAULT_LOGIN_LIMITS.perAddress);
    assert.equal((await auth.login('kim', PASSWORD, '203.0.113.7')).ok, false, 'the address stays limited, the right password included');
  });

  it('60 concurrent wrong passwords for one account: at most 5 are checked, and its editor still logs in from an address that has not failed', async () => {
    const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? auth : otherAuth).login('ed', `guess ${i}`, '198.51.100.1')));
    assert.equal(outcomes.filter((o) => !o.ok && o.reason === 'invalid').length, DEFAULT_LOGIN_LIMITS.perUser);
    const limited = outcomes.find((o) => !o.ok && o.reason === 'rate-limited');
    assert.ok(limited && !limited.ok && (limited.retryAfterSeconds ?? 0) > 0, 'says when to retry');
    assert.equal((await auth.login('ed', PASSWORD, '198.51.100.1')).ok, false, 'an address that guessed is refused for the account, even with the right password');
    const editor = await auth.login('ed', PASSWORD, '192.0.2.10');
    assert.equal(editor.ok, true, 'the right password from a fresh address works');
    assert.equal((await auth.login('ed', PASSWORD, '198.51.100.1')).ok, true, 'a success lifts the account block');
  });

  it('while an account is limited, each address that has not failed gets one attempt, not more', async () => {
    for (let i = 0; i < DEFAULT_LOGIN_LIMITS.perUser; i++) await auth.login('kim', `guess ${i}`, '198.51.100.20');
    const fresh = await Promise.all(Array.from({ length: 10 }, () => auth.login('kim', 'another guess', '198.51.100.21')));
    assert.equal(fresh.filter((o) => !o.ok && o.reason === 'invalid').length, 1);
    assert.equal(fresh.filter((o) => !o.ok && o.reason === 'rate-limited').length, 9);
  });

  it('a block that ends is followed by a longer one when the limit is reached again', async () => {
    const address = '203.0.113.99';
    const limits = { ...DEFAULT_LOGIN_LIMITS, perAddress: 3 };
    const strict = new EditorAuth(new SiteStore(fixture().store), limits, 12, () => clock);
    const fail = async () => {
      for (let i = 0; i < limits.perAddress; i++) await strict.login(`x${i}`, 'wrong', address);
      const refused = await strict.login('x', 'wrong', address);
      assert.ok(!refused.ok && refused.reason === 'rate-limited');
      return refused.retryAfterSeconds!;
    };
    const first = await fail();
    assert.equal(first, DEFAULT_LOGIN_LIMITS.windowMinutes * 60);
    clock = new Date(clock.getTime() + first * 1000);
    const second = await fail();
    assert.equal(second, 2 * first);
    clock = new Date(clock.getTime() + DEFAULT_LOGIN_LIMITS.maxBlockMinutes * 60_000 + second * 1000);
    assert.equal(await fail(), first, 'strikes are forgotten after a quiet day');
  });
});
