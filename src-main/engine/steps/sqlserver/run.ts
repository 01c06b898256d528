// The SQL Server step's run: connect, learn the server, check every chosen database before
// touching any, then back them up one after the other (site and space databases are separate
// databases on SQL Server), and record what the set needs to be trusted and restored.
import { basename } from 'node:path';
import type { ConsistencyPoint, DatabasePoint } from '../../../contract/manifest.js';
import type { SqlServerConfig } from '../../../contract/profile.js';
import { type StepContext } from '../../step.js';
import { isAbortError, ExpectedError } from '../../errors.js';
import { backupDatabase, type DatabaseJob, type DatabaseResult, type RunEnv } from './backup-database.js';
import { serverLabel, SqlSession } from './connection.js';
import { mapSqlError } from './errors.js';
import { ProgressPlan } from './progress-plan.js';
import {
  readClock,
  readDatabaseFiles,
  readDatabases,
  readServerFacts,
  readUsedBytes,
  type DatabaseFile,
  type DatabaseRow,
  type Querier,
} from './queries.js';
import { restoreScript } from './restore-script.js';
import { backupFileName, isAbsoluteServerDir, MAX_NAME_LENGTH, serverPath } from './tsql.js';

export function sqlServerConfigOf(ctx: { profile: { database?: unknown } }): SqlServerConfig {
  const cfg = ctx.profile.database as SqlServerConfig | undefined;
  if (!cfg || cfg.engine !== 'sqlserver')
    throw new ExpectedError('SQLSERVER_NOT_CONFIGURED', 'The profile has no SQL Server database section.', {
      step: 'database',
    });
  return cfg;
}

export function checkLocalConfig(cfg: SqlServerConfig): void {
  if (!isAbsoluteServerDir(cfg.serverBackupDir))
    throw new ExpectedError(
      'SQLSERVER_BACKUP_DIR_INVALID',
      `serverBackupDir "${cfg.serverBackupDir}" is not an absolute folder on the SQL Server host.`,
      {
        step: 'database',
        fix: 'Give a full path as the SQL Server host sees it, e.g. D:\\Backups, \\\\fileserver\\sql-backups or /var/opt/mssql/backup.',
      },
    );
  for (const name of cfg.databases)
    if (name.length > MAX_NAME_LENGTH)
      throw new ExpectedError(
        'SQLSERVER_DATABASE_NAME_INVALID',
        `"${name.slice(0, 40)}..." is longer than SQL Server's 128 characters.`,
        {
          step: 'database',
          fix: 'Correct the database name in the profile.',
        },
      );
}

/** Matches the chosen names to the server's databases; anything missing or unusable stops the run. */
export function resolveDatabases(chosen: string[], rows: DatabaseRow[], server: string): DatabaseRow[] {
  const out: DatabaseRow[] = [];
  for (const name of chosen) {
    const row =
      rows.find((r) => r.name === name) ?? rows.find((r) => r.name.toLowerCase() === name.toLowerCase());
    if (!row)
      throw new ExpectedError(
        'SQLSERVER_DATABASE_MISSING',
        `The database "${name}" chosen in the profile does not exist on ${server} (renamed or dropped?). Nothing was backed up.`,
        {
          step: 'database',
          details: { database: name, found: rows.map((r) => r.name) },
          fix: 'Use "Discover databases" in the profile, tick the current Octane site and space databases, and run again.',
        },
      );
    if (row.state !== 'ONLINE')
      throw new ExpectedError(
        'SQLSERVER_DATABASE_UNAVAILABLE',
        `The database "${row.name}" on ${server} is ${row.state}, not ONLINE. Nothing was backed up.`,
        {
          step: 'database',
          details: { database: row.name, state: row.state },
          fix: 'Bring the database online on the server (or remove it from the profile if Octane no longer uses it), then run again.',
        },
      );
    if (!row.canBackup)
      throw new ExpectedError(
        'SQLSERVER_PERMISSION_DENIED',
        `The login may not back up "${row.name}" (it lacks the BACKUP DATABASE permission there). Nothing was backed up.`,
        {
          step: 'database',
          details: { database: row.name },
          fix: `Ask the DBA to add the login to db_backupoperator in that database: USE [${row.name.replace(/]/g, ']]')}]; ALTER ROLE db_backupoperator ADD MEMBER [<login>];`,
        },
      );
    out.push(row);
  }
  return out;
}

export async function runSqlServerBackup(ctx: StepContext): Promise<void> {
  const cfg = sqlServerConfigOf(ctx);
  checkLocalConfig(cfg);
  const serverText = serverLabel(cfg);
  const setName = basename(ctx.out.setRoot) || new Date().toISOString().replace(/[-:.]/g, '');
  const connCtx = {
    phase: 'connect' as const,
    server: serverText,
    ...(cfg.user ? { user: cfg.user } : {}),
    ...(cfg.domain ? { domain: cfg.domain } : {}),
  };
  ctx.record.detail('connection', {
    server: cfg.server,
    port: cfg.port,
    instance: cfg.instance,
    user: cfg.user,
    domain: cfg.domain,
    authentication: cfg.domain ? 'windows (NTLM)' : 'sql',
    encrypt: cfg.encrypt ?? true,
    trustServerCertificate: cfg.trustServerCertificate ?? false,
  });
  ctx.progress.report(0, { message: `Connecting to ${serverText}` });
  let session: SqlSession;
  try {
    session = await SqlSession.open(cfg, ctx.secrets, ctx.signal);
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw mapSqlError(err, connCtx);
  }
  const q: Querier = { session, signal: ctx.signal, onStatement: (s) => ctx.record.statement(s) };
  try {
    await backupAll(ctx, cfg, q, serverText, setName);
  } catch (err) {
    if (isAbortError(err) || err instanceof ExpectedError || ctx.signal.aborted) throw err;
    throw mapSqlError(err, { ...connCtx, phase: 'query' });
  } finally {
    await session.close();
  }
}

async function backupAll(
  ctx: StepContext,
  cfg: SqlServerConfig,
  q: Querier,
  serverText: string,
  setName: string,
): Promise<void> {
  const facts = await readServerFacts(q);
  ctx.record.server({
    engine: 'sqlserver',
    version: `${facts.productVersion} ${facts.productLevel}`.trim(),
    edition: facts.edition,
    name: facts.serverName,
  });
  ctx.record.detail('server', { ...facts });
  const clock = await readClock(q);
  ctx.clock.measure(clock.dbTime, clock.localBefore, clock.localAfter);
  if (!facts.compression)
    ctx.log.info(`${facts.edition} has no backup compression: backups are written uncompressed.`);

  const chosen = resolveDatabases(cfg.databases, await readDatabases(q), serverText);
  const sizes: (number | undefined)[] = [];
  for (const d of chosen) sizes.push((await readUsedBytes(q, d.name)) ?? d.allocatedBytes ?? undefined);
  const plan = new ProgressPlan(sizes, { verify: cfg.verify !== false, copy: !!cfg.copyFrom });
  ctx.record.detail('serverBackupDir', cfg.serverBackupDir);
  if (cfg.copyFrom) ctx.record.detail('copyFrom', cfg.copyFrom);
  ctx.record.detail(
    'databaseList',
    chosen.map((d) => d.name),
  );

  const points = new DatabasePoints(ctx, facts.serverName || serverText);
  const env: RunEnv = {
    ctx,
    q,
    cfg,
    facts,
    plan,
    serverText,
    setName,
    verify: { enabled: true },
    onBackedUp: (job, result) => points.add(job, result),
  };
  const results: DatabaseResult[] = [];
  const files: (DatabaseFile[] | undefined)[] = [];
  // Recorded by reference and filled as databases finish: a failed run's manifest still lists them.
  ctx.record.detail('databases', results);
  for (const [index, d] of chosen.entries()) {
    const fileName = backupFileName(d.name, setName);
    const job: DatabaseJob = {
      index,
      count: chosen.length,
      name: d.name,
      fileName,
      serverFile: serverPath(cfg.serverBackupDir, fileName),
    };
    files.push(
      await readDatabaseFiles(q, d.name).catch((err: unknown) => {
        if (ctx.signal.aborted) throw err;
        return undefined;
      }),
    );
    const result = await backupDatabase(env, job);
    const dbFiles = files.at(-1);
    if (dbFiles) result.files = dbFiles;
    results.push(result);
    ctx.log.info(
      `Backed up ${d.name} → ${job.serverFile}${results.at(-1)?.file ? ` (copied to ${results.at(-1)?.file})` : ''}.`,
    );
  }

  const entries = results.map((r, i) => ({
    name: r.name,
    fileName: r.file ? basename(r.file) : backupFileName(r.name, setName),
    serverFile: r.serverFile,
    files: files[i],
  }));
  await ctx.out.writeFile(
    'restore.sql',
    restoreScript(setName, facts.serverName || serverText, entries),
    'T-SQL to restore the databases of this set',
  );
  ctx.progress.report(1, {
    itemsDone: results.length,
    itemsTotal: results.length,
    message: `${results.length} database(s) backed up`,
  });
}

/**
 * Each database's own point (the end of its backup, with its LSNs) and, once the last backup has
 * ended, the step's consistency point: the latest of them. The databases are backed up one after
 * the other and are not mutually consistent; the spread says how far apart they are. The point is
 * recorded before the last database's verify and copy, so the next store's capture need not wait
 * for them.
 */
class DatabasePoints {
  private readonly points: DatabasePoint[] = [];

  constructor(
    private readonly ctx: StepContext,
    private readonly server: string,
  ) {}

  add(job: DatabaseJob, r: DatabaseResult): void {
    const h = r.history;
    const p: DatabasePoint = { name: r.name, time: h?.backupFinish ?? r.dbClockAfter };
    if (h) p.lsn = { first: h.firstLsn, last: h.lastLsn, databaseBackup: h.databaseBackupLsn };
    this.points.push(p);
    if (job.index === job.count - 1) this.record(r);
  }

  private record(last: DatabaseResult): void {
    const first = this.points[0] as DatabasePoint;
    const lastPoint = this.points.at(-1) as DatabasePoint;
    const spread = (Date.parse(lastPoint.time) - Date.parse(first.time)) / 1000;
    const h = last.history;
    const point: ConsistencyPoint = {
      time: lastPoint.time,
      databases: this.points,
      spreadSeconds: Number.isFinite(spread) ? Math.max(0, Math.round(spread * 1000) / 1000) : 0,
      description: h?.backupFinish
        ? `End of the COPY_ONLY backup of "${last.name}", the last of ${this.points.length} database(s) (backup_finish_date in msdb.dbo.backupset on ${this.server}).`
        : `DB clock right after the COPY_ONLY backup of "${last.name}", the last of ${this.points.length} database(s) (the backup history was not readable).`,
    };
    if (h) point.lsn = { first: h.firstLsn, last: h.lastLsn, databaseBackup: h.databaseBackupLsn };
    if (this.points.length > 1)
      this.ctx.log.info(
        `The ${this.points.length} databases were backed up one after the other: their points are ${point.spreadSeconds} s apart (${this.points.map((x) => `${x.name} ${x.time}`).join(', ')}).`,
      );
    this.ctx.record.consistencyPoint(point);
  }
}
