// @vitest-environment happy-dom
import '../../dom-setup.js';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../../src-main/contract/manifest.js';
import type { SetSummary, VerifyReport } from '../../../../src-main/contract/sets.js';
import type { ProfileRecord } from '../../../../src-main/contract/ui.js';
import { HistoryScreen } from '../../../../src-renderer/src/screens/history/history-screen.js';
import { fakeApi, renderWithApi } from '../../fake-api.js';

afterEach(cleanup);

const record: ProfileRecord = {
  profile: { profile: 'nightly', destination: '/d', repository: { path: '/r' } },
  secrets: {
    databasePassword: false,
    elasticsearchPassword: false,
    elasticsearchApiKey: false,
    smtpPassword: false,
    sealKey: false,
  },
  volumes: {},
  updatedAt: '',
};
const artifact = { path: 'repository/repository.zip', bytes: 2048, sha256: 'c'.repeat(64) };
const manifest = {
  setName: 'S2',
  host: 'pc',
  tool: { name: 'octane-backup-manager', version: '0.1.0' },
  skew: { toleranceSeconds: 900, windowSeconds: 30, withinTolerance: true, clock: 'database' },
  components: [
    {
      id: 'repository',
      status: 'succeeded',
      location: '/d/nightly/S2',
      artifacts: [artifact],
      warnings: [],
      statements: [],
    },
  ],
} as unknown as Manifest;
const sets: SetSummary[] = [
  {
    path: '/d/nightly/S2',
    setName: 'S2',
    profile: 'nightly',
    kind: 'pre-upgrade',
    label: 'before 25.1',
    pinned: true,
    status: 'succeeded',
    complete: true,
    startedAt: '2026-01-02T00:00:00Z',
    bytes: 2048,
    skewSeconds: 30,
    withinTolerance: true,
    components: [],
    manifest,
  },
  {
    path: '/d/nightly/S1',
    setName: 'S1',
    profile: 'nightly',
    kind: 'scheduled',
    pinned: false,
    status: 'incomplete',
    complete: false,
    bytes: 0,
    components: [],
  },
];

describe('History', () => {
  it('lists the sets and verifies one, naming each artifact’s result', async () => {
    let finish: (r: VerifyReport) => void = () => undefined;
    const { api, emit, callsOf } = fakeApi({
      'sets:list': () => sets,
      'sets:verify': () => new Promise<VerifyReport>((resolve) => (finish = resolve)),
      'shell:open-path': () => null,
    });
    renderWithApi(<HistoryScreen profiles={[record]} onSelect={() => undefined} />, api);
    const rows = await screen.findAllByTestId('set-row');
    expect(rows).toHaveLength(2);
    within(rows[0] as HTMLElement).getByText('pinned');
    within(rows[1] as HTMLElement).getByText('Incomplete');
    fireEvent.click(rows[0] as HTMLElement);
    const details = await screen.findByTestId('set-details');
    within(details).getByText('c'.repeat(64));
    fireEvent.click(within(details).getByRole('button', { name: 'Verify' }));
    await waitFor(() => expect(callsOf('sets:verify')).toEqual([['/d/nightly/S2']]));
    emit('verify:progress', {
      setPath: '/d/nightly/S2',
      bytesDone: 1024,
      bytesTotal: 2048,
      current: 'repository/repository.zip',
    });
    await within(details).findByText(/Verifying repository\/repository.zip: 1.00 KiB of 2.00 KiB/);
    finish({
      setPath: '/d/nightly/S2',
      ok: false,
      verdict: 'damaged',
      incomplete: false,
      damaged: true,
      notes: [],
      seal: 'invalid',
      readFrom: [{ component: 'repository', path: '/d/nightly/S2', configuredElsewhere: false }],
      checks: [
        {
          artifact,
          component: 'repository',
          status: 'altered',
          location: '/d/nightly/S2/repository/repository.zip',
          actualSha256: 'd'.repeat(64),
        },
      ],
      problems: [
        `ALTERED: repository/repository.zip has SHA-256 ${'d'.repeat(64)}, the manifest says ${'c'.repeat(64)}.`,
      ],
    });
    const result = await within(details).findByTestId('verify-result');
    within(result).getByText('Damaged');
    expect(within(result).getByTestId('verify-check').textContent).toContain('ALTERED');
    expect(within(result).getByTestId('verify-seal').textContent).toMatch(/Seal does NOT match/);
    // The verify left its record in the set: the list is read again.
    await waitFor(() => expect(callsOf('sets:list').length).toBeGreaterThan(1));
    fireEvent.click(within(details).getByRole('button', { name: 'Open folder' }));
    await waitFor(() => expect(callsOf('shell:open-path')).toEqual([['/d/nightly/S2']]));
  });

  it('shows a damaged set and an unreadable one plainly, with what verify found and when', async () => {
    const { api } = fakeApi({
      'sets:list': () => [
        {
          ...(sets[0] as SetSummary),
          damaged: true,
          verification: {
            at: '2026-03-01T10:00:00.000Z',
            host: 'pc',
            toolVersion: '0.1.0',
            checkedPath: '/d/nightly/S2',
            readFrom: [],
            verdict: 'damaged',
            damaged: true,
            incomplete: false,
            seal: 'invalid',
            counts: { ok: 0, missing: 0, altered: 1, 'size-mismatch': 0, elsewhere: 0, refused: 0 },
            problems: ['ALTERED: repository/repository.zip has SHA-256 dd…'],
          },
        },
        {
          ...(sets[1] as SetSummary),
          status: 'unreadable',
          problem: '/d/nightly/S1/manifest.json is not valid JSON.',
        },
      ],
    });
    renderWithApi(<HistoryScreen profiles={[record]} onSelect={() => undefined} />, api);
    const rows = await screen.findAllByTestId('set-row');
    expect(rows.map((r) => r.querySelector('[data-status]')?.getAttribute('data-status'))).toEqual([
      'damaged',
      'unreadable',
    ]);
    fireEvent.click(rows[0] as HTMLElement);
    const details = await screen.findByTestId('set-details');
    expect(within(details).getByTestId('set-untrusted').textContent).toContain(
      'ALTERED: repository/repository.zip',
    );
    expect(within(details).getByTestId('set-verified').textContent).toMatch(
      /DAMAGED \(copy checked: \/d\/nightly\/S2\)/,
    );
    fireEvent.click(rows[1] as HTMLElement);
    const other = await screen.findByTestId('set-details');
    expect(within(other).getByTestId('set-untrusted').textContent).toContain('is not valid JSON');
  });

  it('shows when each set was last rehearsed, with the result and the measured time ("never" when it was not)', async () => {
    const rehearsal = {
      at: '2026-03-02T09:30:00.000Z',
      startedAt: '2026-03-02T08:48:00.000Z',
      rehearsalId: 'abcd1234',
      host: 'pc',
      toolVersion: '0.1.0',
      result: 'passed' as const,
      durationMs: 42 * 60_000,
      stores: [],
      problems: [],
      leftovers: [],
    };
    const { api } = fakeApi({
      'sets:list': () => [
        { ...(sets[0] as SetSummary), rehearsal },
        {
          ...(sets[0] as SetSummary),
          path: '/d/nightly/S3',
          setName: 'S3',
          rehearsal: {
            ...rehearsal,
            result: 'failed' as const,
            durationMs: 90_000,
            problems: ['repository: The extracted repository does not match the file list.'],
          },
        },
        sets[1] as SetSummary,
      ],
    });
    renderWithApi(<HistoryScreen profiles={[record]} onSelect={() => undefined} />, api);
    const rows = await screen.findAllByTestId('set-row');
    fireEvent.click(rows[0] as HTMLElement);
    expect((await screen.findByTestId('set-rehearsed')).textContent).toMatch(
      /^Restore rehearsed on .+: OK, 42 min$/,
    );
    fireEvent.click(rows[1] as HTMLElement);
    await waitFor(() =>
      expect(screen.getByTestId('set-rehearsed').textContent).toMatch(
        /^Restore rehearsed on .+: FAILED, 1 min 30 s — repository: The extracted repository does not match/,
      ),
    );
    fireEvent.click(rows[2] as HTMLElement);
    await waitFor(() => expect(screen.getByTestId('set-rehearsed').textContent).toBe('never'));
  });

  it('rehearses a restore of a set: the store being rehearsed while it runs, then the record, and the list read again', async () => {
    const { api, emit, callsOf } = fakeApi({
      'sets:list': () => sets,
      'rehearsal:start': () => ({
        jobId: 'j1',
        profile: 'nightly',
        setPath: '/d/nightly/S2',
        startedAt: '2026-03-02T09:00:00.000Z',
      }),
      'rehearsal:cancel': () => true,
    });
    renderWithApi(<HistoryScreen profiles={[record]} onSelect={() => undefined} />, api);
    const rows = await screen.findAllByTestId('set-row');
    fireEvent.click(rows[0] as HTMLElement);
    const details = await screen.findByTestId('set-details');
    fireEvent.click(within(details).getByRole('button', { name: 'Rehearse restore' }));
    await waitFor(() =>
      expect(callsOf('rehearsal:start')).toEqual([[{ profile: 'nightly', setPath: '/d/nightly/S2' }]]),
    );
    const at = '2026-03-02T09:00:01.000Z';
    // Another job's messages are not this one's.
    emit('rehearsal:event', {
      jobId: 'other',
      event: { type: 'stage-started', restoreId: 'x', at, stage: 'database', title: 'Other' },
    });
    emit('rehearsal:event', {
      jobId: 'j1',
      event: {
        type: 'stage-started',
        restoreId: 'r1',
        at,
        stage: 'repository',
        title: 'Repository folder (3 file(s))',
      },
    });
    expect((await within(details).findByTestId('rehearse-running')).textContent).toContain(
      'Repository folder (3 file(s))…',
    );
    const listed = callsOf('sets:list').length;
    fireEvent.click(within(details).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(callsOf('rehearsal:cancel')).toEqual([['j1']]));
    emit('rehearsal:done', {
      jobId: 'j1',
      profile: 'nightly',
      setPath: '/d/nightly/S2',
      result: {
        ok: true,
        value: {
          at: '2026-03-02T09:42:00.000Z',
          startedAt: '2026-03-02T09:00:00.000Z',
          rehearsalId: 'r1',
          host: 'pc',
          toolVersion: '0.1.0',
          result: 'cancelled',
          durationMs: 42 * 60_000,
          stores: [{ id: 'repository', status: 'cancelled', durationMs: 60_000, checked: [] }],
          problems: [],
          leftovers: [],
        },
      },
    });
    const result = await within(details).findByTestId('rehearse-result');
    expect(result.textContent).toMatch(/Restore rehearsed on .+: cancelled, 42 min/);
    expect(result.textContent).toContain('repository: cancelled in 1 min');
    expect(within(details).queryByTestId('rehearse-running')).toBeNull();
    await waitFor(() => expect(callsOf('sets:list').length).toBeGreaterThan(listed));
  });
});
