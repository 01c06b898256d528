// The validator as it was before the profile schema (commit 36cb4e4), frozen as a test oracle: the
// schema-driven validator must give the very same problems (key and exact message) for every input
// in the differential test, apart from the few refusals the schema added on purpose (listed there).
// Changes to the frozen copy: repository.allowEmpty (a boolean), added to the profile in parallel, and
// the repository's capture keys (capture, snapshotMethod, snapshotDir, lvmSnapshotSize), added later.
import {
  ARCHIVE_FORMATS,
  CAPTURE_MODES,
  COMPONENT_IDS,
  COMPRESSION_LEVELS,
  SNAPSHOT_METHODS,
} from '../../../src-main/contract/profile.js';

export interface LegacyProblem {
  key: string;
  message: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Profile names become folder names on removable drives: keep them portable. */
const PROFILE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f]/;
const hasControlChar = (v: string): boolean => CONTROL_CHARS.test(v);

class Checker {
  readonly problems: LegacyProblem[] = [];
  constructor(private readonly root: Obj) {}

  add(key: string, message: string): void {
    this.problems.push({ key, message });
  }

  get(path: string): unknown {
    let cur: unknown = this.root;
    for (const part of path.split('.')) {
      if (!isObj(cur)) return undefined;
      cur = cur[part];
    }
    return cur;
  }

  string(path: string, required: boolean, hint = ''): void {
    const v = this.get(path);
    if (v === undefined) {
      if (required) this.add(path, `is required${hint ? ` (${hint})` : ''}.`);
      return;
    }
    if (typeof v !== 'string' || v.trim() === '')
      this.add(path, `must be a non-empty string${hint ? ` (${hint})` : ''}.`);
    // "C:\backups" in JSON is "C:" + backspace + "ackups": a classic silent mistake.
    else if (hasControlChar(v))
      this.add(
        path,
        'contains a control character: in JSON, write each backslash of a Windows path twice ("C:\\\\backups").',
      );
  }

  bool(path: string): void {
    const v = this.get(path);
    if (v !== undefined && typeof v !== 'boolean') this.add(path, 'must be true or false.');
  }

  int(path: string, min: number, max: number): void {
    const v = this.get(path);
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      this.add(path, `must be a whole number from ${min} to ${max}.`);
  }

  number(path: string, min: number): void {
    const v = this.get(path);
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min)
      this.add(path, `must be a number of at least ${min}.`);
  }

  oneOf(path: string, values: readonly string[]): void {
    const v = this.get(path);
    if (v === undefined) return;
    if (typeof v !== 'string' || !values.includes(v))
      this.add(path, `must be one of ${values.map((x) => `"${x}"`).join(', ')}.`);
  }

  stringArray(path: string, required: boolean, hint = ''): void {
    const v = this.get(path);
    if (v === undefined) {
      if (required) this.add(path, `is required${hint ? ` (${hint})` : ''}.`);
      return;
    }
    if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || x.trim() === ''))
      this.add(path, `must be a non-empty list of names${hint ? ` (${hint})` : ''}.`);
  }

  unknownKeys(path: string, allowed: readonly string[]): void {
    const v = path === '' ? this.root : this.get(path);
    if (!isObj(v)) return;
    for (const k of Object.keys(v)) {
      if (!allowed.includes(k)) {
        const full = path ? `${path}.${k}` : k;
        this.add(full, `is not a known setting (known: ${allowed.join(', ')}). Check its spelling.`);
      }
    }
  }

  secret(path: string): void {
    const pwd = this.get(`${path}.password`);
    const env = this.get(`${path}.passwordEnv`);
    if (pwd !== undefined && env !== undefined)
      this.add(`${path}.password`, 'give either password or passwordEnv, not both.');
    this.string(`${path}.passwordEnv`, false, 'the name of an environment variable');
  }
}

const TOP_KEYS = [
  'profile',
  'destination',
  'destinations',
  'skewToleranceSeconds',
  'database',
  'elasticsearch',
  'repository',
  'schedule',
  // Issue 14: the weekly rehearsal's schedule (validated by the schema only).
  'rehearsal',
  'retention',
  'octaneConfigDir',
  'octaneConfigFiles',
  'octaneService',
  'octaneUrl',
  'alerts',
  // Settings added after the schema replaced this validator (issue 11): known keys, nothing more here.
  'verifyAfterRun',
  'sealKeyEnv',
  // Issue 18: removable-drive rotation (validated by the schema only).
  'rotation',
  '$schema',
  'comment',
] as const;

export function legacyProblems(input: unknown): LegacyProblem[] {
  if (!isObj(input)) return [{ key: '(root)', message: 'must be a JSON object.' }];
  const c = new Checker(input);
  c.unknownKeys('', TOP_KEYS);
  c.string('profile', true, 'a short name such as "nightly"');
  const name = c.get('profile');
  if (typeof name === 'string' && name.trim() !== '' && !PROFILE_NAME_PATTERN.test(name))
    c.add(
      'profile',
      'may use letters, digits, space, dot, dash and underscore only (it becomes a folder name).',
    );
  c.string('destination', true, 'the folder or drive the sets are written to');
  const dests = c.get('destinations');
  if (dests !== undefined) {
    if (!isObj(dests)) c.add('destinations', 'must be an object such as { "database": "F:\\\\db" }.');
    else {
      c.unknownKeys('destinations', COMPONENT_IDS);
      for (const id of COMPONENT_IDS) c.string(`destinations.${id}`, false);
    }
  }
  c.number('skewToleranceSeconds', 0);

  const db = c.get('database');
  if (db !== undefined) {
    if (!isObj(db)) c.add('database', 'must be an object.');
    else if (db.engine === 'sqlserver') {
      c.unknownKeys('database', [
        'engine',
        'server',
        'port',
        'instance',
        'user',
        'password',
        'passwordEnv',
        'domain',
        'encrypt',
        'trustServerCertificate',
        'databases',
        'serverBackupDir',
        'copyFrom',
        'deleteServerCopy',
        'verify',
        'rehearsalDir',
      ]);
      c.string('database.server', true, 'the SQL Server host name');
      c.int('database.port', 1, 65535);
      c.string('database.instance', false);
      if (db.port !== undefined && db.instance !== undefined)
        c.add('database.instance', 'give either port or instance, not both.');
      c.string('database.user', false);
      c.string('database.domain', false);
      c.secret('database');
      c.bool('database.encrypt');
      c.bool('database.trustServerCertificate');
      c.stringArray('database.databases', true, 'the Octane site and space databases to back up');
      c.string('database.serverBackupDir', true, 'a folder on the SQL Server host or a UNC share');
      c.string('database.copyFrom', false);
      c.bool('database.deleteServerCopy');
      c.bool('database.verify');
      c.string('database.rehearsalDir', false, 'a folder on the SQL Server host for rehearsal databases');
    } else if (db.engine === 'oracle') {
      c.unknownKeys('database', [
        'engine',
        'connectString',
        'user',
        'password',
        'passwordEnv',
        'schemas',
        'directory',
        'copyFrom',
        'fileSize',
        'deleteServerCopy',
      ]);
      c.string('database.connectString', true, 'host:port/service');
      c.string('database.user', true);
      c.secret('database');
      c.stringArray('database.schemas', true, 'the Octane site and space schemas to export');
      c.string('database.directory', false, 'an Oracle DIRECTORY object name');
      c.string('database.copyFrom', false);
      const fs = c.get('database.fileSize');
      if (fs !== undefined && (typeof fs !== 'string' || !/^\d+[KMGT]?B?$/i.test(fs)))
        c.add('database.fileSize', 'must be a size such as "2G" or "500M".');
      c.bool('database.deleteServerCopy');
    } else {
      c.add('database.engine', 'must be "sqlserver" or "oracle" (Octane supports only these two).');
    }
  }

  const es = c.get('elasticsearch');
  if (es !== undefined) {
    if (!isObj(es)) c.add('elasticsearch', 'must be an object.');
    else {
      c.unknownKeys('elasticsearch', [
        'node',
        'nodes',
        'username',
        'password',
        'passwordEnv',
        'apiKeyEnv',
        'caFile',
        'caFingerprint',
        'insecureSkipVerify',
        'repository',
        'location',
        'indices',
        'allowPartial',
        'copyFrom',
        'keepSnapshots',
        'restoreLocation',
        'restoreCopyFrom',
      ]);
      if (es.node === undefined && es.nodes === undefined)
        c.add('elasticsearch.node', 'is required (for example "http://127.0.0.1:9200").');
      c.string('elasticsearch.node', false);
      for (const key of ['node'] as const) {
        const v = es[key];
        if (typeof v === 'string' && !/^https?:\/\//.test(v))
          c.add(`elasticsearch.${key}`, 'must start with http:// or https://.');
      }
      if (es.nodes !== undefined) c.stringArray('elasticsearch.nodes', false);
      c.string('elasticsearch.username', false);
      c.secret('elasticsearch');
      c.string('elasticsearch.apiKeyEnv', false);
      c.string('elasticsearch.caFile', false);
      c.string('elasticsearch.caFingerprint', false);
      c.bool('elasticsearch.insecureSkipVerify');
      c.string('elasticsearch.repository', true, 'the snapshot repository name, e.g. "octane_backup"');
      c.string('elasticsearch.location', true, 'the repository folder as the Elasticsearch nodes see it');
      if (es.indices !== undefined) c.stringArray('elasticsearch.indices', false);
      c.bool('elasticsearch.allowPartial');
      c.string('elasticsearch.copyFrom', false);
      c.int('elasticsearch.keepSnapshots', 1, 10_000);
      c.string('elasticsearch.restoreLocation', false);
      c.string('elasticsearch.restoreCopyFrom', false);
    }
  }

  const repo = c.get('repository');
  if (repo !== undefined) {
    if (!isObj(repo)) c.add('repository', 'must be an object.');
    else {
      c.unknownKeys('repository', [
        'path',
        'format',
        'compression',
        'allowEmpty',
        'capture',
        'snapshotMethod',
        'snapshotDir',
        'lvmSnapshotSize',
      ]);
      c.bool('repository.allowEmpty');
      c.oneOf('repository.capture', CAPTURE_MODES);
      c.oneOf('repository.snapshotMethod', SNAPSHOT_METHODS);
      c.string('repository.snapshotDir', false);
      c.string('repository.path', true, "Octane's repository folder, e.g. C:\\octane\\repo");
      c.oneOf('repository.format', ARCHIVE_FORMATS);
      c.oneOf('repository.compression', COMPRESSION_LEVELS);
      if (repo.format === 'tar' && repo.compression !== undefined && repo.compression !== 'none')
        c.add('repository.compression', 'a plain "tar" is not compressed: use format "tar.gz" to compress.');
    }
  }
  if (db === undefined && es === undefined && repo === undefined)
    c.add('(root)', 'configure at least one of database, elasticsearch, repository.');

  const sch = c.get('schedule');
  if (sch !== undefined) {
    if (!isObj(sch)) c.add('schedule', 'must be an object.');
    else {
      c.unknownKeys('schedule', ['targetIntervalHours', 'quietWindow']);
      c.number('schedule.targetIntervalHours', 0.25);
      if (sch.targetIntervalHours === undefined)
        c.add('schedule.targetIntervalHours', 'is required (e.g. 24).');
      const qw = sch.quietWindow;
      if (qw !== undefined) {
        const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
        if (!isObj(qw)) c.add('schedule.quietWindow', 'must be { "start": "HH:MM", "end": "HH:MM" }.');
        else
          for (const k of ['start', 'end'] as const)
            if (typeof qw[k] !== 'string' || !hhmm.test(qw[k]))
              c.add(`schedule.quietWindow.${k}`, 'must be a time "HH:MM" (24-hour clock).');
      }
    }
  }
  const ret = c.get('retention');
  if (ret !== undefined) {
    if (!isObj(ret)) c.add('retention', 'must be an object.');
    else {
      c.unknownKeys('retention', ['keepLast', 'keepDays', 'pruneAfterRun']);
      c.int('retention.keepLast', 1, 100_000);
      c.number('retention.keepDays', 0);
      c.bool('retention.pruneAfterRun');
    }
  }
  c.string('octaneConfigDir', false);
  if (c.get('octaneConfigFiles') !== undefined)
    c.stringArray('octaneConfigFiles', false, 'paths of more Octane config files');
  const alerts = c.get('alerts');
  if (alerts !== undefined) {
    if (!isObj(alerts)) c.add('alerts', 'must be an object such as { "eventLog": true }.');
    else {
      c.unknownKeys('alerts', ['eventLog', 'email', 'rehearsalMaxAgeDays']);
      c.bool('alerts.eventLog');
      if (alerts.rehearsalMaxAgeDays !== undefined) c.number('alerts.rehearsalMaxAgeDays', 1);
      const mail = alerts.email;
      if (mail !== undefined) {
        if (!isObj(mail)) c.add('alerts.email', 'must be an object with host, from, to and when.');
        else {
          c.unknownKeys('alerts.email', [
            'host',
            'port',
            'secure',
            'user',
            'passwordEnv',
            'from',
            'to',
            'when',
            'caFile',
          ]);
          c.string('alerts.email.host', true, 'the SMTP server name');
          c.int('alerts.email.port', 1, 65535);
          c.bool('alerts.email.secure');
          c.string('alerts.email.user', false);
          c.string('alerts.email.passwordEnv', false, 'the name of an environment variable');
          c.string('alerts.email.from', true, 'the sender address');
          c.stringArray('alerts.email.to', true, 'the recipient addresses');
          c.oneOf('alerts.email.when', ['failure', 'warnings', 'always']);
          if (mail.when === undefined)
            c.add('alerts.email.when', 'is required: "failure", "warnings" or "always".');
          c.string('alerts.email.caFile', false, 'a PEM file');
        }
      }
    }
  }

  return c.problems;
}
