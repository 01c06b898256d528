// "Run this profile on a schedule", for the CLI's `schedule` command and the window's Schedule
// panel alike: the proposal from the tolerated data loss, the task definition, installing,
// querying and removing the Windows task, and the systemd/cron text for Linux.
import type { Profile, ScheduleConfig } from '../../contract/profile.js';
import { registerEventSource } from '../alerts/event-log.js';
import { ExpectedError } from '../errors.js';
import type { CommandRunner } from '../os/run-command.js';
import {
  linuxScheduleFiles,
  linuxWeeklyRehearsalFiles,
  shellQuote,
  type LinuxScheduleFiles,
} from '../schedule/linux-units.js';
import { proposeSchedule, type ScheduleProposal } from '../schedule/propose-schedule.js';
import {
  installWindowsTask,
  queryWindowsTask,
  removeWindowsTask,
  type WindowsTaskStatus,
} from '../schedule/schtasks.js';
import {
  buildTaskXml,
  buildWeeklyTaskXml,
  rehearsalTaskNameForProfile,
  taskNameForProfile,
  type ScheduledCommand,
  type TaskLogonType,
} from '../schedule/task-xml.js';
import { nextWeeklyRuns, type WeeklyTime } from '../schedule/weekly.js';
import { windowsCommandLine } from '../schedule/windows-quote.js';

export function requireSchedule(profile: Profile): ScheduleConfig {
  if (!profile.schedule)
    throw new ExpectedError('NO_SCHEDULE', `The profile "${profile.profile}" has no schedule yet.`, {
      step: 'schedule',
      fix: 'Choose how much data you can afford to lose (the schedule), save, then install the task.',
    });
  return profile.schedule;
}

export function scheduleProposal(profile: Profile, now: Date, timeZone: string): ScheduleProposal {
  return proposeSchedule(requireSchedule(profile), now, timeZone);
}

/** The command a task runs, as the platform's own command line writes it (one quoting rule each). */
export function commandLineText(c: ScheduledCommand, platform: NodeJS.Platform): string {
  const argv = [c.program, ...c.args];
  return platform === 'win32' ? windowsCommandLine(argv) : argv.map(shellQuote).join(' ');
}

export interface WindowsTaskRequest {
  profile: Profile;
  command: ScheduledCommand;
  userId: string;
  logon: TaskLogonType;
  now: Date;
  timeZone: string;
  executionTimeLimitHours?: number;
  wakeToRun?: boolean;
}

export function windowsTaskXml(req: WindowsTaskRequest): string {
  return buildTaskXml(scheduleProposal(req.profile, req.now, req.timeZone), {
    taskName: taskNameForProfile(req.profile.profile),
    command: req.command,
    userId: req.userId,
    logonType: req.logon,
    now: req.now,
    // A Volume Shadow Copy needs an elevated process: the task runs "with highest privileges".
    ...(req.profile.repository?.capture === 'snapshot' && { runLevel: 'HighestAvailable' as const }),
    ...(req.executionTimeLimitHours !== undefined && {
      executionTimeLimitHours: req.executionTimeLimitHours,
    }),
    ...(req.wakeToRun !== undefined && { wakeToRun: req.wakeToRun }),
  });
}

export interface WindowsInstallResult {
  taskName: string;
  proposal: ScheduleProposal;
  eventSource: { ok: boolean; message: string };
  status: WindowsTaskStatus;
}

/** Registers (or replaces) the task, registers the Event Log source, and reads the task back. */
export async function installWindowsSchedule(
  req: WindowsTaskRequest & { runner: CommandRunner; password?: string },
): Promise<WindowsInstallResult> {
  const taskName = taskNameForProfile(req.profile.profile);
  const proposal = scheduleProposal(req.profile, req.now, req.timeZone);
  await installWindowsTask({
    taskName,
    xml: windowsTaskXml(req),
    runner: req.runner,
    logonType: req.logon,
    user: req.userId,
    ...(req.password !== undefined && { password: req.password }),
  });
  const eventSource = await registerEventSource(req.runner);
  return { taskName, proposal, eventSource, status: await queryWindowsTask(taskName, req.runner) };
}

export function windowsScheduleStatus(
  profileName: string,
  runner: CommandRunner,
): Promise<WindowsTaskStatus> {
  return queryWindowsTask(taskNameForProfile(profileName), runner);
}

export function removeWindowsSchedule(
  profileName: string,
  runner: CommandRunner,
): Promise<{ removed: boolean; message: string }> {
  return removeWindowsTask(taskNameForProfile(profileName), runner);
}

export function linuxSchedule(
  profile: Profile,
  command: ScheduledCommand,
  opts: {
    now: Date;
    timeZone: string;
    explicitTimeZone?: boolean;
    executionTimeLimitHours?: number;
    user?: string;
  },
): { proposal: ScheduleProposal; files: LinuxScheduleFiles } {
  const proposal = scheduleProposal(profile, opts.now, opts.timeZone);
  const files = linuxScheduleFiles(proposal, {
    profileName: profile.profile,
    command,
    ...(opts.explicitTimeZone !== undefined && { explicitTimeZone: opts.explicitTimeZone }),
    ...(opts.executionTimeLimitHours !== undefined && {
      executionTimeLimitHours: opts.executionTimeLimitHours,
    }),
    ...(opts.user !== undefined && { user: opts.user }),
  });
  return { proposal, files };
}

// The weekly restore rehearsal (profile key rehearsal.schedule): a second job next to the backup's,
// running `rehearse --newest`. Installed, shown and removed together with the backup's schedule.

export interface RehearsalPlan {
  weekly: WeeklyTime;
  /** The next three runs: ISO instants and local "YYYY-MM-DD HH:MM". */
  nextRuns: { at: string; local: string }[];
}

/** The profile's weekly rehearsal in the schedule's zone, or undefined when it asks for none. */
export function rehearsalPlan(profile: Profile, now: Date, timeZone: string): RehearsalPlan | undefined {
  const s = profile.rehearsal?.schedule;
  if (!s) return undefined;
  const weekly = { day: s.day, time: s.time, timeZone };
  return { weekly, nextRuns: nextWeeklyRuns(weekly, now) };
}

function requirePlan(profile: Profile, now: Date, timeZone: string): RehearsalPlan {
  const plan = rehearsalPlan(profile, now, timeZone);
  if (!plan)
    throw new ExpectedError(
      'NO_REHEARSAL_SCHEDULE',
      `The profile "${profile.profile}" asks for no scheduled rehearsal.`,
      {
        step: 'schedule',
        fix: 'Add "rehearsal": { "schedule": { "day": "sunday", "time": "03:00" } } to the profile.',
      },
    );
  return plan;
}

/** The rehearsal task's definition; `req.command` is the rehearsal's (cliRehearsalCommand). */
export function windowsRehearsalTaskXml(req: WindowsTaskRequest): string {
  return buildWeeklyTaskXml(requirePlan(req.profile, req.now, req.timeZone).weekly, {
    taskName: rehearsalTaskNameForProfile(req.profile.profile),
    command: req.command,
    userId: req.userId,
    logonType: req.logon,
    now: req.now,
    ...(req.executionTimeLimitHours !== undefined && {
      executionTimeLimitHours: req.executionTimeLimitHours,
    }),
    ...(req.wakeToRun !== undefined && { wakeToRun: req.wakeToRun }),
  });
}

/** Registers (or replaces) the rehearsal task and reads it back. */
export async function installWindowsRehearsal(
  req: WindowsTaskRequest & { runner: CommandRunner; password?: string },
): Promise<{ taskName: string; plan: RehearsalPlan; status: WindowsTaskStatus }> {
  const taskName = rehearsalTaskNameForProfile(req.profile.profile);
  const plan = requirePlan(req.profile, req.now, req.timeZone);
  await installWindowsTask({
    taskName,
    xml: windowsRehearsalTaskXml(req),
    runner: req.runner,
    logonType: req.logon,
    user: req.userId,
    ...(req.password !== undefined && { password: req.password }),
  });
  return { taskName, plan, status: await queryWindowsTask(taskName, req.runner) };
}

export function windowsRehearsalStatus(
  profileName: string,
  runner: CommandRunner,
): Promise<WindowsTaskStatus> {
  return queryWindowsTask(rehearsalTaskNameForProfile(profileName), runner);
}

export function removeWindowsRehearsal(
  profileName: string,
  runner: CommandRunner,
): Promise<{ removed: boolean; message: string }> {
  return removeWindowsTask(rehearsalTaskNameForProfile(profileName), runner);
}

export function linuxRehearsalSchedule(
  profile: Profile,
  command: ScheduledCommand,
  opts: {
    now: Date;
    timeZone: string;
    explicitTimeZone?: boolean;
    executionTimeLimitHours?: number;
    user?: string;
  },
): { plan: RehearsalPlan; files: LinuxScheduleFiles } {
  const plan = requirePlan(profile, opts.now, opts.timeZone);
  const files = linuxWeeklyRehearsalFiles(plan.weekly, {
    profileName: profile.profile,
    command,
    ...(opts.explicitTimeZone !== undefined && { explicitTimeZone: opts.explicitTimeZone }),
    ...(opts.executionTimeLimitHours !== undefined && {
      executionTimeLimitHours: opts.executionTimeLimitHours,
    }),
    ...(opts.user !== undefined && { user: opts.user }),
  });
  return { plan, files };
}
