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
  /** How title, summary and content are marked up: `text` (plain) or `html` (Atom xhtml counts as html). */
  titleType?: 'text' | 'html';
  summaryType?: 'text' | 'html';
  contentType?: 'text' | 'html';
  /** Every link the entry carries, with its relation (`alternate`, `enclosure`, `related`, `replies`...). */
  links?: FeedLink[];
  /** Comments page (RSS `comments`). */
  comments?: string | null;
  /** Where comments can be posted (wfw:comment) and the feed of comments (wfw:commentRss). */
  commentApi?: string | null;
  commentsFeed?: string | null;
  rights?: string | null;
  /** `xml:lang` (or the feed's language) in force for the entry. */
  language?: string | null;
  /** The base URL relative links in this entry were resolved against (xml:base, else the feed's). */
  base?: string;
  /** Authors with whatever the feed gave beyond the name; `authors` holds the display names. */
  authorDetails?: FeedPerson[];
  contributors?: FeedPerson[];
  /** Categories with scheme and label; `categories` holds the terms. */
  tags?: FeedTag[];
  /** The dates as the feed wrote them, before normalization. */
  publishedText?: string | null;
  updatedText?: string | null;
  source?: FeedSource | null;
  rightsType?: 'text' | 'html';
  /** Per-field language and base, for feeds that mix languages or bases within an entry. */
  textDetails?: Partial<Record<TextField, TextDetail>>;
  /** Podcast facts (iTunes namespace), when the feed carries them. */
  podcast?: PodcastInfo;
  /** Licence URL (Creative Commons namespaces). */
  license?: string | null;
  /** Where the entry is about (GeoRSS), GeoJSON-style: coordinates are [longitude, latitude]. */
  where?: FeedGeometry | null;
  /** When the entry was created (dcterms:created, Atom 0.3 created), ISO UTC and as written. */
  created?: string | null;
  createdText?: string | null;
  /** When the entry stops being valid (RSS 0.93 expirationDate), ISO UTC and as written. */
  expired?: string | null;
  expiredText?: string | null;
  publisher?: FeedPerson | null;
  /** A one-line description (itunes:subtitle). */
  subtitle?: string | null;
  /** Atom `content src`: the content lives at this URL instead of inline. */
  contentSrc?: string | null;
  /** What the entry replies to (Atom threading `thr:in-reply-to`). */
  inReplyTo?: InReplyTo[];
  /** Media RSS `media:player`: a page or embed that plays the entry's media. */
  mediaPlayer?: { url: string; width: number | null; height: number | null } | null;
  /** The content's media type when it is more specific than `contentType` (`application/xhtml+xml`). */
  contentMediaType?: string;
  /** Podlove Simple Chapters: where each chapter starts (as written and in seconds). */
  chapters?: { version: string | null; chapters: { start: string; startSeconds: number | null; title: string; href: string | null; image: string | null }[] };
}

export interface InReplyTo {
  ref: string | null;
  href: string | null;
  type: string | null;
  source: string | null;
}

export interface FeedGeometry {
  /** null when the feed has a geometry element that gives no usable shape. */
  type: 'Point' | 'LineString' | 'Polygon' | 'Box' | null;
  /** A Point is one [lon, lat(, height)]; the others are lists of them (a Polygon: its outer ring; a Box: lower and upper corner). */
  coordinates: number[] | number[][];
}

export interface PodcastInfo {
  /** Marked explicit (true), clean (false), or not said (null). */
  explicit: boolean | null;
  /** The publisher asked directories not to list it. */
  block: boolean;
  /** Duration in seconds, entries only. */
  durationSeconds?: number | null;
  /** Duration as the feed wrote it (`3:00`). */
  duration?: string | null;
}

export interface FeedPerson {
  name: string | null;
  email: string | null;
  url: string | null;
}

export interface FeedTag {
  term: string;
  /** Taxonomy the term belongs to (RSS category domain, Atom scheme). */
  scheme: string | null;
  label: string | null;
}

export interface FeedGenerator {
  name: string | null;
  url: string | null;
  version: string | null;
}

/** Where an entry was copied from (Atom `source`, RSS `source`): the original feed's facts. */
export interface FeedSource {
  id: string | null;
  title: string | null;
  titleType?: 'text' | 'html';
  /** The original feed's web page. */
  link: string | null;
  links: FeedLink[];
  /** RSS `<source url>`: the original feed's URL. */
  url: string | null;
  subtitle: string | null;
  subtitleType?: 'text' | 'html';
  rights: string | null;
  rightsType?: 'text' | 'html';
  authorDetails: FeedPerson[];
  contributors: FeedPerson[];
  tags: FeedTag[];
  generator: FeedGenerator | null;
  icon: string | null;
  logo: string | null;
  updated: string | null;
  updatedText: string | null;
}

/** Language and base URL in force for one text field (`xml:lang`/`xml:base` on the element or inherited). */
export interface TextDetail {
  language: string | null;
  base: string;
}

export type TextField = 'title' | 'summary' | 'content' | 'rights' | 'subtitle' | 'info';

export interface FeedLink {
  href: string;
  rel: string;
  type: string | null;
  title: string | null;
  /** Language of the linked resource. */
  hreflang?: string;
  /** Size in bytes of the linked resource, as announced. */
  length?: number;
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
  /** Atom subtitle / RSS description when it is a tagline; same as `description` for RSS. */
  subtitle?: string | null;
  subtitleType?: 'text' | 'html';
  titleType?: 'text' | 'html';
  rights?: string | null;
  /** ISO-8601 UTC of the feed's own last-update stamp. */
  updated?: string | null;
  authors?: string[];
  authorDetails?: FeedPerson[];
  contributors?: FeedPerson[];
  categories?: string[];
  tags?: FeedTag[];
  updatedText?: string | null;
  links?: FeedLink[];
  id?: string | null;
  generator?: string | null;
  generatorDetail?: FeedGenerator | null;
  rightsType?: 'text' | 'html';
  textDetails?: Partial<Record<TextField, TextDetail>>;
  podcast?: PodcastInfo;
  /** The channel's own publication date (RSS pubDate), as ISO UTC and as written. */
  published?: string | null;
  publishedText?: string | null;
  /** RSS `ttl`: minutes the publisher says the feed may be cached; a polling hint. */
  ttlMinutes?: number;
  /** The publisher moved the feed here (itunes:new-feed-url); subscriptions should follow. */
  movedTo?: string | null;
  publisher?: FeedPerson | null;
  /** RSS channel image with what the feed says about it (the logo's link target and size). */
  imageDetail?: { url: string; title: string | null; link: string | null; width: number | null; height: number | null; description: string | null } | null;
  icon?: string | null;
  logo?: string | null;
  /** Logo or icon of the feed. */
  image?: string | null;
  /** The charset the bytes were decoded with (`utf-8`, `windows-1251`...), and how it was chosen. */
  charset?: string;
  charsetSource?: string;
  /** False when the XML was not well-formed or the bytes were invalid in their charset; the feed was recovered leniently. */
  wellFormed?: boolean;
  /** What was wrong, for a user debugging a source (first XML error, charset trouble). */
  problems?: string[];
  /** The base URL relative links at feed level were resolved against (xml:base, Content-Location, else the feed URL). */
  base?: string;
  /** What the feed says about itself to a person who opens it in a browser (Atom 0.3 `info`, feedburner:browserFriendly). */
  info?: string | null;
  infoType?: 'text' | 'html';
  /** Atom threading `thr:in-reply-to` at feed level (a feed of replies to one resource). */
  inReplyTo?: InReplyTo[];
  /** RSS `docs`: the format documentation the feed points to. */
  docs?: string | null;
  /** RSS `cloud`: the rssCloud service to register with for update notices. */
  cloud?: { domain: string | null; port: string | null; path: string | null; registerProcedure: string | null; protocol: string | null } | null;
  /** RSS `textInput`: a search or comment box the channel offers. */
  textInput?: { title: string | null; description: string | null; name: string | null; link: string | null } | null;
  /** dcterms:valid period (start/end as written and as ISO UTC). */
  validity?: { start: string | null; startText: string | null; end: string | null; endText: string | null } | null;
  created?: string | null;
  createdText?: string | null;
  /** Which parser produced the entries: the strict one or the lenient fallback. */
  parser?: 'feedsmith' | 'feed-parser';
}
