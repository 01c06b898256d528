// The one interface every backup step implements. Steps know nothing about the
// order they run in, the manifest's layout or how events reach the user.
import type { StepCounters } from '../contract/events.js';
import type { ConsistencyPoint, DbClockInfo, ServerInfo } from '../contract/manifest.js';
import type { PreflightCheck } from '../contract/preflight.js';
import type { CaptureMode, ComponentId, Profile, RunSecrets } from '../contract/profile.js';
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

/** A point taken on this machine: the instant it was taken and, when not exact, the earliest it can be. */
export interface LocalPoint {
  at: Date;
  notBefore?: Date;
  description: string;
}

/**
 * This store's place in the order of the points: database, then Elasticsearch, then the repository
 * (run-backup.ts says why). A phased step does its preparation, waits for `turn()`, takes its point
 * and reports it with `taken()`, then finishes at leisure while the next store takes its own.
 */
export interface CaptureTurn {
  /** How the repository folder is captured in this run. */
  readonly mode: CaptureMode;
  /**
   * Resolves when this store may take its point: every store before it has taken its own (or
   * ended without one). Rejects with an abort when the run stops first (Cancel, a failed database).
   */
  turn(): Promise<void>;
  /** This store's point, on this machine's clock: recorded on the DB clock, and the next store's turn comes. */
  taken(point: LocalPoint): void;
  /** The work this store must do before the database starts is done (bracketed: the first pass). */
  ready(): void;
}

export interface StepContext {
  signal: AbortSignal;
  progress: ProgressReporter;
  log: Logger;
  out: ComponentWriter;
  record: ComponentRecorder;
  clock: DbClock;
  capture: CaptureTurn;
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
  /**
   * The step follows its CaptureTurn (database: its consistencyPoint() is its point; the others
   * wait for turn() and report taken()), so the runner may overlap it with the other stores.
   * A step without it runs after the stores before it have ended, and its point is its end.
   */
  phased?: boolean;
  preflight?(ctx: PreflightContext): Promise<PreflightCheck[]>;
  run(ctx: StepContext): Promise<void>;
}
