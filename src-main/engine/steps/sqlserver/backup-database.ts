// One database: BACKUP on the server (progress from its STATS messages), its history row,
// RESTORE VERIFYONLY, then the copy of the .bak into the set (hashed on the way).
import { rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { InfoMessage } from 'mssql';
import type { SqlServerConfig } from '../../../contract/profile.js';
import { hashFile } from '../../backup-set/verify.js';
import { type StepContext } from '../../step.js';
import { isAbortError, ExpectedError } from '../../errors.js';
import { NO_TIMEOUT } from './connection.js';
import { mapSqlError, sqlMessages, type SqlFailureContext } from './errors.js';
import { percentOf, type Phase, type ProgressPlan } from './progress-plan.js';
import {
  query,
  readClock,
  readHistory,
  type ClockReading,
  type DatabaseFile,
  type HistoryRow,
  type Querier,
  type ServerFacts,
} from './queries.js';
import { backupStatement, verifyStatement } from './tsql.js';

export interface RunEnv {
  ctx: StepContext;
  q: Querier;
  cfg: SqlServerConfig;
  facts: ServerFacts;
  plan: ProgressPlan;
  serverText: string;
  setName: string;
  /** Turned off after the first "no right to verify" so the warning comes once. */
  verify: { enabled: boolean };
  /** The backup of a database ended (its history read), before its verify and copy. */
  onBackedUp?: (job: DatabaseJob, result: DatabaseResult) => void;
}

export interface DatabaseJob {
  index: number;
  count: number;
  name: string;
  fileName: string;
  serverFile: string;
}

export interface DatabaseResult {
  name: string;
  serverFile: string;
  /** Path of the .bak inside the set (relative), when it was copied. */
  file?: string;
  bytes?: number;
  sha256?: string;
  estimatedBytes: number;
  compression: boolean;
  dbClockBefore: string;
  dbClockAfter: string;
  history?: HistoryRow;
  /** 'passed', 'skipped' (not asked), 'not-permitted'. */
  verify: 'passed' | 'skipped' | 'not-permitted';
  serverCopyDeleted?: boolean;
  pagesReported?: number;
  /** The database's files at backup time (logical name, path, type, size): a restore plans MOVE and free space from them. */
  files?: DatabaseFile[];
}

function measure(env: RunEnv, c: ClockReading): void {
  env.ctx.clock.measure(c.dbTime, c.localBefore, c.localAfter);
}

/** Removes a partial file where this PC can reach it; says what happened in plain words. */
export async function removePartial(cfg: SqlServerConfig, job: DatabaseJob): Promise<string> {
  if (!cfg.copyFrom)
    return `The incomplete file may remain on the SQL Server host at ${job.serverFile}; delete it there.`;
  const local = join(cfg.copyFrom, job.fileName);
  const existed = await stat(local).then(
    () => true,
    () => false,
  );
  if (!existed) return 'No partial backup file was left in the backup folder.';
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await rm(local, { force: true });
      return 'The incomplete backup file was removed.';
    } catch {
      // The server may still hold the file open for a moment after the cancel.
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  return `The incomplete file could not be removed: delete ${job.serverFile} on the SQL Server host.`;
}

type Report = (phase: Phase, f: number, message: string, activity?: string) => void;

/** Backup, history, VERIFYONLY and copy of one database, each phase its share of the progress. */
export async function backupDatabase(env: RunEnv, job: DatabaseJob): Promise<DatabaseResult> {
  const { ctx, cfg, plan } = env;
  const report: Report = (phase, f, message, activity) => {
    const fraction = plan.fraction(job.index, phase, f);
    const counters: Parameters<StepContext['progress']['report']>[1] = {
      itemsDone: job.index,
      itemsTotal: job.count,
      message,
    };
    if (plan.bytesKnown) {
      counters.bytesDone = Math.round(fraction * plan.totalBytes);
      counters.bytesTotal = Math.round(plan.totalBytes);
    }
    if (activity) counters.activity = activity;
    ctx.progress.report(fraction, counters);
  };
  const which = `${job.name} (${job.index + 1} of ${job.count})`;
  const { result, tzMinutes } = await backUpOnServer(env, job, report, which);
  await recordHistory(env, job, result, tzMinutes);
  env.onBackedUp?.(job, result);
  if (cfg.verify !== false && env.verify.enabled) await verifyOnServer(env, job, result, report, which);
  if (!cfg.copyFrom) {
    ctx.record.warn(
      'SQLSERVER_BAK_NOT_IN_SET',
      `The backup of ${job.name} stays on the SQL Server host at ${job.serverFile}; it is NOT in this backup set. Fix: set copyFrom to that folder as this PC sees it (e.g. a share) so the tool copies it into the set.`,
      job.serverFile,
    );
    return result;
  }
  await copyIntoSet(env, job, result, (f) =>
    report('copy', f, `Copying ${job.fileName} into the set (${which})`),
  );
  return result;
}

function failureContext(env: RunEnv, job: DatabaseJob): SqlFailureContext {
  const c: SqlFailureContext = {
    phase: 'backup',
    server: env.serverText,
    database: job.name,
    serverDir: env.cfg.serverBackupDir,
    serverFile: job.serverFile,
  };
  if (env.cfg.user !== undefined) c.user = env.cfg.user;
  if (env.cfg.domain !== undefined) c.domain = env.cfg.domain;
  return c;
}

/** BACKUP DATABASE on the server, between two readings of the DB clock. */
async function backUpOnServer(
  env: RunEnv,
  job: DatabaseJob,
  report: Report,
  which: string,
): Promise<{ result: DatabaseResult; tzMinutes: number }> {
  const { ctx, cfg, plan, facts } = env;
  const before = await readClock(env.q);
  measure(env, before);
  const stmt = backupStatement({
    database: job.name,
    file: job.serverFile,
    compression: facts.compression,
    label: `octane-backup-manager ${env.setName}`,
  });
  let pages: number | undefined;
  const onInfo = (i: InfoMessage): void => {
    const p = i.number === 3211 ? Number(/\d+/.exec(i.message)?.[0] ?? NaN) : percentOf(i.message);
    if (p !== undefined && Number.isFinite(p)) report('backup', p / 100, `Backing up ${which}: ${p} %`, stmt);
    const done = /processed (\d+) pages/i.exec(i.message);
    if (i.number === 3014 && done?.[1]) pages = Number(done[1]);
  };
  report('backup', 0, `Backing up ${which}`, stmt);
  try {
    await query(env.q, stmt, { timeoutMs: NO_TIMEOUT, onInfo });
  } catch (err) {
    const cleanup = await removePartial(cfg, job);
    if (isAbortError(err) || ctx.signal.aborted) {
      ctx.log.warn(`Backup of ${job.name} cancelled on the server. ${cleanup}`);
      throw err;
    }
    ctx.log.error(`BACKUP of ${job.name} failed. ${cleanup}`);
    throw mapSqlError(err, { ...failureContext(env, job), cleanup });
  }
  const after = await readClock(env.q);
  measure(env, after);
  const result: DatabaseResult = {
    name: job.name,
    serverFile: job.serverFile,
    estimatedBytes: Math.round(plan.sizes[job.index] ?? 0),
    compression: facts.compression,
    dbClockBefore: before.dbTime,
    dbClockAfter: after.dbTime,
    verify: 'skipped',
  };
  if (pages !== undefined) result.pagesReported = pages;
  return { result, tzMinutes: after.tzMinutes };
}

/** LSNs and finish time from msdb; without them the set says so and keeps the DB clock reading. */
async function recordHistory(
  env: RunEnv,
  job: DatabaseJob,
  result: DatabaseResult,
  tzMinutes: number,
): Promise<void> {
  const { ctx } = env;
  try {
    const h = await readHistory(env.q, job.name, job.serverFile, tzMinutes);
    if (h) result.history = h;
    else
      ctx.record.warn(
        'SQLSERVER_NO_HISTORY',
        `No row for the backup of ${job.name} was found in msdb.dbo.backupset; its LSNs are not recorded.`,
        job.name,
      );
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    ctx.record.warn(
      'SQLSERVER_HISTORY_UNREADABLE',
      `The backup history (msdb.dbo.backupset) could not be read, so the LSNs of ${job.name} are not recorded and the consistency point is the DB clock right after the backup. Fix: GRANT SELECT ON msdb.dbo.backupset and msdb.dbo.backupmediafamily to the login. (${sqlMessages(err)[0]?.message ?? (err as Error).message})`,
      job.name,
    );
  }
}

/** RESTORE VERIFYONLY; a login without the right to read backups gets a warning with the grant to ask for. */
async function verifyOnServer(
  env: RunEnv,
  job: DatabaseJob,
  result: DatabaseResult,
  report: Report,
  which: string,
): Promise<void> {
  const { ctx, cfg, facts } = env;
  const v = verifyStatement(job.serverFile);
  report('verify', 0, `Verifying the backup of ${which}`, v);
  try {
    await query(env.q, v, {
      timeoutMs: NO_TIMEOUT,
      onInfo: (i) => {
        const p = percentOf(i.message);
        if (p !== undefined) report('verify', p / 100, `Verifying the backup of ${which}: ${p} %`, v);
      },
    });
    result.verify = 'passed';
  } catch (err) {
    if (isAbortError(err) || ctx.signal.aborted) throw err;
    if (!sqlMessages(err).some((m) => m.number === 262))
      throw mapSqlError(err, { ...failureContext(env, job), phase: 'verify' });
    env.verify.enabled = false;
    result.verify = 'not-permitted';
    ctx.record.warn(
      'SQLSERVER_VERIFY_NOT_PERMITTED',
      `RESTORE VERIFYONLY was not run: the login ${facts.loginName || cfg.user || ''} lacks the CREATE DATABASE permission, which SQL Server requires to read backup files. The backups were written WITH CHECKSUM but not read back. Fix: ask the DBA to run "USE master; GRANT CREATE DATABASE TO [${facts.loginName || cfg.user || 'login'}];" (or add the login to dbcreator), or set verify to false.`,
    );
  }
}

async function copyIntoSet(
  env: RunEnv,
  job: DatabaseJob,
  result: DatabaseResult,
  onFraction: (f: number) => void,
): Promise<void> {
  const { ctx, cfg } = env;
  const src = join(cfg.copyFrom as string, job.fileName);
  let size: number;
  try {
    size = (await stat(src)).size;
  } catch (err) {
    throw new ExpectedError(
      'SQLSERVER_COPY_SOURCE_MISSING',
      `SQL Server wrote ${job.serverFile}, but this PC cannot see it at ${src} (${(err as { code?: string }).code ?? (err as Error).message}).`,
      {
        step: 'database',
        cause: err,
        details: { serverFile: job.serverFile, copyFrom: cfg.copyFrom },
        fix: `copyFrom must be the same folder as serverBackupDir (${cfg.serverBackupDir}) as this PC sees it, e.g. \\\\<sql-host>\\<share> for a shared folder, and the account running the backup needs read access to it.`,
      },
    );
  }
  const record = await ctx.out
    .copyFile(src, job.fileName, {
      signal: ctx.signal,
      onBytes: (n) => onFraction(size > 0 ? n / size : 1),
      description: `SQL Server COPY_ONLY backup of ${job.name}`,
      expectedBytes: size,
    })
    .catch((err: unknown) => {
      if (isAbortError(err) || ctx.signal.aborted || err instanceof ExpectedError) throw err;
      throw new ExpectedError(
        'SQLSERVER_COPY_SOURCE_UNREADABLE',
        `Reading ${src} failed: ${(err as Error).message}`,
        {
          step: 'database',
          cause: err,
          fix: 'Give the account that runs the backup read access to the copyFrom folder, and check the network to it.',
        },
      );
    });
  result.file = record.path;
  result.bytes = record.bytes;
  result.sha256 = record.sha256;
  if (!cfg.deleteServerCopy) return;
  // Only after the copy reads back with the same SHA-256 is the server's file given up.
  const again = (await hashFile(ctx.out.absPath(job.fileName), ctx.signal)).sha256;
  if (again !== record.sha256)
    throw new ExpectedError(
      'SQLSERVER_COPY_MISMATCH',
      `The copy of ${job.fileName} in the set does not read back with the hash written.`,
      {
        step: 'database',
        fix: `The server copy at ${job.serverFile} was kept. Check the destination drive, then run again.`,
      },
    );
  try {
    await unlink(src);
    result.serverCopyDeleted = true;
  } catch (err) {
    ctx.record.warn(
      'SQLSERVER_SERVER_COPY_KEPT',
      `The server copy ${job.serverFile} could not be deleted (${(err as Error).message}); delete it by hand.`,
      job.serverFile,
    );
  }
}
