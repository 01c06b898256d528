// Which step captures each component for a given profile. The order of capture is not
// decided here: run-backup.ts owns it.
//
// Steps are loaded on first use: their drivers (mssql/tedious, oracledb, the archive writers) cost about
// a third of a second to import, which every `verify`, `list` and window start would pay otherwise.
import type { PreflightCheck } from '../../contract/preflight.js';
import type { ComponentId, Profile } from '../../contract/profile.js';
import type { BackupStep, PreflightContext, StepContext } from '../step.js';
import { STEP_TITLES } from '../../contract/words.js';
export { STEP_TITLES } from '../../contract/words.js';

export type StepFactory = (profile: Profile) => BackupStep | undefined;
export type StepRegistry = Record<ComponentId, StepFactory>;

/**
 * A step whose module is imported when it first runs or is checked. The real steps are phased
 * (they follow their CaptureTurn: see step.ts).
 */
export function lazyStep(
  id: ComponentId,
  title: string,
  load: () => Promise<BackupStep>,
  phased = true,
): BackupStep {
  let loaded: Promise<BackupStep> | undefined;
  const get = (): Promise<BackupStep> => (loaded ??= load());
  return {
    id,
    title,
    phased,
    preflight: async (ctx: PreflightContext): Promise<PreflightCheck[]> => {
      const step = await get();
      return step.preflight ? step.preflight(ctx) : [];
    },
    run: async (ctx: StepContext) => (await get()).run(ctx),
  };
}

export function defaultSteps(): StepRegistry {
  return {
    database: (p) => {
      if (!p.database) return undefined;
      return p.database.engine === 'oracle'
        ? lazyStep('database', STEP_TITLES.oracle, async () =>
            (await import('./oracle/index.js')).createOracleStep(),
          )
        : lazyStep('database', STEP_TITLES.sqlserver, async () =>
            (await import('./sqlserver/index.js')).createSqlServerStep(),
          );
    },
    elasticsearch: (p) =>
      p.elasticsearch
        ? lazyStep('elasticsearch', STEP_TITLES.elasticsearch, async () =>
            (await import('./elasticsearch/index.js')).createElasticsearchStep(),
          )
        : undefined,
    repository: (p) =>
      p.repository
        ? lazyStep('repository', STEP_TITLES.repository, async () =>
            (await import('./repository/index.js')).createRepositoryStep(),
          )
        : undefined,
  };
}
