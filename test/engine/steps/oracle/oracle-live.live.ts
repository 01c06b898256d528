// LIVE test against a real Oracle database: `npm run test:oracle-live` (not part of `npm test`).
// Needs ORACLE_TEST_CONNECT_STRING, ORACLE_TEST_USER, ORACLE_TEST_PASSWORD; optional
// ORACLE_TEST_DIRECTORY (default DATA_PUMP_DIR) and ORACLE_TEST_COPY_FROM. It exports the
// login's own schema after creating a small table in it, with the real Thin driver and the
// default step (createOracleStep() without arguments), then removes the server-side files.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../../../src-main/contract/profile.js';
import { runPreflight } from '../../../../src-main/engine/preflight/run-preflight.js';
import { runBackup } from '../../../../src-main/engine/run-backup.js';
import { thinConnect, type OracleConnection } from '../../../../src-main/engine/steps/oracle/driver.js';
import { listOracleSchemas, testOracleConnection } from '../../../../src-main/engine/steps/oracle/index.js';
import { tempDir } from '../../../support/temp.js';

function required(name: string): string {
  const v = process.env[name];
  if (v === undefined || v === '')
    throw new Error(
      `${name} is not set: the live Oracle tests need ORACLE_TEST_CONNECT_STRING, ORACLE_TEST_USER and ORACLE_TEST_PASSWORD.`,
    );
  return v;
}

const login = {
  connectString: required('ORACLE_TEST_CONNECT_STRING'),
  user: required('ORACLE_TEST_USER'),
  passwordEnv: 'ORACLE_TEST_PASSWORD',
};
const password = required('ORACLE_TEST_PASSWORD');
const TABLE = 'OBM_LIVE_CHECK';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let conn: OracleConnection;
let owner = '';

beforeAll(async () => {
  tmp = await tempDir('obm-oracle-live-');
  conn = await thinConnect({ user: login.user, password, connectString: login.connectString });
  const me = await conn.execute("SELECT SYS_CONTEXT('USERENV', 'SESSION_USER') AS U FROM DUAL");
  owner = String(me.rows?.[0]?.U);
  await conn.execute(
    `BEGIN EXECUTE IMMEDIATE 'DROP TABLE ${TABLE} PURGE'; EXCEPTION WHEN OTHERS THEN NULL; END;`,
  );
  await conn.execute(`CREATE TABLE ${TABLE} (ID NUMBER PRIMARY KEY, NOTE VARCHAR2(100))`);
  await conn.execute(`INSERT INTO ${TABLE} SELECT LEVEL, 'row ' || LEVEL FROM DUAL CONNECT BY LEVEL <= 3`);
  await conn.execute('COMMIT');
});

afterAll(async () => {
  await conn
    ?.execute(`BEGIN EXECUTE IMMEDIATE 'DROP TABLE ${TABLE} PURGE'; EXCEPTION WHEN OTHERS THEN NULL; END;`)
    .catch(() => undefined);
  await conn?.close().catch(() => undefined);
  await tmp?.cleanup();
});

describe('Oracle step LIVE against a real database', () => {
  it('connects in Thin mode and lists the login among the candidate schemas', async () => {
    const env = { ORACLE_TEST_PASSWORD: password };
    const test = await testOracleConnection(login, {}, { env });
    expect(test.sessionUser).toBe(owner);
    expect(test.server.version).toMatch(/^\d+\./);
    const list = await listOracleSchemas(login, {}, { env });
    expect(list.schemas.map((s) => s.name)).toContain(owner);
  });

  it('exports the schema as of one SCN, brings dump and log into the set with matching hashes, and cleans the server', async () => {
    const database: NonNullable<Profile['database']> = {
      engine: 'oracle',
      ...login,
      schemas: [owner],
      deleteServerCopy: true,
    };
    if (process.env.ORACLE_TEST_DIRECTORY) database.directory = process.env.ORACLE_TEST_DIRECTORY;
    if (process.env.ORACLE_TEST_COPY_FROM) database.copyFrom = process.env.ORACLE_TEST_COPY_FROM;
    const profile: Profile = { profile: 'oracle-live', destination: join(tmp.path, 'dest'), database };
    const env = { ...process.env, ORACLE_TEST_PASSWORD: password };

    const report = await runPreflight(profile, { env });
    const failed = report.checks.filter((c) => c.status === 'failed');
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);

    const result = await runBackup(profile, { env });
    const db = result.manifest.components.find((c) => c.id === 'database');
    expect(db?.status, JSON.stringify(db?.error)).toMatch(/^succeeded/);
    expect(db?.consistencyPoint?.scn).toMatch(/^\d+$/);
    expect(db?.consistencyPoint?.time).toMatch(/[+-]\d{2}:\d{2}$/);
    expect(result.manifest.dbClock?.serverUtcOffset).toMatch(/^[+-]\d{2}:\d{2}$/);

    const setRoot = result.setPaths[0] ?? '';
    for (const a of db?.artifacts ?? []) {
      const bytes = await readFile(join(setRoot, a.path));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(a.sha256);
      expect(bytes.length).toBe(a.bytes);
    }
    const log = db?.artifacts.find((a) => a.path.endsWith('-export.log'));
    const logText = await readFile(join(setRoot, log?.path ?? 'missing'), 'utf8');
    expect(logText).toMatch(new RegExp(`"${owner}"\\."${TABLE}".*3 rows`));
    expect(logText).toMatch(/successfully completed/);
    expect(db?.details?.serverCopyDeleted).toBe(true);
  });
});
