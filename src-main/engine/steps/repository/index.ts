// Placeholder until the repository-folder step lands: fails loudly, never pretends.
import type { BackupStep } from '../../step.js';
import { StepError } from '../../step.js';

export function createRepositoryStep(): BackupStep {
  return {
    id: 'repository',
    title: 'Repository folder',
    weight: () => 1,
    run: () =>
      Promise.reject(new StepError('NOT_IMPLEMENTED', 'The repository step is not available in this build.', { step: 'repository' })),
  };
}
