// Placeholder until the Elasticsearch step lands: fails loudly, never pretends.
import type { BackupStep } from '../../step.js';
import { StepError } from '../../step.js';

export function createElasticsearchStep(): BackupStep {
  return {
    id: 'elasticsearch',
    title: 'Elasticsearch',
    weight: () => 1,
    run: () =>
      Promise.reject(
        new StepError('NOT_IMPLEMENTED', 'The Elasticsearch step is not available in this build.', { step: 'elasticsearch' }),
      ),
  };
}
