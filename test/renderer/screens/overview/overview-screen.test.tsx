// @vitest-environment happy-dom
import '../../dom-setup.js';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SetSummary } from '../../../../src-main/contract/sets.js';
import type { OverviewEntry } from '../../../../src-main/contract/ui.js';
import { formatDateTime } from '../../../../src-main/contract/format.js';
import { OverviewScreen } from '../../../../src-renderer/src/screens/overview/overview-screen.js';
import { RunsProvider } from '../../../../src-renderer/src/state/runs-context.js';
import { fakeApi, renderWithApi } from '../../fake-api.js';

afterEach(cleanup);

const good: SetSummary = {
  path: 'E:\\OctaneBackups\\nightly\\20260101T010000Z-scheduled-abcdef12',
  setName: '20260101T010000Z-scheduled-abcdef12',
  profile: 'nightly',
  kind: 'scheduled',
  pinned: false,
  status: 'succeeded',
  complete: true,
  startedAt: '2026-01-01T01:00:00.000Z',
  bytes: 3 * 2 ** 30,
  components: [],
};
const entries: OverviewEntry[] = [
  {
    profile: 'nightly',
    targetIntervalHours: 24,
    skewToleranceSeconds: 900,
    destinations: ['E:\\OctaneBackups'],
    lastSet: good,
    lastGoodSet: good,
    lastGoodAgeHours: 5.5,
    overdue: false,
    scheduled: true,
    schedule: { nextRun: '2026-01-02T01:00:00.000Z', note: 'every 24 h' },
    checkedAt: '',
  },
  {
    profile: 'site-b',
    targetIntervalHours: 12,
    skewToleranceSeconds: 600,
    destinations: ['F:\\B'],
    lastSet: { ...good, profile: 'site-b', status: 'failed', complete: false },
    overdue: true,
    scheduled: true,
    alert: 'No good backup: the newest set is failed.',
    schedule: { note: 'not scheduled' },
    checkedAt: '',
  },
];

function renderOverview(list: OverviewEntry[]) {
  const { api } = fakeApi({
    'overview:get': () => list,
    'runs:active': () => [],
    'app:info': () => ({
      version: '0.1.0',
      platform: 'win32',
      headlessLogFile: 'C:\\Users\\admin\\AppData\\Roaming\\Octane Backup Manager\\logs\\headless-runs.log',
      logFolder: 'C:\\Users\\admin\\AppData\\Roaming\\Octane Backup Manager\\logs',
      headlessCommand: '"C:\\Apps\\Octane Backup Manager.exe" --run "<profile>"',
      secretsAvailable: true,
    }),
  });
  const onRun = vi.fn();
  const onHistory = vi.fn();
  renderWithApi(
    <RunsProvider>
      <OverviewScreen onRun={onRun} onHistory={onHistory} onNewProfile={() => undefined} />
    </RunsProvider>,
    api,
  );
  return { onRun, onHistory };
}

describe('Overview', () => {
  it('shows each profile’s last backup against its target and a clear alert for the overdue one', async () => {
    const { onRun, onHistory } = renderOverview(entries);
    await screen.findByText('1 of 2 profile(s) need attention.');
    const cards = await screen.findAllByTestId('overview-card');
    const [nightly, siteB] = cards as [HTMLElement, HTMLElement];
    expect(within(nightly).getByTestId('overview-age').textContent).toBe('5.5 h old (target 24 h)');
    within(nightly).getByText('Up to date');
    within(nightly).getByText('3.00 GiB');
    expect(within(nightly).getByTestId('overview-next').textContent).not.toBe('not scheduled');
    expect(within(nightly).queryByTestId('overview-alert')).toBeNull();
    within(siteB).getByText('Needs attention');
    expect(within(siteB).getByTestId('overview-alert').textContent).toContain(
      'No good backup: the newest set is failed.',
    );
    expect(within(siteB).getByTestId('overview-next').textContent).toBe('not scheduled');
    fireEvent.click(within(siteB).getByRole('button', { name: 'Back up now: site-b' }));
    fireEvent.click(within(nightly).getByRole('button', { name: 'History: nightly' }));
    expect(onRun).toHaveBeenCalledWith('site-b');
    expect(onHistory).toHaveBeenCalledWith('nightly');
    expect(screen.getByTestId('headless-hint').textContent).toContain(
      '"C:\\Apps\\Octane Backup Manager.exe" --run "<profile>"',
    );
  });

  it('shows a damaged newest set plainly: a "Damaged" badge, the damage message, and not counted as good', async () => {
    const damaged: SetSummary = { ...good, setName: '20260102T010000Z-scheduled-bad00bad', damaged: true };
    renderOverview([
      {
        ...(entries[0] as OverviewEntry),
        lastSet: damaged,
        damaged:
          'One set is DAMAGED or unreadable and never counted as a good backup (newest: 20260102T010000Z-scheduled-bad00bad).',
      },
    ]);
    const [card] = (await screen.findAllByTestId('overview-card')) as [HTMLElement];
    expect(within(card).getByTestId('overview-damaged').textContent).toContain('DAMAGED or unreadable');
    within(card).getByText('Damaged');
    expect(card.querySelector('[data-status="damaged"]')).not.toBeNull();
  });

  it('with the drive unplugged says which drive, and shows the good backup as last seen instead of "none yet"', async () => {
    renderOverview([
      {
        ...(entries[0] as OverviewEntry),
        driveMissing: 'BACKUP1',
        setsSeenAt: '2026-01-01T02:00:00.000Z',
        alertTitle: 'Drive BACKUP1 not connected',
        alert:
          '"BACKUP1" (drive id 1234abcd) is not connected (last seen as E:\\). Shown below: the backups as last seen there.',
      },
    ]);
    const [card] = (await screen.findAllByTestId('overview-card')) as [HTMLElement];
    const alert = within(card).getByTestId('overview-alert');
    within(alert).getByText('Drive BACKUP1 not connected');
    expect(alert.textContent).not.toContain('overdue');
    within(card).getByText('Drive not connected');
    expect(within(card).queryByText('none yet')).toBeNull();
    const seen = ` (as last seen ${formatDateTime('2026-01-01T02:00:00.000Z')})`;
    expect(within(card).getByTestId('overview-age').textContent).toBe(`5.5 h old (target 24 h)${seen}`);
    within(card).getByText('Full Octane backup: database, Elasticsearch, repository folder');
  });

  it('with the drive unplugged and no earlier look says the backups are unknown, not "none yet"', async () => {
    const { lastSet: _l, lastGoodSet: _g, lastGoodAgeHours: _a, ...bare } = entries[0] as OverviewEntry;
    renderOverview([
      {
        ...bare,
        overdue: true,
        driveMissing: 'BACKUP1',
        alertTitle: 'Drive BACKUP1 not connected',
        alert:
          'Cannot check the backups: "BACKUP1" (drive id 1234abcd) is not connected (last seen as E:\\).',
      },
    ]);
    const [card] = (await screen.findAllByTestId('overview-card')) as [HTMLElement];
    within(within(card).getByTestId('overview-alert')).getByText('Drive BACKUP1 not connected');
    within(card).getByText('Needs attention: drive not connected');
    within(card).getByText('unknown until the drive is connected');
    expect(within(card).queryByText('none yet')).toBeNull();
  });

  it('judges no freshness for a profile without a schedule: "No schedule", never "Up to date"', async () => {
    renderOverview([{ ...(entries[0] as OverviewEntry), scheduled: false, lastGoodAgeHours: 50 }]);
    const [card] = (await screen.findAllByTestId('overview-card')) as [HTMLElement];
    within(card).getByText('No schedule');
    expect(within(card).queryByText('Up to date')).toBeNull();
    expect(within(card).getByTestId('overview-age').textContent).toBe(
      '2.1 days old (no schedule, so no target)',
    );
  });

  it('invites to create the first profile when there is none', async () => {
    renderOverview([]);
    await screen.findByText(/No profile yet/);
    screen.getByRole('button', { name: 'Create a profile' });
  });

  it('shows the newest set proven restorable, and the "not rehearsed" alert when the profile asks for one', async () => {
    const rehearsal = {
      at: '2026-01-01T09:00:00.000Z',
      startedAt: '2026-01-01T08:18:00.000Z',
      rehearsalId: 'abcd1234',
      host: 'pc',
      toolVersion: '0.1.0',
      result: 'passed' as const,
      durationMs: 42 * 60_000,
      stores: [],
      problems: [],
      leftovers: [],
    };
    const [nightly, siteB] = entries as [OverviewEntry, OverviewEntry];
    renderOverview([
      { ...nightly, proven: { setName: good.setName, rehearsal } },
      { ...siteB, rehearsalAlert: 'No set of this profile has ever been proven restorable by a rehearsal.' },
    ]);
    const cards = await screen.findAllByTestId('overview-card');
    const [a, b] = cards as [HTMLElement, HTMLElement];
    expect(within(a).getByTestId('overview-proven').textContent).toMatch(
      /^20260101T010000Z-scheduled-abcdef12 — Restore rehearsed on .+: OK, 42 min$/,
    );
    expect(within(a).queryByTestId('overview-rehearsal-alert')).toBeNull();
    expect(within(b).getByTestId('overview-proven').textContent).toBe(
      'none: no set has passed a restore rehearsal yet',
    );
    expect(within(b).getByTestId('overview-rehearsal-alert').textContent).toContain(
      'No set of this profile has ever been proven restorable',
    );
  });
});
