// "No good backup for longer than the target": the check behind the Overview's status and the
// alert a failing schedule raises. Age is measured from the data's point in time (the DB
// consistency point when recorded, else the run's start): that is what would be lost.
import { isGoodSet, type SetSummary } from '../../contract/sets.js';

export interface BackupAgeCheck {
  ok: boolean;
  newestGood?: SetSummary;
  /** Hours from the newest good set's point in time to `now`. */
  ageHours?: number;
  targetIntervalHours: number;
  message: string;
}

export function pointInTime(s: SetSummary): Date | undefined {
  const db = s.manifest?.components.find((c) => c.id === 'database')?.consistencyPoint?.time;
  for (const t of [db, s.startedAt]) {
    if (!t) continue;
    const d = new Date(t);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return undefined;
}

const hours = (h: number): string => (h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} days`);

export function checkBackupAge(sets: SetSummary[], targetIntervalHours: number, now: Date): BackupAgeCheck {
  const good = sets
    // A set a verify found damaged, or whose manifest cannot be believed, is never the newest good one.
    .filter(isGoodSet)
    .map((s) => ({ s, t: pointInTime(s) }))
    .filter((x): x is { s: SetSummary; t: Date } => x.t !== undefined)
    .sort((a, b) => b.t.getTime() - a.t.getTime());
  const newest = good[0];
  if (!newest)
    return {
      ok: false,
      targetIntervalHours,
      message: `There is no complete backup at all: everything since Octane was set up is at risk (target: one every ${hours(targetIntervalHours)}).`,
    };
  const ageHours = Math.max(0, (now.getTime() - newest.t.getTime()) / 3_600_000);
  const ok = ageHours <= targetIntervalHours;
  return {
    ok,
    newestGood: newest.s,
    ageHours,
    targetIntervalHours,
    message: ok
      ? `The newest complete backup is ${hours(ageHours)} old (target: at most ${hours(targetIntervalHours)}).`
      : `No good backup for ${hours(ageHours)}: longer than the ${hours(targetIntervalHours)} of data loss you accept. The newest complete set is ${newest.s.setName} (${newest.s.path}).`,
  };
}
