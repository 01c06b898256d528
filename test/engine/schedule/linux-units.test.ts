import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  linuxScheduleFiles,
  shellQuote,
  systemdQuote,
  unitNameFor,
} from '../../../src-main/engine/schedule/linux-units.js';
import { proposeSchedule } from '../../../src-main/engine/schedule/propose-schedule.js';
import { tempDir } from '../../support/temp.js';

const command = {
  program: process.execPath,
  args: [
    '/opt/octane backup/octane-backup.mjs',
    'run',
    '--config',
    '/etc/octane-backup/100%-$HOME.json',
    '--kind',
    'scheduled',
  ],
};
const NOW = new Date('2025-03-10T12:00:00Z');

/** Next elapses as systemd itself computes them (an independent implementation of OnCalendar). */
function systemdElapses(exprs: string[], base: Date, iterations: number): string[] {
  const r = spawnSync(
    'systemd-analyze',
    ['calendar', `--base-time=@${Math.floor(base.getTime() / 1000)}`, `--iterations=${iterations}`, ...exprs],
    {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC', SYSTEMD_COLORS: '0' },
    },
  );
  expect(r.status, r.stderr).toBe(0);
  const out: string[] = [];
  for (const m of r.stdout.matchAll(/(?:Next elapse|Iter\. #\d+): \w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC/g))
    out.push(new Date(`${(m[1] as string).replace(' ', 'T')}Z`).toISOString());
  return [...new Set(out)].sort();
}

describe('systemd timer and cron line', () => {
  it('gives OnCalendar lines whose next runs, computed by systemd, match the proposal', () => {
    for (const [target, window] of [
      [12, { start: '22:00', end: '05:00' }],
      [4, { start: '22:30', end: '05:00' }],
      [24, { start: '01:15', end: '03:00' }],
      [0.5, { start: '22:10', end: '05:00' }],
    ] as const) {
      const p = proposeSchedule({ targetIntervalHours: target, quietWindow: window }, NOW, 'UTC');
      const files = linuxScheduleFiles(p, { profileName: 'nightly', command });
      expect(systemdElapses(files.onCalendar, NOW, 5).slice(0, 5)).toEqual(p.nextRuns.map((r) => r.at));
    }
  });

  it('writes unit files that systemd-analyze verify accepts, with catch-up and one-at-a-time settings', async () => {
    const p = proposeSchedule(
      { targetIntervalHours: 12, quietWindow: { start: '22:00', end: '05:00' } },
      NOW,
      'Europe/Berlin',
    );
    const files = linuxScheduleFiles(p, {
      profileName: 'night ly',
      command,
      explicitTimeZone: true,
      user: 'octane',
    });
    expect(files.unitName).toBe('octane-backup-night-ly');
    expect(files.timer).toContain('Persistent=true');
    expect(files.timer).toContain('OnCalendar=*-*-* 10:00:00 Europe/Berlin');
    expect(files.timer).toContain('OnCalendar=*-*-* 22:00:00 Europe/Berlin');
    expect(files.service).toContain('Type=oneshot');
    expect(files.service).toContain('User=octane');
    expect(files.service).toContain(
      `ExecStart=${process.execPath} "/opt/octane backup/octane-backup.mjs" run --config "/etc/octane-backup/100%%-$$HOME.json" --kind scheduled`,
    );
    const tmp = await tempDir();
    try {
      await mkdir(tmp.path, { recursive: true });
      await writeFile(join(tmp.path, files.serviceFile), files.service.replace('User=octane\n', ''));
      await writeFile(join(tmp.path, files.timerFile), files.timer);
      const r = spawnSync(
        'systemd-analyze',
        ['verify', join(tmp.path, files.serviceFile), join(tmp.path, files.timerFile)],
        { encoding: 'utf8' },
      );
      expect(r.stderr.split('\n').filter((l) => l.includes(files.unitName))).toEqual([]);
      expect(r.status).toBe(0);
    } finally {
      await tmp.cleanup();
    }
  });

  it('gives a cron line that never runs twice at once, with % escaped', () => {
    const p = proposeSchedule(
      { targetIntervalHours: 12, quietWindow: { start: '22:30', end: '05:00' } },
      NOW,
      'UTC',
    );
    const files = linuxScheduleFiles(p, { profileName: 'nightly', command });
    expect(files.cronLine).toBe(
      `30 10,22 * * * umask 077 && mkdir -p -m 700 "$HOME/.local/state/octane-backup" && flock -n "$HOME/.local/state/octane-backup/octane-backup-nightly.lock" ${process.execPath} '/opt/octane backup/octane-backup.mjs' run --config '/etc/octane-backup/100\\%-$HOME.json' --kind scheduled`,
    );
    const q = proposeSchedule(
      { targetIntervalHours: 0.25, quietWindow: { start: '22:05', end: '05:00' } },
      NOW,
      'UTC',
    );
    expect(linuxScheduleFiles(q, { profileName: 'x', command }).cronLine).toMatch(/^5,20,35,50 \* \* \* \* /);
    const d = proposeSchedule(
      { targetIntervalHours: 72, quietWindow: { start: '23:00', end: '05:00' } },
      NOW,
      'UTC',
    );
    expect(linuxScheduleFiles(d, { profileName: 'x', command }).cronLine).toMatch(/^0 23 \*\/3 \* \* /);
  });

  it('quotes for systemd and the shell', () => {
    expect(systemdQuote('a b"c\\d')).toBe('"a b\\"c\\\\d"');
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(unitNameFor('..')).toBe('octane-backup-..');
  });
});
