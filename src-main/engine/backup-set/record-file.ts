// The record files a set keeps about itself (verification.json, rehearsal.json): a short history of
// what was found, appended to by verify and rehearse. Set contents are untrusted, so a record file
// is read as a regular file of bounded size and validated; anything else counts as "no records".
// Appending writes a new temporary file created exclusively (never through a link) and renames it
// over the old one (which replaces a planted link rather than following it).
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type * as z from 'zod';
import { PRIVATE_FILE_MODE } from './private-modes.js';
import { readRegularFile } from './safe-read.js';

const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** The schema of a record file: `{ formatVersion: 1, records: [...] }`. */
type RecordFileSchema<R> = z.ZodType<{ formatVersion: 1; records: R[] }>;

/** Every valid record of `file` in a set folder, oldest first; [] when there is none or it is not believable. */
export async function readRecords<R>(
  setRoot: string,
  file: string,
  schema: RecordFileSchema<R>,
): Promise<R[]> {
  const read = await readRegularFile(join(setRoot, file), MAX_FILE_BYTES);
  if (!read.ok) return [];
  try {
    const parsed = schema.safeParse(JSON.parse(read.data.toString('utf8')));
    return parsed.success ? parsed.data.records : [];
  } catch {
    return [];
  }
}

/** Appends `record`, keeping the newest `keep`; returns the file's path. */
export async function appendRecord<R>(
  setRoot: string,
  file: string,
  schema: RecordFileSchema<R>,
  record: R,
  keep: number,
): Promise<string> {
  const records = [...(await readRecords(setRoot, file, schema)), record].slice(-keep);
  const target = join(setRoot, file);
  const tmp = join(setRoot, `.${file}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', PRIVATE_FILE_MODE);
  try {
    await fh.writeFile(JSON.stringify({ formatVersion: 1, records }, null, 2) + '\n');
    await fh.sync();
    await fh.close();
    await rename(tmp, target);
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  return target;
}
