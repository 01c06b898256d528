// The Elasticsearch step (snapshot into an fs repository, copy of the repository folder into
// the set) and the connection test behind the UI's "Test" button.
import { STEP_TITLES } from '../../../contract/words.js';
import type { BackupStep } from '../../step.js';
import { preflightElasticsearch } from './preflight.js';
import { DEFAULT_TIMING, runElasticsearch, type EsStepTiming } from './run.js';

export { testElasticsearchConnection } from './preflight.js';
export type { EsStepTiming } from './run.js';

/** `timing` shortens polling and waits (tests); the defaults suit real clusters. */
export function createElasticsearchStep(timing: Partial<EsStepTiming> = {}): BackupStep {
  const t: EsStepTiming = { ...DEFAULT_TIMING, ...timing };
  return {
    id: 'elasticsearch',
    title: STEP_TITLES.elasticsearch,
    phased: true,
    preflight: (ctx) => preflightElasticsearch(ctx),
    run: (ctx) => runElasticsearch(ctx, t),
  };
}
