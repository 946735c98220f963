// The Google AMP cache address of an AMP page, as the reference records build it (SPEC.md):
// https:// + host with '-' → '--' then '.' → '-' + .cdn.ampproject.org/c/s/ + host + path and query.
// Plain-http pages are served by the cache under /c/ without the `s/`.

/** The AMP cache URL for an AMP page URL; null for anything that is not an http(s) URL. */
export function ampCacheUrl(ampUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(ampUrl.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.toLowerCase();
  const cacheHost = host.replace(/-/g, '--').replace(/\./g, '-');
  const hostWithPort = url.port ? `${host}:${url.port}` : host;
  const secure = url.protocol === 'https:' ? 's/' : '';
  return `https://${cacheHost}.cdn.ampproject.org/c/${secure}${hostWithPort}${url.pathname}${url.search}`;
}
