import { describe, expect, it } from 'vitest';
import { ExpectedError } from '../../../../src-main/engine/errors.js';
import { listOracleSchemas, testOracleConnection } from '../../../../src-main/engine/steps/oracle/index.js';
import { FakeOracleServer, SQL } from '../../../support/oracle/healthy-server.js';
import { oraError } from '../../../support/oracle/oracle-stand-in.js';

const login = {
  connectString: 'dbhost.example:1521/OCTANEPDB',
  user: 'backup',
  password: 'pw-for-discovery',
};

async function stepError(p: Promise<unknown>): Promise<ExpectedError> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ExpectedError)) throw new Error(`expected a ExpectedError, got ${String(err)}`);
  return err;
}

describe('Oracle schema discovery and connection test (Oracle driver stand-in)', () => {
  it('Oracle driver stand-in: lists object-owning, non-Oracle-maintained users from the DBA views', async () => {
    const server = new FakeOracleServer();
    const list = await listOracleSchemas(login, {}, { connect: server.db.connect });
    expect(list).toEqual({
      source: 'DBA_USERS',
      schemas: [
        { name: 'OCTANE_SITE', objects: 812 },
        { name: 'SPACE_1001', objects: 1630 },
      ],
    });
    const sql = server.db.callsTo(SQL.schemasDba)[0]?.sql ?? '';
    expect(sql).toContain("ORACLE_MAINTAINED = 'N'");
    expect(sql).toContain('JOIN DBA_OBJECTS o ON o.OWNER = u.USERNAME');
    expect(server.db.closed).toBe(1);
  });

  it('Oracle driver stand-in: falls back to ALL_USERS when the login cannot read the DBA views, and says so', async () => {
    const server = new FakeOracleServer();
    server.db
      .on(SQL.schemasDba, { error: oraError('ORA-00942: table or view does not exist') })
      .on(SQL.schemasAll, { rows: [{ NAME: 'BACKUP', OBJECTS: 3 }] });
    const list = await listOracleSchemas(login, {}, { connect: server.db.connect });
    expect(list.source).toBe('ALL_USERS');
    expect(list.schemas).toEqual([{ name: 'BACKUP', objects: 3 }]);
    expect(list.note).toMatch(/SELECT_CATALOG_ROLE/);
    expect(server.db.callsTo(SQL.schemasAll)[0]?.sql).toContain("ORACLE_MAINTAINED = 'N'");
  });

  it('Oracle driver stand-in: takes the password from passwordEnv, the secrets or the config, and refuses to guess one', async () => {
    const server = new FakeOracleServer();
    const viaEnv = { connectString: login.connectString, user: 'backup', passwordEnv: 'ORA_PW' };
    await listOracleSchemas(viaEnv, {}, { connect: server.db.connect, env: { ORA_PW: 'from-env' } });
    await testOracleConnection(
      viaEnv,
      { databasePassword: 'from-secret-store' },
      { connect: server.db.connect },
    );
    expect(server.db.logins.map((l) => l.password)).toEqual(['from-env', 'from-secret-store']);

    const err = await stepError(listOracleSchemas(viaEnv, {}, { connect: server.db.connect, env: {} }));
    expect(err.code).toBe('ORACLE_NO_PASSWORD');
    expect(server.db.logins).toHaveLength(2);
  });

  it('Oracle driver stand-in: the connection test reports user, database and version', async () => {
    const server = new FakeOracleServer();
    const r = await testOracleConnection(login, {}, { connect: server.db.connect });
    expect(r.sessionUser).toBe('BACKUP');
    expect(r.server).toEqual({ engine: 'oracle', name: 'OCTANEDB', version: '19.21.0.0.0', edition: 'EE' });
    expect(r.message).toContain('19.21.0.0.0');
  });

  it('Oracle driver stand-in: without V$INSTANCE the version comes from PRODUCT_COMPONENT_VERSION', async () => {
    const server = new FakeOracleServer();
    server.db
      .on(SQL.versionInstance, { error: oraError('ORA-00942: table or view does not exist') })
      .on(/PRODUCT_COMPONENT_VERSION/, {
        rows: [{ PRODUCT: 'Oracle Database 19c Enterprise Edition ', VERSION: '19.0.0.0.0' }],
      });
    const r = await testOracleConnection(login, {}, { connect: server.db.connect });
    expect(r.server).toMatchObject({ version: '19.0.0.0.0', edition: 'Enterprise Edition' });
  });

  it('Oracle driver stand-in: a refused login is explained without echoing the password', async () => {
    const server = new FakeOracleServer();
    server.db.failConnect(oraError('ORA-01017: invalid credential or not authorized; logon denied'));
    const err = await stepError(testOracleConnection(login, {}, { connect: server.db.connect }));
    expect(err.code).toBe('ORACLE_LOGIN_FAILED');
    expect(JSON.stringify(err.toInfo())).not.toContain(login.password);
  });
});
