// The extraction worker's entry point: the sources are TypeScript, run through tsx as bin/newsdesk.mjs does.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
