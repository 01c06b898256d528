// @vitest-environment happy-dom
import '../../dom-setup.js';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../../src-main/contract/profile.js';
import type { ProfileRecord } from '../../../../src-main/contract/ui.js';
import { ProfileEditor } from '../../../../src-renderer/src/screens/profiles/profile-editor.js';
import { fakeApi, Refusal, renderWithApi, type FakeImpl } from '../../fake-api.js';

afterEach(cleanup);

const noSecrets = {
  databasePassword: false,
  elasticsearchPassword: false,
  elasticsearchApiKey: false,
  smtpPassword: false,
  sealKey: false,
};
const base: FakeImpl = {
  'profiles:validate': () => [],
  'drives:list': () => [],
  'destinations:inspect': (path) => ({ path, exists: true, freeBytes: 10 * 2 ** 30 }),
  'repository:scan': (path) => ({ path, files: 3, folders: 1, bytes: 2048, complete: true }),
  'profiles:estimate': () => null,
};

function input(name: string): HTMLInputElement {
  const el = document.querySelector(`input[name="${name}"]`);
  if (!(el instanceof HTMLInputElement)) throw new Error(`no input ${name}`);
  return el;
}

/** The Fluent Field around an input, where its validation message is shown. */
function fieldOf(name: string): HTMLElement {
  const field = input(name).closest('.fui-Field');
  if (!(field instanceof HTMLElement)) throw new Error(`no field around ${name}`);
  return field;
}

describe('profile editor', () => {
  it('shows each validation problem next to its field, by key, with the rules main applies', async () => {
    const { api, callsOf } = fakeApi({
      ...base,
      'profiles:validate': (draft) =>
        (draft as Profile).database && (draft as { database: { port?: number } }).database.port === 70000
          ? [{ key: 'database.port', message: 'must be a whole number from 1 to 65535.' }]
          : [],
    });
    renderWithApi(<ProfileEditor onSaved={() => undefined} onDeleted={() => undefined} />, api);
    fireEvent.change(input('database.port'), { target: { value: '70000' } });
    await waitFor(() =>
      expect(fieldOf('database.port').textContent).toContain('must be a whole number from 1 to 65535.'),
    );
    expect(callsOf('profiles:validate').length).toBeGreaterThan(0);
    expect(fieldOf('database.server').textContent).not.toContain('must be');
  });

  it('saves the password apart from the profile, and shows "required" problems after Save', async () => {
    const { api, callsOf } = fakeApi({
      ...base,
      'profiles:save': () => {
        throw new Refusal({
          code: 'CONFIG_INVALID',
          message: 'The profile has 2 problem(s).',
          fix: 'Correct the settings marked in the form.',
          details: {
            problems: [
              { key: 'database.server', message: 'is required (the SQL Server host name).' },
              { key: 'destination', message: 'is required.' },
            ],
          },
        });
      },
    });
    renderWithApi(<ProfileEditor onSaved={() => undefined} onDeleted={() => undefined} />, api);
    fireEvent.change(input('profile'), { target: { value: 'nightly' } });
    fireEvent.change(input('database.password'), { target: { value: 'Pa55-typed' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(fieldOf('database.server').textContent).toContain('is required (the SQL Server host name).'),
    );
    expect(fieldOf('destination').textContent).toContain('is required.');
    // One summary names each field by its label (not its config key) and links to it.
    const summary = await screen.findByTestId('error-summary');
    await within(summary).findByText('2 things to fix before saving');
    fireEvent.click(within(summary).getByRole('button', { name: 'SQL Server host' }));
    expect(document.activeElement).toBe(input('database.server'));
    expect(within(summary).getByRole('button', { name: 'Destination' })).toBeTruthy();
    expect(summary.textContent).not.toContain('database.server');
    const [req] = callsOf('profiles:save')[0] ?? [];
    expect(req?.profile.profile).toBe('nightly');
    expect(JSON.stringify(req?.profile)).not.toContain('Pa55-typed');
    expect(req?.secrets).toEqual({ databasePassword: 'Pa55-typed' });
  });

  it('never shows a stored password, only that one is stored, and can forget it', async () => {
    const record: ProfileRecord = {
      profile: {
        profile: 'nightly',
        destination: '/d',
        database: { engine: 'oracle', connectString: 'db:1521/O', user: 'sys', schemas: ['SITE'] },
      },
      secrets: { ...noSecrets, databasePassword: true },
      volumes: {},
      updatedAt: '',
    };
    const saved: ProfileRecord = { ...record, secrets: noSecrets };
    const { api, callsOf } = fakeApi({ ...base, 'profiles:save': () => saved });
    renderWithApi(
      <ProfileEditor record={record} onSaved={() => undefined} onDeleted={() => undefined} />,
      api,
    );
    expect(input('database.password').value).toBe('');
    expect(input('database.password').placeholder).toContain('(stored)');
    screen.getByText('Stored encrypted. Type to replace it.');
    fireEvent.click(screen.getByRole('button', { name: 'Forget the stored Database password' }));
    screen.getByText('The stored value will be removed when you save.');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(callsOf('profiles:save')).toHaveLength(1));
    expect(callsOf('profiles:save')[0]?.[0]).toMatchObject({
      previousName: 'nightly',
      secrets: { databasePassword: null },
    });
    await screen.findByText(/^Saved\./);
  });

  it("takes Octane's service and URL, which a restore uses to check that Octane is stopped; an emptied field leaves the profile", async () => {
    const record: ProfileRecord = {
      profile: { profile: 'nightly', destination: '/d', repository: { path: '/opt/octane/repo' } },
      secrets: noSecrets,
      volumes: {},
      updatedAt: '',
    };
    const { api, callsOf } = fakeApi({ ...base, 'profiles:save': () => record });
    renderWithApi(
      <ProfileEditor record={record} onSaved={() => undefined} onDeleted={() => undefined} />,
      api,
    );
    fireEvent.change(input('octaneService'), { target: { value: 'octane' } });
    fireEvent.change(input('octaneUrl'), { target: { value: 'http://octane.corp.local:8080' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(callsOf('profiles:save')).toHaveLength(1));
    expect(callsOf('profiles:save')[0]?.[0].profile).toMatchObject({
      octaneService: 'octane',
      octaneUrl: 'http://octane.corp.local:8080',
    });
    fireEvent.change(input('octaneService'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(callsOf('profiles:save')).toHaveLength(2));
    expect(callsOf('profiles:save')[1]?.[0].profile).not.toHaveProperty('octaneService');
  });

  it('tests the connection and ticks discovered databases', async () => {
    const { api, callsOf } = fakeApi({
      ...base,
      'discovery:test-database': () => ({
        ok: false,
        message: 'Login failed for user backup.',
        fix: 'Check the password.',
      }),
      'discovery:list-databases': () => ({
        candidates: [{ name: 'octane_site', detail: 'ONLINE' }, { name: 'octane_space_1001' }],
      }),
    });
    renderWithApi(<ProfileEditor onSaved={() => undefined} onDeleted={() => undefined} />, api);
    fireEvent.change(input('database.server'), { target: { value: 'sql01' } });
    fireEvent.change(input('database.password'), { target: { value: 'typed' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    await screen.findByText('Login failed for user backup.');
    screen.getByText('Check the password.');
    expect(callsOf('discovery:test-database')[0]?.[0]).toMatchObject({
      config: { server: 'sql01' },
      password: 'typed',
    });
    fireEvent.click(screen.getByRole('button', { name: 'Discover databases' }));
    const site = await screen.findByRole('checkbox', { name: 'octane_site (ONLINE)' });
    fireEvent.click(site);
    fireEvent.click(screen.getByRole('checkbox', { name: 'octane_space_1001' }));
    // One control id per checkbox (not the surrounding Field's).
    const ids = [...document.querySelectorAll('[aria-label="databases to back up"] input')].map((i) => i.id);
    expect(new Set(ids).size).toBe(2);
    await waitFor(() => {
      const last = callsOf('profiles:validate').at(-1)?.[0] as Profile;
      expect(last.database).toMatchObject({ databases: ['octane_site', 'octane_space_1001'] });
    });
  });

  it('runs the preflight and shows every check with its fix', async () => {
    const { api } = fakeApi({
      ...base,
      'profiles:preflight': () => ({
        ok: false,
        checks: [
          {
            id: 'a',
            component: 'destination',
            title: 'Destination E:\\',
            status: 'ok',
            message: 'Writable; 120 GiB free.',
          },
          {
            id: 'b',
            component: 'database',
            title: 'Backup folder on the server',
            status: 'failed',
            message: 'SQL Server cannot write D:\\bak.',
            fix: 'Give the SQL Server service account write access.',
          },
        ],
      }),
    });
    renderWithApi(<ProfileEditor onSaved={() => undefined} onDeleted={() => undefined} />, api);
    fireEvent.click(screen.getByRole('button', { name: 'Preflight' }));
    await screen.findByText('1 problem to fix before the next backup (listed first).');
    screen.getByText('SQL Server cannot write D:\\bak.');
    screen.getByText('Give the SQL Server service account write access.');
  });
});
