// Tables of the publications area: collections (companies, people, events, learning, organizations,
// sponsorships), their topics and mention terms, mentions of them in news, saved searches, and the
// newsletter (issues, subscribers, sends). Row shapes are in PublicationsDatabase below.
import type { Kysely, Migration, Generated } from 'kysely';
import { primaryId, type Dialect } from './migrations.ts';

export interface EntitiesTable {
  id: Generated<number>;
  /** company | person | event | learning | organization | sponsorship */
  kind: string;
  /** The reference `type`: profile | collection (companies, people), conference (events),
   *  video | article | book | course | answer | collection (learning). */
  subtype: string;
  /** Unique within a kind: `cisco`, `collections/ai-companies-in-seattle`, `2021-06-15-gdtech-san-jose-2021`. */
  slug: string;
  name: string;
  /** The reference record's own fields as JSON text, key order kept. */
  data: string;
  topics: string;
  heat: number | null;
  /** Events: start and end in UTC, for the future/past lists. */
  starts_at: string | null;
  ends_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface EntityTopicsTable {
  entity_id: number;
  kind: string;
  topic: string;
}

export interface EntityTermsTable {
  entity_id: number;
  /** name | alias | domain */
  term_kind: string;
  /** Lower-cased name or alias, or a registrable domain. */
  term: string;
}

export interface MentionsTable {
  article_id: number;
  entity_id: number;
  /** The term that matched, as written in the entity. */
  matched: string;
  /** Where: title | excerpt | text | provider */
  field: string;
  created_at: string;
}

export interface SavedSearchesTable {
  id: Generated<number>;
  slug: string;
  name: string;
  query: string;
  created_at: string;
}

export interface NewslettersTable {
  id: Generated<number>;
  slug: string;
  /** YYYY-MM-DD, one issue a day. */
  date: string;
  title: string;
  excerpt: string;
  published_at: string;
  /** The sections and their items as JSON text. */
  sections: string;
  html: string;
  text: string;
  created_at: string;
}

export interface SubscribersTable {
  id: Generated<number>;
  email: string;
  /** pending | confirmed | unsubscribed */
  status: string;
  confirm_token: string;
  unsubscribe_token: string;
  created_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
}

export interface NewsletterSendsTable {
  newsletter_id: number;
  subscriber_id: number;
  /** claimed | sent | failed */
  status: string;
  attempts: number;
  claimed_at: string;
  sent_at: string | null;
  message_id: string | null;
  error: string | null;
}

export interface PublicationStateTable {
  name: string;
  value: string;
}

export interface PublicationsDatabase {
  entities: EntitiesTable;
  entity_topics: EntityTopicsTable;
  entity_terms: EntityTermsTable;
  mentions: MentionsTable;
  saved_searches: SavedSearchesTable;
  newsletters: NewslettersTable;
  subscribers: SubscribersTable;
  newsletter_sends: NewsletterSendsTable;
  publication_state: PublicationStateTable;
}

export function publicationMigrations(dialect: Dialect): Record<string, Migration> {
  const [idType, idOptions] = primaryId(dialect);
  return {
    '0200_publications_collections': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('entities')
          .addColumn('id', idType, idOptions)
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('subtype', 'text', (c) => c.notNull())
          .addColumn('slug', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('topics', 'text', (c) => c.notNull())
          .addColumn('heat', 'integer')
          .addColumn('starts_at', 'text')
          .addColumn('ends_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('entities_kind_slug', ['kind', 'slug'])
          .execute();
        await db.schema.createIndex('entities_kind_heat').on('entities').columns(['kind', 'heat', 'id']).execute();
        await db.schema.createIndex('entities_kind_starts').on('entities').columns(['kind', 'starts_at', 'id']).execute();

        await db.schema
          .createTable('entity_topics')
          .addColumn('entity_id', 'integer', (c) => c.notNull().references('entities.id').onDelete('cascade'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('topic', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('entity_topics_pk', ['entity_id', 'topic'])
          .execute();
        await db.schema.createIndex('entity_topics_kind_topic').on('entity_topics').columns(['kind', 'topic', 'entity_id']).execute();

        await db.schema
          .createTable('entity_terms')
          .addColumn('entity_id', 'integer', (c) => c.notNull().references('entities.id').onDelete('cascade'))
          .addColumn('term_kind', 'text', (c) => c.notNull())
          .addColumn('term', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('entity_terms_pk', ['entity_id', 'term_kind', 'term'])
          .execute();
        await db.schema.createIndex('entity_terms_term').on('entity_terms').column('term').execute();

        await db.schema
          .createTable('mentions')
          .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
          .addColumn('entity_id', 'integer', (c) => c.notNull().references('entities.id').onDelete('cascade'))
          .addColumn('matched', 'text', (c) => c.notNull())
          .addColumn('field', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('mentions_pk', ['article_id', 'entity_id'])
          .execute();
        await db.schema.createIndex('mentions_entity').on('mentions').columns(['entity_id', 'article_id']).execute();

        await db.schema
          .createTable('saved_searches')
          .addColumn('id', idType, idOptions)
          .addColumn('slug', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('query', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('publication_state')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0201_publications_newsletter': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('newsletters')
          .addColumn('id', idType, idOptions)
          .addColumn('slug', 'text', (c) => c.notNull().unique())
          .addColumn('date', 'text', (c) => c.notNull().unique())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('excerpt', 'text', (c) => c.notNull())
          .addColumn('published_at', 'text', (c) => c.notNull())
          .addColumn('sections', 'text', (c) => c.notNull())
          .addColumn('html', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('subscribers')
          .addColumn('id', idType, idOptions)
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('confirm_token', 'text', (c) => c.notNull().unique())
          .addColumn('unsubscribe_token', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('confirmed_at', 'text')
          .addColumn('unsubscribed_at', 'text')
          .execute();

        // The unique key is what makes a send happen at most once per subscriber and issue: a row is
        // claimed before the message goes out, so a crash between the two leaves a claim, never a resend.
        await db.schema
          .createTable('newsletter_sends')
          .addColumn('newsletter_id', 'integer', (c) => c.notNull().references('newsletters.id').onDelete('cascade'))
          .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('claimed_at', 'text', (c) => c.notNull())
          .addColumn('sent_at', 'text')
          .addColumn('message_id', 'text')
          .addColumn('error', 'text')
          .addPrimaryKeyConstraint('newsletter_sends_pk', ['newsletter_id', 'subscriber_id'])
          .execute();
      },
    },
  };
}
