// Applies a retention plan: deletes every copy (on every destination) of each set the plan marks
// for deletion, re-checking just before each deletion that the folder is still ours, of this
// profile and not being written. A set is first renamed to a ".deleting-…" name in its own folder
// (a rename never follows a link, unlike writing a marker file into it), in every place, and only
// then removed: an interrupted prune leaves folders no reader lists as sets, never a set that still
// claims to be complete. The next prune finishes what an interrupted one left.
import { randomBytes } from 'node:crypto';
import { lstat, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Profile } from '../../contract/profile.js';
import { holdsComponents } from '../../contract/sets.js';
import { profileNameProblem } from '../../contract/profile-schema.js';
import type { RunResult } from '../run-backup.js';
import { summarize } from '../backup-set/list-sets.js';
import { profileDestinations, profileFolder, SET_NAME_PATTERN } from '../backup-set/set-layout.js';
import { ExpectedError } from '../errors.js';
import { isOwnSet, planRetention, type RetentionDecision } from './plan-retention.js';
import { readProfileLock, scanProfileSets, takenComponents, type SetCopy } from './scan-sets.js';

export const DELETING_PREFIX = '.deleting-';
const DELETING_PATTERN =
  /^\.deleting-(\d{8}T\d{6}Z-(?:manual|scheduled|pre-upgrade)-[0-9a-f]{6,})-[0-9a-f]{8}$/;

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

/** Retention refuses a profile whose name cannot be a folder of its own everywhere. */
function requireOwnFolderName(profile: Profile): void {
  const problem = profileNameProblem(profile.profile);
  if (problem)
    throw new ExpectedError('PROFILE_NAME_INVALID', `The profile name "${profile.profile}" ${problem}`, {
      step: 'retention',
      fix: 'Rename the profile; retention deletes nothing for it until then.',
    });
}

export async function planPrune(
  profile: Profile,
  now: Date = new Date(),
  opts: { protect?: string } = {},
): Promise<PrunePlan> {
  requireOwnFolderName(profile);
  const scan = await scanProfileSets(profile);
  const rules: Parameters<typeof planRetention>[1] = {
    retention: profile.retention,
    profile: profile.profile,
  };
  if (opts.protect !== undefined) rules.protect = opts.protect;
  let decisions = planRetention(
    scan.sets.map((s) => s.candidate),
    rules,
    now,
  );
  if (scan.clashes.length > 0)
    decisions = decisions.map((d) =>
      d.action === 'delete'
        ? {
            ...d,
            action: 'keep' as const,
            code: 'name-clash' as const,
            reason: `Kept: sets of profile "${scan.clashes.join('", "')}" share this folder (names differing only in case).`,
          }
        : d,
    );
  for (const d of decisions.filter((x) => x.code === 'future'))
    scan.problems.push(
      `${d.setName} is dated in the future (${d.startedAt ?? '?'}): retention ignores it. Check the clock of the machine that wrote it, or whether the set was copied or planted there.`,
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

/** Which copies of a set may go now; `keepWhole` when one copy must stay (then none goes). */
async function eligibleCopies(
  profile: Profile,
  entry: PrunePlanEntry,
  outcome: PruneOutcome,
): Promise<{ eligible: string[]; keepWhole: boolean }> {
  const eligible: string[] = [];
  let keepWhole = false;
  for (const copy of entry.copies) {
    if (!copy.owned) {
      outcome.skipped.push({ path: copy.path, reason: 'not a set of this tool' });
      continue;
    }
    const st = await lstat(copy.path).catch(() => undefined);
    if (!st?.isDirectory()) {
      outcome.skipped.push({ path: copy.path, reason: 'no longer a folder (gone, or replaced by a link)' });
      continue;
    }
    const now = await summarize(copy.path, entry.profile);
    const hasMarker = copy.hasMarker || now.status === 'incomplete';
    if (!isOwnSet({ ...now, hasMarker }) || now.profile !== profile.profile) {
      outcome.skipped.push({ path: copy.path, reason: 'no longer looks like a set of this profile' });
      keepWhole = true;
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
  return { eligible, keepWhole };
}

/** Renames every copy aside; all or none (a failure puts the renamed ones back). */
async function markAll(paths: string[], outcome: PruneOutcome): Promise<{ from: string; to: string }[]> {
  const moved: { from: string; to: string }[] = [];
  for (const path of paths) {
    const to = join(dirname(path), `${DELETING_PREFIX}${basename(path)}-${randomBytes(4).toString('hex')}`);
    try {
      await rename(path, to);
      moved.push({ from: path, to });
    } catch (err) {
      outcome.failed.push({ path, error: (err as Error).message });
      for (const m of moved.reverse()) await rename(m.to, m.from).catch(() => undefined);
      return [];
    }
  }
  return moved;
}

export async function executePrune(
  profile: Profile,
  plan: PrunePlan,
  opts: { signal?: AbortSignal; onDeleted?: (path: string) => void } = {},
): Promise<PruneOutcome> {
  const outcome: PruneOutcome = { plan, deleted: [], failed: [], skipped: [] };
  await finishInterrupted(profile);
  // Oldest first: an interrupted prune has then removed the least valuable sets.
  const order = [...plan.toDelete].sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
  for (const entry of order) {
    // Cancel only between sets: every copy of a set is renamed away before any is removed.
    if (opts.signal?.aborted) return outcome;
    const { eligible, keepWhole } = await eligibleCopies(profile, entry, outcome);
    if (keepWhole) {
      for (const path of eligible)
        outcome.skipped.push({ path, reason: 'another copy of this set must be kept' });
      continue;
    }
    for (const { from, to } of await markAll(eligible, outcome)) {
      try {
        // rm never follows a link inside the folder: it removes the link itself.
        await rm(to, { recursive: true, force: true, maxRetries: 3 });
        outcome.deleted.push(from);
        opts.onDeleted?.(from);
      } catch (err) {
        outcome.failed.push({ path: from, error: (err as Error).message });
      }
    }
  }
  return outcome;
}

/** Removes what an interrupted prune renamed aside (".deleting-<set>-<id>" folders of this profile). */
async function finishInterrupted(profile: Profile): Promise<void> {
  for (const dest of profileDestinations(profile)) {
    const folder = profileFolder(dest, profile.profile);
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names) {
      const m = DELETING_PATTERN.exec(name);
      if (!m || !SET_NAME_PATTERN.test(m[1] ?? '')) continue;
      await rm(join(folder, name), { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
    }
  }
}

export interface PruneAfterRunResult {
  pruned: boolean;
  /** Why nothing was pruned, when so. */
  reason?: string;
  outcome?: PruneOutcome;
}

/**
 * Called after a run (scheduled or from the UI). Prunes only when the profile asks for it
 * (retention.pruneAfterRun), the run produced a usable set (every component the profile takes), and (with verify after every run)
 * verify found it intact — so a failing schedule can never eat the last good backups. The set
 * the run just wrote is never deleted by this prune.
 */
export async function pruneAfterRun(
  profile: Profile,
  result: Pick<RunResult, 'status' | 'manifest'> & { setName?: string },
  opts: { now?: Date; signal?: AbortSignal; damaged?: boolean } = {},
): Promise<PruneAfterRunResult> {
  if (profile.retention?.pruneAfterRun !== true)
    return { pruned: false, reason: 'retention.pruneAfterRun is not set.' };
  if (
    (result.status !== 'succeeded' && result.status !== 'succeeded-with-warnings') ||
    !holdsComponents(result.manifest, takenComponents(profile))
  )
    return { pruned: false, reason: 'The run did not produce a usable set; older sets are kept.' };
  if (opts.damaged === true)
    return { pruned: false, reason: 'Verify found the new set damaged; older sets are kept.' };
  const plan = await planPrune(profile, opts.now ?? new Date(), {
    protect: result.setName ?? result.manifest.setName,
  });
  const execOpts: { signal?: AbortSignal } = {};
  if (opts.signal) execOpts.signal = opts.signal;
  const outcome = await executePrune(profile, plan, execOpts);
  return { pruned: true, outcome };
}
