// A restore of a whole set, as every front end sees it: what it would do (the preparation: the
// verified set, the stages, the preconditions and the plans), the events while it runs and the
// report it leaves. Shared by the engine, the CLI (--json) and the window (over IPC).
import type { ErrorInfo } from './errors.js';
import type { ComponentStatus, RunStatus, StepCounters } from './events.js';
import type { CheckStatus } from './preflight.js';
import type { BackupKind } from './profile.js';
import type { Result } from './result.js';
import { RESTORE_STAGES, type RestorePlan, type RestoreStageId } from './restore.js';

export { RESTORE_STAGES, type RestoreStageId };

export const RESTORE_STAGE_TITLES: Record<RestoreStageId, string> = {
  database: 'Database',
  elasticsearch: 'Elasticsearch indices',
  config: "Octane's config files",
  repository: 'Repository folder',
};

/** Each stage inside a sentence ("the database was restored"). */
export const RESTORE_STAGE_NOUNS: Record<RestoreStageId, string> = {
  database: 'the database',
  elasticsearch: 'the Elasticsearch indices',
  config: "Octane's config files",
  repository: 'the repository folder',
};

/** "the database stays as it is now" / "the Elasticsearch indices stay as they are now". */
export function staysAsItIs(id: RestoreStageId): string {
  const plural = id === 'elasticsearch' || id === 'config';
  return `${RESTORE_STAGE_NOUNS[id]} ${plural ? 'stay as they are' : 'stays as it is'} now`;
}

/** One stage as the admin chooses it. */
export interface RestoreStageChoice {
  id: RestoreStageId;
  /** With what it holds: "Database (SQL Server: octane_site, octane_sp_1001)". */
  title: string;
  /** The set holds it intact (verify) and the profile says where it goes. */
  available: boolean;
  /** Why it is not available, in plain words. */
  reason?: string;
  /** Chosen for this restore (default: every available stage). */
  selected: boolean;
  /** Bytes of the set it restores (weights the progress). */
  bytes: number;
}

/** A precondition: Octane stopped, the set verified, a target check of a stage. */
export interface RestoreCheck {
  id: string;
  /** 'set': the set itself; 'octane': the application is stopped; else the stage it guards. */
  scope: RestoreStageId | 'set' | 'octane';
  title: string;
  status: CheckStatus;
  message: string;
  fix?: string;
}

export interface RestorePreparation {
  setPath: string;
  setName: string;
  setId: string;
  /** The profile that wrote the set. */
  setProfile: string;
  /** The profile describing the target installation (the same one, or a second for new servers). */
  profile: string;
  kind?: BackupKind;
  label?: string;
  takenAt?: string;
  verify: { verdict: 'intact' | 'intact-partial' | 'damaged'; problems: string[] };
  stages: RestoreStageChoice[];
  /** Every precondition of every available stage, the set and Octane (select with readinessOf). */
  checks: RestoreCheck[];
  /** The plan of every available stage, in the order the stages run. */
  plans: RestorePlan[];
  /** Neither the Octane service nor its URL is in the profile: the admin confirms Octane is stopped. */
  confirmStopped: boolean;
  /** Made without asking the servers (the runbook written at backup time): checks are not run. */
  offline: boolean;
  generatedAt: string;
}

export interface Readiness {
  ready: boolean;
  /** Why not, each with its fix. */
  problems: string[];
  /** What the admin must know: a partial restore, what stays as it is. */
  notes: string[];
}

/** Stage titles joined for a sentence: "the database and the repository folder". */
export function stageList(ids: readonly RestoreStageId[]): string {
  const names = ids.map((id) => RESTORE_STAGE_NOUNS[id]);
  if (names.length <= 1) return names[0] ?? 'nothing';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * Whether a restore of `selected` may start: the stages chosen are available, their checks (and
 * the set's and Octane's) pass, and Octane is confirmed stopped when nothing could check it.
 * The same rule for the CLI, the window and the engine (which applies it again before starting).
 */
export function readinessOf(
  p: RestorePreparation,
  selected: readonly RestoreStageId[],
  stoppedConfirmed: boolean,
  /** The admin named the components (--only, or ticked in the window); false: "everything the set holds". */
  explicit = true,
): Readiness {
  const problems: string[] = [];
  const notes: string[] = [];
  if (selected.length === 0) problems.push('No component is chosen: choose at least one to restore.');
  const lacking = p.stages.filter((s) => !s.available && s.id !== 'config');
  if (!explicit && (p.verify.verdict !== 'intact' || lacking.length > 0)) {
    const good = p.stages.filter((s) => s.available).map((s) => s.id);
    problems.push(
      `This set cannot be restored as a whole: ${
        lacking.length
          ? lacking
              .map((s) => `${RESTORE_STAGE_NOUNS[s.id]} cannot (${s.reason ?? 'not in the set'})`)
              .join('; ')
          : `it did not verify intact (${p.verify.problems.slice(0, 2).join(' ')})`
      }. ${good.length ? `To restore only what is good, name it: --only ${good.join(',')}.` : 'Nothing in it can be restored: choose another set.'}`,
    );
  }
  for (const id of selected) {
    const st = p.stages.find((x) => x.id === id);
    if (!st?.available)
      problems.push(
        `${RESTORE_STAGE_TITLES[id]} cannot be restored from this set: ${st?.reason ?? 'not in the set'}.`,
      );
  }
  const scopes = new Set<RestoreCheck['scope']>(['set', 'octane', ...selected]);
  for (const c of p.checks)
    if (scopes.has(c.scope) && c.status === 'failed')
      problems.push(`${c.title}: ${c.message}${c.fix ? ` Fix: ${c.fix}` : ''}`);
  if (p.confirmStopped && !stoppedConfirmed)
    problems.push(
      'Octane must be stopped on every node before a restore, and the profile names neither its service nor its URL, so the tool cannot check it. Stop Octane, then confirm it (or add octaneService / octaneUrl to the profile).',
    );
  const full: RestoreStageId[] = ['database', 'elasticsearch', 'repository'];
  const left = full.filter((id) => !selected.includes(id));
  if (selected.length > 0 && left.length > 0)
    notes.push(
      `A PARTIAL restore: only ${stageList(selected.filter((id) => id !== 'config'))} come back from the set; ${stageList(left)} stay as they are now, so Octane's stores will not all be from the same moment.`,
    );
  if (p.verify.verdict !== 'intact')
    notes.push(
      p.verify.verdict === 'damaged'
        ? 'The set is damaged or incomplete: only the components that verified intact can be restored.'
        : 'The set is not a full Octane backup (its profile left components out).',
    );
  return { ready: problems.length === 0, problems, notes };
}

// ---- While it runs ----

export type RestoreStageStatus = ComponentStatus;

interface Base {
  restoreId: string;
  /** ISO-8601, this machine's clock. */
  at: string;
}

export type RestoreEvent =
  | (Base & {
      type: 'restore-started';
      profile: string;
      setName: string;
      setPath: string;
      stages: { id: RestoreStageId; title: string; selected: boolean }[];
    })
  | (Base & { type: 'stage-started'; stage: RestoreStageId; title: string })
  | (Base & {
      type: 'stage-progress';
      stage: RestoreStageId;
      /** 0..1 within the stage. */
      fraction: number;
      /** 0..1 over the whole restore (weighted by the bytes each stage restores). */
      overall: number;
      counters: StepCounters;
      /** What a Cancel at this moment leaves of this stage, in plain words. */
      leaves?: string;
    })
  | (Base & { type: 'stage-warning'; stage: RestoreStageId; code: string; message: string })
  | (Base & { type: 'log'; level: 'info' | 'warn' | 'error'; stage?: RestoreStageId; message: string })
  | (Base & {
      type: 'stage-finished';
      stage: RestoreStageId;
      status: RestoreStageStatus;
      /** Measured recovery time of this store, ms. */
      durationMs?: number;
      /** The state the stage left its store in, with the way back. */
      state: string;
      error?: ErrorInfo;
    })
  | (Base & { type: 'restore-finished'; status: RunStatus; report: RestoreReport });

// ---- What it leaves ----

export interface RestoreStageReport {
  id: RestoreStageId;
  title: string;
  status: RestoreStageStatus;
  startedAt?: string;
  finishedAt?: string;
  /** Measured recovery time of this store, ms. */
  durationMs?: number;
  /** The state its store is in now, with the way back. */
  state: string;
  /** Statements, API calls and copies as they ran (secrets removed). */
  statements: string[];
  warnings: { code: string; message: string }[];
  error?: ErrorInfo;
  /** The primitive's own result (databases, indices, files), as data. */
  details?: unknown;
}

export interface RestoreReport {
  formatVersion: 1;
  restoreId: string;
  status: RunStatus;
  setPath: string;
  setName: string;
  setId: string;
  profile: string;
  host: string;
  tool: { name: string; version: string };
  startedAt: string;
  finishedAt: string;
  /** How Octane was found stopped (checks, or the admin's confirmation). */
  octane: string[];
  verify: RestorePreparation['verify'];
  stages: RestoreStageReport[];
  /** Plain words: what came back from the set, and what did not. */
  restored: string[];
  notRestored: string[];
  notes: string[];
  nextSteps: string[];
  error?: ErrorInfo;
  /** Where this report was written (JSON, and the same in Markdown next to it). */
  reportPath?: string;
}

/** What a Cancel now leaves, for the confirmation dialog: the stages done, the one running, the rest. */
export function cancelLeaves(
  stages: readonly { id: RestoreStageId; status: RestoreStageStatus | 'pending'; selected: boolean }[],
  running?: { id: RestoreStageId; leaves?: string },
): string {
  const done = stages.filter((s) => s.status === 'succeeded' || s.status === 'succeeded-with-warnings');
  const later = stages.filter((s) => s.selected && s.status === 'pending' && s.id !== running?.id);
  const parts: string[] = [];
  if (running)
    parts.push(
      running.leaves ??
        `${RESTORE_STAGE_TITLES[running.id]} stops where it is and is left partly restored; run the restore of it again.`,
    );
  if (done.length) parts.push(`Already restored from the set and kept: ${stageList(done.map((s) => s.id))}.`);
  if (later.length) parts.push(`Not touched: ${stageList(later.map((s) => s.id))}.`);
  if (running || done.length)
    parts.push('Keep Octane stopped until the restore has been run again to the end.');
  return parts.join(' ');
}

// ---- Over IPC (the window) ----

export interface RestorePrepareRequest {
  /** The stored profile describing the target installation. */
  profile: string;
  setPath: string;
}

export interface RestoreStartRequest extends RestorePrepareRequest {
  only: RestoreStageId[];
  /** The profile name as the admin typed it: must equal `profile`. */
  confirmName: string;
  /** The admin ticked "Octane is stopped on every node" (needed when nothing can check it). */
  octaneStopped: boolean;
}

export interface RestoreJob {
  jobId: string;
  profile: string;
  setPath: string;
  startedAt: string;
}

export interface RestoreEventMessage {
  jobId: string;
  event: RestoreEvent;
}

export interface RestoreDoneMessage {
  jobId: string;
  profile: string;
  /** The report, or why the restore did not start (details.problems: the preconditions that fail). */
  result: Result<RestoreReport>;
}
