// Oracle restore primitive: in place (the set's schemas dropped and re-imported in one Data Pump
// job) or scratch (one import with REMAP_SCHEMA into RH_<set id>_<schema>, inspected, dropped).
import type { ScratchObject } from '../../../../contract/restore.js';
import { ExpectedError, isAbortError } from '../../../errors.js';
import type { CleanupResult, RestoreLookContext, RestorePrimitive } from '../../restore/primitive.js';
import { thinConnect, type ConnectFactory } from '../driver.js';
import { oracleCodes } from '../errors.js';
import { closeQuietly, openConnection, queryRows } from '../session.js';
import { PLSQL_REMOVE_FILE, sqlSchemasExist } from '../sql.js';
import { oracleChecks } from './check.js';
import { importNames } from './import-job.js';
import { oraclePlan } from './plan.js';
import { runOracleRestore, type OracleRestoreResult } from './run.js';
import { SCRATCH_SCHEMA } from './source.js';
import { PLSQL_DROP_USER } from './sql.js';
import { emptySurvey, surveyOracle, type OracleRestoreOptions, type OracleSurvey } from './survey.js';
import { UPLOAD_CHUNK_BYTES } from './upload.js';

export type { OracleRestoreOptions } from './survey.js';
export type { OracleRestoreResult, SchemaOutcome } from './run.js';
export { scratchSchemaName } from './source.js';

export interface OracleRestoreFactoryOptions {
  /** The driver connection factory; default: oracledb Thin mode. */
  connect?: ConnectFactory;
  /** Pause between two GET_STATUS calls, ms (default 2000). */
  pollIntervalMs?: number;
  /** Bytes per upload / read-back round trip (default 4 MiB). */
  chunkBytes?: number;
}

async function look(
  ctx: RestoreLookContext,
  opts: OracleRestoreOptions,
  connect: ConnectFactory,
): Promise<OracleSurvey> {
  const s = emptySurvey(ctx, opts);
  let conn;
  try {
    conn = await openConnection(s.cfg, ctx.secrets, connect);
  } catch (err) {
    if (isAbortError(err) || !(err instanceof ExpectedError)) throw err;
    s.unreachable = err;
    return s;
  }
  try {
    return await surveyOracle(s, conn);
  } finally {
    await closeQuietly(conn);
  }
}

async function cleanup(
  ctx: RestoreLookContext,
  objects: ScratchObject[],
  connect: ConnectFactory,
): Promise<CleanupResult> {
  const result: CleanupResult = { removed: [], absent: [], failed: [] };
  const mine = objects.filter(
    (o) => o.component === 'database' && (o.kind === 'oracle-schema' || o.kind === 'oracle-file'),
  );
  if (mine.length === 0) return result;
  const s = emptySurvey(ctx, {});
  const conn = await openConnection(s.cfg, ctx.secrets, connect);
  try {
    for (const o of mine) {
      if (o.kind === 'oracle-schema' && !SCRATCH_SCHEMA.test(o.name)) {
        result.failed.push({
          object: o,
          message: `${o.name} is not a rehearsal schema name; it was not touched.`,
        });
        continue;
      }
      try {
        if (o.kind === 'oracle-schema') {
          if ((await queryRows(conn, sqlSchemasExist(':u'), { u: o.name })).length === 0)
            result.absent.push(o);
          else {
            await conn.execute(PLSQL_DROP_USER, { username: o.name });
            result.removed.push(o);
          }
        } else {
          await conn.execute(PLSQL_REMOVE_FILE, { dir: s.dir, file_name: o.name });
          result.removed.push(o);
        }
      } catch (err) {
        if (o.kind === 'oracle-file' && oracleCodes(err).includes('ORA-29283')) result.absent.push(o);
        else result.failed.push({ object: o, message: (err as Error).message.split('\n')[0] ?? '' });
      }
    }
  } finally {
    await closeQuietly(conn);
  }
  return result;
}

export function createOracleRestore(
  f: OracleRestoreFactoryOptions = {},
): RestorePrimitive<OracleRestoreOptions, OracleRestoreResult> {
  const connect = f.connect ?? thinConnect;
  const chunkBytes = f.chunkBytes ?? UPLOAD_CHUNK_BYTES;
  return {
    component: 'database',
    plan: async (ctx, opts) =>
      oraclePlan(
        await look(ctx, opts, connect),
        ctx.set.root,
        ctx.target,
        importNames(new Date()),
        chunkBytes,
      ),
    check: async (ctx, opts) => oracleChecks(await look(ctx, opts, connect), ctx.target),
    run: (ctx, opts) =>
      runOracleRestore(ctx, opts, { connect, pollIntervalMs: f.pollIntervalMs ?? 2000, chunkBytes }),
    cleanup: (ctx, objects) => cleanup(ctx, objects, connect),
  };
}
