// The weekly restore rehearsal's schedule (profile key rehearsal.schedule): next runs that systemd
// computes the same way, unit files systemd-analyze accepts, a cron line on the right weekday, a
// Task Scheduler weekly trigger, and names that never collide with a backup job's.
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-main/contract/profile.js';
import {
  linuxScheduleFiles,
  linuxWeeklyRehearsalFiles,
  rehearsalUnitNameFor,
  unitNameFor,
} from '../../../src-main/engine/schedule/linux-units.js';
import { proposeSchedule } from '../../../src-main/engine/schedule/propose-schedule.js';
import { cliRehearsalCommand } from '../../../src-main/engine/schedule/scheduled-command.js';
import {
  buildWeeklyTaskXml,
  rehearsalTaskNameForProfile,
  taskNameForProfile,
} from '../../../src-main/engine/schedule/task-xml.js';
import { nextWeeklyRuns, weeklyCron, weeklyOnCalendar } from '../../../src-main/engine/schedule/weekly.js';
import {
  linuxRehearsalSchedule,
  rehearsalPlan,
  windowsRehearsalTaskXml,
} from '../../../src-main/engine/use-cases/schedule.js';
import { parseWindowsCommandLine } from '../../../src-main/engine/schedule/windows-quote.js';
import { tempDir } from '../../support/temp.js';
import { child, parseXml, texts } from './mini-xml.js';

// Friday 21 March 2025, 12:00 UTC: nine days before Europe's spring clock change (30 March).
const NOW = new Date('2025-03-21T12:00:00Z');
const command = cliRehearsalCommand(
  '/etc/octane-backup/nightly 100%.json',
  '/opt/octane backup/cli.mjs',
  '/usr/bin/node',
  'linux',
);

function systemdElapses(expr: string, base: Date, iterations: number): string[] {
  const r = spawnSync(
    'systemd-analyze',
    ['calendar', `--base-time=@${Math.floor(base.getTime() / 1000)}`, `--iterations=${iterations}`, expr],
    { encoding: 'utf8', env: { ...process.env, TZ: 'UTC', SYSTEMD_COLORS: '0' } },
  );
  expect(r.status, r.stderr).toBe(0);
  return [...r.stdout.matchAll(/(?:Next elapse|Iter\. #\d+): \w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC/g)].map(
    (m) => new Date(`${(m[1] as string).replace(' ', 'T')}Z`).toISOString(),
  );
}

describe('weekly rehearsal times', () => {
  it('next runs fall on the chosen weekday at the wall-clock time, across a clock change, as systemd computes them', () => {
    for (const w of [
      { day: 'sunday', time: '03:00', timeZone: 'Europe/Berlin' },
      { day: 'friday', time: '11:59', timeZone: 'UTC' },
      { day: 'friday', time: '12:01', timeZone: 'UTC' },
      { day: 'wednesday', time: '22:15', timeZone: 'America/New_York' },
    ] as const) {
      const runs = nextWeeklyRuns(w, NOW, 3);
      expect(systemdElapses(weeklyOnCalendar(w, true), NOW, 3)).toEqual(runs.map((r) => r.at));
      for (const r of runs) expect(r.local.slice(11)).toBe(w.time);
    }
    // Sunday 30 March is the clock change in Berlin: 03:00 local is 01:00 UTC there, 02:00 before.
    expect(
      nextWeeklyRuns({ day: 'sunday', time: '03:00', timeZone: 'Europe/Berlin' }, NOW, 2).map((r) => r.at),
    ).toEqual(['2025-03-23T02:00:00.000Z', '2025-03-30T01:00:00.000Z']);
    // A time already passed today waits a week.
    expect(nextWeeklyRuns({ day: 'friday', time: '11:59', timeZone: 'UTC' }, NOW, 1)[0]?.at).toBe(
      '2025-03-28T11:59:00.000Z',
    );
  });

  it('gives cron the weekday as cron counts it (Sunday 0)', () => {
    expect(weeklyCron({ day: 'sunday', time: '03:05', timeZone: 'UTC' })).toBe('5 3 * * 0');
    expect(weeklyCron({ day: 'saturday', time: '23:30', timeZone: 'UTC' })).toBe('30 23 * * 6');
  });
});

describe('weekly rehearsal on Linux', () => {
  it('writes a service and timer that systemd-analyze verify accepts, next to the backup units and sharing their secrets file', async () => {
    const w = { day: 'sunday', time: '03:00', timeZone: 'UTC' } as const;
    const files = linuxWeeklyRehearsalFiles(w, { profileName: 'nightly', command });
    const backup = linuxScheduleFiles(proposeSchedule({ targetIntervalHours: 24 }, NOW, 'UTC'), {
      profileName: 'nightly',
      command,
    });
    expect(files.unitName).toBe('octane-rehearsal-nightly');
    expect(files.unitName).not.toBe(backup.unitName);
    expect(files.service).toContain('EnvironmentFile=-/etc/octane-backup/octane-backup-nightly.env\n');
    expect(files.service).toContain(
      'ExecStart=/usr/bin/node "/opt/octane backup/cli.mjs" rehearse --newest --config "/etc/octane-backup/nightly 100%%.json"\n',
    );
    expect(files.service).toContain(
      'Description=Octane Backup Manager: weekly restore rehearsal of profile nightly\n',
    );
    expect(files.timer).toContain('OnCalendar=Sun *-*-* 03:00:00\n');
    expect(files.timer).toContain('Persistent=true\n');
    expect(files.timer).toContain('Unit=octane-rehearsal-nightly.service\n');
    expect(files.cronLine).toMatch(
      /^0 3 \* \* 0 umask 077 && .*flock -n "\$HOME\/\.local\/state\/octane-backup\/octane-rehearsal-nightly\.lock" \/usr\/bin\/node '\/opt\/octane backup\/cli\.mjs' rehearse --newest --config '\/etc\/octane-backup\/nightly 100\\%\.json'$/,
    );
    const tmp = await tempDir('obm-rehearsal-units-');
    try {
      await writeFile(join(tmp.path, files.serviceFile), files.service);
      await writeFile(join(tmp.path, files.timerFile), files.timer);
      const r = spawnSync(
        'systemd-analyze',
        ['verify', join(tmp.path, files.serviceFile), join(tmp.path, files.timerFile)],
        {
          encoding: 'utf8',
        },
      );
      expect(r.stderr.split('\n').filter((l) => l.includes(files.unitName))).toEqual([]);
      expect(r.status, r.stderr).toBe(0);
    } finally {
      await tmp.cleanup();
    }
  });

  it('never gives one profile’s rehearsal the name of another profile’s job', () => {
    const names = ['nightly', 'nightly rehearsal', 'rehearsal-nightly', 'octane'].flatMap((p) => [
      unitNameFor(p),
      rehearsalUnitNameFor(p),
      taskNameForProfile(p),
      rehearsalTaskNameForProfile(p),
    ]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('refuses a control character in the rehearsal command, the user and the profile name', () => {
    const w = { day: 'monday', time: '04:00', timeZone: 'UTC' } as const;
    for (const o of [
      {
        profileName: 'nightly',
        command: { ...command, args: [...command.args, '--x\nExecStartPre=/bin/true'] },
      },
      { profileName: 'nightly', command, user: 'octane\nUMask=0000' },
      { profileName: 'nightly\n[Install]', command },
    ])
      expect(() => linuxWeeklyRehearsalFiles(w, o)).toThrow(
        expect.objectContaining({ code: 'SCHEDULE_CONTROL_CHARACTER' }) as Error,
      );
  });

  it('the use-case plans it only when the profile asks for it', () => {
    const profile = {
      profile: 'nightly',
      destination: '/backups',
      schedule: { targetIntervalHours: 24 },
    } as Profile;
    expect(rehearsalPlan(profile, NOW, 'UTC')).toBeUndefined();
    expect(() => linuxRehearsalSchedule(profile, command, { now: NOW, timeZone: 'UTC' })).toThrow(
      expect.objectContaining({ code: 'NO_REHEARSAL_SCHEDULE' }) as Error,
    );
    const asked = { ...profile, rehearsal: { schedule: { day: 'saturday', time: '02:00' } } } as Profile;
    const { plan, files } = linuxRehearsalSchedule(asked, command, { now: NOW, timeZone: 'UTC' });
    expect(plan.nextRuns.map((r) => r.local)).toEqual([
      '2025-03-22 02:00',
      '2025-03-29 02:00',
      '2025-04-05 02:00',
    ]);
    expect(files.onCalendar).toEqual(['Sat *-*-* 02:00:00']);
  });
});

describe('weekly rehearsal on Windows', () => {
  const winCommand = cliRehearsalCommand(
    'D:\\Profiles\\nightly.json',
    'C:\\Tools\\octane backup\\octane-backup.mjs',
    'C:\\Program Files\\nodejs\\node.exe',
    'win32',
  );

  it('defines a weekly trigger on the chosen day, starting at its next occurrence, running rehearse --newest', () => {
    const profile = {
      profile: 'nightly',
      destination: 'E:\\Backups',
      rehearsal: { schedule: { day: 'sunday', time: '03:00' } },
    } as Profile;
    const xml = windowsRehearsalTaskXml({
      profile,
      command: winCommand,
      userId: 'CORP\\admin',
      logon: 'S4U',
      now: NOW,
      timeZone: 'Europe/Berlin',
    });
    const { root } = parseXml(xml);
    const trigger = child(root, 'Triggers', 'CalendarTrigger');
    expect(texts(trigger, 'StartBoundary')).toBe('2025-03-23T03:00:00');
    expect(texts(trigger, 'ScheduleByWeek', 'WeeksInterval')).toBe('1');
    expect(child(trigger, 'ScheduleByWeek', 'DaysOfWeek').children.map((c) => c.name)).toEqual(['Sunday']);
    expect(trigger.children.some((c) => c.name === 'ScheduleByDay')).toBe(false);
    expect(texts(root, 'RegistrationInfo', 'URI')).toBe('\\Octane Backup Manager\\nightly (rehearsal)');
    expect(texts(root, 'Settings', 'MultipleInstancesPolicy')).toBe('IgnoreNew');
    expect(texts(root, 'Settings', 'StartWhenAvailable')).toBe('true');
    expect(texts(root, 'Actions', 'Exec', 'Command')).toBe('C:\\Program Files\\nodejs\\node.exe');
    expect(parseWindowsCommandLine(texts(root, 'Actions', 'Exec', 'Arguments'))).toEqual([
      'C:\\Tools\\octane backup\\octane-backup.mjs',
      'rehearse',
      '--newest',
      '--config',
      'D:\\Profiles\\nightly.json',
    ]);
  });

  it('refuses control characters and "%" in the program, as the backup task does', () => {
    const w = { day: 'monday', time: '04:00', timeZone: 'UTC' } as const;
    const opts = { taskName: rehearsalTaskNameForProfile('nightly'), userId: 'CORP\\admin', now: NOW };
    expect(() =>
      buildWeeklyTaskXml(w, { ...opts, command: { ...winCommand, program: 'C:\\%TEMP%\\node.exe' } }),
    ).toThrow(/environment variable/);
    expect(() =>
      buildWeeklyTaskXml(w, { ...opts, command: { ...winCommand, args: ['rehearse\r\n--x'] } }),
    ).toThrow(expect.objectContaining({ code: 'SCHEDULE_CONTROL_CHARACTER' }) as Error);
    expect(() => buildWeeklyTaskXml(w, { ...opts, command: winCommand, userId: 'CORP\\a\n<x/>' })).toThrow(
      expect.objectContaining({ code: 'SCHEDULE_CONTROL_CHARACTER' }) as Error,
    );
  });
});
