// Every statement a SQL Server restore sends, built in one place and quoted like the backup's
// (identifiers in [], strings as N'...'): the plan prints exactly these texts and the run sends them.
import { quoteIdent, quoteString } from '../tsql.js';

export { folderExistsStatement } from '../tsql.js';

/** Who we are and what the server allows: RESTORE needs dbcreator or sysadmin (db_owner is not enough). */
export const RESTORE_FACTS_SQL =
  'SET NOCOUNT ON; SELECT ' +
  [
    "CONVERT(nvarchar(128), SERVERPROPERTY('ProductVersion')) AS product_version",
    "CONVERT(nvarchar(128), SERVERPROPERTY('Edition')) AS edition",
    'CONVERT(nvarchar(128), @@SERVERNAME) AS server_name',
    'CONVERT(nvarchar(128), SUSER_SNAME()) AS login_name',
    "CONVERT(int, IS_SRVROLEMEMBER(N'sysadmin')) AS is_sysadmin",
    "CONVERT(int, IS_SRVROLEMEMBER(N'dbcreator')) AS is_dbcreator",
    "CONVERT(int, HAS_PERMS_BY_NAME(NULL, NULL, N'CREATE ANY DATABASE')) AS can_create",
    "CONVERT(int, HAS_PERMS_BY_NAME(NULL, NULL, N'VIEW SERVER STATE')) AS can_view_state",
    "CONVERT(nvarchar(260), SERVERPROPERTY('InstanceDefaultDataPath')) AS default_data_path",
    "CONVERT(nvarchar(260), SERVERPROPERTY('InstanceDefaultLogPath')) AS default_log_path",
  ].join(', ') +
  ';';

const inList = (names: string[]): string => names.map(quoteString).join(', ');

/** The target databases as they are now: state, access, connected sessions (other than ours). */
export function targetsStatement(names: string[]): string {
  return (
    'SET NOCOUNT ON; SELECT CONVERT(nvarchar(128), d.name) AS name, CONVERT(nvarchar(60), d.state_desc) AS state, ' +
    'CONVERT(nvarchar(60), d.user_access_desc) AS user_access, CONVERT(nvarchar(60), d.recovery_model_desc) AS recovery_model, ' +
    'CONVERT(nvarchar(128), SUSER_SNAME(d.owner_sid)) AS owner, ' +
    '(SELECT COUNT(*) FROM sys.dm_exec_sessions AS s WHERE s.database_id = d.database_id AND s.session_id <> @@SPID) AS sessions ' +
    `FROM sys.databases AS d WHERE d.name IN (${inList(names)}) ORDER BY d.name;`
  );
}

/** The files of the target databases that exist now (an in-place restore keeps their places). */
export function targetFilesStatement(names: string[]): string {
  return (
    'SET NOCOUNT ON; SELECT CONVERT(nvarchar(128), d.name) AS database_name, CONVERT(int, mf.file_id) AS file_id, ' +
    'CONVERT(nvarchar(128), mf.name) AS logical_name, CONVERT(nvarchar(260), mf.physical_name) AS physical_name, ' +
    'CONVERT(nvarchar(60), mf.type_desc) AS type, CONVERT(bigint, mf.size) * 8192 AS size_bytes ' +
    'FROM sys.master_files AS mf INNER JOIN sys.databases AS d ON d.database_id = mf.database_id ' +
    `WHERE d.name IN (${inList(names)}) ORDER BY d.name, mf.file_id;`
  );
}

/** Free space of every volume holding a database file (needs VIEW SERVER STATE). */
export const VOLUMES_SQL =
  'SET NOCOUNT ON; SELECT DISTINCT CONVERT(nvarchar(260), vs.volume_mount_point) AS mount_point, ' +
  'CONVERT(bigint, vs.available_bytes) AS available_bytes FROM sys.master_files AS mf ' +
  'CROSS APPLY sys.dm_os_volume_stats(mf.database_id, mf.file_id) AS vs;';

/** Our backups hold one backup set (FORMAT, INIT): FILE = 1. */
export function headerOnlyStatement(file: string): string {
  return `RESTORE HEADERONLY FROM DISK = ${quoteString(file)} WITH FILE = 1;`;
}

export function fileListOnlyStatement(file: string): string {
  return `RESTORE FILELISTONLY FROM DISK = ${quoteString(file)} WITH FILE = 1;`;
}

export function verifyOnlyStatement(file: string): string {
  return `RESTORE VERIFYONLY FROM DISK = ${quoteString(file)} WITH FILE = 1, CHECKSUM;`;
}

/** Disconnects everyone else (their open transactions roll back) so RESTORE gets exclusive access. */
export function singleUserStatement(database: string): string {
  return `ALTER DATABASE ${quoteIdent(database)} SET SINGLE_USER WITH ROLLBACK IMMEDIATE;`;
}

export function multiUserStatement(database: string): string {
  return `ALTER DATABASE ${quoteIdent(database)} SET MULTI_USER;`;
}

export interface Move {
  logicalName: string;
  to: string;
}

export interface RestoreStatementOptions {
  database: string;
  file: string;
  /** Over an existing database (in place); never for scratch names, which must not exist. */
  replace: boolean;
  moves: Move[];
}

/**
 * CHECKSUM: every page checksum and the backup checksum are verified while reading. STATS = 1: a
 * progress message per percent. RECOVERY: the database comes online at the end (after redo/undo,
 * which the percent messages do not cover).
 */
export function restoreStatement(o: RestoreStatementOptions): string {
  const opts = ['FILE = 1'];
  if (o.replace) opts.push('REPLACE');
  opts.push('CHECKSUM');
  for (const m of o.moves) opts.push(`MOVE ${quoteString(m.logicalName)} TO ${quoteString(m.to)}`);
  opts.push('RECOVERY', 'STATS = 1');
  return `RESTORE DATABASE ${quoteIdent(o.database)} FROM DISK = ${quoteString(o.file)} WITH ${opts.join(', ')};`;
}

export function checkDbStatement(database: string, physicalOnly: boolean): string {
  const opts = ['NO_INFOMSGS', 'ALL_ERRORMSGS'];
  if (physicalOnly) opts.push('PHYSICAL_ONLY');
  return `DBCC CHECKDB (${quoteIdent(database)}) WITH ${opts.join(', ')};`;
}

/** User tables and their rows (heap or clustered index partitions) in a restored database. */
export function totalsStatement(database: string): string {
  const db = quoteIdent(database);
  return (
    'SET NOCOUNT ON; SELECT CONVERT(int, COUNT(DISTINCT t.object_id)) AS table_count, ' +
    'CONVERT(bigint, ISNULL(SUM(CONVERT(bigint, p.rows)), 0)) AS row_total ' +
    `FROM ${db}.sys.tables AS t INNER JOIN ${db}.sys.partitions AS p ON p.object_id = t.object_id AND p.index_id IN (0, 1) ` +
    'WHERE t.is_ms_shipped = 0;'
  );
}

export function dropStatement(database: string): string {
  return `DROP DATABASE ${quoteIdent(database)};`;
}
