// The stages of a whole-set restore in the order they run (RESTORE_STAGES): database →
// Elasticsearch → Octane's config files → repository folder.
import { RESTORE_STAGES } from '../../contract/restore-run.js';
import { createElasticsearchRestore } from '../steps/elasticsearch/restore/index.js';
import { createOracleRestore } from '../steps/oracle/restore/index.js';
import { createSqlServerRestore } from '../steps/sqlserver/restore/index.js';
import type { PrimitiveFactories, RestoreStage } from './stage.js';
import { configStage } from './stage-config.js';
import { databaseStage } from './stage-database.js';
import { elasticsearchStage } from './stage-elasticsearch.js';
import { repositoryStage } from './stage-repository.js';

const BY_ID = {
  database: databaseStage,
  elasticsearch: elasticsearchStage,
  config: configStage,
  repository: repositoryStage,
} as const;

export const RESTORE_STAGE_LIST: RestoreStage[] = RESTORE_STAGES.map((id) => BY_ID[id]);

export function defaultFactories(): PrimitiveFactories {
  return {
    sqlserver: () => createSqlServerRestore(),
    oracle: () => createOracleRestore(),
    elasticsearch: () => createElasticsearchRestore(),
  };
}
