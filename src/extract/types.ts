// What page extraction returns for one article page.
import type { ArticleType, ImageRef } from '../record.ts';

export interface ExtractedArticle {
  title: string | null;
  /** Main text, plain, paragraphs separated by blank lines. */
  text: string;
  /** Sanitized main-content HTML. */
  html: string | null;
  /** The page's description, else the first paragraph; at most 250 chars at a word boundary. */
  excerpt: string | null;
  /** The byline as the page states it (in-body or meta), e.g. `By Jane Doe`; null when none. */
  byline: string | null;
  authors: string[];
  publishedDateTime: string | null;
  updatedDateTime: string | null;
  leadImage: ImageRef | null;
  /** rel=canonical / og:url, resolved; null when the page names none. */
  canonicalUrl: string | null;
  ampUrl: string | null;
  language: string | null;
  /** e.g. `en-us`. */
  locale: string | null;
  type: ArticleType;
  siteName: string | null;
  /** Provider name: known-organizations table, og:site_name or JSON-LD publisher. */
  providerName: string | null;
  /** Registrable domain of the page (public suffix list), or the known organization's domain. */
  providerDomain: string | null;
  /** When set, the text is not trustworthy (paywall, consent, error page, too short). */
  fallbackReason: string | null;
}
