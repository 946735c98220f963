// Heat of companies and people: how much they are in the news, plus a small term for their reach, so
// that the hottest entities lead their lists and the newsletter's picks.
//
//   heat = 50 + 10 × mentions + round(10 × log10(1 + audience))
//
// - 50 is the base every profile starts from (the reference's resting value: profiles and learning
//   items with no activity show heat 50);
// - mentions: published articles that mention the entity, published in the last `windowDays` days
//   (30 by default), counted from the mentions table; each adds 10, as a related article adds 10 to
//   a story's heat;
// - audience: the largest of its Twitter followers, LinkedIn followers and Google Scholar citations;
//   a million followers add 60, a thousand add 30; none adds nothing.
// A collection (a named query) takes the heat of its hottest member. Events, learning resources,
// organizations and sponsorships keep the heat they were given.
import type { Store } from '../store/index.ts';
import { CollectionStore } from '../store/collections.ts';
import { compileQuery, matchesQuery } from './query.ts';
import type { Entity, EntityKind, JsonValue } from './types.ts';

export const HEAT_BASE = 50;
export const HEAT_PER_MENTION = 10;

function count(value: JsonValue | undefined, key: string): number {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 0;
  const n = (value as Record<string, JsonValue>)[key];
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

export function audience(entity: Pick<Entity, 'data'>): number {
  return Math.max(count(entity.data.twitter, 'followers'), count(entity.data.linkedin, 'followers'), count(entity.data.googleScholar, 'citations'));
}

export function entityHeat(entity: Pick<Entity, 'data'>, mentions: number): number {
  return HEAT_BASE + HEAT_PER_MENTION * mentions + Math.round(10 * Math.log10(1 + audience(entity)));
}

/** Recomputes the heat of every company and person (then their collections); returns how many changed. */
export async function recomputeEntityHeat(store: Store, options: { now?: Date; windowDays?: number } = {}): Promise<number> {
  const collections = new CollectionStore(store);
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - (options.windowDays ?? 30) * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const mentionCounts = await collections.mentionCounts(since);
  let changed = 0;
  for (const kind of ['company', 'person'] as EntityKind[]) {
    const profiles: Entity[] = [];
    const groups: Entity[] = [];
    for await (const entity of collections.iterateEntities(kind)) (entity.subtype === 'collection' ? groups : profiles).push(entity);
    for (const entity of profiles) {
      const heat = entityHeat(entity, mentionCounts.get(entity.id) ?? 0);
      entity.heat = heat;
      if (heat !== (await collections.getEntityById(entity.id))?.heat) {
        await collections.setHeat(entity.id, heat);
        changed++;
      }
    }
    for (const group of groups) {
      if (typeof group.data.query !== 'string') continue;
      let query;
      try {
        query = compileQuery(group.data.query);
      } catch {
        continue;
      }
      const members = profiles.filter((p) => matchesQuery(p, query));
      const heat = members.length ? Math.max(...members.map((m) => m.heat ?? HEAT_BASE)) : group.heat;
      if (heat !== group.heat) {
        await collections.setHeat(group.id, heat);
        changed++;
      }
    }
  }
  return changed;
}
