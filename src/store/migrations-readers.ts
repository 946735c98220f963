// Tables of reader apps (Google Reader and Fever APIs): readers' accounts, their API tokens, their
// read and starred state per story, and stable integer ids for the desk's feeds (Fever numbers feeds).
import { sql, type Kysely, type Migration } from 'kysely';
import { primaryId, type Dialect } from './migrations.ts';

export function readersMigrations(dialect: Dialect): Record<string, Migration> {
  const [idType, idConstraint] = primaryId(dialect);
  return {
    '0500_readers': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('readers')
          .addColumn('id', idType, idConstraint)
          .addColumn('name', 'text', (c) => c.notNull().unique())
          // reader | editor (an editor also has a row in site_editors, with the same login password)
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          // A separate password for reader apps; null: apps use the login password.
          .addColumn('api_password_hash', 'text')
          // sha256 of the Fever key (md5 of "name:password" by the Fever spec); null: no Fever access.
          .addColumn('fever_key_hash', 'text')
          // 1: a read story that gains coverage becomes unread again.
          .addColumn('resurface', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('last_seen_at', 'text')
          .execute();
        await db.schema.createIndex('readers_fever_key').on('readers').column('fever_key_hash').execute();

        await db.schema
          .createTable('reader_tokens')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('reader_id', 'integer', (c) => c.notNull().references('readers.id').onDelete('cascade'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('reader_tokens_reader').on('reader_tokens').column('reader_id').execute();
        await db.schema.createIndex('reader_tokens_expires').on('reader_tokens').column('expires_at').execute();

        // Keyed by story id (an item is a published story), not by article: the state follows the
        // story through merges (rows of a merged-away story are folded into the story it redirects to).
        await db.schema
          .createTable('reader_items')
          .addColumn('reader_id', 'integer', (c) => c.notNull().references('readers.id').onDelete('cascade'))
          .addColumn('story_id', 'integer', (c) => c.notNull())
          .addColumn('is_read', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('is_starred', 'integer', (c) => c.notNull().defaultTo(0))
          // The story's member count when it was marked read: more members since is new coverage.
          .addColumn('read_members', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('read_at', 'text')
          .addColumn('starred_at', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('reader_items_pk', ['reader_id', 'story_id'])
          .execute();
        await db.schema.createIndex('reader_items_starred').on('reader_items').columns(['reader_id', 'is_starred', 'story_id']).execute();
        await db.schema.createIndex('reader_items_story').on('reader_items').columns(['story_id', 'is_starred']).execute();

        await db.schema
          .createTable('reader_feeds')
          .addColumn('id', idType, idConstraint)
          // provider | topic
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addUniqueConstraint('reader_feeds_kind_key', ['kind', 'key'])
          .execute();
        void sql;
      },
    },
    '0501_reader_item_numbers': {
      async up(db: Kysely<any>) {
        // Fever numbers items and pages them by number (since_id): a story is numbered when a reader
        // app first sees it as an item, so numbers grow in the order items appear and a client that
        // has paged past a number never misses a later item. Story ids are not that: a story is opened
        // at curation, long before (or without) being published.
        await db.schema
          .createTable('reader_item_numbers')
          .addColumn('number', idType, idConstraint)
          .addColumn('story_id', 'integer', (c) => c.notNull().unique())
          // When the number was given (ISO, milliseconds): Fever's `before` compares against it.
          .addColumn('numbered_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
  };
}
