// A job that runs once a week at a wall-clock time (the scheduled restore rehearsal): its next
// runs, and how systemd and cron write it. Pure: the clock and the zone are inputs.
import { WEEKDAYS, type Weekday } from '../../contract/profile.js';
import {
  addDays,
  checkTimeZone,
  formatDate,
  formatWall,
  instantOf,
  parseHhMm,
  wallClockOf,
} from './time-zone.js';

export interface WeeklyTime {
  day: Weekday;
  /** Local "HH:MM" in `timeZone`. */
  time: string;
  timeZone: string;
}

/** 0 = Sunday … 6 = Saturday, as cron and JavaScript count them. */
export const weekdayNumber = (day: Weekday): number => WEEKDAYS.indexOf(day);

function minutesOf(w: WeeklyTime): number {
  const m = parseHhMm(w.time);
  if (m === undefined) throw new RangeError(`"${w.time}" is not a time "HH:MM".`);
  return m;
}

/** The next `count` runs after `now`: ISO instants and local "YYYY-MM-DD HH:MM". */
export function nextWeeklyRuns(w: WeeklyTime, now: Date, count = 3): { at: string; local: string }[] {
  checkTimeZone(w.timeZone);
  const m = minutesOf(w);
  const today = wallClockOf(now, w.timeZone);
  const weekdayToday = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay();
  let date = addDays(today, (weekdayNumber(w.day) - weekdayToday + 7) % 7);
  const out: { at: string; local: string }[] = [];
  while (out.length < count) {
    const wall = { ...date, hour: Math.floor(m / 60), minute: m % 60 };
    const at = instantOf(wall, w.timeZone);
    if (at > now) out.push({ at: at.toISOString(), local: formatWall(wall) });
    date = addDays(date, 7);
  }
  return out;
}

/** The local date ("YYYY-MM-DD") of the next run. */
export function nextWeeklyDate(w: WeeklyTime, now: Date): string {
  const next = nextWeeklyRuns(w, now, 1)[0];
  return next ? next.local.slice(0, 10) : formatDate(wallClockOf(now, w.timeZone));
}

/** systemd OnCalendar: "Sun *-*-* 03:00:00", with the zone appended when asked. */
export function weeklyOnCalendar(w: WeeklyTime, withZone = false): string {
  const m = minutesOf(w);
  const day = w.day[0]!.toUpperCase() + w.day.slice(1, 3);
  const hhmm = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
  return `${day} *-*-* ${hhmm}${withZone ? ` ${w.timeZone}` : ''}`;
}

/** cron's five fields: "0 3 * * 0" (cron runs in the system's zone). */
export function weeklyCron(w: WeeklyTime): string {
  const m = minutesOf(w);
  return `${m % 60} ${Math.floor(m / 60)} * * ${weekdayNumber(w.day)}`;
}
