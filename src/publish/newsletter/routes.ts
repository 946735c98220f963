// The newsletter on the site: archive pages, subscribing with double opt-in, and unsubscribing with
// one click. Routes:
//   GET  /newsletters/                    the archive, newest first
//   GET  /newsletter/<slug>/              one issue as it was sent (without a personal unsubscribe link)
//   POST /newsletter/subscribe/           form field `email`: adds a pending subscriber, mails a confirm link
//   GET  /newsletter/confirm/?token=      confirms
//   GET  /newsletter/unsubscribe/?token=  a page with one button (link checkers must not unsubscribe)
//   POST /newsletter/unsubscribe/?token=  unsubscribes: the button, and mail clients' one-click (RFC 8058)
// With `newsletter.sendAt` set, the server also builds and sends the day's issue at that UTC time.
import type { FastifyInstance } from 'fastify';
import type { Desk } from '../../jobs/desk.ts';
import { NewsletterStore } from '../../store/newsletter.ts';
import { CollectionStore } from '../../store/collections.ts';
import { html, type SafeHtml } from '../site/html.ts';
import { renderPage } from '../site/layout.ts';
import { personalize } from './render.ts';
import { buildNewsletter } from './build.ts';
import { sendConfirmation, sendIssue } from './send.ts';
import { isNewsdeskError, newsdeskError } from '../../errors.ts';

function page(desk: Desk, title: string, body: SafeHtml): string {
  return renderPage({ siteName: desk.config.siteName, title, body, demo: desk.config.useDemo });
}

/** The archived e-mail keeps its inline styles and remote images: a policy for that page only. */
const ARCHIVED_EMAIL_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function subscribeForm(): SafeHtml {
  return html`<form method="post" action="/newsletter/subscribe/"><label>E-mail <input type="email" name="email" required autocomplete="email"></label> <button type="submit">Subscribe</button></form>`;
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export function registerNewsletterRoutes(app: FastifyInstance, desk: Desk): void {
  void app.register(async (scope) => {
    // Forms and RFC 8058 one-click bodies are url-encoded; parsed here, in this plugin's scope only.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    const newsletters = new NewsletterStore(desk.store);
    const send = (reply: { type(t: string): unknown; send(b: string): unknown }, text: string) => {
      reply.type('text/html; charset=utf-8');
      return reply.send(text);
    };

    scope.get('/newsletters/', async (_req, reply) => {
      const { items } = await newsletters.listIssues({ page: 1, perPage: 100 });
      return send(
        reply,
        page(
          desk,
          'Newsletters',
          html`<h1>${desk.config.siteName} newsletters</h1>${subscribeForm()}
<ul>${items.map((i) => html`<li><a href="/newsletter/${i.slug}/">${i.title}</a><br><span class="meta">${i.excerpt}</span></li>`)}</ul>${items.length ? '' : html`<p>No issue yet.</p>`}`,
        ),
      );
    });

    scope.get<{ Params: { slug: string } }>('/newsletter/:slug/', {
      // Route hooks run after the site-wide ones, so this policy replaces the strict default here.
      onSend: async (_req, reply, payload) => {
        if (reply.statusCode === 200) reply.header('content-security-policy', ARCHIVED_EMAIL_POLICY);
        return payload;
      },
    }, async (req, reply) => {
      const issue = await newsletters.issueBySlug(req.params.slug);
      if (!issue) throw newsdeskError('ND_NOT_FOUND', { what: `newsletter ${req.params.slug}` });
      // The archive shows the e-mail itself; its unsubscribe link leads to the archive's subscribe form.
      return send(reply, personalize(issue.html, '/newsletters/', true));
    });

    scope.post<{ Body: { email?: string } }>('/newsletter/subscribe/', async (req, reply) => {
      const email = String(req.body?.email ?? '').trim();
      if (!EMAIL.test(email) || email.length > 254) {
        reply.status(400);
        return send(reply, page(desk, 'Subscribe', html`<h1>Subscribe</h1><p>That does not look like an e-mail address.</p>${subscribeForm()}`));
      }
      const subscriber = await newsletters.addSubscriber(email);
      if (subscriber.status === 'pending' && desk.config.newsletter.smtp) {
        await sendConfirmation(desk, subscriber).catch((err: Error) => desk.log.warn({ err: err.message }, 'confirmation mail failed'));
      }
      // The same answer whatever the address's state, so the form does not tell who subscribed.
      return send(reply, page(desk, 'Subscribe', html`<h1>Check your inbox</h1><p>If the address is new, a message with a confirmation link is on its way. Nothing is sent until you confirm.</p>`));
    });

    scope.get<{ Querystring: { token?: string } }>('/newsletter/confirm/', async (req, reply) => {
      const subscriber = req.query.token ? await newsletters.confirm(req.query.token) : null;
      if (!subscriber) {
        reply.status(404);
        return send(reply, page(desk, 'Confirm', html`<h1>Link not valid</h1><p>This confirmation link is unknown or was used for an address that unsubscribed.</p>${subscribeForm()}`));
      }
      return send(reply, page(desk, 'Confirmed', html`<h1>Subscribed</h1><p>${subscriber.email} will receive ${desk.config.siteName} every day.</p>`));
    });

    scope.get<{ Querystring: { token?: string } }>('/newsletter/unsubscribe/', async (req, reply) => {
      const token = req.query.token ?? '';
      return send(
        reply,
        page(
          desk,
          'Unsubscribe',
          token
            ? html`<h1>Unsubscribe</h1><form method="post" action="/newsletter/unsubscribe/?token=${encodeURIComponent(token)}"><button type="submit">Unsubscribe from ${desk.config.siteName}</button></form>`
            : html`<h1>Unsubscribe</h1><p>Use the link at the bottom of any newsletter.</p>`,
        ),
      );
    });

    scope.post<{ Querystring: { token?: string } }>('/newsletter/unsubscribe/', async (req, reply) => {
      const subscriber = req.query.token ? await newsletters.unsubscribe(req.query.token) : null;
      if (!subscriber) {
        reply.status(404);
        return send(reply, page(desk, 'Unsubscribe', html`<h1>Link not valid</h1>`));
      }
      return send(reply, page(desk, 'Unsubscribed', html`<h1>Unsubscribed</h1><p>${subscriber.email} will receive nothing more.</p>`));
    });
  });

  if (desk.config.newsletter.sendAt) {
    let stop: (() => void) | null = null;
    app.addHook('onReady', async () => {
      stop = startNewsletterSchedule(desk);
    });
    app.addHook('onClose', async () => stop?.());
  }
}

const LAST_RUN = 'newsletter.lastScheduledDate';

/**
 * Once a day at `newsletter.sendAt` (UTC): builds the day's issue and, with SMTP configured, sends it.
 * The day is recorded first, so a restart later that day does not build again; sends are safe to
 * repeat anyway (at most once per subscriber). Returns a function that stops the schedule.
 */
export function startNewsletterSchedule(desk: Desk, everyMs = 60_000): () => void {
  const state = new CollectionStore(desk.store);
  const [hour, minute] = desk.config.newsletter.sendAt!.split(':').map(Number) as [number, number];
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const now = desk.now();
      const today = now.toISOString().slice(0, 10);
      if (now.getUTCHours() * 60 + now.getUTCMinutes() < hour * 60 + minute) return;
      if ((await state.getState(LAST_RUN)) === today) return;
      await state.setState(LAST_RUN, today);
      const issue = await buildNewsletter(desk, today);
      desk.log.info({ newsletter: issue.slug }, 'newsletter built');
      if (desk.config.newsletter.smtp) await sendIssue(desk, issue);
    } catch (err) {
      if (isNewsdeskError(err, 'ND_NEWSLETTER_EMPTY')) desk.log.info({ err: err.message }, 'no newsletter today');
      else desk.log.error({ err }, 'scheduled newsletter failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
