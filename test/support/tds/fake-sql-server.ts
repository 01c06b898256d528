// TDS stand-in: a scripted "SQL Server" on top of tds-server.ts. It answers the statements the
// SQL Server step sends (matched by their text, names parsed back out of the quoted literals the
// way SQL Server's parser would), writes fake .bak files into a temp "server folder", reports
// progress like BACKUP ... WITH STATS does, keeps a backup history with LSNs, and injects the
// faults a test asks for. It is not SQL Server: a statement it does not know gets error 2812.
import { randomUUID } from 'node:crypto';
import { appendFile, access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { restoreHandler, type RestoreState } from './fake-restore.js';
import {
  BAK_MAGIC,
  type BakHeader,
  type FakeDatabase,
  type FakeDatabaseFile,
  type FakeRestore,
  type FakeSqlServerOptions,
} from './fake-types.js';
import { chunkOf, identIn, isSetupBatch, serverWallTime, stringIn } from './sql-text.js';
import { startTdsServer, type BatchResponse, type TdsServer } from './tds-server.js';

export type {
  BakHeader,
  FakeBackupScript,
  FakeDatabase,
  FakeDatabaseFile,
  FakeRestore,
  FakeRestoreScript,
  FakeSqlServerOptions,
} from './fake-types.js';
export { BAK_MAGIC } from './fake-types.js';

export interface FakeBackup {
  database: string;
  serverFile: string;
  localFile: string;
  statement: string;
  completed: boolean;
  /**
   * The stand-in's own consistency point for this backup: the end of the backup (what it reports as
   * backup_finish in msdb), on its clock, and the same instant on this machine's clock (the ground
   * truth a workload checker compares with).
   */
  point?: { serverWallTime: string; serverMs: number; localMs: number };
}

export interface FakeSqlServer {
  readonly tds: TdsServer;
  readonly port: number;
  readonly backups: FakeBackup[];
  readonly restores: FakeRestore[];
  /** The server's databases as they are now (tests change and inspect them). */
  readonly databases: FakeDatabase[];
  /** Scripts restores and CHECKDB for names known only later (a rehearsal's scratch names). */
  script(o: Pick<FakeSqlServerOptions, 'restoreScripts' | 'checkDbErrors'>): void;
  /** Batches received, without tedious' connection set-up batch. */
  statements(): string[];
  close(): Promise<void>;
}

export async function startFakeSqlServer(o: FakeSqlServerOptions): Promise<FakeSqlServer> {
  const clock = o.clock ?? { offsetMs: 0, tzMinutes: 0 };
  const backups: FakeBackup[] = [];
  const history = new Map<string, Record<string, string | number>>();
  let lsnBase = 37_000_000_012_300_001n;
  const db = (name: string | undefined): FakeDatabase | undefined =>
    o.databases.find((d) => d.name.toLowerCase() === (name ?? '').toLowerCase());
  const toLocal = (serverFile: string): string => {
    if (!serverFile.startsWith(o.serverDir))
      throw new Error(`stand-in: ${serverFile} is outside ${o.serverDir}`);
    return join(o.localDir, serverFile.slice(o.serverDir.length).replace(/^[\\/]+/, ''));
  };
  const restore: RestoreState = { o, db, toLocal, restores: [] };
  const onRestore = restoreHandler(restore);

  const handler = async (sql: string, res: BatchResponse): Promise<void> => {
    if (isSetupBatch(sql)) return;
    if (await onRestore(sql, res)) return;
    if (sql.includes("SERVERPROPERTY('ProductVersion')")) {
      res.rows(
        [
          { name: 'product_version', type: 'nvarchar' },
          { name: 'product_level', type: 'nvarchar' },
          { name: 'edition', type: 'nvarchar' },
          { name: 'engine_edition', type: 'int' },
          { name: 'server_name', type: 'nvarchar' },
          { name: 'login_name', type: 'nvarchar' },
          { name: 'is_sysadmin', type: 'int' },
          { name: 'can_verify', type: 'int' },
          { name: 'can_read_history', type: 'int' },
        ],
        [
          [
            o.version ?? '15.0.4316.3',
            'RTM',
            o.edition ?? 'Standard Edition (64-bit)',
            o.engineEdition ?? 2,
            'STANDIN\\OCTANE',
            res.login.domain ? `${res.login.domain}\\${res.login.userName}` : res.login.userName,
            o.isSysadmin ? 1 : 0,
            o.canVerify === false ? 0 : 1,
            o.canReadHistory === false ? 0 : 1,
          ],
        ],
      );
      return;
    }
    if (sql.includes('SYSDATETIMEOFFSET()')) {
      res.rows(
        [
          { name: 'local_time', type: 'nvarchar' },
          { name: 'tz_minutes', type: 'int' },
        ],
        [[serverWallTime(clock), clock.tzMinutes]],
      );
      return;
    }
    if (sql.includes('FROM sys.databases')) {
      res.rows(
        [
          { name: 'name', type: 'nvarchar' },
          { name: 'state', type: 'nvarchar' },
          { name: 'recovery_model', type: 'nvarchar' },
          { name: 'can_backup', type: 'int' },
          { name: 'allocated_bytes', type: 'bigint' },
        ],
        o.databases.map((d) => [
          d.name,
          d.state ?? 'ONLINE',
          d.recoveryModel ?? 'FULL',
          d.canBackup === false ? 0 : 1,
          d.usedBytes * 2,
        ]),
      );
      return;
    }
    if (sql.includes('.sys.allocation_units')) {
      const d = db(identIn(sql, 'FROM '));
      if (!d)
        return res.error(
          911,
          `Database '${identIn(sql, 'FROM ')}' does not exist. Make sure that the name is entered correctly.`,
        );
      res.rows([{ name: 'used_bytes', type: 'bigint' }], [[d.usedBytes]]);
      return;
    }
    if (sql.includes('.sys.database_files')) {
      const d = db(identIn(sql, 'FROM '));
      if (!d) return res.error(911, 'Database does not exist.');
      const desc = { D: 'ROWS', L: 'LOG', S: 'FILESTREAM', F: 'FULLTEXT' } as const;
      res.rows(
        [
          { name: 'logical_name', type: 'nvarchar' },
          { name: 'physical_name', type: 'nvarchar' },
          { name: 'type', type: 'nvarchar' },
          { name: 'size_bytes', type: 'bigint' },
        ],
        filesOf(d).map((f) => [f.logicalName, f.physicalName, desc[f.type], f.sizeBytes]),
      );
      return;
    }
    if (sql.includes('sys.dm_os_file_exists')) {
      if (o.noFileExistsDmv) return res.error(208, "Invalid object name 'sys.dm_os_file_exists'.");
      const asked = stringIn(sql, 'sys.dm_os_file_exists(') ?? '';
      const known = o.serverFolders?.map((f) => f.replace(/[\\/]+$/, '').toLowerCase());
      const ok = known
        ? known.includes(asked.replace(/[\\/]+$/, '').toLowerCase())
        : o.folderExists !== false;
      res.rows(
        [
          { name: 'file_exists', type: 'int' },
          { name: 'is_directory', type: 'int' },
          { name: 'parent_exists', type: 'int' },
        ],
        [[0, ok ? 1 : 0, 1]],
      );
      return;
    }
    if (sql.startsWith('BACKUP DATABASE [model]')) {
      if (o.probeFails) return o.probeFails.forEach((e) => res.error(e.number, e.message));
      const file = stringIn(sql, 'TO DISK = ') as string;
      await writeFile(toLocal(file), chunkOf('probe', 4096));
      res.info(3014, 'BACKUP DATABASE successfully processed 330 pages in 0.020 seconds (128.906 MB/sec).');
      return;
    }
    if (sql.startsWith('BACKUP DATABASE ')) return backup(sql, res);
    if (sql.startsWith('RESTORE VERIFYONLY')) {
      if (o.canVerify === false) {
        res.error(262, "CREATE DATABASE permission denied in database 'master'.", { severity: 14 });
        res.error(3013, 'VERIFY DATABASE is terminating abnormally.');
        return;
      }
      const file = stringIn(sql, 'FROM DISK = ') as string;
      try {
        await access(toLocal(file));
      } catch {
        res.error(
          3201,
          `Cannot open backup device '${file}'. Operating system error 2(The system cannot find the file specified.).`,
        );
        res.error(3013, 'VERIFY DATABASE is terminating abnormally.');
        return;
      }
      for (const p of [25, 50, 75, 100]) res.info(3211, `${p} percent processed.`);
      res.info(3262, 'The backup set on file 1 is valid.');
      return;
    }
    if (sql.includes('FROM msdb.dbo.backupset')) {
      if (o.canReadHistory === false) {
        res.error(
          229,
          "The SELECT permission was denied on the object 'backupset', database 'msdb', schema 'dbo'.",
          { severity: 14 },
        );
        return;
      }
      const h = history.get(stringIn(sql, 'physical_device_name = ') ?? '');
      const cols = [
        'first_lsn',
        'last_lsn',
        'checkpoint_lsn',
        'database_backup_lsn',
        'backup_size',
        'compressed_backup_size',
        'backup_start',
        'backup_finish',
      ].map((name) => ({ name, type: 'nvarchar' as const }));
      const ints = ['time_zone', 'is_copy_only', 'has_checksums'].map((name) => ({
        name,
        type: 'int' as const,
      }));
      const uuid = { name: 'backup_set_uuid', type: 'nvarchar' as const };
      const all = [...cols, ...ints, uuid];
      res.rows(all, h ? [all.map((c) => h[c.name] ?? null)] : []);
      return;
    }
    res.error(2812, `TDS stand-in: this statement is not scripted: ${sql.slice(0, 200)}`);
  };

  async function backup(sql: string, res: BatchResponse): Promise<void> {
    const name = identIn(sql, 'BACKUP DATABASE ') as string;
    const d = db(name);
    const serverFile = stringIn(sql, 'TO DISK = ') as string;
    if (!d) {
      res.error(911, `Database '${name}' does not exist. Make sure that the name is entered correctly.`);
      res.error(3013, 'BACKUP DATABASE is terminating abnormally.');
      return;
    }
    const s = d.backup ?? {};
    if (s.fail) return s.fail.forEach((e) => res.error(e.number, e.message, { severity: e.severity ?? 16 }));
    if (!sql.includes('COPY_ONLY') || !sql.includes('CHECKSUM'))
      throw new Error('stand-in: backups must be COPY_ONLY with CHECKSUM');
    if (o.engineEdition === 4 && sql.includes('COMPRESSION')) {
      res.error(1844, 'BACKUP DATABASE WITH COMPRESSION is not supported on Express Edition (64-bit).');
      res.error(3013, 'BACKUP DATABASE is terminating abnormally.');
      return;
    }
    const localFile = toLocal(serverFile);
    const rec: FakeBackup = { database: d.name, serverFile, localFile, statement: sql, completed: false };
    backups.push(rec);
    const total = s.bakBytes ?? 256 * 1024;
    const start = serverWallTime(clock);
    const guid = randomUUID().toUpperCase();
    const header: BakHeader = {
      database: d.name,
      guid,
      versionMajor: Number((o.version ?? '15.0').split('.')[0]),
      content: d.content ?? `original ${d.name}`,
      files: filesOf(d),
      tables: d.tables ?? 0,
      rows: d.rows ?? 0,
    };
    await writeFile(localFile, Buffer.from(`${BAK_MAGIC}${JSON.stringify(header)}\n`));
    let written = 0;
    for (const p of s.percents ?? [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]) {
      const wait = s.pauseBefore?.percent === p ? s.pauseBefore.ms : (s.stepMs ?? 5);
      if (await res.wait(wait)) return; // cancelled: the partial file stays, as it may on a real server
      const upTo = Math.floor((total * p) / 100);
      await appendFile(localFile, chunkOf(`${d.name}:${p}`, Math.max(0, upTo - written)));
      written = Math.max(written, upTo);
      res.info(3211, `${p} percent processed.`);
      await res.flush();
      if (s.dropAfterPercent === p) return res.drop();
      if (s.hangAfterPercent === p) {
        s.onHang?.();
        while (!(await res.wait(1000))) {
          /* until ATTENTION */
        }
        return;
      }
    }
    const pages = Math.ceil(d.usedBytes / 8192);
    res.info(4035, `Processed ${pages} pages for database '${d.name}', file '${d.name}' on file 1.`);
    res.info(3014, `BACKUP DATABASE successfully processed ${pages} pages in 0.100 seconds (80.000 MB/sec).`);
    rec.completed = true;
    const localMs = Date.now();
    const finish = serverWallTime(clock, localMs);
    rec.point = { serverWallTime: finish, serverMs: localMs + clock.offsetMs, localMs };
    const first = lsnBase;
    lsnBase += 1_000_000_000n;
    history.set(serverFile, {
      first_lsn: first.toString(),
      last_lsn: (first + 200_000n).toString(),
      checkpoint_lsn: (first + 100_000n).toString(),
      database_backup_lsn: '35000000001000037',
      backup_size: String(d.usedBytes + 100_000),
      compressed_backup_size: String(total),
      backup_start: start,
      backup_finish: finish,
      time_zone: clock.tzMinutes / 15,
      is_copy_only: 1,
      has_checksums: 1,
      backup_set_uuid: guid,
    });
  }

  function filesOf(d: FakeDatabase): FakeDatabaseFile[] {
    d.files ??= [
      { logicalName: d.name, physicalName: `D:\\Data\\${d.name}.mdf`, type: 'D', sizeBytes: d.usedBytes },
      {
        logicalName: `${d.name}_log`,
        physicalName: `L:\\Log\\${d.name}_log.ldf`,
        type: 'L',
        sizeBytes: Math.ceil(d.usedBytes / 4),
      },
    ];
    return d.files;
  }

  const tdsOpts: Parameters<typeof startTdsServer>[0] = { handler };
  if (o.authenticate) tdsOpts.authenticate = o.authenticate;
  const tds = await startTdsServer(tdsOpts);
  return {
    tds,
    port: tds.port,
    backups,
    restores: restore.restores,
    databases: o.databases,
    script: (x) => {
      o.restoreScripts = { ...o.restoreScripts, ...x.restoreScripts };
      o.checkDbErrors = { ...o.checkDbErrors, ...x.checkDbErrors };
    },
    statements: () => tds.batches.filter((b) => !isSetupBatch(b)),
    close: () => tds.close(),
  };
}
