// Turns "how much data can you afford to lose" (RPO) and an optional quiet window into a
// concrete schedule: the daily start times, the next five runs, and the reasons in plain words.
// Pure: the clock and the zone are inputs, so the UI and tests see the same answer.
import type { ScheduleConfig } from '../../contract/profile.js';
import {
  addDays,
  checkTimeZone,
  formatDate,
  formatMinutes,
  formatWall,
  instantOf,
  parseHhMm,
  systemTimeZone,
  wallClockOf,
} from './time-zone.js';

/** Presets offered to the admin, in hours of tolerated data loss. */
export const RPO_PRESETS_HOURS = [4, 12, 24] as const;

/** Start times used when no quiet window is given (01:00 keeps clear of midnight jobs). */
export const DEFAULT_ANCHOR = '01:00';

// Intervals whose start times repeat identically every day, so every scheduler (Task
// Scheduler daily triggers, systemd OnCalendar, cron) can express them exactly.
const SUB_HOUR_MINUTES = [15, 20, 30] as const;
const WHOLE_HOURS = [1, 2, 3, 4, 6, 8, 12] as const;

export interface PlannedRun {
  /** ISO-8601 UTC instant. */
  at: string;
  /** Wall clock in the schedule's zone, "YYYY-MM-DD HH:MM". */
  local: string;
  inQuietWindow: boolean;
}

export interface ScheduleProposal {
  targetIntervalHours: number;
  /** The interval actually scheduled: never longer than the target. */
  intervalHours: number;
  /** 1 for every day; N for "every N days" (intervals of 48 h and more). */
  everyDays: number;
  /** Local "HH:MM" start times, first the anchor, then in run order. */
  startTimes: string[];
  /** The start times that fall inside the quiet window. */
  startTimesInWindow: string[];
  quietWindow?: { start: string; end: string; lengthMinutes: number };
  timeZone: string;
  /** When the proposal was made (ISO); the first run comes after it. */
  computedAt: string;
  /** For "every N days": the local date of the first run, "YYYY-MM-DD". */
  firstRunDate: string;
  nextRuns: PlannedRun[];
  /** Plain sentences, in order: the interval, the window, the worst case. */
  explanation: string[];
}

function effectiveIntervalMinutes(targetMinutes: number): number {
  if (targetMinutes >= 1440) return Math.floor(targetMinutes / 1440) * 1440;
  const options = [...SUB_HOUR_MINUTES, ...WHOLE_HOURS.map((h) => h * 60)].filter((m) => m <= targetMinutes);
  return options.length > 0 ? Math.max(...options) : SUB_HOUR_MINUTES[0];
}

const hoursText = (minutes: number): string => {
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  if (minutes < 60) return `${minutes} min`;
  return `${(minutes / 60).toFixed(2).replace(/\.?0+$/, '')} h`;
};

/** Is `minute` (after midnight) inside [start, start+length) on a clock that wraps at midnight? */
function inWindow(minute: number, start: number, length: number): boolean {
  return (minute - start + 1440) % 1440 < length;
}

type QuietWindow = NonNullable<ScheduleProposal['quietWindow']>;

export function proposeSchedule(
  config: ScheduleConfig,
  now: Date = new Date(),
  tz: string = systemTimeZone(),
): ScheduleProposal {
  checkTimeZone(tz);
  const target = config.targetIntervalHours;
  if (!Number.isFinite(target) || target < 0.25)
    throw new RangeError('The tolerated data loss must be at least 0.25 h (15 minutes).');
  const targetMinutes = Math.round(target * 60);
  const interval = effectiveIntervalMinutes(targetMinutes);
  const everyDays = interval >= 1440 ? interval / 1440 : 1;
  const explanation: string[] = [intervalExplanation(targetMinutes, interval)];
  const { anchor, window } = quietWindowOf(config, explanation);
  const startTimesMin = startTimesFor(interval, anchor);
  const startTimes = startTimesMin.map(formatMinutes);
  const insideMin = window ? startTimesMin.filter((m) => inWindow(m, anchor, window.lengthMinutes)) : [];
  const startTimesInWindow = insideMin.map(formatMinutes);
  if (window) explanation.push(windowExplanation(window, anchor, interval, startTimes, startTimesInWindow));
  explanation.push(
    `Worst case: when one run fails, the newest good backup is ${hoursText(interval * 2)} old by the next run; ` +
      `the "no good backup" alert fires as soon as the newest good backup is older than ${hoursText(targetMinutes)}.`,
  );
  const nextRuns = computeNextRuns(startTimesMin, everyDays, now, tz, 5).map((at) => {
    const w = wallClockOf(at, tz);
    return {
      at: at.toISOString(),
      local: formatWall(w),
      inQuietWindow: window ? inWindow(w.hour * 60 + w.minute, anchor, window.lengthMinutes) : false,
    };
  });
  const proposal: ScheduleProposal = {
    targetIntervalHours: target,
    intervalHours: interval / 60,
    everyDays,
    startTimes,
    startTimesInWindow,
    timeZone: tz,
    computedAt: now.toISOString(),
    firstRunDate: formatDate(wallClockOf(new Date(nextRuns[0]?.at ?? now), tz)),
    nextRuns,
    explanation,
  };
  if (window) proposal.quietWindow = window;
  return proposal;
}

function intervalExplanation(targetMinutes: number, interval: number): string {
  const everyDays = interval >= 1440 ? interval / 1440 : 1;
  const runsPerDay = interval < 1440 ? 1440 / interval : 1;
  if (interval === targetMinutes)
    return everyDays > 1
      ? `You can tolerate losing up to ${hoursText(targetMinutes)} of data, so a backup runs every ${everyDays} days.`
      : `You can tolerate losing up to ${hoursText(targetMinutes)} of data, so a backup runs every ${hoursText(interval)}` +
          (runsPerDay > 1 ? ` (${runsPerDay} runs a day).` : ' (once a day).');
  return (
    `${hoursText(targetMinutes)} does not ${targetMinutes > 1440 ? 'make whole days' : 'divide a day evenly'}; ` +
    `a backup runs every ${everyDays > 1 ? `${everyDays} days` : hoursText(interval)}` +
    `${runsPerDay > 1 ? ` (${runsPerDay} runs a day)` : ''}, the next shorter interval that starts at the same times every day, ` +
    `so the data at risk stays under ${hoursText(targetMinutes)}.`
  );
}

/** The quiet window: where runs start, if the interval allows it. */
function quietWindowOf(
  config: ScheduleConfig,
  explanation: string[],
): { anchor: number; window: QuietWindow | undefined } {
  const qw = config.quietWindow;
  const fallback = parseHhMm(DEFAULT_ANCHOR) as number;
  if (!qw) {
    explanation.push(
      `No quiet window was given, so runs are anchored at ${DEFAULT_ANCHOR}; give a window to choose the time.`,
    );
    return { anchor: fallback, window: undefined };
  }
  const s = parseHhMm(qw.start);
  const e = parseHhMm(qw.end);
  if (s === undefined || e === undefined) throw new RangeError('The quiet window must be two times "HH:MM".');
  const length = (e - s + 1440) % 1440;
  if (length === 0) {
    explanation.push(`The quiet window starts and ends at ${qw.start}, so it is ignored.`);
    return { anchor: fallback, window: undefined };
  }
  return { anchor: s, window: { start: formatMinutes(s), end: formatMinutes(e), lengthMinutes: length } };
}

function startTimesFor(interval: number, anchor: number): number[] {
  if (interval >= 1440) return [anchor];
  const runsPerDay = 1440 / interval;
  if (interval >= 60) return Array.from({ length: runsPerDay }, (_, k) => (anchor + k * interval) % 1440);
  // Sub-hour: runs all day; keep the anchor's minute so the pattern is stable.
  const first = anchor % interval;
  const all = Array.from({ length: runsPerDay }, (_, k) => first + k * interval);
  const ai = all.indexOf(anchor);
  return [...all.slice(ai), ...all.slice(0, ai)];
}

function windowExplanation(
  window: QuietWindow,
  anchor: number,
  interval: number,
  startTimes: string[],
  inside: string[],
): string {
  const everyDays = interval >= 1440 ? interval / 1440 : 1;
  const runsPerDay = interval < 1440 ? 1440 / interval : 1;
  const span = `${window.start}–${window.end}${(parseHhMm(window.end) ?? 0) <= anchor ? ', across midnight' : ''}`;
  if (interval >= 1440)
    return (
      `It runs ${everyDays > 1 ? `every ${everyDays} days` : 'daily'} at ${window.start}, the start of your quiet window (${span}), ` +
      'so the backup has the whole window to finish while Octane is quiet.'
    );
  if (interval < 60)
    return `With a run every ${hoursText(interval)} the backups run all day; the quiet window (${span}) does not change the schedule.`;
  if (inside.length === startTimes.length)
    return `All ${runsPerDay} daily runs (${startTimes.join(', ')}) start inside your quiet window (${span}).`;
  const outside = startTimes.filter((t) => !inside.includes(t));
  const fit =
    inside.length === 1
      ? `One run starts inside your quiet window (${span}) at ${inside[0]}`
      : `${inside.length} of the ${runsPerDay} daily runs start inside your quiet window (${span}): ${inside.join(', ')}`;
  const rest =
    outside.length === 1
      ? `the other run follows ${hoursText(interval)} later (${outside[0]})`
      : `the others follow every ${hoursText(interval)} (${outside.join(', ')})`;
  return (
    `${fit}; ${rest}, ` +
    `because a ${hoursText(interval)} interval fits only ${inside.length} start${inside.length === 1 ? '' : 's'} into a ${hoursText(window.lengthMinutes)} window. ` +
    'Runs outside the window happen while people work: expect a larger skew window for those.'
  );
}

/** The next `count` instants after `now` at the given daily start times (every `everyDays` days). */
export function computeNextRuns(
  startTimesMin: number[],
  everyDays: number,
  now: Date,
  tz: string,
  count: number,
): Date[] {
  const today = wallClockOf(now, tz);
  const at = (date: { year: number; month: number; day: number }, m: number): Date =>
    instantOf({ ...date, hour: Math.floor(m / 60), minute: m % 60 }, tz);
  if (everyDays > 1) {
    const m = startTimesMin[0] ?? 0;
    let first = addDays(today, 0);
    if (at(first, m) <= now) first = addDays(today, 1);
    return Array.from({ length: count }, (_, k) => at(addDays(first, k * everyDays), m));
  }
  const out: Date[] = [];
  const sorted = [...startTimesMin].sort((a, b) => a - b);
  for (let d = 0; out.length < count && d < 400; d++) {
    const date = addDays(today, d);
    for (const m of sorted) {
      const t = at(date, m);
      if (t > now && !out.some((x) => x.getTime() === t.getTime())) out.push(t);
      if (out.length === count) break;
    }
  }
  return out;
}

/** The local date ("YYYY-MM-DD") on which a daily start time next comes after `now`. */
export function nextDateFor(time: string, now: Date, tz: string): string {
  const m = parseHhMm(time) ?? 0;
  const today = wallClockOf(now, tz);
  const t = instantOf({ ...today, hour: Math.floor(m / 60), minute: m % 60 }, tz);
  return formatDate(t > now ? today : addDays(today, 1));
}

/** The local date on which a daily start time last came (today if already passed, else yesterday). */
export function previousDateFor(time: string, now: Date, tz: string): string {
  const m = parseHhMm(time) ?? 0;
  const today = wallClockOf(now, tz);
  const t = instantOf({ ...today, hour: Math.floor(m / 60), minute: m % 60 }, tz);
  return formatDate(t <= now ? today : addDays(today, -1));
}
