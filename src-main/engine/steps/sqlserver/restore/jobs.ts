// One restore job per database of the set: where its .bak is staged, which database it becomes,
// where its files go and which statements restore it. plan(), check() and run() all build their
// jobs here, so what the plan prints is what the run sends.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SqlServerConfig } from '../../../../contract/profile.js';
import { ExpectedError } from '../../../errors.js';
import type { RestoreTarget } from '../../restore/primitive.js';
import { serverPath } from '../tsql.js';
import type { FileListRow, RestoreServerFacts, TargetDatabase } from './facts.js';
import {
  inPlacePlacement,
  movesOf,
  rowsFromRecord,
  scratchDatabaseName,
  scratchPlacement,
  type Placement,
} from './placement.js';
import type { SetDatabase } from './source.js';
import {
  checkDbStatement,
  dropStatement,
  fileListOnlyStatement,
  headerOnlyStatement,
  multiUserStatement,
  restoreStatement,
  singleUserStatement,
  totalsStatement,
} from './tsql.js';

export type CheckDbMode = 'none' | 'full' | 'physical-only';

export interface SqlServerRestoreOptions {
  /** DBCC CHECKDB after the restore. Default: 'none' in place, 'full' for a rehearsal. */
  checkDb?: CheckDbMode;
  /** Rehearsal: folder on the SQL Server host for the scratch files (default: database.rehearsalDir). */
  scratchDir?: string;
  /** Only these databases of the set (default: every one). */
  databases?: string[];
}

export interface Stage {
  /** The path SQL Server opens. */
  serverFile: string;
  /** The same file as this machine sees it (through copyFrom), when it can. */
  localFile?: string;
  /** copy: from the set; reuse: already there with the set's SHA-256; server-copy: the backup's own file on the server. */
  how: 'copy' | 'reuse' | 'server-copy';
}

export interface DatabaseJob {
  source: SetDatabase;
  /** The database it becomes: the same name in place, the scratch name in a rehearsal. */
  target: string;
  existing?: TargetDatabase;
  stage: Stage;
  rows?: FileListRow[];
  rowsFrom: 'filelistonly' | 'set' | 'unknown';
  placements: Placement[];
}

export function checkDbMode(target: RestoreTarget, o: SqlServerRestoreOptions): CheckDbMode {
  return o.checkDb ?? (target.kind === 'scratch' ? 'full' : 'none');
}

export function scratchDirOf(cfg: SqlServerConfig, o: SqlServerRestoreOptions): string | undefined {
  return o.scratchDir ?? cfg.rehearsalDir;
}

export function targetName(source: SetDatabase, target: RestoreTarget): string {
  return target.kind === 'scratch' ? scratchDatabaseName(source.name, target.setId) : source.name;
}

/**
 * Where the .bak is read from. With copyFrom the set's copy is put into the server's backup folder
 * (reused when a file of that name is already there with the same size; the run checks its SHA-256
 * before trusting it). Without copyFrom only the backup's own file on the server can be used.
 */
export async function planStage(cfg: SqlServerConfig, d: SetDatabase): Promise<Stage | undefined> {
  if (cfg.copyFrom && d.artifact) {
    const localFile = join(cfg.copyFrom, d.fileName);
    const serverFile = serverPath(cfg.serverBackupDir, d.fileName);
    const size = await stat(localFile).then(
      (s) => (s.isFile() ? s.size : -1),
      () => undefined,
    );
    return { serverFile, localFile, how: size === d.artifact.bytes ? 'reuse' : 'copy' };
  }
  if (d.serverFile) return { serverFile: d.serverFile, how: 'server-copy' };
  return undefined;
}

export function noStageError(d: SetDatabase): ExpectedError {
  return new ExpectedError(
    'SQLSERVER_RESTORE_NO_SOURCE',
    `The backup of ${d.name} cannot be brought where SQL Server reads it: ${d.artifact ? 'the profile has no copyFrom' : 'the set holds no copy of the .bak and does not say where the server wrote it'}.`,
    {
      step: 'database',
      fix: "Set copyFrom to the server backup folder (serverBackupDir) as this machine sees it, e.g. a share of it, so the set's .bak can be copied there.",
    },
  );
}

export interface PlaceInputs {
  target: RestoreTarget;
  scratchDir: string | undefined;
  folders: Map<string, boolean | undefined>;
  facts: RestoreServerFacts | undefined;
}

/** Rows from FILELISTONLY when known, else from the set's record; then every file placed. */
export function placeJob(job: DatabaseJob, rows: FileListRow[] | undefined, p: PlaceInputs): void {
  const use = rows ?? (job.source.files ? rowsFromRecord(job.source.files) : undefined);
  job.rowsFrom = rows ? 'filelistonly' : use ? 'set' : 'unknown';
  if (use) job.rows = use;
  if (!use) {
    job.placements = [];
    return;
  }
  if (p.target.kind === 'scratch') {
    job.placements = p.scratchDir ? scratchPlacement(use, job.target, p.scratchDir) : [];
    return;
  }
  const o: Parameters<typeof inPlacePlacement>[0] = { rows: use, existing: job.existing, folders: p.folders };
  if (p.facts?.defaultDataPath) o.defaultDataPath = p.facts.defaultDataPath;
  if (p.facts?.defaultLogPath) o.defaultLogPath = p.facts.defaultLogPath;
  job.placements = inPlacePlacement(o);
}

export interface JobStatements {
  inspect: string[];
  /** Only when the live database is online: everyone else disconnected first. */
  before: string[];
  restore: string;
  /** In place: back to multi-user (also after a failure). */
  after: string[];
  checkDb?: string;
  totals?: string;
  drop?: string;
}

export function statementsFor(job: DatabaseJob, scratch: boolean, checkDb: CheckDbMode): JobStatements {
  const s: JobStatements = {
    inspect: [headerOnlyStatement(job.stage.serverFile), fileListOnlyStatement(job.stage.serverFile)],
    before: [],
    restore: restoreStatement({
      database: job.target,
      file: job.stage.serverFile,
      // A scratch name must never overwrite anything: without REPLACE SQL Server refuses (3154/1801).
      replace: !scratch,
      moves: scratch
        ? job.placements.map((p) => ({ logicalName: p.logicalName, to: p.to }))
        : movesOf(job.placements),
    }),
    after: [],
  };
  if (!scratch && job.existing?.state === 'ONLINE') {
    s.before.push(singleUserStatement(job.target));
    s.after.push(multiUserStatement(job.target));
  }
  if (checkDb !== 'none') s.checkDb = checkDbStatement(job.target, checkDb === 'physical-only');
  if (scratch) {
    s.totals = totalsStatement(job.target);
    s.drop = dropStatement(job.target);
  }
  return s;
}
