// The SSRF guard. URLs are checked before a request is made (scheme, IP spelling, literal addresses)
// and every connection is checked again at connect time, after name resolution, so that a redirect
// hop or a DNS answer cannot lead newsdesk to a private address. The connector connects to the very
// address it checked, so a second DNS answer (rebinding) cannot slip in between check and connect.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { buildConnector } from 'undici';
import { newsdeskError } from '../errors.ts';
import { classifyAddress, describeVerdict, parseAddress, parseCidr, cidrContains, type Cidr } from './address.ts';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has. The default uses the system resolver. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface AllowList {
  /** Host names that may resolve to non-public addresses (exact, or `.example.org` for subdomains). */
  hosts?: string[];
  /** Address ranges that may be connected to even though they are not public, e.g. `10.1.0.0/16`. */
  cidrs?: string[];
}

export const systemResolver: Resolver = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export class AddressPolicy {
  private readonly hosts: string[];
  private readonly cidrs: Cidr[];

  constructor(allow: AllowList = {}) {
    this.hosts = (allow.hosts ?? []).map((h) => h.trim().toLowerCase().replace(/\.$/, '')).filter(Boolean);
    this.cidrs = (allow.cidrs ?? []).map((text) => {
      const cidr = parseCidr(text);
      if (!cidr) throw newsdeskError('ND_CONFIG_INVALID', { path: 'fetch.allow.cidrs', reason: `not a CIDR: ${text}` });
      return cidr;
    });
  }

  isHostAllowed(hostname: string): boolean {
    const host = stripBrackets(hostname).toLowerCase().replace(/\.$/, '');
    return this.hosts.some((entry) => (entry.startsWith('.') ? host.endsWith(entry) : host === entry));
  }

  /** Why this address is refused, or null when it may be connected to. */
  refusal(address: string): string | null {
    const verdict = classifyAddress(address);
    if (!verdict) return null;
    const bytes = parseAddress(address);
    if (bytes && this.cidrs.some((cidr) => cidrContains(cidr, bytes))) return null;
    return describeVerdict(verdict);
  }
}

export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

// The host as written in a URL with an authority. The WHATWG parser drops tabs and newlines and
// treats backslashes as slashes in http(s) URLs, so the raw text is read the same way here.
const authorityPattern = /^(?:[a-z][a-z0-9+.-]*:)?[\\/]{2}(?:[^@/\\?#]*@)?(\[[^\]]*\]|[^/\\?#:]*)/i;

/**
 * Refuses IPv4 addresses written in any form but dotted decimal (`2130706433`, `0x7f.1`, `0177.0.0.1`,
 * percent-encoded or full-width digits). Such spellings only exist to slip past naive filters, and
 * every URL parser reads them differently, so none of them is followed.
 * `baseHost` is the host a relative reference inherits.
 */
export function ipSpellingProblem(raw: string, resolved: URL, baseHost?: string): string | null {
  if (isIP(resolved.hostname) !== 4) return null;
  const cleaned = raw.replace(/[\t\n\r]/g, '').trim();
  const match = authorityPattern.exec(cleaned);
  if (!match) {
    if (baseHost !== undefined && baseHost === resolved.hostname) return null;
    return `IPv4 address ${resolved.hostname} without an explicit host in "${raw}"`;
  }
  const written = match[1].toLowerCase().replace(/\.$/, '');
  if (written === resolved.hostname) return null;
  return `IPv4 address spelled "${match[1]}" (decimal, hex, octal and other non-canonical forms are refused)`;
}

/**
 * Parses and checks a URL before any request: http(s) only, no obfuscated IP spellings, and literal
 * IP hosts classified right away so the error names the reason without a connection attempt.
 */
export function checkUrl(raw: string, policy: AddressPolicy, base?: URL): URL {
  let url: URL;
  try {
    url = base ? new URL(raw, base) : new URL(raw);
  } catch {
    throw newsdeskError('ND_FETCH_FAILED', { url: raw, reason: 'not a valid URL' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw newsdeskError('ND_FETCH_FAILED', { url: url.href, reason: `unsupported scheme ${url.protocol}` });
  }
  const spelling = ipSpellingProblem(raw, url, base?.hostname);
  if (spelling) {
    throw newsdeskError('ND_FETCH_PRIVATE_ADDRESS', { url: url.href, address: url.hostname, host: url.hostname, reason: spelling });
  }
  const literal = stripBrackets(url.hostname);
  if (isIP(literal) && !policy.isHostAllowed(literal)) {
    const refusal = policy.refusal(literal);
    if (refusal) throw newsdeskError('ND_FETCH_PRIVATE_ADDRESS', { url: url.href, address: literal, host: literal, reason: refusal });
  }
  return url;
}

export interface GuardedConnectorOptions {
  policy: AddressPolicy;
  resolver: Resolver;
  connectTimeoutMs: number;
  /** PEM certificates trusted in addition to Node's bundled roots (a private CA for intranet sources). */
  extraTrustedCertificates?: string[];
}

type Connector = ReturnType<typeof buildConnector>;

const unreachableCodes = new Set(['ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/**
 * An undici connector that resolves the host itself, refuses the connection when any address it
 * resolves to is not allowed (a name with one public and one private address is refused: the
 * private one is what an attacker would steer to), then connects to the checked address.
 */
export function createGuardedConnector({ policy, resolver, connectTimeoutMs, extraTrustedCertificates }: GuardedConnectorOptions): Connector {
  const connectSocket = buildConnector({
    timeout: connectTimeoutMs,
    ...(extraTrustedCertificates?.length ? { ca: [...rootCertificates, ...extraTrustedCertificates] } : {}),
  });
  const origin = (protocol: string, host: string | undefined) => `${protocol}//${host ?? ''}`;

  const guarded: Connector = (options, callback) => {
    const hostname = stripBrackets(options.hostname);
    const hostAllowed = policy.isHostAllowed(hostname);
    let settled = false;
    const finish = (err: Error | null, socket?: Parameters<typeof callback>[1]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) callback(err, null);
      else callback(null, socket!);
    };
    const timer = setTimeout(() => {
      finish(newsdeskError('ND_FETCH_TIMEOUT', {
        url: origin(options.protocol, options.host),
        reason: `no connection within ${connectTimeoutMs} ms (name resolution)`,
      }));
    }, connectTimeoutMs);

    const resolve = isIP(hostname)
      ? Promise.resolve<ResolvedAddress[]>([{ address: hostname, family: isIP(hostname) === 6 ? 6 : 4 }])
      : resolver(hostname);
    resolve.then(
      (addresses) => {
        if (settled) return;
        if (addresses.length === 0) {
          finish(newsdeskError('ND_FETCH_FAILED', { url: origin(options.protocol, options.host), reason: `${hostname} has no address` }));
          return;
        }
        if (!hostAllowed) {
          for (const { address } of addresses) {
            const refusal = policy.refusal(address);
            if (refusal) {
              finish(newsdeskError('ND_FETCH_PRIVATE_ADDRESS', {
                url: origin(options.protocol, options.host),
                host: hostname,
                address,
                reason: isIP(hostname) ? refusal : `${hostname} resolves to a ${refusal}`,
              }));
              return;
            }
          }
        }
        clearTimeout(timer);
        // Connecting by address gives up Node's own happy-eyeballs, so the checked addresses are
        // tried in turn (IPv4 first: hosts without IPv6 routes are common) while the network says
        // an address is unreachable.
        const targets = [...addresses].sort((a, b) => a.family - b.family).map((a) => a.address);
        const attempt = (index: number) => {
          connectSocket(
            {
              ...options,
              hostname: targets[index],
              // TLS must still verify the certificate against the name, not the address.
              servername: options.servername || (isIP(hostname) ? undefined : hostname),
            },
            (err, socket) => {
              if (!err) return finish(null, socket!);
              const code = (err as { code?: string }).code ?? '';
              if (index + 1 < targets.length && unreachableCodes.has(code)) return attempt(index + 1);
              finish(err);
            },
          );
        };
        attempt(0);
      },
      (err: unknown) => {
        const code = (err as { code?: string }).code ?? '';
        finish(newsdeskError('ND_FETCH_FAILED', {
          url: origin(options.protocol, options.host),
          reason: `cannot resolve ${hostname}${code ? ` (${code})` : ''}`,
        }, err));
      },
    );
  };
  return guarded;
}
