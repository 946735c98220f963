// Consolidation's core, pure: a region of articles (the recent ones and everything they could belong
// with) is grouped again from scratch by top-K link, and the new groups are mapped onto the stories
// that exist, so that story ids stay stable: the story that survives a merge is the oldest, a story
// that splits keeps its id on the side that holds most of it, and every story that goes away names
// the story it went into. Editors' decisions are constraints: a story an editor merged, split, pinned
// or held stays whole (its members at that time form one atom), two stories an editor split apart
// are never joined again, two editors' stories are never joined, and a pinned story never joins a
// held one.
import type { ClusterFeatures } from '../types.ts';
import type { ClusterConfig } from './config.ts';
import { compact, compactSimilarity, prepare, timeWeight, type CompactFeatures, type IdfLookup } from './similarity.ts';
import { topKGroups, type Edge } from './topk.ts';

export interface RegionArticle {
  id: string;
  /** A key that orders articles the same way in every run (publication time, then URL): the tie-break. */
  order: string;
  features: ClusterFeatures;
  /** Its story now (null: not yet in one, or its story is gone). */
  storyId: string | null;
  /** Held in its story by an editor's decision. */
  locked: boolean;
}

export interface RegionStory {
  id: string;
  /** Lower is older. */
  age: number;
  override: 'pin' | 'block' | null;
}

export interface RegroupInput {
  articles: readonly RegionArticle[];
  stories: ReadonlyMap<string, RegionStory>;
  /** Pairs of stories an editor split apart. */
  apart?: ReadonlyArray<readonly [string, string]>;
  idfOf: IdfLookup;
  config: ClusterConfig;
}

/** Where a new group goes: an existing story, or the n-th story to create. */
export type StoryRef = { existing: string } | { created: number };

export interface RegroupPlan {
  /** Article id -> its story after the pass, for every article of the region. */
  storyOf: Map<string, StoryRef>;
  /** Stories that go away, each with the story that took (most of) its members. */
  mergedAway: Array<{ from: string; into: StoryRef }>;
  /** Number of stories to create. */
  created: number;
  /** Per story (existing or created), what happened to it, for its history. */
  events: Array<{ story: StoryRef; kind: 'merged' | 'split' | 'joined' | 'opened'; detail: string; articleIds: string[] }>;
  /** Groups formed, for diagnostics. */
  groups: number;
  /** Similar pairs that were weighed. */
  pairs: number;
}

/**
 * Pairs of region articles similar enough to matter. Two reports of one story share a rare word or
 * name, so each article proposes pairs only through its rarest terms (`generators` of them) and
 * every region article holding one; a pair that shares only common words stays below the floor.
 */
export function similarPairs(articles: readonly RegionArticle[], idfOf: IdfLookup, config: ClusterConfig): Edge[] {
  const { floor, maxPostings, generators } = config.regroup;
  const termNumbers = new Map<string, number>();
  const intern = (term: string) => {
    let n = termNumbers.get(term);
    if (n === undefined) termNumbers.set(term, (n = termNumbers.size));
    return n;
  };
  const prepared: CompactFeatures[] = articles.map((a) => compact(prepare(a.features, idfOf), intern));
  const postings = new Map<string, number[]>();
  const rarest: string[][] = articles.map((a, i) => {
    const terms = new Map<string, number>();
    for (const [term] of a.features.terms) terms.set(term, idfOf(term));
    for (const e of a.features.entities) terms.set(e, idfOf(e));
    for (const [t, weight] of terms) {
      // A term worth nothing (unseen elsewhere, or pruned) cannot make two articles alike.
      if (weight === 0) continue;
      let list = postings.get(t);
      if (!list) postings.set(t, (list = []));
      list.push(i);
    }
    return [...terms].filter(([, w]) => w > 0).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, generators).map(([t]) => t);
  });
  const n = articles.length;
  const seen = new Set<number>();
  const edges: Edge[] = [];
  for (let i = 0; i < n; i++) {
    for (const t of rarest[i]!) {
      const list = postings.get(t)!;
      // A term in very many articles of the region is not what makes two of them one story.
      if (list.length < 2 || list.length > maxPostings) continue;
      for (const j of list) {
        if (j === i) continue;
        const key = i < j ? i * n + j : j * n + i;
        if (seen.has(key)) continue;
        seen.add(key);
        const weight = timeWeight(articles[i]!.features.time, articles[j]!.features.time, config.regroup);
        if (weight === 0) continue;
        const s = pairSimilarity(prepared[i]!, prepared[j]!, config) * weight;
        if (s >= floor) edges.push(i < j ? { a: i, b: j, similarity: s } : { a: j, b: i, similarity: s });
      }
    }
  }
  return edges;
}

function pairSimilarity(a: CompactFeatures, b: CompactFeatures, config: ClusterConfig): number {
  const parts = compactSimilarity(a, b, config);
  const { sameTitle, sameTitleTerms } = config.regroup;
  if (sameTitle === null || parts.title === null || parts.title < sameTitle) return parts.score;
  if (a.titleTerms < sameTitleTerms || b.titleTerms < sameTitleTerms) return parts.score;
  return Math.max(parts.score, parts.title);
}

/** Groups the region and maps the groups onto stories. Deterministic in the region's content. */
export function planRegroup(input: RegroupInput): RegroupPlan {
  const articles = [...input.articles].sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const stories = input.stories;

  // Atoms: each locked story's locked members together, every other article alone.
  const atoms: number[][] = [];
  const atomStory: Array<string | null> = [];
  const lockedAtom = new Map<string, number>();
  articles.forEach((a, i) => {
    const story = a.storyId !== null && stories.has(a.storyId) ? a.storyId : null;
    if (a.locked && story !== null) {
      const at = lockedAtom.get(story);
      if (at !== undefined) {
        atoms[at]!.push(i);
        return;
      }
      lockedAtom.set(story, atoms.length);
      atoms.push([i]);
      atomStory.push(story);
      return;
    }
    atoms.push([i]);
    atomStory.push(null);
  });

  const apartPairs = new Set<string>();
  for (const [x, y] of input.apart ?? []) {
    apartPairs.add(`${x}\u0000${y}`);
    apartPairs.add(`${y}\u0000${x}`);
  }
  const override = (atom: number) => {
    const story = atomStory[atom];
    return story ? (stories.get(story)?.override ?? null) : null;
  };
  const apart = (left: readonly number[], right: readonly number[]) => {
    const lockedLeft = left.filter((a) => atomStory[a] !== null);
    const lockedRight = right.filter((a) => atomStory[a] !== null);
    if (lockedLeft.length === 0 || lockedRight.length === 0) return false;
    // Two editors' stories stay two stories; a story split apart by an editor is never joined again.
    return lockedLeft.some((l) => lockedRight.some((r) => atomStory[l] !== atomStory[r] || apartPairs.has(`${atomStory[l]}\u0000${atomStory[r]}`) || conflicting(override(l), override(r))));
  };

  const edges = similarPairs(articles, input.idfOf, input.config);
  const groups = topKGroups(atoms, edges, { k: input.config.regroup.k, cut: input.config.regroup.cut, apart });
  const groupItems = groups.map((g) => g.flatMap((a) => atoms[a]!).sort((p, q) => p - q));
  return { ...mapOntoStories(articles, groupItems, stories, atomStory, groups), groups: groups.length, pairs: edges.length };
}

function conflicting(a: 'pin' | 'block' | null, b: 'pin' | 'block' | null): boolean {
  return a !== null && b !== null && a !== b;
}

/**
 * Story ids for the new groups. Each current story goes to the group holding most of its members (a
 * locked story to the group of its atom); a group takes the story of its editor's atom if it has one,
 * else the oldest story it was given, and the others it was given merge into it; a group given none is
 * a new story.
 */
function mapOntoStories(
  articles: readonly RegionArticle[],
  groupItems: number[][],
  stories: ReadonlyMap<string, RegionStory>,
  atomStory: ReadonlyArray<string | null>,
  groups: number[][],
): Omit<RegroupPlan, 'groups' | 'pairs'> {
  const storyOfItem = articles.map((a) => (a.storyId !== null && stories.has(a.storyId) ? a.storyId : null));
  // How many members of each story each group holds.
  const holdings = new Map<string, Map<number, number>>();
  groupItems.forEach((items, g) => {
    for (const i of items) {
      const s = storyOfItem[i];
      if (s === null || s === undefined) continue;
      let byGroup = holdings.get(s);
      if (!byGroup) holdings.set(s, (byGroup = new Map()));
      byGroup.set(g, (byGroup.get(g) ?? 0) + 1);
    }
  });
  const lockedGroup = new Map<string, number>();
  groups.forEach((g, gi) => {
    for (const a of g) if (atomStory[a]) lockedGroup.set(atomStory[a]!, gi);
  });
  const given = new Map<number, string[]>();
  const ownerOf = new Map<string, number>();
  for (const [story, byGroup] of holdings) {
    let owner = lockedGroup.get(story);
    if (owner === undefined) {
      // Most members; ties to the earlier group (groups are in order of their first article).
      for (const [g, count] of byGroup) if (owner === undefined || count > byGroup.get(owner)! || (count === byGroup.get(owner)! && g < owner)) owner = g;
    }
    ownerOf.set(story, owner!);
    given.set(owner!, [...(given.get(owner!) ?? []), story]);
  }
  const age = (s: string) => stories.get(s)!.age;
  const lockedOfGroup = new Map<number, string>();
  for (const [story, g] of lockedGroup) lockedOfGroup.set(g, story);
  const refOfGroup: StoryRef[] = [];
  let created = 0;
  groupItems.forEach((_, g) => {
    // An editor's story keeps its id (and its pin or hold); otherwise the oldest story survives.
    const locked = lockedOfGroup.get(g);
    const mine = (given.get(g) ?? []).sort((a, b) => age(a) - age(b) || (a < b ? -1 : 1));
    refOfGroup[g] = locked !== undefined ? { existing: locked } : mine.length > 0 ? { existing: mine[0]! } : { created: created++ };
  });

  const storyOf = new Map<string, StoryRef>();
  groupItems.forEach((items, g) => {
    for (const i of items) storyOf.set(articles[i]!.id, refOfGroup[g]!);
  });

  const mergedAway: RegroupPlan['mergedAway'] = [];
  for (const [story, g] of [...ownerOf].sort((a, b) => age(a[0]) - age(b[0]) || (a[0] < b[0] ? -1 : 1))) {
    const into = refOfGroup[g]!;
    if (!('existing' in into && into.existing === story)) mergedAway.push({ from: story, into });
  }
  const stays = (story: string) => {
    const ref = refOfGroup[ownerOf.get(story)!]!;
    return 'existing' in ref && ref.existing === story;
  };
  const label = (ref: StoryRef) => ('existing' in ref ? `story ${ref.existing}` : 'a new story');
  const plural = (n: number) => `${n} article${n === 1 ? '' : 's'}`;
  const events: RegroupPlan['events'] = [];
  groupItems.forEach((items, g) => {
    const into = refOfGroup[g]!;
    const own = 'existing' in into ? into.existing : null;
    const bySource = new Map<string | null, string[]>();
    for (const i of items) {
      const from = storyOfItem[i] ?? null;
      if (from !== null && from === own) continue;
      bySource.set(from, [...(bySource.get(from) ?? []), articles[i]!.id]);
    }
    const arrival = 'created' in into ? ('opened' as const) : ('joined' as const);
    for (const [from, ids] of bySource) {
      if (from === null) {
        events.push({ story: into, kind: arrival, detail: `${plural(ids.length)} placed`, articleIds: ids });
      } else if (ownerOf.get(from) === g) {
        events.push({ story: into, kind: 'merged', detail: `story ${from} merged in (${plural(ids.length)})`, articleIds: ids });
      } else {
        events.push({ story: into, kind: arrival, detail: `${plural(ids.length)} from story ${from}`, articleIds: ids });
        if (stays(from)) events.push({ story: { existing: from }, kind: 'split', detail: `${plural(ids.length)} moved to ${label(into)}`, articleIds: ids });
      }
    }
  });
  return { storyOf, mergedAway, created, events };
}
