import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFeed } from './parse.ts';

const parse = (s: string) => parseFeed(new TextEncoder().encode(s), { url: 'https://example.org/feed.xml' });
const atom = (inner: string) => `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:georss="http://www.georss.org/georss" xmlns:gml="http://www.opengis.net/gml"><title>T</title><entry><title>E</title>${inner}</entry></feed>`;

test('GeoRSS simple pairs are lat lon; the geometry is lon, lat', () => {
  assert.deepEqual(parse(atom('<georss:point> 36.9382 31.1732 </georss:point>')).entries[0]!.where, { type: 'Point', coordinates: [31.1732, 36.9382] });
  const line = parse(atom('<georss:line>33.3 52.5 32.5 52.5</georss:line>')).entries[0]!.where;
  assert.equal(line?.type, 'LineString');
  assert.deepEqual(line?.coordinates[0], [52.5, 33.3]);
  assert.equal(parse(atom('<georss:point> </georss:point>')).entries[0]!.where?.type, null);
});

test('GML positions follow their reference system axis order', () => {
  assert.deepEqual(parse(atom('<georss:where><gml:Point><gml:pos>36.9382 31.1732</gml:pos></gml:Point></georss:where>')).entries[0]!.where?.coordinates, [31.1732, 36.9382]);
  assert.deepEqual(parse(atom('<georss:where><gml:Point srsName="EPSG:26913"><gml:pos>36.9382 31.1732</gml:pos></gml:Point></georss:where>')).entries[0]!.where?.coordinates, [36.9382, 31.1732]);
  assert.deepEqual(parse(atom('<georss:where><gml:Point srsDimension="3"><gml:pos>42.3 -156.2 45</gml:pos></gml:Point></georss:where>')).entries[0]!.where?.coordinates, [-156.2, 42.3, 45]);
});
