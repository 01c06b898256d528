// The database stage: the site database and every space database (SQL Server) or schema (Oracle)
// of the set, through the primitive of the engine the profile names. First in the order: the
// database is the authority the other stores are judged against.
import type { ComponentRecord } from '../../contract/manifest.js';
import { ExpectedError } from '../errors.js';
import { importNames } from '../steps/oracle/restore/import-job.js';
import { oraclePlan } from '../steps/oracle/restore/plan.js';
import { readOracleSet } from '../steps/oracle/restore/source.js';
import { emptySurvey } from '../steps/oracle/restore/survey.js';
import { UPLOAD_CHUNK_BYTES } from '../steps/oracle/restore/upload.js';
import { summaryOf as sqlSummary } from '../steps/sqlserver/restore/after.js';
import { sqlServerPlan } from '../steps/sqlserver/restore/plan.js';
import { readSqlServerSet } from '../steps/sqlserver/restore/source.js';
import { survey } from '../steps/sqlserver/restore/survey.js';
import { lookContext, lookPrimitive, runPrimitive, unusable } from './primitive-stage.js';
import { componentBytes, type RestoreStage, type StageEnv } from './stage.js';

const ENGINE_NAMES: Record<string, string> = { sqlserver: 'SQL Server', oracle: 'Oracle' };

function record(env: StageEnv): ComponentRecord | undefined {
  return env.set.manifest.components.find((c) => c?.id === 'database');
}

/** The database names (SQL Server) or schemas (Oracle) of the set; [] when its record is unusable. */
function names(env: StageEnv): string[] {
  try {
    const set = env.set.viewOf('database');
    return env.profile.database?.engine === 'oracle'
      ? readOracleSet(set).schemas
      : readSqlServerSet(set).databases.map((d) => d.name);
  } catch {
    return [];
  }
}

const SQL_WORDS = {
  changing: /^(ALTER DATABASE|RESTORE DATABASE|DROP DATABASE)\b/i,
  leaves: {
    before:
      'No database has been changed yet: the copies of the backup files made for the restore are removed.',
    after:
      'The database restore stops: databases already restored stay restored, the one being restored is left unusable (RESTORING) until it is restored again, the others stay as they were.',
  },
};

const ORACLE_WORDS = {
  changing: /DROP USER|DBMS_DATAPUMP|DROP_USER/i,
  leaves: {
    before: 'No schema has been changed yet: the dump pieces copied for the restore are removed.',
    after:
      'The Oracle restore stops: schemas already dropped are missing or half imported until the restore is run again; the others stay as they were.',
  },
};

export const databaseStage: RestoreStage = {
  id: 'database',
  unavailable(env) {
    const c = record(env);
    if (!c) return 'the set holds no database backup';
    if (c.status !== 'succeeded' && c.status !== 'succeeded-with-warnings')
      return `its database step ${c.status === 'skipped' ? 'was not configured' : c.status}`;
    const damage = env.set.damage('database');
    if (damage) return damage;
    const db = env.profile.database;
    if (!db) return 'the profile has no database section, so it says nowhere to restore it';
    const from = c.server?.engine;
    if (from && from !== db.engine)
      return `the set holds a ${ENGINE_NAMES[from] ?? from} backup and the profile describes a ${ENGINE_NAMES[db.engine]} database`;
    return undefined;
  },
  title(env) {
    const engine = ENGINE_NAMES[env.profile.database?.engine ?? record(env)?.server?.engine ?? ''];
    const list = names(env);
    return `Database${engine ? ` (${engine}${list.length ? `: ${list.join(', ')}` : ''})` : ''}`;
  },
  bytes: (env) => componentBytes(env, 'database'),
  look(env, mode) {
    if (!env.profile.database)
      return Promise.resolve(
        unusable('database', new ExpectedError('RESTORE_NO_TARGET', 'The profile has no database section.')),
      );
    if (env.profile.database.engine === 'oracle')
      return lookPrimitive('database', env.factories.oracle(), env, mode, {}, (ctx) =>
        Promise.resolve(
          oraclePlan(
            emptySurvey(ctx, {}),
            ctx.set.root,
            ctx.target,
            importNames(env.now),
            UPLOAD_CHUNK_BYTES,
          ),
        ),
      );
    return lookPrimitive('database', env.factories.sqlserver(), env, mode, {}, async (ctx) =>
      sqlServerPlan(await survey(ctx, {}, undefined), ctx.set.root, ctx.target, {}),
    );
  },
  run(env, hooks) {
    if (env.profile.database?.engine === 'oracle')
      return runPrimitive(env.factories.oracle(), env, hooks, {}, ORACLE_WORDS, (r) => {
        const list = r.schemas.map((s) => s.target).join(', ');
        return `Schemas re-imported from the set: ${list} (one Data Pump job, ${Math.round(r.importSeconds)} s).`;
      });
    return runPrimitive(env.factories.sqlserver(), env, hooks, {}, SQL_WORDS, (r) =>
      `${sqlSummary({ outcomes: r.databases, scratch: false })} (${r.server})`.trim(),
    );
  },
  cleanup(env, objects) {
    const prim =
      env.profile.database?.engine === 'oracle' ? env.factories.oracle() : env.factories.sqlserver();
    return prim.cleanup(lookContext(env, 'database'), objects);
  },
};
