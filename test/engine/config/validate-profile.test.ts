import { describe, expect, it } from 'vitest';
import { ConfigError, validateProfile } from '../../../src-main/engine/config/validate-profile.js';
import { resolveSecrets, redact } from '../../../src-main/engine/config/resolve-secrets.js';

// These profiles are for the product's platform: Windows paths, validated as Windows validates them.
const WINDOWS = { platform: 'win32' } as const;

const base = {
  profile: 'nightly',
  destination: 'E:\\OctaneBackups',
  repository: { path: 'C:\\octane\\repo' },
};

function problems(input: unknown): { key: string; message: string }[] {
  try {
    validateProfile(input, WINDOWS);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('validateProfile', () => {
  it('accepts the documented example', () => {
    const p = validateProfile(
      {
        profile: 'nightly',
        destination: 'E:\\OctaneBackups',
        destinations: { database: 'F:\\db', elasticsearch: 'G:\\es', repository: 'E:\\repo' },
        skewToleranceSeconds: 900,
        database: {
          engine: 'sqlserver',
          server: 'sql1',
          databases: ['octane_site'],
          serverBackupDir: 'D:\\Backups',
          passwordEnv: 'OCTANE_DB_PASSWORD',
        },
        elasticsearch: { node: 'http://127.0.0.1:9200', repository: 'octane_backup', location: '/mnt/es' },
        repository: { path: 'C:\\octane\\repo', format: 'zip', compression: 'fast' },
      },
      WINDOWS,
    );
    expect(p.profile).toBe('nightly');
  });

  it('names each wrong key with what it must be', () => {
    const got = problems({
      ...base,
      profile: 'bad/name',
      skewToleranceSeconds: -1,
      repository: { path: '', format: 'rar', compresion: 'fast' },
      database: { engine: 'postgres' },
    });
    const keys = got.map((p) => p.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'profile',
        'skewToleranceSeconds',
        'repository.path',
        'repository.format',
        'repository.compresion',
        'database.engine',
      ]),
    );
    expect(got.find((p) => p.key === 'repository.format')?.message).toBe(
      'must be one of "zip", "tar", "tar.gz".',
    );
    expect(got.find((p) => p.key === 'database.engine')?.message).toMatch(/sqlserver.*oracle/);
    expect(got.find((p) => p.key === 'repository.compresion')?.message).toMatch(/not a known setting/);
  });

  it('requires the server-side backup folder and the databases for SQL Server', () => {
    const got = problems({ ...base, database: { engine: 'sqlserver', server: 'x', port: 70000 } });
    expect(got.map((p) => p.key).sort()).toEqual([
      'database.databases',
      'database.port',
      'database.serverBackupDir',
    ]);
  });

  it('refuses a profile that configures nothing to back up', () => {
    expect(problems({ profile: 'p', destination: 'E:\\x' }).map((p) => p.key)).toEqual(['(root)']);
  });

  it('refuses both password and passwordEnv', () => {
    const got = problems({
      ...base,
      elasticsearch: {
        node: 'http://h:9200',
        repository: 'r',
        location: '/l',
        password: 'a',
        passwordEnv: 'B',
      },
    });
    expect(got.map((p) => p.key)).toEqual(['elasticsearch.password']);
  });
});

describe('resolveSecrets', () => {
  const p = validateProfile(
    {
      ...base,
      database: {
        engine: 'oracle',
        connectString: 'h:1521/s',
        user: 'u',
        schemas: ['S'],
        passwordEnv: 'DBPW',
      },
    },
    WINDOWS,
  );

  it('reads passwords from the environment variable the profile names', () => {
    expect(resolveSecrets(p, { DBPW: 'pw-from-env' }).databasePassword).toBe('pw-from-env');
  });

  it('names the missing variable and the key that refers to it', () => {
    expect(() => resolveSecrets(p, {})).toThrow(
      /database\.passwordEnv: names the environment variable DBPW, which is not set/,
    );
  });

  it('prefers secrets handed over by the app', () => {
    expect(resolveSecrets(p, {}, { databasePassword: 'from-store' }).databasePassword).toBe('from-store');
  });

  it('redacts secret values from text', () => {
    expect(redact('login failed for pw-from-env', { databasePassword: 'pw-from-env' })).toBe(
      'login failed for ***',
    );
  });
});
