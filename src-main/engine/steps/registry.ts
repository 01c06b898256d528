// Which step captures each component for a given profile. The order of capture is not
// decided here: run-backup.ts owns it.
import type { ComponentId, Profile } from '../../contract/profile.js';
import type { BackupStep } from '../step.js';
import { createElasticsearchStep } from './elasticsearch/index.js';
import { createOracleStep } from './oracle/index.js';
import { createRepositoryStep } from './repository/index.js';
import { createSqlServerStep } from './sqlserver/index.js';

export type StepFactory = (profile: Profile) => BackupStep | undefined;
export type StepRegistry = Record<ComponentId, StepFactory>;

export function defaultSteps(): StepRegistry {
  return {
    database: (p) => {
      if (!p.database) return undefined;
      return p.database.engine === 'oracle' ? createOracleStep() : createSqlServerStep();
    },
    elasticsearch: (p) => (p.elasticsearch ? createElasticsearchStep() : undefined),
    repository: (p) => (p.repository ? createRepositoryStep() : undefined),
  };
}
