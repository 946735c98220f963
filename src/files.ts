// Writing files so that a reader, or a crash, never sees half of one; reading an input file (plain
// or gzip) within the same size limit as a fetched body.
import { writeFileSync, renameSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { isNewsdeskError, newsdeskError } from './errors.ts';

const gunzipAsync = promisify(gunzip);

/** Writes to a temporary name beside the file, then renames it into place. */
export function writeFileAtomically(file: string, data: Uint8Array | string): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  writeFileSync(temporary, data);
  renameSync(temporary, file);
}

/**
 * A local input file's bytes, gunzipped when it starts with the gzip magic number. Neither the file
 * nor what it unpacks to may pass `maxBytes` (1 GiB of zeros packs into 1 MiB); a missing, corrupt
 * or oversized file is ND_FILE_UNREADABLE.
 */
export async function readInputFile(path: string, maxBytes: number): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    const { size } = await stat(path);
    if (size > maxBytes) throw newsdeskError('ND_FILE_UNREADABLE', { file: path, reason: `it has ${size} bytes; the limit is ${maxBytes}` });
    bytes = await readFile(path);
  } catch (err) {
    if (isNewsdeskError(err)) throw err;
    throw newsdeskError('ND_FILE_UNREADABLE', { file: path, reason: (err as Error).message }, err);
  }
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return await gunzipAsync(bytes, { maxOutputLength: maxBytes });
  } catch (err) {
    const tooLarge = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    throw newsdeskError('ND_FILE_UNREADABLE', { file: path, reason: tooLarge ? `it unpacks to more than ${maxBytes} bytes` : `not valid gzip (${(err as Error).message})` }, err);
  }
}
