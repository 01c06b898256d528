// Verify's verdicts are kept with the set: every verify appends a record to VERIFICATION_FILE in the
// set folder it checked (and in each other copy it read), so list, History, the Overview and
// retention know a set was found damaged — and a damaged set never counts as a good backup again
// until a later verify of the same copy finds it intact.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { VERIFICATION_FILE } from '../../contract/manifest.js';
import { verificationFileSchema } from '../../contract/manifest-schema.js';
import type { VerificationRecord } from '../../contract/sets.js';
import { readRegularFile } from './safe-read.js';

/** Records kept per set folder: enough history to see when damage appeared. */
export const KEEP_RECORDS = 20;
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Every valid record in a set folder, oldest first; [] when there is none or the file is not believable. */
export async function readVerifications(setRoot: string): Promise<VerificationRecord[]> {
  const file = await readRegularFile(join(setRoot, VERIFICATION_FILE), MAX_FILE_BYTES);
  if (!file.ok) return [];
  try {
    const parsed = verificationFileSchema.safeParse(JSON.parse(file.data.toString('utf8')));
    return parsed.success ? parsed.data.records : [];
  } catch {
    return [];
  }
}

/** The newest record of a set folder. */
export async function latestVerification(setRoot: string): Promise<VerificationRecord | undefined> {
  return (await readVerifications(setRoot)).at(-1);
}

/**
 * Appends a record (atomically: a new temporary file created exclusively, so never through a link,
 * then renamed over the old file, which replaces a planted link rather than following it).
 */
export async function appendVerification(setRoot: string, record: VerificationRecord): Promise<string> {
  const records = [...(await readVerifications(setRoot)), record].slice(-KEEP_RECORDS);
  const target = join(setRoot, VERIFICATION_FILE);
  const tmp = join(setRoot, `.${VERIFICATION_FILE}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx');
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
