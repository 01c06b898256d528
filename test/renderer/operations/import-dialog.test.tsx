// @vitest-environment happy-dom
import '../dom-setup.js';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { OctaneImportView } from '../../../src-main/contract/ui.js';
import { ImportDialog } from '../../../src-renderer/src/screens/operations/import-dialog.js';
import { applyImport, importRows } from '../../../src-renderer/src/screens/operations/import-model.js';
import {
  newEditorState,
  setIn,
  type EditorState,
} from '../../../src-renderer/src/screens/profiles/editor-model.js';
import { fakeApi, renderWithApi } from '../fake-api.js';

afterEach(cleanup);

const src = (key: string, line: number) => ({ file: '/opt/octane/conf/setup.xml', key, line });
const VIEW: OctaneImportView = {
  dir: '/opt/octane/conf',
  filesRead: ['/opt/octane/conf/setup.xml'],
  found: [
    { key: 'database.type', value: 'MSSQL', source: src('DBType', 3) },
    { key: 'database.server', value: 'sqlprod01', source: src('ConnectionString (parsed)', 4) },
    { key: 'database.adminUser', value: 'octane_admin', source: src('DBAdminUser', 5) },
    { key: 'repository.path', value: 'C:\\octane\\repo', source: src('RepositoryFolder', 8) },
  ],
  secretsNotImported: [src('DBAdminPassword', 6)],
  problems: ["database.serverBackupDir is not in Octane's config: choose a folder on the SQL Server host."],
  draft: {
    octaneConfigDir: '/opt/octane/conf',
    'database.engine': 'sqlserver',
    'database.server': 'sqlprod01',
    'database.user': 'octane_admin',
    'repository.path': 'C:\\octane\\repo',
  },
};

describe('import from Octane installation', () => {
  it('preselects only values the admin has not typed, and applies the chosen ones', () => {
    let state: EditorState = newEditorState();
    state = { ...state, profile: setIn(state.profile, 'repository.path', 'D:\\mine') };
    const rows = importRows(state, VIEW);
    const byKey = new Map(rows.map((r) => [r.key, r]));
    expect(byKey.get('database.server')).toMatchObject({
      untouched: true,
      source: 'setup.xml: ConnectionString (parsed), line 4',
    });
    expect(byKey.get('database.user')?.source).toBe('setup.xml: DBAdminUser, line 5');
    expect(byKey.get('repository.path')).toMatchObject({ untouched: false, current: 'D:\\mine' });
    const next = applyImport(state, VIEW, new Set(['database.server', 'database.user']));
    expect(next.profile.database).toMatchObject({
      engine: 'sqlserver',
      server: 'sqlprod01',
      user: 'octane_admin',
    });
    expect(next.profile.repository?.path).toBe('D:\\mine');
  });

  it('switches the database section to the imported engine', () => {
    const state = newEditorState();
    const view: OctaneImportView = {
      ...VIEW,
      draft: {
        'database.engine': 'oracle',
        'database.connectString': 'ora01:1521/OCTANE',
        'database.schemas': ['SITE'],
      },
    };
    const next = applyImport(state, view, new Set(Object.keys(view.draft)));
    expect(next.profile.database).toEqual({
      engine: 'oracle',
      connectString: 'ora01:1521/OCTANE',
      user: '',
      schemas: ['SITE'],
      directory: 'DATA_PUMP_DIR',
    });
  });

  it('reads the default conf folder in main, shows values, sources, problems and that passwords are not imported', async () => {
    let applied: EditorState | undefined;
    const { api, callsOf } = fakeApi({
      'octane:default-dir': () => '/opt/octane/conf',
      'octane:import': () => VIEW,
    });
    const state = {
      ...newEditorState(),
      profile: setIn(newEditorState().profile, 'repository.path', 'D:\\mine'),
    };
    renderWithApi(
      <ImportDialog open state={state} onApply={(s) => (applied = s)} onClose={() => undefined} />,
      api,
    );
    const dir = await screen.findByDisplayValue<HTMLInputElement>('/opt/octane/conf');
    expect(dir.name).toBe('octane.configDir');
    expect(screen.getByText('Passwords are never imported')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Read' }));
    const rows = await screen.findAllByTestId('import-row');
    expect(callsOf('octane:import')).toEqual([['/opt/octane/conf']]);
    expect(rows).toHaveLength(5);
    const repo = rows.find((r) => r.textContent?.includes('repository.path')) as HTMLElement;
    expect(within(repo).getByRole('checkbox')).toHaveProperty('checked', false);
    expect(repo.textContent).toContain('D:\\mine');
    expect(screen.getByText(/Seen in setup.xml: DBAdminPassword, line 6/)).toBeTruthy();
    expect(screen.getByText(/serverBackupDir is not in Octane's config/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Apply 4 value/ }));
    await waitFor(() => expect(applied).toBeDefined());
    expect(applied?.profile.database).toMatchObject({ server: 'sqlprod01', user: 'octane_admin' });
    expect(applied?.profile.octaneConfigDir).toBe('/opt/octane/conf');
    expect(applied?.profile.repository?.path).toBe('D:\\mine');
  });
});
