// "Which sets would retention delete, and why" and "delete them", for the CLI's prune and the
// window's Retention panel alike. Applying always re-plans: a set that became the newest good one,
// got pinned or started being written since the admin looked at the plan is kept.
import type { Profile } from '../../contract/profile.js';
import { executePrune, planPrune, type PruneOutcome, type PrunePlan } from '../retention/prune.js';

export function planRetention(profile: Profile, now: Date = new Date()): Promise<PrunePlan> {
  return planPrune(profile, now);
}

export interface ApplyRetentionOptions {
  now?: Date;
  /** Only these sets (what the admin confirmed); default every set the fresh plan deletes. */
  confirmed?: readonly string[];
  /** Stops between sets (never in the middle of one). */
  signal?: AbortSignal;
  onDeleted?: (path: string) => void;
}

export interface RetentionOutcome extends PruneOutcome {
  /** Confirmed sets that the fresh plan keeps. */
  notDeleted: string[];
}

export async function applyRetention(
  profile: Profile,
  opts: ApplyRetentionOptions = {},
): Promise<RetentionOutcome> {
  const plan = await planPrune(profile, opts.now ?? new Date());
  const confirmed = opts.confirmed ? new Set(opts.confirmed) : undefined;
  const toDelete = confirmed ? plan.toDelete.filter((e) => confirmed.has(e.setName)) : plan.toDelete;
  const execOpts: { signal?: AbortSignal; onDeleted?: (path: string) => void } = {};
  if (opts.signal) execOpts.signal = opts.signal;
  if (opts.onDeleted) execOpts.onDeleted = opts.onDeleted;
  const outcome = await executePrune(
    profile,
    { ...plan, toDelete, bytesToFree: toDelete.reduce((a, e) => a + e.bytes, 0) },
    execOpts,
  );
  const deleting = new Set(toDelete.map((e) => e.setName));
  return { ...outcome, notDeleted: (opts.confirmed ?? []).filter((n) => !deleting.has(n)) };
}
