// The one record that flows through the pipeline. Field names follow the reference system's
// news record (SPEC.md) so that export and API stay byte-compatible with it; our own additions
// (text, html, authors, qualityParts, extraction) carry what the later stages need.

export type ArticleType = 'article' | 'video' | 'podcast' | 'paper' | 'press-release';

export interface ImageRef {
  url: string;
  width: number | null;
  height: number | null;
  /** True only when newsdesk itself holds a thumbnail of this image. */
  isCached?: boolean;
  title?: string | null;
  attribution?: string | null;
}

export interface Provider {
  name: string;
  /** Registrable domain (eTLD+1), e.g. `marketplace.org`. */
  domain: string;
  /** Logos, only for known organizations. */
  images?: ImageRef[];
}

export interface QualityPart {
  /** Stable key of the signal, e.g. `known-publisher`. */
  name: string;
  points: number;
  reason: string;
}

export interface RelatedRef {
  title: string;
  excerpt: string;
  publishedDateTime: string | null;
  webUrl: string;
  ampWebUrl?: string | null;
  cdnAmpWebUrl?: string | null;
  type: ArticleType;
  provider: { name: string; domain: string };
  quality: number | null;
  images?: ImageRef[];
}

export interface ExtractionInfo {
  status: 'feed' | 'extracted' | 'fallback';
  reason?: string;
  /** sha256 of the page's raw bytes, when the page was fetched. */
  rawHtmlSha256?: string;
}

/** A normalized article, as the stages hand it on. Nulls mean "not known", never invented. */
export interface NewsRecord {
  title: string;
  /** Plain text, at most 250 characters, cut at a word boundary. */
  excerpt: string;
  /** UTC, `YYYY-MM-DDTHH:MM:SSZ`. */
  publishedDateTime: string | null;
  updatedDateTime: string | null;
  /** The link as found in the feed. */
  originalUrl: string;
  /** Canonical URL: the identity of an article. */
  webUrl: string;
  ampWebUrl: string | null;
  cdnAmpWebUrl: string | null;
  type: ArticleType;
  provider: Provider;
  topics: string[];
  images: ImageRef[];
  locale: string | null;
  authors: string[];
  /** Main text, plain. */
  text: string;
  /** Sanitized article HTML, where known. */
  html: string | null;
  extraction: ExtractionInfo;
}

/** Scores the curation stages attach to a stored article. */
export interface Scores {
  quality: number | null;
  qualityParts: QualityPart[];
  heat: number | null;
  published: boolean | null;
}
