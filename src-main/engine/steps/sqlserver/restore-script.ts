// restore.sql in the set: the statements a DBA needs to bring each database back, with the
// logical file names already filled in (RESTORE ... WITH MOVE needs them).
import type { DatabaseFile } from './queries.js';
import { quoteIdent, quoteString } from './tsql.js';

export interface RestoreEntry {
  name: string;
  fileName: string;
  serverFile: string;
  files: DatabaseFile[] | undefined;
}

export function restoreScript(setName: string, server: string, entries: RestoreEntry[]): string {
  const lines = [
    `-- Restore of the Octane databases in backup set ${setName} (taken from ${server}).`,
    '-- 1. Copy each .bak file of this set to a folder the target SQL Server can read; edit the DISK paths below',
    '--    (they show where the source server wrote each file).',
    '-- 2. Check the MOVE targets (data and log paths on the target server).',
    '-- 3. Stop Octane first; restore every database of the set, then Elasticsearch and the repository folder.',
    '-- Add REPLACE only when you mean to overwrite an existing database of the same name.',
    '',
  ];
  for (const e of entries) {
    const disk = quoteString(e.serverFile);
    lines.push(`-- ${e.name}: ${e.fileName}`);
    lines.push(`RESTORE VERIFYONLY FROM DISK = ${disk} WITH CHECKSUM;`);
    const moves = (e.files ?? []).map(
      (f) => `MOVE ${quoteString(f.logicalName)} TO ${quoteString(f.physicalName)}`,
    );
    if (!e.files)
      lines.push(
        `-- The logical file names were not readable at backup time: RESTORE FILELISTONLY FROM DISK = ${disk};`,
      );
    lines.push(
      `RESTORE DATABASE ${quoteIdent(e.name)} FROM DISK = ${disk} WITH ${[...moves, 'CHECKSUM', 'RECOVERY', 'STATS = 5'].join(', ')};`,
    );
    lines.push('');
  }
  return lines.join('\r\n');
}
