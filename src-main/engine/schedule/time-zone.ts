// Wall-clock <-> instant conversion for an IANA time zone, without a date library.
// Scheduled tasks fire at local wall-clock times (Task Scheduler, systemd, cron all do),
// so the "next runs" shown to the admin are computed on the wall clock of the zone.

export interface WallTime {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Throws a RangeError with plain words when the zone is unknown. */
export function checkTimeZone(tz: string): void {
  try {
    formatter(tz);
  } catch {
    throw new RangeError(`"${tz}" is not a known time zone (use an IANA name such as "Europe/Berlin").`);
  }
}

export function wallClockOf(instant: Date, tz: string): WallTime & { second: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(instant))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Minutes the zone's wall clock is ahead of UTC at that instant. */
export function offsetMinutes(instant: Date, tz: string): number {
  const w = wallClockOf(instant, tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

const sameWall = (a: WallTime, b: WallTime): boolean =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;

/**
 * The instant a wall-clock time happens in the zone. An ambiguous time (clocks going back)
 * gives the earlier instant; a time that does not exist (clocks going forward) is moved
 * forward by the gap, which is what schedulers do too.
 */
export function instantOf(wall: WallTime, tz: string): Date {
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const day = 86_400_000;
  const offBefore = offsetMinutes(new Date(guess - day), tz);
  const offAfter = offsetMinutes(new Date(guess + day), tz);
  const candidates = [...new Set([guess - offBefore * 60_000, guess - offAfter * 60_000])]
    .filter((t) => sameWall(wallClockOf(new Date(t), tz), wall))
    .sort((a, b) => a - b);
  const first = candidates[0];
  return new Date(first ?? guess - offBefore * 60_000);
}

/** The calendar date `days` after the given one (wall dates, no zone involved). */
export function addDays(
  date: { year: number; month: number; day: number },
  days: number,
): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const two = (n: number): string => String(n).padStart(2, '0');

export function formatDate(d: { year: number; month: number; day: number }): string {
  return `${d.year}-${two(d.month)}-${two(d.day)}`;
}

/** "HH:MM" from minutes after midnight. */
export function formatMinutes(m: number): string {
  const v = ((m % 1440) + 1440) % 1440;
  return `${two(Math.floor(v / 60))}:${two(v % 60)}`;
}

/** Minutes after midnight from "HH:MM"; undefined when malformed. */
export function parseHhMm(text: string): number | undefined {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * 60 + Number(m[2]);
}

export function formatWall(w: WallTime): string {
  return `${formatDate(w)} ${two(w.hour)}:${two(w.minute)}`;
}
