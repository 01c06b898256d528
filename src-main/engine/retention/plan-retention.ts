// Which sets retention keeps and which it deletes, each with its reason. Pure: the UI shows
// the same plan as `prune --dry-run`, and the prune executes exactly this plan.
//
// Never deleted, whatever the rules say:
//  - a pinned set (every pre-upgrade set is pinned);
//  - the newest complete set;
//  - a set still being written (in-progress marker and the profile lock held by its run);
//  - anything that is not provably this tool's set (name pattern AND our manifest or marker).
import { TOOL_NAME } from '../../contract/manifest.js';
import type { RetentionConfig } from '../../contract/profile.js';
import type { SetSummary } from '../../contract/sets.js';
import { SET_NAME_PATTERN } from '../backup-set/set-layout.js';

/** Incomplete sets younger than this are left alone: the run may still be going or being looked at. */
export const INCOMPLETE_GRACE_HOURS = 24;

export type RetentionReason =
  | 'pinned'
  | 'newest-complete'
  | 'keep-last'
  | 'keep-days'
  | 'no-rule'
  | 'running'
  | 'incomplete-recent'
  | 'incomplete-old'
  | 'expired'
  | 'not-ours';

export interface RetentionCandidate extends SetSummary {
  /** The in-progress marker is present (in at least one copy). */
  hasMarker?: boolean;
  /** The run writing this set holds the profile lock right now. */
  running?: boolean;
}

export interface RetentionDecision {
  setName: string;
  path: string;
  profile: string;
  action: 'keep' | 'delete';
  code: RetentionReason;
  /** Plain words, shown by the dry run and the UI. */
  reason: string;
  complete: boolean;
  pinned: boolean;
  startedAt?: string;
  ageHours?: number;
  label?: string;
  bytes: number;
}

/** True only for folders that carry our name pattern and our manifest or our in-progress marker. */
export function isOwnSet(s: RetentionCandidate): boolean {
  if (!SET_NAME_PATTERN.test(s.setName)) return false;
  if (s.manifest) return s.manifest.tool?.name === TOOL_NAME;
  return s.hasMarker === true;
}

/** The set's start: from the manifest, else from the UTC stamp in its name. */
export function setStart(s: SetSummary): Date | undefined {
  if (s.startedAt) {
    const d = new Date(s.startedAt);
    if (!Number.isNaN(d.getTime())) return d;
  }
  const m = SET_NAME_PATTERN.exec(s.setName)?.[1];
  if (!m) return undefined;
  const d = new Date(
    `${m.slice(0, 4)}-${m.slice(4, 6)}-${m.slice(6, 8)}T${m.slice(9, 11)}:${m.slice(11, 13)}:${m.slice(13, 15)}Z`,
  );
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const ageText = (h: number): string => (h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} days`);

export function planRetention(
  sets: RetentionCandidate[],
  retention: RetentionConfig | undefined,
  now: Date,
): RetentionDecision[] {
  const keepLast = retention?.keepLast;
  const keepDays = retention?.keepDays;
  const noRule = keepLast === undefined && keepDays === undefined;
  const byProfile = new Map<string, RetentionCandidate[]>();
  for (const s of sets) byProfile.set(s.profile, [...(byProfile.get(s.profile) ?? []), s]);
  const out: RetentionDecision[] = [];

  for (const group of byProfile.values()) {
    const dated = group
      .map((s) => ({ s, start: setStart(s) }))
      .sort(
        (a, b) =>
          (b.start?.getTime() ?? 0) - (a.start?.getTime() ?? 0) || b.s.setName.localeCompare(a.s.setName),
      );
    const complete = dated.filter(({ s }) => isOwnSet(s) && s.complete && !s.hasMarker);
    const newestComplete = complete[0]?.s.setName;
    // keepLast counts the regular sets; pinned sets are kept on top of them.
    const regular = complete.filter(({ s }) => !s.pinned).map(({ s }) => s.setName);

    for (const { s, start } of dated) {
      const ageHours = start ? (now.getTime() - start.getTime()) / 3_600_000 : undefined;
      const d = (action: 'keep' | 'delete', code: RetentionReason, reason: string): void => {
        const dec: RetentionDecision = {
          setName: s.setName,
          path: s.path,
          profile: s.profile,
          action,
          code,
          reason,
          complete: s.complete && !s.hasMarker,
          pinned: s.pinned,
          bytes: s.bytes,
        };
        if (start) dec.startedAt = start.toISOString();
        if (ageHours !== undefined) dec.ageHours = ageHours;
        if (s.label !== undefined) dec.label = s.label;
        out.push(dec);
      };
      if (!isOwnSet(s)) {
        d(
          'keep',
          'not-ours',
          'Not a backup set written by this tool (no manifest or marker of ours): never touched.',
        );
        continue;
      }
      if (s.pinned) {
        d(
          'keep',
          'pinned',
          `Pinned${s.kind === 'pre-upgrade' ? ' (pre-upgrade dump)' : ''}: retention never deletes it; delete it by hand when no longer needed.`,
        );
        continue;
      }
      if (s.running) {
        d('keep', 'running', 'Being written right now (the run holds the profile lock).');
        continue;
      }
      const isComplete = s.complete && !s.hasMarker;
      if (!isComplete) {
        if (ageHours === undefined || ageHours < INCOMPLETE_GRACE_HOURS)
          d(
            'keep',
            'incomplete-recent',
            `Not complete (${s.status}), but less than ${INCOMPLETE_GRACE_HOURS} h old: kept for now.`,
          );
        else
          d(
            'delete',
            'incomplete-old',
            `Not complete (${s.status}) and ${ageText(ageHours)} old: not a usable backup.`,
          );
        continue;
      }
      if (s.setName === newestComplete) {
        d('keep', 'newest-complete', 'The newest complete set: never deleted.');
        continue;
      }
      if (noRule) {
        d('keep', 'no-rule', 'No retention rule (keepLast / keepDays) is set: complete sets are kept.');
        continue;
      }
      const rank = regular.indexOf(s.setName);
      if (keepLast !== undefined && rank >= 0 && rank < keepLast) {
        d('keep', 'keep-last', `One of the newest ${keepLast} complete sets (#${rank + 1}).`);
        continue;
      }
      if (keepDays !== undefined && ageHours !== undefined && ageHours < keepDays * 24) {
        d('keep', 'keep-days', `Younger than ${keepDays} days (${ageText(ageHours)} old).`);
        continue;
      }
      const why = [
        keepLast !== undefined ? `not among the newest ${keepLast} complete sets` : undefined,
        keepDays !== undefined
          ? `older than ${keepDays} days (${ageHours !== undefined ? ageText(ageHours) : 'age unknown'})`
          : undefined,
      ].filter((x) => x !== undefined);
      d(
        'delete',
        'expired',
        `${why.join(' and ')}.`.replace(/^./, (c) => c.toUpperCase()),
      );
    }
  }
  return out;
}
