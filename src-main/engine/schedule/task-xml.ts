// The Windows Task Scheduler definition for scheduled runs. Registered with
// `schtasks /Create /XML <file> /TN <name>` because only the XML form carries the settings
// that matter here (battery, missed runs, one instance at a time, time limit); the /TR form
// also caps the command at 262 characters. schtasks expects the file in UTF-16 LE with a BOM.
import type { ScheduleProposal } from './propose-schedule.js';
import { nextDateFor, previousDateFor } from './propose-schedule.js';
import { formatDate, wallClockOf } from './time-zone.js';
import { taskArguments } from './windows-quote.js';
import { ExpectedError } from '../errors.js';
import { requireNoControlChars, requirePlainCommand } from './schedule-text.js';
import { nextWeeklyDate, type WeeklyTime } from './weekly.js';
import type { Weekday } from '../../contract/profile.js';

export const TASK_FOLDER = '\\Octane Backup Manager';
export const TASK_NAMESPACE = 'http://schemas.microsoft.com/windows/2004/02/mit/task';

/**
 * S4U: runs whether the user is logged on or not, without storing a password, but the task
 * gets no network credentials (UNC destinations fail) and DPAPI-protected secrets may not open.
 * InteractiveToken: runs only while the user is logged on, with their full session.
 * Password: runs whether logged on or not with network access; Windows stores the password.
 */
export type TaskLogonType = 'S4U' | 'InteractiveToken' | 'Password';

/** A program and its arguments, unquoted; quoting for the command line happens here. */
export interface ScheduledCommand {
  program: string;
  args: string[];
  workingDirectory?: string;
}

export interface TaskDefinitionOptions {
  /** Full task path, e.g. "\Octane Backup Manager\nightly". */
  taskName: string;
  command: ScheduledCommand;
  /** The account the task runs as, "DOMAIN\user" (the current user). */
  userId: string;
  logonType?: TaskLogonType;
  /** Task Scheduler stops a run that takes longer than this; default 12 h. */
  executionTimeLimitHours?: number;
  runLevel?: 'LeastPrivilege' | 'HighestAvailable';
  /** Wake the computer from sleep to run; default false. */
  wakeToRun?: boolean;
  description?: string;
  /** Start boundaries are computed from this instant; default now. */
  now?: Date;
}

export const DEFAULT_EXECUTION_TIME_LIMIT_HOURS = 12;

/**
 * The weekly rehearsal's task, next to the backup's: "(" is not allowed in profile names, so no
 * profile's backup task can be taken for another profile's rehearsal task.
 */
export function rehearsalTaskNameForProfile(profileName: string): string {
  return `${TASK_FOLDER}\\${profileName} (rehearsal)`;
}

export function taskNameForProfile(profileName: string): string {
  return `${TASK_FOLDER}\\${profileName}`;
}

/** XML 1.0 text: escapes markup and drops characters XML cannot carry. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** ISO-8601 duration from minutes: PT12H, PT1H30M, PT15M. */
export function isoDuration(minutes: number): string {
  const m = Math.round(minutes);
  const h = Math.floor(m / 60);
  const r = m % 60;
  return `PT${h > 0 ? `${h}H` : ''}${r > 0 || h === 0 ? `${r}M` : ''}`;
}

/** Task Scheduler reads times without an offset as local time. */
function localStamp(at: Date, tz: string): string {
  const w = wallClockOf(at, tz);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${formatDate(w)}T${two(w.hour)}:${two(w.minute)}:${two(w.second)}`;
}

interface Trigger {
  start: string;
  daysInterval: number;
  repetitionMinutes?: number;
  /** A weekly trigger on this day (daysInterval is then ignored). */
  weekday?: Weekday;
}

function triggersFor(p: ScheduleProposal, now: Date): Trigger[] {
  const tz = p.timeZone;
  const first = p.startTimes[0] ?? '01:00';
  if (p.everyDays > 1) return [{ start: `${p.firstRunDate}T${first}:00`, daysInterval: p.everyDays }];
  if (p.intervalHours < 1) {
    // One daily trigger repeating all day; it starts at the last anchor so the pattern is active now.
    return [
      {
        start: `${previousDateFor(first, now, tz)}T${first}:00`,
        daysInterval: 1,
        repetitionMinutes: Math.round(p.intervalHours * 60),
      },
    ];
  }
  // One daily trigger per start time: each shows as "Daily at HH:MM" in Task Scheduler and follows
  // the wall clock across daylight-saving changes. Each starts at its next occurrence so that
  // StartWhenAvailable does not count a time that passed before the task existed as "missed".
  return p.startTimes.map((t) => ({ start: `${nextDateFor(t, now, tz)}T${t}:00`, daysInterval: 1 }));
}

/** Command and WorkingDirectory are expanded by Task Scheduler too, and have no quoting to hide "%". */
function requireNoPercent(what: string, path: string): void {
  if (path.includes('%'))
    throw new ExpectedError(
      'SCHEDULE_UNSAFE_VALUE',
      `${what} "${path}" contains "%": Task Scheduler would read %NAME% in it as an environment variable.`,
      { step: 'schedule', fix: 'Install or start the app from a folder whose path has no "%".' },
    );
}

export function buildTaskXml(proposal: ScheduleProposal, opts: TaskDefinitionOptions): string {
  const now = opts.now ?? new Date();
  const description =
    opts.description ??
    `Octane Backup Manager: scheduled backup (${proposal.startTimes.length > 4 ? `every ${proposal.intervalHours} h` : proposal.startTimes.join(', ')}). ` +
      'Runs headless; no window needs to be open.';
  return taskXmlWith(triggersFor(proposal, now), proposal.timeZone, { ...opts, description });
}

/** A task that runs once a week: one weekly trigger, starting at its next occurrence (as triggersFor). */
export function buildWeeklyTaskXml(w: WeeklyTime, opts: TaskDefinitionOptions): string {
  const now = opts.now ?? new Date();
  const trigger: Trigger = {
    start: `${nextWeeklyDate(w, now)}T${w.time}:00`,
    daysInterval: 7,
    weekday: w.day,
  };
  return taskXmlWith([trigger], w.timeZone, {
    ...opts,
    description:
      opts.description ??
      `Octane Backup Manager: weekly restore rehearsal of the newest usable set (${w.day} ${w.time}). Runs headless.`,
  });
}

function triggerXml(t: Trigger): string {
  const e = xmlEscape;
  const day = t.weekday !== undefined ? t.weekday[0]!.toUpperCase() + t.weekday.slice(1) : undefined;
  return [
    '    <CalendarTrigger>',
    ...(t.repetitionMinutes
      ? [
          '      <Repetition>',
          `        <Interval>${isoDuration(t.repetitionMinutes)}</Interval>`,
          '        <Duration>P1D</Duration>',
          '        <StopAtDurationEnd>false</StopAtDurationEnd>',
          '      </Repetition>',
        ]
      : []),
    `      <StartBoundary>${e(t.start)}</StartBoundary>`,
    '      <Enabled>true</Enabled>',
    ...(day !== undefined
      ? [
          '      <ScheduleByWeek>',
          '        <WeeksInterval>1</WeeksInterval>',
          `        <DaysOfWeek><${day} /></DaysOfWeek>`,
          '      </ScheduleByWeek>',
        ]
      : [
          '      <ScheduleByDay>',
          `        <DaysInterval>${t.daysInterval}</DaysInterval>`,
          '      </ScheduleByDay>',
        ]),
    '    </CalendarTrigger>',
  ].join('\r\n');
}

function taskXmlWith(
  triggerList: Trigger[],
  timeZone: string,
  opts: TaskDefinitionOptions & { description: string },
): string {
  const now = opts.now ?? new Date();
  requirePlainCommand(opts.command);
  requireNoPercent('The program', opts.command.program);
  if (opts.command.workingDirectory !== undefined)
    requireNoPercent('The working folder', opts.command.workingDirectory);
  requireNoControlChars('The account', opts.userId);
  requireNoControlChars('The task name', opts.taskName);
  requireNoControlChars('The description', opts.description);
  const limitHours = opts.executionTimeLimitHours ?? DEFAULT_EXECUTION_TIME_LIMIT_HOURS;
  if (!(limitHours > 0) || limitHours > 720)
    throw new RangeError('The execution time limit must be more than 0 and at most 720 hours.');
  const logon = opts.logonType ?? 'S4U';
  const e = xmlEscape;
  const triggers = triggerList.map(triggerXml).join('\r\n');
  const description = opts.description;
  const cmd = opts.command;
  const lines = [
    '<?xml version="1.0" encoding="UTF-16"?>',
    `<Task version="1.2" xmlns="${TASK_NAMESPACE}">`,
    '  <RegistrationInfo>',
    `    <Date>${e(localStamp(now, timeZone))}</Date>`,
    `    <Author>${e(opts.userId)}</Author>`,
    `    <Description>${e(description)}</Description>`,
    `    <URI>${e(opts.taskName)}</URI>`,
    '  </RegistrationInfo>',
    '  <Triggers>',
    triggers,
    '  </Triggers>',
    '  <Principals>',
    '    <Principal id="Author">',
    `      <UserId>${e(opts.userId)}</UserId>`,
    `      <LogonType>${logon}</LogonType>`,
    `      <RunLevel>${opts.runLevel ?? 'LeastPrivilege'}</RunLevel>`,
    '    </Principal>',
    '  </Principals>',
    '  <Settings>',
    // A run that is still going when the next one is due keeps going; the new one is skipped.
    '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
    // Laptops and servers on UPS: a backup must not be skipped or killed because of the battery.
    '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
    '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
    '    <AllowHardTerminate>true</AllowHardTerminate>',
    // The machine was off or asleep at the planned time: run as soon as it is back.
    '    <StartWhenAvailable>true</StartWhenAvailable>',
    '    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>',
    '    <IdleSettings>',
    '      <StopOnIdleEnd>false</StopOnIdleEnd>',
    '      <RestartOnIdle>false</RestartOnIdle>',
    '    </IdleSettings>',
    '    <AllowStartOnDemand>true</AllowStartOnDemand>',
    '    <Enabled>true</Enabled>',
    '    <Hidden>false</Hidden>',
    '    <RunOnlyIfIdle>false</RunOnlyIfIdle>',
    `    <WakeToRun>${opts.wakeToRun === true}</WakeToRun>`,
    // A hung run ends instead of blocking every later run (IgnoreNew would skip them all).
    `    <ExecutionTimeLimit>${isoDuration(limitHours * 60)}</ExecutionTimeLimit>`,
    '    <Priority>7</Priority>',
    '  </Settings>',
    '  <Actions Context="Author">',
    '    <Exec>',
    `      <Command>${e(cmd.program)}</Command>`,
    `      <Arguments>${e(taskArguments(cmd.args))}</Arguments>`,
    ...(cmd.workingDirectory
      ? [`      <WorkingDirectory>${e(cmd.workingDirectory)}</WorkingDirectory>`]
      : []),
    '    </Exec>',
    '  </Actions>',
    '</Task>',
  ];
  return lines.join('\r\n') + '\r\n';
}

/** UTF-16 LE with a byte-order mark: the encoding schtasks /XML reads reliably. */
export function encodeTaskXml(xml: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
}

export function decodeTaskXml(data: Buffer): string {
  if (data[0] === 0xff && data[1] === 0xfe) return data.subarray(2).toString('utf16le');
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return data.subarray(3).toString('utf8');
  // schtasks /Query /XML prints UTF-16 without a BOM when redirected; a NUL in byte 1 tells.
  if (data.length > 1 && data[1] === 0) return data.toString('utf16le');
  return data.toString('utf8');
}
