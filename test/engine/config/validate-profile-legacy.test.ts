// Differential test: the schema-driven validator against the hand-written one it replaced, over
// every key of full profiles replaced by each kind of bad value, removed, or joined by a misspelt key.
import { describe, expect, it } from 'vitest';
import { PROFILE_RULES, profileFileSchema } from '../../../src-main/contract/profile-schema.js';
import { ConfigError, validateAgainst } from '../../../src-main/engine/config/validate-profile.js';
import { legacyProblems, type LegacyProblem } from './legacy-validate-profile.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const common = {
  profile: 'nightly',
  destination: 'E:\\OctaneBackups',
  destinations: { database: 'F:\\db', elasticsearch: 'G:\\es', repository: 'E:\\repo' },
  skewToleranceSeconds: 900,
  elasticsearch: {
    node: 'https://es1:9200',
    nodes: ['https://es1:9200', 'https://es2:9200'],
    username: 'elastic',
    passwordEnv: 'ES_PW',
    apiKeyEnv: 'ES_KEY',
    caFile: 'C:\\ca.pem',
    caFingerprint: 'AB:CD',
    insecureSkipVerify: false,
    repository: 'octane_backup',
    location: '/mnt/es',
    indices: ['octane_*'],
    allowPartial: false,
    copyFrom: '\\\\es1\\snapshots',
    keepSnapshots: 7,
  },
  repository: { path: 'C:\\octane\\repo', format: 'tar.gz', compression: 'fast', allowEmpty: false },
  schedule: { targetIntervalHours: 12, quietWindow: { start: '22:00', end: '05:00' } },
  retention: { keepLast: 7, keepDays: 30, pruneAfterRun: true },
  octaneConfigDir: 'C:\\octane\\conf',
  octaneConfigFiles: ['C:\\sync\\wrapper.conf'],
  alerts: {
    eventLog: true,
    email: {
      host: 'smtp.corp',
      port: 587,
      secure: false,
      user: 'alerts',
      passwordEnv: 'SMTP_PW',
      from: 'backup@corp',
      to: ['admin@corp'],
      when: 'warnings',
      caFile: 'C:\\smtp-ca.pem',
    },
  },
  $schema: './profile.schema.json',
  comment: 'test profile',
};
const sqlServer = {
  ...common,
  database: {
    engine: 'sqlserver',
    server: 'sql1',
    port: 1433,
    user: 'backup',
    passwordEnv: 'DB_PW',
    domain: 'CORP',
    encrypt: true,
    trustServerCertificate: true,
    databases: ['octane_site', 'octane_sp_1001'],
    serverBackupDir: 'D:\\Backups',
    copyFrom: '\\\\sql1\\Backups',
    deleteServerCopy: true,
    verify: true,
  },
};
const oracle = {
  ...common,
  database: {
    engine: 'oracle',
    connectString: 'db1:1521/OCTANE',
    user: 'system',
    passwordEnv: 'DB_PW',
    schemas: ['OCTANE_SITE', 'OCTANE_SP_1001'],
    directory: 'DATA_PUMP_DIR',
    copyFrom: '\\\\db1\\dpdump',
    fileSize: '2G',
    deleteServerCopy: false,
  },
};

const BAD_VALUES: unknown[] = [
  undefined,
  null,
  '',
  '   ',
  'x',
  'C:\backups',
  'tar',
  'sqlserver',
  'http://h:9200',
  '25:00',
  '07:30',
  0,
  -1,
  0.1,
  1.5,
  70_000,
  Number.NaN,
  true,
  [],
  [''],
  ['a', 5],
  ['a'],
  {},
  { start: '01:00' },
];

/** Every key path of a profile, depth first; objects' own paths included. */
function keyPaths(v: unknown, prefix: string[] = []): string[][] {
  if (!isObj(v)) return [];
  return Object.entries(v).flatMap(([k, child]) => [[...prefix, k], ...keyPaths(child, [...prefix, k])]);
}

function pick(root: Obj, path: string[]): unknown {
  let cur: unknown = root;
  for (const part of path) cur = isObj(cur) ? cur[part] : undefined;
  return cur;
}

function withValue(root: Obj, path: string[], value: unknown): Obj {
  const copy = structuredClone(root);
  let cur: Obj = copy;
  for (const part of path.slice(0, -1)) cur = cur[part] as Obj;
  const last = path.at(-1) as string;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return copy;
}

// The schema and its cross-key rules replaced the hand-written validator. Added on purpose after it,
// and proved in their own tests: the engine's rules (Elasticsearch naming, no credentials in node
// addresses: issue 12) and a platform's path checks (profilePathChecks: issue 11).
function schemaProblems(input: unknown): LegacyProblem[] {
  try {
    validateAgainst(profileFileSchema, PROFILE_RULES, input);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map(({ key, message }) => ({ key, message }));
  }
}

const sorted = (ps: LegacyProblem[]): string[] => ps.map((p) => `${p.key}: ${p.message}`).sort();

// Refusals the schema added on purpose (proved in validate-profile.test.ts): a password or $schema
// that is not a string (the old validator let `"password": 5` through to the driver), and a misspelt
// key inside schedule.quietWindow (the old one ignored it silently).
const PASSWORD_KEYS = new Set(['database.password', 'elasticsearch.password', '$schema']);
const addedOnPurpose = (key: string, value: unknown): boolean =>
  (PASSWORD_KEYS.has(key) && value !== undefined && typeof value !== 'string') ||
  key.startsWith('schedule.quietWindow.');

function cases(): { name: string; input: Obj }[] {
  const out: { name: string; input: Obj }[] = [];
  for (const [variant, root] of [
    ['sqlserver', sqlServer as Obj],
    ['oracle', oracle as Obj],
  ] as const) {
    const paths = keyPaths(root);
    for (const path of paths)
      for (const value of BAD_VALUES)
        if (!addedOnPurpose(path.join('.'), value))
          out.push({
            name: `${variant} ${path.join('.')} = ${JSON.stringify(value)}`,
            input: withValue(root, path, value),
          });
    // Into every object: a misspelt key, and a password (next to a passwordEnv, or where none belongs).
    for (const path of [[], ...paths.filter((p) => isObj(pick(root, p)))])
      for (const extra of ['colour', 'password'])
        if (!addedOnPurpose([...path, extra].join('.'), 'pw'))
          out.push({
            name: `${variant} ${extra} in ${path.join('.') || '(root)'}`,
            input: withValue(root, [...path, extra], 'pw'),
          });
  }
  return out;
}

describe('the schema-driven validator against the hand-written one it replaced', () => {
  const all = cases();

  it('covers every key with many bad values (a corpus that finds problems)', () => {
    expect(all.length).toBeGreaterThan(2000);
    expect(all.filter((c) => legacyProblems(c.input).length > 0).length).toBeGreaterThan(1000);
  });

  it('gives the same problems, key by key and word for word, for every case', () => {
    const differ = all
      .map((c) => ({
        name: c.name,
        old: sorted(legacyProblems(c.input)),
        now: sorted(schemaProblems(c.input)),
      }))
      .filter((d) => JSON.stringify(d.old) !== JSON.stringify(d.now));
    expect(differ.slice(0, 5)).toEqual([]);
  });

  it('accepts both full profiles, with $schema and comment', () => {
    expect(schemaProblems(sqlServer)).toEqual([]);
    expect(schemaProblems(oracle)).toEqual([]);
  });
});
