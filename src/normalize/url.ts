// URL identity: the canonical form an article is keyed by, and the provider's registrable domain.
import { getDomain } from 'tldts';

const TRACKING_PARAMS = /^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid|_hsenc|_hsmi|ref_src|cmpid|ncid|ocid|sr_share)$/i;

/** Drops fragments, tracking parameters and default ports; lower-cases the scheme and host. */
export function canonicalUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return raw.trim();
  }
  url.hash = '';
  for (const key of [...url.searchParams.keys()]) {
    if (TRACKING_PARAMS.test(key)) url.searchParams.delete(key);
  }
  if ((url.protocol === 'http:' && url.port === '80') || (url.protocol === 'https:' && url.port === '443')) url.port = '';
  let out = url.toString();
  if (url.search === '' && out.endsWith('?')) out = out.slice(0, -1);
  return out;
}

/** The registrable domain (eTLD+1) of a URL or host, e.g. `bbc.co.uk`; the host itself when there is none. */
export function registrableDomain(urlOrHost: string): string {
  let host = urlOrHost;
  try {
    host = new URL(urlOrHost).hostname;
  } catch {
    /* already a host */
  }
  host = host.toLowerCase().replace(/^www\./, '');
  return getDomain(host, { allowPrivateDomains: false }) ?? host;
}

/** A readable name from a domain when nothing better is known: `marketplace.org` → `Marketplace`. */
export function nameFromDomain(domain: string): string {
  const label = domain.split('.')[0] ?? domain;
  return label
    .split(/[-_]/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

/** `href` resolved against `base` when the result is an http(s) URL; null for anything else. */
export function resolveHttpUrl(href: string | null | undefined, base: string): string | null {
  if (!href) return null;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
