import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFeedDate } from './dates.ts';

const cases: [string, string | null][] = [
  // RFC 822 / 2822 as RSS uses it
  ['Wed, 31 Dec 2003 10:14:55 GMT', '2003-12-31T10:14:55.000Z'],
  ['Wed, 31 Dec 2003 10:14:55 +0100', '2003-12-31T09:14:55.000Z'],
  ['Wed, 31 Dec 2003 10:14:55 -05:00', '2003-12-31T15:14:55.000Z'],
  ['31 Dec 2003 10:14:55 Z', '2003-12-31T10:14:55.000Z'],
  ['Wed, 31 Dec 2003 10:14 GMT', '2003-12-31T10:14:00.000Z'],
  ['Wed, 31 Dec 2003 10:14:55', '2003-12-31T10:14:55.000Z'],
  ['Wed, 31 Dec 03 10:14:55 GMT', '2003-12-31T10:14:55.000Z'],
  ['Thu, 31 Dec 99 10:14:55 GMT', '1999-12-31T10:14:55.000Z'],
  ['Wednesday, 31 December 2003 10:14:55 GMT', '2003-12-31T10:14:55.000Z'],
  ['Wed, 31 Dec 2003', '2003-12-31T00:00:00.000Z'],
  // named zones
  ['Wed, 31 Dec 2003 10:14:55 EST', '2003-12-31T15:14:55.000Z'],
  ['Wed, 31 Dec 2003 10:14:55 EDT', '2003-12-31T14:14:55.000Z'],
  ['Wed, 31 Dec 2003 10:14:55 PST', '2003-12-31T18:14:55.000Z'],
  ['Wed, 31 Dec 2003 10:14:55 PDT', '2003-12-31T17:14:55.000Z'],
  ['Wed, 31 Dec 2003 10:14:55 CET', '2003-12-31T09:14:55.000Z'],
  ['Wed, 31 Dec 2003 10:14:55 UT', '2003-12-31T10:14:55.000Z'],
  ['Wed, 31 Dec 2003 10:14:55 GMT+2', '2003-12-31T08:14:55.000Z'],
  // W3CDTF / ISO 8601
  ['2003-12-31T10:14:55Z', '2003-12-31T10:14:55.000Z'],
  ['2003-12-31T10:14:55.25-08:00', '2003-12-31T18:14:55.250Z'],
  ['2003-12-31T10:14:55+0530', '2003-12-31T04:44:55.000Z'],
  ['2003-12-31T10:14Z', '2003-12-31T10:14:00.000Z'],
  ['2003-12-31', '2003-12-31T00:00:00.000Z'],
  ['2003-12', '2003-12-01T00:00:00.000Z'],
  ['2003', '2003-01-01T00:00:00.000Z'],
  ['20031231T101455Z', '2003-12-31T10:14:55.000Z'],
  ['2003-12-31 10:14:55', '2003-12-31T10:14:55.000Z'],
  ['2004-04-06T23:05:43-05:00', '2004-04-07T04:05:43.000Z'],
  // other forms found in the wild
  ['Sun Jan  4 16:29:06 PST 2004', '2004-01-05T00:29:06.000Z'],
  ['2004/01/04 16:29:06 EST', '2004-01-04T21:29:06.000Z'],
  ['January 4, 2004 16:29', '2004-01-04T16:29:00.000Z'],
  // not dates
  ['', null],
  ['yesterday', null],
  ['Wed, 31 Feb 2003 10:14:55 GMT', null],
  // day-of-month limits: leap years, and two-digit years read as 19xx
  ['Thu, 29 Feb 2024 10:00:00 GMT', '2024-02-29T10:00:00.000Z'],
  ['Thu, 29 Feb 2023 10:00:00 GMT', null],
  ['2000-02-29', '2000-02-29T00:00:00.000Z'],
  ['2100-02-29', null],
  ['2003-04-31', null],
  ['Tue, 29 Feb 00 10:00:00 GMT', '2000-02-29T10:00:00.000Z'],
  ['2003-13-01', null],
  ['Wed, 31 Dec 2003 10:14:55 QQQ', null],
];

for (const [input, expected] of cases) {
  test(`date ${JSON.stringify(input)} → ${expected}`, () => {
    assert.equal(parseFeedDate(input), expected);
  });
}

test('null and undefined are not dates', () => {
  assert.equal(parseFeedDate(null), null);
  assert.equal(parseFeedDate(undefined), null);
});
