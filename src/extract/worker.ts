// One extraction worker thread (see pool.ts): decodes a page's bytes and extracts the article, one
// page at a time, so that the server's event loop never runs the readers.
import { parentPort } from 'node:worker_threads';
import { loadLanguageModel } from './language.ts';
import { isNewsdeskError } from '../errors.ts';
import { extractHere, type PageJob, type PageOutcome } from './page-job.ts';

const port = parentPort!;
// Page language falls back to the language-id model, loaded once per worker before the first page.
const ready = loadLanguageModel().catch(() => undefined);

port.on('message', async (message: { id: number; job: PageJob }) => {
  await ready;
  const { id, job } = message;
  let outcome: PageOutcome;
  try {
    outcome = { ok: true, ...extractHere(job) };
  } catch (err) {
    outcome = isNewsdeskError(err) ? { ok: false, code: err.code, params: err.params } : { ok: false, code: 'ND_EXTRACT_FAILED', params: { url: job.url, reason: err instanceof Error ? err.message : String(err) } };
  }
  port.postMessage({ id, outcome });
});
void ready.then(() => port.postMessage({ ready: true }));
