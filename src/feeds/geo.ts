// GeoRSS Simple (`georss:point|line|polygon|box`, "lat lon" pairs) and GeoRSS GML
// (`georss:where` around `gml:Point|LineString|Polygon|Envelope`, or a bare `gml:` geometry) read
// from the element tree into GeoJSON-style geometries: coordinates are [longitude, latitude(,
// height)]. GML positions are in the axis order of their reference system: WGS 84 (the default,
// EPSG:4326/4979) writes latitude first, so those are swapped; others (UTM...) are kept as written.
import { buildTree, type XmlElement } from './xmltree.ts';
import type { FeedGeometry, ParsedFeed } from './types.ts';

const GEORSS = 'http://www.georss.org/georss';
const GML = 'http://www.opengis.net/gml';

// The GeoRSS and GML namespaces, as a document that uses either spells them.
export const geoMarkers = /georss\.org\/georss|opengis\.net\/gml/;

export function mentionsGeo(text: string): boolean {
  return geoMarkers.test(text);
}

function numbers(text: string): number[] | null {
  const parts = text.trim().split(/[\s,]+/).filter(Boolean);
  const values = parts.map(Number);
  return values.length && values.every(Number.isFinite) ? values : null;
}

function tuples(values: number[], dimension: number, swap: boolean): number[][] {
  const out: number[][] = [];
  for (let i = 0; i + dimension <= values.length; i += dimension) {
    const p = values.slice(i, i + dimension);
    out.push(swap ? [p[1]!, p[0]!, ...p.slice(2)] : p);
  }
  return out;
}

function simple(el: XmlElement): FeedGeometry | null {
  const values = numbers(el.text);
  if (!values) return null;
  const points = tuples(values, 2, true);
  switch (el.local) {
    case 'point':
      return points.length === 1 ? { type: 'Point', coordinates: points[0]! } : null;
    case 'line':
      return points.length >= 2 ? { type: 'LineString', coordinates: points } : null;
    case 'polygon':
      return points.length >= 4 ? { type: 'Polygon', coordinates: points } : null;
    case 'box':
      return points.length === 2 ? { type: 'Box', coordinates: points } : null;
    default:
      return null;
  }
}

function descendant(el: XmlElement, local: string): XmlElement | undefined {
  for (const c of el.children) {
    if (c.local === local && c.ns === GML) return c;
    const deeper = descendant(c, local);
    if (deeper) return deeper;
  }
  return undefined;
}

function gml(el: XmlElement): FeedGeometry | null {
  const srs = el.attrs.srsName ?? '';
  const swap = !srs || /(?:^|[:#])(?:4326|4979)$|crs84|wgs84/i.test(srs.replace(/^.*EPSG/i, 'EPSG'));
  const dimension = Number(el.attrs.srsDimension ?? 2) === 3 ? 3 : 2;
  const list = (node: XmlElement | undefined): number[][] | null => {
    const values = node ? numbers(node.text) : null;
    return values ? tuples(values, dimension, swap) : null;
  };
  switch (el.local) {
    case 'Point': {
      const p = list(descendant(el, 'pos') ?? descendant(el, 'coordinates'));
      return p?.length === 1 ? { type: 'Point', coordinates: p[0]! } : null;
    }
    case 'LineString': {
      const p = list(descendant(el, 'posList'));
      return p && p.length >= 2 ? { type: 'LineString', coordinates: p } : null;
    }
    case 'Polygon': {
      const p = list(descendant(el, 'posList'));
      return p && p.length >= 4 ? { type: 'Polygon', coordinates: p } : null;
    }
    case 'Envelope': {
      const lower = list(descendant(el, 'lowerCorner'));
      const upper = list(descendant(el, 'upperCorner'));
      return lower?.length === 1 && upper?.length === 1 ? { type: 'Box', coordinates: [lower[0]!, upper[0]!] } : null;
    }
    default:
      return null;
  }
}

/** The geometry an entry element carries; `{}`-like null geometry when it has a GeoRSS element that says nothing usable. */
export function geometryIn(entry: XmlElement): { geometry: FeedGeometry | null } | null {
  for (const c of entry.children) {
    if (c.ns === GEORSS && ['point', 'line', 'polygon', 'box'].includes(c.local)) return { geometry: simple(c) };
    if (c.ns === GEORSS && c.local === 'where') {
      const shape = c.children.find((g) => g.ns === GML);
      return { geometry: shape ? gml(shape) : null };
    }
    if (c.ns === GML && ['Point', 'LineString', 'Polygon', 'Envelope'].includes(c.local)) return { geometry: gml(c) };
  }
  return null;
}

/** Sets `where` on each entry from the document's GeoRSS (an empty geometry when the element is there but unusable). */
export function applyGeo(parsed: ParsedFeed, text: string): void {
  const root = buildTree(text);
  if (!root) return;
  const channel = root.children.find((c) => c.local === 'channel');
  const items = [...root.children, ...(channel?.children ?? [])].filter((c) => c.local === 'entry' || c.local === 'item');
  // Entries with nothing but a location are dropped by the parsers; they are entries all the same.
  if (!parsed.entries.length && items.length) {
    parsed.entries = items.map(() => ({ id: null, title: null, link: null, summary: null, content: null, published: null, updated: null, authors: [], categories: [], enclosures: [], images: [], links: [], language: parsed.language, base: parsed.base }));
  }
  if (items.length !== parsed.entries.length) return;
  items.forEach((item, i) => {
    const found = geometryIn(item);
    if (found) parsed.entries[i]!.where = found.geometry ?? { type: null, coordinates: [] };
  });
}
