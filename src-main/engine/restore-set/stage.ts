// One stage of a whole-set restore (database, Elasticsearch, config files, repository folder)
// behind one small shape: whether the set can give it, what it would do and check (look), doing
// it (run) and removing what it journaled (cleanup). The use-case runs the stages in order; the
// rehearsal can reuse them with a scratch target.
import type { ErrorInfo } from '../../contract/errors.js';
import type { StepCounters } from '../../contract/events.js';
import type { ComponentId, Profile, RunSecrets } from '../../contract/profile.js';
import type { RestoreCheck, RestoreStageChoice, RestoreStageId } from '../../contract/restore-run.js';
import type { RestorePlan, ScratchObject } from '../../contract/restore.js';
import type { Logger } from '../logger.js';
import type { EsRestoreOptions, EsRestoreResult } from '../steps/elasticsearch/restore/index.js';
import type { OracleRestoreOptions, OracleRestoreResult } from '../steps/oracle/restore/index.js';
import type { CleanupResult, RestorePrimitive, RestoreTarget } from '../steps/restore/primitive.js';
import type { SqlServerRestoreOptions, SqlServerRestoreResult } from '../steps/sqlserver/restore/index.js';
import type { SetUnderRestore } from './set-view.js';

export interface StageEnv {
  set: SetUnderRestore;
  profile: Profile;
  secrets: RunSecrets;
  env: NodeJS.ProcessEnv;
  log: Logger;
  signal: AbortSignal;
  target: RestoreTarget;
  /** Stamp of the folders and files moved aside. */
  now: Date;
  factories: PrimitiveFactories;
}

/** How the database and Elasticsearch primitives are made (tests give stand-in drivers or timings). */
export interface PrimitiveFactories {
  sqlserver: () => RestorePrimitive<SqlServerRestoreOptions, SqlServerRestoreResult>;
  oracle: () => RestorePrimitive<OracleRestoreOptions, OracleRestoreResult>;
  elasticsearch: () => RestorePrimitive<EsRestoreOptions, EsRestoreResult>;
}

/** live: ask the servers and look at the targets; offline: from the set alone (the runbook at backup time). */
export type LookMode = 'live' | 'offline';

export interface StageLook {
  checks: RestoreCheck[];
  plan: RestorePlan;
}

export interface StageHooks {
  /** fraction 0..1 within the stage; `leaves`: what a Cancel now leaves of it. */
  progress(fraction: number, counters: StepCounters, leaves?: string): void;
  statement(text: string): void;
  warn(code: string, message: string): void;
  journal(object: ScratchObject): Promise<void>;
  unjournal(object: ScratchObject): void;
}

export interface StageOutcome {
  status: 'succeeded' | 'succeeded-with-warnings' | 'failed' | 'cancelled';
  /** The state its store is in now, with the way back. */
  state: string;
  error?: ErrorInfo;
  details?: unknown;
}

export interface RestoreStage {
  id: RestoreStageId;
  /** Why the set cannot give this stage (undefined when it can). */
  unavailable(env: StageEnv): string | undefined;
  /** Title with what it holds: "Database (SQL Server: octane_site, octane_sp_1001)". */
  title(env: StageEnv): string;
  /** Bytes of the set this stage reads (weights the progress). */
  bytes(env: StageEnv): number;
  look(env: StageEnv, mode: LookMode): Promise<StageLook>;
  run(env: StageEnv, hooks: StageHooks): Promise<StageOutcome>;
  /** Removes exactly the journaled temporaries still there (staged files, temporary registrations). */
  cleanup(env: StageEnv, objects: ScratchObject[]): Promise<CleanupResult>;
}

/** A primitive's PreflightChecks as restore checks of a stage. */
export function asRestoreChecks(
  stage: RestoreStageId,
  checks: { id: string; title: string; status: RestoreCheck['status']; message: string; fix?: string }[],
): RestoreCheck[] {
  return checks.map((c) => ({
    id: c.id,
    scope: stage,
    title: c.title,
    status: c.status,
    message: c.message,
    ...(c.fix !== undefined && { fix: c.fix }),
  }));
}

/** Sum of the bytes of a component's artifacts in the manifest. */
export function componentBytes(env: StageEnv, id: ComponentId): number {
  const c = env.set.manifest.components.find((x) => x?.id === id);
  return (Array.isArray(c?.artifacts) ? c.artifacts : []).reduce(
    (a, x) => a + (typeof x?.bytes === 'number' && x.bytes > 0 ? x.bytes : 0),
    0,
  );
}

/** What each stage offers for this set: available (and chosen by default) or why not. */
export function stageChoices(stages: readonly RestoreStage[], env: StageEnv): RestoreStageChoice[] {
  return stages.map((s) => {
    const reason = s.unavailable(env);
    return {
      id: s.id,
      title: s.title(env),
      available: reason === undefined,
      ...(reason !== undefined && { reason }),
      selected: reason === undefined,
      bytes: s.bytes(env),
    };
  });
}
