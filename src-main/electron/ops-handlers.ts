// The operations channels (schedule, retention, alerts, Octane config import): thin wrappers that
// call the engine with the stored profile and answer with the contract's plain views. No electron
// import: the executable a scheduled task starts is injected by the Electron glue (app-main.ts),
// and the end-to-end test binds the very same handlers in plain Node.
import { userInfo } from 'node:os';
import type { ApiHandlers } from '../contract/ipc.js';
import type { OctaneImportView, ScheduledTaskInfo } from '../contract/ui.js';
import { sendTestEmail } from '../engine/alerts/email.js';
import { importOctaneConfig } from '../engine/octane-config/import-octane-config.js';
import { defaultOctaneConfigDir } from '../engine/octane-config/default-dirs.js';
import { applyRetention, planRetention } from '../engine/use-cases/retention.js';
import { runCommand, type CommandRunner } from '../engine/os/run-command.js';
import { appScheduledCommand } from '../engine/schedule/scheduled-command.js';
import { proposeSchedule } from '../engine/schedule/propose-schedule.js';
import { taskNameForProfile, type ScheduledCommand } from '../engine/schedule/task-xml.js';
import {
  commandLineText,
  installWindowsSchedule,
  linuxSchedule,
  removeWindowsSchedule,
  requireSchedule,
  windowsScheduleStatus,
} from '../engine/use-cases/schedule.js';
import { systemTimeZone } from '../engine/schedule/time-zone.js';
import type { AppCore } from './app-core.js';
import { effectiveProfile } from './destinations.js';
import { ExpectedError } from '../engine/errors.js';
import { flatten, planView, taskView } from './ops-views.js';
import { requireSavedEnvNames, scopedSecrets } from './secret-scope.js';

export type OpsChannel =
  | 'schedule:propose'
  | 'schedule:status'
  | 'schedule:install'
  | 'schedule:remove'
  | 'retention:plan'
  | 'retention:prune'
  | 'alerts:test-email'
  | 'octane:default-dir'
  | 'octane:import';

export interface OpsDeps {
  platform: NodeJS.Platform;
  /** schtasks / powershell go through this (tests play back recorded output). */
  runner: CommandRunner;
  /**
   * The executable a scheduled task starts (Electron: the .exe the user has), and any arguments
   * before `--run` (the app folder when not packaged). Unknown: nothing can be installed.
   */
  exePath?: string;
  exeArgs?: string[];
  /** The account the Windows task runs as; default the current user (DOMAIN\user). */
  userId?: string;
  timeZone?: string;
  env?: NodeJS.ProcessEnv;
  /** The clock for proposals and retention ages; default the core's. */
  now?: () => Date;
}

/** Outside Electron (CLI-less tests, tools): the real runner, no executable to schedule. */
export function defaultOpsDeps(): OpsDeps {
  return { platform: process.platform, runner: runCommand };
}

const TEST_EMAIL_TIMEOUT_MS = 20_000;

function platformOf(p: NodeJS.Platform): ScheduledTaskInfo['platform'] {
  return p === 'win32' ? 'windows' : p === 'linux' ? 'linux' : 'other';
}

export function createOpsHandlers(core: AppCore, deps: OpsDeps): Pick<ApiHandlers, OpsChannel> {
  const tz = (): string => deps.timeZone ?? systemTimeZone();
  const now = (): Date => deps.now?.() ?? core.now();
  const env = (): NodeJS.ProcessEnv => deps.env ?? process.env;

  const commandFor = (name: string): ScheduledCommand | undefined => {
    if (!deps.exePath) return undefined;
    const c = appScheduledCommand(deps.exePath, name, deps.platform);
    return { ...c, args: [...(deps.exeArgs ?? []), ...c.args] };
  };
  const placeholder = (name: string): ScheduledCommand => ({
    program: '<Octane Backup Manager>',
    args: ['--run', name, '--kind', 'scheduled'],
  });
  const requireCommand = (name: string): ScheduledCommand => {
    const c = commandFor(name);
    if (!c)
      throw new ExpectedError(
        'APP_PATH_UNKNOWN',
        'The path of this app is not known, so no scheduled task can point at it.',
        { fix: 'Start the installed app (not a development build) and try again.', step: 'app' },
      );
    return c;
  };
  const requireWindows = (): void => {
    if (deps.platform !== 'win32')
      throw new ExpectedError('NOT_WINDOWS', 'Task Scheduler exists only on Windows.', {
        fix: 'On Linux, install the systemd timer (or the cron line) shown in Schedule.',
        step: 'app',
      });
  };

  const status = async (name: string, message?: string): Promise<ScheduledTaskInfo> => {
    const profile = core.entry(name).profile;
    const command = commandFor(name);
    const info: ScheduledTaskInfo = {
      profile: name,
      platform: platformOf(deps.platform),
      taskName: taskNameForProfile(name),
      command: commandLineText(command ?? placeholder(name), deps.platform),
    };
    if (!profile.schedule) info.noSchedule = true;
    if (message) info.message = message;
    if (deps.platform === 'win32') info.windows = taskView(await windowsScheduleStatus(name, deps.runner));
    else if (profile.schedule) {
      const { files } = linuxSchedule(profile, command ?? placeholder(name), { now: now(), timeZone: tz() });
      info.linux = {
        serviceFile: files.serviceFile,
        service: files.service,
        timerFile: files.timerFile,
        timer: files.timer,
        cronLine: files.cronLine,
        installSteps: files.installSteps,
        removeSteps: files.removeSteps,
      };
    }
    return info;
  };

  return {
    'schedule:propose': (config) => {
      // Only the schedule's own rules (a dummy name and destination complete the profile).
      const problems = core
        .validate({ profile: 'x', destination: 'x', schedule: config })
        .filter((p) => p.key.startsWith('schedule'));
      if (problems.length > 0)
        throw new ExpectedError('CONFIG_INVALID', problems.map((p) => `${p.key} ${p.message}`).join(' '), {
          details: {
            problems,
          },
          step: 'app',
        });
      const p = proposeSchedule(config, now(), tz());
      const view = {
        targetIntervalHours: p.targetIntervalHours,
        intervalHours: p.intervalHours,
        everyDays: p.everyDays,
        startTimes: p.startTimes,
        startTimesInWindow: p.startTimesInWindow,
        timeZone: p.timeZone,
        computedAt: p.computedAt,
        nextRuns: p.nextRuns,
        explanation: p.explanation,
      };
      return Promise.resolve(p.quietWindow ? { ...view, quietWindow: p.quietWindow } : view);
    },
    'schedule:status': (name) => status(name),
    'schedule:install': async (name) => {
      requireWindows();
      const profile = core.entry(name).profile;
      requireSchedule(profile);
      const e = env();
      const user = e.USERNAME ?? userInfo().username;
      const userId = deps.userId ?? (e.USERDOMAIN ? `${e.USERDOMAIN}\\${user}` : user);
      const r = await installWindowsSchedule({
        profile,
        command: requireCommand(name),
        userId,
        logon: 'S4U',
        now: now(),
        timeZone: tz(),
        runner: deps.runner,
      });
      return status(
        name,
        `Installed the scheduled task ${r.taskName} (runs as ${userId} whether or not anyone is logged on). ${r.eventSource.message}`,
      );
    },
    'schedule:remove': async (name) => {
      requireWindows();
      core.entry(name);
      const r = await removeWindowsSchedule(name, deps.runner);
      return status(name, r.message);
    },
    'retention:plan': async (name) =>
      planView(await planRetention(await effectiveProfile(core.entry(name), core.listDrives), now())),
    'retention:prune': async (req) => {
      if (core.runs.jobOf(req.profile))
        throw new ExpectedError('RUN_IN_PROGRESS', `"${req.profile}" is being backed up right now.`, {
          fix: 'Prune after the run has finished.',
          step: 'app',
        });
      const profile = await effectiveProfile(core.entry(req.profile), core.listDrives);
      const o = await applyRetention(profile, { now: now(), confirmed: req.setNames });
      return { deleted: o.deleted, failed: o.failed, skipped: o.skipped, notDeleted: o.notDeleted };
    },
    'alerts:test-email': async (req) => {
      const problems = core
        .validate({ profile: 'x', destination: 'x', alerts: { email: req.email } })
        .filter((p) => p.key.startsWith('alerts'));
      if (problems.length > 0)
        throw new ExpectedError(
          'CONFIG_INVALID',
          `The e-mail settings have ${problems.length} problem(s): ${problems.map((p) => `${p.key} ${p.message}`).join(' ')}`,
          { fix: 'Correct the settings marked in the form.', details: { problems }, step: 'app' },
        );
      // The stored password, and the variable named in passwordEnv, go only to the saved server.
      const saved = req.profileName !== undefined ? core.profiles.get(req.profileName)?.profile : undefined;
      const savedEmail = saved?.alerts?.email;
      requireSavedEnvNames('email', req.email, savedEmail, 'alerts.email');
      const typed = req.password !== undefined && req.password !== '' ? { smtpPassword: req.password } : {};
      const stored = saved ? await core.vault.resolve(saved.profile) : {};
      let password = scopedSecrets('email', req.email, savedEmail, stored, typed).smtpPassword;
      if (password === undefined && req.email.passwordEnv) password = env()[req.email.passwordEnv];
      const r = await sendTestEmail(req.email, password, { timeoutMs: TEST_EMAIL_TIMEOUT_MS });
      return { messageId: r.messageId, accepted: r.accepted, rejected: r.rejected };
    },
    'octane:default-dir': () => Promise.resolve(defaultOctaneConfigDir(deps.platform)),
    'octane:import': async (dir) => {
      const r = await importOctaneConfig(dir.trim() === '' ? defaultOctaneConfigDir(deps.platform) : dir);
      // The draft's name is a placeholder, not something Octane's config says.
      const draft: Partial<typeof r.profileDraft> = { ...r.profileDraft };
      delete draft.profile;
      const view: OctaneImportView = {
        dir: r.dir,
        filesRead: r.filesRead,
        found: r.found,
        secretsNotImported: r.secretsNotImported,
        problems: r.problems,
        draft: flatten(draft),
      };
      if (r.octaneVersion !== undefined) view.octaneVersion = r.octaneVersion;
      return view;
    },
  };
}
