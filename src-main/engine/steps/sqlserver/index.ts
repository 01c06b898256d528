// Placeholder until the SQL Server database step lands: fails loudly, never pretends.
import type { BackupStep } from '../../step.js';
import { StepError } from '../../step.js';

export function createSqlServerStep(): BackupStep {
  return {
    id: 'database',
    title: 'SQL Server database',
    weight: () => 1,
    run: () =>
      Promise.reject(
        new StepError('NOT_IMPLEMENTED', 'The SQL Server database step is not available in this build.', { step: 'database' }),
      ),
  };
}
