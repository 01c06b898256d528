import type { ComponentId } from './profile.js';

export type CheckStatus = 'ok' | 'warning' | 'failed';

export interface PreflightCheck {
  id: string;
  component: ComponentId | 'destination' | 'profile';
  title: string;
  status: CheckStatus;
  /** What was found, plain words. */
  message: string;
  /** What to do about it, when status is not ok. */
  fix?: string;
}

export interface PreflightReport {
  ok: boolean;
  checks: PreflightCheck[];
}
