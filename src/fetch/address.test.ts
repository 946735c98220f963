import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAddress, parseCidr, cidrContains, parseAddress, parseIPv6 } from './address.ts';
import { AddressPolicy, checkUrl, ipSpellingProblem } from './guard.ts';
import { isNewsdeskError } from '../errors.ts';

describe('classifyAddress', () => {
  const table: Array<[string, string | null]> = [
    // public
    ['8.8.8.8', null],
    ['93.184.216.34', null],
    ['1.1.1.1', null],
    ['172.15.255.255', null],
    ['172.32.0.0', null],
    ['100.63.255.255', null],
    ['100.128.0.0', null],
    ['169.253.255.255', null],
    ['223.255.255.255', null],
    ['2606:4700:4700::1111', null],
    ['2001:4860:4860::8888', null],
    ['2a00:1450:4001:80b::200e', null],
    ['64:ff9b::8.8.8.8', null],
    // IPv4 non-public
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared address space (CGNAT)'],
    ['100.127.255.255', 'shared address space (CGNAT)'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    // IPv6 non-public
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'IPv4-mapped IPv6'],
    ['::ffff:7f00:1', 'IPv4-mapped IPv6'],
    ['::ffff:8.8.8.8', 'IPv4-mapped IPv6'],
    ['0:0:0:0:0:ffff:a00:1', 'IPv4-mapped IPv6'],
    ['::127.0.0.1', 'reserved'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a00:1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['2001::1', 'reserved'],
    ['2002:7f00:1::1', 'reserved'],
    ['100::1', 'reserved'],
    ['4000::1', 'reserved'],
    // not addresses at all
    ['localhost', 'reserved'],
    ['127.1', 'reserved'],
    ['', 'reserved'],
  ];
  for (const [address, expected] of table) {
    it(`${address || '(empty)'} is ${expected ?? 'public'}`, () => {
      assert.equal(classifyAddress(address)?.category ?? null, expected);
    });
  }

  it('names the range in the verdict', () => {
    assert.deepEqual(classifyAddress('10.1.2.3'), { category: 'private', range: '10.0.0.0/8' });
  });
});

describe('address parsing and CIDRs', () => {
  it('parses IPv6 forms to the same bytes', () => {
    const expected = parseIPv6('0:0:0:0:0:ffff:7f00:1');
    for (const form of ['::ffff:127.0.0.1', '::FFFF:7F00:1', '[::ffff:7f00:1]']) assert.deepEqual(parseAddress(form), expected, form);
    assert.deepEqual(Array.from(parseIPv6('2001:db8::1')!), [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  const cidrTable: Array<[string, string, boolean]> = [
    ['10.0.0.0/8', '10.200.3.4', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['10.1.0.0/16', '10.1.255.255', true],
    ['10.1.0.0/16', '10.2.0.0', false],
    ['127.0.0.2/32', '127.0.0.2', true],
    ['127.0.0.2/32', '127.0.0.1', false],
    ['127.0.0.2', '127.0.0.2', true],
    ['172.16.0.0/12', '172.31.0.1', true],
    ['172.16.0.0/12', '172.32.0.1', false],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['127.0.0.2/32', '::ffff:127.0.0.2', true],
    ['fd00::/8', 'fd12::1', true],
    ['fd00::/8', 'fe80::1', false],
    ['fd00::/8', '10.0.0.1', false],
    ['10.0.0.0/8', 'fd00::1', false],
    ['2001:db8:abcd::/47', '2001:db8:abcd:1::1', true],
    ['2001:db8:abcd::/47', '2001:db8:abcf::1', false],
  ];
  for (const [cidr, address, inside] of cidrTable) {
    it(`${address} is ${inside ? '' : 'not '}in ${cidr}`, () => {
      assert.equal(cidrContains(parseCidr(cidr)!, parseAddress(address)!), inside);
    });
  }

  it('rejects malformed CIDRs', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0/8', 'fd00::/129', '10.0.0.0/8/1', 'example.org/8', '10.0.0.0/x']) {
      assert.equal(parseCidr(bad), null, bad);
    }
    assert.throws(() => new AddressPolicy({ cidrs: ['10.0.0.0/40'] }), (err) => isNewsdeskError(err, 'ND_CONFIG_INVALID'));
  });
});

describe('AddressPolicy', () => {
  const policy = new AddressPolicy({ hosts: ['intranet.example', '.corp.example'], cidrs: ['10.20.0.0/16', 'fd00:1::/32'] });
  it('allows allowlisted ranges and nothing else that is not public', () => {
    assert.equal(policy.refusal('10.20.1.1'), null);
    assert.match(policy.refusal('10.21.1.1')!, /^private address \(10\.0\.0\.0\/8\)$/);
    assert.equal(policy.refusal('fd00:1::5'), null);
    assert.match(policy.refusal('fd00:2::5')!, /private/);
    assert.equal(policy.refusal('8.8.8.8'), null);
  });
  it('matches hosts exactly or by a leading-dot suffix', () => {
    assert.ok(policy.isHostAllowed('intranet.example'));
    assert.ok(policy.isHostAllowed('INTRANET.example.'));
    assert.ok(!policy.isHostAllowed('evil-intranet.example'));
    assert.ok(policy.isHostAllowed('wiki.corp.example'));
    assert.ok(!policy.isHostAllowed('corp.example.evil.org'));
  });
});

describe('IP spellings in URLs', () => {
  const table: Array<[string, boolean]> = [
    ['http://127.0.0.1/', false],
    ['http://127.0.0.1./', false],
    ['http://user:pw@8.8.8.8:8080/x', false],
    ['http://example.org/', false],
    ['http://[::1]/', false],
    ['http://2130706433/', true],
    ['http://0x7f000001/', true],
    ['http://0X7F.0.0.1/', true],
    ['http://0177.0.0.1/', true],
    ['http://127.1/', true],
    ['http://127.0.1/', true],
    ['http://%31%32%37.0.0.1/', true],
    ['http://１２７.０.０.１/', true],
    ['http://12\t7.0.0.1/', false], // tab removal leaves the canonical spelling
    ['http:\\\\0x7f.1\\', true],
    ['HTTP://0x08.0x08.0x08.0x08/', true],
    ['http://134744072/', true], // 8.8.8.8 in decimal: refused even though public
  ];
  for (const [raw, refused] of table) {
    it(`${JSON.stringify(raw)} is ${refused ? 'refused' : 'accepted'}`, () => {
      assert.equal(ipSpellingProblem(raw, new URL(raw)) !== null, refused);
    });
  }

  it('judges relative redirects by the host they inherit', () => {
    const base = new URL('http://8.8.8.8/a');
    assert.equal(ipSpellingProblem('/b', new URL('/b', base), base.hostname), null);
    assert.notEqual(ipSpellingProblem('//0x7f.1/b', new URL('//0x7f.1/b', base), base.hostname), null);
  });

  it('checkUrl refuses with ND_FETCH_PRIVATE_ADDRESS naming the reason', () => {
    const policy = new AddressPolicy();
    assert.throws(() => checkUrl('http://0x7f.1/', policy), (err) => isNewsdeskError(err, 'ND_FETCH_PRIVATE_ADDRESS') && /non-canonical/.test(err.message));
    assert.throws(() => checkUrl('http://169.254.169.254/latest/meta-data/', policy), (err) => isNewsdeskError(err, 'ND_FETCH_PRIVATE_ADDRESS') && /link-local/.test(err.message));
    assert.throws(() => checkUrl('http://[fe80::1]/', policy), (err) => isNewsdeskError(err, 'ND_FETCH_PRIVATE_ADDRESS') && /link-local/.test(err.message));
    assert.throws(() => checkUrl('gopher://example.org/', policy), (err) => isNewsdeskError(err, 'ND_FETCH_FAILED'));
    assert.throws(() => checkUrl('not a url', policy), (err) => isNewsdeskError(err, 'ND_FETCH_FAILED'));
    assert.equal(checkUrl('https://example.org/feed', policy).href, 'https://example.org/feed');
  });
});
