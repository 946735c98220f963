// The `newsletter-send` job (JOB_KINDS.newsletter): `{ date: 'YYYY-MM-DD' }` builds the issue of that
// day if the archive lacks it, then sends it to every confirmed subscriber. Safe to run again: sends
// are claimed per subscriber and issue (NewsletterStore.claimSend), so a retried job sends nothing twice.
// Queue it with the key `jobKeys.newsletter(date)`.
import { registerJobHandler, JOB_KINDS } from '../../jobs/kinds.ts';
import { NewsletterStore } from '../../store/newsletter.ts';
import { buildNewsletter } from './build.ts';
import { sendIssue } from './send.ts';
import { isNewsdeskError, newsdeskError } from '../../errors.ts';

registerJobHandler(JOB_KINDS.newsletter, async (payload: { date?: string }, { desk, log }) => {
  const date = payload?.date;
  if (typeof date !== 'string') throw newsdeskError('ND_BAD_REQUEST', { reason: 'newsletter-send needs { date: "YYYY-MM-DD" }' });
  let issue = await new NewsletterStore(desk.store).issueByDate(date);
  try {
    issue ??= await buildNewsletter(desk, date);
  } catch (err) {
    // A day without news is done, not failed: retrying would not publish anything either.
    if (isNewsdeskError(err, 'ND_NEWSLETTER_EMPTY')) return log.info({ date }, err.message);
    throw err;
  }
  if (!desk.config.newsletter.smtp) {
    log.warn({ newsletter: issue.slug }, 'newsletter built; not sent: no SMTP server configured');
    return;
  }
  const report = await sendIssue(desk, issue);
  // Failed sends stay re-claimable until maxAttempts: throwing lets the runner retry the job later.
  if (report.failed) throw new Error(`newsletter ${issue.slug}: ${report.failed} sends failed (${report.errors[0]})`);
});
