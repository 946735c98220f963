// Migrations for scale-out: the durable jobs table of the in-process runner, leases shared by every
// worker (scheduler tick, per-host politeness, curation on SQLite), and the indexes retention needs.
import type { Kysely, Migration } from 'kysely';
import { primaryId, type Dialect } from './migrations.ts';

export function jobsMigrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0300_jobs_queue_and_leases': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('jobs')
          .addColumn('id', ...primaryId(dialect))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          // At most one pending job per key: a source queued twice, an article's curation queued twice.
          .addColumn('job_key', 'text', (c) => c.unique())
          .addColumn('run_at', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(5))
          .addColumn('locked_by', 'text')
          .addColumn('locked_until', 'text')
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        // The claim query: due jobs in run_at order.
        await db.schema.createIndex('jobs_due').on('jobs').columns(['run_at', 'id']).execute();
        await db.schema.createIndex('jobs_locked_by').on('jobs').column('locked_by').execute();

        await db.schema
          .createTable('leases')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('holder', 'text', (c) => c.notNull())
          // Milliseconds since the epoch, so expiry compares as a number on both stores.
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute();

        // The scheduler's due-sources query, with thousands of sources.
        await db.schema.createIndex('sources_due').on('sources').columns(['next_fetch_at', 'id']).execute();
        // Retention: fetch logs by age, unpublished articles by age.
        await db.schema.createIndex('fetch_log_at').on('fetch_log').column('at').execute();
        await db.schema.createIndex('articles_retention').on('articles').columns(['published', 'created_at']).execute();
      },
    },
    // An article is looked up by either of its URLs before every insert; without this the feed's own
    // URL was a full scan, and ingest slowed with every article stored.
    '0301_articles_original_url': {
      async up(db: Kysely<any>) {
        await db.schema.createIndex('articles_original_url').on('articles').column('original_url').execute();
      },
    },
    // A keyed job queued again while it runs is run once more (the consolidation pass, say).
    '0302_jobs_rerun': {
      async up(db: Kysely<any>) {
        await db.schema.alterTable('jobs').addColumn('rerun', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      },
    },
  };
}
