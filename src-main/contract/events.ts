// Run events: one serialisable union shared by the engine, the CLI (--json) and the UI (over IPC).
import type { ErrorInfo } from './errors.js';
import type { BackupKind, CaptureMode, ComponentId } from './profile.js';

export type RunStatus = 'succeeded' | 'succeeded-with-warnings' | 'failed' | 'cancelled';
export type ComponentStatus = RunStatus | 'running' | 'skipped' | 'not-run';

export interface StepCounters {
  bytesDone?: number;
  bytesTotal?: number;
  itemsDone?: number;
  itemsTotal?: number;
  /** Averaged over the last few seconds. */
  bytesPerSecond?: number;
  etaSeconds?: number;
  /** Short human text: what is happening now. */
  message?: string;
  /** The statement / API call / command in progress (secrets removed). */
  activity?: string;
}

export interface StepPlan {
  id: ComponentId;
  title: string;
  /** Share of the overall progress, relative to the other enabled steps. */
  weight: number;
  enabled: boolean;
}

/**
 * The set's consistency window: from the database's consistency point to the point of the last
 * store captured (Elasticsearch's snapshot start, the repository's freeze), on the DB clock.
 * (Named "skew" since the first manifests; its fields keep their names.)
 */
export interface SkewInfo {
  /** DB consistency point (ISO-8601 with offset, on the DB clock when known). */
  consistencyPoint?: string;
  /** The repository's point (its freeze, or the end of its capture), translated to the DB clock when known. */
  repositoryCaptureEnd?: string;
  /** Each captured store's point, on the same clock (database → elasticsearch → repository). */
  points?: Partial<Record<ComponentId, string>>;
  /** How the repository folder was captured. */
  captureMode?: CaptureMode;
  /** Seconds from the database point to the last store's point. */
  windowSeconds?: number;
  toleranceSeconds: number;
  withinTolerance?: boolean;
  /** Which clock the two times above are on. */
  clock: 'database' | 'local';
  note?: string;
}

interface Base {
  runId: string;
  /** ISO-8601, this machine's clock. */
  at: string;
}

export type RunEvent =
  | (Base & {
      type: 'run-started';
      profile: string;
      kind: BackupKind;
      setName: string;
      /** Where the set lives: one folder per distinct destination. */
      setPaths: string[];
      steps: StepPlan[];
    })
  | (Base & { type: 'step-started'; step: ComponentId; title: string })
  | (Base & {
      type: 'step-progress';
      step: ComponentId;
      /** 0..1 within the step. */
      fraction: number;
      /** 0..1 over the whole run (weighted). */
      overall: number;
      counters: StepCounters;
    })
  | (Base & { type: 'step-warning'; step: ComponentId; code: string; message: string })
  | (Base & { type: 'log'; level: 'info' | 'warn' | 'error'; step?: ComponentId; message: string })
  | (Base & {
      type: 'step-finished';
      step: ComponentId;
      status: ComponentStatus;
      error?: ErrorInfo;
      artifacts: number;
      bytes: number;
    })
  | (Base & {
      type: 'run-finished';
      status: RunStatus;
      setName: string;
      setPaths: string[];
      manifestPaths: string[];
      skew: SkewInfo;
      warnings: number;
      error?: ErrorInfo;
    });

export type RunEventType = RunEvent['type'];
