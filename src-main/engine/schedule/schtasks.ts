// Registers, queries and removes the scheduled task through schtasks.exe. All commands go
// through an injected runner: on Linux the tests play back recorded schtasks output.
// A task that runs with a stored Windows password ("Password" logon) is registered through the
// Task Scheduler COM API from PowerShell instead, with the password on standard input: on the
// schtasks command line (/RP) it would be visible to process auditing (event 4688, Sysmon).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExpectedError } from '../errors.js';
import type { CommandRunner } from '../os/run-command.js';
import { powershellCommand, system32Path } from '../os/powershell.js';
import { psQuote } from '../alerts/event-log.js';
import { redactSecret } from '../config/redact.js';
import { encodeTaskXml, type TaskLogonType } from './task-xml.js';

/** By full path: a schtasks.exe earlier on PATH never runs instead. */
const SCHTASKS = (): string => system32Path('schtasks.exe');

export interface InstallTaskOptions {
  taskName: string;
  /** The task definition (text); written as UTF-16 LE with a BOM. */
  xml: string;
  runner: CommandRunner;
  /** Only for logon type Password: the account and its password (never logged). */
  logonType?: TaskLogonType;
  user?: string;
  password?: string;
  tempDir?: string;
}

/**
 * The schtasks command line, for display (an admin registering by hand). With an account,
 * "/RP *" makes schtasks ask for the password at its prompt, so it is never on a command line.
 */
export function installTaskArgs(taskName: string, xmlFile: string, logon?: { user: string }): string[] {
  const args = ['/Create', '/XML', xmlFile, '/TN', taskName, '/F'];
  if (logon) args.push('/RU', logon.user, '/RP', '*');
  return args;
}

// ITaskFolder.RegisterTask flags and logon type (taskschd.h).
const TASK_CREATE_OR_UPDATE = 6;
const TASK_LOGON_PASSWORD = 1;

/**
 * PowerShell registering `xmlFile` as `taskName` for `user` with the password read from standard
 * input (one line: base64 of its UTF-8 bytes, so no console code page can change it). Nothing
 * secret is in the script, which travels as -EncodedCommand on the command line.
 */
export function registerWithPasswordScript(taskName: string, xmlFile: string, user: string): string {
  const cut = taskName.lastIndexOf('\\');
  const folder = cut > 0 ? taskName.slice(0, cut) : '\\';
  const leaf = taskName.slice(cut + 1);
  return [
    "$ErrorActionPreference = 'Stop'",
    '$line = [Console]::In.ReadLine()',
    '$password = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($line))',
    `$xml = [IO.File]::ReadAllText(${psQuote(xmlFile)})`,
    "$service = New-Object -ComObject 'Schedule.Service'",
    '$service.Connect()',
    `try { $folder = $service.GetFolder(${psQuote(folder)}) } catch { $folder = $service.GetFolder('\\').CreateFolder(${psQuote(folder)}) }`,
    `[void]$folder.RegisterTask(${psQuote(leaf)}, $xml, ${TASK_CREATE_OR_UPDATE}, ${psQuote(user)}, $password, ${TASK_LOGON_PASSWORD})`,
    '$password = $null',
  ].join('\n');
}

export function removeTaskArgs(taskName: string): string[] {
  return ['/Delete', '/TN', taskName, '/F'];
}

export function queryTaskArgs(taskName: string): string[] {
  return ['/Query', '/TN', taskName, '/V', '/FO', 'CSV'];
}

const output = (r: { stdout: string; stderr: string }): string =>
  `${r.stderr.trim()} ${r.stdout.trim()}`.trim();

export async function installWindowsTask(opts: InstallTaskOptions): Promise<void> {
  const dir = await mkdtemp(join(opts.tempDir ?? tmpdir(), 'octane-task-'));
  const file = join(dir, 'task.xml');
  try {
    await writeFile(file, encodeTaskXml(opts.xml));
    let password: string | undefined;
    let r: { code: number | null; stdout: string; stderr: string };
    if (opts.logonType === 'Password') {
      if (!opts.user || !opts.password)
        throw new ExpectedError(
          'SCHEDULE_PASSWORD_REQUIRED',
          'The "Password" logon type needs the account and its password.',
          {
            step: 'run',
            fix: 'Enter the Windows password of the account, or choose S4U (no password stored).',
          },
        );
      password = opts.password;
      const ps = powershellCommand(registerWithPasswordScript(opts.taskName, file, opts.user));
      r = await opts.runner(ps.file, ps.args, {
        stdin: `${Buffer.from(password, 'utf8').toString('base64')}\r\n`,
      });
    } else r = await opts.runner(SCHTASKS(), installTaskArgs(opts.taskName, file));
    if (r.code !== 0) {
      let text = output(r);
      if (password !== undefined) text = redactSecret(text, password);
      throw new ExpectedError(
        'SCHEDULE_INSTALL_FAILED',
        `Task Scheduler refused the task ${opts.taskName}: ${text || `exit code ${r.code}`}.`,
        {
          step: 'run',
          fix: /access|denied|zugriff|accès/i.test(text)
            ? 'Run the install from an elevated prompt (a task that runs while nobody is logged on needs the "Log on as a batch job" right), or choose the logon type InteractiveToken.'
            : 'Check the message above; the task definition is shown by "octane-backup schedule show --xml".',
        },
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function removeWindowsTask(
  taskName: string,
  runner: CommandRunner,
): Promise<{ removed: boolean; message: string }> {
  const r = await runner(SCHTASKS(), removeTaskArgs(taskName));
  if (r.code === 0) return { removed: true, message: `Removed the scheduled task ${taskName}.` };
  const status = await queryWindowsTask(taskName, runner);
  if (!status.exists)
    return { removed: false, message: `There is no scheduled task ${taskName}; nothing to remove.` };
  throw new ExpectedError(
    'SCHEDULE_REMOVE_FAILED',
    `Could not remove the scheduled task ${taskName}: ${output(r)}.`,
    {
      step: 'run',
      fix: 'Remove it in Task Scheduler (taskschd.msc), or run the command from an elevated prompt.',
    },
  );
}

export async function runWindowsTaskNow(taskName: string, runner: CommandRunner): Promise<void> {
  const r = await runner(SCHTASKS(), ['/Run', '/TN', taskName]);
  if (r.code !== 0)
    throw new ExpectedError(
      'SCHEDULE_RUN_FAILED',
      `Could not start the scheduled task ${taskName}: ${output(r)}.`,
      { step: 'run' },
    );
}

export type TaskState = 'ready' | 'running' | 'disabled' | 'queued' | 'unknown';

export interface WindowsTaskStatus {
  taskName: string;
  exists: boolean;
  /** As schtasks prints it (localized). */
  status?: string;
  state?: TaskState;
  enabled?: boolean;
  nextRunTime?: string;
  lastRunTime?: string;
  lastResult?: number;
  /** Plain words for lastResult. */
  lastResultText?: string;
  runAsUser?: string;
  logonMode?: string;
  taskToRun?: string;
  /** One line per trigger, e.g. "Daily 10:00:00 PM". */
  schedules: string[];
  /** When the task does not exist or could not be queried: what schtasks said. */
  error?: string;
}

export async function queryWindowsTask(taskName: string, runner: CommandRunner): Promise<WindowsTaskStatus> {
  const r = await runner(SCHTASKS(), queryTaskArgs(taskName));
  if (r.code !== 0) return { taskName, exists: false, schedules: [], error: output(r) };
  return parseSchtasksCsv(r.stdout, taskName);
}

/** RFC 4180 CSV (quoted fields, doubled quotes), as schtasks /FO CSV writes it. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
      continue;
    }
    if (ch === '"') {
      quoted = true;
      any = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      any = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      if (any || field !== '') {
        row.push(field);
        rows.push(row);
      }
      row = [];
      field = '';
      any = false;
    } else {
      field += ch;
      any = true;
    }
  }
  if (any || field !== '') {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// Column positions of `schtasks /Query /V /FO CSV`. The header names are translated on
// non-English Windows but the order is not, so fields are read by position.
const COL = {
  taskName: 1,
  nextRunTime: 2,
  status: 3,
  logonMode: 4,
  lastRunTime: 5,
  lastResult: 6,
  taskToRun: 8,
  scheduledTaskState: 11,
  runAsUser: 14,
  scheduleType: 18,
  startTime: 19,
} as const;

export function parseSchtasksCsv(text: string, taskName: string): WindowsTaskStatus {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = rows[0];
  // Repeated header lines appear when several tasks are listed; keep data rows of our task.
  const data = rows
    .slice(1)
    .filter((r) => r.length > COL.startTime && r[COL.taskName] !== header?.[COL.taskName]);
  const norm = (s: string | undefined): string => (s ?? '').replace(/^\\/, '').toLowerCase();
  const mine = data.filter((r) => norm(r[COL.taskName]) === norm(taskName));
  const rowsForTask = mine.length > 0 ? mine : data;
  const first = rowsForTask[0];
  if (!first) return { taskName, exists: false, schedules: [], error: 'schtasks listed no task.' };
  const get = (i: number): string | undefined => {
    const v = first[i]?.trim();
    return v === undefined || v === '' || v === 'N/A' ? undefined : v;
  };
  const status: WindowsTaskStatus = { taskName, exists: true, schedules: [] };
  const s = get(COL.status);
  if (s !== undefined) {
    status.status = s;
    status.state = stateOf(s);
  }
  const enabled = get(COL.scheduledTaskState);
  if (enabled !== undefined) {
    status.enabled = !/^disabled$/i.test(enabled);
    if (status.enabled === false) status.state = 'disabled';
  }
  const set = (
    key: 'nextRunTime' | 'lastRunTime' | 'runAsUser' | 'logonMode' | 'taskToRun',
    i: number,
  ): void => {
    const v = get(i);
    if (v !== undefined) status[key] = v;
  };
  set('nextRunTime', COL.nextRunTime);
  set('lastRunTime', COL.lastRunTime);
  set('runAsUser', COL.runAsUser);
  set('logonMode', COL.logonMode);
  set('taskToRun', COL.taskToRun);
  const lr = get(COL.lastResult);
  if (lr !== undefined) {
    const n = /^0x[0-9a-f]+$/i.test(lr) ? parseInt(lr, 16) : Number(lr);
    if (Number.isFinite(n)) {
      status.lastResult = n;
      status.lastResultText = describeLastResult(n);
    }
  }
  status.schedules = rowsForTask
    .map((r) =>
      [r[COL.scheduleType]?.trim(), r[COL.startTime]?.trim()].filter((x) => x && x !== 'N/A').join(' '),
    )
    .filter((x) => x !== '');
  return status;
}

function stateOf(s: string): TaskState {
  if (/^ready$/i.test(s)) return 'ready';
  if (/^running$/i.test(s)) return 'running';
  if (/^disabled$/i.test(s)) return 'disabled';
  if (/^queued$/i.test(s)) return 'queued';
  return 'unknown';
}

/** Plain words for a task's Last Result (our exit codes and Task Scheduler's HRESULTs). */
export function describeLastResult(code: number): string {
  const u = code >>> 0;
  const known: Record<number, string> = {
    0: 'The last run succeeded.',
    1: 'The last run failed (exit code 1): the backup failed or a check found damage. See run.log in the newest set folder.',
    2: 'The last run did not start (exit code 2): the config file is invalid or missing.',
    130: 'The last run was cancelled (exit code 130), for example by a shutdown.',
    0x41300: 'The task is ready to run at its next scheduled time.',
    0x41301: 'The task is running now.',
    0x41302: 'The task is disabled.',
    0x41303: 'The task has not run yet.',
    0x41306: 'The last run was stopped: it hit the time limit or was ended by hand.',
    0x8004131f: 'A run was skipped because the previous one was still going.',
    0x800710e0:
      'Windows refused to start the run (a condition was not met, or the account was not logged on).',
    0x80070002: 'The program to run was not found: reinstall the schedule after moving the app.',
    0x80070005: 'Access denied when starting the run: check the account the task runs as.',
    0xc000013a: 'The last run was ended (the console was closed or the computer shut down).',
  };
  return known[u] ?? `The last run ended with code ${code} (0x${u.toString(16).toUpperCase()}).`;
}
