// The Overview screen's figures: each profile's last backup, its age against the target
// interval, and a clear alert when the newest good backup is too old (or missing).
import type { Profile } from '../contract/profile.js';
import { DEFAULT_CONNECTED_MIN_INTERVAL_HOURS, DEFAULT_SKEW_TOLERANCE_SECONDS } from '../contract/profile.js';
import type { RotationStatusView } from '../contract/removable.js';
import type { SetSummary } from '../contract/sets.js';
import type { ErrorInfo } from '../contract/errors.js';
import type { DestinationSlot, OverviewEntry, ScheduleInfo, VolumeBinding } from '../contract/ui.js';
import { checkBackupAge } from '../engine/alerts/backup-age.js';
import { checkRehearsalAge, newestProven } from '../engine/alerts/rehearsal-age.js';
import { errorInfoOf } from './envelope.js';
import { formatDateTime, formatHours } from '../contract/format.js';
import type { SeenSets } from './seen-sets.js';

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
  /** The profile's removable-drive bindings (to name a drive that is not connected). */
  volumes?: Partial<Record<DestinationSlot, VolumeBinding>>;
  /** The last look at the profile's sets: recalled while the drive is away, renewed after each read. */
  seen?: { recall: () => SeenSets | undefined; remember: (seen: SeenSets) => void };
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
    scheduled: p.schedule !== undefined,
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
    const drive = missingDrive(info, input.volumes ?? {});
    const seen = input.seen?.recall();
    if (drive !== undefined) entry.driveMissing = drive;
    if (!seen) {
      entry.overdue = true;
      entry.alertTitle = drive !== undefined ? driveTitle(drive, info) : 'Cannot check the backups';
      entry.alert =
        `Cannot check the backups: ${info.message}${info.fix ? ` ${info.fix}` : ''}` +
        ` Until then no good backup can be shown${entry.scheduled ? ` (target: one every ${formatHours(entry.targetIntervalHours)})` : ''}.`;
      return entry;
    }
    // The sets as the last look found them: a good backup made a minute before the drive was unplugged
    // is still a good backup (its age keeps counting from its consistency point).
    sets = seen.sets;
    entry.setsSeenAt = seen.at;
    entry.alertTitle = drive !== undefined ? driveTitle(drive, info) : 'Cannot check the backups';
    entry.alert = `${info.message}${info.fix ? ` ${info.fix}` : ''} Shown below: the backups as last seen there.`;
    judgeSets(entry, sets, p.alerts?.rehearsalMaxAgeDays, now);
    return entry;
  }
  judgeSets(entry, sets, p.alerts?.rehearsalMaxAgeDays, now);
  input.seen?.remember({ at: now.toISOString(), sets: rememberable(entry) });
  return entry;
}

const NO_GOOD_BACKUP = 'There is no complete backup at all: everything since Octane was set up is at risk.';

/** Last backup, newest good backup and its age, proven set, damage: from the sets known. */
function judgeSets(entry: OverviewEntry, sets: SetSummary[], maxDays: number | undefined, now: Date): void {
  const last = sets[0];
  if (last) entry.lastSet = last;
  // The same check the after-run alerts use: only complete sets count, aged from their DB consistency point.
  const age = checkBackupAge(sets, entry.targetIntervalHours, now);
  if (age.newestGood) entry.lastGoodSet = age.newestGood;
  if (age.ageHours !== undefined) entry.lastGoodAgeHours = age.ageHours;
  // No good backup at all is always a problem; an old one only against a schedule the admin set.
  if (!age.ok && (!age.newestGood || entry.scheduled)) {
    entry.overdue = true;
    const also = entry.alert;
    // Without a schedule there is no target to name.
    const message = entry.scheduled ? age.message : NO_GOOD_BACKUP;
    entry.alert = also ? `${message} ${also}` : message;
    entry.alertTitle ??= 'Backup overdue';
  }
  // "Newest set proven restorable": the same check the after-run rehearsal alert uses.
  const proven = newestProven(sets);
  if (proven) entry.proven = { setName: proven.set.setName, rehearsal: proven.rehearsal };
  if (maxDays !== undefined) {
    const r = checkRehearsalAge(sets, maxDays, now);
    if (!r.ok) entry.rehearsalAlert = r.message;
  }
  const damaged = sets.filter((s) => s.damaged === true || s.status === 'unreadable');
  const first = damaged[0];
  if (first)
    entry.damaged =
      `${damaged.length === 1 ? 'One set is' : `${damaged.length} sets are`} DAMAGED or unreadable and never counted as a good backup` +
      ` (newest: ${first.setName}${first.verification ? `, verified ${formatDateTime(first.verification.at)}` : ''}). Open History to see what is wrong.`;
}

/** What to remember of this look: the newest set, the newest good one and the newest proven one. */
function rememberable(entry: OverviewEntry): SetSummary[] {
  const out: SetSummary[] = [];
  for (const s of [entry.lastSet, entry.lastGoodSet]) if (s && !out.includes(s)) out.push(s);
  return out.sort((a, b) => b.setName.localeCompare(a.setName));
}

const MISSING_CODES = new Set(['VOLUME_NOT_CONNECTED', 'VOLUME_MISMATCH', 'DESTINATION_MISSING']);

/** How to name the drive or share a missing-destination error is about ("BACKUP1", or the path). */
function missingDrive(
  info: ErrorInfo,
  volumes: Partial<Record<DestinationSlot, VolumeBinding>>,
): string | undefined {
  if (!MISSING_CODES.has(info.code)) return undefined;
  const expected = info.details?.['expected'];
  const binding = Object.values(volumes).find((b) => b.volumeId === expected);
  if (binding) return binding.label ?? `with id ${binding.volumeId.slice(0, 8)}`;
  const path = info.details?.['path'];
  return typeof path === 'string' ? path : undefined;
}

function driveTitle(drive: string, info: ErrorInfo): string {
  if (info.code === 'DESTINATION_MISSING') return `Destination ${drive} not reachable`;
  return `Drive ${drive} not connected`;
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
