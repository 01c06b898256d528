// Preflight: everything that can be checked before the night's run, each failure with its fix.
// The backup folder is tested the way the backup will use it: SQL Server's service account
// writes a COPY_ONLY backup of the tiny model database to a fixed probe name there (see
// docs/sqlserver.md for why a DBA can accept that), and this PC looks for it through copyFrom.
import { formatBytes } from '../../../contract/format.js';
import { statfs, rm, access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PreflightCheck } from '../../../contract/preflight.js';
import type { SqlServerConfig } from '../../../contract/profile.js';
import { destinationFor } from '../../backup-set/set-layout.js';
import { type PreflightContext } from '../../step.js';
import { isAbortError, ExpectedError } from '../../errors.js';
import { serverLabel, SqlSession } from './connection.js';
import { mapSqlError, sqlMessages } from './errors.js';
import {
  query,
  readDatabases,
  readServerFacts,
  readUsedBytes,
  type Querier,
  type ServerFacts,
} from './queries.js';
import { checkLocalConfig, resolveDatabases } from './run.js';
import { folderExistsStatement, PROBE_FILE_NAME, probeStatement, serverPath } from './tsql.js';

type Check = Omit<PreflightCheck, 'component'>;

function fromError(
  id: string,
  title: string,
  err: ExpectedError,
  status: 'failed' | 'warning' = 'failed',
): Check {
  const c: Check = { id, title, status, message: err.message };
  if (err.fix) c.fix = err.fix;
  return c;
}

async function freeBytes(path: string): Promise<number | undefined> {
  for (let p = path, i = 0; i < 32; p = dirname(p), i++) {
    try {
      const s = await statfs(p);
      return s.bavail * s.bsize;
    } catch {
      if (dirname(p) === p) return undefined;
    }
  }
  return undefined;
}

export async function sqlServerPreflight(ctx: PreflightContext): Promise<PreflightCheck[]> {
  const checks: Check[] = [];
  const cfg = ctx.profile.database as SqlServerConfig;
  const server = serverLabel(cfg);
  try {
    checkLocalConfig(cfg);
  } catch (err) {
    if (err instanceof ExpectedError) checks.push(fromError('sqlserver.config', 'SQL Server settings', err));
    else throw err;
  }
  let session: SqlSession;
  try {
    session = await SqlSession.open(cfg, ctx.secrets, ctx.signal);
  } catch (err) {
    if (isAbortError(err)) throw err;
    const e = mapSqlError(err, {
      phase: 'connect',
      server,
      ...(cfg.user ? { user: cfg.user } : {}),
      ...(cfg.domain ? { domain: cfg.domain } : {}),
    });
    checks.push(fromError('sqlserver.connection', `Connection to ${server}`, e));
    return checks.map((c) => ({ ...c, component: 'database' }));
  }
  const q: Querier = { session, signal: ctx.signal };
  try {
    const facts = await readServerFacts(q);
    checks.push({
      id: 'sqlserver.connection',
      title: `Connection to ${server}`,
      status: 'ok',
      message: `Logged in as ${facts.loginName}${facts.isSysadmin ? ' (sysadmin)' : ''}.`,
    });
    checks.push({
      id: 'sqlserver.edition',
      title: 'SQL Server edition',
      status: 'ok',
      message: `SQL Server ${facts.productVersion} ${facts.productLevel}, ${facts.edition}: backups are ${facts.compression ? 'compressed' : 'not compressed (this edition has no backup compression)'}.`,
    });
    await databaseChecks(q, cfg, server, checks);
    rightsChecks(facts, cfg, checks);
    await folderChecks(q, cfg, facts, checks);
    await spaceChecks(q, ctx, cfg, checks);
  } catch (err) {
    if (isAbortError(err) || ctx.signal.aborted) throw err;
    const e = err instanceof ExpectedError ? err : mapSqlError(err, { phase: 'query', server });
    checks.push(fromError('sqlserver.query', 'Reading the server', e));
  } finally {
    await session.close();
  }
  return checks.map((c) => ({ ...c, component: 'database' }));
}

async function databaseChecks(
  q: Querier,
  cfg: SqlServerConfig,
  server: string,
  checks: Check[],
): Promise<void> {
  const rows = await readDatabases(q);
  for (const name of cfg.databases) {
    try {
      const [row] = resolveDatabases([name], rows, server);
      checks.push({
        id: `sqlserver.database.${name}`,
        title: `Database ${name}`,
        status: 'ok',
        message: `${row?.name ?? name} is ONLINE and the login may back it up.`,
      });
    } catch (err) {
      if (!(err instanceof ExpectedError)) throw err;
      checks.push(fromError(`sqlserver.database.${name}`, `Database ${name}`, err));
    }
  }
}

function rightsChecks(facts: ServerFacts, cfg: SqlServerConfig, checks: Check[]): void {
  const login = facts.loginName || cfg.user || '<login>';
  if (cfg.verify !== false)
    checks.push(
      facts.canVerify
        ? {
            id: 'sqlserver.verify-right',
            title: 'Right to verify backups',
            status: 'ok',
            message: 'The login may run RESTORE VERIFYONLY.',
          }
        : {
            id: 'sqlserver.verify-right',
            title: 'Right to verify backups',
            status: 'warning',
            message:
              'The login lacks CREATE DATABASE, which RESTORE VERIFYONLY needs: backups will be written WITH CHECKSUM but not read back.',
            fix: `Ask the DBA: USE master; GRANT CREATE DATABASE TO [${login}]; (or add the login to dbcreator). Or set verify to false.`,
          },
    );
  checks.push(
    facts.canReadHistory
      ? {
          id: 'sqlserver.history-right',
          title: 'Backup history',
          status: 'ok',
          message: 'The login may read msdb.dbo.backupset (LSNs and finish times).',
        }
      : {
          id: 'sqlserver.history-right',
          title: 'Backup history',
          status: 'warning',
          message:
            'The login may not read msdb.dbo.backupset: the set would lack LSNs and the exact backup finish time.',
          fix: `Ask the DBA: USE msdb; GRANT SELECT ON dbo.backupset TO [${login}]; GRANT SELECT ON dbo.backupmediafamily TO [${login}];`,
        },
  );
}

async function folderChecks(
  q: Querier,
  cfg: SqlServerConfig,
  facts: ServerFacts,
  checks: Check[],
): Promise<void> {
  const dir = cfg.serverBackupDir;
  const title = `Backup folder ${dir} on the SQL Server host`;
  if (Number(facts.productVersion.split('.')[0]) >= 14) {
    try {
      const [r] = await query<Record<string, unknown>>(q, folderExistsStatement(dir));
      if (r && Number(r.is_directory) !== 1) {
        checks.push({
          id: 'sqlserver.backup-folder',
          title,
          status: 'failed',
          message: `SQL Server does not see a folder ${dir} on its host.`,
          fix: `Create ${dir} on the SQL Server host, or use a UNC path (\\\\server\\share\\folder): mapped drive letters and this PC's folders are invisible to the SQL Server service.`,
        });
        return;
      }
    } catch (err) {
      if (q.signal.aborted) throw err;
      // sys.dm_os_file_exists needs VIEW SERVER STATE; the write test below still tells.
    }
  }
  const probe = serverPath(dir, PROBE_FILE_NAME);
  try {
    await query(q, probeStatement(probe), { timeoutMs: 120_000 });
  } catch (err) {
    if (q.signal.aborted) throw err;
    if (sqlMessages(err).some((m) => m.number === 262)) {
      checks.push({
        id: 'sqlserver.write-test',
        title,
        status: 'warning',
        message:
          'The write test could not run: it backs up the tiny model database, and this login may not. The first backup will show whether SQL Server can write there.',
        fix: 'Optional: let the DBA add the login to db_backupoperator in model, or check by hand that the SQL Server service account can write to the folder.',
      });
      return;
    }
    checks.push(
      fromError(
        'sqlserver.write-test',
        title,
        mapSqlError(err, { phase: 'probe', server: serverLabel(cfg), database: 'model', serverDir: dir }),
      ),
    );
    return;
  }
  checks.push({
    id: 'sqlserver.write-test',
    title,
    status: 'ok',
    message: `The SQL Server service wrote ${probe}.`,
  });
  if (!cfg.copyFrom) {
    checks.push({
      id: 'sqlserver.copy-from',
      title: 'Copying backups into the set',
      status: 'warning',
      message:
        'No copyFrom folder is set: the .bak files stay on the SQL Server host and are not in the backup sets.',
      fix: `Share ${dir} (read access for the account that runs the backups) and set copyFrom to that share.`,
    });
    return;
  }
  const seen = join(cfg.copyFrom, PROBE_FILE_NAME);
  try {
    await access(seen);
    await rm(seen, { force: true });
    checks.push({
      id: 'sqlserver.copy-from',
      title: 'Copying backups into the set',
      status: 'ok',
      message: `${cfg.copyFrom} shows the server's backup folder.`,
    });
  } catch {
    checks.push({
      id: 'sqlserver.copy-from',
      title: 'Copying backups into the set',
      status: 'failed',
      message: `SQL Server wrote ${probe}, but it is not visible at ${seen}: copyFrom is not the same folder as serverBackupDir.`,
      fix: `Set copyFrom to ${dir} as this PC sees it (e.g. \\\\<sql-host>\\<share>), readable by the account that runs the backups.`,
    });
  }
}

async function spaceChecks(
  q: Querier,
  ctx: PreflightContext,
  cfg: SqlServerConfig,
  checks: Check[],
): Promise<void> {
  let need = 0;
  for (const name of cfg.databases) need += (await readUsedBytes(q, name)) ?? 0;
  if (need === 0) return;
  const est = `The chosen databases use about ${formatBytes(need)} (used pages; a compressed backup is usually smaller).`;
  const places: [string, string | undefined][] = [['destination', destinationFor(ctx.profile, 'database')]];
  if (cfg.copyFrom) places.unshift(['server backup folder', cfg.copyFrom]);
  for (const [what, path] of places) {
    if (!path) continue;
    const free = await freeBytes(path);
    if (free === undefined) continue;
    const id = `sqlserver.space.${what.replace(/ /g, '-')}`;
    checks.push(
      free >= need
        ? {
            id,
            title: `Free space in the ${what}`,
            status: 'ok',
            message: `${est} ${formatBytes(free)} free at ${path}.`,
          }
        : {
            id,
            title: `Free space in the ${what}`,
            status: 'warning',
            message: `${est} Only ${formatBytes(free)} free at ${path}.`,
            fix: `Free space at ${path} or choose a larger ${what}.`,
          },
    );
  }
  if (!cfg.copyFrom)
    checks.push({
      id: 'sqlserver.space.server-backup-folder',
      title: 'Free space in the server backup folder',
      status: 'warning',
      message: `${est} Free space on the SQL Server host cannot be checked from here without copyFrom.`,
      fix: 'Check the free space of the backup folder on the SQL Server host.',
    });
}
