// Migrations for stories that heal: each article's clustering state (assigned by the incremental
// clusterer, then consolidated), the document frequencies counted from stored features in batches,
// editors' locks, the days of lookup postings (consolidation reads neighbours within a time window),
// redirects of merged-away stories, the stories' history and the pairs an editor split apart.
import { sql, type Kysely, type Migration } from 'kysely';
import { primaryId, type Dialect } from './migrations.ts';

export function storiesMigrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0400_story_consolidation': {
      async up(db: Kysely<any>) {
        // 0 not clustered yet, 1 given a story by the incremental clusterer, 2 consolidated.
        await db.schema.alterTable('articles').addColumn('story_state', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        // The document-frequency version the article was last consolidated under.
        await db.schema.alterTable('articles').addColumn('story_version', 'integer').execute();
        // 1 once the article's stored terms are in cluster_terms.
        await db.schema.alterTable('articles').addColumn('df_counted', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        // 1 when an editor's decision holds the article in its story.
        await db.schema.alterTable('articles').addColumn('story_locked', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        await sql`update articles set story_state = 2 where story_id is not null and cluster_features is not null`.execute(db);
        // The counts are rebuilt from what is stored, article by article, by the next passes.
        await sql`delete from cluster_terms`.execute(db);
        await sql`delete from counters where name = 'cluster_documents'`.execute(db);
        await db.schema.createIndex('articles_story_pending').on('articles').columns(['story_state', 'published_at', 'id']).where(sql.ref('story_state'), '<', 2).execute();
        await db.schema.createIndex('articles_df_pending').on('articles').column('id').where(sql.ref('df_counted'), '=', 0).execute();
        await db.schema.createIndex('articles_created_at').on('articles').columns(['created_at', 'id']).execute();

        await db.schema.alterTable('story_bands').addColumn('day', 'integer').execute();
        const day =
          dialect === 'postgres'
            ? sql`floor(extract(epoch from a.published_at::timestamptz) / 86400)::integer`
            : sql`cast(julianday(a.published_at) - 2440587.5 as integer)`;
        await sql`update story_bands set day = (select ${day} from articles a where a.id = story_bands.article_id)`.execute(db);
        await db.schema.createIndex('story_bands_key_day').on('story_bands').columns(['band_key', 'day', 'article_id']).execute();

        await db.schema
          .createTable('story_redirects')
          .addColumn('from_id', 'integer', (c) => c.primaryKey())
          .addColumn('to_id', 'integer', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('story_redirects_to').on('story_redirects').column('to_id').execute();

        await db.schema
          .createTable('story_events')
          .addColumn('id', ...primaryId(dialect))
          .addColumn('story_id', 'integer', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          // merged | split | joined | opened | editor
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('detail', 'text', (c) => c.notNull())
          .addColumn('article_ids', 'text', (c) => c.notNull().defaultTo('[]'))
          // null: the consolidation pass; otherwise the editor.
          .addColumn('actor', 'text')
          .execute();
        await db.schema.createIndex('story_events_story').on('story_events').columns(['story_id', 'id']).execute();

        await db.schema
          .createTable('story_apart')
          .addColumn('story_a', 'integer', (c) => c.notNull())
          .addColumn('story_b', 'integer', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('story_apart_pk', ['story_a', 'story_b'])
          .execute();
        await db.schema.createIndex('story_apart_b').on('story_apart').column('story_b').execute();
      },
    },
    '0600_df_pending_with_features': {
      async up(db: Kysely<any>) {
        // Articles stored with their story and no clustering features (imports) are never counted:
        // an index of every uncounted article made each pass walk all of them to find the few with features.
        await db.schema.dropIndex('articles_df_pending').execute();
        await db.schema
          .createIndex('articles_df_pending')
          .on('articles')
          .column('id')
          .where((eb) => eb.and([eb(sql.ref('df_counted'), '=', 0), eb(sql.ref('cluster_features'), 'is not', null)]))
          .execute();
      },
    },
  };
}
