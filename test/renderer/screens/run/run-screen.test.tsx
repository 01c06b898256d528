// @vitest-environment happy-dom
import '../../dom-setup.js';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../../src-main/contract/events.js';
import type { Manifest } from '../../../../src-main/contract/manifest.js';
import type { ProfileRecord } from '../../../../src-main/contract/ui.js';
import { App } from '../../../../src-renderer/src/app.js';
import { fakeApi, Refusal, type FakeImpl } from '../../fake-api.js';

afterEach(cleanup);

// Tabster (Fluent's focus manager) may still mark a freshly opened dialog aria-hidden under happy-dom;
// buttons inside dialogs are looked up including hidden ones.
const inDialog = { hidden: true } as const;

/** The Run screen once the profile list has arrived (the buttons are enabled then). */
async function runButton(name: string): Promise<HTMLElement> {
  const b = await screen.findByRole('button', { name });
  await waitFor(() => expect((b as HTMLButtonElement).disabled).toBe(false));
  return b;
}

const record: ProfileRecord = {
  profile: { profile: 'nightly', destination: 'E:\\OctaneBackups', repository: { path: 'C:\\octane\\repo' } },
  secrets: {
    databasePassword: true,
    elasticsearchPassword: false,
    elasticsearchApiKey: false,
    smtpPassword: false,
    sealKey: false,
  },
  volumes: {},
  updatedAt: '',
};
const shell: FakeImpl = {
  'profiles:list': () => [record],
  'app:info': () => ({
    version: '0.1.0',
    platform: 'win32',
    headlessLogFile: 'x',
    logFolder: 'x',
    headlessCommand: 'x',
    secretsAvailable: true,
  }),
  'runs:active': () => [],
  'runs:start': (req) => ({
    jobId: 'job-1',
    profile: req.profile,
    kind: req.kind,
    startedAt: new Date().toISOString(),
    ...(req.label ? { label: req.label } : {}),
  }),
  'runs:cancel': () => true,
};
const at = (): string => new Date().toISOString();
type EventInput = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'runId' | 'at'> : never) : never;
const ev = (e: EventInput): RunEvent => ({ runId: 'set1', at: at(), ...e });

const manifest: Manifest = {
  formatVersion: 1,
  tool: { name: 'octane-backup-manager', version: '0.1.0' },
  setName: '20260101T010000Z-manual-abcdef12',
  setId: 'abcdef12',
  profile: 'nightly',
  kind: 'manual',
  pinned: false,
  host: 'pc',
  status: 'succeeded',
  complete: true,
  startedAt: '2026-01-01T01:00:00.000Z',
  components: [
    {
      id: 'database',
      status: 'succeeded',
      location: 'E:\\OctaneBackups\\nightly\\S',
      artifacts: [{ path: 'database/octane_site.bak', bytes: 1000, sha256: 'a'.repeat(64) }],
      warnings: [],
      statements: [],
    },
    {
      id: 'elasticsearch',
      status: 'succeeded',
      location: 'E:\\OctaneBackups\\nightly\\S',
      artifacts: [],
      warnings: [],
      statements: [],
    },
    {
      id: 'repository',
      status: 'succeeded',
      location: 'E:\\OctaneBackups\\nightly\\S',
      artifacts: [{ path: 'repository/repository.zip', bytes: 500, sha256: 'b'.repeat(64) }],
      warnings: [],
      statements: [],
    },
  ],
  skew: { toleranceSeconds: 900, windowSeconds: 42, withinTolerance: true, clock: 'database' },
  warnings: [],
};

describe('Run screen', () => {
  it('shows each step’s progress, the statement in progress and the log, then the summary with every hash folded under Files', async () => {
    const { api, emit, callsOf } = fakeApi(shell);
    render(<App api={api} initial="run" />);
    fireEvent.click(await runButton('Back up now'));
    await waitFor(() => expect(callsOf('runs:start')).toEqual([[{ profile: 'nightly', kind: 'manual' }]]));
    emit('run:event', {
      jobId: 'job-1',
      event: ev({
        type: 'run-started',
        profile: 'nightly',
        kind: 'manual',
        setName: manifest.setName,
        setPaths: ['E:\\OctaneBackups\\nightly\\S'],
        steps: [
          { id: 'database', title: 'SQL Server database', weight: 1, enabled: true },
          { id: 'elasticsearch', title: 'Elasticsearch', weight: 1, enabled: true },
          { id: 'repository', title: 'Repository folder', weight: 1, enabled: true },
        ],
      }),
    });
    emit('run:event', {
      jobId: 'job-1',
      event: ev({ type: 'step-started', step: 'database', title: 'SQL Server database' }),
    });
    emit('run:event', {
      jobId: 'job-1',
      event: ev({
        type: 'step-progress',
        step: 'database',
        fraction: 0.42,
        overall: 0.14,
        counters: {
          bytesDone: 420 * 2 ** 20,
          bytesTotal: 1000 * 2 ** 20,
          bytesPerSecond: 50 * 2 ** 20,
          etaSeconds: 12,
          activity: "BACKUP DATABASE [octane_site] TO DISK = N'D:\\bak\\site.bak' WITH COPY_ONLY, CHECKSUM",
        },
      }),
    });
    emit('run:event', {
      jobId: 'job-1',
      event: ev({ type: 'log', level: 'info', step: 'database', message: '40 percent processed.' }),
    });
    const db = await screen.findByTestId('step-database');
    await within(db).findByText('42 %');
    within(db).getByText('420 MiB of 1000 MiB');
    within(db).getByText('50.0 MiB/s');
    within(db).getByText('ETA 12 s');
    within(db).getByText(/last activity \d+ s ago/);
    within(db).getByText(/BACKUP DATABASE \[octane_site\]/);
    within(screen.getByTestId('log-tail')).getByText(/40 percent processed\./);
    screen.getByText(/Overall 14 %/);

    emit('run:event', {
      jobId: 'job-1',
      event: ev({
        type: 'run-finished',
        status: 'succeeded',
        setName: manifest.setName,
        setPaths: ['E:\\OctaneBackups\\nightly\\S'],
        manifestPaths: [],
        skew: manifest.skew,
        warnings: 0,
      }),
    });
    emit('run:done', {
      jobId: 'job-1',
      profile: 'nightly',
      result: {
        ok: true,
        value: {
          status: 'succeeded',
          setName: manifest.setName,
          setPaths: ['E:\\OctaneBackups\\nightly\\S'],
          manifest,
        },
      },
    });
    const summary = await screen.findByTestId('run-summary');
    // The outcome first; the files and their hashes folded under "Files (N)".
    const files = within(summary).getByTestId('summary-files');
    expect(files.tagName).toBe('DETAILS');
    expect(files.hasAttribute('open')).toBe(false);
    expect(files.querySelector('summary')?.textContent).toBe('Files (2)');
    expect(
      within(summary).getByTestId('summary-skew').compareDocumentPosition(files) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    within(summary).getByText('a'.repeat(64));
    within(summary).getByText('b'.repeat(64));
    within(summary).getByText('database/octane_site.bak');
    expect(within(summary).getByTestId('summary-skew').textContent).toContain(
      '42 s of 15 min tolerated (database clock)',
    );
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it('cancels only after confirmation', async () => {
    const { api, emit, callsOf } = fakeApi(shell);
    render(<App api={api} initial="run" />);
    fireEvent.click(await runButton('Back up now'));
    emit('run:event', {
      jobId: 'job-1',
      event: ev({ type: 'step-started', step: 'repository', title: 'Repository folder' }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    const dialog = await screen.findByRole('alertdialog', inDialog);
    await within(dialog).findByText('Cancel the backup of “nightly”?');
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Keep running', ...inDialog }));
    await waitFor(() => expect(document.querySelectorAll('[role="alertdialog"]')).toHaveLength(0));
    expect(callsOf('runs:cancel')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    fireEvent.click(
      await within(await screen.findByRole('alertdialog', inDialog)).findByRole('button', {
        name: 'Cancel the backup',
        ...inDialog,
      }),
    );
    await waitFor(() => expect(callsOf('runs:cancel')).toEqual([['job-1']]));
    await screen.findByRole('button', { name: 'Cancelling…' });
  });

  it('asks for a label before a pre-upgrade dump', async () => {
    const { api, callsOf } = fakeApi(shell);
    render(<App api={api} initial="run" />);
    fireEvent.click(await runButton('Pre-upgrade dump…'));
    const dialog = await screen.findByRole('dialog', inDialog);
    const start = await within(dialog).findByRole('button', { name: 'Start the dump', ...inDialog });
    expect((start as HTMLButtonElement).disabled).toBe(true);
    const label = dialog.querySelector('input[name="pre-upgrade-label"]') as HTMLInputElement;
    fireEvent.change(label, { target: { value: 'before 25.1 upgrade' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Start the dump', ...inDialog }));
    await waitFor(() =>
      expect(callsOf('runs:start')).toEqual([
        [{ profile: 'nightly', kind: 'pre-upgrade', label: 'before 25.1 upgrade' }],
      ]),
    );
    await screen.findByText(/Pre-upgrade dump of “nightly” — before 25.1 upgrade/);
  });

  it('says why a backup did not start, with the fix', async () => {
    const { api } = fakeApi({
      ...shell,
      'runs:start': () => {
        throw new Refusal({
          code: 'VOLUME_NOT_CONNECTED',
          message: '"BACKUP1" (drive id 01234567) is not connected (last seen as E:\\).',
          fix: 'Connect "BACKUP1" and start the backup again.',
        });
      },
    });
    render(<App api={api} initial="run" />);
    fireEvent.click(await runButton('Back up now'));
    await screen.findByText('The backup did not start');
    screen.getByText('"BACKUP1" (drive id 01234567) is not connected (last seen as E:\\).');
    screen.getByText('Connect "BACKUP1" and start the backup again.');
  });
});
