import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { FastifyInstance } from 'fastify';
import { describeEachStore, postgresUnavailable } from '../../../test/helpers/stores.ts';
import { openSmallDesk } from '../../collections/testing.ts';
import { buildServer } from '../server.ts';
import { buildNewsletter, qualityProblem, SECTION_HEADINGS } from './build.ts';
import { createMailer, sendIssue } from './send.ts';
import { startNewsletterSchedule } from './routes.ts';
import { jobHandlers, JOB_KINDS } from '../../jobs/kinds.ts';
import './jobs.ts';
import { silentLogger } from '../../log.ts';
import { NewsletterStore } from '../../store/newsletter.ts';
import { CollectionStore } from '../../store/collections.ts';
import type { Desk } from '../../jobs/desk.ts';

await postgresUnavailable();

interface Received {
  to: string[];
  mail: ParsedMail;
}

/** A real SMTP server on loopback; `reject(address)` answers a recipient with an SMTP error code. */
async function startSmtp(reject: (address: string) => number | null = () => null) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = reject(address.address);
      if (code) {
        const err = new Error(code >= 500 ? 'mailbox unavailable' : 'try again later') as Error & { responseCode: number };
        err.responseCode = code;
        callback(err);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    received,
    port,
    mailer: () => createMailer({ host: '127.0.0.1', port, secure: false }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describeEachStore('newsletter', (fixture, kind) => {
  let desk: Desk;
  let app: FastifyInstance;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let ready: Promise<void> | null = null;
  const setup = () =>
    (ready ??= (async () => {
      smtp = await startSmtp((address) => (flaky.delete(address) ? 451 : address.startsWith('gone') ? 550 : null));
      desk = await openSmallDesk(fixture().store, { newsletter: { smtp: { host: '127.0.0.1', port: smtp.port, secure: false }, from: 'A.I. Every Day <daily@news.example.org>' } });
      app = await buildServer(desk);
    })());
  /** Addresses whose next RCPT gets a temporary failure (451). */
  const flaky = new Set<string>();
  after(async () => {
    await app?.close();
    await desk?.close();
    await smtp?.close();
  });

  test('the issue of a day has the reference sections, top stories one per story, picks over the quality bar', async () => {
    await setup();
    const issue = await buildNewsletter(desk, '2024-03-05');
    assert.equal(issue.title, 'A.I. Every Day (2024-03-05)');
    assert.equal(issue.slug, 'ai-every-day-2024-03-05');
    assert.deepEqual(issue.sections.map((s) => s.heading), Object.values(SECTION_HEADINGS));
    // The GPU story's second article (heat -1) is not published; one story appears once.
    assert.deepEqual(issue.sections[0]!.items.map((i) => i.title), ['NVIDIA unveils a new GPU for training large models', 'Elon Musk says Tesla is an AI company', 'Intel and Cisco team up on edge AI']);
    assert.equal(issue.excerpt, issue.sections[0]!.items.map((i) => i.title).join(' / '));
    assert.deepEqual(issue.sections.map((s) => s.items.length), [3, 2, 2, 2]);
    const people = issue.sections[3]!.items.map((i) => i.title).sort();
    assert.deepEqual(people, ['Andrew Ng', 'Elon Musk']);
    const junk = await new CollectionStore(desk.store).getEntity('person', 'mherubahsan-161-15-726');
    assert.ok(junk && qualityProblem(junk));
    assert.match(issue.html, /<table role="presentation"/);
    assert.match(issue.html, /style="/);
    assert.doesNotMatch(issue.html, /<style|<link /);
    assert.match(issue.text, /NEWS OF THE DAY\n\n1\. NVIDIA unveils a new GPU/);
    if (kind === 'sqlite') {
      mkdirSync('test-output', { recursive: true });
      writeFileSync(join('test-output', 'newsletter.html'), issue.html);
      writeFileSync(join('test-output', 'newsletter.txt'), issue.text);
    }
  });

  test('a day without published stories builds no issue: a clear error, and the archive stays as it was', async () => {
    await setup();
    const archive = async () => (await app.inject({ method: 'GET', url: '/api/newsletters/' })).body;
    const before = await archive();
    await assert.rejects(buildNewsletter(desk, '2024-03-06'), (err: Error & { code?: string }) => err.code === 'ND_NEWSLETTER_EMPTY' && /no stories were published on 2024-03-06/.test(err.message));
    assert.equal(await new NewsletterStore(desk.store).issueByDate('2024-03-06'), null);
    assert.equal(await archive(), before);
    // The job of such a day is done, not failed (a retry would not find news either).
    await jobHandlers().get(JOB_KINDS.newsletter)!({ date: '2024-03-06' }, { desk, enqueue: async () => {}, log: silentLogger, attempt: 1 });
    assert.equal(await archive(), before);
  });

  test('picks rotate: the next issue features other companies while others pass the bar', async () => {
    await setup();
    const first = (await new NewsletterStore(desk.store).issueByDate('2024-03-05'))!;
    // One story on the next day, so that it has an issue.
    const webUrl = 'https://www.wired.com/2024-03-06/a-story-of-the-next-day';
    const { id } = await desk.store.insertArticle(
      { title: 'A story of the next day', excerpt: 'The next day has news too.', publishedDateTime: '2024-03-06T09:00:00Z', updatedDateTime: null, originalUrl: webUrl, webUrl, ampWebUrl: null, cdnAmpWebUrl: null, type: 'article', provider: { name: 'wired', domain: 'wired.com' }, topics: ['AI'], images: [], locale: 'en', authors: [], text: '', html: null, extraction: { status: 'feed' } },
      { sourceId: null, pathKey: '2024-03-06-a-story-of-the-next-day' },
    );
    await desk.store.setTopics(id, ['AI']);
    await desk.store.setScores(id, { quality: 80, heat: 80, published: true }, 'test fixture');
    const second = await buildNewsletter(desk, '2024-03-06');
    const companies = (issue: typeof first) => issue.sections[2]!.items.map((i) => i.title);
    assert.equal(companies(second).length, 2);
    assert.deepEqual(companies(second).filter((c) => companies(first).includes(c)), []);
    assert.deepEqual(second.sections[0]!.items.map((i) => i.title), ['A story of the next day']);
  });

  test('double opt-in: the form mails a confirmation link, only confirmed addresses get issues', async () => {
    await setup();
    for (const email of ['reader@example.org', 'flaky@example.org', 'lurker@example.org']) {
      const response = await app.inject({ method: 'POST', url: '/newsletter/subscribe/', payload: `email=${encodeURIComponent(email)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(response.statusCode, 200);
    }
    assert.equal((await app.inject({ method: 'POST', url: '/newsletter/subscribe/', payload: 'email=not-an-address', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).statusCode, 400);
    const confirmations = smtp.received.filter((m) => /^Confirm your subscription/.test(m.mail.subject ?? ''));
    const toReader = confirmations.find((m) => m.to.includes('reader@example.org'))!;
    assert.ok(toReader);
    const link = /https:\/\/news\.example\.org(\/newsletter\/confirm\/\?token=[\w-]+)/.exec(toReader.mail.text ?? '')?.[1];
    assert.ok(link, toReader.mail.text);
    assert.equal((await app.inject({ method: 'GET', url: link })).statusCode, 200);
    const newsletters = new NewsletterStore(desk.store);
    await newsletters.confirm((await newsletters.subscriberByEmail('flaky@example.org'))!.confirmToken);
    assert.equal((await newsletters.subscriberByEmail('reader@example.org'))?.status, 'confirmed');
    assert.equal((await newsletters.subscriberByEmail('lurker@example.org'))?.status, 'pending');
    assert.equal((await app.inject({ method: 'GET', url: '/newsletter/confirm/?token=nope' })).statusCode, 404);
  });

  test('sending: each confirmed subscriber receives the issue once, with one-click unsubscribe headers, even across runs and a crash', async () => {
    await setup();
    const newsletters = new NewsletterStore(desk.store);
    const issue = (await newsletters.issueByDate('2024-03-05'))!;
    // A subscriber whose send was claimed by a run that crashed before marking it: never sent again.
    const crashed = await newsletters.addSubscriber('crashed@example.org');
    await newsletters.confirm(crashed.confirmToken);
    assert.equal(await newsletters.claimSend(issue.id, crashed.id, 3), true);
    const gone = await newsletters.addSubscriber('gone@example.org');
    await newsletters.confirm(gone.confirmToken);

    flaky.add('flaky@example.org');
    const before = smtp.received.length;
    const mailer = smtp.mailer();
    const report = await sendIssue(desk, issue, { mailer, retryDelayMs: 10 });
    assert.deepEqual({ sent: report.sent, skipped: report.skipped, failed: report.failed }, { sent: 2, skipped: 1, failed: 1 });
    const issues = smtp.received.slice(before);
    assert.deepEqual(issues.flatMap((m) => m.to).sort(), ['flaky@example.org', 'reader@example.org']);
    const sends = await newsletters.sends(issue.id);
    const bySubscriber = new Map(sends.map((s) => [s.subscriberId, s]));
    const flakySubscriber = (await newsletters.subscriberByEmail('flaky@example.org'))!;
    assert.equal(bySubscriber.get(flakySubscriber.id)?.attempts, 2, 'the 451 was retried');
    assert.equal(bySubscriber.get(gone.id)?.status, 'failed');
    assert.equal(bySubscriber.get(gone.id)?.attempts, 1, 'a 550 is not retried');
    assert.equal(bySubscriber.get(crashed.id)?.status, 'claimed');

    const mail = issues.find((m) => m.to.includes('reader@example.org'))!.mail;
    assert.equal(mail.subject, 'A.I. Every Day (2024-03-05)');
    assert.match(String(mail.html), /NVIDIA unveils a new GPU for training large models/);
    assert.match(mail.text ?? '', /Elon Musk says Tesla is an AI company/);
    const reader = (await newsletters.subscriberByEmail('reader@example.org'))!;
    const unsubscribe = `https://news.example.org/newsletter/unsubscribe/?token=${reader.unsubscribeToken}`;
    // The raw header lines, as a mail client reads them.
    const header = (name: string) => mail.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '').replace(/\r?\n\s+/g, ' ');
    assert.equal(header('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
    assert.equal(header('list-unsubscribe'), `<${unsubscribe}>`);
    assert.ok(String(mail.html).includes(unsubscribe.replace(/&/g, '&amp;')));
    assert.ok(!String(mail.html).includes('{{unsubscribe_url}}'));

    // A second run sends nothing new.
    const again = await sendIssue(desk, issue, { mailer, retryDelayMs: 10 });
    assert.equal(again.sent, 0);
    assert.equal(smtp.received.length, before + 2 + 0);
    mailer.close();

    // One-click unsubscribe as a mail client does it (RFC 8058), then nothing more is sent.
    const click = await app.inject({ method: 'POST', url: unsubscribe.replace('https://news.example.org', ''), payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(click.statusCode, 200);
    assert.equal((await newsletters.subscriberByEmail('reader@example.org'))?.status, 'unsubscribed');
  });

  test('the schedule builds and sends the day\'s issue once, at the configured UTC time', async () => {
    await setup();
    const newsletters = new NewsletterStore(desk.store);
    const originalNow = desk.now;
    let now = new Date('2024-03-04T06:59:30Z');
    desk.now = () => now;
    desk.config.newsletter.sendAt = '07:00';
    const stop = startNewsletterSchedule(desk, 20);
    try {
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(await newsletters.issueByDate('2024-03-04'), null, 'nothing before 07:00');
      now = new Date('2024-03-04T07:00:30Z');
      const deadline = Date.now() + 10_000;
      const confirmed = (await newsletters.listSubscribers('confirmed')).length;
      const delivered = () => smtp.received.filter((m) => m.mail.subject === 'A.I. Every Day (2024-03-04)');
      while (Date.now() < deadline) {
        const issue = await newsletters.issueByDate('2024-03-04');
        const sends = issue ? await newsletters.sends(issue.id) : [];
        if (sends.length === confirmed && sends.every((s) => s.status !== 'claimed')) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const issue = (await newsletters.issueByDate('2024-03-04'))!;
      assert.ok(issue, 'built at 07:00');
      assert.deepEqual(issue.sections[0]!.items.map((i) => i.title), ['Andrew Ng launches a course on generative AI', 'IBM Watson adds new language models', 'Self driving cars & the law: what changes <today>']);
      const count = delivered().length;
      assert.ok(count >= 2, `${count} delivered`);
      // Later ticks the same day neither rebuild nor resend.
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(delivered().length, count);
      assert.equal(new Set(delivered().flatMap((m) => m.to)).size, count, 'one message per subscriber');
    } finally {
      stop();
      desk.now = originalNow;
      desk.config.newsletter.sendAt = undefined;
    }
  });

  test('the newsletter-send job builds a missing issue and sends it; a failed send makes the job fail for a retry', async () => {
    await setup();
    const handler = jobHandlers().get(JOB_KINDS.newsletter)!;
    assert.ok(handler);
    await assert.rejects(handler({ date: '2024-03-03' }, { desk, enqueue: async () => {}, log: silentLogger, attempt: 1 }), /1 sends failed \(gone@example\.org/);
    const issue = (await new NewsletterStore(desk.store).issueByDate('2024-03-03'))!;
    assert.equal(issue.sections[0]!.items.length, 3);
    const delivered = smtp.received.filter((m) => m.mail.subject === 'A.I. Every Day (2024-03-03)').flatMap((m) => m.to).sort();
    assert.deepEqual(delivered, ['crashed@example.org', 'flaky@example.org']);
  });

  test('the archive: pages and api/newsletters/', async () => {
    await setup();
    const list = JSON.parse((await app.inject({ method: 'GET', url: '/api/newsletters/' })).body);
    assert.equal(list.path, '_newsletters/');
    assert.deepEqual(list.value.map((v: { title: string }) => v.title), ['A.I. Every Day (2024-03-06)', 'A.I. Every Day (2024-03-05)', 'A.I. Every Day (2024-03-04)', 'A.I. Every Day (2024-03-03)']);
    const item = JSON.parse((await app.inject({ method: 'GET', url: '/api/newsletters/ai-every-day-2024-03-05/' })).body);
    assert.equal(item.sections[0].items.length, 3);
    const archive = await app.inject({ method: 'GET', url: '/newsletters/' });
    assert.match(archive.body, /A\.I\. Every Day \(2024-03-05\)/);
    const page = await app.inject({ method: 'GET', url: '/newsletter/ai-every-day-2024-03-05/' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /NVIDIA unveils/);
  });
});
