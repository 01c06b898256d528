// TDS stand-in, restore side: answers the statements of a SQL Server restore the way SQL Server
// would — the login's rights, the target databases and their files, free space, RESTORE HEADERONLY /
// FILELISTONLY read from the stand-in .bak, SINGLE_USER / MULTI_USER, RESTORE DATABASE with its
// percent messages and a silent recovery phase after 100 %, DBCC CHECKDB, catalog totals and DROP
// DATABASE — and fails like SQL Server does: 3101 (in use), 3154 (another database), 3159 (log tail),
// 3201 (cannot open the file), 5133 (folder missing), 1834/3156 (file in use by another database).
import { open } from 'node:fs/promises';
import {
  BAK_MAGIC,
  type BakHeader,
  type FakeDatabase,
  type FakeDatabaseFile,
  type FakeRestore,
  type FakeSqlServerOptions,
} from './fake-types.js';
import { folderKey, identIn, movesIn, stringIn, stringsIn } from './sql-text.js';
import type { BatchResponse } from './tds-server.js';

export interface RestoreState {
  o: FakeSqlServerOptions;
  db: (name: string | undefined) => FakeDatabase | undefined;
  toLocal: (serverFile: string) => string;
  restores: FakeRestore[];
}

const GiB = 1024 ** 3;

type Res = BatchResponse;

/** Reads the stand-in header of a .bak as the server sees it; undefined with the error already sent. */
async function readBak(
  st: RestoreState,
  serverFile: string,
  res: Res,
  verb: string,
): Promise<BakHeader | undefined> {
  let local: string;
  try {
    local = st.toLocal(serverFile);
  } catch {
    res.error(
      3201,
      `Cannot open backup device '${serverFile}'. Operating system error 3(The system cannot find the path specified.).`,
    );
    res.error(3013, `${verb} is terminating abnormally.`);
    return undefined;
  }
  let first = '';
  try {
    const fh = await open(local, 'r');
    try {
      const buf = Buffer.alloc(64 * 1024);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      first = buf.subarray(0, bytesRead).toString('utf8').split('\n')[0] ?? '';
    } finally {
      await fh.close();
    }
  } catch {
    res.error(
      3201,
      `Cannot open backup device '${serverFile}'. Operating system error 2(The system cannot find the file specified.).`,
    );
    res.error(3013, `${verb} is terminating abnormally.`);
    return undefined;
  }
  if (!first.startsWith(BAK_MAGIC)) {
    res.error(
      3241,
      `The media family on device '${serverFile}' is incorrectly formed. SQL Server cannot process this media family.`,
    );
    res.error(3013, `${verb} is terminating abnormally.`);
    return undefined;
  }
  return JSON.parse(first.slice(BAK_MAGIC.length)) as BakHeader;
}

function folderExists(st: RestoreState, path: string): boolean {
  const known = st.o.serverFolders;
  if (!known) return true;
  return known.some((f) => f.replace(/[\\/]+$/, '').toLowerCase() === folderKey(path));
}

function facts(st: RestoreState, res: Res): void {
  const o = st.o;
  const dbcreator = o.isDbcreator !== false;
  const row: (string | number | null)[] = [
    o.version ?? '15.0.4316.3',
    o.edition ?? 'Standard Edition (64-bit)',
    'STANDIN\\OCTANE',
    res.login.userName,
    o.isSysadmin ? 1 : 0,
    dbcreator ? 1 : 0,
    (o.canCreateDatabase ?? (dbcreator || o.isSysadmin)) ? 1 : 0,
    o.canViewServerState === false ? 0 : 1,
    o.defaultDataPath ?? 'D:\\Data\\',
    o.defaultLogPath ?? 'L:\\Log\\',
  ];
  const names = [
    'product_version',
    'edition',
    'server_name',
    'login_name',
    'is_sysadmin',
    'is_dbcreator',
    'can_create',
    'can_view_state',
    'default_data_path',
    'default_log_path',
  ];
  const ints = new Set(['is_sysadmin', 'is_dbcreator', 'can_create', 'can_view_state']);
  res.rows(
    names.map((name) => ({ name, type: ints.has(name) ? 'int' : 'nvarchar' })),
    [row],
  );
}

function targets(st: RestoreState, sql: string, res: Res): void {
  const asked = stringsIn(sql, 'd.name IN (');
  const found = asked.map((n) => st.db(n)).filter((d): d is FakeDatabase => !!d);
  res.rows(
    [
      ...['name', 'state', 'user_access', 'recovery_model', 'owner'].map((name) => ({
        name,
        type: 'nvarchar' as const,
      })),
      { name: 'sessions', type: 'int' as const },
    ],
    found.map((d) => [
      d.name,
      d.state ?? 'ONLINE',
      d.userAccess ?? 'MULTI_USER',
      d.recoveryModel ?? 'FULL',
      'sa',
      d.sessions ?? 0,
    ]),
  );
}

function targetFiles(st: RestoreState, sql: string, res: Res): void {
  const asked = stringsIn(sql, 'd.name IN (');
  const desc = { D: 'ROWS', L: 'LOG', S: 'FILESTREAM', F: 'FULLTEXT' } as const;
  const rows: (string | number)[][] = [];
  for (const n of asked) {
    const d = st.db(n);
    (d?.files ?? []).forEach((f, i) =>
      rows.push([d?.name ?? n, i + 1, f.logicalName, f.physicalName, desc[f.type], f.sizeBytes]),
    );
  }
  res.rows(
    [
      { name: 'database_name', type: 'nvarchar' },
      { name: 'file_id', type: 'int' },
      { name: 'logical_name', type: 'nvarchar' },
      { name: 'physical_name', type: 'nvarchar' },
      { name: 'type', type: 'nvarchar' },
      { name: 'size_bytes', type: 'bigint' },
    ],
    rows,
  );
}

function volumes(st: RestoreState, res: Res): void {
  if (st.o.canViewServerState === false)
    return res.error(300, "VIEW SERVER STATE permission was denied on object 'server', database 'master'.", {
      severity: 14,
    });
  const v =
    st.o.volumes ?? ['D:\\', 'L:\\', 'S:\\'].map((m) => ({ mountPoint: m, availableBytes: 500 * GiB }));
  res.rows(
    [
      { name: 'mount_point', type: 'nvarchar' },
      { name: 'available_bytes', type: 'bigint' },
    ],
    v.map((x) => [x.mountPoint, x.availableBytes]),
  );
}

async function headerOnly(st: RestoreState, sql: string, res: Res): Promise<void> {
  const file = stringIn(sql, 'FROM DISK = ') ?? '';
  const h = await readBak(st, file, res, 'RESTORE HEADERONLY');
  if (!h) return;
  const cols = [
    ['BackupName', 'nvarchar'],
    ['BackupType', 'int'],
    ['ServerName', 'nvarchar'],
    ['DatabaseName', 'nvarchar'],
    ['DatabaseVersion', 'int'],
    ['SoftwareVersionMajor', 'int'],
    ['IsCopyOnly', 'int'],
    ['HasBackupChecksums', 'int'],
    ['BackupFinishDate', 'nvarchar'],
    ['BackupSetGUID', 'nvarchar'],
  ] as const;
  res.rows(
    cols.map(([name, type]) => ({ name, type })),
    [
      [
        'octane-backup-manager',
        1,
        'STANDIN\\OCTANE',
        h.database,
        904,
        h.versionMajor,
        1,
        1,
        '2026-01-01T00:00:00.000',
        h.guid,
      ],
    ],
  );
}

async function fileListOnly(st: RestoreState, sql: string, res: Res): Promise<void> {
  const file = stringIn(sql, 'FROM DISK = ') ?? '';
  const h = await readBak(st, file, res, 'RESTORE FILELISTONLY');
  if (!h) return;
  res.rows(
    [
      { name: 'LogicalName', type: 'nvarchar' },
      { name: 'PhysicalName', type: 'nvarchar' },
      { name: 'Type', type: 'nvarchar' },
      { name: 'FileGroupName', type: 'nvarchar' },
      { name: 'Size', type: 'bigint' },
      { name: 'MaxSize', type: 'bigint' },
      { name: 'FileId', type: 'bigint' },
    ],
    h.files.map((f, i) => [
      f.logicalName,
      f.physicalName,
      f.type,
      f.type === 'L' ? null : 'PRIMARY',
      f.sizeBytes,
      35184372080640,
      i + 1,
    ]),
  );
}

function alterAccess(st: RestoreState, sql: string, res: Res): void {
  const name = identIn(sql, 'ALTER DATABASE ') ?? '';
  const d = st.db(name);
  if (!d)
    return res.error(
      5011,
      `User does not have permission to alter database '${name}', the database does not exist, or the database is not in a state that allows access checks.`,
    );
  if (d.state === 'RESTORING')
    return res.error(5052, 'ALTER DATABASE is not permitted while a database is in the Restoring state.');
  if (sql.includes('SET SINGLE_USER')) {
    d.userAccess = 'SINGLE_USER';
    // ROLLBACK IMMEDIATE ends every other session; one that reconnects at once takes the only slot.
    d.sessions = d.reconnects ? 1 : 0;
    if (d.reconnects)
      res.info(5060, 'Nonqualified transactions are being rolled back. Estimated rollback completion: 100%.');
  } else d.userAccess = 'MULTI_USER';
}

/** Decides whether the RESTORE may start; sends SQL Server's errors when not. */
function refuse(st: RestoreState, sql: string, h: BakHeader, target: string, res: Res): boolean {
  const d = st.db(target);
  const o = st.o;
  const fail = (n: number, m: string): true => {
    res.error(n, m);
    res.error(3013, 'RESTORE DATABASE is terminating abnormally.');
    return true;
  };
  const mayRestore = o.isSysadmin || o.isDbcreator !== false;
  if (d && !mayRestore) return fail(3110, `User does not have permission to RESTORE database '${target}'.`);
  if (!d && !mayRestore && !o.canCreateDatabase)
    return fail(262, "CREATE DATABASE permission denied in database 'master'.");
  if (d && (d.sessions ?? 0) > 0)
    return fail(3101, 'Exclusive access could not be obtained because the database is in use.');
  const replace = /\bREPLACE\b/.test(sql);
  if (d && !replace && d.state !== 'RESTORING') {
    if (d.name.toLowerCase() !== h.database.toLowerCase() && (d.content ?? '') !== h.content)
      return fail(
        3154,
        `The backup set holds a backup of a database other than the existing '${d.name}' database.`,
      );
    if ((d.recoveryModel ?? 'FULL') !== 'SIMPLE')
      return fail(
        3159,
        `The tail of the log for the database "${d.name}" has not been backed up. Use BACKUP LOG WITH NORECOVERY to backup the log if it contains work you do not want to lose. Use the WITH REPLACE or WITH STOPAT clause of the RESTORE statement to just overwrite the contents of the log.`,
      );
  }
  const moves = movesIn(sql);
  for (const m of moves)
    if (!folderExists(st, m.to)) {
      res.error(
        5133,
        `Directory lookup for the file "${m.to}" failed with the operating system error 3(The system cannot find the path specified.).`,
      );
      res.error(
        3156,
        `File '${m.logicalName}' cannot be restored to '${m.to}'. Use WITH MOVE to identify a valid location for the file.`,
      );
      return fail(
        3119,
        'Problems were identified while planning for the RESTORE statement. Previous messages provide details.',
      );
    }
  // A new database whose files would land on another database's files.
  if (!d)
    for (const f of h.files) {
      const to = moves.find((m) => m.logicalName === f.logicalName)?.to ?? f.physicalName;
      const owner = st.o.databases.find((x) =>
        (x.files ?? []).some((y) => y.physicalName.toLowerCase() === to.toLowerCase()),
      );
      if (owner) {
        res.error(
          1834,
          `The file '${to}' cannot be overwritten.  It is being used by database '${owner.name}'.`,
        );
        res.error(
          3156,
          `File '${f.logicalName}' cannot be restored to '${to}'. Use WITH MOVE to identify a valid location for the file.`,
        );
        return fail(
          3119,
          'Problems were identified while planning for the RESTORE statement. Previous messages provide details.',
        );
      }
    }
  return false;
}

async function restoreDatabase(st: RestoreState, sql: string, res: Res): Promise<void> {
  const target = identIn(sql, 'RESTORE DATABASE ') ?? '';
  const file = stringIn(sql, 'FROM DISK = ') ?? '';
  if (!/\bCHECKSUM\b/.test(sql)) throw new Error('stand-in: restores must be WITH CHECKSUM');
  const s = st.o.restoreScripts?.[target.toLowerCase()] ?? {};
  if (s.fail) return s.fail.forEach((e) => res.error(e.number, e.message, { severity: e.severity ?? 16 }));
  const h = await readBak(st, file, res, 'RESTORE DATABASE');
  if (!h || refuse(st, sql, h, target, res)) return;
  const moves = movesIn(sql);
  const files: FakeDatabaseFile[] = h.files.map((f) => ({
    ...f,
    physicalName: moves.find((m) => m.logicalName === f.logicalName)?.to ?? f.physicalName,
  }));
  let d = st.db(target);
  if (!d) {
    d = { name: target, usedBytes: h.files[0]?.sizeBytes ?? 0, files };
    st.o.databases.push(d);
  }
  const rec: FakeRestore = { database: target, serverFile: file, statement: sql, completed: false };
  st.restores.push(rec);
  d.state = 'RESTORING';
  d.files = files;
  for (const p of s.percents ?? [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]) {
    if (await res.wait(s.stepMs ?? 5)) return; // cancelled: the database stays RESTORING, as on SQL Server
    res.info(3211, `${p} percent processed.`);
    await res.flush();
    if (s.hangAfterPercent === p) {
      s.onHang?.();
      while (!(await res.wait(1000))) {
        /* until ATTENTION */
      }
      return;
    }
  }
  if (s.recoveryMs && (await res.wait(s.recoveryMs))) return;
  const pages = Math.ceil((h.files[0]?.sizeBytes ?? 8192) / 8192);
  res.info(
    4035,
    `Processed ${pages} pages for database '${target}', file '${h.files[0]?.logicalName ?? target}' on file 1.`,
  );
  res.info(3014, `RESTORE DATABASE successfully processed ${pages} pages in 0.100 seconds (80.000 MB/sec).`);
  Object.assign(d, {
    state: 'ONLINE',
    userAccess: 'MULTI_USER',
    sessions: 0,
    content: h.content,
    tables: h.tables,
    rows: h.rows,
  });
  rec.completed = true;
}

function checkDb(st: RestoreState, sql: string, res: Res): void {
  const name = identIn(sql, 'DBCC CHECKDB (') ?? '';
  const d = st.db(name);
  if (!d || d.state !== 'ONLINE')
    return res.error(
      2520,
      `Could not find database '${name}'. The database either does not exist, or was dropped before a statement tried to use it.`,
    );
  for (const e of d.checkDbErrors ?? st.o.checkDbErrors?.[name.toLowerCase()] ?? [])
    res.error(e.number, e.message, { severity: e.severity ?? 16 });
}

function totals(st: RestoreState, sql: string, res: Res): void {
  const name = identIn(sql, 'FROM ') ?? '';
  const d = st.db(name);
  if (!d || d.state !== 'ONLINE')
    return res.error(911, `Database '${name}' does not exist. Make sure that the name is entered correctly.`);
  res.rows(
    [
      { name: 'table_count', type: 'int' },
      { name: 'row_total', type: 'bigint' },
    ],
    [[d.tables ?? 0, d.rows ?? 0]],
  );
}

function drop(st: RestoreState, sql: string, res: Res): void {
  const name = identIn(sql, 'DROP DATABASE ') ?? '';
  const i = st.o.databases.findIndex((d) => d.name.toLowerCase() === name.toLowerCase());
  if (i < 0)
    return res.error(
      3701,
      `Cannot drop the database '${name}', because it does not exist or you do not have permission.`,
    );
  st.o.databases.splice(i, 1);
}

/** Handles a restore statement; false when the statement is not one of the restore's. */
export function restoreHandler(st: RestoreState): (sql: string, res: Res) => Promise<boolean> {
  return async (sql, res) => {
    if (sql.includes("IS_SRVROLEMEMBER(N'dbcreator')")) facts(st, res);
    else if (sql.includes('FROM sys.master_files AS mf INNER JOIN sys.databases')) targetFiles(st, sql, res);
    else if (sql.includes('FROM sys.databases AS d WHERE d.name IN (')) targets(st, sql, res);
    else if (sql.includes('sys.dm_os_volume_stats')) volumes(st, res);
    else if (sql.startsWith('RESTORE HEADERONLY')) await headerOnly(st, sql, res);
    else if (sql.startsWith('RESTORE FILELISTONLY')) await fileListOnly(st, sql, res);
    else if (sql.startsWith('ALTER DATABASE ')) alterAccess(st, sql, res);
    else if (sql.startsWith('RESTORE DATABASE ')) await restoreDatabase(st, sql, res);
    else if (sql.startsWith('DBCC CHECKDB')) checkDb(st, sql, res);
    else if (sql.includes('.sys.tables AS t')) totals(st, sql, res);
    else if (sql.startsWith('DROP DATABASE ')) drop(st, sql, res);
    else return false;
    return true;
  };
}
