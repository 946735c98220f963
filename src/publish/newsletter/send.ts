// Sends an issue to every confirmed subscriber over SMTP (nodemailer), at most once each: the send
// is claimed in the store before the message leaves and marked after (NewsletterStore.claimSend).
// A refused message is retried with backoff; a permanent refusal (5xx) stops at once. Each message
// carries one-click unsubscribe headers (RFC 8058: List-Unsubscribe + List-Unsubscribe-Post).
import { createRequire } from 'node:module';
import type { Transporter } from 'nodemailer';
import type { Desk } from '../../jobs/desk.ts';
import { NewsletterStore, type NewsletterIssue, type Subscriber } from '../../store/newsletter.ts';
import { personalize } from './render.ts';
import { escapeHtml } from '../site/html.ts';
import { newsdeskError } from '../../errors.ts';
import { publicBaseUrl } from '../base-url.ts';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
}

// Loaded on the first mail: the worker and the server that never send one keep its modules out of memory.
let nodemailer: typeof import('nodemailer') | undefined;

export function createMailer(smtp: SmtpSettings): Transporter {
  nodemailer ??= createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? '' } } : {}),
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 60_000,
  });
}

/** The mailer of the configuration; an error when no SMTP server is configured. */
export function configuredMailer(desk: Desk): Transporter {
  const smtp = desk.config.newsletter.smtp;
  if (!smtp) throw newsdeskError('ND_BAD_REQUEST', { reason: 'no SMTP server configured (newsletter.smtp in newsdesk.yaml)' });
  return createMailer(smtp);
}

export function unsubscribeUrl(desk: Desk, subscriber: Pick<Subscriber, 'unsubscribeToken'>): string {
  return `${publicBaseUrl(desk)}/newsletter/unsubscribe/?token=${encodeURIComponent(subscriber.unsubscribeToken)}`;
}

export function confirmUrl(desk: Desk, subscriber: Pick<Subscriber, 'confirmToken'>): string {
  return `${publicBaseUrl(desk)}/newsletter/confirm/?token=${encodeURIComponent(subscriber.confirmToken)}`;
}

function listId(desk: Desk): string {
  const host = new URL(publicBaseUrl(desk)).hostname;
  return `${desk.config.siteName.replace(/[<>"]/g, '')} <newsletter.${host}>`;
}

export interface SendOptions {
  /** Defaults to the configured SMTP server. */
  mailer?: Transporter;
  maxAttempts?: number;
  /** Called as subscribers are done with how many of how many (a progress bar). */
  onProgress?: (done: number, total: number) => void;
  /** First retry delay; doubles each time. */
  retryDelayMs?: number;
}

export interface SendReport {
  sent: number;
  /** Already sent, or claimed by an earlier run that did not finish (never sent twice). */
  skipped: number;
  failed: number;
  errors: string[];
}

function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function sendIssue(desk: Desk, issue: NewsletterIssue, options: SendOptions = {}): Promise<SendReport> {
  const newsletters = new NewsletterStore(desk.store);
  const mailer = options.mailer ?? configuredMailer(desk);
  const maxAttempts = options.maxAttempts ?? desk.config.newsletter.maxAttempts;
  const retryDelay = options.retryDelayMs ?? 2_000;
  const report: SendReport = { sent: 0, skipped: 0, failed: 0, errors: [] };
  const log = desk.log.child({ job: 'newsletter-send', newsletter: issue.slug });
  try {
    const subscribers = await newsletters.listSubscribers('confirmed');
    let done = 0;
    for (const subscriber of subscribers) {
      options.onProgress?.(done++, subscribers.length);
      if (!(await newsletters.claimSend(issue.id, subscriber.id, maxAttempts))) {
        report.skipped++;
        continue;
      }
      const unsubscribe = unsubscribeUrl(desk, subscriber);
      const message = {
        from: desk.config.newsletter.from,
        to: subscriber.email,
        subject: issue.title,
        html: personalize(issue.html, unsubscribe, true),
        text: personalize(issue.text, unsubscribe, false),
        headers: {
          'List-Unsubscribe': `<${unsubscribe}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'List-Id': listId(desk),
          'X-Newsdesk-Issue': issue.slug,
        },
      };
      let attempts = 0;
      let lastError: unknown = null;
      let messageId: string | null = null;
      while (attempts < maxAttempts) {
        attempts++;
        try {
          const info = await mailer.sendMail(message);
          messageId = info.messageId ?? null;
          lastError = null;
          break;
        } catch (err) {
          lastError = err;
          log.warn({ err: (err as Error).message, attempt: attempts, subscriber: subscriber.id }, 'send attempt failed');
          if (isPermanent(err) || attempts >= maxAttempts) break;
          await sleep(retryDelay * 2 ** (attempts - 1));
        }
      }
      if (lastError === null) {
        await newsletters.markSent(issue.id, subscriber.id, { messageId, attempts });
        report.sent++;
      } else {
        const error = (lastError as Error).message;
        await newsletters.markFailed(issue.id, subscriber.id, { error, attempts });
        report.failed++;
        report.errors.push(`${subscriber.email}: ${error}`);
      }
    }
    options.onProgress?.(subscribers.length, subscribers.length);
  } finally {
    if (!options.mailer) mailer.close();
  }
  log.info(report, 'newsletter sent');
  return report;
}

/** The double opt-in message: nothing else is sent to an address until its owner follows this link. */
export async function sendConfirmation(desk: Desk, subscriber: Subscriber, mailer?: Transporter): Promise<void> {
  const transport = mailer ?? configuredMailer(desk);
  const link = confirmUrl(desk, subscriber);
  const site = desk.config.siteName;
  try {
    await transport.sendMail({
      from: desk.config.newsletter.from,
      to: subscriber.email,
      subject: `Confirm your subscription to ${site}`,
      text: `Someone, probably you, asked to receive the ${site} daily newsletter at this address.\n\nConfirm: ${link}\n\nIf it was not you, ignore this message: nothing will be sent.\n`,
      html: `<!DOCTYPE html><html><body style="font-family:Helvetica,Arial,sans-serif;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td style="padding:24px;font-size:15px;line-height:22px;color:#202124;">
<p>Someone, probably you, asked to receive the ${escapeHtml(site)} daily newsletter at this address.</p>
<p><a href="${escapeHtml(link)}" style="display:inline-block;padding:10px 18px;background:#1a73e8;color:#ffffff;text-decoration:none;border-radius:4px;">Confirm my subscription</a></p>
<p style="color:#5f6368;font-size:13px;">If it was not you, ignore this message: nothing will be sent.</p>
</td></tr></table></body></html>`,
    });
  } finally {
    if (!mailer) transport.close();
  }
}
