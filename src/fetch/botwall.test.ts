import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectBotWall } from './botwall.ts';

describe('detectBotWall', () => {
  const table: Array<[string, number, Record<string, string>, string, string | null]> = [
    ['Cloudflare managed challenge header', 403, { 'cf-mitigated': 'challenge', server: 'cloudflare' }, '', 'Cloudflare'],
    ['Cloudflare challenge page on 503', 503, { server: 'cloudflare' }, '<title>Just a moment...</title>', 'Cloudflare'],
    ['Cloudflare block page on 403', 403, { server: 'cloudflare' }, '<title>Attention Required! | Cloudflare</title>', 'Cloudflare'],
    ['Cloudflare challenge script', 403, { server: 'cloudflare' }, '<script src="/cdn-cgi/challenge-platform/x"></script>', 'Cloudflare'],
    ['Cloudflare-served site returning its own 403', 403, { server: 'cloudflare' }, '<h1>Forbidden</h1>', null],
    ['Cloudflare-served 200', 200, { server: 'cloudflare' }, '', null],
    ['DataDome header on a 403', 403, { 'x-datadome': 'protected' }, '', 'DataDome'],
    ['DataDome x-dd-b on a 403', 403, { 'x-dd-b': '1' }, '', 'DataDome'],
    ['DataDome captcha page', 405, {}, '<script src="https://geo.captcha-delivery.com/captcha/"></script>', 'DataDome'],
    ['DataDome tag on a page it let through', 200, { 'x-datadome': 'protected' }, '', null],
    ['PerimeterX block page', 403, {}, '<div id="px-captcha"></div>', 'PerimeterX'],
    ['PerimeterX app id', 403, {}, 'window._pxAppId = "PXabc";', 'PerimeterX'],
    ['Akamai edge denial', 403, { server: 'AkamaiGHost' }, '<H1>Access Denied</H1> Reference&#32;#18.abc', 'Akamai'],
    ['Sucuri firewall', 403, { server: 'Sucuri/Cloudproxy', 'x-sucuri-id': '1' }, '', 'Sucuri'],
    ['Sucuri block header', 200, { 'x-sucuri-block': 'BLK' }, '', 'Sucuri'],
    ['Imperva incident', 403, {}, 'Request unsuccessful. Incapsula incident ID: 123', 'Imperva'],
    ['Imperva x-iinfo', 403, { 'x-iinfo': '9-123' }, '', 'Imperva'],
    ['AWS WAF challenge', 202, { 'x-amzn-waf-action': 'challenge' }, '', 'AWS WAF'],
    ['Vercel challenge', 429, { 'x-vercel-mitigated': 'challenge' }, '', 'Vercel'],
    ['Kasada', 429, { 'x-kpsdk-ct': 'abc' }, '', 'Kasada'],
    ['DDoS-Guard', 403, { server: 'ddos-guard' }, '', 'DDoS-Guard'],
    ['plain nginx 403', 403, { server: 'nginx' }, '<h1>403 Forbidden</h1>', null],
    ['plain 429', 429, {}, 'Too Many Requests', null],
    ['ordinary page mentioning a vendor', 200, { server: 'nginx' }, 'We compared Cloudflare, Akamai and PerimeterX.', null],
  ];
  for (const [name, status, headers, body, vendor] of table) {
    it(`${name} → ${vendor ?? 'no wall'}`, () => {
      assert.equal(detectBotWall(status, headers, body)?.vendor ?? null, vendor);
    });
  }

  it('says what gave the wall away', () => {
    assert.equal(detectBotWall(403, { 'cf-mitigated': 'challenge' }, '')?.evidence, 'cf-mitigated: challenge');
  });
});
