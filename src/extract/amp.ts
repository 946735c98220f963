// The AMP-cache URL rule the reference data follows (SPEC.md):
// https:// + host with '-' → '--' then '.' → '-' + .cdn.ampproject.org/c/s/ + host + path (and query).

export function ampCacheUrl(ampUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(ampUrl);
  } catch {
    return null;
  }
  const host = url.hostname;
  const cacheHost = host.replace(/-/g, '--').replace(/\./g, '-');
  const secure = url.protocol === 'https:' ? 's/' : '';
  return `https://${cacheHost}.cdn.ampproject.org/c/${secure}${host}${url.pathname}${url.search}`;
}
