// The newsletter as an e-mail: HTML built for mail clients (nested tables, inline styles, fixed
// 600px width, no web fonts, no CSS the common clients drop) and a plain-text part with the same
// content. The unsubscribe link is a placeholder that the sender fills per subscriber, so an issue is
// rendered once and stored; the archive page shows the stored HTML with the placeholder removed.
import { escapeHtml } from '../site/html.ts';
import type { NewsletterSection } from '../../store/newsletter.ts';

/** Replaced by each subscriber's own one-click unsubscribe URL when the message is sent. */
export const UNSUBSCRIBE_PLACEHOLDER = '{{unsubscribe_url}}';

export interface RenderInput {
  siteName: string;
  baseUrl: string;
  date: string;
  title: string;
  sections: NewsletterSection[];
  /** The page on the site. */
  webUrl: string | null;
}

const FONT = "font-family:Helvetica,Arial,sans-serif;";
const e = escapeHtml;

function share(url: string, title: string): string {
  const u = encodeURIComponent(url);
  const t = encodeURIComponent(title);
  const link = (href: string, label: string) => `<a href="${e(href)}" style="${FONT}font-size:12px;color:#5f6368;text-decoration:underline;">${label}</a>`;
  return [link(`https://twitter.com/intent/tweet?url=${u}&text=${t}`, 'Twitter'), link(`https://www.facebook.com/sharer/sharer.php?u=${u}`, 'Facebook'), link(url, 'Link')].join(' &middot; ');
}

function itemHtml(rank: number, item: NewsletterSection['items'][number]): string {
  const image = item.image
    ? `<tr><td style="padding:0 0 12px 0;"><a href="${e(item.url)}"><img src="${e(item.image)}" width="552" alt="${e(item.title)}" style="display:block;width:100%;max-width:552px;height:auto;border:0;border-radius:4px;"></a></td></tr>`
    : '';
  return `<tr><td style="padding:0 24px 24px 24px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr><td style="padding:0 0 8px 0;"><table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>
<td width="28" valign="top" style="width:28px;padding-top:1px;"><table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr><td width="28" height="28" align="center" valign="middle" style="${FONT}width:28px;height:28px;background:#1a73e8;color:#ffffff;font-size:14px;line-height:28px;font-weight:bold;border-radius:14px;">${rank}</td></tr></table></td>
<td valign="top" style="${FONT}padding-left:10px;font-size:18px;line-height:24px;font-weight:bold;"><a href="${e(item.url)}" style="color:#202124;text-decoration:none;">${e(item.title)}</a></td>
</tr></table></td></tr>
${image}<tr><td style="${FONT}font-size:15px;line-height:22px;color:#3c4043;padding:0 0 8px 0;">${e(item.summary)}</td></tr>
<tr><td style="${FONT}font-size:13px;line-height:18px;padding:0;"><a href="${e(item.url)}" style="color:#1a73e8;text-decoration:none;font-weight:bold;">${e(item.sourceLabel)}</a> &nbsp; ${share(item.url, item.title)}</td></tr>
</table>
</td></tr>`;
}

function sectionHtml(section: NewsletterSection): string {
  if (section.items.length === 0) return '';
  return `<tr><td style="${FONT}padding:24px 24px 12px 24px;font-size:13px;line-height:16px;letter-spacing:1px;text-transform:uppercase;color:#1a73e8;font-weight:bold;border-top:1px solid #e8eaed;">${e(section.heading)}</td></tr>
${section.items.map((item, i) => itemHtml(i + 1, item)).join('\n')}`;
}

export function renderNewsletterHtml(input: RenderInput): string {
  const home = input.baseUrl.replace(/\/+$/, '') + '/';
  const webUrl = input.webUrl ?? home;
  return `<!DOCTYPE html>
<html lang="en" xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="color-scheme" content="light">
<title>${e(input.title)}</title>
</head>
<body style="margin:0;padding:0;background:#f1f3f4;">
<div style="display:none;max-height:0;overflow:hidden;">${e(input.sections[0]?.items.map((i) => i.title).join(' / ') ?? '')}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f1f3f4;">
<tr><td align="center" style="padding:16px 8px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background:#ffffff;border-radius:6px;">
<tr><td style="${FONT}padding:12px 24px;font-size:12px;color:#5f6368;"><a href="${e(webUrl)}" style="color:#5f6368;">${e(input.date)}</a> &middot; <a href="${e(webUrl)}" style="color:#5f6368;">View in your browser</a></td></tr>
<tr><td style="${FONT}padding:8px 24px 16px 24px;font-size:28px;line-height:34px;font-weight:bold;color:#202124;"><a href="${e(home)}" style="color:#202124;text-decoration:none;">${e(input.siteName)}</a></td></tr>
${input.sections.map(sectionHtml).join('\n')}
<tr><td style="${FONT}padding:24px;font-size:12px;line-height:18px;color:#5f6368;border-top:1px solid #e8eaed;">
You receive this because you subscribed to ${e(input.siteName)} at <a href="${e(home)}" style="color:#5f6368;">${e(home)}</a>.<br>
<a href="${UNSUBSCRIBE_PLACEHOLDER}" style="color:#5f6368;text-decoration:underline;">Unsubscribe</a> with one click.
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

export function renderNewsletterText(input: RenderInput): string {
  const lines: string[] = [input.title, '='.repeat(input.title.length), ''];
  if (input.webUrl) lines.push(`View online: ${input.webUrl}`, '');
  for (const section of input.sections) {
    if (section.items.length === 0) continue;
    lines.push(section.heading.toUpperCase(), '');
    section.items.forEach((item, i) => {
      lines.push(`${i + 1}. ${item.title}`);
      if (item.summary) lines.push(`   ${item.summary}`);
      lines.push(`   ${item.sourceLabel}: ${item.url}`, '');
    });
  }
  lines.push('--', `Unsubscribe: ${UNSUBSCRIBE_PLACEHOLDER}`, '');
  return lines.join('\n');
}

export function renderNewsletter(input: RenderInput): { html: string; text: string } {
  return { html: renderNewsletterHtml(input), text: renderNewsletterText(input) };
}

/** The stored issue with a subscriber's unsubscribe link (or, for the archive, the site's page). */
export function personalize(body: string, unsubscribeUrl: string, escapeForHtml: boolean): string {
  return body.split(UNSUBSCRIBE_PLACEHOLDER).join(escapeForHtml ? e(unsubscribeUrl) : unsubscribeUrl);
}
