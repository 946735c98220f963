// Indexes for reads at a million articles, each one a query plan test (src/store/plans.test.ts)
// proves is used: every list a reader or an editor pages through resolves a page from a narrow
// index in its own order (no sort of the whole list, no wide article rows for the rows skipped), and
// retention walks its candidates by keyset.
import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './migrations.ts';

export function scaleMigrations(_dialect: Dialect): Record<string, Migration> {
  return {
    '0600_read_indexes': {
      async up(db: Kysely<any>) {
        // A provider's page is ordered by (published_at, id): PostgreSQL's index holds no row id, so
        // without `id` it sorted every listed article of the provider for each page.
        await db.schema.dropIndex('site_articles_provider').execute();
        await db.schema.createIndex('articles_provider_stream').on('articles').columns(['provider_domain', 'listed', 'published_at', 'id']).execute();
        // The few stories an editor pinned or blocked: search leaves out blocked ones, and the desk
        // lists editors' decisions, both without reading every story.
        await db.schema.createIndex('stories_override').on('stories').column('override').where(sql.ref('override'), 'is not', null).execute();
        // The desk's review queue: scored articles newest first, with what its views filter on
        // (published, heat) and the story that decides whether the row is a lead, so a page's rows
        // are chosen from the index alone and only the page's own articles are read. `quality` is in
        // it though the condition says it is set: SQLite reads the table for a column the index lacks.
        await db.schema
          .createIndex('articles_review')
          .on('articles')
          .columns(['published_at', 'id', 'published', 'heat', 'story_id', 'quality'])
          .where(sql.ref('quality'), 'is not', null)
          .execute();
        // Reader apps page items (stories with a published article) by time: a window of time is a
        // range of this index, giving the stories to work out items for; undated articles count by
        // their storing time, as an item's time does. Covering, so no article row is read for it.
        await db.schema.createIndex('articles_items').on('articles').columns(['published', 'listed', 'published_at', 'created_at', 'story_id']).execute();
        // Retention walks old unpublished articles by keyset (created_at, id), batch after batch.
        await db.schema.dropIndex('articles_retention').execute();
        await db.schema.createIndex('articles_retention').on('articles').columns(['published', 'created_at', 'id']).execute();
      },
    },
  };
}
