// Applies a retention plan: deletes every copy (on every destination) of each set the plan
// marks for deletion, re-checking just before each deletion that the folder is still ours and
// not being written. A deletion that is interrupted leaves a set marked incomplete, never one
// that still claims to be complete.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IN_PROGRESS_MARKER } from '../../contract/manifest.js';
import { PRIVATE_FILE_MODE } from '../backup-set/private-modes.js';
import type { Profile } from '../../contract/profile.js';
import type { RunResult } from '../run-backup.js';
import { summarize } from '../backup-set/list-sets.js';
import { isOwnSet, planRetention, type RetentionDecision } from './plan-retention.js';
import { readProfileLock, scanProfileSets, type SetCopy } from './scan-sets.js';
import { pathExists } from '../path-exists.js';

export interface PrunePlanEntry extends RetentionDecision {
  copies: SetCopy[];
}

export interface PrunePlan {
  profile: string;
  computedAt: string;
  entries: PrunePlanEntry[];
  /** Sets (all copies) that a prune would delete. */
  toDelete: PrunePlanEntry[];
  bytesToFree: number;
  problems: string[];
}

export interface PruneOutcome {
  plan: PrunePlan;
  deleted: string[];
  failed: { path: string; error: string }[];
  /** Copies left because they changed since the plan (now running, no longer ours). */
  skipped: { path: string; reason: string }[];
}

export async function planPrune(profile: Profile, now: Date = new Date()): Promise<PrunePlan> {
  const scan = await scanProfileSets(profile);
  const decisions = planRetention(
    scan.sets.map((s) => s.candidate),
    profile.retention,
    now,
  );
  const copiesOf = new Map(scan.sets.map((s) => [s.candidate.setName, s.copies]));
  const entries = decisions.map((d) => ({ ...d, copies: copiesOf.get(d.setName) ?? [] }));
  const toDelete = entries.filter((e) => e.action === 'delete');
  return {
    profile: profile.profile,
    computedAt: now.toISOString(),
    entries,
    toDelete,
    bytesToFree: toDelete.reduce((a, e) => a + e.bytes, 0),
    problems: scan.problems,
  };
}

export async function executePrune(
  profile: Profile,
  plan: PrunePlan,
  opts: { signal?: AbortSignal; onDeleted?: (path: string) => void } = {},
): Promise<PruneOutcome> {
  const outcome: PruneOutcome = { plan, deleted: [], failed: [], skipped: [] };
  // Oldest first: an interrupted prune has then removed the least valuable sets.
  const order = [...plan.toDelete].sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
  for (const entry of order) {
    // Cancel only between sets: a set is marked "not usable" in every place before any copy
    // goes, so an interrupted prune never leaves one copy that still looks complete.
    if (opts.signal?.aborted) return outcome;
    const eligible: string[] = [];
    let keepWhole = false;
    for (const copy of entry.copies) {
      if (!copy.owned) {
        outcome.skipped.push({ path: copy.path, reason: 'not a set of this tool' });
        continue;
      }
      const now = await summarize(copy.path, entry.profile);
      const hasMarker = await pathExists(join(copy.path, IN_PROGRESS_MARKER));
      if (!isOwnSet({ ...now, hasMarker })) {
        outcome.skipped.push({ path: copy.path, reason: 'no longer looks like a set of this tool' });
        continue;
      }
      if (now.pinned) {
        outcome.skipped.push({ path: copy.path, reason: 'pinned since the plan was made' });
        keepWhole = true;
        continue;
      }
      if (hasMarker) {
        const lock = await readProfileLock(profile);
        if (lock.held && (lock.runId === undefined || entry.setName.endsWith(`-${lock.runId.slice(0, 8)}`))) {
          outcome.skipped.push({ path: copy.path, reason: 'being written right now' });
          keepWhole = true;
          continue;
        }
      }
      eligible.push(copy.path);
    }
    if (keepWhole) {
      for (const path of eligible)
        outcome.skipped.push({ path, reason: 'another copy of this set must be kept' });
      continue;
    }
    const marked: string[] = [];
    for (const path of eligible) {
      try {
        await writeFile(
          join(path, IN_PROGRESS_MARKER),
          `This backup set is being deleted by retention (${entry.reason}). It is NOT a usable backup.\r\n`,
          { mode: PRIVATE_FILE_MODE },
        );
        marked.push(path);
      } catch (err) {
        outcome.failed.push({ path, error: (err as Error).message });
      }
    }
    for (const path of marked) {
      try {
        await rm(path, { recursive: true, force: true, maxRetries: 3 });
        outcome.deleted.push(path);
        opts.onDeleted?.(path);
      } catch (err) {
        outcome.failed.push({ path, error: (err as Error).message });
      }
    }
  }
  return outcome;
}

export interface PruneAfterRunResult {
  pruned: boolean;
  /** Why nothing was pruned, when so. */
  reason?: string;
  outcome?: PruneOutcome;
}

/**
 * Called after a run (scheduled or from the UI). Prunes only when the profile asks for it
 * (retention.pruneAfterRun) and the run produced a complete set, so a failing schedule can
 * never eat the last good backups.
 */
export async function pruneAfterRun(
  profile: Profile,
  result: Pick<RunResult, 'status' | 'manifest'>,
  opts: { now?: Date; signal?: AbortSignal } = {},
): Promise<PruneAfterRunResult> {
  if (profile.retention?.pruneAfterRun !== true)
    return { pruned: false, reason: 'retention.pruneAfterRun is not set.' };
  if (
    !result.manifest.complete ||
    (result.status !== 'succeeded' && result.status !== 'succeeded-with-warnings')
  )
    return { pruned: false, reason: 'The run did not produce a complete set; older sets are kept.' };
  const plan = await planPrune(profile, opts.now ?? new Date());
  const execOpts: { signal?: AbortSignal } = {};
  if (opts.signal) execOpts.signal = opts.signal;
  const outcome = await executePrune(profile, plan, execOpts);
  return { pruned: true, outcome };
}
