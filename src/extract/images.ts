// Images: the size of a remote image from its first bytes, WebP thumbnails cached in the data dir,
// and publishers' logos (50x50 and 400x400) made from the icons their pages declare.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { imageSize } from 'image-size';
import { createRequire } from 'node:module';
import type Sharp from 'sharp';
import type { ImageRef } from '../record.ts';
import type { Transport } from '../fetch/types.ts';
import { writeFileAtomically } from '../files.ts';
import { resolveHttpUrl } from '../normalize/url.ts';

export interface ImageDimensions {
  width: number;
  height: number;
  /** Format as image-size names it: jpg, png, webp, gif, svg, ico, avif... */
  type: string;
}

/** Width and height from the first bytes of an image (no decoding); null when not an image. */
export function probeImageSize(bytes: Uint8Array): ImageDimensions | null {
  if (bytes.length < 12) return null;
  try {
    const result = imageSize(bytes);
    if (!result.width || !result.height || !result.type) return null;
    // EXIF orientations 5..8 turn the picture by 90°: the displayed width is the stored height.
    const turned = result.orientation !== undefined && result.orientation >= 5;
    return turned
      ? { width: result.height, height: result.width, type: result.type }
      : { width: result.width, height: result.height, type: result.type };
  } catch {
    return null;
  }
}

/** Bytes fetched to read an image's size; enough for the headers of every common format. */
export const PROBE_BYTES = 64 * 1024;

/**
 * Size of a remote image, fetching only a prefix when the server honours Range. When the prefix is
 * not enough (a JPEG whose metadata comes first), the whole image is read.
 */
export async function probeRemoteImage(url: string, transport: Transport): Promise<ImageDimensions | null> {
  const partial = await transport.fetch({ url, purpose: 'image', headers: { range: `bytes=0-${PROBE_BYTES - 1}` } });
  const size = probeImageSize(partial.body);
  if (size || partial.status !== 206) return size;
  const full = await transport.fetch({ url, purpose: 'image' });
  return probeImageSize(full.body);
}

export interface ThumbnailOptions {
  maxWidth: number;
  maxHeight: number;
  /** Exactly maxWidth x maxHeight, the picture fitted inside on a transparent background (logos). */
  exact?: boolean;
  /** WebP quality, 1..100. Default 80. */
  quality?: number;
}

/** Largest input accepted, in pixels: a decompression bomb stops here instead of filling memory. */
const MAX_INPUT_PIXELS = 50_000_000;

let sharpModule: typeof Sharp | undefined;
/**
 * sharp (libvips) on the first thumbnail: loading it costs a process some 20 MB, which a server or a
 * worker whose articles have no images never needs. Its operation cache (up to 50 MB by default) is
 * off: every image is thumbnailed once, so the cache could only fill with pictures never asked again.
 */
function loadSharp(): typeof Sharp {
  if (!sharpModule) {
    sharpModule = createRequire(import.meta.url)('sharp') as typeof Sharp;
    sharpModule.cache(false);
  }
  return sharpModule;
}

/** A WebP thumbnail no larger than the bounds (never enlarged, except `exact` logos). */
export async function makeThumbnail(bytes: Uint8Array, options: ThumbnailOptions): Promise<Uint8Array> {
  const sharp = loadSharp();
  const image = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: false }).rotate();
  const resized = options.exact
    ? image.resize({ width: options.maxWidth, height: options.maxHeight, fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } })
    : image.resize({ width: options.maxWidth, height: options.maxHeight, fit: 'inside', withoutEnlargement: true });
  const out = await resized.webp({ quality: options.quality ?? 80, effort: 4 }).toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

export interface CachedImage {
  /** Size of the original image, when it could be read. */
  width: number | null;
  height: number | null;
  /** True only when the thumbnail was made and written. */
  isCached: boolean;
  /** The thumbnail file, when isCached. */
  path: string | null;
}

export interface ImageCacheOptions {
  /** Thumbnail bounds. Default 800 x 800. */
  maxWidth?: number;
  maxHeight?: number;
  /** How a cached file is addressed by readers. Default `/images/<file name>`. */
  publicUrl?: (fileName: string) => string;
}

export type IconKind = 'apple-touch-icon' | 'manifest-icon' | 'logo' | 'icon';

export interface IconCandidate {
  url: string;
  kind: IconKind;
  /** Largest side declared by the page (`sizes`), when declared. */
  size: number | null;
}

export interface LogoSet {
  /** The icon the logos were made from. */
  sourceUrl: string;
  /** 50x50 then 400x400. */
  images: ImageRef[];
  paths: string[];
}

export const LOGO_SIZES = [50, 400] as const;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Thumbnails and logos under `<dataDir>/images/<sha256>.webp`, with a small JSON sidecar. */
export class ImageCache {
  readonly dir: string;
  private readonly maxWidth: number;
  private readonly maxHeight: number;
  private readonly publicUrl: (fileName: string) => string;

  constructor(dataDir: string, options: ImageCacheOptions = {}) {
    this.dir = join(dataDir, 'images');
    this.maxWidth = options.maxWidth ?? 800;
    this.maxHeight = options.maxHeight ?? 800;
    this.publicUrl = options.publicUrl ?? ((name) => `/images/${name}`);
  }

  /** The file a thumbnail of `url` is stored in (whether or not it exists yet). */
  pathFor(url: string): string {
    return join(this.dir, `${sha256(url)}.webp`);
  }

  /** The address readers use for a cached file. */
  urlFor(path: string): string {
    return this.publicUrl(path.slice(path.lastIndexOf('/') + 1));
  }

  /**
   * Fetches an image, records its size and caches a thumbnail. Never throws for a bad image or a
   * failed fetch: the result then says isCached false (with the size when it was readable).
   */
  async cache(url: string, transport: Transport): Promise<CachedImage> {
    const path = this.pathFor(url);
    const sidecar = `${path.slice(0, -'.webp'.length)}.json`;
    if (existsSync(path) && existsSync(sidecar)) {
      try {
        const known = JSON.parse(readFileSync(sidecar, 'utf8')) as { width: number | null; height: number | null };
        return { width: known.width, height: known.height, isCached: true, path };
      } catch {
        // A damaged sidecar: make both again.
      }
    }
    let bytes: Uint8Array;
    try {
      bytes = (await transport.fetch({ url, purpose: 'image' })).body;
    } catch {
      return { width: null, height: null, isCached: false, path: null };
    }
    const size = probeImageSize(bytes);
    if (!size || size.type === 'svg' || size.type === 'ico') {
      return { width: size?.width ?? null, height: size?.height ?? null, isCached: false, path: null };
    }
    try {
      const thumbnail = await makeThumbnail(bytes, { maxWidth: this.maxWidth, maxHeight: this.maxHeight });
      mkdirSync(this.dir, { recursive: true });
      writeFileAtomically(path, thumbnail);
      writeFileAtomically(sidecar, JSON.stringify({ url, width: size.width, height: size.height, type: size.type }));
      return { width: size.width, height: size.height, isCached: true, path };
    } catch {
      return { width: size.width, height: size.height, isCached: false, path: null };
    }
  }

  /**
   * Makes the 50x50 and 400x400 logos of a publisher from the first usable icon, trying the
   * candidates in order (manifests are opened for their icons). Null when none could be used.
   */
  async cacheLogos(domain: string, icons: Array<string | IconCandidate>, transport: Transport): Promise<LogoSet | null> {
    const candidates = await expandManifests(icons.map(toCandidate), transport);
    for (const candidate of candidates) {
      let bytes: Uint8Array;
      try {
        bytes = (await transport.fetch({ url: candidate.url, purpose: 'icon' })).body;
      } catch {
        continue;
      }
      const size = probeImageSize(bytes);
      // SVG is left out on purpose: rendering untrusted SVG is a larger attack surface than it is worth.
      if (!size || size.type === 'svg' || size.type === 'ico' || Math.min(size.width, size.height) < 16) continue;
      try {
        mkdirSync(this.dir, { recursive: true });
        const images: ImageRef[] = [];
        const paths: string[] = [];
        for (const side of LOGO_SIZES) {
          const logo = await makeThumbnail(bytes, { maxWidth: side, maxHeight: side, exact: true, quality: 90 });
          const path = join(this.dir, `${sha256(`logo:${domain}:${side}`)}.webp`);
          writeFileAtomically(path, logo);
          paths.push(path);
          images.push({ url: this.urlFor(path), width: side, height: side, isCached: true });
        }
        return { sourceUrl: candidate.url, images, paths };
      } catch {
        continue;
      }
    }
    return null;
  }
}

function toCandidate(icon: string | IconCandidate): IconCandidate {
  return typeof icon === 'string' ? { url: icon, kind: 'icon', size: null } : icon;
}

const MANIFEST_MARK = '#manifest';

async function expandManifests(candidates: IconCandidate[], transport: Transport): Promise<IconCandidate[]> {
  const out: IconCandidate[] = [];
  for (const candidate of candidates) {
    if (candidate.kind !== 'manifest-icon' || !candidate.url.endsWith(MANIFEST_MARK)) {
      out.push(candidate);
      continue;
    }
    const manifestUrl = candidate.url.slice(0, -MANIFEST_MARK.length);
    try {
      // The fetch purposes have no "manifest"; "feed" is the one that accepts JSON bodies.
      const response = await transport.fetch({ url: manifestUrl, purpose: 'feed', headers: { accept: 'application/manifest+json, application/json' } });
      const manifest = JSON.parse(new TextDecoder().decode(response.body)) as { icons?: Array<{ src?: string; sizes?: string; type?: string }> };
      const icons: IconCandidate[] = [];
      for (const icon of manifest.icons ?? []) {
        const url = resolveHttpUrl(icon.src, response.url);
        if (url && !/svg/.test(icon.type ?? '')) icons.push({ url, kind: 'manifest-icon', size: largestSide(icon.sizes ?? null) });
      }
      out.push(...icons.sort((a, b) => (b.size ?? 0) - (a.size ?? 0)));
    } catch {
      // A missing or broken manifest only removes candidates.
    }
  }
  return out;
}

function largestSide(sizes: string | null): number | null {
  if (!sizes) return null;
  let best: number | null = null;
  for (const m of sizes.matchAll(/(\d+)x(\d+)/gi)) {
    const side = Math.min(Number(m[1]), Number(m[2]));
    if (best === null || side > best) best = side;
  }
  return best;
}

const KIND_RANK: Record<IconKind, number> = { 'apple-touch-icon': 0, 'manifest-icon': 1, logo: 2, icon: 3 };

/**
 * The icons a page declares, best first: large square icons (apple-touch-icon, web-app manifest
 * icons) before logos and small favicons. Manifests appear as `<manifest url>#manifest` with kind
 * `manifest-icon`; `cacheLogos` opens them.
 */
export function findIcons(doc: Document, pageUrl: string): IconCandidate[] {
  const found: IconCandidate[] = [];
  const seen = new Set<string>();
  const add = (href: string | null | undefined, kind: IconKind, size: number | null) => {
    const url = resolveHttpUrl(href, pageUrl);
    if (!url || seen.has(url) || /\.svg(\?|$)/i.test(url)) return;
    seen.add(url);
    found.push({ url, kind, size });
  };
  for (const link of doc.querySelectorAll('link[rel][href]')) {
    const rels = (link.getAttribute('rel') ?? '').toLowerCase().split(/\s+/);
    const href = link.getAttribute('href');
    const size = largestSide(link.getAttribute('sizes'));
    if (rels.includes('apple-touch-icon') || rels.includes('apple-touch-icon-precomposed')) add(href, 'apple-touch-icon', size ?? 180);
    else if (rels.includes('manifest')) {
      const url = resolveHttpUrl(href, pageUrl);
      if (url) found.push({ url: `${url}${MANIFEST_MARK}`, kind: 'manifest-icon', size: null });
    } else if (rels.includes('icon') || rels.includes('shortcut')) {
      if ((link.getAttribute('type') ?? '').includes('svg')) continue;
      add(href, 'icon', size);
    }
  }
  for (const meta of doc.querySelectorAll('meta[property="og:logo"], meta[itemprop="logo"], meta[name="msapplication-TileImage"]')) {
    add(meta.getAttribute('content'), 'logo', null);
  }
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    const match = /"logo"\s*:\s*(?:\{[^}]*?"url"\s*:\s*)?"([^"]+)"/.exec(script.textContent ?? '');
    if (match) add(match[1], 'logo', null);
  }
  // A favicon.ico is always worth a try when the page declares nothing larger; sharp cannot read
  // ICO, so it is listed last and skipped unless the server actually sends a PNG.
  if (found.length === 0) add('/favicon.ico', 'icon', null);
  return found.sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || (b.size ?? 0) - (a.size ?? 0));
}
