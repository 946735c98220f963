// `newsdesk secured`: read back and re-key the encrypted private payloads of articles.
//   secured decrypt VALUE            print the payload of one secured value
//   secured decrypt --article ID     print the payload stored with an article
//   secured rotate                   re-encrypt every stored payload under a new key
//   secured keygen                   print a fresh key for secured.key
// Keys come from the configuration (secured.key, or NEWSDESK_SECURED_KEY); the new key of a rotation
// from NEWSDESK_NEW_SECURED_KEY. Never from the command line, where `ps` would show them.
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { configFrom } from './context.ts';
import { Store } from '../store/index.ts';
import { decryptSecured, parseSecuredKey, rotateSecured } from '../extract/secured.ts';
import { describeError, newsdeskError } from '../errors.ts';

function configuredKey(command: Command): Buffer {
  const key = configFrom(command).secured.key;
  if (!key) {
    throw newsdeskError('ND_CONFIG_INVALID', { path: 'secured.key', reason: 'no key configured (set secured.key or NEWSDESK_SECURED_KEY)' });
  }
  return parseSecuredKey(key);
}

function print(payload: unknown): void {
  process.stdout.write(typeof payload === 'string' ? `${payload}\n` : `${JSON.stringify(payload, null, 2)}\n`);
}

export function register(program: Command): Command {
  const group = program.command('secured').description('read and re-key the encrypted private payloads of articles');

  group
    .command('decrypt')
    .description('print the payload of a secured value, or of the one stored with an article')
    .argument('[value]', 'a secured value, "<base64 ciphertext>;<base64 IV>"')
    .option('--article <id>', 'the stored article whose payload to print')
    .action(async (value: string | undefined, options: { article?: string }, command: Command) => {
      if (!value === !options.article) {
        throw newsdeskError('ND_BAD_REQUEST', { reason: 'give either a VALUE or --article ID' });
      }
      const key = configuredKey(command);
      if (value) {
        print(decryptSecured(value, key));
        return;
      }
      const id = Number(options.article);
      if (!Number.isInteger(id) || id <= 0) throw newsdeskError('ND_BAD_REQUEST', { reason: `--article takes an article id, not ${options.article}` });
      const store = await Store.open(configFrom(command).storeUrl);
      try {
        const article = await store.getArticle(id);
        if (!article) throw newsdeskError('ND_NOT_FOUND', { what: `article ${id}` });
        if (!article.secured) throw newsdeskError('ND_NOT_FOUND', { what: `a secured payload for article ${id}` });
        print(decryptSecured(article.secured, key));
      } finally {
        await store.close();
      }
    });

  group
    .command('rotate')
    .description('re-encrypt every stored secured payload from the configured key to NEWSDESK_NEW_SECURED_KEY')
    .option('--dry-run', 'check that every payload opens with the current key, change nothing')
    .action(async (options: { dryRun?: boolean }, command: Command) => {
      const oldKey = configuredKey(command);
      const newKeyText = process.env.NEWSDESK_NEW_SECURED_KEY;
      if (!newKeyText && !options.dryRun) {
        throw newsdeskError('ND_CONFIG_INVALID', { path: 'NEWSDESK_NEW_SECURED_KEY', reason: 'set it to the new key for the rotation' });
      }
      const newKey = newKeyText ? parseSecuredKey(newKeyText, 'NEWSDESK_NEW_SECURED_KEY') : oldKey;
      const store = await Store.open(configFrom(command).storeUrl);
      let rotated = 0;
      const failed: string[] = [];
      try {
        for (const row of await store.securedPayloads()) {
          try {
            const next = rotateSecured(row.secured, oldKey, newKey);
            if (!options.dryRun) await store.updateArticleFields(row.id, { secured: next });
            rotated++;
          } catch (err) {
            // Payloads sealed under another key (e.g. imported records) are left as they are.
            failed.push(`article ${row.id}: ${describeError(err)}`);
          }
        }
      } finally {
        await store.close();
      }
      process.stdout.write(`${options.dryRun ? 'would re-encrypt' : 're-encrypted'} ${rotated} payloads; ${failed.length} did not open with the current key\n`);
      for (const line of failed.slice(0, 20)) process.stdout.write(`  ${line}\n`);
      if (!options.dryRun && rotated > 0) process.stdout.write('now set secured.key (or NEWSDESK_SECURED_KEY) to the new key\n');
    });

  group
    .command('keygen')
    .description('print a new random key for secured.key (base64 of 32 bytes)')
    .action(() => {
      process.stdout.write(`${randomBytes(32).toString('base64')}\n`);
    });

  return group;
}
