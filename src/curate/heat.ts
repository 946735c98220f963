// Heat: how hot a story is. The `reference` model reproduces the rules read off the reference
// system's records (SPEC.md); the `velocity` model rewards coverage that grows fast, from sources of
// standing, and decays with age.
import type { HeatResult } from './types.ts';

export interface HeatMember {
  articleId: number;
  quality: number | null;
  publishedDateTime: string | null;
  /** From a known organization (one with a logo on file). */
  knownPublisher?: boolean;
}

/**
 * The lead is the member of highest quality. Ties go to a known publisher, then to the most recent
 * article, then to the last stored: the two ties in the reference records resolve this way (a known
 * publisher led an equal-quality unknown one; between two unknown ones the later article led).
 */
export function pickLead(members: HeatMember[]): HeatMember | null {
  let lead: HeatMember | null = null;
  for (const member of members) {
    if (member.quality === null) continue;
    if (
      lead === null ||
      member.quality > lead.quality! ||
      (member.quality === lead.quality && compareAge(member, lead) < 0)
    ) {
      lead = member;
    }
  }
  return lead;
}

/** Negative when `a` wins a quality tie against `b`. */
function compareAge(a: HeatMember, b: HeatMember): number {
  if (Boolean(a.knownPublisher) !== Boolean(b.knownPublisher)) return a.knownPublisher ? -1 : 1;
  const ta = a.publishedDateTime ?? '';
  const tb = b.publishedDateTime ?? '';
  if (ta !== tb) return ta > tb ? -1 : 1;
  return b.articleId - a.articleId;
}

/**
 * Reference rules: a lone article's heat is its quality; a story's lead gets its quality plus 10
 * for each other member; every other member gets -1; an unscored article has no heat.
 */
export function referenceHeat(members: HeatMember[]): HeatResult[] {
  const lead = pickLead(members);
  const related = members.length - 1;
  return members.map((member) => {
    if (member.quality === null) return { articleId: member.articleId, heat: null, reason: 'not scored yet' };
    if (members.length === 1) return { articleId: member.articleId, heat: member.quality, reason: 'no related coverage: heat = quality' };
    if (member === lead) {
      return { articleId: member.articleId, heat: member.quality + 10 * related, reason: `story lead: quality ${member.quality} + 10 × ${related} related` };
    }
    return { articleId: member.articleId, heat: -1, reason: `member of a story led by article ${lead?.articleId ?? '?'}` };
  });
}

export interface VelocityOptions {
  now: Date;
  /** Hours for the heat to halve. */
  halfLifeHours?: number;
}

/**
 * Velocity model: the lead's heat is its quality plus coverage weighted by how recently and how fast
 * members arrived (members in the last 24 h count double), decayed by the age of the newest member.
 * Members other than the lead get -1, as in the reference model, so a story is listed once.
 */
export function velocityHeat(members: HeatMember[], options: VelocityOptions): HeatResult[] {
  const lead = pickLead(members);
  const halfLife = options.halfLifeHours ?? 36;
  const now = options.now.getTime();
  const times = members.map((m) => (m.publishedDateTime ? Date.parse(m.publishedDateTime) : now));
  const newest = Math.max(...times);
  const recent = times.filter((t) => now - t <= 24 * 3600 * 1000).length;
  const coverage = 10 * (members.length - 1) + 10 * Math.max(0, recent - 1);
  const ageHours = Math.max(0, (now - newest) / 3600000);
  const decay = Math.pow(0.5, ageHours / halfLife);
  return members.map((member) => {
    if (member.quality === null) return { articleId: member.articleId, heat: null, reason: 'not scored yet' };
    if (member !== lead && members.length > 1) return { articleId: member.articleId, heat: -1, reason: `member of a story led by article ${lead?.articleId ?? '?'}` };
    const heat = Math.round((member.quality + coverage) * decay);
    return {
      articleId: member.articleId,
      heat,
      reason: `velocity: (quality ${member.quality} + coverage ${coverage}) × decay ${decay.toFixed(2)} (newest member ${ageHours.toFixed(1)} h old)`,
    };
  });
}
