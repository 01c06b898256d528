// The profile form's state and its translation into the profile main validates and stores.
// Disabled sections keep what was typed (so a toggle is not destructive) but are not sent.
import {
  COMPONENT_IDS,
  DEFAULT_SKEW_TOLERANCE_SECONDS,
  type ComponentId,
  type Profile,
} from '@contract/profile.js';
import type {
  DestinationSlot,
  FieldProblem,
  ProfileRecord,
  SecretUpdate,
  VolumeBinding,
} from '@contract/ui.js';

export interface EditorState {
  /** The stored profile being edited; undefined for a new one. */
  original?: ProfileRecord;
  profile: Profile;
  enabled: Record<ComponentId, boolean>;
  /** One destination per component, so one lost drive does not lose everything. */
  perComponent: boolean;
  secrets: SecretUpdate;
  volumes: Partial<Record<DestinationSlot, VolumeBinding | null>>;
}

const DEFAULT_SECTIONS = {
  database: { engine: 'sqlserver', server: '', databases: [], serverBackupDir: '' },
  elasticsearch: { node: 'http://localhost:9200', repository: 'octane_backup', location: '' },
  repository: { path: '', format: 'tar.gz', compression: 'fast' },
} as const satisfies Pick<Required<Profile>, ComponentId>;

/**
 * Proposed for new profiles only, so sets do not pile up on the drive: the newest 7 complete sets are
 * kept, older ones deleted after each run that produced a complete set. A stored profile without
 * retention rules keeps meaning "keep everything".
 */
export const DEFAULT_RETENTION = { keepLast: 7, pruneAfterRun: true } as const;

export function newEditorState(): EditorState {
  return {
    profile: {
      profile: '',
      destination: '',
      skewToleranceSeconds: DEFAULT_SKEW_TOLERANCE_SECONDS,
      ...structuredClone(DEFAULT_SECTIONS),
      database: { ...DEFAULT_SECTIONS.database, databases: [] },
      retention: { ...DEFAULT_RETENTION },
    },
    enabled: { database: true, elasticsearch: true, repository: true },
    perComponent: false,
    secrets: {},
    volumes: {},
  };
}

export function editorFromRecord(rec: ProfileRecord): EditorState {
  const p = structuredClone(rec.profile);
  const enabled = Object.fromEntries(COMPONENT_IDS.map((id) => [id, p[id] !== undefined])) as Record<
    ComponentId,
    boolean
  >;
  const profile = {
    ...p,
    database: p.database ?? structuredClone(DEFAULT_SECTIONS.database),
    elasticsearch: p.elasticsearch ?? structuredClone(DEFAULT_SECTIONS.elasticsearch),
    repository: p.repository ?? structuredClone(DEFAULT_SECTIONS.repository),
  } as Profile;
  const perComponent = p.destinations !== undefined && Object.keys(p.destinations).length > 0;
  return { original: rec, profile, enabled, perComponent, secrets: {}, volumes: { ...rec.volumes } };
}

/** Immutable set of a dotted path ("database.server"); undefined removes the key. */
export function setIn<T extends object>(obj: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.');
  const key = head as string;
  const src = obj as Record<string, unknown>;
  const copy: Record<string, unknown> = { ...src };
  if (rest.length === 0) {
    if (value === undefined) delete copy[key];
    else copy[key] = value;
  } else {
    const child = src[key];
    copy[key] = setIn(typeof child === 'object' && child !== null ? child : {}, rest.join('.'), value);
  }
  return copy as T;
}

export function getIn(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Drops empty strings and empty lists (the form's "not given") recursively. */
function clean(v: unknown): unknown {
  if (Array.isArray(v)) {
    const a = v.map(clean).filter((x) => x !== undefined && x !== '');
    return a.length === 0 ? undefined : a;
  }
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const c = clean(x);
      if (c !== undefined) out[k] = c;
    }
    return out;
  }
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  return v;
}

/** The profile as it will be validated and saved. */
export function draftProfile(state: EditorState): Profile {
  const p = clean(state.profile) as Profile;
  for (const id of COMPONENT_IDS) if (!state.enabled[id]) delete p[id];
  if (!state.perComponent) delete p.destinations;
  else if (p.destinations) {
    for (const id of COMPONENT_IDS) if (!state.enabled[id]) delete p.destinations[id];
    if (Object.keys(p.destinations).length === 0) delete p.destinations;
  }
  // A rotation emptied in the form is no rotation (an empty one would be refused for its missing drives).
  if (p.rotation !== undefined && Object.keys(p.rotation).length === 0) delete p.rotation;
  // Required keys stay present (even empty) so validation names them.
  if (p.profile === undefined) (p as { profile: string }).profile = '';
  if (p.destination === undefined) (p as { destination: string }).destination = '';
  return p;
}

/** Bindings to send: only for slots still in use. */
export function draftVolumes(state: EditorState): Partial<Record<DestinationSlot, VolumeBinding | null>> {
  const out: Partial<Record<DestinationSlot, VolumeBinding | null>> = {};
  for (const [slot, b] of Object.entries(state.volumes) as [DestinationSlot, VolumeBinding | null][]) {
    const inUse = slot === 'default' || (state.perComponent && state.enabled[slot]);
    out[slot] = inUse ? b : null;
  }
  return out;
}

export function problemsByKey(problems: FieldProblem[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of problems) m.set(p.key, m.has(p.key) ? `${m.get(p.key)} ${p.message}` : p.message);
  return m;
}

/**
 * A problem listed apart from the fields (no field shows its key): named by its label, with the key
 * the config file uses ("The repository folder may be empty (repository.allowEmpty): must be true or
 * false."). A problem without a label, or whose label is its key, is named by its key.
 */
export function problemText(p: FieldProblem): string {
  const name =
    p.label === undefined || p.label === p.key
      ? p.key
      : p.key === '(root)'
        ? p.label
        : `${p.label} (${p.key})`;
  return `${name}: ${p.message}`;
}

/** Keys the form shows next to a field; the rest are listed at the top. */
export const FIELD_KEYS = new Set([
  'profile',
  'destination',
  'skewToleranceSeconds',
  'schedule.targetIntervalHours',
  'destinations.database',
  'destinations.elasticsearch',
  'destinations.repository',
  'database.engine',
  'database.server',
  'database.port',
  'database.instance',
  'database.user',
  'database.password',
  'database.domain',
  'database.databases',
  'database.serverBackupDir',
  'database.copyFrom',
  'database.connectString',
  'database.schemas',
  'database.directory',
  'database.fileSize',
  'elasticsearch.node',
  'elasticsearch.username',
  'elasticsearch.password',
  'elasticsearch.repository',
  'elasticsearch.location',
  'elasticsearch.copyFrom',
  'elasticsearch.indices',
  'elasticsearch.caFile',
  'elasticsearch.caFingerprint',
  'repository.path',
  'repository.format',
  'repository.compression',
  // Operations (src-renderer/src/screens/operations/).
  'schedule.quietWindow.start',
  'schedule.quietWindow.end',
  'retention.keepLast',
  'retention.keepDays',
  'alerts.email.host',
  'alerts.email.port',
  'alerts.email.user',
  'alerts.email.from',
  'alerts.email.to',
  'alerts.email.when',
  'alerts.email.caFile',
  'octaneService',
  'octaneUrl',
  // Drive rotation (rotation-section.tsx).
  'rotation.drives',
  'rotation.folder',
  'rotation.keepLast',
  'rotation.warnAfterDays',
  'rotation.exportAfterRun',
  'rotation.whenConnected',
  'rotation.minIntervalHours',
  'rotation.eject',
]);

/**
 * What Save would send, as text: two states with the same text have no edits between them (the
 * unsaved-changes guard compares against the stored record's). Secrets count as edits though they
 * are never shown again.
 */
export function editsOf(state: EditorState): string {
  return JSON.stringify({
    profile: draftProfile(state),
    secrets: state.secrets,
    volumes: draftVolumes(state),
  });
}
