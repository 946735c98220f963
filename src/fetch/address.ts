// Which IP addresses newsdesk may connect to. A fetcher that follows untrusted URLs must not become a
// proxy into the machine it runs on or the network around it, so every non-public range is refused
// unless the operator allowlists it.
import { isIP } from 'node:net';

export type AddressCategory =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared address space (CGNAT)'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation'
  | 'IPv4-mapped IPv6';

export interface AddressVerdict {
  category: AddressCategory;
  /** The range the address fell in, e.g. `127.0.0.0/8`. */
  range: string;
}

/** An address in network byte order: 4 bytes for IPv4, 16 for IPv6. */
export type AddressBytes = Uint8Array;

export function parseIPv4(text: string): AddressBytes | null {
  if (isIP(text) !== 4) return null;
  return Uint8Array.from(text.split('.').map(Number));
}

export function parseIPv6(text: string): AddressBytes | null {
  const withoutZone = text.replace(/%.*$/, '');
  if (isIP(withoutZone) !== 6) return null;
  let body = withoutZone.toLowerCase();
  const groups: number[] = [];
  // A trailing dotted quad stands for the last two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  let tail: number[] = [];
  if (dotted) {
    const v4 = parseIPv4(dotted[1])!;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    body = body.slice(0, -dotted[1].length);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const toGroups = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const doubleColon = body.indexOf('::');
  if (doubleColon >= 0) {
    const head = toGroups(body.slice(0, doubleColon));
    const rest = toGroups(body.slice(doubleColon + 2));
    const missing = 8 - head.length - rest.length - tail.length;
    groups.push(...head, ...new Array<number>(missing).fill(0), ...rest, ...tail);
  } else {
    groups.push(...toGroups(body), ...tail);
  }
  if (groups.length !== 8) return null;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

/** Parses an IPv4 or IPv6 literal; brackets around IPv6 are accepted. */
export function parseAddress(text: string): AddressBytes | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return parseIPv4(bare) ?? parseIPv6(bare);
}

export interface Cidr {
  bytes: AddressBytes;
  prefix: number;
  text: string;
}

/** `10.0.0.0/8`, `fd00::/8`, or a bare address (a single-host range). Returns null when malformed. */
export function parseCidr(text: string): Cidr | null {
  const [addressPart, prefixPart, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const bytes = parseAddress(addressPart);
  if (!bytes) return null;
  const maxPrefix = bytes.length * 8;
  const prefix = prefixPart === undefined ? maxPrefix : Number(prefixPart);
  if (!/^\d+$/.test(prefixPart ?? String(maxPrefix)) || prefix > maxPrefix) return null;
  return { bytes, prefix, text: `${addressPart}/${prefix}` };
}

export function cidrContains(cidr: Cidr, address: AddressBytes): boolean {
  let candidate = address;
  // An IPv4-mapped IPv6 address is the IPv4 host it maps to, so IPv4 ranges must cover it as well.
  if (cidr.bytes.length === 4 && address.length === 16 && isMappedIPv4(address)) candidate = address.subarray(12);
  if (candidate.length !== cidr.bytes.length) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((candidate[i] & mask) !== (cidr.bytes[i] & mask)) return false;
  }
  return true;
}

function isMappedIPv4(bytes: AddressBytes): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

function rangeTable(entries: Array<[string, AddressCategory]>): Array<[Cidr, AddressCategory]> {
  return entries.map(([text, category]) => [parseCidr(text)!, category]);
}

// Ordered most specific first where ranges nest (the broadcast address inside 240.0.0.0/4).
const ipv4Ranges = rangeTable([
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared address space (CGNAT)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
]);

const ipv6Ranges = rangeTable([
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::ffff:0:0/96', 'IPv4-mapped IPv6'],
  // IPv4-compatible addresses (deprecated) and SIIT translated addresses embed IPv4 hosts.
  ['::/96', 'reserved'],
  ['::ffff:0:0:0/96', 'reserved'],
  ['64:ff9b:1::/48', 'private'],
  ['100::/64', 'reserved'],
  ['2001::/32', 'reserved'],
  ['2001:10::/28', 'reserved'],
  ['2001:20::/28', 'reserved'],
  ['2001:db8::/32', 'documentation'],
  ['2002::/16', 'reserved'],
  ['3fff::/20', 'documentation'],
  ['fc00::/7', 'private'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'private'],
  ['ff00::/8', 'multicast'],
]);
const globalUnicast = parseCidr('2000::/3')!;
const nat64 = parseCidr('64:ff9b::/96')!;

/**
 * Why an address must not be connected to, or null when it is public.
 * Accepts IPv4 and IPv6 literals (brackets and zone ids allowed); anything unparseable is `reserved`.
 */
export function classifyAddress(text: string): AddressVerdict | null {
  const bytes = parseAddress(text);
  if (!bytes) return { category: 'reserved', range: 'not an IP address' };
  return classifyBytes(bytes);
}

export function classifyBytes(bytes: AddressBytes): AddressVerdict | null {
  if (bytes.length === 4) {
    for (const [cidr, category] of ipv4Ranges) if (cidrContains(cidr, bytes)) return { category, range: cidr.text };
    return null;
  }
  // NAT64 reaches the embedded IPv4 host, so it is as safe as that host.
  if (cidrContains(nat64, bytes)) {
    const embedded = classifyBytes(bytes.subarray(12));
    return embedded ? { category: embedded.category, range: `${nat64.text} embedding ${embedded.range}` } : null;
  }
  for (const [cidr, category] of ipv6Ranges) if (cidrContains(cidr, bytes)) return { category, range: cidr.text };
  if (!cidrContains(globalUnicast, bytes)) return { category: 'reserved', range: 'outside 2000::/3' };
  return null;
}

export function describeVerdict(verdict: AddressVerdict): string {
  return `${verdict.category} address (${verdict.range})`;
}
