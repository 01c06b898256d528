// Read-only questions a restore asks the target server: who we are and what we may do, the target
// databases as they are now, free space, and what a backup file holds (HEADERONLY, FILELISTONLY).
import { query, type Querier } from '../queries.js';
import {
  fileListOnlyStatement,
  folderExistsStatement,
  headerOnlyStatement,
  RESTORE_FACTS_SQL,
  targetFilesStatement,
  targetsStatement,
  VOLUMES_SQL,
} from './tsql.js';

type Row = Record<string, unknown>;
const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : '';
const num = (v: unknown): number | undefined => {
  if (v === null || v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};
const flag = (v: unknown): boolean => v === true || num(v) === 1;

export interface RestoreServerFacts {
  productVersion: string;
  major: number | undefined;
  edition: string;
  serverName: string;
  loginName: string;
  isSysadmin: boolean;
  isDbcreator: boolean;
  canCreateDatabase: boolean;
  canViewServerState: boolean;
  defaultDataPath?: string;
  defaultLogPath?: string;
}

export async function readRestoreFacts(q: Querier): Promise<RestoreServerFacts> {
  const [r] = await query<Row>(q, RESTORE_FACTS_SQL);
  if (!r) throw new Error('The server returned no answer to the server-information query.');
  const version = str(r.product_version);
  const f: RestoreServerFacts = {
    productVersion: version,
    major: num(/^(\d+)\./.exec(version)?.[1]),
    edition: str(r.edition),
    serverName: str(r.server_name),
    loginName: str(r.login_name),
    isSysadmin: flag(r.is_sysadmin),
    isDbcreator: flag(r.is_dbcreator),
    canCreateDatabase: flag(r.can_create),
    canViewServerState: flag(r.can_view_state),
  };
  if (str(r.default_data_path)) f.defaultDataPath = str(r.default_data_path);
  if (str(r.default_log_path)) f.defaultLogPath = str(r.default_log_path);
  return f;
}

export interface TargetFile {
  fileId: number;
  logicalName: string;
  physicalName: string;
  /** ROWS, LOG, FILESTREAM, FULLTEXT */
  type: string;
  sizeBytes: number;
}

export interface TargetDatabase {
  name: string;
  state: string;
  userAccess: string;
  recoveryModel: string;
  owner: string;
  /** Sessions connected to it other than ours (all of them only with VIEW SERVER STATE). */
  sessions: number;
  files: TargetFile[];
}

export async function readTargets(q: Querier, names: string[]): Promise<TargetDatabase[]> {
  if (names.length === 0) return [];
  const rows = await query<Row>(q, targetsStatement(names));
  const out: TargetDatabase[] = rows.map((r) => ({
    name: str(r.name),
    state: str(r.state),
    userAccess: str(r.user_access),
    recoveryModel: str(r.recovery_model),
    owner: str(r.owner),
    sessions: num(r.sessions) ?? 0,
    files: [],
  }));
  if (out.length === 0) return out;
  for (const r of await query<Row>(q, targetFilesStatement(out.map((d) => d.name)))) {
    const db = out.find((d) => d.name === str(r.database_name));
    db?.files.push({
      fileId: num(r.file_id) ?? 0,
      logicalName: str(r.logical_name),
      physicalName: str(r.physical_name),
      type: str(r.type),
      sizeBytes: num(r.size_bytes) ?? 0,
    });
  }
  return out;
}

export interface Volume {
  mountPoint: string;
  availableBytes: number;
}

/** undefined when the login may not read volume statistics (VIEW SERVER STATE). */
export async function readVolumes(q: Querier): Promise<Volume[] | undefined> {
  try {
    const rows = await query<Row>(q, VOLUMES_SQL);
    return rows
      .map((r) => ({ mountPoint: str(r.mount_point), availableBytes: num(r.available_bytes) ?? NaN }))
      .filter((v) => v.mountPoint !== '' && Number.isFinite(v.availableBytes));
  } catch (err) {
    if (q.signal.aborted) throw err;
    return undefined;
  }
}

/** undefined when the server cannot say (before SQL Server 2017, or no VIEW SERVER STATE). */
export async function folderExists(q: Querier, dir: string): Promise<boolean | undefined> {
  try {
    const [r] = await query<Row>(q, folderExistsStatement(dir));
    return r ? flag(r.is_directory) : undefined;
  } catch (err) {
    if (q.signal.aborted) throw err;
    return undefined;
  }
}

export interface BackupHeader {
  databaseName: string;
  /** 1 = full database backup */
  backupType: number | undefined;
  backupSetGuid: string;
  softwareVersionMajor: number | undefined;
  isCopyOnly: boolean;
  hasChecksums: boolean;
  backupFinish: string;
}

export async function readHeader(q: Querier, file: string): Promise<BackupHeader | undefined> {
  const [r] = await query<Row>(q, headerOnlyStatement(file));
  if (!r) return undefined;
  return {
    databaseName: str(r.DatabaseName),
    backupType: num(r.BackupType),
    backupSetGuid: str(r.BackupSetGUID).toUpperCase(),
    softwareVersionMajor: num(r.SoftwareVersionMajor),
    isCopyOnly: flag(r.IsCopyOnly),
    hasChecksums: flag(r.HasBackupChecksums),
    backupFinish:
      r.BackupFinishDate instanceof Date ? r.BackupFinishDate.toISOString() : str(r.BackupFinishDate),
  };
}

export interface FileListRow {
  logicalName: string;
  physicalName: string;
  /** D data, L log, F full-text catalog, S FILESTREAM container */
  type: string;
  sizeBytes: number;
  fileId: number;
}

export async function readFileList(q: Querier, file: string): Promise<FileListRow[]> {
  const rows = await query<Row>(q, fileListOnlyStatement(file));
  return rows.map((r, i) => ({
    logicalName: str(r.LogicalName),
    physicalName: str(r.PhysicalName),
    type: str(r.Type).toUpperCase(),
    sizeBytes: num(r.Size) ?? 0,
    fileId: num(r.FileId) ?? num(r.FileID) ?? i + 1,
  }));
}
