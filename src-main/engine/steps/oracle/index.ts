// Placeholder until the Oracle database step lands: fails loudly, never pretends.
import type { BackupStep } from '../../step.js';
import { StepError } from '../../step.js';

export function createOracleStep(): BackupStep {
  return {
    id: 'database',
    title: 'Oracle database',
    weight: () => 1,
    run: () =>
      Promise.reject(
        new StepError('NOT_IMPLEMENTED', 'The Oracle database step is not available in this build.', { step: 'database' }),
      ),
  };
}
