// The Linux equivalent of the Windows task: a systemd service + timer (preferred: Persistent=true
// catches up missed runs, a oneshot service never runs twice at once) or a cron line.
import type { ScheduleProposal } from './propose-schedule.js';
import { parseHhMm } from './time-zone.js';
import type { ScheduledCommand } from './task-xml.js';
import { ExpectedError } from '../errors.js';
import { requireNoControlChars, requirePlainCommand } from './schedule-text.js';
import { weeklyCron, weeklyOnCalendar, type WeeklyTime } from './weekly.js';

export interface LinuxScheduleOptions {
  profileName: string;
  command: ScheduledCommand;
  /** The account the service runs as (User=); default: root's choice, i.e. omitted. */
  user?: string;
  /** Append the zone to OnCalendar lines (only when the schedule's zone is not the system's). */
  explicitTimeZone?: boolean;
  /** Stop a run that takes longer than this (TimeoutStartSec); default 12 h. */
  executionTimeLimitHours?: number;
}

export interface LinuxScheduleFiles {
  unitName: string;
  serviceFile: string;
  service: string;
  timerFile: string;
  timer: string;
  onCalendar: string[];
  cronLine: string;
  installSteps: string[];
  removeSteps: string[];
}

/** The cron line's lock folder: private to the account whose crontab runs the backup. */
export const CRON_LOCK_DIR = '$HOME/.local/state/octane-backup';

export function unitNameFor(profileName: string): string {
  return `octane-backup-${profileName.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'profile'}`;
}

/** One ExecStart argument: quoted C-style when needed; % and $ escaped for systemd. */
export function systemdQuote(arg: string): string {
  const body = /^[A-Za-z0-9_./:=@+,-]+$/.test(arg)
    ? arg
    : `"${arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  return body.replace(/%/g, '%%').replace(/\$/g, '$$$$');
}

/**
 * A unit-file value taken literally by systemd (WorkingDirectory=, Description=): no quoting
 * (a quoted WorkingDirectory is refused by systemd, so the unit never runs), "%" doubled
 * (specifiers), and nothing systemd would strip or join: edge whitespace, a trailing backslash
 * (line continuation), control characters.
 */
export function systemdLiteral(what: string, value: string): string {
  requireNoControlChars(what, value);
  if (value !== value.trim() || value.endsWith('\\'))
    throw new ExpectedError(
      'SCHEDULE_UNSAFE_VALUE',
      `${what} "${value}" starts or ends with a space or ends with a backslash, which systemd would drop or join with the next line.`,
      { step: 'schedule', fix: 'Use a folder path without leading or trailing spaces or backslash.' },
    );
  return value.replace(/%/g, '%%');
}

/** User= takes a user name or a numeric id (systemd's portable user-name rule). */
export function systemdUser(user: string): string {
  requireNoControlChars('The user', user);
  if (!/^([A-Za-z_][A-Za-z0-9_.-]{0,30}\$?|[0-9]{1,10})$/.test(user))
    throw new ExpectedError(
      'SCHEDULE_UNSAFE_VALUE',
      `"${user}" is not a user name systemd accepts in User=.`,
      {
        step: 'schedule',
        fix: 'Give the account name (letters, digits, "_", "." or "-", not starting with a digit or "-") or its numeric id.',
      },
    );
  return user;
}

/** POSIX shell single quoting. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function onCalendarLines(p: ScheduleProposal, withZone = false): string[] {
  const zone = withZone ? ` ${p.timeZone}` : '';
  const mins = p.startTimes.map((t) => parseHhMm(t) ?? 0);
  const first = mins[0] ?? 0;
  const hhmm = (m: number): string =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
  if (p.everyDays > 1) return [`*-*-1/${p.everyDays} ${hhmm(first)}${zone}`];
  if (p.intervalHours < 1) {
    const step = Math.round(p.intervalHours * 60);
    return [`*-*-* *:${String(first % step).padStart(2, '0')}/${step}:00${zone}`];
  }
  return [...mins].sort((a, b) => a - b).map((m) => `*-*-* ${hhmm(m)}${zone}`);
}

export function cronSchedule(p: ScheduleProposal): string {
  const mins = p.startTimes.map((t) => parseHhMm(t) ?? 0);
  const first = mins[0] ?? 0;
  if (p.everyDays > 1) return `${first % 60} ${Math.floor(first / 60)} */${p.everyDays} * *`;
  if (p.intervalHours < 1) {
    const step = Math.round(p.intervalHours * 60);
    const minutes = Array.from({ length: 60 / step }, (_, k) => (first % step) + k * step);
    return `${minutes.join(',')} * * * *`;
  }
  const hours = [...new Set(mins.map((m) => Math.floor(m / 60)))].sort((a, b) => a - b);
  return `${first % 60} ${hours.join(',')} * * *`;
}

export function linuxScheduleFiles(p: ScheduleProposal, opts: LinuxScheduleOptions): LinuxScheduleFiles {
  return unitFiles(
    {
      unit: unitNameFor(opts.profileName),
      job: 'scheduled backup',
      every: p.everyDays > 1 ? `${p.everyDays} days` : `${p.intervalHours} h`,
      onCalendar: onCalendarLines(p, opts.explicitTimeZone === true),
      cron: cronSchedule(p),
    },
    opts,
  );
}

/**
 * The weekly restore rehearsal of a profile: its own service and timer, next to the backup's
 * (same secrets file: the rehearsal connects to the same servers), running `rehearse --newest`.
 */
export function linuxWeeklyRehearsalFiles(w: WeeklyTime, opts: LinuxScheduleOptions): LinuxScheduleFiles {
  return unitFiles(
    {
      unit: rehearsalUnitNameFor(opts.profileName),
      job: 'weekly restore rehearsal',
      every: `${w.day} ${w.time}`,
      onCalendar: [weeklyOnCalendar(w, opts.explicitTimeZone === true)],
      cron: weeklyCron(w),
      envUnit: unitNameFor(opts.profileName),
    },
    opts,
  );
}

/** "octane-rehearsal-…": no profile's backup unit ("octane-backup-…") can have this name. */
export function rehearsalUnitNameFor(profileName: string): string {
  return unitNameFor(profileName).replace(/^octane-backup-/, 'octane-rehearsal-');
}

interface UnitTiming {
  unit: string;
  /** What the service does, for Description= ("scheduled backup"). */
  job: string;
  /** How often, for the timer's Description= ("24 h", "sunday 03:00"). */
  every: string;
  onCalendar: string[];
  /** cron's five time fields. */
  cron: string;
  /** The unit whose EnvironmentFile holds the profile's secrets; default: this one. */
  envUnit?: string;
}

function unitFiles(t: UnitTiming, opts: LinuxScheduleOptions): LinuxScheduleFiles {
  const unit = t.unit;
  const limit = opts.executionTimeLimitHours ?? 12;
  requirePlainCommand(opts.command);
  const wd = opts.command.workingDirectory;
  if (wd !== undefined && !wd.startsWith('/'))
    throw new ExpectedError('SCHEDULE_UNSAFE_VALUE', `The working folder "${wd}" is not an absolute path.`, {
      step: 'schedule',
      fix: 'Give the folder as an absolute path (starting with "/").',
    });
  const name = systemdLiteral('The profile name', opts.profileName);
  const exec = [opts.command.program, ...opts.command.args].map(systemdQuote).join(' ');
  const onCalendar = t.onCalendar;
  const service = [
    '[Unit]',
    `Description=Octane Backup Manager: ${t.job} of profile ${name}`,
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    // oneshot: while a run is active the timer cannot start a second one.
    'Type=oneshot',
    // Sets hold database dumps and config copies: nothing the service creates is readable by others.
    'UMask=0077',
    ...(opts.user !== undefined ? [`User=${systemdUser(opts.user)}`] : []),
    ...(wd !== undefined ? [`WorkingDirectory=${systemdLiteral('The working folder', wd)}`] : []),
    '# Secrets named by passwordEnv in the profile: put NAME=value lines in this file (mode 600).',
    `EnvironmentFile=-/etc/octane-backup/${t.envUnit ?? unit}.env`,
    `ExecStart=${exec}`,
    `TimeoutStartSec=${Math.round(limit * 60)}min`,
    'Nice=10',
    'IOSchedulingClass=best-effort',
    'IOSchedulingPriority=7',
    '',
  ].join('\n');
  const timer = [
    '[Unit]',
    `Description=Octane Backup Manager schedule for profile ${name} (every ${systemdLiteral('The schedule', t.every)})`,
    '',
    '[Timer]',
    ...onCalendar.map((l) => `OnCalendar=${l}`),
    // A run missed while the machine was off starts as soon as it is back.
    'Persistent=true',
    'AccuracySec=1min',
    `Unit=${unit}.service`,
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
  // flock -n: cron has no notion of "already running"; skip the run instead of queueing it. The
  // lock lives in a folder only this account can write: in /tmp any user could hold it (and so
  // stop every backup). umask 077: what the run creates is private, as with the unit's UMask=.
  const cronCmd = [opts.command.program, ...opts.command.args].map(shellQuote).join(' ');
  const cronLine = (
    `${t.cron} umask 077 && mkdir -p -m 700 "${CRON_LOCK_DIR}" && ` +
    `${wd !== undefined ? `cd ${shellQuote(wd)} && ` : ''}flock -n "${CRON_LOCK_DIR}/${unit}.lock" ${cronCmd}`
  ).replace(/%/g, '\\%');
  return {
    unitName: unit,
    serviceFile: `${unit}.service`,
    service,
    timerFile: `${unit}.timer`,
    timer,
    onCalendar,
    cronLine,
    installSteps: [
      `sudo cp ${unit}.service ${unit}.timer /etc/systemd/system/`,
      'sudo systemctl daemon-reload',
      `sudo systemctl enable --now ${unit}.timer`,
      `systemctl list-timers ${unit}.timer   # shows the next run`,
    ],
    removeSteps: [
      `sudo systemctl disable --now ${unit}.timer`,
      `sudo rm /etc/systemd/system/${unit}.service /etc/systemd/system/${unit}.timer`,
      'sudo systemctl daemon-reload',
    ],
  };
}
