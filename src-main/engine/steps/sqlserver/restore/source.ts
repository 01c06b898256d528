// What a set holds for SQL Server, read from its manifest (untrusted input: every field is checked
// for its type, every name against SQL Server's limits, every file path against the set folder).
import type { ArtifactRecord, ComponentRecord } from '../../../../contract/manifest.js';
import { ExpectedError } from '../../../errors.js';
import { artifactsOf } from '../../restore/set-files.js';
import { componentOf, count, detailArray, text, type RestoreSetView } from '../../restore/primitive.js';
import { MAX_NAME_LENGTH } from '../tsql.js';

/** One file of a database as recorded at backup time (sys.database_files). */
export interface RecordedFile {
  logicalName: string;
  physicalName: string;
  /** ROWS, LOG, FILESTREAM, FULLTEXT */
  type: string;
  sizeBytes?: number;
}

export interface SetDatabase {
  /** The database's name on the source server (and, in place, on the target). */
  name: string;
  /** File name of the .bak (as the backup wrote it). */
  fileName: string;
  /** The .bak in the set, with its size and SHA-256; absent when the set kept no copy. */
  artifact?: ArtifactRecord;
  /** Where the source server wrote it. */
  serverFile?: string;
  /** msdb's backup_set_uuid = RESTORE HEADERONLY's BackupSetGUID. */
  backupSetGuid?: string;
  files?: RecordedFile[];
}

export interface SqlServerSetView {
  databases: SetDatabase[];
  /** e.g. "15.0.4316.3 RTM" */
  sourceVersion?: string;
  sourceServer?: string;
  setName: string;
}

const step = 'database' as const;

function bad(what: string): ExpectedError {
  return new ExpectedError(
    'RESTORE_SET_MANIFEST_INVALID',
    `The set's SQL Server record is not usable: ${what}.`,
    {
      step,
      fix: 'The manifest was edited or damaged: restore from another set, or from an untouched copy of this one.',
    },
  );
}

function recordedFiles(v: unknown): RecordedFile[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: RecordedFile[] = [];
  for (const f of v as Record<string, unknown>[]) {
    const logicalName = text(f?.logicalName);
    const physicalName = text(f?.physicalName);
    const type = text(f?.type);
    if (!logicalName || !physicalName || !type) return undefined;
    const r: RecordedFile = { logicalName, physicalName, type };
    const size = count(f.sizeBytes);
    if (size !== undefined) r.sizeBytes = size;
    out.push(r);
  }
  return out.length > 0 ? out : undefined;
}

export function readSqlServerSet(set: RestoreSetView, only?: string[]): SqlServerSetView {
  const c: ComponentRecord = componentOf(set, 'database');
  if (c.server?.engine !== 'sqlserver')
    throw bad(
      `its database component was taken from ${c.server?.engine ?? 'an unknown engine'}, not SQL Server`,
    );
  const artifacts = artifactsOf(c);
  const databases: SetDatabase[] = [];
  for (const raw of detailArray(c, 'databases') as Record<string, unknown>[]) {
    const name = text(raw?.name);
    if (!name || name.length > MAX_NAME_LENGTH || name.includes('\0'))
      throw bad('a database has no valid name');
    const rel = text(raw.file);
    const serverFile = text(raw.serverFile);
    const fileName = rel?.split('/').at(-1) ?? serverFile?.split(/[\\/]/).at(-1);
    if (!fileName || !/^[A-Za-z0-9._-]+\.bak$/.test(fileName))
      throw bad(`the backup file of ${name} has no valid name`);
    const d: SetDatabase = { name, fileName };
    if (rel) {
      const a = artifacts.find((x) => x.path === rel);
      if (!a) throw bad(`${rel} is listed for ${name} but not among the set's files`);
      d.artifact = a;
    }
    if (serverFile) d.serverFile = serverFile;
    const guid = text((raw.history as Record<string, unknown> | undefined)?.backupSetUuid);
    if (guid && /^[0-9A-Fa-f-]{36}$/.test(guid)) d.backupSetGuid = guid.toUpperCase();
    const files = recordedFiles(raw.files);
    if (files) d.files = files;
    databases.push(d);
  }
  if (databases.length === 0) throw bad('it lists no database');
  let chosen = databases;
  if (only && only.length > 0) {
    chosen = databases.filter((d) => only.some((o) => o.toLowerCase() === d.name.toLowerCase()));
    const missing = only.filter((o) => !databases.some((d) => d.name.toLowerCase() === o.toLowerCase()));
    if (missing.length > 0)
      throw new ExpectedError(
        'RESTORE_DATABASE_NOT_IN_SET',
        `The set holds no backup of ${missing.join(', ')}.`,
        {
          step,
          details: { inSet: databases.map((d) => d.name) },
          fix: `Choose among the set's databases: ${databases.map((d) => d.name).join(', ')}.`,
        },
      );
  }
  const view: SqlServerSetView = { databases: chosen, setName: set.manifest.setName };
  if (c.server.version) view.sourceVersion = c.server.version;
  if (c.server.name) view.sourceServer = c.server.name;
  return view;
}

/** "15.0.4316.3 RTM" → 15 */
export function majorOf(version: string | undefined): number | undefined {
  const n = Number(/^(\d+)\./.exec(version ?? '')?.[1]);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
