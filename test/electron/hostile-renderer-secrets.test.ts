// The IPC handlers called the way a compromised renderer would call them: with the name of a
// saved profile (whose passwords sit in the secret store) and connection settings of its own.
// A stored secret, or an environment variable of the app, must never go anywhere but the
// server, user and TLS settings it was saved for.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  DatabaseConfig,
  ElasticsearchConfig,
  Profile,
  RunSecrets,
} from '../../src-main/contract/profile.js';
import { toResult } from '../../src-main/electron/envelope.js';
import { tempDir } from '../support/temp.js';
import { makeCert, startSmtp, type TestSmtp } from '../engine/alerts/smtp-test-server.js';
import { makeCore } from './core-fixture.js';
import { join } from 'node:path';

const DB_PASSWORD = 'Stored-Db-Pa55';
const ES_PASSWORD = 'Stored-Es-Pa55';
const SMTP_PASSWORD = 'Stored-Smtp-Pa55';
const CANARY_ENV = 'OBM_TEST_CANARY_SECRET';
const CANARY = 'canary-value-from-the-app-environment';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let attacker: TestSmtp;
let genuine: TestSmtp;
let cert: Awaited<ReturnType<typeof makeCert>>;

beforeAll(async () => {
  const certDir = await tempDir('obm-hostile-cert-');
  cert = await makeCert(certDir.path);
  // Two mail servers on this machine: the one saved in the profile and one the renderer names.
  genuine = await startSmtp({ tls: { key: cert.key, cert: cert.cert }, users: { alerts: SMTP_PASSWORD } });
  attacker = await startSmtp({ tls: { key: cert.key, cert: cert.cert }, users: { alerts: 'x' } });
  process.env[CANARY_ENV] = CANARY;
});
afterAll(async () => {
  delete process.env[CANARY_ENV];
  await attacker.close();
  await genuine.close();
});
beforeEach(async () => {
  tmp = await tempDir('obm-hostile-');
});
afterEach(async () => tmp.cleanup());

const savedDb: DatabaseConfig = {
  engine: 'sqlserver',
  server: 'sql01.corp.local',
  user: 'backup',
  databases: ['octane_site'],
  serverBackupDir: 'D:\\bak',
};
const savedEs: ElasticsearchConfig = {
  node: 'https://es01.corp.local:9200',
  username: 'elastic',
  caFingerprint: 'AA'.repeat(32),
  repository: 'octane_backup',
  location: '/es/repo',
};

function savedProfile(): Profile {
  return {
    profile: 'nightly',
    destination: join(tmp.path, 'dest'),
    database: savedDb,
    elasticsearch: savedEs,
    alerts: {
      email: {
        host: '127.0.0.1',
        port: genuine.port,
        secure: false,
        user: 'alerts',
        from: 'backup@corp.local',
        to: ['ops@corp.local'],
        when: 'failure',
        caFile: cert.certFile,
      },
    },
  };
}

/** A core with one saved profile and a discovery/preflight that records what secrets reached it. */
async function hostileSetup() {
  const reached: RunSecrets[] = [];
  const fixture = makeCore({
    dir: tmp.path,
    deps: {
      discovery: {
        testDatabase: (_c, s) => (reached.push(s), Promise.resolve({ ok: true, message: 'connected' })),
        listDatabases: (_c, s) => (reached.push(s), Promise.resolve({ candidates: [] })),
        testElasticsearch: (_c, s) => (reached.push(s), Promise.resolve({ ok: true, message: 'connected' })),
      },
      engine: {
        runPreflight: (_p, o) => (reached.push(o?.secrets ?? {}), Promise.resolve({ ok: true, checks: [] })),
      },
    },
  });
  await fixture.handlers['profiles:save']({
    profile: savedProfile(),
    secrets: {
      databasePassword: DB_PASSWORD,
      elasticsearchPassword: ES_PASSWORD,
      smtpPassword: SMTP_PASSWORD,
    },
  });
  return { ...fixture, reached };
}

const leaked = (reached: RunSecrets[]): string =>
  JSON.stringify(reached).match(
    new RegExp(`${DB_PASSWORD}|${ES_PASSWORD}|${SMTP_PASSWORD}|${CANARY}`),
  )?.[0] ?? '';

describe('stored secrets go only to the saved host, port, user and TLS settings (hostile renderer)', () => {
  it.each<[string, Partial<DatabaseConfig>]>([
    ['another host', { server: 'attacker.example' }],
    ['another port', { port: 14330 }],
    ['another user', { user: 'sa' }],
    ['encryption off', { encrypt: false }],
    ['any certificate trusted', { trustServerCertificate: true }],
  ])('discovery:test-database with %s is refused before connecting', async (_what, change) => {
    const t = await hostileSetup();
    for (const channel of ['discovery:test-database', 'discovery:list-databases'] as const) {
      const req = { config: { ...savedDb, ...change } as DatabaseConfig, profileName: 'nightly' };
      const r = await toResult<unknown>(() => t.handlers[channel](req));
      expect(r).toMatchObject({ ok: false, error: { code: 'SECRET_TARGET_CHANGED' } });
      if (!r.ok) expect(r.error.fix).toMatch(/Type the password/);
    }
    expect(t.reached).toEqual([]);
  });

  it.each<[string, Partial<ElasticsearchConfig>]>([
    ['another node', { node: 'https://attacker.example:9200' }],
    ['an extra node', { nodes: ['https://attacker.example:9200'] }],
    ['plain http', { node: 'http://es01.corp.local:9200' }],
    ['another pinned fingerprint', { caFingerprint: 'BB'.repeat(32) }],
    ['certificate checks off', { insecureSkipVerify: true }],
    ['another user', { username: 'admin' }],
  ])('discovery:test-elasticsearch with %s is refused before connecting', async (_what, change) => {
    const t = await hostileSetup();
    const r = await toResult(() =>
      t.handlers['discovery:test-elasticsearch']({
        config: { ...savedEs, ...change },
        profileName: 'nightly',
      }),
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'SECRET_TARGET_CHANGED' } });
    expect(t.reached).toEqual([]);
  });

  it('the saved settings still get the stored secrets, and a typed password goes anywhere', async () => {
    const t = await hostileSetup();
    await t.handlers['discovery:test-database']({ config: savedDb, profileName: 'nightly' });
    await t.handlers['discovery:test-elasticsearch']({ config: savedEs, profileName: 'nightly' });
    await t.handlers['discovery:test-database']({
      config: { ...savedDb, server: 'new-sql.corp.local' },
      profileName: 'nightly',
      password: 'typed-now',
    });
    expect(t.reached).toEqual([
      { databasePassword: DB_PASSWORD },
      { elasticsearchPassword: ES_PASSWORD },
      { databasePassword: 'typed-now' },
    ]);
  });

  it('a test that sends no password (no user name) is not refused, and gets no stored secret', async () => {
    const t = await hostileSetup();
    const anonymous: ElasticsearchConfig = { ...savedEs, node: 'http://es02.corp.local:9200' };
    delete anonymous.username;
    await t.handlers['discovery:test-elasticsearch']({ config: anonymous, profileName: 'nightly' });
    expect(t.reached).toEqual([{}]);
  });

  it('passwordEnv / apiKeyEnv naming any variable of the app is refused unless it is the saved one', async () => {
    const t = await hostileSetup();
    const db = await toResult(() =>
      t.handlers['discovery:test-database']({
        config: {
          engine: 'oracle',
          connectString: 'attacker:1521/X',
          user: 'u',
          schemas: [],
          passwordEnv: CANARY_ENV,
        },
      }),
    );
    expect(db).toMatchObject({ ok: false, error: { code: 'SECRET_ENV_NOT_ALLOWED' } });
    const es = await toResult(() =>
      t.handlers['discovery:test-elasticsearch']({
        config: { ...savedEs, apiKeyEnv: CANARY_ENV },
        profileName: 'nightly',
      }),
    );
    expect(es).toMatchObject({ ok: false, error: { code: 'SECRET_ENV_NOT_ALLOWED' } });
    expect(t.reached).toEqual([]);
  });

  it('profiles:preflight of a draft pointing elsewhere gets no stored secret', async () => {
    const t = await hostileSetup();
    const draft = { ...savedProfile(), database: { ...savedDb, server: 'attacker.example' } };
    const r = await toResult(() =>
      t.handlers['profiles:preflight']({ profile: draft, storedName: 'nightly' }),
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'SECRET_TARGET_CHANGED' } });
    const withEnv = {
      ...savedProfile(),
      elasticsearch: { ...savedEs, passwordEnv: CANARY_ENV },
    };
    const r2 = await toResult(() =>
      t.handlers['profiles:preflight']({ profile: withEnv, storedName: 'nightly' }),
    );
    expect(r2).toMatchObject({ ok: false, error: { code: 'SECRET_ENV_NOT_ALLOWED' } });
    expect(leaked(t.reached)).toBe('');
    // The unchanged draft is checked with the stored secrets.
    await t.handlers['profiles:preflight']({ profile: savedProfile(), storedName: 'nightly' });
    expect(t.reached.at(-1)).toEqual({
      databasePassword: DB_PASSWORD,
      elasticsearchPassword: ES_PASSWORD,
      smtpPassword: SMTP_PASSWORD,
    });
  });

  it('profiles:save with another server forgets the stored password; a new passwordEnv is refused', async () => {
    const t = await hostileSetup();
    await t.handlers['profiles:save']({
      profile: { ...savedProfile(), database: { ...savedDb, server: 'attacker.example' } },
      previousName: 'nightly',
    });
    expect(t.core.vault.state('nightly')).toMatchObject({
      databasePassword: false,
      elasticsearchPassword: true,
      smtpPassword: true,
    });
    await t.handlers['discovery:test-database']({
      config: { ...savedDb, server: 'attacker.example' },
      profileName: 'nightly',
    });
    expect(leaked(t.reached)).toBe('');
    const env = await toResult(() =>
      t.handlers['profiles:save']({
        profile: { ...savedProfile(), database: { ...savedDb, passwordEnv: CANARY_ENV } },
        previousName: 'nightly',
      }),
    );
    expect(env).toMatchObject({ ok: false, error: { code: 'SECRET_ENV_NOT_ALLOWED' } });
    expect(t.core.profiles.get('nightly')?.profile.database).not.toHaveProperty('passwordEnv');
  });

  it('alerts:test-email sends neither the stored password nor an environment variable to another mail server (real SMTP servers)', async () => {
    const t = await hostileSetup();
    const saved = savedProfile().alerts?.email;
    if (!saved) throw new Error('no e-mail settings');
    const elsewhere = { ...saved, port: attacker.port };
    const stored = await toResult(() =>
      t.handlers['alerts:test-email']({ email: elsewhere, profileName: 'nightly' }),
    );
    expect(stored).toMatchObject({ ok: false, error: { code: 'SECRET_TARGET_CHANGED' } });
    const byEnv = await toResult(() =>
      t.handlers['alerts:test-email']({ email: { ...elsewhere, passwordEnv: CANARY_ENV } }),
    );
    expect(byEnv).toMatchObject({ ok: false, error: { code: 'SECRET_ENV_NOT_ALLOWED' } });
    expect(attacker.auths).toEqual([]);
    expect(attacker.received).toEqual([]);
    // The saved server still gets its test message with the stored password.
    const ok = await toResult(() =>
      t.handlers['alerts:test-email']({ email: saved, profileName: 'nightly' }),
    );
    expect(ok).toMatchObject({ ok: true, value: { accepted: ['ops@corp.local'] } });
    expect(genuine.auths.at(-1)).toMatchObject({ user: 'alerts', password: SMTP_PASSWORD });
  });
});
