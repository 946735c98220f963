// Versioned migrations, applied in order by Kysely's Migrator. Never edit a shipped migration:
// add a new one. Column types differ between dialects only for generated ids.
import { sql, type Kysely, type Migration, type ColumnDefinitionBuilder } from 'kysely';
import { publicationMigrations } from './migrations-publications.ts';
import { siteMigrations } from './migrations-site.ts';
import { jobsMigrations } from './migrations-jobs.ts';
import { storiesMigrations } from './migrations-stories.ts';
import { readersMigrations } from './migrations-readers.ts';
import { scaleMigrations } from './migrations-scale.ts';

export type Dialect = 'sqlite' | 'postgres';

function idColumn(dialect: Dialect) {
  return dialect === 'postgres' ? ('serial' as const) : ('integer' as const);
}

/**
 * Every migration, by name; names sort in the order they apply. Each area of the store keeps its
 * migrations in its own file (`migrations-<area>.ts`) and is listed here.
 */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    ...initialMigrations(dialect),
    ...publicationMigrations(dialect),
    ...siteMigrations(dialect),
    ...jobsMigrations(dialect),
    ...storiesMigrations(dialect),
    ...readersMigrations(dialect),
    ...scaleMigrations(dialect),
  };
}

/** Generated integer primary key, the one column type that differs between the dialects. */
export function primaryId(dialect: Dialect) {
  return [idColumn(dialect), (c: ColumnDefinitionBuilder) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey())] as const;
}

function initialMigrations(dialect: Dialect): Record<string, Migration> {
  const id = idColumn(dialect);
  return {
    '0001_initial': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('sources')
          .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('url', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text')
          .addColumn('site_url', 'text')
          .addColumn('status', 'text', (c) => c.notNull().defaultTo('new'))
          .addColumn('last_error', 'text')
          .addColumn('last_error_code', 'text')
          .addColumn('etag', 'text')
          .addColumn('last_modified', 'text')
          .addColumn('last_fetched_at', 'text')
          .addColumn('next_fetch_at', 'text')
          .addColumn('poll_minutes', 'integer')
          .addColumn('fetch_count', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('stories')
          .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('lead_article_id', 'integer')
          .addColumn('member_count', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('heat', 'integer')
          .addColumn('override', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('articles')
          .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('web_url', 'text', (c) => c.notNull().unique())
          .addColumn('original_url', 'text', (c) => c.notNull())
          .addColumn('source_id', 'integer', (c) => c.references('sources.id').onDelete('set null'))
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('excerpt', 'text', (c) => c.notNull())
          .addColumn('published_at', 'text')
          .addColumn('updated_at_source', 'text')
          .addColumn('amp_web_url', 'text')
          .addColumn('cdn_amp_web_url', 'text')
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('provider_name', 'text', (c) => c.notNull())
          .addColumn('provider_domain', 'text', (c) => c.notNull())
          .addColumn('provider_images', 'text')
          .addColumn('topics', 'text', (c) => c.notNull())
          .addColumn('images', 'text', (c) => c.notNull())
          .addColumn('locale', 'text')
          .addColumn('authors', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('html', 'text')
          .addColumn('extraction_status', 'text', (c) => c.notNull())
          .addColumn('extraction_reason', 'text')
          .addColumn('quality', 'integer')
          .addColumn('quality_parts', 'text', (c) => c.notNull())
          .addColumn('heat', 'integer')
          .addColumn('published', 'integer')
          .addColumn('listed', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('story_id', 'integer', (c) => c.references('stories.id').onDelete('set null'))
          .addColumn('secured', 'text')
          .addColumn('path_key', 'text', (c) => c.notNull())
          .addColumn('cluster_features', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        // The hot queries: the published stream newest first, per story, per path.
        await db.schema.createIndex('articles_stream').on('articles').columns(['listed', 'published_at', 'id']).execute();
        await db.schema.createIndex('articles_published_at').on('articles').columns(['published_at', 'id']).execute();
        await db.schema.createIndex('articles_story').on('articles').column('story_id').execute();
        // A path names one article: two workers storing same-titled articles at once cannot share it.
        await db.schema.createIndex('articles_path_key').on('articles').column('path_key').unique().execute();
        await db.schema.createIndex('articles_source').on('articles').column('source_id').execute();

        await db.schema
          .createTable('score_history')
          .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
          .addColumn('field', 'text', (c) => c.notNull())
          .addColumn('old_value', 'text')
          .addColumn('new_value', 'text')
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('score_history_article').on('score_history').columns(['article_id', 'id']).execute();

        await db.schema
          .createTable('topics')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('short_name', 'text')
          .addColumn('parent', 'text')
          .addColumn('description', 'text')
          .addColumn('keywords', 'text', (c) => c.notNull())
          .addColumn('hashtags', 'text', (c) => c.notNull())
          .addColumn('position', 'integer', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('story_bands')
          .addColumn('band_key', 'text', (c) => c.notNull())
          .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
          .addPrimaryKeyConstraint('story_bands_pk', ['band_key', 'article_id'])
          .execute();
        await db.schema.createIndex('story_bands_article').on('story_bands').column('article_id').execute();

        await db.schema
          .createTable('article_topics')
          .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
          .addColumn('topic', 'text', (c) => c.notNull())
          .addColumn('published_at', 'text')
          .addColumn('listed', 'integer', (c) => c.notNull().defaultTo(0))
          .addPrimaryKeyConstraint('article_topics_pk', ['article_id', 'topic'])
          .execute();
        await db.schema.createIndex('article_topics_stream').on('article_topics').columns(['topic', 'listed', 'published_at', 'article_id']).execute();

        // Document frequencies and counts for clustering, kept up to date as articles are added, so
        // that adding one article costs the same however many are stored.
        await db.schema
          .createTable('cluster_terms')
          .addColumn('term', 'text', (c) => c.primaryKey())
          .addColumn('df', 'integer', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('counters')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('value', 'integer', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('fetch_log')
          .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('source_id', 'integer', (c) => c.notNull().references('sources.id').onDelete('cascade'))
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('http_status', 'integer')
          .addColumn('items_new', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('error', 'text')
          .addColumn('duration_ms', 'integer', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('fetch_log_source').on('fetch_log').columns(['source_id', 'id']).execute();
        void sql;
      },
    },
  };
}
