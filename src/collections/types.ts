// The desk's collections: companies, people, events, learning resources, organizations and
// sponsorships. Each entity keeps the reference record's own fields (`data`, key order kept, see
// SPEC.md and the corpus files); the store adds an id, a slug, topics and a heat.

export const ENTITY_KINDS = ['company', 'person', 'event', 'learning', 'organization', 'sponsorship'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** Learning resources by type, with the folder each lives in (`_learning/videos/...`). */
export const LEARNING_FOLDERS = {
  video: 'videos',
  article: 'articles',
  book: 'books',
  course: 'courses',
  answer: 'answers',
  collection: 'collections',
} as const;
export type LearningType = keyof typeof LEARNING_FOLDERS;

export function learningTypeOfFolder(folder: string): LearningType | null {
  const found = Object.entries(LEARNING_FOLDERS).find(([, f]) => f === folder);
  return found ? (found[0] as LearningType) : null;
}

/** One kind's place in the reference layout: its Jekyll folder, API segment and page title. */
export interface KindLayout {
  folder: string;
  api: string;
  /** The site's singular path segment for one item (`/company/cisco/`). */
  sitePath: string;
  title: string;
}

export const KIND_LAYOUT: Record<EntityKind, KindLayout> = {
  company: { folder: '_companies', api: 'companies', sitePath: 'company', title: 'Companies' },
  person: { folder: '_people', api: 'people', sitePath: 'people', title: 'People' },
  event: { folder: '_events', api: 'events', sitePath: 'event', title: 'Events' },
  learning: { folder: '_learning', api: 'learning', sitePath: 'learning', title: 'Learning Resources' },
  organization: { folder: '_data/organizations', api: 'organizations', sitePath: 'organization', title: 'Organizations' },
  sponsorship: { folder: '_sponsorships', api: 'sponsorships', sitePath: 'sponsorship', title: 'Sponsorships' },
};

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type EntityData = { [key: string]: JsonValue };

export interface Entity {
  id: number;
  kind: EntityKind;
  /** profile | collection | conference | video | article | book | course | answer | ... */
  subtype: string;
  slug: string;
  name: string;
  data: EntityData;
  topics: string[];
  heat: number | null;
  startsAt: string | null;
  endsAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What callers hand the store: everything but the generated columns. */
export interface EntityInput {
  kind: EntityKind;
  subtype: string;
  slug: string;
  name: string;
  data: EntityData;
  topics: string[];
  heat: number | null;
  startsAt?: string | null;
  endsAt?: string | null;
  /** Extra names the entity goes by in news (mentions). Names, aliases and the website's domain match. */
  aliases?: string[];
}

export interface Mention {
  articleId: number;
  entityId: number;
  matched: string;
  field: 'title' | 'excerpt' | 'text' | 'provider';
}

export interface SavedSearch {
  id: number;
  slug: string;
  name: string;
  query: string;
}
