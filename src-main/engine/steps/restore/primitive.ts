// The shape every per-store restore primitive (SQL Server, Oracle, Elasticsearch) shares. The
// restore use-case and the rehearsal orchestrate these; the primitives know nothing about the order
// of the stores, journals on disk, the CLI or the app.
//
//   plan(ctx)    the ordered statements / API calls / copies as text; changes nothing
//   check(ctx)   preconditions as PreflightChecks, each failure with a plain fix; changes nothing
//   run(ctx)     does it: progress 0..1 with counters, the AbortSignal honoured everywhere,
//                failures as ExpectedErrors that say what was restored and what was not
//   cleanup(..)  removes exactly the scratch objects it is given (from a journal), nothing else
import type { ComponentRecord, Manifest } from '../../../contract/manifest.js';
import type { PreflightCheck } from '../../../contract/preflight.js';
import type { ComponentId, Profile, RunSecrets } from '../../../contract/profile.js';
import type { RestorePlan, ScratchObject } from '../../../contract/restore.js';
import { abortError, ExpectedError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { ProgressReporter } from '../../step.js';

export type RestoreTarget =
  | { kind: 'in-place' }
  /** setId: the set's short id, part of every scratch name so two rehearsals never collide. */
  | { kind: 'scratch'; setId: string };

/** The set being restored, as read (and verified) by the caller. */
export interface RestoreSetView {
  /** The set folder that holds this component's folder (absolute). */
  root: string;
  manifest: Manifest;
}

/** What plan() and check() get: enough to look, nothing to report progress on. */
export interface RestoreLookContext {
  signal: AbortSignal;
  log: Logger;
  /** The profile describing the target installation (the same one, or a second for new servers). */
  profile: Profile;
  secrets: RunSecrets;
  env: NodeJS.ProcessEnv;
  set: RestoreSetView;
  target: RestoreTarget;
}

export interface RestoreContext extends RestoreLookContext {
  progress: ProgressReporter;
  /** Each statement, call or copy as it runs (secrets removed), for the restore report. */
  statement(text: string): void;
  warn(code: string, message: string, subject?: string): void;
  /** Awaited before a scratch or temporary object is created: the caller journals it first. */
  journal(object: ScratchObject): Promise<void>;
  /**
   * A journaled object turned out not to be ours (its name was taken by someone else between the
   * check and the creation): the caller drops it from the journal so no cleanup ever removes it.
   */
  unjournal?(object: ScratchObject): void;
}

export interface CleanupResult {
  removed: ScratchObject[];
  /** Listed, but already gone: nothing to do. */
  absent: ScratchObject[];
  failed: { object: ScratchObject; message: string }[];
}

export interface RestorePrimitive<Options, Result> {
  component: ComponentId;
  plan(ctx: RestoreLookContext, options: Options): Promise<RestorePlan>;
  check(ctx: RestoreLookContext, options: Options): Promise<PreflightCheck[]>;
  run(ctx: RestoreContext, options: Options): Promise<Result>;
  cleanup(ctx: RestoreLookContext, objects: ScratchObject[]): Promise<CleanupResult>;
}

/** The set's record of a component; a set without it (or with it not taken) cannot restore it. */
export function componentOf(set: RestoreSetView, id: ComponentId): ComponentRecord {
  const c = Array.isArray(set.manifest.components)
    ? set.manifest.components.find((x) => x?.id === id)
    : undefined;
  if (!c || (c.status !== 'succeeded' && c.status !== 'succeeded-with-warnings'))
    throw new ExpectedError(
      'RESTORE_COMPONENT_NOT_IN_SET',
      `The set ${set.manifest.setName ?? set.root} holds no usable ${id} backup (${c ? `its ${id} step ${c.status}` : `no ${id} component`}).`,
      {
        step: 'restore',
        fix: `Choose a set whose ${id} component succeeded (History shows each component's status), or leave ${id} out of this restore.`,
      },
    );
  return c;
}

/** A details value of the manifest as an object (set contents are untrusted input). */
export function detailObject(c: ComponentRecord, key: string): Record<string, unknown> | undefined {
  const v = c.details?.[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function detailArray(c: ComponentRecord, key: string): unknown[] {
  const v = c.details?.[key];
  return Array.isArray(v) ? v : [];
}

export const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

export const count = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;

/**
 * A cancel that says what state it leaves: an AbortError (isAbortError() still recognises it) whose
 * message ends with the summary and whose `details` carry the per-object outcome.
 */
export function cancelledLeaving(summary: string, details: Record<string, unknown>): Error {
  const e = abortError();
  e.message = `${e.message}${summary ? ` ${summary}` : ''}`;
  return Object.assign(e, { details });
}
