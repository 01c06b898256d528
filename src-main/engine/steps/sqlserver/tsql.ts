// Every statement the SQL Server step sends, built in one place. Names and paths go in as quoted
// literals (never as parameters: identifiers cannot be parameters, and a literal statement is
// what the manifest records and what a DBA can re-run as it stands). Quoting follows QUOTENAME:
// identifiers in [] with ] doubled, strings as N'...' with ' doubled, so no name can inject SQL.
import { createHash } from 'node:crypto';

/** SQL Server's sysname: at most 128 characters. */
export const MAX_NAME_LENGTH = 128;

export function quoteIdent(name: string): string {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || name.includes('\0'))
    throw new RangeError(`Not a valid SQL Server name: ${JSON.stringify(name)}`);
  return `[${name.replace(/]/g, ']]')}]`;
}

export function quoteString(text: string): string {
  if (text.includes('\0')) throw new RangeError('A SQL string may not contain NUL characters.');
  return `N'${text.replace(/'/g, "''")}'`;
}

export type PathStyle = 'windows' | 'posix';

/** SQL Server on Linux takes '/...' paths; everything else is a Windows path or UNC share. */
export function pathStyleOf(serverDir: string): PathStyle {
  return serverDir.startsWith('/') ? 'posix' : 'windows';
}

/** An absolute folder as the SQL Server host sees it: D:\x, \\host\share\x or /var/opt/x. */
export function isAbsoluteServerDir(dir: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(dir) || /^\\\\[^\\/]+[\\/][^\\/]+/.test(dir) || dir.startsWith('/');
}

export function isUncPath(dir: string): boolean {
  return dir.startsWith('\\\\');
}

/** Joins a folder and a file name with the separator of the server's OS. */
export function serverPath(dir: string, file: string): string {
  if (pathStyleOf(dir) === 'posix') return `${dir.replace(/\/+$/, '')}/${file}`;
  return `${dir.replace(/[\\/]+$/, '')}\\${file}`;
}

/**
 * File name of a database's backup in one run: `<db>_<run>.bak`. Characters that are unsafe in
 * file names (or in the shell, or differ between Windows and Linux) become '_'; when the name
 * had to change, a short hash of the real name keeps two databases apart ("a b" and "a_b").
 */
export function backupFileName(database: string, run: string): string {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_');
  let db = safe(database);
  if (db !== database) db += `-${createHash('sha256').update(database, 'utf8').digest('hex').slice(0, 6)}`;
  return `${db}_${safe(run)}.bak`;
}

export interface BackupOptions {
  database: string;
  file: string;
  compression: boolean;
  /** Shown in msdb.dbo.backupset.name (at most 128 characters). */
  label: string;
}

/**
 * COPY_ONLY: never touches the DBA's differential base or log chain. CHECKSUM: page checksums
 * verified while reading and a backup checksum written. FORMAT/INIT on a file name unique to this
 * run: a new media set, never appended to an old file. STATS = 1: a progress message per percent.
 */
export function backupStatement(o: BackupOptions): string {
  const opts = ['COPY_ONLY', 'CHECKSUM', 'FORMAT', 'INIT'];
  if (o.compression) opts.push('COMPRESSION');
  opts.push('STATS = 1', `NAME = ${quoteString(o.label.slice(0, MAX_NAME_LENGTH))}`);
  return `BACKUP DATABASE ${quoteIdent(o.database)} TO DISK = ${quoteString(o.file)} WITH ${opts.join(', ')};`;
}

export function verifyStatement(file: string): string {
  return `RESTORE VERIFYONLY FROM DISK = ${quoteString(file)} WITH CHECKSUM, STATS = 5;`;
}

/** Results are cast to nvarchar/int/bigint on the server: LSNs (numeric(25,0)) exceed JS numbers. */
export const SERVER_INFO_SQL =
  'SET NOCOUNT ON; SELECT ' +
  [
    "CONVERT(nvarchar(128), SERVERPROPERTY('ProductVersion')) AS product_version",
    "CONVERT(nvarchar(128), SERVERPROPERTY('ProductLevel')) AS product_level",
    "CONVERT(nvarchar(128), SERVERPROPERTY('Edition')) AS edition",
    "CONVERT(int, SERVERPROPERTY('EngineEdition')) AS engine_edition",
    'CONVERT(nvarchar(128), @@SERVERNAME) AS server_name',
    'CONVERT(nvarchar(128), SUSER_SNAME()) AS login_name',
    "CONVERT(int, IS_SRVROLEMEMBER(N'sysadmin')) AS is_sysadmin",
    "CONVERT(int, CASE WHEN HAS_PERMS_BY_NAME(NULL, NULL, N'CREATE ANY DATABASE') = 1 OR HAS_PERMS_BY_NAME(N'master', N'DATABASE', N'CREATE DATABASE') = 1 THEN 1 ELSE 0 END) AS can_verify",
    "CONVERT(int, CASE WHEN HAS_PERMS_BY_NAME(N'msdb.dbo.backupset', N'OBJECT', N'SELECT') = 1 AND HAS_PERMS_BY_NAME(N'msdb.dbo.backupmediafamily', N'OBJECT', N'SELECT') = 1 THEN 1 ELSE 0 END) AS can_read_history",
  ].join(', ') +
  ';';

/**
 * The DB clock, read once per statement so both columns come from the same instant: the local
 * wall time (datetimeoffset → datetime2 keeps the local time) and the UTC offset in minutes.
 * SYSDATETIMEOFFSET() itself would arrive in JS as a Date without its offset.
 */
export const CLOCK_SQL =
  'SET NOCOUNT ON; SELECT CONVERT(nvarchar(40), CONVERT(datetime2(3), t.now), 126) AS local_time, ' +
  'DATEPART(TZOFFSET, t.now) AS tz_minutes FROM (SELECT SYSDATETIMEOFFSET() AS now) AS t;';

/** User databases (ids 1-4 are master, tempdb, model, msdb) with what the admin needs to choose. */
export const DATABASES_SQL =
  'SET NOCOUNT ON; SELECT CONVERT(nvarchar(128), d.name) AS name, CONVERT(nvarchar(60), d.state_desc) AS state, ' +
  'CONVERT(nvarchar(60), d.recovery_model_desc) AS recovery_model, ' +
  "CONVERT(int, HAS_PERMS_BY_NAME(d.name, N'DATABASE', N'BACKUP DATABASE')) AS can_backup, " +
  '(SELECT CONVERT(bigint, SUM(CONVERT(bigint, mf.size))) * 8192 FROM sys.master_files AS mf WHERE mf.database_id = d.database_id) AS allocated_bytes ' +
  'FROM sys.databases AS d WHERE d.database_id > 4 ORDER BY d.name;';

/** Used pages (data and index) are what a full backup reads; the active log part is small. */
export function usedBytesStatement(database: string): string {
  return (
    'SET NOCOUNT ON; SELECT CONVERT(bigint, ISNULL(SUM(CONVERT(bigint, a.used_pages)), 0)) * 8192 AS used_bytes ' +
    `FROM ${quoteIdent(database)}.sys.allocation_units AS a;`
  );
}

/**
 * Logical file names, original paths and allocated sizes (pages of 8 KiB), for the restore script
 * (RESTORE ... WITH MOVE) and for a restore's free-space check before the .bak is staged.
 */
export function databaseFilesStatement(database: string): string {
  return (
    'SET NOCOUNT ON; SELECT CONVERT(nvarchar(128), f.name) AS logical_name, CONVERT(nvarchar(260), f.physical_name) AS physical_name, ' +
    'CONVERT(nvarchar(60), f.type_desc) AS type, CONVERT(bigint, f.size) * 8192 AS size_bytes ' +
    `FROM ${quoteIdent(database)}.sys.database_files AS f ORDER BY f.file_id;`
  );
}

/** The backup's row in msdb, found by the unique file name; LSNs as text (numeric(25,0)). */
export function historyStatement(database: string, file: string): string {
  return (
    'SET NOCOUNT ON; SELECT TOP (1) ' +
    [
      'CONVERT(nvarchar(40), bs.first_lsn) AS first_lsn',
      'CONVERT(nvarchar(40), bs.last_lsn) AS last_lsn',
      'CONVERT(nvarchar(40), bs.checkpoint_lsn) AS checkpoint_lsn',
      'CONVERT(nvarchar(40), bs.database_backup_lsn) AS database_backup_lsn',
      'CONVERT(nvarchar(40), bs.backup_size) AS backup_size',
      'CONVERT(nvarchar(40), bs.compressed_backup_size) AS compressed_backup_size',
      'CONVERT(nvarchar(40), bs.backup_start_date, 126) AS backup_start',
      'CONVERT(nvarchar(40), bs.backup_finish_date, 126) AS backup_finish',
      'CONVERT(int, bs.time_zone) AS time_zone',
      'CONVERT(int, bs.is_copy_only) AS is_copy_only',
      'CONVERT(int, bs.has_backup_checksums) AS has_checksums',
      'CONVERT(nvarchar(36), bs.backup_set_uuid) AS backup_set_uuid',
    ].join(', ') +
    ' FROM msdb.dbo.backupset AS bs INNER JOIN msdb.dbo.backupmediafamily AS bmf ON bmf.media_set_id = bs.media_set_id ' +
    `WHERE bs.database_name = ${quoteString(database)} AND bmf.physical_device_name = ${quoteString(file)} ` +
    'ORDER BY bs.backup_set_id DESC;'
  );
}

/** sys.dm_os_file_exists (SQL Server 2017+): does the folder exist as the service account sees it? */
export function folderExistsStatement(dir: string): string {
  return (
    'SET NOCOUNT ON; SELECT CONVERT(int, f.file_exists) AS file_exists, CONVERT(int, f.file_is_a_directory) AS is_directory, ' +
    `CONVERT(int, f.parent_directory_exists) AS parent_exists FROM sys.dm_os_file_exists(${quoteString(dir)}) AS f;`
  );
}

/** The preflight's write test: a COPY_ONLY backup of the tiny model database to a fixed name. */
export const PROBE_FILE_NAME = 'octane-backup-write-test.bak';
export function probeStatement(file: string): string {
  return `BACKUP DATABASE [model] TO DISK = ${quoteString(file)} WITH COPY_ONLY, FORMAT, INIT, NAME = N'octane-backup-manager write test';`;
}
