// A profile in snapshot mode on Windows needs an elevated process for the Volume Shadow Copy: its
// scheduled task runs "with highest privileges"; every other profile keeps the least privilege.
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-main/contract/profile.js';
import { windowsTaskXml } from '../../../src-main/engine/use-cases/schedule.js';

const task = (capture: 'snapshot' | 'bracketed' | undefined): string => {
  const profile: Profile = {
    profile: 'nightly',
    destination: 'E:\\OctaneBackups',
    repository: { path: 'C:\\octane\\repo', ...(capture && { capture }) },
    schedule: { targetIntervalHours: 24 },
  };
  return windowsTaskXml({
    profile,
    command: { program: 'C:\\Program Files\\Octane Backup Manager\\octane-backup.exe', args: ['run'] },
    userId: 'CORP\\backup',
    logon: 'S4U',
    now: new Date('2026-03-02T12:00:00Z'),
    timeZone: 'UTC',
  });
};

describe('the scheduled task of a snapshot-mode profile', () => {
  it('runs with highest privileges in snapshot mode, with the least otherwise', () => {
    expect(task('snapshot')).toContain('<RunLevel>HighestAvailable</RunLevel>');
    expect(task('bracketed')).toContain('<RunLevel>LeastPrivilege</RunLevel>');
    expect(task(undefined)).toContain('<RunLevel>LeastPrivilege</RunLevel>');
  });
});
