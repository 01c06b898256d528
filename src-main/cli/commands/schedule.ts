// `octane-backup schedule show|install|remove --config <file>`: proposes the schedule from the
// profile's tolerated data loss and quiet window; on Windows registers/removes the Task Scheduler
// task (schtasks), on Linux prints the systemd timer (or cron line) and how to install it.
import { mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_CODES } from '../../contract/errors.js';
import type { Profile } from '../../contract/profile.js';
import { runCommand, type CommandRunner } from '../../engine/os/run-command.js';
import { linuxScheduleFiles, type LinuxScheduleFiles } from '../../engine/schedule/linux-units.js';
import { proposeSchedule, type ScheduleProposal } from '../../engine/schedule/propose-schedule.js';
import {
  appScheduledCommand,
  cliRehearsalCommand,
  cliScheduledCommand,
} from '../../engine/schedule/scheduled-command.js';
import { installTaskArgs, type WindowsTaskStatus } from '../../engine/schedule/schtasks.js';
import {
  rehearsalTaskNameForProfile,
  taskNameForProfile,
  type ScheduledCommand,
  type TaskLogonType,
} from '../../engine/schedule/task-xml.js';
import { systemTimeZone } from '../../engine/schedule/time-zone.js';
import { windowsCommandLine } from '../../engine/schedule/windows-quote.js';
import { ExpectedError } from '../../engine/errors.js';
import {
  installWindowsRehearsal,
  installWindowsSchedule,
  linuxRehearsalSchedule,
  rehearsalPlan,
  removeWindowsRehearsal,
  removeWindowsSchedule,
  windowsRehearsalStatus,
  windowsRehearsalTaskXml,
  windowsScheduleStatus,
  windowsTaskXml,
  type RehearsalPlan,
} from '../../engine/use-cases/schedule.js';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../io.js';
import { loadConfig } from '../load-config.js';

export interface ScheduleDeps {
  runner?: CommandRunner;
  platform?: NodeJS.Platform;
  now?: Date;
  env?: NodeJS.ProcessEnv;
}

const LOGONS: Record<string, TaskLogonType> = {
  s4u: 'S4U',
  interactive: 'InteractiveToken',
  password: 'Password',
};

export async function scheduleCommand(argv: string[], io: CliIo, deps: ScheduleDeps = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      tz: { type: 'string' },
      platform: { type: 'string' },
      logon: { type: 'string', default: 's4u' },
      'password-env': { type: 'string' },
      'time-limit-hours': { type: 'string', default: '12' },
      'wake-to-run': { type: 'boolean', default: false },
      user: { type: 'string' },
      app: { type: 'string' },
      cli: { type: 'string' },
      node: { type: 'string' },
      xml: { type: 'boolean', default: false },
      print: { type: 'boolean', default: false },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const action = positionals[0] ?? 'show';
  if (!['show', 'install', 'remove'].includes(action) || positionals.length > 1)
    throw new CliError('schedule takes one action: show, install or remove.');
  const configPath = values.config;
  const profile = await loadConfig(configPath, io);
  if (!profile.schedule)
    throw new CliError(
      `The profile "${profile.profile}" has no schedule: add "schedule": { "targetIntervalHours": 24, "quietWindow": { "start": "22:00", "end": "05:00" } }.`,
    );
  const env = deps.env ?? process.env;
  const platform =
    values.platform === 'windows'
      ? 'win32'
      : values.platform === 'linux'
        ? 'linux'
        : (deps.platform ?? process.platform);
  if (values.platform !== undefined && !['windows', 'linux'].includes(values.platform))
    throw new CliError('--platform must be windows or linux.');
  const logon = LOGONS[(values.logon ?? 's4u').toLowerCase()];
  if (!logon) throw new CliError('--logon must be s4u, interactive or password.');
  const limit = Number(values['time-limit-hours']);
  if (!(limit > 0 && limit <= 720))
    throw new CliError('--time-limit-hours must be a number above 0 and at most 720.');
  const tz = values.tz ?? systemTimeZone();
  let proposal: ScheduleProposal;
  try {
    proposal = proposeSchedule(profile.schedule, deps.now ?? new Date(), tz);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const command = scheduledCommand(profile, configPath as string, values, platform);
  const rehearsal = rehearsalPlan(profile, deps.now ?? new Date(), tz);
  // The weekly rehearsal always runs the CLI (the app has no headless rehearsal).
  const rehearsalCommand = rehearsal
    ? cliRehearsalCommand(configPath as string, cliPath(values), nodePath(values, platform), platform)
    : undefined;
  const runner = deps.runner ?? runCommand;
  const taskName = taskNameForProfile(profile.profile);
  const userId = values.user ?? (platform === 'win32' ? windowsUser(env) : userInfo().username);

  if (platform !== 'win32')
    return linux(action, profile, proposal, command, {
      rehearsal: rehearsal &&
        rehearsalCommand && {
          plan: rehearsal,
          command: rehearsalCommand,
          now: deps.now ?? new Date(),
          tz,
        },
      json: values.json,
      out: values.out,
      tz: values.tz !== undefined,
      limit,
      io,
      user: values.user,
    });

  const taskRequest = {
    profile,
    command,
    userId,
    logon,
    now: deps.now ?? new Date(),
    timeZone: tz,
    executionTimeLimitHours: limit,
    wakeToRun: values['wake-to-run'],
  };
  const xml = (): string => windowsTaskXml(taskRequest);
  const rehearsalRequest = rehearsalCommand && { ...taskRequest, command: rehearsalCommand };
  const rehearsalXml = (): string | undefined =>
    rehearsalRequest && windowsRehearsalTaskXml(rehearsalRequest);
  try {
    if (action === 'show') {
      const status = values.print ? undefined : await windowsScheduleStatus(profile.profile, runner);
      const rStatus =
        values.print || !rehearsal ? undefined : await windowsRehearsalStatus(profile.profile, runner);
      if (values.json)
        io.out(
          JSON.stringify({
            proposal,
            taskName,
            command,
            status,
            ...(values.xml ? { xml: xml() } : {}),
            ...(rehearsal && {
              rehearsal: {
                plan: rehearsal,
                command: rehearsalCommand,
                status: rStatus,
                ...(values.xml ? { xml: rehearsalXml() } : {}),
              },
            }),
          }),
        );
      else {
        printProposal(io, profile, proposal);
        if (status) printStatus(io, status);
        if (values.xml) io.out(`\nTask definition:\n${xml()}`);
        if (rehearsal) printRehearsal(io, rehearsal);
        if (rStatus) printStatus(io, rStatus);
        if (rehearsal && values.xml) io.out(`\nRehearsal task definition:\n${rehearsalXml()}`);
      }
      return EXIT_CODES.success;
    }
    if (action === 'install') {
      const text = xml();
      if (values.print) {
        io.out(text);
        const args = installTaskArgs(
          taskName,
          'task.xml',
          logon === 'Password' ? { user: userId } : undefined,
        );
        io.out(`\nSave it as task.xml in UTF-16 and register it with: schtasks ${windowsCommandLine(args)}`);
        const rText = rehearsalXml();
        if (rText) {
          const rArgs = installTaskArgs(
            rehearsalTaskNameForProfile(profile.profile),
            'rehearsal.xml',
            logon === 'Password' ? { user: userId } : undefined,
          );
          io.out(`\n${rText}`);
          io.out(
            `\nThe weekly rehearsal: save it as rehearsal.xml in UTF-16 and register it with: schtasks ${windowsCommandLine(rArgs)}`,
          );
        }
        return EXIT_CODES.success;
      }
      const password = values['password-env'] ? env[values['password-env']] : undefined;
      if (logon === 'Password' && !password)
        throw new CliError(
          '--logon password needs --password-env NAME: the environment variable holding the Windows password.',
        );
      const { eventSource: src, status } = await installWindowsSchedule({
        ...taskRequest,
        runner,
        ...(password ? { password } : {}),
      });
      const r =
        rehearsalRequest &&
        (await installWindowsRehearsal({ ...rehearsalRequest, runner, ...(password ? { password } : {}) }));
      if (values.json)
        io.out(
          JSON.stringify({
            installed: true,
            taskName,
            proposal,
            status,
            eventSource: src,
            ...(r && { rehearsal: r }),
          }),
        );
      else {
        printProposal(io, profile, proposal);
        io.out(`\nInstalled the scheduled task ${taskName} (runs as ${userId}, logon ${logon}).`);
        if (logon === 'S4U')
          io.out(
            'It runs whether or not you are logged on, without network credentials: destinations on UNC shares need --logon password. Secrets stored by the app decrypt only for this same Windows user.',
          );
        io.out(src.ok ? src.message : `Note: ${src.message}`);
        printStatus(io, status);
        if (r) {
          printRehearsal(io, r.plan);
          io.out(`Installed the scheduled task ${r.taskName} (runs as ${userId}, logon ${logon}).`);
          printStatus(io, r.status);
        }
      }
      return EXIT_CODES.success;
    }
    // The rehearsal task goes too, even when the profile no longer asks for it: it runs this profile.
    const rr = await removeWindowsRehearsal(profile.profile, runner);
    const removed = await removeWindowsSchedule(profile.profile, runner);
    if (values.json) io.out(JSON.stringify({ ...removed, rehearsal: rr }));
    else {
      if (rr.removed) io.out(rr.message);
      io.out(removed.message);
    }
    return EXIT_CODES.success;
  } catch (err) {
    if (err instanceof ExpectedError) {
      io.err(`${err.message}${err.fix ? `\nFix: ${err.fix}` : ''}`);
      return EXIT_CODES.failed;
    }
    throw err;
  }
}

function windowsUser(env: NodeJS.ProcessEnv): string {
  const name = env.USERNAME ?? userInfo().username;
  return env.USERDOMAIN ? `${env.USERDOMAIN}\\${name}` : name;
}

function scheduledCommand(
  profile: Profile,
  configPath: string,
  v: { app?: string | undefined; cli?: string | undefined; node?: string | undefined },
  platform: NodeJS.Platform,
): ScheduledCommand {
  if (v.app) return appScheduledCommand(v.app, profile.profile, platform);
  return cliScheduledCommand(configPath, cliPath(v), nodePath(v, platform), platform);
}

/** The CLI that is running now is the one a task should run, unless told otherwise. */
function cliPath(v: { cli?: string | undefined }): string {
  const cli = v.cli ?? process.argv[1];
  if (!cli) throw new CliError('Cannot tell where the CLI is: pass --cli <path of octane-backup.mjs>.');
  return cli;
}

function nodePath(v: { node?: string | undefined }, platform: NodeJS.Platform): string {
  return (
    v.node ??
    (platform === process.platform
      ? process.execPath
      : platform === 'win32'
        ? 'C:\\Program Files\\nodejs\\node.exe'
        : '/usr/bin/node')
  );
}

function printRehearsal(io: CliIo, r: RehearsalPlan): void {
  io.out(
    `\nWeekly restore rehearsal of the newest usable set (rehearse --newest): ${r.weekly.day} at ${r.weekly.time} (time zone ${r.weekly.timeZone}).`,
  );
  io.out('Next three rehearsals:');
  for (const n of r.nextRuns) io.out(`  ${n.local}`);
}

function printProposal(io: CliIo, profile: Profile, p: ScheduleProposal): void {
  io.out(`Schedule for profile "${profile.profile}" (time zone ${p.timeZone}):`);
  for (const line of p.explanation) io.out(`  ${line}`);
  io.out(
    `Start times: ${p.startTimes.length > 12 ? `every ${p.intervalHours * 60} min` : p.startTimes.join(', ')}${p.everyDays > 1 ? ` every ${p.everyDays} days` : ' every day'}`,
  );
  io.out('Next five runs:');
  for (const r of p.nextRuns) io.out(`  ${r.local}${r.inQuietWindow ? '  (in the quiet window)' : ''}`);
}

function printStatus(io: CliIo, s: WindowsTaskStatus): void {
  if (!s.exists) {
    io.out(
      `\nThe task ${s.taskName} is not installed (octane-backup schedule install --config <file> installs it).`,
    );
    return;
  }
  io.out(`\nTask ${s.taskName}: ${s.status ?? 'unknown state'}${s.enabled === false ? ' (disabled)' : ''}`);
  if (s.nextRunTime) io.out(`  Next run: ${s.nextRunTime}`);
  io.out(`  Last run: ${s.lastRunTime ?? 'never'}${s.lastResultText ? ` — ${s.lastResultText}` : ''}`);
  if (s.runAsUser) io.out(`  Runs as: ${s.runAsUser}${s.logonMode ? ` (${s.logonMode})` : ''}`);
}

async function linux(
  action: string,
  profile: Profile,
  p: ScheduleProposal,
  command: ScheduledCommand,
  o: {
    rehearsal: { plan: RehearsalPlan; command: ScheduledCommand; now: Date; tz: string } | undefined;
    json: boolean;
    out: string | undefined;
    tz: boolean;
    limit: number;
    io: CliIo;
    user: string | undefined;
  },
): Promise<number> {
  const files = linuxScheduleFiles(p, {
    profileName: profile.profile,
    command,
    explicitTimeZone: o.tz,
    executionTimeLimitHours: o.limit,
    ...(o.user ? { user: o.user } : {}),
  });
  const io = o.io;
  const r =
    o.rehearsal &&
    linuxRehearsalSchedule(profile, o.rehearsal.command, {
      now: o.rehearsal.now,
      timeZone: o.rehearsal.tz,
      explicitTimeZone: o.tz,
      executionTimeLimitHours: o.limit,
      ...(o.user ? { user: o.user } : {}),
    });
  if (o.json) {
    io.out(
      JSON.stringify({
        proposal: p,
        command,
        linux: files,
        ...(r &&
          o.rehearsal && { rehearsal: { plan: r.plan, command: o.rehearsal.command, linux: r.files } }),
      }),
    );
    return EXIT_CODES.success;
  }
  if (action === 'remove') {
    io.out(`To remove the schedule of profile "${profile.profile}":`);
    for (const s of files.removeSteps) io.out(`  ${s}`);
    if (r) {
      io.out('And its weekly rehearsal:');
      for (const s of r.files.removeSteps) io.out(`  ${s}`);
    }
    io.out('Or, if you used the cron line, delete it with: crontab -e');
    return EXIT_CODES.success;
  }
  printProposal(io, profile, p);
  if (r) printRehearsal(io, r.plan);
  if (action === 'show') {
    io.out(
      `\nThis tool does not register schedules on Linux; "schedule install" prints the systemd timer (${files.timerFile}${r ? ` and ${r.files.timerFile}` : ''}) and a cron line.`,
    );
    return EXIT_CODES.success;
  }
  await printUnits(io, files, o.out, 'backup');
  if (r) await printUnits(io, r.files, o.out, 'rehearsal');
  return EXIT_CODES.success;
}

async function printUnits(
  io: CliIo,
  files: LinuxScheduleFiles,
  out: string | undefined,
  job: 'backup' | 'rehearsal',
): Promise<void> {
  if (out) {
    const dir = resolve(out);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, files.serviceFile), files.service);
    await writeFile(join(dir, files.timerFile), files.timer);
    io.out(`\nWrote ${join(dir, files.serviceFile)} and ${join(dir, files.timerFile)}.`);
  }
  io.out(`\n# ---- ${files.serviceFile} ----\n${files.service}`);
  io.out(`# ---- ${files.timerFile} ----\n${files.timer}`);
  io.out(
    `To install (systemd; Persistent=true runs a missed ${job} when the machine is back)${out ? `, from ${resolve(out)}` : ', after saving both files'}:`,
  );
  for (const s of files.installSteps) io.out(`  ${s}`);
  io.out(`\nOr with cron (no catch-up of missed runs; "crontab -e" as the account that runs backups):`);
  io.out(`  ${files.cronLine}`);
}
