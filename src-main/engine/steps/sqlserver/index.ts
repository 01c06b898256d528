// The SQL Server database step: COPY_ONLY backups of the chosen Octane databases (site and
// spaces), written by the server, verified, copied into the set with their SHA-256.
import { STEP_TITLES } from '../../../contract/words.js';
import type { BackupStep } from '../../step.js';
import { sqlServerPreflight } from './preflight.js';
import { runSqlServerBackup } from './run.js';

export { listSqlServerDatabases, testSqlServerConnection } from './discover.js';
export type { SqlServerConnectionReport, SqlServerDatabaseInfo, DiscoverOptions } from './discover.js';
export type { SqlServerConnectionConfig } from './connection.js';

export function createSqlServerStep(): BackupStep {
  return {
    id: 'database',
    title: STEP_TITLES.sqlserver,
    phased: true,
    preflight: (ctx) => sqlServerPreflight(ctx),
    run: (ctx) => runSqlServerBackup(ctx),
  };
}
