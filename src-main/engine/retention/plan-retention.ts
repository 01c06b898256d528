// Which sets retention keeps and which it deletes, each with its reason. Pure: the UI shows the
// same plan as `prune --dry-run`, and the prune executes exactly this plan. docs/operations.md
// ("Retention") states these rules with examples; keep the two in step.
//
// keepLast counts USABLE sets of the profile: its run finished, every component the profile
// configures succeeded with files, and no verify found it damaged. A set that is not usable never
// uses up keepLast; it is deleted only past the grace period and once enough usable sets are newer
// (see notUsable). Never deleted, whatever the rules say:
//  - anything not provably this tool's set of THIS profile (name pattern AND our manifest or
//    marker; a readable manifest naming this profile);
//  - a pinned set (every pre-upgrade set is pinned), a set being written, the set this run wrote;
//  - the newest usable set;
//  - anything at all while the newest run did not produce a usable set;
//  - a set dated in the future (a wrong clock, a copied or planted set): kept, named, and left out
//    of every rule so it can neither protect itself as "newest" nor push real sets out.
import { TOOL_NAME } from '../../contract/manifest.js';
import type { RetentionConfig } from '../../contract/profile.js';
import type { SetSummary } from '../../contract/sets.js';
import { SET_NAME_PATTERN } from '../backup-set/set-layout.js';

/** Sets that are not usable and younger than this are left alone: the run may still be looked at. */
export const INCOMPLETE_GRACE_HOURS = 24;
/** A set that starts more than this after `now` is dated in the future (clock skew between hosts). */
export const FUTURE_TOLERANCE_MINUTES = 10;

export type RetentionReason =
  | 'not-ours'
  | 'unreadable'
  | 'other-profile'
  | 'name-clash'
  | 'pinned'
  | 'running'
  | 'this-run'
  | 'future'
  | 'newest-usable'
  | 'newest-failed'
  | 'keep-last'
  | 'keep-days'
  | 'no-rule'
  | 'not-usable-recent'
  | 'superseded'
  | 'expired';

export interface RetentionCandidate extends SetSummary {
  /** The in-progress marker is present (in at least one copy). */
  hasMarker?: boolean;
  /** The run writing this set holds the profile lock right now. */
  running?: boolean;
  /** Every component the profile configures succeeded with files, and no verify found damage. */
  usable: boolean;
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
  usable: boolean;
  pinned: boolean;
  startedAt?: string;
  ageHours?: number;
  label?: string;
  bytes: number;
}

export interface RetentionRules {
  retention: RetentionConfig | undefined;
  /** The profile whose sets these are: a set whose manifest names another is never touched. */
  profile: string;
  /** The set the calling run just wrote: never deleted by its own prune. */
  protect?: string;
}

/** True only for folders that carry our name pattern and our manifest or our in-progress marker. */
export function isOwnSet(
  s: Pick<RetentionCandidate, 'setName' | 'manifest' | 'hasMarker' | 'status'>,
): boolean {
  if (!SET_NAME_PATTERN.test(s.setName)) return false;
  if (s.manifest) return s.manifest.tool?.name === TOOL_NAME;
  return s.hasMarker === true && s.status !== 'unreadable';
}

/** The set's start: from the manifest, else from the UTC stamp in its name. */
export function setStart(s: Pick<SetSummary, 'startedAt' | 'setName'>): Date | undefined {
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

type Verdict = Pick<RetentionDecision, 'action' | 'code' | 'reason'>;
const keep = (code: RetentionReason, reason: string): Verdict => ({ action: 'keep', code, reason });
const drop = (code: RetentionReason, reason: string): Verdict => ({ action: 'delete', code, reason });

interface Dated {
  s: RetentionCandidate;
  start: Date | undefined;
  ageHours: number | undefined;
}

/** What the rules need to know about the profile's sets as a whole. */
interface GroupFacts {
  /** Usable regular sets, newest first: keepLast counts these (pinned ones are kept on top). */
  usable: string[];
  newestUsable: Dated | undefined;
  /** Start times (ms) of every usable set, pinned ones included. */
  usableStarts: number[];
  /** The newest run's set when it is not usable: nothing may be deleted then. */
  newestFailed: Dated | undefined;
}

export function planRetention(
  sets: RetentionCandidate[],
  rules: RetentionRules,
  now: Date,
): RetentionDecision[] {
  const dated: Dated[] = sets
    .map((s) => {
      const start = setStart(s);
      return { s, start, ageHours: start ? (now.getTime() - start.getTime()) / 3_600_000 : undefined };
    })
    .sort(
      (a, b) =>
        (b.start?.getTime() ?? 0) - (a.start?.getTime() ?? 0) || b.s.setName.localeCompare(a.s.setName),
    );
  const facts = groupFacts(dated, rules);
  return dated.map((d) => decision(d, decide(d, rules, facts)));
}

const isFuture = (d: Dated): boolean =>
  d.ageHours !== undefined && d.ageHours < -FUTURE_TOLERANCE_MINUTES / 60;
const inRules = (d: Dated, rules: RetentionRules): boolean =>
  isOwnSet(d.s) && d.s.profile === rules.profile && d.s.status !== 'unreadable' && !isFuture(d);

function groupFacts(dated: Dated[], rules: RetentionRules): GroupFacts {
  const counted = dated.filter((d) => inRules(d, rules));
  const usable = counted.filter((d) => d.s.usable && !d.s.hasMarker);
  // The newest run: the newest set that is not being written right now.
  const newestRun = counted.find((d) => !d.s.running);
  return {
    usable: usable.filter((d) => !d.s.pinned).map((d) => d.s.setName),
    newestUsable: usable[0],
    usableStarts: usable.map((d) => d.start?.getTime() ?? 0),
    newestFailed: newestRun && !(newestRun.s.usable && !newestRun.s.hasMarker) ? newestRun : undefined,
  };
}

/** The rules in the order they protect a set: the first that applies decides. */
function decide(d: Dated, rules: RetentionRules, facts: GroupFacts): Verdict {
  const { s, ageHours } = d;
  if (!isOwnSet(s))
    return keep(
      'not-ours',
      'Not a backup set written by this tool (no manifest or marker of ours): never touched.',
    );
  if (s.status === 'unreadable')
    return keep(
      'unreadable',
      `Its manifest cannot be read (${s.problem ?? 'unknown reason'}): never deleted by retention; look at it and delete it by hand.`,
    );
  if (s.profile !== rules.profile)
    return keep(
      'other-profile',
      `Its manifest names profile "${s.profile}", not "${rules.profile}": never touched.`,
    );
  if (s.pinned)
    return keep(
      'pinned',
      `Pinned${s.kind === 'pre-upgrade' ? ' (pre-upgrade dump)' : ''}: retention never deletes it; delete it by hand when no longer needed.`,
    );
  if (s.running) return keep('running', 'Being written right now (the run holds the profile lock).');
  if (s.setName === rules.protect)
    return keep('this-run', 'Written by this run: never deleted by its own prune.');
  if (isFuture(d))
    return keep(
      'future',
      `Dated in the future (${d.start?.toISOString() ?? '?'}): a wrong clock, or a copied or planted set. Ignored by the rules and kept; check it.`,
    );
  const verdict = byRules(d, rules, facts);
  if (verdict.action === 'delete' && facts.newestFailed)
    return keep(
      'newest-failed',
      `The newest run (${facts.newestFailed.s.setName}) did not produce a usable set: nothing is deleted until a run does.`,
    );
  if (ageHours === undefined && verdict.action === 'delete')
    return keep('not-usable-recent', 'Its age cannot be told: kept.');
  return verdict;
}

function byRules(d: Dated, rules: RetentionRules, facts: GroupFacts): Verdict {
  const { s, ageHours } = d;
  const { keepLast, keepDays } = rules.retention ?? {};
  if (!s.usable || s.hasMarker) return notUsable(d, rules, facts);
  if (s.setName === facts.newestUsable?.s.setName)
    return keep('newest-usable', 'The newest usable set: never deleted.');
  if (keepLast === undefined && keepDays === undefined)
    return keep('no-rule', 'No retention rule (keepLast / keepDays) is set: usable sets are kept.');
  const rank = facts.usable.indexOf(s.setName);
  if (keepLast !== undefined && rank >= 0 && rank < keepLast)
    return keep('keep-last', `One of the newest ${keepLast} usable sets (#${rank + 1}).`);
  if (keepDays !== undefined && ageHours !== undefined && ageHours < keepDays * 24)
    return keep('keep-days', `Younger than ${keepDays} days (${ageText(ageHours)} old).`);
  const why = [
    keepLast !== undefined ? `not among the newest ${keepLast} usable sets` : undefined,
    keepDays !== undefined
      ? `older than ${keepDays} days (${ageHours !== undefined ? ageText(ageHours) : 'age unknown'})`
      : undefined,
  ].filter((x) => x !== undefined);
  return drop(
    'expired',
    `${why.join(' and ')}.`.replace(/^./, (c) => c.toUpperCase()),
  );
}

/**
 * A set that is not usable. Interrupted runs (marker, cancelled, no final manifest) are deleted
 * past the grace period once a usable set is newer. A finished set that holds part of a backup
 * (the database and repository pair when Elasticsearch failed) or that verify found damaged is kept
 * until as many usable sets as keepLast asks for (at least one) are newer than it, and keepDays
 * no longer keeps it: it may hold data no usable set has.
 */
function notUsable(d: Dated, rules: RetentionRules, facts: GroupFacts): Verdict {
  const { s, ageHours, start } = d;
  const interrupted =
    s.hasMarker === true || s.status === 'incomplete' || s.status === 'cancelled' || !s.manifest;
  const what = s.damaged
    ? 'Found damaged by verify'
    : interrupted
      ? `Interrupted (${s.status})`
      : `Not a usable backup of this profile (${s.status})`;
  if (ageHours === undefined || ageHours < INCOMPLETE_GRACE_HOURS)
    return keep('not-usable-recent', `${what}, but less than ${INCOMPLETE_GRACE_HOURS} h old: kept for now.`);
  const newer = facts.usableStarts.filter((t) => start !== undefined && t > start.getTime()).length;
  const { keepLast, keepDays } = rules.retention ?? {};
  const needed = interrupted ? 1 : Math.max(1, keepLast ?? 1);
  if (newer < needed)
    return keep(
      'not-usable-recent',
      newer === 0
        ? `${what}, but no usable set is newer: kept, as it may hold the newest data there is.`
        : `${what}, but only ${newer} usable set(s) are newer (keepLast ${needed}): kept.`,
    );
  if (!interrupted && keepDays !== undefined && ageHours < keepDays * 24)
    return keep('keep-days', `${what}; younger than ${keepDays} days (${ageText(ageHours)} old): kept.`);
  return drop('superseded', `${what}, ${ageText(ageHours)} old, and ${newer} newer usable set(s) exist.`);
}

function decision(d: Dated, v: Verdict): RetentionDecision {
  const { s, start, ageHours } = d;
  const dec: RetentionDecision = {
    setName: s.setName,
    path: s.path,
    profile: s.profile,
    ...v,
    complete: s.complete && !s.hasMarker,
    usable: s.usable && !s.hasMarker,
    pinned: s.pinned,
    bytes: s.bytes,
  };
  if (start) dec.startedAt = start.toISOString();
  if (ageHours !== undefined) dec.ageHours = ageHours;
  if (s.label !== undefined) dec.label = s.label;
  return dec;
}
