// OPML subscription lists: import (nested outlines, the folder path becomes the category) and
// export (categories become folders again, so an export imports back to the same list).
import { decodeEntities } from '../normalize/text.ts';

export interface OpmlSource {
  title: string | null;
  xmlUrl: string;
  htmlUrl: string | null;
  /** Folder path, `/`-separated for nested folders (`Tech/AI`), or null at top level. */
  category: string | null;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}

function outlineAttributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z_:][-\w:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out[m[1]!] = decodeEntities(m[2] ?? m[3] ?? '');
  return out;
}

function attr(attrs: Record<string, string>, name: string): string | null {
  // Exporters disagree on case (xmlUrl, xmlurl, XMLURL).
  const key = Object.keys(attrs).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : attrs[key]?.trim();
  return value ? value : null;
}

/** Every feed outline of an OPML document, in document order. */
export function parseOpml(text: string): OpmlSource[] {
  const body = text.replace(/<!--[\s\S]*?-->/g, '');
  const sources: OpmlSource[] = [];
  const folders: (string | null)[] = [];
  for (const m of body.matchAll(/<outline\b((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>|<\/outline\s*>/gi)) {
    if (m[0].startsWith('</')) {
      folders.pop();
      continue;
    }
    const attrs = outlineAttributes(m[1] ?? '');
    const title = attr(attrs, 'title') ?? attr(attrs, 'text');
    const xmlUrl = attr(attrs, 'xmlUrl');
    if (xmlUrl) {
      const path = folders.filter((f): f is string => !!f);
      const own = attr(attrs, 'category');
      // A `category` attribute is a comma list of `/`-paths; the first one names the folder if the outline has none.
      const category = path.length ? path.join('/') : own ? own.split(',')[0]!.trim().replace(/^\/+/, '') || null : null;
      sources.push({ title, xmlUrl, htmlUrl: attr(attrs, 'htmlUrl'), category });
    }
    if (!m[2]) folders.push(xmlUrl ? null : title);
  }
  return sources;
}

/** An OPML 2.0 document listing `sources`, grouped into nested folders by category. */
export function writeOpml(sources: OpmlSource[], title = 'newsdesk sources'): string {
  interface Folder { name: string; folders: Map<string, Folder>; feeds: OpmlSource[] }
  const root: Folder = { name: '', folders: new Map(), feeds: [] };
  for (const source of sources) {
    let folder = root;
    for (const part of (source.category ?? '').split('/').map((p) => p.trim()).filter(Boolean)) {
      let next = folder.folders.get(part);
      if (!next) {
        next = { name: part, folders: new Map(), feeds: [] };
        folder.folders.set(part, next);
      }
      folder = next;
    }
    folder.feeds.push(source);
  }
  const lines: string[] = [];
  const emit = (folder: Folder, depth: number): void => {
    const indent = '  '.repeat(depth);
    for (const feed of folder.feeds) {
      const text = escapeAttribute(feed.title ?? feed.xmlUrl);
      const html = feed.htmlUrl ? ` htmlUrl="${escapeAttribute(feed.htmlUrl)}"` : '';
      lines.push(`${indent}<outline type="rss" text="${text}" title="${text}" xmlUrl="${escapeAttribute(feed.xmlUrl)}"${html}/>`);
    }
    for (const sub of folder.folders.values()) {
      lines.push(`${indent}<outline text="${escapeAttribute(sub.name)}" title="${escapeAttribute(sub.name)}">`);
      emit(sub, depth + 1);
      lines.push(`${indent}</outline>`);
    }
  };
  emit(root, 2);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeAttribute(title)}</title>`,
    `    <dateCreated>${new Date().toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
    ...lines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
