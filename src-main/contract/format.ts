// One way to write sizes, durations and dates, for the CLI, the engine's messages and the window.
// Pure and platform-free (no node:*, no DOM), so both sides of the app import it.

const BYTE_UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Binary multiples with IEC names ("1.5 GiB"); exact bytes below 1 KiB. */
export function formatBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  let v = Math.abs(n);
  let i = 0;
  while (v >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const sign = n < 0 ? '-' : '';
  if (i === 0) return `${sign}${v} ${v === 1 ? 'byte' : 'bytes'}`;
  return `${sign}${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${BYTE_UNITS[i]}`;
}

export function formatRate(bytesPerSecond: number | undefined): string {
  return bytesPerSecond === undefined ? '–' : `${formatBytes(bytesPerSecond)}/s`;
}

/** "42 s", "3 min 5 s", "2 h 10 min", "3 d 4 h". */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

/** An age or interval given in hours, in the unit a person would use. */
export function formatHours(h: number): string {
  if (h < 1 / 60) return 'less than 1 min';
  if (h < 1) return `${Math.max(0, Math.round(h * 60))} min`;
  if (h < 48) return `${h.toFixed(h < 10 ? 1 : 0)} h`;
  return `${(h / 24).toFixed(1)} days`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * "2026-11-29 14:05" in this machine's local time: one unambiguous, sortable form everywhere
 * (admins compare these with Task Scheduler and the Event Log). `seconds` adds ":SS".
 */
export function formatDateTime(iso: string | undefined, opts: { seconds?: boolean } = {}): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}${opts.seconds ? `:${pad(d.getSeconds())}` : ''}`;
  return `${date} ${time}`;
}

export function formatSkew(windowSeconds: number | undefined, toleranceSeconds: number): string {
  if (windowSeconds === undefined) return `not measured (tolerance ${formatDuration(toleranceSeconds)})`;
  return `${formatDuration(windowSeconds)} of ${formatDuration(toleranceSeconds)} tolerated`;
}

/** "1 file", "3 files". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
