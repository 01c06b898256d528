// The schema-driven validator: each rule's exact message with the field's label, and a setting
// added to the schema is validated and typed without any change to the validator.
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import {
  PROFILE_RULES,
  profileFileSchema,
  repositorySchema,
} from '../../../src-main/contract/profile-schema.js';
import { fieldMeta, flag, section } from '../../../src-main/contract/schema-kit.js';
import {
  ConfigError,
  validateAgainst,
  validateProfile,
  type ConfigProblem,
} from '../../../src-main/engine/config/validate-profile.js';

// These profiles are for the product's platform: Windows paths, validated as Windows validates them.
const WINDOWS = { platform: 'win32' } as const;

const base = {
  profile: 'nightly',
  destination: 'E:\\OctaneBackups',
  repository: { path: 'C:\\octane\\repo' },
};
const sql = { engine: 'sqlserver', server: 'sql1', databases: ['octane_site'], serverBackupDir: 'D:\\bak' };
const es = { node: 'http://127.0.0.1:9200', repository: 'octane_backup', location: '/mnt/es' };

function problems(
  input: unknown,
  validate: (i: unknown) => unknown = (i) => validateProfile(i, WINDOWS),
): ConfigProblem[] {
  try {
    validate(input);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

const KNOWN_TOP =
  'profile, destination, destinations, skewToleranceSeconds, database, elasticsearch, repository, schedule, rehearsal, retention, octaneConfigDir, octaneConfigFiles, octaneService, octaneUrl, alerts, verifyAfterRun, sealKeyEnv, rotation, $schema, comment';

// [what, input, the exact problems]
const RULES: [string, unknown, [key: string, message: string, label: string][]][] = [
  ['a file that is not an object', ['x'], [['(root)', 'must be a JSON object.', 'Profile']]],
  [
    'a misspelt top-level key',
    { ...base, destinaton: 'x' },
    [['destinaton', `is not a known setting (known: ${KNOWN_TOP}). Check its spelling.`, 'destinaton']],
  ],
  [
    'a missing required text, with what it is',
    { ...base, database: { ...sql, server: undefined } },
    [['database.server', 'is required (the SQL Server host name).', 'SQL Server host']],
  ],
  [
    'a blank text',
    { ...base, destination: '  ' },
    [
      [
        'destination',
        'must be a non-empty string (the folder or drive the sets are written to).',
        'Destination',
      ],
    ],
  ],
  [
    'a single backslash in a Windows path',
    { ...base, repository: { path: 'C:\backups' } },
    [
      [
        'repository.path',
        'contains a control character: in JSON, write each backslash of a Windows path twice ("C:\\\\backups").',
        "Octane's repository folder",
      ],
    ],
  ],
  [
    'a profile name that cannot be a folder name',
    { ...base, profile: 'a/b' },
    [
      [
        'profile',
        'may use letters, digits, space, dot, dash and underscore only (it becomes a folder name).',
        'Name',
      ],
    ],
  ],
  [
    'a port out of range',
    { ...base, database: { ...sql, port: 70000 } },
    [['database.port', 'must be a whole number from 1 to 65535.', 'SQL Server port']],
  ],
  [
    'port and instance together',
    { ...base, database: { ...sql, port: 1433, instance: 'OCTANE' } },
    [['database.instance', 'give either port or instance, not both.', 'Instance']],
  ],
  [
    'password and passwordEnv together',
    { ...base, database: { ...sql, password: 'p', passwordEnv: 'P' } },
    [['database.password', 'give either password or passwordEnv, not both.', 'Database password']],
  ],
  [
    'an unknown engine',
    { ...base, database: { engine: 'postgres' } },
    [['database.engine', 'must be "sqlserver" or "oracle" (Octane supports only these two).', 'Engine']],
  ],
  [
    'a key of the other engine',
    { ...base, database: { ...sql, schemas: ['S'] } },
    [
      [
        'database.schemas',
        'is not a known setting (known: engine, server, port, instance, user, password, passwordEnv, domain, encrypt, trustServerCertificate, databases, serverBackupDir, copyFrom, deleteServerCopy, verify, rehearsalDir). Check its spelling.',
        // A key of the other engine has that engine's label.
        'Schemas to export',
      ],
    ],
  ],
  [
    'an empty list of databases (one problem for the list)',
    { ...base, database: { ...sql, databases: ['', ' '] } },
    [
      [
        'database.databases',
        'must be a non-empty list of names (the Octane site and space databases to back up).',
        'Databases to back up',
      ],
    ],
  ],
  [
    'an Oracle dump size in the wrong form',
    {
      ...base,
      database: { engine: 'oracle', connectString: 'h:1521/s', user: 'u', schemas: ['S'], fileSize: '2 GB' },
    },
    [['database.fileSize', 'must be a size such as "2G" or "500M".', 'Dump file size']],
  ],
  [
    'neither node nor nodes',
    { ...base, elasticsearch: { ...es, node: undefined } },
    [['elasticsearch.node', 'is required (for example "http://127.0.0.1:9200").', 'URL']],
  ],
  [
    'a node without http',
    { ...base, elasticsearch: { ...es, node: 'es1:9200' } },
    [['elasticsearch.node', 'must start with http:// or https://.', 'URL']],
  ],
  [
    'an archive format that does not exist',
    { ...base, repository: { path: 'C:\\r', format: 'rar' } },
    [['repository.format', 'must be one of "zip", "tar", "tar.gz".', 'Archive format']],
  ],
  [
    'a compressed plain tar',
    { ...base, repository: { path: 'C:\\r', format: 'tar', compression: 'fast' } },
    [
      [
        'repository.compression',
        'a plain "tar" is not compressed: use format "tar.gz" to compress.',
        'Compression',
      ],
    ],
  ],
  [
    'repository.allowEmpty that is not a boolean',
    { ...base, repository: { path: 'C:\\r', allowEmpty: 'yes' } },
    [['repository.allowEmpty', 'must be true or false.', 'The repository folder may be empty']],
  ],
  [
    'nothing to back up',
    { profile: 'p', destination: 'E:\\d' },
    [['(root)', 'configure at least one of database, elasticsearch, repository.', 'Profile']],
  ],
  [
    'a schedule without its interval',
    { ...base, schedule: {} },
    [['schedule.targetIntervalHours', 'is required (e.g. 24).', 'Tolerated data loss (hours)']],
  ],
  [
    'an interval below a quarter hour',
    { ...base, schedule: { targetIntervalHours: 0.1 } },
    [['schedule.targetIntervalHours', 'must be a number of at least 0.25.', 'Tolerated data loss (hours)']],
  ],
  [
    'a quiet window with a bad time and a missing one',
    { ...base, schedule: { targetIntervalHours: 24, quietWindow: { start: '24:00' } } },
    [
      ['schedule.quietWindow.start', 'must be a time "HH:MM" (24-hour clock).', 'Window starts'],
      ['schedule.quietWindow.end', 'must be a time "HH:MM" (24-hour clock).', 'Window ends'],
    ],
  ],
  [
    'a misspelt key in the quiet window (refused now; it used to be ignored)',
    {
      ...base,
      schedule: { targetIntervalHours: 24, quietWindow: { start: '22:00', end: '05:00', ende: 'x' } },
    },
    [
      [
        'schedule.quietWindow.ende',
        'is not a known setting (known: start, end). Check its spelling.',
        'schedule.quietWindow.ende',
      ],
    ],
  ],
  [
    'a password that is not a string (refused now; it used to reach the driver)',
    { ...base, database: { ...sql, password: 1234 } },
    [['database.password', 'must be a string.', 'Database password']],
  ],
  [
    'e-mail without when',
    { ...base, alerts: { email: { host: 'h', from: 'a@x', to: ['b@x'] } } },
    [['alerts.email.when', 'is required: "failure", "warnings" or "always".', 'Send when']],
  ],
  [
    'alerts.email that is not an object',
    { ...base, alerts: { email: true } },
    [['alerts.email', 'must be an object with host, from, to and when.', 'Send e-mail alerts']],
  ],
  [
    'destinations that is not an object',
    { ...base, destinations: 'F:\\db' },
    [
      [
        'destinations',
        'must be an object such as { "database": "F:\\\\db" }.',
        'A separate destination for each component',
      ],
    ],
  ],
  ['$schema and comment at the top', { ...base, $schema: './profile.schema.json', comment: { any: 1 } }, []],
];

describe('validateProfile: each rule, word for word, with the field label', () => {
  for (const [what, input, expected] of RULES)
    it(what, () => {
      expect(problems(input)).toEqual(expected.map(([key, message, label]) => ({ key, message, label })));
    });

  it('never passes on a library default message', () => {
    const all = RULES.flatMap(([, input]) => problems(input)).map((p) => p.message);
    expect(all.join('\n')).not.toMatch(/Invalid|Unrecognized|expected/);
  });

  it('words an issue of a field declared without the kit plainly, not as the library would', () => {
    const raw = section(
      {
        ...profileFileSchema.shape,
        skewToleranceSeconds: z.number().register(fieldMeta, { label: 'Skew' }).optional(),
      },
      { label: 'Profile' },
    );
    expect(
      problems({ ...base, skewToleranceSeconds: 'x' }, (i) => validateAgainst(raw, PROFILE_RULES, i)),
    ).toEqual([{ key: 'skewToleranceSeconds', message: 'is not valid.', label: 'Skew' }]);
  });

  it('returns the profile typed and unchanged', () => {
    const input = { ...base, database: sql, $schema: './profile.schema.json' };
    expect(validateProfile(structuredClone(input), WINDOWS)).toEqual(input);
  });
});

describe('a setting added to the schema', () => {
  // What a new setting is: one more line in a section of contract/profile-schema.ts.
  const grownRepository = section(
    { ...repositorySchema.shape, followSymlinks: flag({ label: 'Follow symbolic links' }).optional() },
    { label: 'Repository folder' },
  );
  const grown = section(
    { ...profileFileSchema.shape, repository: grownRepository.optional() },
    { label: 'Profile' },
    'must be a JSON object.',
  );
  const validateGrown = (input: unknown) => validateAgainst(grown, PROFILE_RULES, input);

  it('is accepted and typed, with no change to the validator', () => {
    const p = validateGrown({ ...base, repository: { path: 'C:\\r', followSymlinks: true } });
    expectTypeOf(p.repository).toExtend<{ followSymlinks?: boolean | undefined } | undefined>();
    expectTypeOf<NonNullable<typeof p.repository>['followSymlinks']>().toEqualTypeOf<boolean | undefined>();
    expect(p.repository?.followSymlinks).toBe(true);
    // The shipped schema does not know it.
    expect(problems({ ...base, repository: { path: 'C:\\r', followSymlinks: true } })[0]?.key).toBe(
      'repository.followSymlinks',
    );
  });

  it('is checked with the same words, its label, and listed among the known keys', () => {
    expect(
      problems(
        { ...base, repository: { path: 'C:\\r', followSymlinks: 'yes', folowSymlinks: true } },
        validateGrown,
      ),
    ).toEqual([
      { key: 'repository.followSymlinks', message: 'must be true or false.', label: 'Follow symbolic links' },
      {
        key: 'repository.folowSymlinks',
        message:
          'is not a known setting (known: path, format, compression, allowEmpty, capture, snapshotMethod, snapshotDir, lvmSnapshotSize, followSymlinks). Check its spelling.',
        label: 'repository.folowSymlinks',
      },
    ]);
  });
});
