// The profile schema is the one source of the profile's types, labels and JSON Schema.
// The expectTypeOf lines are checked by `tsc -p tsconfig.json` (part of `npm test`).
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod';
import type {
  AlertsConfig,
  ArchiveFormat,
  ComponentId,
  CompressionLevel,
  DatabaseConfig,
  ElasticsearchConfig,
  OracleConfig,
  Profile,
  RepositoryConfig,
  RetentionConfig,
  RehearsalScheduleConfig,
  RotationConfig,
  ScheduleConfig,
  SmtpAlertConfig,
  SqlServerConfig,
} from '../../src-main/contract/profile.js';
import {
  fieldHint,
  fieldLabel,
  fieldTexts,
  type ProfileKey,
} from '../../src-main/contract/profile-fields.js';
import { profileJsonSchema } from '../../src-main/contract/profile-json-schema.js';
import { profileFileSchema, type profileSchema } from '../../src-main/contract/profile-schema.js';
import { schemaFields } from '../../src-main/contract/schema-kit.js';

// The config as documented before the schema existed (the hand-written interfaces of
// contract/profile.ts), plus repository.allowEmpty and the capture keys (capture, snapshotMethod,
// snapshotDir, lvmSnapshotSize). The inferred types must be exactly these.
interface DocSqlServer {
  engine: 'sqlserver';
  server: string;
  port?: number;
  instance?: string;
  user?: string;
  password?: string;
  passwordEnv?: string;
  domain?: string;
  encrypt?: boolean;
  trustServerCertificate?: boolean;
  databases: string[];
  serverBackupDir: string;
  copyFrom?: string;
  deleteServerCopy?: boolean;
  verify?: boolean;
  rehearsalDir?: string;
}
interface DocOracle {
  engine: 'oracle';
  connectString: string;
  user: string;
  password?: string;
  passwordEnv?: string;
  schemas: string[];
  directory?: string;
  copyFrom?: string;
  fileSize?: string;
  deleteServerCopy?: boolean;
}
interface DocElasticsearch {
  node?: string;
  nodes?: string[];
  username?: string;
  password?: string;
  passwordEnv?: string;
  apiKeyEnv?: string;
  caFile?: string;
  caFingerprint?: string;
  insecureSkipVerify?: boolean;
  repository: string;
  location: string;
  indices?: string[];
  allowPartial?: boolean;
  copyFrom?: string;
  keepSnapshots?: number;
  restoreLocation?: string;
  restoreCopyFrom?: string;
}
interface DocRepository {
  path: string;
  format?: ArchiveFormat;
  compression?: CompressionLevel;
  allowEmpty?: boolean;
  capture?: 'bracketed' | 'snapshot' | 'sequential';
  snapshotMethod?: 'auto' | 'vss' | 'btrfs' | 'lvm';
  snapshotDir?: string;
  lvmSnapshotSize?: string;
}
interface DocSchedule {
  targetIntervalHours: number;
  quietWindow?: { start: string; end: string };
}
interface DocRetention {
  keepLast?: number;
  keepDays?: number;
  pruneAfterRun?: boolean;
}
interface DocSmtp {
  host: string;
  port?: number;
  secure?: boolean;
  user?: string;
  passwordEnv?: string;
  from: string;
  to: string[];
  when: 'failure' | 'warnings' | 'always';
  caFile?: string;
}
interface DocAlerts {
  eventLog?: boolean;
  email?: DocSmtp;
  rehearsalMaxAgeDays?: number;
}
interface DocRotation {
  drives: { id: string; name?: string }[];
  folder?: string;
  keepLast?: number;
  warnAfterDays?: number;
  exportAfterRun?: boolean;
  whenConnected?: 'backup' | 'export';
  minIntervalHours?: number;
  eject?: boolean;
}
type DocWeekday = 'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday';
interface DocRehearsalSchedule {
  day: DocWeekday;
  time: string;
}
interface DocRehearsal {
  schedule?: DocRehearsalSchedule;
}

interface DocProfile {
  profile: string;
  destination: string;
  destinations?: Partial<Record<ComponentId, string>>;
  skewToleranceSeconds?: number;
  database?: DocSqlServer | DocOracle;
  elasticsearch?: DocElasticsearch;
  repository?: DocRepository;
  schedule?: DocSchedule;
  retention?: DocRetention;
  rotation?: DocRotation;
  octaneConfigDir?: string;
  octaneConfigFiles?: string[];
  octaneService?: string;
  octaneUrl?: string;
  alerts?: DocAlerts;
  rehearsal?: DocRehearsal;
  verifyAfterRun?: boolean;
  sealKeyEnv?: string;
}

describe('types inferred from the profile schema', () => {
  it('equal the documented config, section by section', () => {
    expectTypeOf<SqlServerConfig>().toEqualTypeOf<DocSqlServer>();
    expectTypeOf<OracleConfig>().toEqualTypeOf<DocOracle>();
    expectTypeOf<DatabaseConfig>().toEqualTypeOf<DocSqlServer | DocOracle>();
    expectTypeOf<ElasticsearchConfig>().toEqualTypeOf<DocElasticsearch>();
    expectTypeOf<RepositoryConfig>().toEqualTypeOf<DocRepository>();
    expectTypeOf<ScheduleConfig>().toEqualTypeOf<DocSchedule>();
    expectTypeOf<RetentionConfig>().toEqualTypeOf<DocRetention>();
    expectTypeOf<SmtpAlertConfig>().toEqualTypeOf<DocSmtp>();
    expectTypeOf<AlertsConfig>().toEqualTypeOf<DocAlerts>();
    expectTypeOf<RotationConfig>().toEqualTypeOf<DocRotation>();
    expectTypeOf<RehearsalScheduleConfig>().toEqualTypeOf<DocRehearsalSchedule>();
    expectTypeOf<Profile>().toEqualTypeOf<DocProfile>();
    // The file may also hold $schema and comment; the engine's Profile does not carry them.
    expectTypeOf<z.output<typeof profileFileSchema>>().toExtend<Profile>();
    expectTypeOf<z.output<typeof profileSchema>>().toEqualTypeOf<Profile>();
  });

  it('name every key a profile can hold, and no other (ProfileKey)', () => {
    expectTypeOf<'database.server'>().toExtend<ProfileKey>();
    expectTypeOf<'database.connectString'>().toExtend<ProfileKey>();
    expectTypeOf<'alerts.email.when'>().toExtend<ProfileKey>();
    expectTypeOf<'schedule.quietWindow.start'>().toExtend<ProfileKey>();
    expectTypeOf<`destinations.${ComponentId}`>().toExtend<ProfileKey>();
    expectTypeOf<'database.sever'>().not.toExtend<ProfileKey>();
    expectTypeOf<'database.databases.0'>().not.toExtend<ProfileKey>();
    // Each runtime key is a ProfileKey: fieldLabel accepts it without a cast (checked at run time).
    for (const { key } of schemaFields(profileFileSchema)) expect(fieldLabel(key as ProfileKey)).not.toBe('');
  });
});

describe('labels from the profile schema', () => {
  const fields = schemaFields(profileFileSchema);

  it('every key of the schema has a label (sections, fields, both engines)', () => {
    expect(fields.length).toBeGreaterThan(70);
    expect(fields.filter((f) => !f.meta || f.meta.label.trim() === '').map((f) => f.key)).toEqual([]);
    // The walk reaches every level: nested sections, both engines' own keys, $schema and comment.
    const keys = new Set(fields.map((f) => f.key));
    for (const k of [
      'alerts.email.to',
      'schedule.quietWindow.end',
      'database.serverBackupDir',
      'database.schemas',
      'destinations.repository',
      'repository.allowEmpty',
      '$schema',
      'comment',
    ])
      expect(keys).toContain(k);
  });

  it('a key both engines have reads the same in both', () => {
    const byKey = new Map<string, string[]>();
    // Label and hint (what the form shows); a description may say what differs between engines.
    for (const f of fields)
      byKey.set(f.key, [...(byKey.get(f.key) ?? []), JSON.stringify([f.meta?.label, f.meta?.hint])]);
    const shared = [...byKey].filter(([, metas]) => metas.length > 1);
    expect(shared.map(([k]) => k).sort()).toEqual([
      'database.copyFrom',
      'database.deleteServerCopy',
      'database.engine',
      'database.password',
      'database.passwordEnv',
      'database.user',
    ]);
    for (const [key, metas] of shared)
      expect({ key, distinct: new Set(metas).size }).toEqual({ key, distinct: 1 });
  });

  it('no two fields of one section share a label (the form would show two alike)', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const f of fields) {
      const parent = f.key.split('.').slice(0, -1).join('.');
      const id = `${parent}\n${f.meta?.label}`;
      const other = seen.get(id);
      if (other !== undefined && other !== f.key) clashes.push(`${other} / ${f.key}`);
      seen.set(id, f.key);
    }
    expect(clashes).toEqual([]);
  });

  it('no two settings of the whole profile share a label (screen readers and the error summary name fields by it)', () => {
    const byLabel = new Map<string, Set<string>>();
    // A section's own label names a group, not a field: only leaves are compared.
    const leaves = fields.filter((f) => !fields.some((g) => g.key.startsWith(`${f.key}.`)));
    for (const f of leaves)
      byLabel.set(String(f.meta?.label), (byLabel.get(String(f.meta?.label)) ?? new Set()).add(f.key));
    const shared = [...byLabel]
      .filter(([, keys]) => keys.size > 1)
      .map(([l, keys]) => `${l}: ${[...keys].join(', ')}`);
    expect(shared).toEqual([]);
  });

  it('gives the form its label and hint by dotted key', () => {
    expect(fieldLabel('database.server')).toBe('SQL Server host');
    expect(fieldLabel('repository.allowEmpty')).toBe('The repository folder may be empty');
    expect(fieldLabel('alerts.email.host')).toBe('SMTP server');
    expect(fieldHint('elasticsearch.location')).toBe('As the nodes see it; it must be listed in path.repo.');
    expect(fieldHint('database.server')).toBeUndefined();
    expect(fieldTexts('database.sever')).toBeUndefined();
  });
});

describe('the JSON Schema for editors', () => {
  const generated = profileJsonSchema();

  it('is generated from the profile schema: the committed docs/profile.schema.json is current (npm run schema)', () => {
    expect(JSON.parse(readFileSync('docs/profile.schema.json', 'utf8'))).toEqual(generated);
  });

  it('carries titles, descriptions, enums, bounds and required keys, and refuses unknown keys', () => {
    const props = generated.properties as Record<string, Record<string, unknown>>;
    expect(generated.additionalProperties).toBe(false);
    expect(generated.required).toEqual(['profile', 'destination']);
    expect(Object.keys(props)).toContain('$schema');
    const repo = props.repository as { properties: Record<string, Record<string, unknown>> };
    expect(repo.properties.format).toMatchObject({ enum: ['zip', 'tar', 'tar.gz'], title: 'Archive format' });
    expect(repo.properties.allowEmpty).toMatchObject({
      type: 'boolean',
      title: 'The repository folder may be empty',
    });
    const db = props.database as {
      oneOf: { properties: Record<string, Record<string, unknown>>; required: string[] }[];
    };
    expect(db.oneOf[0]?.properties.port).toMatchObject({ type: 'integer', minimum: 1, maximum: 65535 });
    expect(db.oneOf[0]?.required).toEqual(['engine', 'server', 'databases', 'serverBackupDir']);
    expect(JSON.stringify(generated)).not.toMatch(/"(label|hint|what)":/);
  });
});
