// Tables of the reader site and the editor's desk: the full-text index, editors, sessions, login
// attempts, topic corrections and the desk's audit trail.
import { sql, type Kysely, type Migration } from 'kysely';
import { primaryId, type Dialect } from './migrations.ts';

export function siteMigrations(dialect: Dialect): Record<string, Migration> {
  const [idType, idConstraint] = primaryId(dialect);
  return {
    '0100_site_search': {
      async up(db: Kysely<any>) {
        if (dialect === 'sqlite') {
          // External-content FTS5: the text lives once, in articles; triggers keep the index in step
          // with every insert, delete and change of title, excerpt or text (and only those).
          await sql`CREATE VIRTUAL TABLE site_articles_fts USING fts5(title, excerpt, text, content='articles', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')`.execute(db);
          await sql`CREATE TRIGGER site_articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO site_articles_fts(rowid, title, excerpt, text) VALUES (new.id, new.title, new.excerpt, new.text);
          END`.execute(db);
          await sql`CREATE TRIGGER site_articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO site_articles_fts(site_articles_fts, rowid, title, excerpt, text) VALUES ('delete', old.id, old.title, old.excerpt, old.text);
          END`.execute(db);
          await sql`CREATE TRIGGER site_articles_fts_update AFTER UPDATE OF title, excerpt, text ON articles BEGIN
            INSERT INTO site_articles_fts(site_articles_fts, rowid, title, excerpt, text) VALUES ('delete', old.id, old.title, old.excerpt, old.text);
            INSERT INTO site_articles_fts(rowid, title, excerpt, text) VALUES (new.id, new.title, new.excerpt, new.text);
          END`.execute(db);
          await sql`INSERT INTO site_articles_fts(site_articles_fts) VALUES ('rebuild')`.execute(db);
        } else {
          // A side table rather than a generated column, so `select *` on articles stays lean.
          await sql`CREATE TABLE site_article_search (
            article_id integer PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            document tsvector NOT NULL)`.execute(db);
          await sql`CREATE INDEX site_article_search_document ON site_article_search USING gin(document)`.execute(db);
          await sql`CREATE FUNCTION site_article_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO site_article_search(article_id, document)
              VALUES (NEW.id, setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
                || setweight(to_tsvector('english', coalesce(NEW.excerpt, '')), 'B')
                || setweight(to_tsvector('english', left(coalesce(NEW.text, ''), 200000)), 'C'))
              ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document;
              RETURN NEW;
            END $$`.execute(db);
          await sql`CREATE TRIGGER site_article_search_insert AFTER INSERT ON articles FOR EACH ROW EXECUTE FUNCTION site_article_search_sync()`.execute(db);
          await sql`CREATE TRIGGER site_article_search_update AFTER UPDATE OF title, excerpt, text ON articles FOR EACH ROW EXECUTE FUNCTION site_article_search_sync()`.execute(db);
          await sql`INSERT INTO site_article_search(article_id, document)
            SELECT id, setweight(to_tsvector('english', coalesce(title, '')), 'A')
              || setweight(to_tsvector('english', coalesce(excerpt, '')), 'B')
              || setweight(to_tsvector('english', left(coalesce(text, ''), 200000)), 'C') FROM articles`.execute(db);
        }
        await db.schema.createIndex('site_articles_provider').on('articles').columns(['provider_domain', 'listed', 'published_at']).execute();
      },
    },
    '0101_site_desk': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('site_editors')
          .addColumn('id', idType, idConstraint)
          .addColumn('username', 'text', (c) => c.notNull().unique())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('last_login_at', 'text')
          .execute();
        await db.schema
          .createTable('site_sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('editor_id', 'integer', (c) => c.notNull().references('site_editors.id').onDelete('cascade'))
          .addColumn('csrf_token', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('site_sessions_expires').on('site_sessions').column('expires_at').execute();
        await db.schema
          .createTable('site_login_failures')
          .addColumn('id', idType, idConstraint)
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('site_login_failures_key').on('site_login_failures').columns(['key', 'at']).execute();
        await db.schema
          .createTable('site_topic_corrections')
          .addColumn('id', idType, idConstraint)
          .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
          .addColumn('topics', 'text', (c) => c.notNull())
          .addColumn('previous', 'text', (c) => c.notNull())
          .addColumn('editor', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('site_topic_corrections_article').on('site_topic_corrections').columns(['article_id', 'id']).execute();
        await db.schema
          .createTable('site_audit')
          .addColumn('id', idType, idConstraint)
          .addColumn('editor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('story_id', 'integer')
          .addColumn('article_id', 'integer')
          .addColumn('detail', 'text')
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('site_audit_story').on('site_audit').columns(['story_id', 'id']).execute();
      },
    },
    // Login limits as one row per address or account, read and written under a lock: a log of
    // failures, counted and then appended to, let concurrent guesses all pass the count.
    // (Numbered after every migration existing stores may have applied, 0400_story_consolidation included.)
    '0401_site_login_limits': {
      async up(db: Kysely<any>) {
        await db.schema.dropTable('site_login_failures').execute();
        await db.schema
          .createTable('site_login_limits')
          .addColumn('key', 'text', (c) => c.primaryKey())
          // Attempts counted in the current window, including those still being checked.
          .addColumn('failures', 'integer', (c) => c.notNull())
          // Milliseconds since the epoch, so times compare as numbers on both stores.
          .addColumn('window_start', 'bigint', (c) => c.notNull())
          .addColumn('blocked_until', 'bigint')
          // How often the key reached its limit: each block lasts twice the one before.
          .addColumn('strikes', 'integer', (c) => c.notNull())
          .addColumn('last_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('site_login_limits_last_at').on('site_login_limits').column('last_at').execute();
      },
    },
    '0602_search_blocks': {
      async up(db: Kysely<any>) {
        if (dialect !== 'postgres') return;
        // Each document carries the lexemes of its block of 1,000 article ids and of its coarse block
        // of 16,000 ('r <id / 1000>', 'rr <id / 16000>': lexemes with a space, which no parsed query
        // contains), so a search can ask GIN for the newest matches without visiting every older one
        // (see SiteStore.search).
        await sql`CREATE OR REPLACE FUNCTION site_article_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO site_article_search(article_id, document)
              VALUES (NEW.id, setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
                || setweight(to_tsvector('english', coalesce(NEW.excerpt, '')), 'B')
                || setweight(to_tsvector('english', left(coalesce(NEW.text, ''), 200000)), 'C')
                || ('''r ' || (NEW.id / 1000) || ''' ''rr ' || (NEW.id / 16000) || '''')::tsvector)
              ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document;
              RETURN NEW;
            END $$`.execute(db);
        await sql`UPDATE site_article_search SET document = document || ('''r ' || (article_id / 1000) || ''' ''rr ' || (article_id / 16000) || '''')::tsvector`.execute(db);
      },
    },
  };
}
