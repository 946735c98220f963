// Where a merged-away story id points: one row per old id, kept one hop deep (an id that pointed at
// `from` points at `into` now). Every merge writes it here, by hand, by consolidation or by the
// clusterer, so links and readers' state keyed by an old id find the story.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './tables.ts';

export async function pointStoryAt(db: Kysely<Database> | Transaction<Database>, from: number, into: number, at: string): Promise<void> {
  await db.updateTable('story_redirects').set({ to_id: into }).where('to_id', '=', from).execute();
  await db.insertInto('story_redirects').values({ from_id: from, to_id: into, at }).onConflict((oc) => oc.column('from_id').doUpdateSet({ to_id: into, at })).execute();
}
