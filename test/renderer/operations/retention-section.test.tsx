// @vitest-environment happy-dom
import '../dom-setup.js';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RetentionPlanView } from '../../../src-main/contract/ui.js';
import { RetentionSection } from '../../../src-renderer/src/screens/operations/retention-section.js';
import { fakeApi, renderWithApi } from '../fake-api.js';
import { hostState, record, SectionHost } from './section-host.js';

afterEach(cleanup);

const entry = (setName: string, action: 'keep' | 'delete', code: string, reason: string) => ({
  setName,
  action,
  code,
  reason,
  complete: true,
  pinned: code === 'pinned',
  bytes: 2048,
  paths: [`/backups/nightly/${setName}`],
});

const PLAN: RetentionPlanView = {
  profile: 'nightly',
  computedAt: '2026-03-02T08:00:00.000Z',
  entries: [
    entry(
      '20260302T010000Z-scheduled-aaaaaaaa',
      'keep',
      'newest-usable',
      'The newest usable set: never deleted.',
    ),
    entry(
      '20260225T010000Z-pre-upgrade-bbbbbbbb',
      'keep',
      'pinned',
      'Pinned (pre-upgrade): never deleted by retention.',
    ),
    entry(
      '20260220T010000Z-scheduled-cccccccc',
      'delete',
      'expired',
      'Older than 7 days and not among the newest 1 usable sets.',
    ),
  ],
  toDelete: ['20260220T010000Z-scheduled-cccccccc'],
  bytesToFree: 2048,
  problems: [],
};

const input = (name: string): HTMLInputElement =>
  document.querySelector(`input[name="${name}"]`) as HTMLInputElement;

describe('retention section', () => {
  it('edits keepLast, keepDays and pruneAfterRun, with the validation message next to the field', () => {
    const state = hostState(record({}));
    const { api } = fakeApi({});
    renderWithApi(
      <SectionHost
        section={RetentionSection}
        state={state}
        problems={{ 'retention.keepLast': 'must be a whole number from 1 to 100000.' }}
      />,
      api,
    );
    fireEvent.change(input('retention.keepLast'), { target: { value: '0' } });
    fireEvent.change(input('retention.keepDays'), { target: { value: '14' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /after every run/ }));
    expect(state.current.profile.retention).toEqual({ keepLast: 0, keepDays: 14, pruneAfterRun: true });
    expect(input('retention.keepLast').closest('.fui-Field')?.textContent).toContain(
      'must be a whole number',
    );
    // Unsaved rules: the prune button says so and stays off.
    expect(screen.getByText(/save to apply these/)).toBeTruthy();
  });

  it('shows the dry run with each reason, and prunes exactly the listed sets after confirming', async () => {
    const state = hostState(record({ retention: { keepLast: 1, keepDays: 7 } }));
    let pruned = false;
    const { api, callsOf } = fakeApi({
      'retention:plan': () =>
        pruned ? { ...PLAN, entries: PLAN.entries.slice(0, 2), toDelete: [], bytesToFree: 0 } : PLAN,
      'retention:prune': () => {
        pruned = true;
        return {
          deleted: ['/backups/nightly/20260220T010000Z-scheduled-cccccccc'],
          failed: [],
          skipped: [],
          notDeleted: [],
        };
      },
    });
    renderWithApi(<SectionHost section={RetentionSection} state={state} />, api);
    expect(screen.getByRole('button', { name: /Prune now/ })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: 'Dry run' }));
    const table = await screen.findByTestId('retention-plan');
    expect(table.textContent).toContain('1 of 3 set(s) would be deleted');
    const rows = within(table).getAllByTestId('retention-entry');
    expect(rows.map((r) => r.getAttribute('data-action'))).toEqual(['keep', 'keep', 'delete']);
    expect(rows[1]?.textContent).toContain('Pinned (pre-upgrade): never deleted by retention.');
    expect(rows[2]?.textContent).toContain('would delete');
    expect(rows[2]?.textContent).toContain('Older than 7 days');

    fireEvent.click(screen.getByRole('button', { name: /Prune now/ }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('Delete 1 backup set(s)?');
    expect(dialog.textContent).toContain('20260220T010000Z-scheduled-cccccccc');
    expect(callsOf('retention:prune')).toHaveLength(0);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.getByText(/Deleted 1 folder/)).toBeTruthy());
    expect(callsOf('retention:prune')).toEqual([
      [{ profile: 'nightly', setNames: ['20260220T010000Z-scheduled-cccccccc'] }],
    ]);
    await waitFor(() =>
      expect(screen.getByTestId('retention-plan').textContent).toContain('Nothing would be deleted'),
    );
  });

  it('keeps Dry run off for a profile that was never saved', () => {
    const { api } = fakeApi({});
    renderWithApi(<SectionHost section={RetentionSection} state={hostState()} />, api);
    expect(screen.getByRole('button', { name: 'Dry run' })).toHaveProperty('disabled', true);
    expect(screen.getByText('Save the profile first.')).toBeTruthy();
  });
});
