// The words the tool uses for its own things, in one place: the CLI, the e-mail, the Event Log,
// notifications and the window all say the same.
import type { ComponentStatus, RunStatus } from './events.js';
import type { ComponentId } from './profile.js';
import type { SetSummary } from './sets.js';

/** Each store's name as a heading ("Database", "Elasticsearch indices", "Repository folder"). */
export const COMPONENT_TITLES: Record<ComponentId, string> = {
  database: 'Database',
  elasticsearch: 'Elasticsearch indices',
  repository: 'Repository folder',
};

/** Each store's name inside a sentence ("the database was not taken"). */
export const COMPONENT_NOUNS: Record<ComponentId, string> = {
  database: 'the database',
  elasticsearch: 'the Elasticsearch indices',
  repository: 'the repository folder',
};

/** A status as a label (badges, tables). */
export const STATUS_LABELS: Record<ComponentStatus, string> = {
  succeeded: 'Succeeded',
  'succeeded-with-warnings': 'Succeeded with warnings',
  failed: 'Failed',
  cancelled: 'Cancelled',
  running: 'Running',
  skipped: 'Not configured',
  'not-run': 'Not run',
};

/** A run's outcome inside a sentence: "Backup of nightly succeeded with warnings". */
export const STATUS_WORDS: Record<RunStatus, string> = {
  succeeded: 'succeeded',
  'succeeded-with-warnings': 'succeeded with warnings',
  failed: 'FAILED',
  cancelled: 'was cancelled',
};

/** Each step's title, by the thing that takes the store (the run screen, the CLI and the log). */
export const STEP_TITLES = {
  sqlserver: 'SQL Server database',
  oracle: 'Oracle database (Data Pump)',
  elasticsearch: 'Elasticsearch',
  repository: 'Repository folder',
} as const;

/**
 * A set's state in one word, as `list` prints it and History and the Overview show it: damaged and
 * unreadable come first, so a set that must not be trusted never reads as "succeeded".
 */
export function setStateWord(s: Pick<SetSummary, 'status' | 'damaged' | 'complete'>): string {
  if (s.status === 'unreadable') return 'UNREADABLE';
  if (s.damaged === true) return 'DAMAGED (verify)';
  if (s.status === 'incomplete') return 'INCOMPLETE';
  return s.complete ? s.status : `${s.status} (not full)`;
}
