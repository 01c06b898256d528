// Verify's verdicts are kept with the set: every verify appends a record to VERIFICATION_FILE in the
// set folder it checked (and in each other copy it read), so list, History, the Overview and
// retention know a set was found damaged — and a damaged set never counts as a good backup again
// until a later verify of the same copy finds it intact.
import { VERIFICATION_FILE } from '../../contract/manifest.js';
import { verificationFileSchema } from '../../contract/manifest-schema.js';
import type { VerificationRecord } from '../../contract/sets.js';
import { appendRecord, readRecords } from './record-file.js';

/** Records kept per set folder: enough history to see when damage appeared. */
export const KEEP_RECORDS = 20;

/** Every valid record in a set folder, oldest first; [] when there is none or the file is not believable. */
export async function readVerifications(setRoot: string): Promise<VerificationRecord[]> {
  return readRecords(setRoot, VERIFICATION_FILE, verificationFileSchema);
}

/** The newest record of a set folder. */
export async function latestVerification(setRoot: string): Promise<VerificationRecord | undefined> {
  return (await readVerifications(setRoot)).at(-1);
}

export async function appendVerification(setRoot: string, record: VerificationRecord): Promise<string> {
  return appendRecord(setRoot, VERIFICATION_FILE, verificationFileSchema, record, KEEP_RECORDS);
}
