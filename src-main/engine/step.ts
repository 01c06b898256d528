// The one interface every backup step implements. Steps know nothing about the
// order they run in, the manifest's layout or how events reach the user.
import type { StepCounters } from '../contract/events.js';
import type { ConsistencyPoint, DbClockInfo, ServerInfo } from '../contract/manifest.js';
import type { PreflightCheck } from '../contract/preflight.js';
import type { ComponentId, Profile, RunSecrets } from '../contract/profile.js';
import type { ComponentWriter } from './backup-set/component-writer.js';
import type { Logger } from './logger.js';

export interface ProgressReporter {
  /** fraction: 0..1 within the step. Calls are cheap; the runner throttles what reaches the user. */
  report(fraction: number, counters?: StepCounters): void;
}

/** What a step tells the runner about what it captured (goes into the manifest). */
export interface ComponentRecorder {
  server(info: ServerInfo): void;
  consistencyPoint(point: ConsistencyPoint): void;
  /** The statement / call / command as run, secrets already removed. */
  statement(text: string): void;
  detail(key: string, value: unknown): void;
  warn(code: string, message: string, subject?: string): void;
}

/** The DB clock: the authority for time in a set. Set by the database step, read by the others. */
export interface DbClock {
  /** Record a measurement: dbTime is the DB server's time taken between localBefore and localAfter. */
  measure(dbTimeIso: string, localBefore: Date, localAfter: Date): void;
  info(): DbClockInfo | undefined;
  /** This machine's instant expressed on the DB clock (ISO with the DB's offset), if known. */
  toDb(local: Date): string | undefined;
}

export interface StepContext {
  signal: AbortSignal;
  progress: ProgressReporter;
  log: Logger;
  out: ComponentWriter;
  record: ComponentRecorder;
  clock: DbClock;
  profile: Profile;
  secrets: RunSecrets;
  env: NodeJS.ProcessEnv;
}

export interface PreflightContext {
  signal: AbortSignal;
  profile: Profile;
  secrets: RunSecrets;
  env: NodeJS.ProcessEnv;
  log: Logger;
}

export interface BackupStep {
  id: ComponentId;
  title: string;
  preflight?(ctx: PreflightContext): Promise<PreflightCheck[]>;
  run(ctx: StepContext): Promise<void>;
}
