// Runs a suite against every store: a fresh SQLite file and a fresh PostgreSQL schema.
// Where no PostgreSQL is reachable its half is skipped with the reason printed, never silently.
import { describe, before, after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Store, withPostgresMigrationLock, type OpenOptions } from '../../src/store/index.ts';

export const POSTGRES_URL = process.env.NEWSDESK_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

let postgresProbe: Promise<string | null> | null = null;

/** Resolves to null when PostgreSQL answers, else the reason it does not. */
// The timeout is long because other suites in the same file may block the event loop for a while
// (a synchronous SQLite ingest), and a refused connection fails at once anyway.
export function postgresUnavailable(): Promise<string | null> {
  postgresProbe ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 60000 });
    try {
      await client.connect();
      await client.query('select 1');
      return null;
    } catch (err) {
      return `PostgreSQL at ${POSTGRES_URL.replace(/\/\/[^@]*@/, '//')} is unreachable: ${(err as Error).message}`;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return postgresProbe;
}

export interface StoreFixture {
  /** The store under test; fresh for the suite. */
  store: Store;
  /** A location string that opens the same store again (a second process, a restart). */
  location: string;
  schema?: string;
}

export type StoreKind = 'sqlite' | 'postgres';

/** Opens a fresh, empty store of the given kind; `dispose` removes it. */
export async function freshStore(kind: StoreKind, options: Omit<OpenOptions, 'schema'> = {}): Promise<StoreFixture & { dispose(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'newsdesk-test-'));
    const location = join(dir, 'store.sqlite');
    const store = await Store.open(location, options);
    return {
      store,
      location,
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `nd_test_${randomBytes(5).toString('hex')}`;
  const store = await Store.open(POSTGRES_URL, { ...options, schema });
  return {
    store,
    location: POSTGRES_URL,
    schema,
    async dispose() {
      await store.close();
      await withPostgresMigrationLock(POSTGRES_URL, async () => {
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      });
    },
  };
}

/** Asked once, before any suite is declared (this module's top-level await). */
const postgresReason = await postgresUnavailable();

/**
 * Declares `suite` once per store kind. Inside, `fixture()` returns the open store.
 * The PostgreSQL half is skipped, with the reason printed, when the server is unreachable.
 */
export function describeEachStore(name: string, suite: (fixture: () => StoreFixture, kind: StoreKind) => void): void {
  for (const kind of ['sqlite', 'postgres'] as const) {
    // Synchronous: the test runner collects the tests of a suite whose callback awaits only for
    // the first such suite of a file, and the PostgreSQL halves of the later ones ran nothing.
    describe(`${name} [${kind}]`, () => {
      const reason = kind === 'postgres' ? postgresReason : null;
      if (reason) {
        process.stdout.write(`# skipping ${name} [postgres]: ${reason}\n`);
        describe.skip(`skipped: ${reason}`, () => {});
        return;
      }
      let current: (StoreFixture & { dispose(): Promise<void> }) | null = null;
      before(async () => {
        current = await freshStore(kind);
      });
      after(async () => {
        await current?.dispose();
      });
      suite(() => {
        if (!current) throw new Error('store not open yet');
        return current;
      }, kind);
    });
  }
}
