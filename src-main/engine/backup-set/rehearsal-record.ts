// Rehearsal results are kept with the set, next to verification.json: every rehearsal appends a
// record to REHEARSAL_FILE in the set folder it rehearsed, so list, History, the Overview and the
// "not rehearsed for N days" alert know when this set was last proven restorable. A file that is
// not believable counts as "never rehearsed" (record-file.ts).
import { REHEARSAL_FILE } from '../../contract/manifest.js';
import { rehearsalFileSchema } from '../../contract/manifest-schema.js';
import type { RehearsalRecord } from '../../contract/sets.js';
import { appendRecord, readRecords } from './record-file.js';

/** Records kept per set folder. */
export const KEEP_REHEARSALS = 20;

/** Every valid record in a set folder, oldest first; [] when there is none or the file is not believable. */
export async function readRehearsals(setRoot: string): Promise<RehearsalRecord[]> {
  return readRecords(setRoot, REHEARSAL_FILE, rehearsalFileSchema);
}

export async function latestRehearsal(setRoot: string): Promise<RehearsalRecord | undefined> {
  return (await readRehearsals(setRoot)).at(-1);
}

export async function appendRehearsal(setRoot: string, record: RehearsalRecord): Promise<string> {
  return appendRecord(setRoot, REHEARSAL_FILE, rehearsalFileSchema, record, KEEP_REHEARSALS);
}
