// Errors are data: a stable code, where it happened, plain words and the fix.
import type { ComponentId } from './profile.js';

export interface ErrorInfo {
  code: string;
  message: string;
  /** What the admin should do about it. */
  fix?: string;
  step?: ComponentId | 'preflight' | 'run';
  details?: Record<string, unknown>;
}

export const EXIT_CODES = {
  success: 0,
  failed: 1,
  badInput: 2,
  cancelled: 130,
} as const;
