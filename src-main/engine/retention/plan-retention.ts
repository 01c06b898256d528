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

interface Rules {
  keepLast: number | undefined;
  keepDays: number | undefined;
}

/** What the rules say about one profile's sets, newest first: which set is the newest complete. */
interface GroupFacts {
  newestComplete: string | undefined;
  /** Complete regular sets, newest first: keepLast counts these; pinned sets are kept on top. */
  regular: string[];
}

type Verdict = Pick<RetentionDecision, 'action' | 'code' | 'reason'>;
const keep = (code: RetentionReason, reason: string): Verdict => ({ action: 'keep', code, reason });
const drop = (code: RetentionReason, reason: string): Verdict => ({ action: 'delete', code, reason });

export function planRetention(
  sets: RetentionCandidate[],
  retention: RetentionConfig | undefined,
  now: Date,
): RetentionDecision[] {
  const rules: Rules = { keepLast: retention?.keepLast, keepDays: retention?.keepDays };
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
    const facts: GroupFacts = {
      newestComplete: complete[0]?.s.setName,
      regular: complete.filter(({ s }) => !s.pinned).map(({ s }) => s.setName),
    };
    for (const { s, start } of dated) {
      const ageHours = start ? (now.getTime() - start.getTime()) / 3_600_000 : undefined;
      out.push(decision(s, start, ageHours, decide(s, ageHours, rules, facts)));
    }
  }
  return out;
}

/** The rules in the order they protect a set: the first that applies decides. */
function decide(
  s: RetentionCandidate,
  ageHours: number | undefined,
  rules: Rules,
  facts: GroupFacts,
): Verdict {
  const { keepLast, keepDays } = rules;
  if (!isOwnSet(s))
    return keep(
      'not-ours',
      'Not a backup set written by this tool (no manifest or marker of ours): never touched.',
    );
  if (s.pinned)
    return keep(
      'pinned',
      `Pinned${s.kind === 'pre-upgrade' ? ' (pre-upgrade dump)' : ''}: retention never deletes it; delete it by hand when no longer needed.`,
    );
  if (s.running) return keep('running', 'Being written right now (the run holds the profile lock).');
  if (!(s.complete && !s.hasMarker))
    return ageHours === undefined || ageHours < INCOMPLETE_GRACE_HOURS
      ? keep(
          'incomplete-recent',
          `Not complete (${s.status}), but less than ${INCOMPLETE_GRACE_HOURS} h old: kept for now.`,
        )
      : drop(
          'incomplete-old',
          `Not complete (${s.status}) and ${ageText(ageHours)} old: not a usable backup.`,
        );
  if (s.setName === facts.newestComplete)
    return keep('newest-complete', 'The newest complete set: never deleted.');
  if (keepLast === undefined && keepDays === undefined)
    return keep('no-rule', 'No retention rule (keepLast / keepDays) is set: complete sets are kept.');
  const rank = facts.regular.indexOf(s.setName);
  if (keepLast !== undefined && rank >= 0 && rank < keepLast)
    return keep('keep-last', `One of the newest ${keepLast} complete sets (#${rank + 1}).`);
  if (keepDays !== undefined && ageHours !== undefined && ageHours < keepDays * 24)
    return keep('keep-days', `Younger than ${keepDays} days (${ageText(ageHours)} old).`);
  const why = [
    keepLast !== undefined ? `not among the newest ${keepLast} complete sets` : undefined,
    keepDays !== undefined
      ? `older than ${keepDays} days (${ageHours !== undefined ? ageText(ageHours) : 'age unknown'})`
      : undefined,
  ].filter((x) => x !== undefined);
  return drop(
    'expired',
    `${why.join(' and ')}.`.replace(/^./, (c) => c.toUpperCase()),
  );
}

function decision(
  s: RetentionCandidate,
  start: Date | undefined,
  ageHours: number | undefined,
  v: Verdict,
): RetentionDecision {
  const dec: RetentionDecision = {
    setName: s.setName,
    path: s.path,
    profile: s.profile,
    ...v,
    complete: s.complete && !s.hasMarker,
    pinned: s.pinned,
    bytes: s.bytes,
  };
  if (start) dec.startedAt = start.toISOString();
  if (ageHours !== undefined) dec.ageHours = ageHours;
  if (s.label !== undefined) dec.label = s.label;
  return dec;
}
