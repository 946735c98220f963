// SQL for the daily newsletter: issues, subscribers with double opt-in, and the sends ledger that
// makes every send happen at most once per subscriber and issue.
//
// Sending protocol (see src/publish/newsletter/send.ts): `claimSend` inserts the (issue, subscriber)
// row before the message leaves; `markSent` / `markFailed` record the outcome. A row left `claimed`
// by a crash is never claimed again: the message may have gone out, and a second copy is worse than
// a missing one. A `failed` row (the server refused it) may be claimed again up to `maxAttempts`.
import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Store, StoredArticle } from './index.ts';
import type { AllTables } from './collections.ts';
import type { NewslettersTable, SubscribersTable } from './migrations-publications.ts';
import { nowIso } from './values.ts';


export interface NewsletterItem {
  title: string;
  url: string;
  image: string | null;
  summary: string;
  sourceLabel: string;
  /** What the item is: a news article id or an entity id, for rotation. */
  ref?: { kind: 'article' | 'entity'; id: number };
}

export interface NewsletterSection {
  heading: string;
  items: NewsletterItem[];
}

export interface NewsletterIssue {
  id: number;
  slug: string;
  date: string;
  title: string;
  excerpt: string;
  publishedAt: string;
  sections: NewsletterSection[];
  html: string;
  text: string;
}

export type NewsletterInput = Omit<NewsletterIssue, 'id'>;

export interface Subscriber {
  id: number;
  email: string;
  status: 'pending' | 'confirmed' | 'unsubscribed';
  confirmToken: string;
  unsubscribeToken: string;
  createdAt: string;
  confirmedAt: string | null;
  unsubscribedAt: string | null;
}

export interface SendRow {
  newsletterId: number;
  subscriberId: number;
  status: 'claimed' | 'sent' | 'failed';
  attempts: number;
  claimedAt: string;
  sentAt: string | null;
  messageId: string | null;
  error: string | null;
}

function toIssue(row: Selectable<NewslettersTable>): NewsletterIssue {
  return {
    id: Number(row.id),
    slug: row.slug,
    date: row.date,
    title: row.title,
    excerpt: row.excerpt,
    publishedAt: row.published_at,
    sections: JSON.parse(row.sections) as NewsletterSection[],
    html: row.html,
    text: row.text,
  };
}

function toSubscriber(row: Selectable<SubscribersTable>): Subscriber {
  return {
    id: Number(row.id),
    email: row.email,
    status: row.status as Subscriber['status'],
    confirmToken: row.confirm_token,
    unsubscribeToken: row.unsubscribe_token,
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
    unsubscribedAt: row.unsubscribed_at,
  };
}

const token = () => randomBytes(18).toString('base64url');

export class NewsletterStore {
  readonly store: Store;

  constructor(store: Store) {
    this.store = store;
  }

  private get db(): Kysely<AllTables> {
    return this.store.db as unknown as Kysely<AllTables>;
  }

  // ---- issues ------------------------------------------------------------------------------------

  /** Stores the issue of its date, replacing an earlier build of the same date. */
  async saveIssue(issue: NewsletterInput): Promise<NewsletterIssue> {
    const values = {
      slug: issue.slug,
      title: issue.title,
      excerpt: issue.excerpt,
      published_at: issue.publishedAt,
      sections: JSON.stringify(issue.sections),
      html: issue.html,
      text: issue.text,
    };
    await this.db
      .insertInto('newsletters')
      .values({ ...values, date: issue.date, created_at: nowIso() })
      .onConflict((oc) => oc.column('date').doUpdateSet(values))
      .execute();
    return (await this.issueByDate(issue.date))!;
  }

  async issueByDate(date: string): Promise<NewsletterIssue | null> {
    const row = await this.db.selectFrom('newsletters').selectAll().where('date', '=', date).executeTakeFirst();
    return row ? toIssue(row) : null;
  }

  async issueBySlug(slug: string): Promise<NewsletterIssue | null> {
    const row = await this.db.selectFrom('newsletters').selectAll().where('slug', '=', slug).executeTakeFirst();
    return row ? toIssue(row) : null;
  }

  /** Issues newest first. */
  async listIssues(options: { page: number; perPage: number }): Promise<{ items: NewsletterIssue[]; hasMore: boolean }> {
    const rows = await this.db
      .selectFrom('newsletters')
      .selectAll()
      .orderBy('date', 'desc')
      .limit(options.perPage + 1)
      .offset((options.page - 1) * options.perPage)
      .execute();
    return { items: rows.slice(0, options.perPage).map(toIssue), hasMore: rows.length > options.perPage };
  }

  /** Issues dated before `date`, newest first: what the rotation looks back on. */
  async issuesBefore(date: string, limit: number): Promise<NewsletterIssue[]> {
    const rows = await this.db.selectFrom('newsletters').selectAll().where('date', '<', date).orderBy('date', 'desc').limit(limit).execute();
    return rows.map(toIssue);
  }

  /**
   * The day's published articles, hottest first: `published_at` within [from, to).
   * Story members other than the lead carry heat -1 and are not published, so each story shows once.
   */
  async publishedBetween(from: string, to: string, limit: number): Promise<StoredArticle[]> {
    const rows = await this.db
      .selectFrom('articles')
      .select('id')
      .where('published', '=', 1)
      .where('published_at', '>=', from)
      .where('published_at', '<', to)
      .orderBy('heat', 'desc')
      .orderBy('published_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
    const ids = rows.map((r) => Number(r.id));
    const byId = new Map((await this.store.getArticles(ids)).map((a) => [a.id, a]));
    return ids.map((id) => byId.get(id)!).filter(Boolean);
  }

  // ---- subscribers ---------------------------------------------------------------------------------

  /**
   * Adds a pending subscriber (double opt-in: nothing is sent to them until they confirm). An address
   * that unsubscribed starts over as pending with fresh tokens; a known one is returned unchanged.
   */
  async addSubscriber(email: string): Promise<Subscriber> {
    const normalized = email.trim().toLowerCase();
    const existing = await this.subscriberByEmail(normalized);
    if (existing && existing.status !== 'unsubscribed') return existing;
    if (existing) {
      await this.db
        .updateTable('subscribers')
        .set({ status: 'pending', confirm_token: token(), unsubscribe_token: token(), confirmed_at: null, unsubscribed_at: null })
        .where('id', '=', existing.id)
        .execute();
    } else {
      await this.db
        .insertInto('subscribers')
        .values({ email: normalized, status: 'pending', confirm_token: token(), unsubscribe_token: token(), created_at: nowIso(), confirmed_at: null, unsubscribed_at: null })
        .onConflict((oc) => oc.column('email').doNothing())
        .execute();
    }
    return (await this.subscriberByEmail(normalized))!;
  }

  async subscriberByEmail(email: string): Promise<Subscriber | null> {
    const row = await this.db.selectFrom('subscribers').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
    return row ? toSubscriber(row) : null;
  }

  /** Confirms the subscriber holding this token; null when no pending subscriber holds it. */
  async confirm(confirmToken: string): Promise<Subscriber | null> {
    const row = await this.db.selectFrom('subscribers').selectAll().where('confirm_token', '=', confirmToken).executeTakeFirst();
    if (!row || row.status === 'unsubscribed') return null;
    if (row.status === 'pending') await this.db.updateTable('subscribers').set({ status: 'confirmed', confirmed_at: nowIso() }).where('id', '=', row.id).execute();
    return this.subscriberByEmail(row.email);
  }

  /** Unsubscribes the holder of this token (idempotent); null for an unknown token. */
  async unsubscribe(unsubscribeToken: string): Promise<Subscriber | null> {
    const row = await this.db.selectFrom('subscribers').selectAll().where('unsubscribe_token', '=', unsubscribeToken).executeTakeFirst();
    if (!row) return null;
    if (row.status !== 'unsubscribed') await this.db.updateTable('subscribers').set({ status: 'unsubscribed', unsubscribed_at: nowIso() }).where('id', '=', row.id).execute();
    return this.subscriberByEmail(row.email);
  }

  async listSubscribers(status?: Subscriber['status']): Promise<Subscriber[]> {
    let q = this.db.selectFrom('subscribers').selectAll();
    if (status) q = q.where('status', '=', status);
    return (await q.orderBy('id').execute()).map(toSubscriber);
  }

  // ---- sends ----------------------------------------------------------------------------------------

  /**
   * Claims the send of an issue to a subscriber. True when this caller now owns it: the row was new,
   * or an earlier attempt failed and fewer than `maxAttempts` were made. A `claimed` or `sent` row is
   * never claimed again.
   */
  async claimSend(newsletterId: number, subscriberId: number, maxAttempts: number): Promise<boolean> {
    const at = nowIso();
    const inserted = await this.db
      .insertInto('newsletter_sends')
      .values({ newsletter_id: newsletterId, subscriber_id: subscriberId, status: 'claimed', attempts: 0, claimed_at: at, sent_at: null, message_id: null, error: null })
      .onConflict((oc) => oc.columns(['newsletter_id', 'subscriber_id']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return true;
    const reclaimed = await this.db
      .updateTable('newsletter_sends')
      .set({ status: 'claimed', claimed_at: at })
      .where('newsletter_id', '=', newsletterId)
      .where('subscriber_id', '=', subscriberId)
      .where('status', '=', 'failed')
      .where('attempts', '<', maxAttempts)
      .executeTakeFirst();
    return Number(reclaimed.numUpdatedRows) > 0;
  }

  async markSent(newsletterId: number, subscriberId: number, result: { messageId: string | null; attempts: number }): Promise<void> {
    await this.db
      .updateTable('newsletter_sends')
      .set((eb) => ({ status: 'sent', sent_at: nowIso(), message_id: result.messageId, error: null, attempts: eb('attempts', '+', result.attempts) }))
      .where('newsletter_id', '=', newsletterId)
      .where('subscriber_id', '=', subscriberId)
      .execute();
  }

  async markFailed(newsletterId: number, subscriberId: number, result: { error: string; attempts: number }): Promise<void> {
    await this.db
      .updateTable('newsletter_sends')
      .set((eb) => ({ status: 'failed', error: result.error, attempts: eb('attempts', '+', result.attempts) }))
      .where('newsletter_id', '=', newsletterId)
      .where('subscriber_id', '=', subscriberId)
      .execute();
  }

  async sends(newsletterId: number): Promise<SendRow[]> {
    const rows = await this.db.selectFrom('newsletter_sends').selectAll().where('newsletter_id', '=', newsletterId).orderBy('subscriber_id').execute();
    return rows.map((r) => ({
      newsletterId: Number(r.newsletter_id),
      subscriberId: Number(r.subscriber_id),
      status: r.status as SendRow['status'],
      attempts: Number(r.attempts),
      claimedAt: r.claimed_at,
      sentAt: r.sent_at,
      messageId: r.message_id,
      error: r.error,
    }));
  }
}
