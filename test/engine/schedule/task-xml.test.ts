import { describe, expect, it } from 'vitest';
import { proposeSchedule } from '../../../src-main/engine/schedule/propose-schedule.js';
import {
  cliScheduledCommand,
  appScheduledCommand,
} from '../../../src-main/engine/schedule/scheduled-command.js';
import {
  buildTaskXml,
  decodeTaskXml,
  encodeTaskXml,
  isoDuration,
  taskNameForProfile,
  TASK_NAMESPACE,
} from '../../../src-main/engine/schedule/task-xml.js';
import { parseWindowsCommandLine } from '../../../src-main/engine/schedule/windows-quote.js';
import { child, parseXml, texts, type XmlElement } from './mini-xml.js';

const NOW = new Date('2025-03-10T12:00:00Z');
const cmd = {
  program: 'C:\\Program Files\\nodejs\\node.exe',
  args: [
    'C:\\Tools\\octane backup\\octane-backup.mjs',
    'run',
    '--config',
    'C:\\Octane Backups\\R&D <nightly>\\cfg.json',
    '--kind',
    'scheduled',
  ],
  workingDirectory: 'C:\\Tools\\octane backup\\',
};

function build(
  target: number,
  extra: Partial<Parameters<typeof buildTaskXml>[1]> = {},
): { bytes: Buffer; root: XmlElement; decl: Record<string, string> } {
  const p = proposeSchedule(
    { targetIntervalHours: target, quietWindow: { start: '22:00', end: '05:00' } },
    NOW,
    'Europe/Berlin',
  );
  const xml = buildTaskXml(p, {
    taskName: taskNameForProfile('nightly'),
    command: cmd,
    userId: "CORP\\o'brien",
    now: NOW,
    ...extra,
  });
  const bytes = encodeTaskXml(xml);
  const { declaration, root } = parseXml(decodeTaskXml(bytes));
  return { bytes, root, decl: declaration };
}

describe('Task Scheduler definition', () => {
  it('is UTF-16 LE with a BOM, declares UTF-16 and parses back as well-formed XML', () => {
    const { bytes, root, decl } = build(12);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    // Every ASCII character of the declaration is followed by a zero byte in UTF-16 LE.
    expect(bytes.subarray(2, 12)).toEqual(Buffer.from('<?xml', 'utf16le'));
    expect(decl.encoding).toBe('UTF-16');
    expect(root.name).toBe('Task');
    expect(root.attrs.xmlns).toBe(TASK_NAMESPACE);
    expect(root.attrs.version).toBe('1.2');
  });

  it('carries the settings that keep scheduled backups running unattended', () => {
    const { root } = build(12);
    const s = child(root, 'Settings');
    expect(texts(s, 'MultipleInstancesPolicy')).toBe('IgnoreNew');
    expect(texts(s, 'DisallowStartIfOnBatteries')).toBe('false');
    expect(texts(s, 'StopIfGoingOnBatteries')).toBe('false');
    expect(texts(s, 'StartWhenAvailable')).toBe('true');
    expect(texts(s, 'ExecutionTimeLimit')).toBe('PT12H');
    expect(texts(s, 'Enabled')).toBe('true');
    expect(texts(s, 'IdleSettings', 'StopOnIdleEnd')).toBe('false');
    const principal = child(root, 'Principals', 'Principal');
    expect(texts(principal, 'LogonType')).toBe('S4U');
    expect(texts(principal, 'UserId')).toBe("CORP\\o'brien");
    expect(texts(principal, 'RunLevel')).toBe('LeastPrivilege');
    expect(child(root, 'Actions').attrs.Context).toBe(principal.attrs.id);
    expect(texts(root, 'RegistrationInfo', 'URI')).toBe('\\Octane Backup Manager\\nightly');
  });

  it('has one daily trigger per start time, each starting at its next occurrence', () => {
    const { root } = build(12);
    const triggers = child(root, 'Triggers').children;
    expect(triggers.map((t) => t.name)).toEqual(['CalendarTrigger', 'CalendarTrigger']);
    // Now is 13:00 in Berlin: 22:00 comes today, 10:00 tomorrow.
    expect(triggers.map((t) => texts(t, 'StartBoundary'))).toEqual([
      '2025-03-10T22:00:00',
      '2025-03-11T10:00:00',
    ]);
    for (const t of triggers) {
      expect(texts(t, 'ScheduleByDay', 'DaysInterval')).toBe('1');
      expect(texts(t, 'Enabled')).toBe('true');
    }
  });

  it('uses DaysInterval for multi-day schedules and a repetition for sub-hour ones', () => {
    const two = child(build(48).root, 'Triggers').children;
    expect(two).toHaveLength(1);
    expect(texts(two[0] as XmlElement, 'ScheduleByDay', 'DaysInterval')).toBe('2');
    expect(texts(two[0] as XmlElement, 'StartBoundary')).toBe('2025-03-10T22:00:00');
    const quarter = child(build(0.25).root, 'Triggers').children;
    expect(quarter).toHaveLength(1);
    const rep = child(quarter[0] as XmlElement, 'Repetition');
    expect(texts(rep, 'Interval')).toBe('PT15M');
    expect(texts(rep, 'Duration')).toBe('P1D');
  });

  it('runs exactly the command given, quoted so Windows splits it back into the same arguments', () => {
    const { root } = build(24);
    const exec = child(root, 'Actions', 'Exec');
    expect(texts(exec, 'Command')).toBe(cmd.program);
    expect(parseWindowsCommandLine(child(exec, 'Arguments').text)).toEqual(cmd.args);
    expect(child(exec, 'WorkingDirectory').text).toBe(cmd.workingDirectory);
  });

  it('takes the logon type, time limit and wake setting it is given', () => {
    const { root } = build(24, {
      logonType: 'InteractiveToken',
      executionTimeLimitHours: 6.5,
      wakeToRun: true,
      runLevel: 'HighestAvailable',
    });
    expect(texts(root, 'Principals', 'Principal', 'LogonType')).toBe('InteractiveToken');
    expect(texts(root, 'Principals', 'Principal', 'RunLevel')).toBe('HighestAvailable');
    expect(texts(root, 'Settings', 'ExecutionTimeLimit')).toBe('PT6H30M');
    expect(texts(root, 'Settings', 'WakeToRun')).toBe('true');
    expect(() => build(24, { executionTimeLimitHours: 0 })).toThrow(/time limit/);
  });

  it('builds the app and CLI command lines for the task', () => {
    expect(
      appScheduledCommand('C:\\Program Files\\Octane Backup Manager\\Octane Backup Manager.exe', 'nightly')
        .args,
    ).toEqual(['--run', 'nightly', '--kind', 'scheduled']);
    const c = cliScheduledCommand('cfg/nightly.json', 'dist-cli/octane-backup.mjs', '/usr/bin/node');
    expect(c.program).toBe('/usr/bin/node');
    expect(c.args.slice(1)).toEqual([
      'run',
      '--config',
      expect.stringMatching(/^\/.*cfg\/nightly\.json$/) as string,
      '--kind',
      'scheduled',
    ]);
    expect(c.args[0]).toMatch(/^\/.*dist-cli\/octane-backup\.mjs$/);
  });

  it('formats ISO durations', () => {
    expect(isoDuration(720)).toBe('PT12H');
    expect(isoDuration(90)).toBe('PT1H30M');
    expect(isoDuration(15)).toBe('PT15M');
  });
});
