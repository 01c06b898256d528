// Shapes of the TDS stand-in's scripted server: its databases, faults and the stand-in .bak header.
import type { LoginInfo, SqlError } from './tds-server.js';

export interface FakeBackupScript {
  /** "N percent processed." values sent, in order (default 10, 20 ... 100). */
  percents?: number[];
  /** Delay before each progress message, ms (default 5). */
  stepMs?: number;
  /** One long silence before the given percent, ms (a slow backup). */
  pauseBefore?: { percent: number; ms: number };
  /** Sent instead of any progress: the backup fails at once (e.g. 3201 + 3013). */
  fail?: SqlError[];
  /** Drop the TCP connection right after sending this percent. */
  dropAfterPercent?: number;
  /** After this percent, wait for the client's ATTENTION (cancel). */
  hangAfterPercent?: number;
  /** Called when the backup starts hanging (the test cancels then). */
  onHang?: () => void;
  /** Size of the fake .bak written (default 256 KiB). */
  bakBytes?: number;
}

export interface FakeDatabaseFile {
  logicalName: string;
  physicalName: string;
  /** FILELISTONLY's Type: D data, L log, S FILESTREAM, F full-text. */
  type: 'D' | 'L' | 'S' | 'F';
  sizeBytes: number;
}

export interface FakeDatabase {
  name: string;
  usedBytes: number;
  state?: string;
  recoveryModel?: string;
  canBackup?: boolean;
  backup?: FakeBackupScript;
  /** What the database holds now: a backup carries it, a restore brings it back. */
  content?: string;
  /** Sessions connected to it (other than the tool's); SINGLE_USER WITH ROLLBACK IMMEDIATE ends them. */
  sessions?: number;
  /** A client that reconnects at once after SINGLE_USER and takes the only slot (RESTORE then fails 3101). */
  reconnects?: boolean;
  userAccess?: 'MULTI_USER' | 'SINGLE_USER';
  /** Default: <name> on D:\Data and <name>_log on L:\Log. */
  files?: FakeDatabaseFile[];
  /** User tables and their rows (carried by a backup into the restored database). */
  tables?: number;
  rows?: number;
  /** Errors DBCC CHECKDB reports for this database (e.g. 8928 then 8989). */
  checkDbErrors?: SqlError[];
}

export interface FakeSqlServerOptions {
  databases: FakeDatabase[];
  edition?: string;
  /** 4 = Express (no backup compression). */
  engineEdition?: number;
  version?: string;
  /** The backup folder as the server sees it, and the local folder standing in for it. */
  serverDir: string;
  localDir: string;
  /** The DB server's clock: offset from this machine's, and its UTC offset in minutes. */
  clock?: { offsetMs: number; tzMinutes: number };
  canVerify?: boolean;
  canReadHistory?: boolean;
  isSysadmin?: boolean;
  /** sys.dm_os_file_exists answer for serverDir; undefined = the folder exists. */
  folderExists?: boolean;
  /** Errors for the preflight's write test (a backup of model); undefined = it works. */
  probeFails?: SqlError[];
  authenticate?: (login: LoginInfo) => SqlError | undefined;
  /** Server roles of the login for restores (default: dbcreator). */
  isDbcreator?: boolean;
  canCreateDatabase?: boolean;
  canViewServerState?: boolean;
  defaultDataPath?: string;
  defaultLogPath?: string;
  /** Folders that exist on the server's host (dm_os_file_exists, MOVE targets); undefined = all do. */
  serverFolders?: string[];
  /** sys.dm_os_file_exists is unknown (SQL Server before 2017). */
  noFileExistsDmv?: boolean;
  /** Volumes and their free bytes (dm_os_volume_stats); default D:\, L:\, S:\ with 500 GiB each. */
  volumes?: { mountPoint: string; availableBytes: number }[];
  /** Per target database (lower case): how its RESTORE DATABASE goes. */
  restoreScripts?: Record<string, FakeRestoreScript>;
  /** Per database (lower case): the errors DBCC CHECKDB reports (e.g. 8928 then 8989). */
  checkDbErrors?: Record<string, SqlError[]>;
}

export interface FakeRestoreScript {
  /** "N percent processed." values (default 10, 20 ... 100). */
  percents?: number[];
  stepMs?: number;
  /** Silence after 100 % before the restore completes (the recovery phase), ms. */
  recoveryMs?: number;
  /** Sent instead of any progress. */
  fail?: SqlError[];
  /** After this percent, wait for the client's ATTENTION (cancel). */
  hangAfterPercent?: number;
  onHang?: () => void;
}

/** First line of a stand-in .bak: what a RESTORE HEADERONLY / FILELISTONLY / DATABASE reads back. */
export const BAK_MAGIC = 'STAND-IN BACKUP ';
export interface BakHeader {
  database: string;
  guid: string;
  versionMajor: number;
  content: string;
  files: FakeDatabaseFile[];
  tables: number;
  rows: number;
}

export interface FakeRestore {
  database: string;
  serverFile: string;
  statement: string;
  completed: boolean;
}
