// Read-only questions to the server: who and what it is, its clock, its databases, a backup's
// history row. Each result is parsed from the text/int columns the statements cast to.
import { formatWithOffset } from '../../db-clock.js';
import type { BatchOptions, SqlSession } from './connection.js';
import {
  CLOCK_SQL,
  DATABASES_SQL,
  databaseFilesStatement,
  historyStatement,
  SERVER_INFO_SQL,
  usedBytesStatement,
} from './tsql.js';

/** Runs statements on one session and tells the caller what was run (for the manifest). */
export interface Querier {
  session: SqlSession;
  signal: AbortSignal;
  onStatement?: (sql: string) => void;
}

export async function query<T>(q: Querier, sql: string, opts: Partial<BatchOptions> = {}): Promise<T[]> {
  q.onStatement?.(sql);
  return q.session.batch<T>(sql, { signal: q.signal, ...opts });
}

export interface ServerFacts {
  productVersion: string;
  productLevel: string;
  edition: string;
  engineEdition: number;
  serverName: string;
  loginName: string;
  isSysadmin: boolean;
  canVerify: boolean;
  canReadHistory: boolean;
  /** Backup compression exists in Enterprise, Standard and Developer, not in Express or Web. */
  compression: boolean;
}

const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : '';
const int = (v: unknown): number => (v === null || v === undefined || v === '' ? 0 : Number(v));

export async function readServerFacts(q: Querier): Promise<ServerFacts> {
  const [r] = await query<Record<string, unknown>>(q, SERVER_INFO_SQL);
  if (!r) throw new Error('The server returned no answer to the server-information query.');
  const edition = str(r.edition);
  const engineEdition = int(r.engine_edition);
  return {
    productVersion: str(r.product_version),
    productLevel: str(r.product_level),
    edition,
    engineEdition,
    serverName: str(r.server_name),
    loginName: str(r.login_name),
    isSysadmin: int(r.is_sysadmin) === 1,
    canVerify: int(r.can_verify) === 1,
    canReadHistory: int(r.can_read_history) === 1,
    compression: engineEdition !== 4 && !/express|web/i.test(edition),
  };
}

export interface ClockReading {
  /** ISO-8601 with the server's UTC offset, e.g. 2024-05-01T10:11:12.345+02:00. */
  dbTime: string;
  localBefore: Date;
  localAfter: Date;
  tzMinutes: number;
}

export function offsetText(tzMinutes: number): string {
  const sign = tzMinutes < 0 ? '-' : '+';
  const abs = Math.abs(tzMinutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * A server-local wall time ("2024-05-01T10:11:12.3456789", maybe with a suffix) plus the UTC
 * offset in minutes → ISO-8601 with that offset, milliseconds precision.
 */
export function withServerOffset(localWallTime: string, tzMinutes: number): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(localWallTime.trim());
  if (!m) return undefined;
  const ms = (m[3] ?? '').padEnd(3, '0').slice(0, 3);
  const asUtc = Date.parse(`${m[1]}T${m[2]}.${ms}Z`);
  if (Number.isNaN(asUtc)) return undefined;
  // The wall time is local to the server: the instant is wall time minus the offset.
  return formatWithOffset(asUtc - tzMinutes * 60_000, offsetText(tzMinutes));
}

export async function readClock(q: Querier): Promise<ClockReading> {
  const localBefore = new Date();
  const [r] = await query<Record<string, unknown>>(q, CLOCK_SQL);
  const localAfter = new Date();
  const tzMinutes = int(r?.tz_minutes);
  const dbTime = withServerOffset(str(r?.local_time), tzMinutes);
  if (!dbTime)
    throw new Error(`The server's clock could not be read (got ${JSON.stringify(r?.local_time)}).`);
  return { dbTime, localBefore, localAfter, tzMinutes };
}

export interface DatabaseRow {
  name: string;
  state: string;
  recoveryModel: string;
  canBackup: boolean;
  /** Data and log files as allocated (null when the login may not see sys.master_files). */
  allocatedBytes: number | null;
}

export async function readDatabases(q: Querier): Promise<DatabaseRow[]> {
  const rows = await query<Record<string, unknown>>(q, DATABASES_SQL);
  return rows.map((r) => ({
    name: str(r.name),
    state: str(r.state),
    recoveryModel: str(r.recovery_model),
    canBackup: int(r.can_backup) === 1,
    allocatedBytes:
      r.allocated_bytes === null || r.allocated_bytes === undefined ? null : Number(r.allocated_bytes),
  }));
}

export async function readUsedBytes(q: Querier, database: string): Promise<number | undefined> {
  try {
    const [r] = await query<Record<string, unknown>>(q, usedBytesStatement(database));
    const n = Number(r?.used_bytes);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  } catch (err) {
    if (q.signal.aborted) throw err;
    return undefined; // no access to the database's catalog: size unknown, progress uses an average
  }
}

export interface DatabaseFile {
  logicalName: string;
  physicalName: string;
  /** sys.database_files.type_desc: ROWS, LOG, FILESTREAM, FULLTEXT. */
  type: string;
  /** Allocated size in bytes (what a restore needs on the target volume). */
  sizeBytes?: number;
}

export async function readDatabaseFiles(q: Querier, database: string): Promise<DatabaseFile[]> {
  const rows = await query<Record<string, unknown>>(q, databaseFilesStatement(database));
  return rows.map((r) => {
    const f: DatabaseFile = {
      logicalName: str(r.logical_name),
      physicalName: str(r.physical_name),
      type: str(r.type),
    };
    const size = Number(r.size_bytes);
    if (r.size_bytes !== null && r.size_bytes !== undefined && Number.isFinite(size)) f.sizeBytes = size;
    return f;
  });
}

export interface HistoryRow {
  firstLsn: string;
  lastLsn: string;
  checkpointLsn: string;
  databaseBackupLsn: string;
  backupSizeBytes: number;
  compressedBackupSizeBytes: number | null;
  /** ISO-8601 with the server's offset. */
  backupStart: string | undefined;
  backupFinish: string | undefined;
  isCopyOnly: boolean;
  hasChecksums: boolean;
  backupSetUuid: string;
}

/** backupset.time_zone: offset from UTC in 15-minute steps; 127 = unknown. */
export async function readHistory(
  q: Querier,
  database: string,
  file: string,
  fallbackTzMinutes: number,
): Promise<HistoryRow | undefined> {
  const [r] = await query<Record<string, unknown>>(q, historyStatement(database, file));
  if (!r) return undefined;
  const tz = r.time_zone === null || int(r.time_zone) === 127 ? fallbackTzMinutes : int(r.time_zone) * 15;
  return {
    firstLsn: str(r.first_lsn),
    lastLsn: str(r.last_lsn),
    checkpointLsn: str(r.checkpoint_lsn),
    databaseBackupLsn: str(r.database_backup_lsn),
    backupSizeBytes: Number(r.backup_size ?? 0),
    compressedBackupSizeBytes: r.compressed_backup_size === null ? null : Number(r.compressed_backup_size),
    backupStart: withServerOffset(str(r.backup_start), tz),
    backupFinish: withServerOffset(str(r.backup_finish), tz),
    isCopyOnly: int(r.is_copy_only) === 1,
    hasChecksums: int(r.has_checksums) === 1,
    backupSetUuid: str(r.backup_set_uuid),
  };
}
