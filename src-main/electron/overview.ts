// The Overview screen's figures: each profile's last backup, its age against the target
// interval, and a clear alert when the newest good backup is too old (or missing).
import type { Profile } from '../contract/profile.js';
import { DEFAULT_CONNECTED_MIN_INTERVAL_HOURS, DEFAULT_SKEW_TOLERANCE_SECONDS } from '../contract/profile.js';
import type { RotationStatusView } from '../contract/removable.js';
import type { SetSummary } from '../contract/sets.js';
import type { OverviewEntry, ScheduleInfo } from '../contract/ui.js';
import { checkBackupAge } from '../engine/alerts/backup-age.js';
import { checkRehearsalAge, newestProven } from '../engine/alerts/rehearsal-age.js';
import { errorInfoOf } from './envelope.js';
import { formatHours } from '../contract/format.js';

export const DEFAULT_TARGET_INTERVAL_HOURS = 24;

export interface OverviewInput {
  /** The profile as stored (for names and settings). */
  profile: Profile;
  /** The profile's sets, or the reason they cannot be read now. */
  sets: () => Promise<{ sets: SetSummary[]; destinations: string[] }>;
  schedule: ScheduleInfo;
  activeJobId?: string;
  /** The rotation's drives, for a profile with one (profile.rotation). */
  rotation?: () => Promise<RotationStatusView>;
}

/** Total bytes of a set over all its destinations (listSets counts one destination). */
export function setTotalBytes(s: SetSummary): number {
  if (!s.manifest) return s.bytes;
  return s.manifest.components.reduce((a, c) => a + c.artifacts.reduce((b, x) => b + x.bytes, 0), 0);
}

/** A run that finished with every configured component taken, and not found damaged (for size estimates). */
export const isFinishedSet = (s: SetSummary): boolean =>
  (s.status === 'succeeded' || s.status === 'succeeded-with-warnings') && s.damaged !== true;

export async function overviewEntry(input: OverviewInput, now: Date): Promise<OverviewEntry> {
  const p = input.profile;
  const entry: OverviewEntry = {
    profile: p.profile,
    targetIntervalHours: p.schedule?.targetIntervalHours ?? DEFAULT_TARGET_INTERVAL_HOURS,
    skewToleranceSeconds: p.skewToleranceSeconds ?? DEFAULT_SKEW_TOLERANCE_SECONDS,
    destinations: [],
    overdue: false,
    schedule: input.schedule,
    checkedAt: now.toISOString(),
  };
  if (input.activeJobId !== undefined) entry.activeJobId = input.activeJobId;
  if (input.rotation) entry.rotation = await rotationOrProblem(input.profile, input.rotation, now);
  let sets: SetSummary[];
  try {
    const r = await input.sets();
    sets = r.sets;
    entry.destinations = r.destinations;
  } catch (err) {
    const info = errorInfoOf(err);
    entry.overdue = true;
    entry.alert =
      `Cannot check the backups: ${info.message}${info.fix ? ` ${info.fix}` : ''}` +
      ` Until then no good backup can be shown (target: one every ${formatHours(entry.targetIntervalHours)}).`;
    return entry;
  }
  const last = sets[0];
  if (last) entry.lastSet = last;
  // The same check the after-run alerts use: only complete sets count, aged from their DB consistency point.
  const age = checkBackupAge(sets, entry.targetIntervalHours, now);
  if (age.newestGood) entry.lastGoodSet = age.newestGood;
  if (age.ageHours !== undefined) entry.lastGoodAgeHours = age.ageHours;
  if (!age.ok) {
    entry.overdue = true;
    entry.alert = age.message;
  }
  // "Newest set proven restorable": the same check the after-run rehearsal alert uses.
  const proven = newestProven(sets);
  if (proven) entry.proven = { setName: proven.set.setName, rehearsal: proven.rehearsal };
  const maxDays = p.alerts?.rehearsalMaxAgeDays;
  if (maxDays !== undefined) {
    const r = checkRehearsalAge(sets, maxDays, now);
    if (!r.ok) entry.rehearsalAlert = r.message;
  }
  const damaged = sets.filter((s) => s.damaged === true || s.status === 'unreadable');
  const first = damaged[0];
  if (first)
    entry.damaged =
      `${damaged.length === 1 ? 'One set is' : `${damaged.length} sets are`} DAMAGED or unreadable and never counted as a good backup` +
      ` (newest: ${first.setName}${first.verification ? `, verified ${first.verification.at}` : ''}). Open History to see what is wrong.`;
  return entry;
}

/** The rotation's status; when it cannot be read, a view that says why (never a missing field). */
async function rotationOrProblem(
  p: Profile,
  read: () => Promise<RotationStatusView>,
  now: Date,
): Promise<RotationStatusView> {
  try {
    return await read();
  } catch (err) {
    const info = errorInfoOf(err);
    return {
      profile: p.profile,
      drives: [],
      exportAfterRun: p.rotation?.exportAfterRun === true,
      minIntervalHours: p.rotation?.minIntervalHours ?? DEFAULT_CONNECTED_MIN_INTERVAL_HOURS,
      eject: p.rotation?.eject === true,
      checkedAt: now.toISOString(),
      problems: [`The drives of the rotation cannot be checked: ${info.message}`],
    };
  }
}

/** One list per profile from every destination: the same set appears once (default destination first). */
