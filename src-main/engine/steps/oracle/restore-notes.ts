// restore.txt in the set: the impdp commands a DBA needs for this very dump (file names,
// schemas and SCN filled in), first as a side-by-side test restore, then the real one.
import type { ServerInfo } from '../../../contract/manifest.js';

export interface RestoreFacts {
  schemas: string[];
  scn: string;
  dbTime: string;
  directory: string;
  /** The name given to Data Pump (with %U when split). */
  dumpPattern: string;
  dumpFiles: string[];
  logFile: string;
  server: ServerInfo;
}

const plain = (name: string): boolean => /^[A-Z][A-Z0-9_$#]*$/.test(name);

/** impdp takes plain upper-case names as they are; anything else needs double quotes (in a parfile). */
function impdpName(name: string): string {
  return plain(name) ? name : `"${name}"`;
}

export function restoreNotes(f: RestoreFacts): string {
  const schemas = f.schemas.map(impdpName);
  const remaps = f.schemas.map((s) => `REMAP_SCHEMA=${impdpName(s)}:${impdpName(`${s}_CHECK`)}`);
  const from = [f.server.name, f.server.version ? `Oracle ${f.server.version}` : undefined]
    .filter(Boolean)
    .join(', ');
  return [
    `Restore of the Octane Oracle schemas ${f.schemas.join(', ')}`,
    `Data Pump schema export AS OF SCN ${f.scn} (database time ${f.dbTime})${from ? `, taken from ${from}` : ''}.`,
    `Dump file(s): ${f.dumpFiles.join(', ')}    Export log: ${f.logFile}`,
    ...(f.schemas.every(plain)
      ? []
      : [
          'Names in double quotes below must be written into a parfile (PARFILE=...): shells strip the quotes.',
        ]),
    '',
    '0. Check the files first: their SHA-256 must match manifest.json (octane-backup verify <set folder>).',
    '',
    '1. Copy the dump file(s) into the folder of a DIRECTORY object on the target database server:',
    `     SELECT DIRECTORY_PATH FROM DBA_DIRECTORIES WHERE DIRECTORY_NAME = '${f.directory}';`,
    '   The importing login needs DATAPUMP_IMP_FULL_DATABASE and READ, WRITE on that DIRECTORY.',
    '',
    '2. Test restore (leaves Octane untouched): import under other names, look, then drop them.',
    `     impdp <dba_user>@<target> DIRECTORY=${f.directory} DUMPFILE=${f.dumpPattern} LOGFILE=restore-check.log ${remaps.join(' ')}`,
    `     -- afterwards: DROP USER <name>_CHECK CASCADE; for each schema`,
    '',
    '3. Full restore (stop Octane first; restore Elasticsearch and the repository folder from the SAME set afterwards):',
    `     -- drop the damaged schemas, e.g.: ${f.schemas.map((s) => `DROP USER ${impdpName(s)} CASCADE;`).join(' ')}`,
    `     impdp <dba_user>@<target> DIRECTORY=${f.directory} DUMPFILE=${f.dumpPattern} LOGFILE=restore.log SCHEMAS=${schemas.join(',')}`,
    '   With DATAPUMP_EXP_FULL_DATABASE at export time the import recreates the users and their grants;',
    '   otherwise create the users first. Check restore.log for errors, then start Octane.',
    '',
  ].join('\r\n');
}
