// Errors are data: a stable code, where it happened, plain words and the fix.
import type { ComponentId } from './profile.js';

/** Where an error happened: a component of the set, or the part of the tool that refused. */
export const ERROR_PLACES = [
  'database',
  'elasticsearch',
  'repository',
  'preflight',
  'run',
  'config',
  'lock',
  'verify',
  'retention',
  'schedule',
  'alerts',
  'drives',
  'restore',
  'rehearsal',
  'export',
  'app',
] as const;
export type ErrorWhere = ComponentId | (typeof ERROR_PLACES)[number];

export interface ErrorInfo {
  code: string;
  message: string;
  /** What the admin should do about it. */
  fix?: string;
  step?: ErrorWhere;
  details?: Record<string, unknown>;
}

export const EXIT_CODES = {
  success: 0,
  failed: 1,
  badInput: 2,
  cancelled: 130,
} as const;

/** A finished run's exit code: the same for the CLI and the app's headless mode. */
export function exitCodeForStatus(
  status: 'succeeded' | 'succeeded-with-warnings' | 'failed' | 'cancelled',
): number {
  switch (status) {
    case 'succeeded':
    case 'succeeded-with-warnings':
      return EXIT_CODES.success;
    case 'cancelled':
      return EXIT_CODES.cancelled;
    case 'failed':
      return EXIT_CODES.failed;
  }
}
