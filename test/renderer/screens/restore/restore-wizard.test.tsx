// @vitest-environment happy-dom
import '../../dom-setup.js';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  RestoreEvent,
  RestorePreparation,
  RestoreReport,
  RestoreStartRequest,
} from '../../../../src-main/contract/restore-run.js';
import { RestoreWizard } from '../../../../src-renderer/src/screens/restore/restore-wizard.js';
import { fakeApi, renderWithApi } from '../../fake-api.js';

afterEach(cleanup);
// Tabster (Fluent's focus manager) may still mark a freshly opened dialog aria-hidden under
// happy-dom: the button inside the Cancel dialog is looked up including hidden ones.

const SET = '/backups/octane-prod/20260301T020000Z-scheduled-1a2b3c4d';
const AT = '2026-03-02T08:00:00.000Z';

function preparation(o: Partial<RestorePreparation> = {}): RestorePreparation {
  return {
    setPath: SET,
    setName: '20260301T020000Z-scheduled-1a2b3c4d',
    setId: '1a2b3c4d',
    setProfile: 'octane-prod',
    profile: 'octane-prod',
    kind: 'scheduled',
    takenAt: '2026-03-01T02:00:00.000Z',
    verify: { verdict: 'intact', problems: [] },
    stages: [
      {
        id: 'database',
        title: 'Database (SQL Server: octane_site)',
        available: true,
        selected: true,
        bytes: 2 ** 20,
      },
      {
        id: 'elasticsearch',
        title: 'Elasticsearch indices',
        available: true,
        selected: true,
        bytes: 2 ** 19,
      },
      {
        id: 'config',
        title: "Octane's config files",
        available: false,
        reason: 'the set holds no copies of them',
        selected: false,
        bytes: 0,
      },
      { id: 'repository', title: 'Repository folder', available: true, selected: true, bytes: 2 ** 21 },
    ],
    checks: [
      {
        id: 'set.verify',
        scope: 'set',
        title: 'The set verified',
        status: 'ok',
        message: 'Every file matches.',
      },
      {
        id: 'db.rights',
        scope: 'database',
        title: 'Right to restore databases',
        status: 'ok',
        message: 'dbcreator.',
      },
    ],
    plans: [
      {
        component: 'database',
        target: 'in-place',
        summary: 'Restore octane_site',
        actions: [
          {
            kind: 'statement',
            title: 'Restore octane_site over the live database',
            text: "RESTORE DATABASE [octane_site] FROM DISK = N'D:\\b.bak' WITH REPLACE, CHECKSUM, STATS = 1;",
            changes: true,
          },
        ],
        notes: [],
      },
      {
        component: 'repository',
        target: 'in-place',
        summary: 'Extract the archive',
        actions: [{ kind: 'extract', title: 'Extract repository.zip into C:\\octane\\repo', changes: true }],
        notes: [],
      },
    ],
    confirmStopped: true,
    offline: false,
    generatedAt: AT,
    ...o,
  } as RestorePreparation;
}

const event = (e: Record<string, unknown>): RestoreEvent =>
  ({ restoreId: 'r1', at: AT, ...e }) as unknown as RestoreEvent;

const button = (name: string): HTMLButtonElement => screen.getByRole<HTMLButtonElement>('button', { name });

async function toStep(step: string): Promise<void> {
  fireEvent.click(button('Next'));
  await waitFor(() => expect(screen.getByTestId('restore-wizard').getAttribute('data-step')).toBe(step));
}

describe('the restore wizard', () => {
  it('changes nothing before the last step: Octane must be confirmed stopped, a failed check blocks with its fix, only the exact profile name enables Restore', async () => {
    const prep = preparation();
    const starts: RestoreStartRequest[] = [];
    const fake = fakeApi({
      'restore:prepare': () => prep,
      'restore:start': (req) => {
        starts.push(req);
        return { jobId: 'j1', profile: req.profile, setPath: req.setPath, startedAt: AT };
      },
    });
    renderWithApi(<RestoreWizard profile="octane-prod" setPath={SET} onClose={() => undefined} />, fake.api);
    await screen.findByTestId('restore-verdict');
    // The config files are not in the set: shown, not choosable.
    const config = screen
      .getAllByTestId('restore-stage-choice')
      .find((el) => el.getAttribute('data-stage') === 'config') as HTMLElement;
    expect(within(config).getByRole('checkbox')).toHaveProperty('disabled', true);
    within(config).getByText(/Not restorable: the set holds no copies of them/);

    await toStep('Preconditions');
    expect(button('Next').disabled).toBe(true);
    within(screen.getByTestId('restore-problems')).getByText(/Octane must be stopped on every node/);
    fireEvent.click(screen.getByTestId('octane-stopped'));
    await waitFor(() => expect(button('Next').disabled).toBe(false));

    await toStep('Plan');
    screen.getByText(/RESTORE DATABASE \[octane_site\]/);
    await toStep('Confirm');
    const name = document.querySelector('input[name="confirm-name"]') as HTMLInputElement;
    fireEvent.change(name, { target: { value: 'octane-pro' } });
    expect(button('Restore').disabled).toBe(true);
    fireEvent.change(name, { target: { value: 'octane-prod' } });
    await waitFor(() => expect(button('Restore').disabled).toBe(false));
    expect(fake.callsOf('restore:start')).toHaveLength(0);
    fireEvent.click(button('Restore'));
    await waitFor(() => expect(starts).toHaveLength(1));
    expect(starts[0]).toEqual({
      profile: 'octane-prod',
      setPath: SET,
      only: ['database', 'elasticsearch', 'repository'],
      confirmName: 'octane-prod',
      octaneStopped: true,
    });
  });

  it('a failed target check keeps Next disabled and names the fix; unticking a component says the restore is partial', async () => {
    const prep = preparation({
      confirmStopped: false,
      checks: [
        {
          id: 'es.version',
          scope: 'elasticsearch',
          title: 'Elasticsearch version',
          status: 'failed',
          message: 'The cluster runs 7.10.2; the snapshot was written by 8.19.8.',
          fix: 'Restore into a cluster of version 8.19.8 or later.',
        },
      ],
    });
    const fake = fakeApi({ 'restore:prepare': () => prep });
    renderWithApi(<RestoreWizard profile="octane-prod" setPath={SET} onClose={() => undefined} />, fake.api);
    await screen.findByTestId('restore-verdict');
    await toStep('Preconditions');
    expect(button('Next').disabled).toBe(true);
    within(screen.getByTestId('restore-problems')).getByText(
      /Elasticsearch version: The cluster runs 7\.10\.2.*Fix: Restore into a cluster of version 8\.19\.8/,
    );
    fireEvent.click(button('Back'));
    const es = screen
      .getAllByTestId('restore-stage-choice')
      .find((el) => el.getAttribute('data-stage') === 'elasticsearch') as HTMLElement;
    fireEvent.click(within(es).getByRole('checkbox'));
    await toStep('Preconditions');
    expect(button('Next').disabled).toBe(false);
    await toStep('Plan');
    await toStep('Confirm');
    screen.getByText(/A PARTIAL restore: only the database and the repository folder come back/);
  });

  it('while it runs, Cancel first says what a cancel leaves at that moment; the result says what came back and what to do next', async () => {
    const fake = fakeApi({
      'restore:prepare': () => preparation({ confirmStopped: false }),
      'restore:start': (req) => ({ jobId: 'j1', profile: req.profile, setPath: req.setPath, startedAt: AT }),
      'restore:cancel': () => true,
    });
    renderWithApi(<RestoreWizard profile="octane-prod" setPath={SET} onClose={() => undefined} />, fake.api);
    await screen.findByTestId('restore-verdict');
    await toStep('Preconditions');
    await toStep('Plan');
    await toStep('Confirm');
    fireEvent.change(document.querySelector('input[name="confirm-name"]') as HTMLInputElement, {
      target: { value: 'octane-prod' },
    });
    await waitFor(() => expect(button('Restore').disabled).toBe(false));
    fireEvent.click(button('Restore'));
    await screen.findByTestId('restore-run');
    const emit = (e: Record<string, unknown>): void =>
      fake.emit('restore:event', { jobId: 'j1', event: event(e) });
    emit({
      type: 'restore-started',
      profile: 'octane-prod',
      setName: 'S',
      setPath: SET,
      stages: [
        { id: 'database', title: 'Database', selected: true },
        { id: 'elasticsearch', title: 'Elasticsearch indices', selected: true },
        { id: 'config', title: "Octane's config files", selected: false },
        { id: 'repository', title: 'Repository folder', selected: true },
      ],
    });
    emit({ type: 'stage-started', stage: 'database', title: 'Database' });
    emit({
      type: 'stage-finished',
      stage: 'database',
      status: 'succeeded',
      durationMs: 4000,
      state: 'Restored.',
    });
    emit({ type: 'stage-started', stage: 'elasticsearch', title: 'Elasticsearch indices' });
    emit({
      type: 'stage-progress',
      stage: 'elasticsearch',
      fraction: 0.4,
      overall: 0.5,
      counters: {},
      leaves: 'octane_shared_space_1001 is closed and half restored: restore it again.',
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    const leaves = await screen.findByTestId('cancel-leaves');
    expect(leaves.textContent).toBe(
      'octane_shared_space_1001 is closed and half restored: restore it again. Already restored from the set and kept: the database. Not touched: the repository folder. Keep Octane stopped until the restore has been run again to the end.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Cancel the restore', hidden: true }));
    await waitFor(() => expect(fake.callsOf('restore:cancel')).toEqual([['j1']]));

    const report = {
      status: 'cancelled',
      setName: 'S',
      restored: ['Database: restored.'],
      notRestored: ['Repository folder: not touched.'],
      nextSteps: ['Keep Octane stopped: the Elasticsearch indices are not restored.'],
      stages: [],
      notes: [],
      reportPath: `${SET}/restore-reports/r1.json`,
    } as unknown as RestoreReport;
    emit({ type: 'stage-finished', stage: 'elasticsearch', status: 'cancelled', state: 'Half restored.' });
    emit({ type: 'restore-finished', status: 'cancelled', report });
    fake.emit('restore:done', { jobId: 'j1', profile: 'octane-prod', result: { ok: true, value: report } });
    await waitFor(() => expect(screen.getByTestId('restore-run').getAttribute('data-done')).toBe('true'));
    const result = screen.getByTestId('restore-result');
    expect(result.getAttribute('data-status')).toBe('cancelled');
    within(screen.getByTestId('next-steps')).getByText(/Keep Octane stopped/);
    screen.getByText(`${SET}/restore-reports/r1.json`);
  });
});
