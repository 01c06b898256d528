// @vitest-environment happy-dom
import '../dom-setup.js';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScheduleConfig } from '../../../src-main/contract/profile.js';
import type { SchedulePreview, ScheduledTaskInfo } from '../../../src-main/contract/ui.js';
import { ScheduleSection } from '../../../src-renderer/src/screens/operations/schedule-section.js';
import { fakeApi, renderWithApi } from '../fake-api.js';
import { hostState, record, SectionHost } from './section-host.js';

afterEach(cleanup);

/** A stand-in for main's proposeSchedule: start times and runs derived from the config it got. */
function preview(c: ScheduleConfig): SchedulePreview {
  const start = c.quietWindow?.start ?? '01:00';
  return {
    targetIntervalHours: c.targetIntervalHours,
    intervalHours: c.targetIntervalHours,
    everyDays: 1,
    startTimes: [start],
    startTimesInWindow: c.quietWindow ? [start] : [],
    timeZone: 'Europe/Berlin',
    computedAt: '2026-03-02T08:00:00.000Z',
    nextRuns: [1, 2, 3, 4, 5].map((d) => ({
      at: `2026-03-0${d + 1}T21:00:00.000Z`,
      local: `2026-03-0${d + 1} ${start}`,
      inQuietWindow: c.quietWindow !== undefined,
    })),
    explanation: [`Every ${c.targetIntervalHours} h (stand-in explanation).`],
  };
}

const input = (name: string): HTMLInputElement => {
  const el = document.querySelector(`input[name="${name}"]`);
  if (!(el instanceof HTMLInputElement)) throw new Error(`no input ${name}`);
  return el;
};

describe('schedule section', () => {
  it('sets the RPO from a preset and a quiet window, and shows the five next runs main proposes', async () => {
    const state = hostState();
    const { api, callsOf } = fakeApi({ 'schedule:propose': (c) => preview(c) });
    renderWithApi(<SectionHost section={ScheduleSection} state={state} />, api);
    expect(screen.getByText('Choose an interval to see the proposed schedule.')).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: '12 h' }));
    fireEvent.click(screen.getByRole('checkbox', { name: /quiet window/ }));
    fireEvent.change(input('schedule.quietWindow.start'), { target: { value: '23:00' } });
    const runs = await screen.findByRole('list', { name: 'Next five runs' });
    await waitFor(() => expect(within(runs).getAllByRole('listitem')[0]?.textContent).toContain('23:00'));
    expect(within(runs).getAllByRole('listitem')).toHaveLength(5);
    expect(runs.textContent).toContain('(quiet window)');
    expect(state.current.profile.schedule).toEqual({
      targetIntervalHours: 12,
      quietWindow: { start: '23:00', end: '05:00' },
    });
    expect(callsOf('schedule:propose').at(-1)).toEqual([
      { targetIntervalHours: 12, quietWindow: { start: '23:00', end: '05:00' } },
    ]);
    expect(screen.getByText('Save the profile to install its scheduled task.')).toBeTruthy();
  });

  it('takes any interval in its one hours field (presets fill it) and shows validation next to the window fields', () => {
    const state = hostState(
      record({ schedule: { targetIntervalHours: 36, quietWindow: { start: '25:00', end: '05:00' } } }),
    );
    const { api } = fakeApi({
      'schedule:propose': (c) => preview(c),
      'schedule:status': () => ({
        profile: 'nightly',
        platform: 'linux',
        taskName: 't',
        command: 'app --run nightly',
      }),
    });
    renderWithApi(
      <SectionHost
        section={ScheduleSection}
        state={state}
        problems={{ 'schedule.quietWindow.start': 'must be a time "HH:MM" (24-hour clock).' }}
      />,
      api,
    );
    // One field holds the value: no preset is chosen for 36 h, and a preset fills the same field.
    for (const h of ['4 h', '12 h', '24 h'])
      expect(screen.getByRole('radio', { name: h })).toHaveProperty('checked', false);
    expect(screen.getAllByRole('spinbutton', { name: /Tolerated data loss/ })).toHaveLength(1);
    expect(input('schedule.targetIntervalHours').value).toBe('36');
    fireEvent.click(screen.getByRole('radio', { name: '12 h' }));
    expect(input('schedule.targetIntervalHours').value).toBe('12');
    expect(screen.getByRole('radio', { name: '12 h' })).toHaveProperty('checked', true);
    fireEvent.change(input('schedule.targetIntervalHours'), { target: { value: '6' } });
    expect(state.current.profile.schedule?.targetIntervalHours).toBe(6);
    expect(screen.getByRole('radio', { name: '12 h' })).toHaveProperty('checked', false);
    const field = input('schedule.quietWindow.start').closest('.fui-Field');
    expect(field?.textContent).toContain('must be a time "HH:MM"');
    fireEvent.click(screen.getByRole('checkbox', { name: /quiet window/ }));
    expect(state.current.profile.schedule).toEqual({ targetIntervalHours: 6 });
  });

  it('on Windows shows the task state and installs it; unsaved schedule changes block the install', async () => {
    const task = (exists: boolean): ScheduledTaskInfo => ({
      profile: 'nightly',
      platform: 'windows',
      taskName: '\\Octane Backup Manager\\nightly',
      command: '"C:\\App\\Octane Backup Manager.exe" --run nightly --kind scheduled',
      windows: exists
        ? {
            taskName: '\\Octane Backup Manager\\nightly',
            exists: true,
            status: 'Ready',
            nextRunTime: '3/3/2026 10:00:00 PM',
            lastResultText: 'the last run succeeded',
            schedules: [],
          }
        : { taskName: '\\Octane Backup Manager\\nightly', exists: false, schedules: [] },
    });
    const state = hostState(record({ schedule: { targetIntervalHours: 24 } }));
    const { api, callsOf } = fakeApi({
      'schedule:propose': (c) => preview(c),
      'schedule:status': () => task(false),
      'schedule:install': () => ({ ...task(true), message: 'Installed the scheduled task.' }),
    });
    renderWithApi(<SectionHost section={ScheduleSection} state={state} />, api);
    expect((await screen.findByTestId('task-state')).textContent).toContain('No scheduled task is installed');
    expect(screen.getByText(/--run nightly --kind scheduled/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Install scheduled task' }));
    await waitFor(() =>
      expect(screen.getByTestId('task-state').textContent).toContain('the last run succeeded'),
    );
    expect(callsOf('schedule:install')).toEqual([['nightly']]);
    expect(screen.getByTestId('task-state').textContent).toContain('3/3/2026 10:00:00 PM');
    fireEvent.click(screen.getByRole('radio', { name: '4 h' }));
    expect(screen.getByRole('button', { name: 'Update scheduled task' })).toHaveProperty('disabled', true);
    expect(screen.getByText(/Save the profile first/)).toBeTruthy();
  });

  it('on Linux shows the timer files and the cron line with copy buttons', async () => {
    const state = hostState(record({ schedule: { targetIntervalHours: 24 } }));
    const { api } = fakeApi({
      'schedule:propose': (c) => preview(c),
      'schedule:status': () => ({
        profile: 'nightly',
        platform: 'linux',
        taskName: 't',
        command: '/opt/app --run nightly --kind scheduled',
        linux: {
          serviceFile: 'octane-backup-nightly.service',
          service: '[Service]\nExecStart=/opt/app --run nightly --kind scheduled',
          timerFile: 'octane-backup-nightly.timer',
          timer: '[Timer]\nOnCalendar=*-*-* 01:00:00',
          cronLine: '0 1 * * * flock -n /tmp/x.lock /opt/app --run nightly --kind scheduled',
          installSteps: ['sudo systemctl daemon-reload'],
          removeSteps: [],
        },
      }),
    });
    renderWithApi(<SectionHost section={ScheduleSection} state={state} />, api);
    expect(await screen.findByText(/OnCalendar=\*-\*-\* 01:00:00/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy octane-backup-nightly.timer' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy cron line (instead of systemd)' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Install scheduled task/ })).toBeNull();
  });
});
