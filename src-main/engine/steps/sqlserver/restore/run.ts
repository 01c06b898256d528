// The SQL Server restore: every .bak staged and inspected first, then the databases restored one
// after the other. Nothing live is touched until every file of the set has been copied, re-hashed,
// identified (HEADERONLY) and placed (FILELISTONLY) and the target volumes have room.
import { rm } from 'node:fs/promises';
import type { InfoMessage } from 'mssql';
import type { PreflightCheck } from '../../../../contract/preflight.js';
import { ExpectedError, isAbortError, throwIfAborted } from '../../../errors.js';
import { PhasePlan } from '../../restore/phase-plan.js';
import { cancelledLeaving, type RestoreContext } from '../../restore/primitive.js';
import { NO_TIMEOUT } from '../connection.js';
import { percentOf } from '../progress-plan.js';
import { query, type Querier } from '../queries.js';
import { sqlServerChecks, spaceChecks } from './check.js';
import { sqlMessages } from '../errors.js';
import { checkDbFailure, mapRestoreError } from './errors.js';
import { inspectJob } from './inspect.js';
import { checkDbMode, statementsFor, type DatabaseJob, type SqlServerRestoreOptions } from './jobs.js';
import { movesOf } from './placement.js';
import { afterOne, stateOf, summaryOf, type DatabaseOutcome } from './after.js';
import { stageJob } from './stage.js';
import { sqlServerConfigOf } from '../run.js';
import { openRestoreSession, survey, type Survey } from './survey.js';

export interface SqlServerRestoreResult {
  server: string;
  databases: DatabaseOutcome[];
}

/**
 * Every file is staged first (STAGE_SHARE of the bar, by bytes), then each database goes through
 * its phases in turn (weighted by its size).
 */
const STAGE_SHARE = 0.25;
const PHASES = (checkDb: boolean) => [
  { name: 'restore' as const, weight: 1 },
  { name: 'recover' as const, weight: 0.25 },
  { name: 'verify' as const, weight: checkDb ? 0.5 : 0.02 },
];
type PhaseName = ReturnType<typeof PHASES>[number]['name'];

interface Env {
  ctx: RestoreContext;
  sv: Survey;
  q: Querier;
  plan: PhasePlan<PhaseName>;
  scratch: boolean;
  opts: SqlServerRestoreOptions;
  outcomes: DatabaseOutcome[];
}

function report(
  env: Env,
  i: number,
  phase: PhaseName | 'stage',
  f: number,
  message: string,
  activity?: string,
): void {
  const fraction =
    phase === 'stage' ? STAGE_SHARE * f : STAGE_SHARE + (1 - STAGE_SHARE) * env.plan.fraction(i, phase, f);
  env.ctx.progress.report(fraction, {
    itemsDone: i,
    itemsTotal: env.sv.jobs.length,
    bytesDone: Math.round(fraction * env.plan.totalBytes),
    bytesTotal: Math.round(env.plan.totalBytes),
    message,
    ...(activity ? { activity } : {}),
  });
}

function refuse(checks: PreflightCheck[]): void {
  const failed = checks.filter((c) => c.status === 'failed');
  const first = failed[0];
  if (!first) return;
  throw new ExpectedError(
    'SQLSERVER_RESTORE_PRECONDITION',
    `${first.message}${failed.length > 1 ? ` (and ${failed.length - 1} more failed check(s))` : ''} Nothing was restored.`,
    {
      step: 'database',
      ...(first.fix ? { fix: first.fix } : {}),
      details: { failed: failed.map((c) => ({ id: c.id, message: c.message, fix: c.fix })) },
    },
  );
}

export async function runSqlServerRestore(
  ctx: RestoreContext,
  opts: SqlServerRestoreOptions,
): Promise<SqlServerRestoreResult> {
  ctx.progress.report(0, { message: 'Connecting to SQL Server' });
  const session = await openRestoreSession(sqlServerConfigOf(ctx), ctx);
  const q: Querier = { session, signal: ctx.signal, onStatement: (s) => ctx.statement(s) };
  const staged: string[] = [];
  try {
    const sv = await survey(ctx, opts, q);
    refuse(await sqlServerChecks(sv, ctx.target));
    const scratch = ctx.target.kind === 'scratch';
    const sizes = sv.jobs.map((j) => j.source.artifact?.bytes);
    const env: Env = {
      ctx,
      sv,
      q,
      plan: new PhasePlan(sizes, PHASES(checkDbMode(ctx.target, opts) !== 'none')),
      scratch,
      opts,
      outcomes: sv.jobs.map((j) => ({ source: j.source.name, target: j.target, status: 'not-started' })),
    };
    await prepareAll(env, staged);
    for (const [i, job] of sv.jobs.entries()) await restoreOne(env, i, job);
    ctx.progress.report(1, {
      itemsDone: sv.jobs.length,
      itemsTotal: sv.jobs.length,
      message: `${sv.jobs.length} database(s) ${scratch ? 'rehearsed' : 'restored'}`,
    });
    return { server: sv.serverText, databases: env.outcomes };
  } finally {
    for (const f of staged)
      await rm(f, { force: true }).catch(() =>
        ctx.log.warn(`Could not remove the staged copy ${f}; delete it by hand.`),
      );
    await session.close();
  }
}

async function prepareAll(env: Env, staged: string[]): Promise<void> {
  const { ctx, sv } = env;
  const total = sv.jobs.reduce((a, j) => a + (j.source.artifact?.bytes ?? 0), 0);
  let before = 0;
  for (const [i, job] of sv.jobs.entries()) {
    const base = before;
    const of = (n: number): number => (total > 0 ? (base + n) / total : 1);
    const message = `Copying the backup of ${job.source.name} (${i + 1} of ${sv.jobs.length}) where SQL Server reads it`;
    report(env, i, 'stage', of(0), message);
    await stageJob(job, {
      ctx,
      serverBackupDir: sv.cfg.serverBackupDir,
      onBytes: (n) => report(env, i, 'stage', of(n), message),
      created: (f) => staged.push(f),
    });
    before += job.source.artifact?.bytes ?? 0;
  }
  for (const job of sv.jobs) {
    throwIfAborted(ctx.signal);
    await inspectJob(env.q, sv, job, {
      target: ctx.target,
      scratchDir: sv.scratchDir,
      folders: sv.folders,
      facts: sv.facts,
    });
  }
  const space = spaceChecks(sv).filter((c) => c.status === 'failed');
  if (space[0])
    throw new ExpectedError('SQLSERVER_RESTORE_NO_SPACE', `${space[0].message} Nothing was restored.`, {
      step: 'database',
      ...(space[0].fix ? { fix: space[0].fix } : {}),
    });
}

/** The recovery after 100 % has no percent messages: a ticker keeps its elapsed time on screen. */
function recoveringTicker(
  env: Env,
  i: number,
  job: DatabaseJob,
  activity: string,
): { start(): void; stop(): number } {
  let timer: ReturnType<typeof setInterval> | undefined;
  let started = 0;
  const tell = (): void => {
    const s = Math.round((Date.now() - started) / 1000);
    report(
      env,
      i,
      'recover',
      0,
      `Recovering ${job.target} (rolling the log forward and back; this can take long on a big database): ${s} s`,
      activity,
    );
  };
  return {
    start() {
      if (timer) return;
      started = Date.now();
      tell();
      timer = setInterval(tell, 5000);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      return started ? (Date.now() - started) / 1000 : 0;
    },
  };
}

/** SQL Server refused the scratch name because a database of that name exists: it is not ours. */
const NAME_TAKEN = [3154, 1801];

async function restoreOne(env: Env, i: number, job: DatabaseJob): Promise<void> {
  const { ctx, q, scratch } = env;
  const out = env.outcomes[i] as DatabaseOutcome;
  const s = statementsFor(job, scratch, checkDbMode(ctx.target, env.opts));
  const scratchObject = {
    component: 'database',
    kind: 'sqlserver-database',
    name: job.target,
    where: env.sv.serverText,
  } as const;
  if (scratch) await ctx.journal(scratchObject);
  let touched = false;
  try {
    for (const t of s.before) await query(q, t);
    touched = true;
    await restoreStatement(env, i, job, s.restore, out);
    out.status = 'restored';
    const moved = movesOf(job.placements).map((m) => m.to);
    ctx.log.info(
      `Restored ${job.target} from ${job.stage.serverFile}${moved.length ? ` (files at ${moved.join(', ')})` : ''}.`,
    );
    await verifyOne(env, i, job, s, out);
  } catch (err) {
    if (out.status !== 'restored') out.status = touched ? 'failed' : 'not-started';
    const taken = scratch && sqlMessages(err).some((m) => NAME_TAKEN.includes(m.number));
    if (taken) ctx.unjournal?.(scratchObject);
    await afterOne(env, job, taken ? { ...s, drop: undefined } : s, out, touched);
    if (!scratch && out.status === 'failed') out.leftAs = await stateOf(env, job.target);
    throw failure(env, job, err);
  }
  await afterOne(env, job, s, out, touched);
}

async function restoreStatement(
  env: Env,
  i: number,
  job: DatabaseJob,
  sql: string,
  out: DatabaseOutcome,
): Promise<void> {
  const which = `${job.target} (${i + 1} of ${env.sv.jobs.length})`;
  const ticker = recoveringTicker(env, i, job, sql);
  const t0 = Date.now();
  const onInfo = (m: InfoMessage): void => {
    const p = percentOf(m.message);
    if (p === undefined) return;
    report(env, i, 'restore', p / 100, `Restoring ${which}: ${p} %`, sql);
    if (p >= 100) {
      out.copySeconds = (Date.now() - t0) / 1000;
      ticker.start();
    }
  };
  report(env, i, 'restore', 0, `Restoring ${which}`, sql);
  try {
    await query(env.q, sql, { timeoutMs: NO_TIMEOUT, onInfo });
  } finally {
    out.recoverySeconds = ticker.stop();
  }
}

async function verifyOne(
  env: Env,
  i: number,
  job: DatabaseJob,
  s: ReturnType<typeof statementsFor>,
  out: DatabaseOutcome,
): Promise<void> {
  const { q } = env;
  out.checkDb = 'not-run';
  if (s.checkDb) {
    report(env, i, 'verify', 0, `Checking ${job.target} with DBCC CHECKDB`, s.checkDb);
    await query(q, s.checkDb, { timeoutMs: NO_TIMEOUT });
    out.checkDb = 'passed';
  }
  if (s.totals) {
    const [r] = await query<Record<string, unknown>>(q, s.totals);
    out.tables = Number(r?.table_count ?? 0);
    out.rows = Number(r?.row_total ?? 0);
  }
  report(
    env,
    i,
    'verify',
    1,
    `${job.target} ${env.scratch ? 'rehearsed' : 'restored'}${out.tables !== undefined ? `: ${out.tables} tables, ${out.rows ?? 0} rows` : ''}`,
  );
}

function failure(env: Env, job: DatabaseJob, err: unknown): unknown {
  const summary = summaryOf(env);
  if (isAbortError(err) || env.ctx.signal.aborted) {
    env.ctx.log.warn(`Cancelled during ${job.target}. ${summary}`);
    return cancelledLeaving(summary, { databases: env.outcomes });
  }
  const c = {
    server: env.sv.serverText,
    database: job.target,
    serverFile: job.stage.serverFile,
    scratch: env.scratch,
    ...(env.sv.cfg.user ? { user: env.sv.cfg.user } : {}),
  };
  const e = checkDbFailure(err, c) ?? mapRestoreError(err, c);
  return new ExpectedError(e.code, `${e.message} ${summary}`, {
    step: 'database',
    cause: err,
    ...(e.fix ? { fix: e.fix } : {}),
    details: { ...e.details, databases: env.outcomes },
  });
}

export { summaryOf, type DatabaseOutcome, type DatabaseOutcomeStatus } from './after.js';
