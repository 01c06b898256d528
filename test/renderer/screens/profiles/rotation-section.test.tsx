// @vitest-environment happy-dom
// The profile form's drive rotation (issue 18): add a connected drive by its marker (one without a
// marker is given one through drives:bind), add an offsite drive by id, name, remove, set the
// options; Save sends profile.rotation, which the profile schema the engine validates with accepts.
// The validator here applies that schema and its cross-key rules (contract/profile-schema.ts), so
// the message at the field is the engine's; the real main-side validation is in
// test/e2e/removable.chromium.test.ts.
import '../../dom-setup.js';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../../src-main/contract/profile.js';
import type { DriveInfo, FieldProblem, ProfileRecord } from '../../../../src-main/contract/ui.js';
import { PROFILE_RULES, profileFileSchema } from '../../../../src-main/contract/profile-schema.js';
import { ProfileEditor } from '../../../../src-renderer/src/screens/profiles/profile-editor.js';
import { fakeApi, Refusal, renderWithApi, type FakeImpl } from '../../fake-api.js';

afterEach(cleanup);

const MARKED = 'aaaa1111-2222-4333-8444-555566667777';
const WRITTEN = 'bbbb1111-2222-4333-8444-555566667777';
const OFFSITE = 'cccc1111-2222-4333-8444-555566667777';

const drives: DriveInfo[] = [
  {
    root: '/media/admin/OFFSITE-A',
    label: 'OFFSITE-A',
    removable: true,
    sizeBytes: 64 * 2 ** 30,
    freeBytes: 60 * 2 ** 30,
    marker: { tool: 'octane-backup', formatVersion: 1, id: MARKED, createdAt: '2026-03-01T00:00:00Z' },
  },
  {
    root: '/media/admin/NEW',
    label: 'NEW',
    removable: true,
    sizeBytes: 32 * 2 ** 30,
    freeBytes: 30 * 2 ** 30,
  },
  // A fixed disk without a marker: never offered for marking.
  { root: '/', removable: false, sizeBytes: 500 * 2 ** 30, freeBytes: 100 * 2 ** 30 },
];

const record: ProfileRecord = {
  profile: {
    profile: 'nightly',
    destination: '/srv/backups',
    repository: { path: '/srv/repo', format: 'zip' },
  },
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

/** The schema's and the rules' problems, keyed as the engine keys them (a list item's under its list). */
function engineProblems(draft: unknown): FieldProblem[] {
  const parsed = profileFileSchema.safeParse(draft);
  const problems: FieldProblem[] = (parsed.success ? [] : parsed.error.issues).map((issue) => {
    const at = issue.path.findIndex((p) => typeof p !== 'string');
    return { key: (at < 0 ? issue.path : issue.path.slice(0, at)).join('.'), message: issue.message };
  });
  for (const rule of PROFILE_RULES)
    if (rule.broken(draft as Record<string, unknown>))
      problems.push({ key: rule.key, message: rule.message });
  return problems;
}

function setup(more: FakeImpl = {}) {
  const impl: FakeImpl = {
    'profiles:validate': (draft) => engineProblems(draft),
    'drives:list': () => drives,
    'drives:bind': (folder) => ({ volumeId: WRITTEN, relativePath: '', lastRoot: folder, label: 'NEW' }),
    'destinations:inspect': (path) => ({ path, exists: true, freeBytes: 10 * 2 ** 30 }),
    'repository:scan': (path) => ({ path, files: 3, folders: 1, bytes: 2048, complete: true }),
    'profiles:estimate': () => null,
    // As main: a profile the engine refuses is not stored.
    'profiles:save': (req) => {
      const problems = engineProblems(req.profile);
      if (problems.length > 0)
        throw new Refusal({
          code: 'CONFIG_INVALID',
          message: 'The profile has problems.',
          details: { problems },
        });
      return { ...record, profile: req.profile };
    },
    ...more,
  };
  const fake = fakeApi(impl);
  renderWithApi(
    <ProfileEditor record={record} onSaved={() => undefined} onDeleted={() => undefined} />,
    fake.api,
  );
  return { ...fake, section: screen.getByTestId('section-rotation') };
}

function input(section: HTMLElement, name: string): HTMLInputElement {
  const el = section.querySelector(`input[name="${name}"]`);
  if (!(el instanceof HTMLInputElement)) throw new Error(`no input ${name}`);
  return el;
}

describe('profile editor: drive rotation', () => {
  it('adds a marked drive, marks and adds an unmarked one, names, removes; Save sends a rotation the engine accepts', async () => {
    const { section, callsOf } = setup();
    const r = within(section);
    fireEvent.click(await r.findByRole('button', { name: 'Add to the rotation: OFFSITE-A' }));
    await r.findByRole('button', { name: 'In the rotation: OFFSITE-A' });
    expect(r.getByRole('button', { name: 'In the rotation: OFFSITE-A' }).hasAttribute('disabled')).toBe(true);
    // No marker yet: the app writes one through drives:bind at the drive's root, then adds its id.
    fireEvent.click(r.getByRole('button', { name: 'Mark and add: NEW' }));
    await waitFor(() => expect(r.getAllByTestId('rotation-config-drive')).toHaveLength(2));
    expect(callsOf('drives:bind')).toEqual([['/media/admin/NEW']]);
    // Pressed again while the listing still shows no marker (this fake's never does): not added twice.
    fireEvent.click(r.getByRole('button', { name: 'Mark and add: NEW' }));
    await waitFor(() => expect(callsOf('drives:bind')).toHaveLength(2));
    await waitFor(() =>
      expect(r.getByRole('button', { name: 'Mark and add: NEW' }).hasAttribute('disabled')).toBe(false),
    );
    expect(r.getAllByTestId('rotation-config-drive')).toHaveLength(2);
    expect(r.queryByRole('button', { name: /: \/$/ })).toBeNull();
    expect(
      within(r.getByRole('table', { name: 'Connected drives for the rotation' })).getAllByRole('row'),
    ).toHaveLength(3);
    fireEvent.change(r.getByRole('textbox', { name: /Add an offsite drive by its id/ }), {
      target: { value: OFFSITE },
    });
    fireEvent.click(r.getByRole('button', { name: 'Add by id' }));
    const rows = r.getAllByTestId('rotation-config-drive');
    expect(rows.map((row) => row.textContent)).toEqual([
      expect.stringContaining(`${MARKED}connected at /media/admin/OFFSITE-A`),
      expect.stringContaining(`${WRITTEN}not connected`),
      expect.stringContaining(`${OFFSITE}not connected`),
    ]);
    fireEvent.change(r.getByRole('textbox', { name: 'Drive name, drive 1 (id aaaa1111)' }), {
      target: { value: 'Offsite A' },
    });
    fireEvent.change(r.getByRole('textbox', { name: 'Drive name, drive 3 (id cccc1111)' }), {
      target: { value: 'Offsite C' },
    });
    fireEvent.click(r.getByRole('button', { name: 'Remove drive 2 (id bbbb1111) from the rotation' }));
    expect(r.getAllByTestId('rotation-config-drive')).toHaveLength(2);
    expect(r.getByRole('button', { name: 'Remove “Offsite C” from the rotation' })).toBeTruthy();

    fireEvent.change(input(section, 'rotation.keepLast'), { target: { value: '3' } });
    fireEvent.change(input(section, 'rotation.warnAfterDays'), { target: { value: '14' } });
    fireEvent.click(r.getByRole('checkbox', { name: /Copy each new usable set/ }));
    fireEvent.click(r.getByRole('radio', { name: 'Copy the newest usable set to it (“export”)' }));
    fireEvent.change(input(section, 'rotation.minIntervalHours'), { target: { value: '6' } });
    fireEvent.click(r.getByRole('checkbox', { name: /Eject the drive/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(callsOf('profiles:save')).toHaveLength(1));
    const sent = callsOf('profiles:save')[0]?.[0].profile as Profile;
    expect(sent.rotation).toEqual({
      drives: [
        { id: MARKED, name: 'Offsite A' },
        { id: OFFSITE, name: 'Offsite C' },
      ],
      keepLast: 3,
      warnAfterDays: 14,
      exportAfterRun: true,
      whenConnected: 'export',
      minIntervalHours: 6,
      eject: true,
    });
    expect(engineProblems(sent)).toEqual([]);
  });

  it("shows the engine's problem at the drive list (a drive named twice) and links to it from the summary", async () => {
    const { section, callsOf } = setup();
    const r = within(section);
    const typed = r.getByRole('textbox', { name: /Add an offsite drive by its id/ });
    for (const _ of [1, 2]) {
      fireEvent.change(typed, { target: { value: OFFSITE } });
      fireEvent.click(r.getByRole('button', { name: 'Add by id' }));
    }
    const list = input(section, 'rotation.drives').closest('.fui-Field');
    if (!(list instanceof HTMLElement)) throw new Error('no field around the drive list');
    await waitFor(() => expect(list.textContent).toContain('names the same drive twice.'));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const summary = await screen.findByTestId('error-summary');
    fireEvent.click(within(summary).getByRole('button', { name: 'Drives of the rotation' }));
    expect(document.activeElement).toBe(input(section, 'rotation.drives'));
    // Removing the second copy clears the problem at the field.
    fireEvent.click(r.getByRole('button', { name: 'Remove drive 2 (id cccc1111) from the rotation' }));
    await waitFor(() => expect(list.textContent).not.toContain('names the same drive twice.'));
    expect(callsOf('profiles:save')[0]?.[0].profile.rotation?.drives).toHaveLength(2);
  });

  it('says why a drive could not be marked, with the fix, and adds nothing', async () => {
    const { section } = setup({
      'drives:bind': () => {
        throw new Refusal({
          code: 'VOLUME_MARKER_WRITE',
          message: 'Cannot write the drive marker on /media/admin/NEW (EROFS).',
          fix: 'Check that the drive is not write-protected and that your account may write to its root folder.',
        });
      },
    });
    const r = within(section);
    fireEvent.click(await r.findByRole('button', { name: 'Mark and add: NEW' }));
    await r.findByText(/Cannot write the drive marker on \/media\/admin\/NEW \(EROFS\)\./);
    expect(section.textContent).toContain('Check that the drive is not write-protected');
    expect(r.queryAllByTestId('rotation-config-drive')).toHaveLength(0);
    expect(r.getByRole('button', { name: 'Mark and add: NEW' }).hasAttribute('disabled')).toBe(false);
  });
});
