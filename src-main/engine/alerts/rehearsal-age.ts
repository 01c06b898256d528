// "No set proven restorable for N days" (alerts.rehearsalMaxAgeDays): the check behind the
// Overview's line and the alert after every run. A set counts once a restore rehearsal of it
// passed; the newest such rehearsal must be younger than the limit.
import { formatDateTime, formatDuration } from '../../contract/format.js';
import { isGoodSet, rehearsalWords, type RehearsalRecord, type SetSummary } from '../../contract/sets.js';

export interface RehearsalAgeCheck {
  ok: boolean;
  maxAgeDays: number;
  /** The newest set a passed rehearsal proved restorable, with that rehearsal. */
  proven?: { set: SetSummary; rehearsal: RehearsalRecord };
  /** Days since that rehearsal, at `now`. */
  ageDays?: number;
  message: string;
}

const DAY_MS = 86_400_000;

/** The newest good set a passed rehearsal proved restorable (by the rehearsal's time). */
export function newestProven(
  sets: SetSummary[],
): { set: SetSummary; rehearsal: RehearsalRecord } | undefined {
  return sets
    .filter((s) => isGoodSet(s) && s.rehearsal?.result === 'passed')
    .map((s) => ({ set: s, rehearsal: s.rehearsal as RehearsalRecord }))
    .sort((a, b) => b.rehearsal.at.localeCompare(a.rehearsal.at))[0];
}

export function checkRehearsalAge(sets: SetSummary[], maxAgeDays: number, now: Date): RehearsalAgeCheck {
  const proven = newestProven(sets);
  const newestGood = sets.filter(isGoodSet)[0];
  const rehearse = newestGood
    ? ` Rehearse the newest good set: octane-backup rehearse "${newestGood.path}" --config <profile file> (or History → Rehearse restore…).`
    : '';
  if (!proven)
    return {
      ok: false,
      maxAgeDays,
      message: `No set of this profile has ever been proven restorable by a rehearsal (alert after ${maxAgeDays} day(s)).${rehearse}`,
    };
  const ageDays = Math.max(0, (now.getTime() - Date.parse(proven.rehearsal.at)) / DAY_MS);
  const words = rehearsalWords(proven.rehearsal, (iso) => formatDateTime(iso), formatDuration);
  const ok = ageDays <= maxAgeDays;
  return {
    ok,
    maxAgeDays,
    proven,
    ageDays,
    message: ok
      ? `Newest set proven restorable: ${proven.set.setName} (${words}).`
      : `No set proven restorable for ${ageDays.toFixed(1)} days (limit ${maxAgeDays}): the last passed rehearsal was of ${proven.set.setName} (${words}).${rehearse}`,
  };
}
