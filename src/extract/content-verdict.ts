// Deciding whether an extracted text can stand for the article. A page that answers with a paywall,
// a consent wall or an error template still yields "content", and storing it as the article would
// replace the feed's honest summary with boilerplate; these checks say why the feed content is kept.

export type FallbackReason = 'empty' | 'shorter-than-feed' | 'paywall' | 'consent' | 'error-page';

/** A text this short is a teaser or a wall, not an article body. */
const SHORT_TEXT = 600;

const PAYWALL_PHRASES = [
  /\bsubscribe (?:now |today )?to (?:continue|keep) reading\b/i,
  /\b(?:to )?continue reading,? (?:please )?(?:subscribe|sign in|log in|register)\b/i,
  /\bthis (?:article|story|content) is (?:only )?(?:available )?(?:for|to) (?:subscribers|members|premium)\b/i,
  /\b(?:for|to) (?:subscribers|members) only\b/i,
  /\balready (?:a )?(?:subscriber|member)\?/i,
  /\bunlock (?:this|the full) (?:article|story)\b/i,
  /\bsubscribe to (?:read|unlock|access) (?:this|the full|more)\b/i,
  /\byou(?:'ve| have) (?:reached|used) (?:your|all your) (?:limit|free articles)\b/i,
  /\bjetzt (?:weiterlesen|abonnieren|freischalten)\b/i,
  /\bréservé aux abonnés\b/i,
  /\bper continuare a leggere\b/i,
];

const CONSENT_PHRASES = [
  /\bwe (?:and our partners )?(?:use|value) (?:cookies|your privacy)\b/i,
  /\b(?:accept|agree to|reject) (?:all )?cookies\b/i,
  /\bcookie (?:settings|preferences|policy|consent)\b/i,
  /\bprivacy (?:settings|preferences|choices)\b/i,
  /\bbefore you continue\b/i,
  /\bmanage (?:your )?(?:consent|preferences)\b/i,
  /\b(?:zustimmen|einwilligung|datenschutzeinstellungen)\b/i,
];

const ERROR_TITLES = [
  /\b(?:404|403|410|500|502|503)\b/,
  /\bpage (?:not found|cannot be found|does not exist|unavailable)\b/i,
  /\b(?:not found|access denied|forbidden|server error|service unavailable|something went wrong)\b/i,
  /\b(?:are you a robot|attention required|just a moment|verify you are human)\b/i,
  /\b(?:seite nicht gefunden|page introuvable|página no encontrada)\b/i,
];

const ERROR_BODY = [
  /\b(?:the page|this page|the article) you (?:are|were|'re) looking for\b/i,
  /\b(?:page|content) (?:could not|cannot|can't) be found\b/i,
  /\berror 404\b|\b404 error\b/i,
  /\benable (?:javascript|cookies) (?:and cookies )?to continue\b/i,
];

export interface VerdictInput {
  text: string;
  title: string | null;
  /** Whether the page declared itself paywalled in schema.org markup (PageMetadata.paywallDeclared). */
  paywallDeclared: boolean;
  /** The text of the page (whole body), for walls that sit outside the article. */
  pageText: string;
  feedText?: string;
  httpStatus?: number;
}

function countWords(text: string): number {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;
}

export function judgeExtraction(input: VerdictInput): FallbackReason | null {
  const text = input.text.trim();
  if (!text) return 'empty';
  const words = countWords(text);
  const title = input.title ?? '';
  const short = text.length < SHORT_TEXT;

  if (input.httpStatus !== undefined && input.httpStatus >= 400) return 'error-page';
  if ((short || words < 150) && ERROR_TITLES.some((re) => re.test(title))) return 'error-page';
  if (short && ERROR_BODY.some((re) => re.test(text))) return 'error-page';

  if (short && CONSENT_PHRASES.some((re) => re.test(text))) return 'consent';
  // The page text is the whole page: it is searched only where a finding can decide the verdict.
  if (short && CONSENT_PHRASES.filter((re) => re.test(input.pageText)).length >= 2) return 'consent';

  const wallOnPage = () => PAYWALL_PHRASES.some((re) => re.test(text)) || PAYWALL_PHRASES.some((re) => re.test(input.pageText));
  if ((short || words < 250) && wallOnPage()) return 'paywall';
  // Metered sites declare the markup on every article yet send the whole text: with a full-length
  // text in hand the declaration alone is no wall.
  if (input.paywallDeclared && words < 250) return 'paywall';

  if (input.feedText) {
    const feedWords = countWords(input.feedText);
    if (feedWords > words) return 'shorter-than-feed';
  }
  return null;
}
