// The extraction worker's entry point. Beside the compiled worker (dist/) it loads that; beside the
// TypeScript sources it runs them through tsx, as bin/newsdesk.mjs does.
import { existsSync } from 'node:fs';

const compiled = new URL('./worker.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./worker.ts');
}
