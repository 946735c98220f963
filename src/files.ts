// Writing files so that a reader, or a crash, never sees half of one.
import { writeFileSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Writes to a temporary name beside the file, then renames it into place. */
export function writeFileAtomically(file: string, data: Uint8Array | string): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  writeFileSync(temporary, data);
  renameSync(temporary, file);
}
