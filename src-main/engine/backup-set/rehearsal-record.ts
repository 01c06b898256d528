// Rehearsal results are kept with the set, next to verification.json: every rehearsal appends a
// record to REHEARSAL_FILE in the set folder it rehearsed, so list, History, the Overview and the
// "not rehearsed for N days" alert know when this set was last proven restorable. Set contents
// are untrusted: the file is read as a regular file of bounded size and validated; anything else
// counts as "never rehearsed".
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { REHEARSAL_FILE } from '../../contract/manifest.js';
import { rehearsalFileSchema } from '../../contract/manifest-schema.js';
import type { RehearsalRecord } from '../../contract/sets.js';
import { readRegularFile } from './safe-read.js';

/** Records kept per set folder. */
export const KEEP_REHEARSALS = 20;
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Every valid record in a set folder, oldest first; [] when there is none or the file is not believable. */
export async function readRehearsals(setRoot: string): Promise<RehearsalRecord[]> {
  const file = await readRegularFile(join(setRoot, REHEARSAL_FILE), MAX_FILE_BYTES);
  if (!file.ok) return [];
  try {
    const parsed = rehearsalFileSchema.safeParse(JSON.parse(file.data.toString('utf8')));
    return parsed.success ? parsed.data.records : [];
  } catch {
    return [];
  }
}

export async function latestRehearsal(setRoot: string): Promise<RehearsalRecord | undefined> {
  return (await readRehearsals(setRoot)).at(-1);
}

/**
 * Appends a record atomically: a new temporary file created exclusively (never through a link),
 * then renamed over the old file (which replaces a planted link rather than following it).
 */
export async function appendRehearsal(setRoot: string, record: RehearsalRecord): Promise<string> {
  const records = [...(await readRehearsals(setRoot)), record].slice(-KEEP_REHEARSALS);
  const target = join(setRoot, REHEARSAL_FILE);
  const tmp = join(setRoot, `.${REHEARSAL_FILE}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o644);
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
