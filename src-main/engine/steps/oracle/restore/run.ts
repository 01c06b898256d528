// The Oracle restore: every dump piece staged and verified first; then (in place) the schemas are
// dropped and one Data Pump import recreates them, or (rehearsal) one import remaps them into
// scratch schemas that are locked, inspected, counted and dropped. Staged files are removed at the end.
import { formatBytes } from '../../../../contract/format.js';
import { ExpectedError, isAbortError, throwIfAborted } from '../../../errors.js';
import { cancelledLeaving, type RestoreContext } from '../../restore/primitive.js';
import { DataPumpJobError } from '../datapump-watch.js';
import type { ConnectFactory, OracleConnection } from '../driver.js';
import { explainOracleError, oracleCodes } from '../errors.js';
import { closeQuietly, num, openConnection, queryRows, str } from '../session.js';
import { bindList, PLSQL_REMOVE_FILE, sqlSchemasExist } from '../sql.js';
import { oracleChecks } from './check.js';
import { importNames, runImportJob, type ImportNames } from './import-job.js';
import {
  dropUserText,
  PLSQL_DROP_USER,
  PLSQL_LOCK_USER,
  PLSQL_ROW_TOTALS,
  sqlInvalidObjects,
  sqlObjectTotals,
} from './sql.js';
import { emptySurvey, surveyOracle, type OracleRestoreOptions, type OracleSurvey } from './survey.js';
import { stageDump, type StagedDump } from './upload.js';

export interface OracleRestoreTiming {
  connect: ConnectFactory;
  pollIntervalMs: number;
  chunkBytes: number;
}

export interface SchemaOutcome {
  schema: string;
  /** The schema it was imported into (itself in place, the scratch name in a rehearsal). */
  target: string;
  objects?: number;
  tables?: number;
  rows?: number;
  invalid: { type: string; name: string }[];
}

export interface OracleRestoreResult {
  schemas: SchemaOutcome[];
  importSeconds: number;
  /** Compilation warnings a rehearsal tolerated (ORA-39082 lines). */
  warnings: string[];
  /** The import job's log as the server wrote it. */
  importLog: string;
  /** What each piece went through: upload, copyFrom or reuse. */
  staged: { name: string; how: StagedDump['how'] }[];
}

interface Env {
  ctx: RestoreContext;
  conn: OracleConnection;
  s: OracleSurvey;
  t: OracleRestoreTiming;
  names: ImportNames;
  /** Files this restore put in the DIRECTORY. */
  created: string[];
  dropped: string[];
}

const STAGE = 0.35;
const IMPORT = 0.55;
const step = 'database' as const;

function refuse(checks: Awaited<ReturnType<typeof oracleChecks>>): void {
  const failed = checks.filter((c) => c.status === 'failed');
  const first = failed[0];
  if (!first) return;
  throw new ExpectedError(
    'ORACLE_RESTORE_PRECONDITION',
    `${first.message}${failed.length > 1 ? ` (and ${failed.length - 1} more failed check(s))` : ''} Nothing was restored.`,
    {
      step,
      ...(first.fix ? { fix: first.fix } : {}),
      details: { failed: failed.map((c) => ({ id: c.id, message: c.message, fix: c.fix })) },
    },
  );
}

export async function runOracleRestore(
  ctx: RestoreContext,
  opts: OracleRestoreOptions,
  t: OracleRestoreTiming,
): Promise<OracleRestoreResult> {
  const s = emptySurvey(ctx, opts);
  ctx.progress.report(0, { message: `Connecting to Oracle at ${s.cfg.connectString}` });
  const conn = await openConnection(s.cfg, ctx.secrets, t.connect);
  const env: Env = { ctx, conn, s, t, names: importNames(new Date()), created: [], dropped: [] };
  try {
    await surveyOracle(s, conn);
    refuse(await oracleChecks(s, ctx.target));
    const staged = await stageAll(env);
    throwIfAborted(ctx.signal);
    if (ctx.target.kind === 'in-place') await dropSchemas(env);
    else
      for (const u of s.remap?.values() ?? [])
        await ctx.journal({
          component: 'database',
          kind: 'oracle-schema',
          name: u,
          where: s.identity?.dbName ?? s.cfg.connectString,
        });
    await ctx.journal({
      component: 'database',
      kind: 'oracle-file',
      name: env.names.log,
      where: `DIRECTORY ${s.dir}`,
    });
    env.created.push(env.names.log);
    const imported = await runImportJob({
      conn,
      dir: s.dir,
      names: env.names,
      dumps: staged.map((d) => d.name),
      schemas: s.view.schemas,
      ...(s.remap ? { remap: s.remap } : {}),
      signal: ctx.signal,
      pollIntervalMs: t.pollIntervalMs,
      chunkBytes: t.chunkBytes,
      onStatus: (st) =>
        ctx.progress.report(STAGE + (IMPORT * st.percentDone) / 100, {
          message: `Data Pump import: ${st.percentDone.toFixed(0)} % (${st.state})`,
          activity: `DBMS_DATAPUMP import job ${env.names.job}`,
        }),
      onStatement: (x) => ctx.statement(x),
      log: ctx.log,
    });
    for (const w of imported.warnings)
      ctx.warn(
        'ORACLE_COMPILE_WARNING',
        `Imported with compilation warnings (expected after REMAP_SCHEMA): ${w}`,
      );
    const schemas = await inspect(env);
    ctx.progress.report(1, {
      message: `${schemas.length} schema(s) ${ctx.target.kind === 'scratch' ? 'rehearsed' : 'restored'}`,
    });
    return {
      schemas,
      importSeconds: imported.seconds,
      warnings: imported.warnings,
      importLog: imported.logText,
      staged: staged.map((d) => ({ name: d.name, how: d.how })),
    };
  } catch (err) {
    throw failure(env, err);
  } finally {
    await cleanupAfter(env);
    await closeQuietly(conn);
  }
}

async function stageAll(env: Env): Promise<StagedDump[]> {
  const { ctx, s } = env;
  const total = s.view.dumps.reduce((a, d) => a + d.bytes, 0);
  let before = 0;
  const out: StagedDump[] = [];
  for (const [i, d] of s.view.dumps.entries()) {
    const base = before;
    const message = `Bringing dump piece ${i + 1} of ${s.view.dumps.length} into DIRECTORY ${s.dir}`;
    out.push(
      await stageDump(
        {
          ctx,
          conn: env.conn,
          dir: s.dir,
          ...(s.cfg.copyFrom ? { copyFrom: s.cfg.copyFrom } : {}),
          chunkBytes: env.t.chunkBytes,
          onBytes: (n) =>
            ctx.progress.report((STAGE * (2 * base + n)) / Math.max(1, 2 * total), {
              bytesDone: Math.round((2 * base + n) / 2),
              bytesTotal: total,
              itemsDone: i,
              itemsTotal: s.view.dumps.length,
              message,
            }),
          created: (name) => env.created.push(name),
        },
        d,
      ),
    );
    before += d.bytes;
    ctx.log.info(
      `${out.at(-1)?.name ?? ''}: ${formatBytes(d.bytes)} in DIRECTORY ${s.dir} (${out.at(-1)?.how ?? ''}), SHA-256 ${d.sha256}.`,
    );
  }
  return out;
}

async function dropSchemas(env: Env): Promise<void> {
  for (const u of env.s.view.schemas.filter((x) => env.s.existingUsers.has(x))) {
    throwIfAborted(env.ctx.signal);
    env.ctx.statement(`${dropUserText(u)} -- sent as PL/SQL with the name bound`);
    await env.conn.execute(PLSQL_DROP_USER, { username: u });
    env.dropped.push(u);
  }
}

async function inspect(env: Env): Promise<OracleRestoreResult['schemas']> {
  const { conn, s, ctx } = env;
  const owners = s.view.schemas.map((x) => [x, s.remap?.get(x) ?? x] as const);
  // The import is done: what follows only reports, so a refused query is a warning, not a failure.
  const soft =
    <T>(what: string, fallback: T) =>
    (err: unknown): T => {
      if (ctx.signal.aborted) throw err;
      ctx.warn('ORACLE_REPORT_INCOMPLETE', `${what} failed: ${(err as Error).message.split('\n')[0] ?? ''}`);
      return fallback;
    };
  if (ctx.target.kind === 'scratch')
    for (const [, u] of owners)
      await conn
        .execute(PLSQL_LOCK_USER, { username: u })
        .catch(soft(`Locking the rehearsal schema ${u}`, undefined));
  const list = bindList(owners.map(([, u]) => u));
  const invalid = await queryRows(conn, sqlInvalidObjects(list.sql), list.binds).catch(
    soft('Listing invalid objects', []),
  );
  const objects = await queryRows(conn, sqlObjectTotals(list.sql), list.binds).catch(
    soft('Counting objects', []),
  );
  const out: SchemaOutcome[] = [];
  for (const [schema, target] of owners) {
    const o: SchemaOutcome = {
      schema,
      target,
      invalid: invalid
        .filter((r) => str(r.OWNER) === target)
        .map((r) => ({ type: str(r.OBJECT_TYPE) ?? '', name: str(r.OBJECT_NAME) ?? '' })),
    };
    const n = num(objects.find((r) => str(r.OWNER) === target)?.OBJECTS);
    if (n !== undefined) o.objects = n;
    if (ctx.target.kind === 'scratch') {
      const r = await conn
        .execute(PLSQL_ROW_TOTALS, {
          owner: target,
          tables: { out: 'number' },
          row_total: { out: 'number' },
          skipped: { out: 'number' },
        })
        .catch(soft(`Counting the rows of ${target}`, { outBinds: undefined }));
      if (r.outBinds) o.tables = num(r.outBinds.tables) ?? 0;
      if (r.outBinds) o.rows = num(r.outBinds.row_total) ?? 0;
      if ((num(r.outBinds?.skipped) ?? 0) > 0)
        ctx.warn(
          'ORACLE_TABLES_NOT_COUNTED',
          `${num(r.outBinds?.skipped)} table(s) of ${target} could not be counted.`,
          target,
        );
    }
    if (o.invalid.length > 0)
      ctx.warn(
        'ORACLE_INVALID_OBJECTS',
        `${target}: ${o.invalid.length} invalid object(s) after the import: ${o.invalid
          .slice(0, 10)
          .map((x) => `${x.type} ${x.name}`)
          .join(', ')}${o.invalid.length > 10 ? ', ...' : ''}.`,
        target,
      );
    out.push(o);
  }
  return out;
}

function failure(env: Env, err: unknown): unknown {
  const { s, ctx } = env;
  const dropped =
    env.dropped.length > 0
      ? ` Dropped before the failure: ${env.dropped.join(', ')}; they hold nothing, or only part of the import, until a restore of them finishes.`
      : '';
  const untouched =
    ctx.target.kind === 'in-place' && env.dropped.length === 0 ? ' The live schemas were not changed.' : '';
  if (isAbortError(err) || ctx.signal.aborted)
    return cancelledLeaving(`${dropped}${untouched}`.trim(), { dropped: env.dropped });
  const e =
    err instanceof ExpectedError
      ? err
      : err instanceof DataPumpJobError
        ? new ExpectedError(
            'ORACLE_IMPORT_FAILED',
            `The Data Pump import did not finish cleanly (${err.state}): ${err.lines[0] ?? 'no message'}`,
            {
              step,
              cause: err,
              fix: 'Read the ORA lines in the details (the whole import log is in the restore report), correct the cause and run the restore again.',
              details: { oracle: err.lines.slice(0, 20) },
            },
          )
        : explainOracleError(err, {
            user: s.cfg.user,
            connectString: s.cfg.connectString,
            directory: s.dir,
            schemas: s.view.schemas,
          });
  return new ExpectedError(e.code, `${e.message}${dropped}${untouched}`, {
    step,
    cause: err,
    ...(e.fix ? { fix: e.fix } : {}),
    ...(e.details
      ? { details: { ...e.details, dropped: env.dropped } }
      : { details: { dropped: env.dropped } }),
  });
}

/** Never throws: scratch schemas dropped, our files removed; anything left is said plainly. */
async function cleanupAfter(env: Env): Promise<void> {
  const { conn, ctx, s } = env;
  if (ctx.target.kind === 'scratch')
    for (const u of s.remap?.values() ?? []) {
      const exists = await queryRows(conn, sqlSchemasExist(':u'), { u }).then(
        (r) => r.length > 0,
        () => true,
      );
      if (!exists) continue;
      await conn.execute(PLSQL_DROP_USER, { username: u }).then(
        () => ctx.statement(`${dropUserText(u)} -- rehearsal schema removed`),
        (err: unknown) =>
          ctx.warn(
            'ORACLE_SCRATCH_NOT_DROPPED',
            `The rehearsal schema ${u} could not be dropped (${(err as Error).message.split('\n')[0] ?? ''}); the journal still lists it, so the next cleanup removes it.`,
            u,
          ),
      );
    }
  for (const f of env.created)
    await conn.execute(PLSQL_REMOVE_FILE, { dir: s.dir, file_name: f }).catch((err: unknown) => {
      // A log the job never created is not a leftover.
      if (!oracleCodes(err).includes('ORA-29283'))
        ctx.log.warn(`Could not remove ${f} from DIRECTORY ${s.dir}; remove it by hand.`);
    });
}
