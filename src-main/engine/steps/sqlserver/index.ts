// The SQL Server database step: COPY_ONLY backups of the chosen Octane databases (site and
// spaces), written by the server, verified, copied into the set with their SHA-256.
import type { BackupStep } from '../../step.js';
import { sqlServerPreflight } from './preflight.js';
import { runSqlServerBackup } from './run.js';

export { listSqlServerDatabases, testSqlServerConnection } from './discover.js';
export type { SqlServerConnectionReport, SqlServerDatabaseInfo, DiscoverOptions } from './discover.js';
export type { SqlServerConnectionConfig } from './connection.js';

export function createSqlServerStep(): BackupStep {
  return {
    id: 'database',
    title: 'SQL Server database',
    // Sizes are only known once connected; the step's own fraction is weighted by size inside.
    weight: () => 1,
    preflight: (ctx) => sqlServerPreflight(ctx),
    run: (ctx) => runSqlServerBackup(ctx),
  };
}
