// SQL Server restore primitive: in place (over the live databases) or scratch (a rehearsal under
// `<db>__rehearsal_<set id>`, files moved into database.rehearsalDir, checked, counted, dropped).
import { rm, stat } from 'node:fs/promises';
import type { ScratchObject } from '../../../../contract/restore.js';
import { ExpectedError, isAbortError } from '../../../errors.js';
import type { CleanupResult, RestoreLookContext, RestorePrimitive } from '../../restore/primitive.js';
import type { Querier } from '../queries.js';
import { sqlServerConfigOf } from '../run.js';
import { sqlServerChecks } from './check.js';
import type { SqlServerRestoreOptions } from './jobs.js';
import { sqlServerPlan } from './plan.js';
import { dropScratch } from './after.js';
import { runSqlServerRestore, type SqlServerRestoreResult } from './run.js';
import { openRestoreSession, survey, type Survey } from './survey.js';

export type { SqlServerRestoreOptions, CheckDbMode } from './jobs.js';
export type { SqlServerRestoreResult, DatabaseOutcome } from './run.js';
export { scratchDatabaseName } from './placement.js';

/** Looks at the set and, when it can, at the server; an unreachable server still gives a plan. */
async function look(ctx: RestoreLookContext, opts: SqlServerRestoreOptions): Promise<Survey> {
  const cfg = sqlServerConfigOf(ctx);
  let session;
  try {
    session = await openRestoreSession(cfg, ctx);
  } catch (err) {
    if (isAbortError(err) || !(err instanceof ExpectedError)) throw err;
    const sv = await survey(ctx, opts, undefined);
    sv.unreachable = err;
    return sv;
  }
  try {
    return await survey(ctx, opts, { session, signal: ctx.signal });
  } finally {
    await session.close();
  }
}

/** Only names a rehearsal makes are ever dropped by a cleanup. */
const SCRATCH_NAME = /__rehearsal_[0-9a-f]+$/;

async function cleanup(ctx: RestoreLookContext, objects: ScratchObject[]): Promise<CleanupResult> {
  const result: CleanupResult = { removed: [], absent: [], failed: [] };
  const dbs = objects.filter((o) => o.component === 'database' && o.kind === 'sqlserver-database');
  for (const o of objects.filter((x) => x.component === 'database' && x.kind === 'sqlserver-file')) {
    const there = await stat(o.name).then(
      () => true,
      () => false,
    );
    if (!there) result.absent.push(o);
    else
      await rm(o.name, { force: true }).then(
        () => result.removed.push(o),
        (err: unknown) => result.failed.push({ object: o, message: (err as Error).message }),
      );
  }
  if (dbs.length === 0) return result;
  const session = await openRestoreSession(sqlServerConfigOf(ctx), ctx);
  const q: Querier = { session, signal: ctx.signal };
  try {
    for (const o of dbs) {
      if (!SCRATCH_NAME.test(o.name)) {
        result.failed.push({
          object: o,
          message: `${o.name} is not a rehearsal database name; it was not touched.`,
        });
        continue;
      }
      try {
        if ((await dropScratch(q, o.name)) === 'dropped') result.removed.push(o);
        else result.absent.push(o);
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        result.failed.push({ object: o, message: (err as Error).message });
      }
    }
  } finally {
    await session.close();
  }
  return result;
}

export function createSqlServerRestore(): RestorePrimitive<SqlServerRestoreOptions, SqlServerRestoreResult> {
  return {
    component: 'database',
    plan: async (ctx, opts) => sqlServerPlan(await look(ctx, opts), ctx.set.root, ctx.target, opts),
    check: async (ctx, opts) => sqlServerChecks(await look(ctx, opts), ctx.target),
    run: (ctx, opts) => runSqlServerRestore(ctx, opts),
    cleanup,
  };
}
