// Recognizing bot-protection walls. A bare "HTTP 403" on a source tells the operator nothing; "blocked
// by a Cloudflare challenge" tells them the source needs another way in (an official feed, an API).
// Signals are the vendors' own documented headers first, then the markers their challenge pages carry.

export interface BotWall {
  vendor: string;
  /** What gave it away, for the source's status line. */
  evidence: string;
}

type Headers = Record<string, string>;

interface Signature {
  vendor: string;
  test: (status: number, headers: Headers, body: string) => string | null;
}

const blockingStatus = (status: number) => status === 401 || status === 403 || status === 405 || status === 429 || status === 503;

const headerHas = (headers: Headers, name: string, pattern: RegExp) => pattern.test(headers[name] ?? '');

function bodyMarker(body: string, markers: RegExp[]): string | null {
  for (const marker of markers) {
    const found = marker.exec(body);
    if (found) return found[0];
  }
  return null;
}

const signatures: Signature[] = [
  {
    vendor: 'Cloudflare',
    test: (status, headers, body) => {
      if (headerHas(headers, 'cf-mitigated', /challenge/i)) return 'cf-mitigated: challenge';
      if (!blockingStatus(status) || !headerHas(headers, 'server', /cloudflare/i)) return null;
      const marker = bodyMarker(body, [/challenge-platform/i, /cf_chl_/i, /cf-challenge/i, /Just a moment\.\.\./i, /Attention Required! \| Cloudflare/i, /cf-error-details/i]);
      return marker ? `server: cloudflare with HTTP ${status} and challenge page (${marker})` : null;
    },
  },
  {
    vendor: 'DataDome',
    test: (status, headers, body) => {
      // DataDome tags pages it let through as well, so its headers only mean a wall on a refusal.
      if (!blockingStatus(status)) return null;
      if (headers['x-datadome'] !== undefined) return 'x-datadome header';
      if (headers['x-dd-b'] !== undefined) return 'x-dd-b header';
      if (headerHas(headers, 'set-cookie', /(^|[;,]\s*)datadome=/i)) return 'datadome cookie';
      const marker = bodyMarker(body, [/captcha-delivery\.com/i]);
      return marker ? `challenge page (${marker})` : null;
    },
  },
  {
    vendor: 'PerimeterX',
    test: (status, headers, body) => {
      if (!blockingStatus(status)) return null;
      if (Object.keys(headers).some((name) => name.startsWith('x-px'))) return 'x-px header';
      const marker = bodyMarker(body, [/_pxCaptcha/i, /px-captcha/i, /_pxAppId/i, /perimeterx/i, /captcha\.px-cdn\.net/i]);
      return marker ? `challenge page (${marker})` : null;
    },
  },
  {
    vendor: 'Imperva',
    test: (status, headers, body) => {
      if (!blockingStatus(status) && !/_Incapsula_Resource/i.test(body)) return null;
      if (headers['x-iinfo'] !== undefined) return 'x-iinfo header';
      if (headerHas(headers, 'x-cdn', /incapsula|imperva/i)) return `x-cdn: ${headers['x-cdn']}`;
      const marker = bodyMarker(body, [/_Incapsula_Resource/i, /Incapsula incident ID/i]);
      return marker ? `challenge page (${marker})` : null;
    },
  },
  {
    vendor: 'Akamai',
    test: (status, headers, body) => {
      if (!blockingStatus(status)) return null;
      if (headerHas(headers, 'server', /AkamaiGHost|AkamaiNetStorage/i)) return `server: ${headers['server']} with HTTP ${status}`;
      if (headers['akamai-grn'] !== undefined && /Reference&#32;#|Reference #/i.test(body)) return 'akamai-grn header with an access-denied page';
      return null;
    },
  },
  {
    vendor: 'Sucuri',
    test: (status, headers, body) => {
      if (headers['x-sucuri-block'] !== undefined) return 'x-sucuri-block header';
      if (!blockingStatus(status)) return null;
      if (headerHas(headers, 'server', /Sucuri/i) || headers['x-sucuri-id'] !== undefined) return `Sucuri firewall with HTTP ${status}`;
      const marker = bodyMarker(body, [/sucuri\.net\/privacy-policy/i, /Sucuri WebSite Firewall/i]);
      return marker ? `block page (${marker})` : null;
    },
  },
  {
    vendor: 'AWS WAF',
    test: (_status, headers) =>
      headerHas(headers, 'x-amzn-waf-action', /challenge|captcha|block/i) ? `x-amzn-waf-action: ${headers['x-amzn-waf-action']}` : null,
  },
  {
    vendor: 'Vercel',
    test: (_status, headers) =>
      headerHas(headers, 'x-vercel-mitigated', /challenge|deny/i) ? `x-vercel-mitigated: ${headers['x-vercel-mitigated']}` : null,
  },
  {
    vendor: 'Kasada',
    test: (status, headers) =>
      blockingStatus(status) && Object.keys(headers).some((name) => name.startsWith('x-kpsdk')) ? 'x-kpsdk header' : null,
  },
  {
    vendor: 'DDoS-Guard',
    test: (status, headers) =>
      blockingStatus(status) && headerHas(headers, 'server', /ddos-guard/i) ? `server: ddos-guard with HTTP ${status}` : null,
  },
];

/**
 * The bot wall this response is, or null. `bodyStart` is the first part of the body as text (a few
 * KiB are enough); pass '' when the body was not read.
 */
export function detectBotWall(status: number, headers: Headers, bodyStart: string): BotWall | null {
  for (const signature of signatures) {
    const evidence = signature.test(status, headers, bodyStart);
    if (evidence) return { vendor: signature.vendor, evidence };
  }
  return null;
}
