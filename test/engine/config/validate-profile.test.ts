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

describe('validateProfile: paths this computer opens (issue 11, config traps)', () => {
  const linux = { platform: 'linux' } as const;
  const keysAndMessages = (input: unknown, opts: { platform: NodeJS.Platform }) => {
    try {
      validateProfile(input, opts);
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems.map((p) => `${p.key}: ${p.message}`);
      throw err;
    }
  };

  it('refuses relative paths on either platform, with the reason', () => {
    const got = keysAndMessages(
      {
        profile: 'n',
        destination: 'backups',
        repository: { path: 'repo' },
        octaneConfigFiles: ['conf/x.conf'],
      },
      linux,
    );
    expect(got).toEqual([
      'destination: "backups" is a relative path: give the full path (a scheduled task starts in "/", so a relative path would land anywhere).',
      'repository.path: "repo" is a relative path: give the full path (a scheduled task starts in "/", so a relative path would land anywhere).',
      'octaneConfigFiles: "conf/x.conf" is a relative path: give the full path (a scheduled task starts in "/", so a relative path would land anywhere).',
    ]);
    expect(
      keysAndMessages({ profile: 'n', destination: 'backups', repository: { path: 'C:\\r' } }, WINDOWS),
    ).toEqual([
      'destination: "backups" is a relative path: give the full path with its drive letter or a UNC path (a scheduled task starts in System32, so a relative path would land there).',
    ]);
  });

  it('refuses a path of the other platform with a clear message, and judges only the paths this computer opens', () => {
    expect(
      keysAndMessages({ profile: 'n', destination: 'E:\\OctaneBackups', repository: { path: '/r' } }, linux),
    ).toEqual([
      'destination: "E:\\OctaneBackups" is a Windows path, but this computer runs Linux or macOS: give the folder as this computer sees it (for example a mount point such as /mnt/backups).',
    ]);
    expect(keysAndMessages({ ...base, destination: '/mnt/backups' }, WINDOWS)[0]).toMatch(
      /^destination: "\/mnt\/backups" is a Linux\/Unix path, but this computer runs Windows/,
    );
    expect(keysAndMessages({ ...base, destination: 'C:backups' }, WINDOWS)[0]).toMatch(
      /names a drive without a folder separator/,
    );
    expect(keysAndMessages({ ...base, destination: '\\backups' }, WINDOWS)[0]).toMatch(
      /starts at the root of the current drive/,
    );
    // UNC paths are absolute on Windows.
    expect(keysAndMessages({ ...base, destination: '\\\\nas\\backups' }, WINDOWS)).toEqual([]);
    // The database server and the Elasticsearch nodes open their own paths: never judged here.
    const remote = {
      profile: 'n',
      destination: '/b',
      database: { engine: 'sqlserver', server: 's', databases: ['d'], serverBackupDir: 'D:\\SQLBackups' },
      elasticsearch: { node: 'http://h:9200', repository: 'r', location: 'D:\\es-snapshots' },
    };
    expect(keysAndMessages(remote, linux)).toEqual([]);
  });

  it('refuses a drive root or a system folder as the repository, and a destination inside the repository', () => {
    for (const path of ['/', '/proc', '/etc/'])
      expect(keysAndMessages({ profile: 'n', destination: '/b', repository: { path } }, linux)[0]).toMatch(
        /is the root of a drive or a system folder/,
      );
    for (const path of ['C:\\', 'c:/', 'C:\\Windows'])
      expect(keysAndMessages({ ...base, repository: { path } }, WINDOWS)[0]).toMatch(
        /is the root of a drive or a system folder/,
      );
    expect(
      keysAndMessages(
        {
          ...base,
          destination: 'c:\\OCTANE\\repo\\backups',
          destinations: { repository: 'C:\\octane\\repo' },
          repository: { path: 'C:\\octane\\repo' },
        },
        WINDOWS,
      ),
    ).toEqual([
      'destination: "c:\\OCTANE\\repo\\backups" is inside the repository folder C:\\octane\\repo: every set would be archived into the next one. Choose a destination outside it.',
      'destinations.repository: "C:\\octane\\repo" is inside the repository folder C:\\octane\\repo: every set would be archived into the next one. Choose a destination outside it.',
    ]);
    // A sibling whose name starts alike is not inside.
    expect(keysAndMessages({ ...base, destination: 'C:\\octane\\repo-backups' }, WINDOWS)).toEqual([]);
  });

  it('refuses doubled backslashes (JSON escaping typed by hand) in server and local paths, and keeps a UNC start', () => {
    const sql = { engine: 'sqlserver', server: 's', databases: ['d'] };
    expect(
      keysAndMessages(
        {
          ...base,
          destination: 'E:\\\\OctaneBackups',
          database: { ...sql, serverBackupDir: '\\\\\\\\fileserver\\\\sqlbackup' },
        },
        WINDOWS,
      ),
    ).toEqual([
      'destination: "E:\\\\OctaneBackups" has doubled backslashes: write one backslash between folders (E:\\OctaneBackups). Two are how a JSON file writes one.',
      'database.serverBackupDir: "\\\\\\\\fileserver\\\\sqlbackup" has doubled backslashes: write one backslash between folders (\\\\fileserver\\sqlbackup). Two are how a JSON file writes one.',
    ]);
    // Server paths are judged on Linux too; UNC and \\?\ starts are one separator, not a doubling.
    expect(
      keysAndMessages(
        {
          ...base,
          destination: '/b',
          repository: { path: '/srv/octane/repo' },
          database: { ...sql, serverBackupDir: 'D:\\\\SQLBackups' },
        },
        linux,
      ),
    ).toEqual([
      'database.serverBackupDir: "D:\\\\SQLBackups" has doubled backslashes: write one backslash between folders (D:\\SQLBackups). Two are how a JSON file writes one.',
    ]);
    expect(
      keysAndMessages(
        {
          ...base,
          destination: '\\\\?\\E:\\OctaneBackups',
          database: { ...sql, serverBackupDir: '\\\\fileserver\\sqlbackup' },
        },
        WINDOWS,
      ),
    ).toEqual([]);
  });

  it('refuses names Windows reserves for devices, and names ending in a dot or a space', () => {
    for (const name of ['CON', 'prn', 'Aux', 'NUL', 'nul.txt', 'COM1', 'com9', 'LPT1', 'lpt5.backup'])
      expect(keysAndMessages({ ...base, profile: name }, WINDOWS)).toEqual([
        'profile: is a device name Windows reserves (CON, PRN, AUX, NUL, COM1-COM9, LPT1-LPT9), so it cannot be a folder name.',
      ]);
    expect(keysAndMessages({ ...base, profile: 'nightly.' }, WINDOWS)[0]).toMatch(
      /must not end with a dot or a space/,
    );
    for (const ok of ['CONSOLE', 'nulls', 'COM10', 'com'])
      expect(keysAndMessages({ ...base, profile: ok }, WINDOWS)).toEqual([]);
  });
});
