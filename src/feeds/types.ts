// What the feed parser hands to normalize: the feed's facts, not yet the record.

export type FeedFormat = 'rss' | 'atom' | 'rdf' | 'json';

export interface FeedEnclosure {
  url: string;
  type: string | null;
  length: number | null;
}

export interface FeedMediaImage {
  url: string;
  width: number | null;
  height: number | null;
  title: string | null;
}

export interface FeedEntry {
  id: string | null;
  title: string | null;
  /** Absolute URL (xml:base and the feed URL applied). */
  link: string | null;
  /** HTML or text as given by the feed. */
  summary: string | null;
  content: string | null;
  /** ISO-8601 UTC or null. */
  published: string | null;
  updated: string | null;
  authors: string[];
  categories: string[];
  enclosures: FeedEnclosure[];
  images: FeedMediaImage[];
}

export interface ParsedFeed {
  format: FeedFormat;
  /** e.g. `rss20`, `atom10`, `json11`: as specific as the parser can tell. */
  version: string | null;
  title: string | null;
  link: string | null;
  description: string | null;
  language: string | null;
  entries: FeedEntry[];
}
