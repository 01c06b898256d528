// @vitest-environment happy-dom
// "Copy to drive…" in History (issue 18), against the API stand-in: only removable drives are
// offered; the export starts with the chosen drive and "eject"; progress, Cancel, the verified
// outcome with the eject message; a refusal shows its message and fix.
import '../../dom-setup.js';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportOutcome } from '../../../../src-main/contract/removable.js';
import type { DriveInfo, ExportJob } from '../../../../src-main/contract/ui.js';
import { CopyToDrive } from '../../../../src-renderer/src/screens/history/copy-to-drive.js';
import { Refusal, fakeApi, renderWithApi } from '../../fake-api.js';

afterEach(cleanup);

const drives: DriveInfo[] = [
  { root: 'C:\\', removable: false, fileSystem: 'NTFS', freeBytes: 10 * 2 ** 30 },
  { root: 'E:\\', removable: true, label: 'OFFSITE-A', fileSystem: 'exFAT', freeBytes: 500 * 2 ** 30 },
];
const job: ExportJob = {
  jobId: 'j1',
  profile: 'nightly',
  setName: 'S2',
  setPath: '/d/nightly/S2',
  target: 'E:\\OctaneBackups',
  startedAt: '2026-01-01T00:00:00Z',
};
const outcome: ExportOutcome = {
  status: 'succeeded',
  profile: 'nightly',
  setName: 'S2',
  target: 'E:\\OctaneBackups',
  copyPath: 'E:\\OctaneBackups\\nightly\\S2',
  files: 2,
  bytes: 2 * 2 ** 20,
  verdict: 'intact',
  notes: [],
  eject: { root: 'E:\\', ejected: true, message: 'E: was ejected: it can be unplugged now.' },
};

describe('Copy to drive…', () => {
  it('offers the removable drives, copies with eject, shows progress and the verified outcome', async () => {
    const fake = fakeApi({
      'drives:list': () => drives,
      'sets:export': () => job,
      'exports:cancel': () => true,
    });
    renderWithApi(<CopyToDrive setPath="/d/nightly/S2" />, fake.api);
    fireEvent.click(screen.getByRole('button', { name: 'Copy to drive…' }));
    const select = await screen.findByRole('combobox', { name: 'Drive' });
    expect([...(select as HTMLSelectElement).options].map((o) => o.value)).toEqual(['E:\\']);
    expect(select.textContent).toContain('E:\\ (OFFSITE-A) — 500 GiB free, exFAT');
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    await screen.findByRole('button', { name: 'Cancel' });
    expect(fake.callsOf('sets:export')).toEqual([
      [{ setPath: '/d/nightly/S2', to: { kind: 'drive', root: 'E:\\' }, eject: true }],
    ]);
    fake.emit('export:event', {
      jobId: 'j1',
      event: {
        exportId: 'x',
        at: '',
        type: 'export-progress',
        phase: 'copy',
        fraction: 0.33,
        bytesDone: 2 ** 20,
        bytesTotal: 2 * 2 ** 20,
      },
    });
    await screen.findByText(/Copying to E:\\OctaneBackups — 1.00 MiB of 2.00 MiB/);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(fake.callsOf('exports:cancel')).toEqual([['j1']]));
    fake.emit('export:done', { jobId: 'j1', profile: 'nightly', result: { ok: true, value: outcome } });
    const done = await screen.findByTestId('copy-outcome');
    expect(done.textContent).toContain('Copy verified');
    expect(done.textContent).toContain('E:\\OctaneBackups\\nightly\\S2: every file re-read and intact.');
    expect(done.textContent).toContain('E: was ejected: it can be unplugged now.');
  });

  it('a drive too small: the refusal in the outcome, with its fix', async () => {
    const fake = fakeApi({ 'drives:list': () => drives, 'sets:export': () => job });
    renderWithApi(<CopyToDrive setPath="/d/nightly/S2" />, fake.api);
    fireEvent.click(screen.getByRole('button', { name: 'Copy to drive…' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Copy' }));
    await screen.findByRole('button', { name: 'Cancel' });
    fake.emit('export:done', {
      jobId: 'j1',
      profile: 'nightly',
      result: {
        ok: true,
        value: {
          ...outcome,
          status: 'failed',
          copyPath: undefined,
          eject: undefined,
          error: {
            code: 'EXPORT_TARGET_TOO_SMALL',
            message:
              'The set needs 2.00 GiB on E:\\, but only 1.00 GiB is free of 8.00 GiB. Nothing was copied.',
            fix: 'Free space on the drive or use a larger drive.',
          },
        } as unknown as ExportOutcome,
      },
    });
    const bar = await screen.findByText(/only 1.00 GiB is free/);
    expect(bar.closest('[data-code]')?.getAttribute('data-code')).toBe('EXPORT_TARGET_TOO_SMALL');
    expect(screen.getByText(/Free space on the drive/)).toBeTruthy();
  });

  it('a set or drive the app refuses: "did not start" with the reason', async () => {
    const fake = fakeApi({
      'drives:list': () => drives,
      'sets:export': () => {
        throw new Refusal({
          code: 'NOT_A_DRIVE',
          message: 'E:\\ is not a drive this computer lists.',
          fix: 'Connect the drive.',
        });
      },
    });
    renderWithApi(<CopyToDrive setPath="/d/nightly/S2" />, fake.api);
    fireEvent.click(screen.getByRole('button', { name: 'Copy to drive…' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Copy' }));
    await screen.findByText('The copy did not start');
    expect(screen.getByText(/is not a drive this computer lists/)).toBeTruthy();
  });
});
