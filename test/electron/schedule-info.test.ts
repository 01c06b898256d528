import { describe, expect, it } from 'vitest';
import type { CommandRunner } from '../../src-main/engine/os/run-command.js';
import { scheduleInfoFor } from '../../src-main/electron/schedule-info.js';

// `schtasks /Query /V /FO CSV` as English Windows prints it (layout from the scheduler's own tests).
const HEADER =
  '"HostName","TaskName","Next Run Time","Status","Logon Mode","Last Run Time","Last Result","Author","Task To Run","Start In","Comment","Scheduled Task State","Idle Time","Power Management","Run As User","Delete Task If Not Rescheduled","Stop Task If Runs X Hours and X Mins","Schedule","Schedule Type","Start Time","Start Date","End Date","Days","Months","Repeat: Every","Repeat: Until: Time","Repeat: Until: Duration","Repeat: Stop If Still Running"';
const row = (next: string, state = 'Enabled'): string =>
  `"OCTSRV01","\\Octane Backup Manager\\nightly","${next}","Ready","Background only","3/10/2025 10:00:01 PM","0","CORP\\admin","""C:\\Apps\\Octane Backup Manager.exe"" --run nightly --kind scheduled","C:\\Apps","","${state}","Disabled","","CORP\\admin","Disabled","12:00:00","Scheduling data is not available in this format.","Daily ","10:00:00 PM","3/10/2025","N/A","Every 1 day(s)","N/A","Disabled","Disabled","Disabled","Disabled"`;
const answer =
  (stdout: string, code = 0): CommandRunner =>
  () =>
    Promise.resolve({
      code,
      stdout,
      stderr: code ? 'ERROR: The system cannot find the file specified.' : '',
    });
const profile = { profile: 'nightly', destination: 'E:\\b', repository: { path: 'C:\\octane\\repo' } };

describe('next scheduled run for the Overview (recorded schtasks output)', () => {
  it('reads the next run time of the profile task', async () => {
    const info = await scheduleInfoFor(profile, {
      platform: 'win32',
      runner: answer([HEADER, row('3/11/2025 10:00:00 PM')].join('\r\n')),
    });
    expect(info).toEqual({ note: '3/11/2025 10:00:00 PM (Task Scheduler)' });
  });

  it('says "not scheduled" when there is no task, and when not on Windows', async () => {
    expect(await scheduleInfoFor(profile, { platform: 'win32', runner: answer('', 1) })).toEqual({
      note: 'not scheduled',
    });
    expect(await scheduleInfoFor(profile, { platform: 'linux', runner: answer('') })).toEqual({
      note: 'not scheduled',
    });
  });

  it('keeps localized times as Windows prints them (never re-parsed) and tells a disabled task apart', async () => {
    expect(
      await scheduleInfoFor(profile, {
        platform: 'win32',
        runner: answer([HEADER, row('11.03.2025 22:00:00')].join('\r\n')),
      }),
    ).toEqual({ note: '11.03.2025 22:00:00 (Task Scheduler)' });
    expect(
      await scheduleInfoFor(profile, {
        platform: 'win32',
        runner: answer([HEADER, row('N/A', 'Disabled')].join('\r\n')),
      }),
    ).toEqual({ note: 'scheduled task disabled' });
  });
});
