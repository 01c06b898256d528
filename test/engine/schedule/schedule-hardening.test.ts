// What a schedule may carry: a working folder with spaces systemd accepts, no control character
// anywhere (a line break in User= injects a directive), %NAME% never expanded by Task
// Scheduler, a Windows password never on a command line, and the cron lock in a private folder.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandRunner, RunCommandOptions } from '../../../src-main/engine/os/run-command.js';
import { runCommand } from '../../../src-main/engine/os/run-command.js';
import { linuxScheduleFiles } from '../../../src-main/engine/schedule/linux-units.js';
import { proposeSchedule } from '../../../src-main/engine/schedule/propose-schedule.js';
import { installWindowsTask } from '../../../src-main/engine/schedule/schtasks.js';
import { buildTaskXml, type ScheduledCommand } from '../../../src-main/engine/schedule/task-xml.js';
import { parseWindowsCommandLine } from '../../../src-main/engine/schedule/windows-quote.js';
import { tempDir } from '../../support/temp.js';
import { parseXml, type XmlElement } from './mini-xml.js';

const NOW = new Date('2025-03-10T12:00:00Z');
const proposal = proposeSchedule({ targetIntervalHours: 12 }, NOW, 'UTC');

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir('obm-sched-');
});
afterEach(async () => tmp.cleanup());

function verify(files: ReturnType<typeof linuxScheduleFiles>): { status: number | null; errors: string[] } {
  const dir = join(tmp.path, 'units');
  spawnSync('mkdir', ['-p', dir]);
  spawnSync('sh', ['-c', `cat > "${join(dir, files.serviceFile)}"`], { input: files.service });
  spawnSync('sh', ['-c', `cat > "${join(dir, files.timerFile)}"`], { input: files.timer });
  const r = spawnSync(
    'systemd-analyze',
    ['verify', join(dir, files.serviceFile), join(dir, files.timerFile)],
    {
      encoding: 'utf8',
    },
  );
  return { status: r.status, errors: r.stderr.split('\n').filter((l) => l.includes(files.unitName)) };
}

describe('systemd unit and cron line', () => {
  it('writes a WorkingDirectory with spaces (and %) that systemd-analyze verify accepts', async () => {
    const wd = join(tmp.path, 'Octane Backup 100%');
    await mkdir(wd, { recursive: true });
    const files = linuxScheduleFiles(proposal, {
      profileName: 'nightly',
      command: { program: process.execPath, args: [join(wd, 'cli.mjs'), 'run'], workingDirectory: wd },
    });
    expect(files.service).toContain(`WorkingDirectory=${wd.replace('%', '%%')}\n`);
    expect(verify(files)).toEqual({ status: 0, errors: [] });
  });

  it.each([
    ['user', { user: 'octane\nExecStartPre=/bin/sh -c "id > /tmp/owned"' }],
    ['user', { user: 'octane\rUMask=0000' }],
    ['argument', { args: ['run', '--config', '/etc/x.json\nExecStartPost=/bin/true'] }],
    ['program', { program: '/usr/bin/node\u2028' }],
    ['working folder', { workingDirectory: '/opt/octane\n[Install]' }],
  ])('refuses a control character in the %s', (_what, change) => {
    const { user, ...cmd } = change as { user?: string } & Partial<ScheduledCommand>;
    const command = { program: '/usr/bin/node', args: ['cli.mjs'], ...cmd };
    expect(() =>
      linuxScheduleFiles(proposal, { profileName: 'nightly', command, ...(user !== undefined && { user }) }),
    ).toThrow(expect.objectContaining({ code: 'SCHEDULE_CONTROL_CHARACTER' }) as Error);
  });

  it('refuses a user name systemd would not take, and a relative working folder', () => {
    const command = { program: '/usr/bin/node', args: [] };
    for (const user of ['-root', 'a b', 'x%n', ''])
      expect(() => linuxScheduleFiles(proposal, { profileName: 'p', command, user }), user).toThrow(
        expect.objectContaining({ code: 'SCHEDULE_UNSAFE_VALUE' }) as Error,
      );
    expect(() =>
      linuxScheduleFiles(proposal, { profileName: 'p', command: { ...command, workingDirectory: 'opt/x' } }),
    ).toThrow(/absolute/);
  });

  it('runs the cron line with its lock in a private folder, never in /tmp, and skips a second run', async () => {
    const home = join(tmp.path, 'home');
    await mkdir(home);
    const marks = join(tmp.path, 'marks');
    await mkdir(marks);
    // The "backup": notes that it ran, then holds the lock for a while.
    const script = join(tmp.path, 'backup.sh');
    await writeFile(script, `#!/bin/sh\necho ran >> "${marks}/$1"\nsleep "$2"\n`, { mode: 0o755 });
    const line = (name: string, secs: string): string =>
      linuxScheduleFiles(proposal, {
        profileName: 'nightly',
        command: { program: script, args: [name, secs] },
      })
        .cronLine.split(' ')
        .slice(5)
        .join(' ')
        .replace(/\\%/g, '%');
    expect(line('a', '1')).toMatch(
      /flock -n "\$HOME\/\.local\/state\/octane-backup\/octane-backup-nightly\.lock" /,
    );
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home };
    const first = spawn('sh', ['-c', line('first', '3')], { env, stdio: 'ignore' });
    const firstDone = new Promise<number | null>((r) => first.on('exit', r));
    for (let i = 0; i < 100 && !existsSync(join(marks, 'first')); i++)
      await new Promise((r) => setTimeout(r, 30));
    const second = spawnSync('sh', ['-c', line('second', '0')], { env });
    expect(second.status).not.toBe(0);
    expect(existsSync(join(marks, 'second'))).toBe(false);
    expect(await firstDone).toBe(0);
    const lockDir = join(home, '.local', 'state', 'octane-backup');
    expect(((await lstat(lockDir)).mode & 0o777).toString(8)).toBe('700');
    expect(existsSync(join(lockDir, 'octane-backup-nightly.lock'))).toBe(true);
  });
});

/** ExpandEnvironmentStrings as Windows does it: %NAME% of a defined variable (any case) is replaced;
 * otherwise the first "%" stays and the scan goes on from the second. */
function expandEnvironmentStrings(text: string, env: Record<string, string>): string {
  const lower = Object.fromEntries(Object.entries(env).map(([k, v]) => [k.toLowerCase(), v]));
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    const end = ch === '%' ? text.indexOf('%', i + 1) : -1;
    if (end < 0) {
      out += ch;
      i++;
      continue;
    }
    const value = lower[text.slice(i + 1, end).toLowerCase()];
    if (value !== undefined) {
      out += value;
      i = end + 1;
    } else {
      out += text.slice(i, end);
      i = end;
    }
  }
  return out;
}

const find = (e: XmlElement, ...path: string[]): XmlElement | undefined =>
  path.reduce<XmlElement | undefined>((cur, n) => cur?.children.find((c) => c.name === n), e);

describe('Task Scheduler definition', () => {
  const ENV = { PATH: 'C:\\Windows', USERPROFILE: 'C:\\Users\\evil', TEMP: 'X', '"a"': 'quoted' };
  const taskXml = (command: ScheduledCommand): string =>
    buildTaskXml(proposal, {
      taskName: '\\Octane Backup Manager\\nightly',
      command,
      userId: 'CORP\\admin',
      now: NOW,
    });

  it('keeps %NAME% in arguments from being expanded: the program gets them unchanged', () => {
    const args = [
      'C:\\Users\\bob\\cli.mjs',
      'run',
      '--config',
      'C:\\Backup %USERPROFILE%\\100% sure\\%PATH%.json',
      '%TEMP%',
      '%%',
      'a%"b"%c\\',
      'C:\\dir\\%TEMP%\\',
      '%',
      '',
    ];
    const xml = taskXml({ program: 'C:\\Program Files\\nodejs\\node.exe', args });
    const text = find(parseXml(xml).root, 'Actions', 'Exec', 'Arguments')?.text ?? '';
    expect(parseWindowsCommandLine(expandEnvironmentStrings(text, ENV))).toEqual(args);
  });

  it('refuses "%" in the program and working folder, and control characters anywhere', () => {
    const base = { program: 'C:\\App\\app.exe', args: ['--run', 'nightly'] };
    expect(() => taskXml({ ...base, program: 'C:\\%TEMP%\\app.exe' })).toThrow(/environment variable/);
    expect(() => taskXml({ ...base, workingDirectory: 'C:\\%TEMP%' })).toThrow(/environment variable/);
    for (const command of [
      { ...base, args: ['--run', 'nightly\r\n--kind'] },
      { ...base, program: 'C:\\App\\app.exe\t' },
      { ...base, workingDirectory: 'C:\\App\n' },
    ])
      expect(() => taskXml(command)).toThrow(
        expect.objectContaining({ code: 'SCHEDULE_CONTROL_CHARACTER' }) as Error,
      );
    expect(() =>
      buildTaskXml(proposal, { taskName: '\\x', command: base, userId: 'CORP\\admin\n<x/>', now: NOW }),
    ).toThrow(expect.objectContaining({ code: 'SCHEDULE_CONTROL_CHARACTER' }) as Error);
  });
});

describe('"--logon password": the Windows password never on a command line', () => {
  const PASSWORD = 'Hunter2!ö "quoted"';

  it('registers through the Task Scheduler COM API with the password on standard input', async () => {
    const calls: { file: string; args: string[]; opts?: RunCommandOptions }[] = [];
    const runner: CommandRunner = (file, args, opts) => {
      calls.push({ file, args: [...args], ...(opts && { opts }) });
      return Promise.resolve({ code: 0, stdout: '', stderr: '' });
    };
    await installWindowsTask({
      taskName: '\\Octane Backup Manager\\nightly',
      xml: '<Task/>',
      runner,
      logonType: 'Password',
      user: 'CORP\\svc',
      password: PASSWORD,
      tempDir: tmp.path,
    });
    expect(calls).toHaveLength(1);
    const call = calls[0] as (typeof calls)[number];
    const b64 = Buffer.from(PASSWORD, 'utf8').toString('base64');
    // Nothing of the password in the program or its arguments, in any form.
    expect(call.file).toMatch(/powershell\.exe$/);
    const commandLine = JSON.stringify([call.file, ...call.args]);
    for (const form of [PASSWORD, b64, 'Hunter2']) expect(commandLine).not.toContain(form);
    const script = Buffer.from(call.args.at(-1) as string, 'base64').toString('utf16le');
    expect(script).not.toContain('Hunter2');
    expect(script).toContain("New-Object -ComObject 'Schedule.Service'");
    expect(script).toMatch(/\.RegisterTask\('nightly', \$xml, 6, 'CORP\\svc', \$password, 1\)/);
    expect(script).toContain('[Console]::In.ReadLine()');
    // The password arrives on standard input, base64 of its UTF-8 bytes (no code page can change it).
    expect(call.opts?.stdin?.trim()).toBe(b64);
    expect(Buffer.from(call.opts?.stdin?.trim() ?? '', 'base64').toString('utf8')).toBe(PASSWORD);
  });

  it('runCommand hands standard input to the program (a real process)', async () => {
    const r = await runCommand('/bin/sh', ['-c', 'read line; printf "got:%s" "$line"'], {
      stdin: 'abc\n',
      timeoutMs: 10_000,
    });
    expect(r).toEqual({ code: 0, stdout: 'got:abc', stderr: '' });
  });
});
