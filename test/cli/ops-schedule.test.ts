import { readFile, writeFile } from 'node:fs/promises';
import { join, win32 } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scheduleCommand } from '../../src-main/cli/commands/schedule.js';
import type { CommandRunner } from '../../src-main/engine/os/run-command.js';
import { decodeTaskXml } from '../../src-main/engine/schedule/task-xml.js';
import { parseWindowsCommandLine } from '../../src-main/engine/schedule/windows-quote.js';
import { captureIo } from '../support/cli-io.js';
import { tempDir } from '../support/temp.js';
import { parseXml, texts } from '../engine/schedule/mini-xml.js';
import { ensureCli, spawnCli } from './ops-helpers.js';

// Programs run by full path under %SystemRoot% (never looked up on PATH).
const SCHTASKS = 'C:\\Windows\\System32\\schtasks.exe';
const POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(() => ensureCli());
beforeEach(async () => {
  dir = await tempDir('obm-cli-sched-');
});
afterEach(async () => dir.cleanup());

async function config(
  extra: Record<string, unknown> = {
    schedule: { targetIntervalHours: 12, quietWindow: { start: '22:00', end: '05:00' } },
  },
): Promise<string> {
  const p = join(dir.path, 'nightly.json');
  await writeFile(
    p,
    JSON.stringify({
      profile: 'nightly',
      destination: join(dir.path, 'dest'),
      repository: { path: join(dir.path, 'repo') },
      ...extra,
    }),
  );
  return p;
}

const SAMPLE_QUERY = [
  '"HostName","TaskName","Next Run Time","Status","Logon Mode","Last Run Time","Last Result","Author","Task To Run","Start In","Comment","Scheduled Task State","Idle Time","Power Management","Run As User","Delete Task If Not Rescheduled","Stop Task If Runs X Hours and X Mins","Schedule","Schedule Type","Start Time","Start Date","End Date","Days","Months","Repeat: Every","Repeat: Until: Time","Repeat: Until: Duration","Repeat: Stop If Still Running"',
  '"SRV","\\Octane Backup Manager\\nightly","3/10/2025 10:00:00 PM","Ready","Background only","N/A","267011","CORP\\admin","x","N/A","","Enabled","Disabled","","CORP\\admin","Disabled","12:00:00","","Daily ","10:00:00 PM","3/10/2025","N/A","Every 1 day(s)","N/A","Disabled","Disabled","Disabled","Disabled"',
].join('\r\n');

function windowsRunner(): { runner: CommandRunner; calls: string[][]; xml: string[] } {
  const calls: string[][] = [];
  const xml: string[] = [];
  let installed = false;
  return {
    calls,
    xml,
    runner: async (file, args) => {
      calls.push([file, ...args]);
      if (file === SCHTASKS && args[0] === '/Create') {
        xml.push(decodeTaskXml(await readFile(args[2] as string)));
        installed = true;
        return { code: 0, stdout: 'SUCCESS', stderr: '' };
      }
      if (file === SCHTASKS && args[0] === '/Query')
        return installed
          ? { code: 0, stdout: SAMPLE_QUERY, stderr: '' }
          : { code: 1, stdout: '', stderr: 'ERROR: The system cannot find the file specified.' };
      if (file === SCHTASKS && args[0] === '/Delete') return { code: 0, stdout: 'SUCCESS', stderr: '' };
      return { code: 0, stdout: '', stderr: '' };
    },
  };
}

const winDeps = (runner: CommandRunner) => ({
  platform: 'win32' as const,
  runner,
  env: { USERDOMAIN: 'CORP', USERNAME: 'admin' },
  now: new Date('2025-03-10T12:00:00Z'),
});

describe('octane-backup schedule (built CLI, spawned)', () => {
  it('show: explains the schedule and lists the next five runs', async () => {
    const r = spawnCli(['schedule', 'show', '--config', await config(), '--tz', 'Europe/Berlin']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Schedule for profile "nightly" \(time zone Europe\/Berlin\)/);
    expect(r.out).toMatch(/One run starts inside your quiet window/);
    const runs = r.out.split('Next five runs:')[1]?.trim().split('\n').slice(0, 5) ?? [];
    expect(runs).toHaveLength(5);
    expect(runs.filter((l) => l.includes('(in the quiet window)'))).toHaveLength(
      runs.filter((l) => / 22:00/.test(l)).length,
    );
  });

  it('install on Linux prints the systemd units, the cron line and how to install them', async () => {
    const out = join(dir.path, 'units');
    const r = spawnCli(['schedule', 'install', '--config', await config(), '--tz', 'UTC', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('OnCalendar=*-*-* 10:00:00 UTC');
    expect(r.out).toContain('OnCalendar=*-*-* 22:00:00 UTC');
    expect(r.out).toContain('Persistent=true');
    expect(r.out).toMatch(/sudo systemctl enable --now octane-backup-nightly\.timer/);
    expect(r.out).toMatch(
      /^ {2}0 10,22 \* \* \* umask 077 && mkdir -p -m 700 "\$HOME\/\.local\/state\/octane-backup" && cd \S+ && flock -n "\$HOME\/\.local\/state\/octane-backup\/octane-backup-nightly\.lock" /m,
    );
    const service = await readFile(join(out, 'octane-backup-nightly.service'), 'utf8');
    expect(service).toMatch(
      /ExecStart=\S*node\S* \S*octane-backup\.mjs run --config \S*nightly\.json --kind scheduled/,
    );
  });

  it('install --platform windows --print shows the task definition without registering it', async () => {
    const r = spawnCli([
      'schedule',
      'install',
      '--config',
      await config(),
      '--platform',
      'windows',
      '--print',
      '--cli',
      'C:\\tools\\octane-backup.mjs',
      '--user',
      'CORP\\admin',
    ]);
    expect(r.code).toBe(0);
    const xml = r.out.slice(0, r.out.indexOf('</Task>') + '</Task>'.length);
    const { root } = parseXml(xml);
    expect(texts(root, 'Settings', 'MultipleInstancesPolicy')).toBe('IgnoreNew');
    expect(r.out).toContain(
      'register it with: schtasks /Create /XML task.xml /TN "\\Octane Backup Manager\\nightly" /F',
    );
  });

  it('install on Linux with rehearsal.schedule also prints and writes the weekly rehearsal units', async () => {
    const out = join(dir.path, 'units');
    const cfg = await config({
      schedule: { targetIntervalHours: 24 },
      rehearsal: { schedule: { day: 'sunday', time: '04:30' } },
    });
    const r = spawnCli(['schedule', 'install', '--config', cfg, '--tz', 'UTC', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /Weekly restore rehearsal of the newest usable set \(rehearse --newest\): sunday at 04:30/,
    );
    expect(r.out).toMatch(/sudo systemctl enable --now octane-backup-nightly\.timer/);
    expect(r.out).toMatch(/sudo systemctl enable --now octane-rehearsal-nightly\.timer/);
    expect(r.out).toMatch(/^ {2}30 4 \* \* 0 umask 077 .* rehearse --newest --config \S*nightly\.json$/m);
    const service = await readFile(join(out, 'octane-rehearsal-nightly.service'), 'utf8');
    expect(service).toMatch(
      /ExecStart=\S*node\S* \S*octane-backup\.mjs rehearse --newest --config \S*nightly\.json\n/,
    );
    expect(await readFile(join(out, 'octane-rehearsal-nightly.timer'), 'utf8')).toContain(
      'OnCalendar=Sun *-*-* 04:30:00 UTC\n',
    );
    // The backup's units are still written, unchanged in what they run.
    expect(await readFile(join(out, 'octane-backup-nightly.service'), 'utf8')).toMatch(/ run --config /);
    const removal = spawnCli(['schedule', 'remove', '--config', cfg]);
    expect(removal.out).toContain('sudo systemctl disable --now octane-rehearsal-nightly.timer');
  });

  it('refuses a rehearsal.schedule with an unknown day, naming the key', async () => {
    const cfg = await config({
      schedule: { targetIntervalHours: 24 },
      rehearsal: { schedule: { day: 'sundays', time: '04:30' } },
    });
    const r = spawnCli(['schedule', 'show', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/rehearsal\.schedule\.day/);
    expect(r.err).toMatch(/sunday/);
  });

  it('exits 2 when the profile has no schedule', async () => {
    const r = spawnCli(['schedule', 'show', '--config', await config({})]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/has no schedule/);
  });
});

describe('octane-backup schedule on Windows (recorded schtasks answers)', () => {
  it('install registers the task through schtasks /XML, registers the event source and shows the state', async () => {
    const w = windowsRunner();
    const io = captureIo();
    const cfg = await config();
    const code = await scheduleCommand(
      [
        'install',
        '--config',
        cfg,
        '--cli',
        'C:\\Tools\\octane backup\\octane-backup.mjs',
        '--node',
        'C:\\Program Files\\nodejs\\node.exe',
      ],
      io,
      winDeps(w.runner),
    );
    expect(code).toBe(0);
    expect(w.calls.map((c) => `${c[0]} ${c[1]}`)).toEqual([
      `${SCHTASKS} /Create`,
      `${POWERSHELL} -NoProfile`,
      `${SCHTASKS} /Query`,
    ]);
    expect(w.calls[0]?.slice(4)).toEqual(['/TN', '\\Octane Backup Manager\\nightly', '/F']);
    const { root } = parseXml(w.xml[0] as string);
    expect(texts(root, 'Principals', 'Principal', 'UserId')).toBe('CORP\\admin');
    expect(texts(root, 'Principals', 'Principal', 'LogonType')).toBe('S4U');
    expect(parseWindowsCommandLine(texts(root, 'Actions', 'Exec', 'Arguments'))).toEqual([
      // The config path is this Linux test's file, written the way Windows would read it.
      'C:\\Tools\\octane backup\\octane-backup.mjs',
      'run',
      '--config',
      win32.normalize(cfg),
      '--kind',
      'scheduled',
    ]);
    const out = io.lines.join('\n');
    expect(out).toMatch(
      /Installed the scheduled task \\Octane Backup Manager\\nightly \(runs as CORP\\admin, logon S4U\)/,
    );
    expect(out).toMatch(/Last run: never — The task has not run yet\./);
  });

  it('show reports a task that is not installed, remove deletes it', async () => {
    const w = windowsRunner();
    const io = captureIo();
    const cfg = await config();
    expect(
      await scheduleCommand(
        ['show', '--config', cfg, '--app', 'C:\\Apps\\Octane Backup Manager.exe'],
        io,
        winDeps(w.runner),
      ),
    ).toBe(0);
    expect(io.lines.join('\n')).toMatch(/is not installed/);
    expect(await scheduleCommand(['remove', '--config', cfg], io, winDeps(w.runner))).toBe(0);
    expect(w.calls.at(-1)).toEqual([SCHTASKS, '/Delete', '/TN', '\\Octane Backup Manager\\nightly', '/F']);
  });

  it('with rehearsal.schedule, install registers a weekly rehearsal task next to the backup task; show and remove cover both', async () => {
    const w = windowsRunner();
    const io = captureIo();
    const cfg = await config({
      schedule: { targetIntervalHours: 24 },
      rehearsal: { schedule: { day: 'saturday', time: '23:00' } },
    });
    const cliArgs = [
      '--cli',
      'C:\\Tools\\octane-backup.mjs',
      '--node',
      'C:\\Program Files\\nodejs\\node.exe',
    ];
    expect(await scheduleCommand(['install', '--config', cfg, ...cliArgs], io, winDeps(w.runner))).toBe(0);
    const tn = (c: string[]): string => `${c[1]} ${c.includes('/TN') ? c[c.indexOf('/TN') + 1] : ''}`.trim();
    expect(w.calls.map(tn)).toEqual([
      '/Create \\Octane Backup Manager\\nightly',
      '-NoProfile',
      '/Query \\Octane Backup Manager\\nightly',
      '/Create \\Octane Backup Manager\\nightly (rehearsal)',
      '/Query \\Octane Backup Manager\\nightly (rehearsal)',
    ]);
    const { root } = parseXml(w.xml[1] as string);
    expect(texts(root, 'Triggers', 'CalendarTrigger', 'ScheduleByWeek', 'WeeksInterval')).toBe('1');
    expect(parseWindowsCommandLine(texts(root, 'Actions', 'Exec', 'Arguments'))).toEqual([
      'C:\\Tools\\octane-backup.mjs',
      'rehearse',
      '--newest',
      '--config',
      win32.normalize(cfg),
    ]);
    expect(io.lines.join('\n')).toMatch(
      /Installed the scheduled task \\Octane Backup Manager\\nightly \(rehearsal\) \(runs as CORP\\admin, logon S4U\)/,
    );
    const shown = captureIo();
    w.calls.length = 0;
    expect(await scheduleCommand(['show', '--config', cfg, ...cliArgs], shown, winDeps(w.runner))).toBe(0);
    expect(w.calls.map(tn)).toEqual([
      '/Query \\Octane Backup Manager\\nightly',
      '/Query \\Octane Backup Manager\\nightly (rehearsal)',
    ]);
    expect(shown.lines.join('\n')).toMatch(/Next three rehearsals:\n {2}\d{4}-\d\d-\d\d 23:00/);
    w.calls.length = 0;
    expect(await scheduleCommand(['remove', '--config', cfg], captureIo(), winDeps(w.runner))).toBe(0);
    expect(w.calls).toEqual([
      [SCHTASKS, '/Delete', '/TN', '\\Octane Backup Manager\\nightly (rehearsal)', '/F'],
      [SCHTASKS, '/Delete', '/TN', '\\Octane Backup Manager\\nightly', '/F'],
    ]);
  });

  it('exits 1 with the fix when Task Scheduler refuses', async () => {
    const io = captureIo();
    const refuse: CommandRunner = () =>
      Promise.resolve({ code: 1, stdout: '', stderr: 'ERROR: Access is denied.' });
    const code = await scheduleCommand(
      ['install', '--config', await config(), '--cli', 'C:\\x.mjs'],
      io,
      winDeps(refuse),
    );
    expect(code).toBe(1);
    expect(io.errors.join('\n')).toMatch(
      /refused the task[\s\S]*Fix: Run the install from an elevated prompt/,
    );
  });
});
