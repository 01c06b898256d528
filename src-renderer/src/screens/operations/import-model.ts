// Applying what was read from Octane's config to the profile form: each value is offered with
// what the form holds now; values the admin already typed are not overwritten unless chosen.
import type { DatabaseConfig } from '@contract/profile.js';
import type { OctaneImportView } from '@contract/ui.js';
import { getIn, newEditorState, setIn, type EditorState } from '../profiles/editor-model.js';

export type DraftValue = OctaneImportView['draft'][string];

export interface ImportRow {
  key: string;
  value: DraftValue;
  /** What the form holds at this key now (undefined: nothing). */
  current: unknown;
  /** The form is empty here, or still shows the new-profile default: applying loses nothing typed. */
  untouched: boolean;
  /** Where the value came from ("setup.xml: ConnectionString, line 8"). */
  source?: string;
}

const ENGINE_DEFAULTS: Record<DatabaseConfig['engine'], DatabaseConfig> = {
  sqlserver: { engine: 'sqlserver', server: '', databases: [], serverBackupDir: '' },
  oracle: { engine: 'oracle', connectString: '', user: '', schemas: [], directory: 'DATA_PUMP_DIR' },
};

/** Which found keys (engine: OctaneConfigImport.found) a draft value was made from. */
const SOURCES_OF: Record<string, string[]> = {
  'database.engine': ['database.type', 'database.connectionString'],
  'database.user': ['database.adminUser'],
  'database.databases': ['database.siteSchema', 'database.sharedSpaceSchema'],
  'database.schemas': ['database.siteSchema', 'database.sharedSpaceSchema'],
  'database.connectString': [
    'database.connectionString',
    'database.server',
    'database.port',
    'database.serviceName',
    'database.sid',
  ],
  'elasticsearch.node': ['elasticsearch.host', 'elasticsearch.port'],
  'elasticsearch.nodes': ['elasticsearch.host', 'elasticsearch.port'],
};

const isEmpty = (v: unknown): boolean => v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

const baseName = (file: string): string => file.split(/[\\/]/).pop() ?? file;

export function sourceText(s: { file: string; key: string; line?: number }): string {
  return `${baseName(s.file)}: ${s.key}${s.line !== undefined ? `, line ${s.line}` : ''}`;
}

export function importRows(state: EditorState, view: OctaneImportView): ImportRow[] {
  const defaults = newEditorState().profile;
  return Object.entries(view.draft).map(([key, value]) => {
    const current = getIn(state.profile, key);
    const keys = SOURCES_OF[key] ?? [key];
    const found = view.found.filter((f) => keys.includes(f.key));
    const row: ImportRow = {
      key,
      value,
      current,
      untouched:
        isEmpty(current) ||
        JSON.stringify(current) === JSON.stringify(getIn(defaults, key)) ||
        JSON.stringify(current) === JSON.stringify(value),
    };
    if (found.length > 0) row.source = [...new Set(found.map((f) => sourceText(f.source)))].join('; ');
    else if (key === 'octaneConfigDir') row.source = 'the folder read';
    return row;
  });
}

/** The form with the chosen keys set from the import; a changed database engine starts that section afresh. */
export function applyImport(
  state: EditorState,
  view: OctaneImportView,
  keys: ReadonlySet<string>,
): EditorState {
  let profile = state.profile;
  const enabled = { ...state.enabled };
  const engine = view.draft['database.engine'];
  if (
    keys.has('database.engine') &&
    (engine === 'sqlserver' || engine === 'oracle') &&
    profile.database?.engine !== engine
  )
    profile = { ...profile, database: structuredClone(ENGINE_DEFAULTS[engine]) };
  for (const [key, value] of Object.entries(view.draft)) {
    if (!keys.has(key)) continue;
    profile = setIn(profile, key, Array.isArray(value) ? [...value] : value);
    const section = key.split('.')[0];
    if (section === 'database' || section === 'elasticsearch' || section === 'repository')
      enabled[section] = true;
  }
  return { ...state, profile, enabled };
}
