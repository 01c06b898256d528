// Reading back a rehearsal's journal after a crash (kill -9, power loss): the objects added and
// not dropped are exactly what is left to remove. The file lies in the set folder (untrusted):
// each line is validated, a line that is not believable is skipped and counted, never guessed at.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { COMPONENT_IDS } from '../../contract/profile-schema.js';
import { RESTORE_STAGES, type RestoreStageId } from '../../contract/restore-run.js';
import type { ScratchObject } from '../../contract/restore.js';
import { readRegularFile } from '../backup-set/safe-read.js';

const lineSchema = z.object({
  op: z.enum(['add', 'drop']),
  stage: z.enum(RESTORE_STAGES),
  object: z.object({
    component: z.enum(COMPONENT_IDS),
    kind: z.enum([
      'sqlserver-database',
      'sqlserver-file',
      'oracle-schema',
      'oracle-file',
      'es-index',
      'es-repository',
      'folder',
    ]),
    name: z.string().min(1).max(4096),
    where: z.string().max(4096).optional(),
  }),
});

export interface JournalContents {
  file: string;
  outstanding: { stage: RestoreStageId; object: ScratchObject }[];
  /** Lines that could not be read (a torn last line after a crash, or tampering). */
  skippedLines: number;
}

const MAX_JOURNAL_BYTES = 8 * 1024 * 1024;

export async function readJournal(file: string): Promise<JournalContents> {
  const read = await readRegularFile(file, MAX_JOURNAL_BYTES);
  if (!read.ok) return { file, outstanding: [], skippedLines: 0 };
  const left: { stage: RestoreStageId; object: ScratchObject }[] = [];
  let skippedLines = 0;
  for (const line of read.data.toString('utf8').split('\n')) {
    if (line.trim() === '') continue;
    let parsed;
    try {
      parsed = lineSchema.safeParse(JSON.parse(line));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      skippedLines++;
      continue;
    }
    const { op, stage, object } = parsed.data;
    const same = (x: { object: ScratchObject }): boolean =>
      x.object.kind === object.kind && x.object.name === object.name;
    if (op === 'add' && !left.some(same)) left.push({ stage, object });
    if (op === 'drop') left.splice(0, left.length, ...left.filter((x) => !same(x)));
  }
  return { file, outstanding: left, skippedLines };
}

export const REHEARSAL_JOURNAL = /-rehearsal-[0-9a-f]+\.journal\.jsonl$/;

/** The rehearsal journals left in a reports folder (each one a rehearsal that did not finish its cleanup). */
export async function rehearsalJournals(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => REHEARSAL_JOURNAL.test(n))
    .sort()
    .map((n) => join(dir, n));
}
