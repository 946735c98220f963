// `newsdesk newsletter`: build, send and archive the daily issue; manage subscribers.
import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { personalize } from '../publish/newsletter/render.ts';
import { withDesk } from './context.ts';
import { buildNewsletter } from '../publish/newsletter/build.ts';
import { sendIssue, sendConfirmation, confirmUrl } from '../publish/newsletter/send.ts';
import { NewsletterStore } from '../store/newsletter.ts';
import { computeMentions } from '../collections/mentions.ts';
import { recomputeEntityHeat } from '../collections/heat.ts';
import { newsdeskError } from '../errors.ts';
import { startProgress } from './progress.ts';
import { publicBaseUrl } from '../publish/base-url.ts';

const today = () => new Date().toISOString().slice(0, 10);

export function register(program: Command): Command {
  const group = program.command('newsletter').description('the daily newsletter: build, send, subscribers');
  group
    .command('build')
    .description('build (or rebuild) the issue of a day and store it in the archive')
    .option('--date <YYYY-MM-DD>', 'the UTC day', today())
    .option('--html <file>', 'also write the rendered e-mail HTML to this file (to look at it)')
    .action(async (options: { date: string; html?: string }, command: Command) => {
      await withDesk(command, async (desk) => {
        await computeMentions(desk.store);
        await recomputeEntityHeat(desk.store, { now: desk.now() });
        const issue = await buildNewsletter(desk, options.date);
        process.stdout.write(`newsletter: built "${issue.title}" (${issue.slug}): ${issue.sections.map((s) => `${s.heading} ${s.items.length}`).join(', ')}\n`);
        for (const section of issue.sections) for (const item of section.items) process.stdout.write(`  [${section.heading}] ${item.title}\n`);
        if (options.html) {
          mkdirSync(dirname(resolve(options.html)), { recursive: true });
          writeFileSync(resolve(options.html), personalize(issue.html, `${publicBaseUrl(desk)}/newsletter/unsubscribe/`, true));
          process.stdout.write(`newsletter: HTML written to ${resolve(options.html)}\n`);
        }
      });
    });
  group
    .command('send')
    .description('send the issue of a day to every confirmed subscriber (each at most once)')
    .option('--date <YYYY-MM-DD>', 'the UTC day', today())
    .option('--build', 'build the issue first if it is not in the archive')
    .action(async (options: { date: string; build?: boolean }, command: Command) => {
      await withDesk(command, async (desk) => {
        let issue = await new NewsletterStore(desk.store).issueByDate(options.date);
        if (!issue && options.build) issue = await buildNewsletter(desk, options.date);
        if (!issue) throw newsdeskError('ND_NOT_FOUND', { what: `newsletter of ${options.date} (build it first, or pass --build)` });
        const bar = startProgress('newsletter send: subscribers');
        const report = await sendIssue(desk, issue, { onProgress: (done, total) => bar.report(done, total) });
        bar.done();
        process.stdout.write(`newsletter: "${issue.title}": ${report.sent} sent, ${report.skipped} already sent or claimed, ${report.failed} failed\n`);
        for (const error of report.errors) process.stdout.write(`  failed: ${error}\n`);
        if (report.failed) process.exitCode = 1;
      });
    });
  group
    .command('subscribe <email>')
    .description('add a subscriber; they receive a confirmation link (double opt-in)')
    .action(async (email: string, _options: unknown, command: Command) => {
      await withDesk(command, async (desk) => {
        const subscriber = await new NewsletterStore(desk.store).addSubscriber(email);
        if (subscriber.status !== 'pending') {
          process.stdout.write(`newsletter: ${subscriber.email} is already ${subscriber.status}\n`);
          return;
        }
        if (desk.config.newsletter.smtp) await sendConfirmation(desk, subscriber);
        process.stdout.write(`newsletter: ${subscriber.email} pending; confirmation link: ${confirmUrl(desk, subscriber)}${desk.config.newsletter.smtp ? ' (mailed)' : ' (no SMTP configured: not mailed)'}\n`);
      });
    });
  group
    .command('unsubscribe <email>')
    .description('unsubscribe an address')
    .action(async (email: string, _options: unknown, command: Command) => {
      await withDesk(command, async (desk) => {
        const newsletters = new NewsletterStore(desk.store);
        const subscriber = await newsletters.subscriberByEmail(email);
        if (!subscriber) throw newsdeskError('ND_NOT_FOUND', { what: `subscriber ${email}` });
        await newsletters.unsubscribe(subscriber.unsubscribeToken);
        process.stdout.write(`newsletter: ${subscriber.email} unsubscribed\n`);
      });
    });
  group
    .command('subscribers')
    .description('list subscribers and their state')
    .action(async (_options: unknown, command: Command) => {
      await withDesk(command, async (desk) => {
        for (const s of await new NewsletterStore(desk.store).listSubscribers()) process.stdout.write(`${s.status.padEnd(12)} ${s.email}\n`);
      });
    });
  return group;
}
