// "Test connection" and "Discover databases" against the TDS stand-in.
import { createServer, type AddressInfo } from 'node:net';
import { describe, it, expect } from 'vitest';
import {
  listSqlServerDatabases,
  testSqlServerConnection,
} from '../../../../src-main/engine/steps/sqlserver/index.js';
import { ExpectedError } from '../../../../src-main/engine/errors.js';
import { startFakeSqlServer } from '../../../support/tds/fake-sql-server.js';

const dbs = [
  { name: 'default_shared_space', usedBytes: 2e6, recoveryModel: 'SIMPLE' },
  { name: 'octane_site', usedBytes: 1e6 },
  { name: 'old_space', usedBytes: 1e6, state: 'OFFLINE', canBackup: false },
];

async function fake(extra: Partial<Parameters<typeof startFakeSqlServer>[0]> = {}) {
  return startFakeSqlServer({ databases: dbs, serverDir: 'D:\\Backups', localDir: '/nonexistent', ...extra });
}

describe('SQL Server discovery (TDS stand-in)', () => {
  it('TDS stand-in: lists the user databases with state, recovery model and backup right', async () => {
    const f = await fake();
    try {
      const list = await listSqlServerDatabases(
        { server: '127.0.0.1', port: f.port, user: 'sa', encrypt: false },
        { databasePassword: 'pw' },
      );
      expect(list).toEqual([
        {
          name: 'default_shared_space',
          state: 'ONLINE',
          recoveryModel: 'SIMPLE',
          canBackup: true,
          allocatedBytes: 4e6,
        },
        { name: 'octane_site', state: 'ONLINE', recoveryModel: 'FULL', canBackup: true, allocatedBytes: 2e6 },
        { name: 'old_space', state: 'OFFLINE', recoveryModel: 'FULL', canBackup: false, allocatedBytes: 2e6 },
      ]);
      expect(f.statements().find((s) => s.includes('FROM sys.databases'))).toContain(
        'WHERE d.database_id > 4',
      );
    } finally {
      await f.close();
    }
  });

  it('TDS stand-in: a Windows account (domain) logs in with NTLM; the report has edition, rights and the DB clock', async () => {
    const f = await fake({
      clock: { offsetMs: -2_000, tzMinutes: -300 },
      edition: 'Enterprise Edition (64-bit)',
      engineEdition: 3,
    });
    try {
      const rep = await testSqlServerConnection(
        { server: '127.0.0.1', port: f.port, user: 'svc_octane', domain: 'CORP', encrypt: false },
        { databasePassword: 'pw' },
      );
      expect(f.tds.logins[0]).toMatchObject({ ntlm: true, domain: 'CORP', userName: 'svc_octane' });
      expect(rep.facts.loginName).toBe('CORP\\svc_octane');
      expect(rep.facts.compression).toBe(true);
      expect(rep.dbTime).toMatch(/-05:00$/);
      expect(Math.abs(rep.clockOffsetMs + 2_000)).toBeLessThan(1_500);
    } finally {
      await f.close();
    }
  });

  it('TDS stand-in: login failed (18456) is a plain error with the fix, without the password', async () => {
    const f = await fake({ authenticate: () => ({ number: 18456, message: "Login failed for user 'sa'." }) });
    try {
      const e = await testSqlServerConnection(
        { server: '127.0.0.1', port: f.port, user: 'sa', encrypt: false },
        { databasePassword: 'Secret-pw-1' },
      ).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ExpectedError);
      expect((e as ExpectedError).code).toBe('SQLSERVER_LOGIN_FAILED');
      expect((e as ExpectedError).message).toContain("Login failed for user 'sa'.");
      expect((e as ExpectedError).fix).toContain('SQL Server and Windows Authentication mode');
      expect(JSON.stringify((e as ExpectedError).toInfo())).not.toContain('Secret-pw-1');
    } finally {
      await f.close();
    }
  });

  it('a port nobody listens on is "cannot connect" with the TCP/IP and firewall fix', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const e = await listSqlServerDatabases(
      { server: '127.0.0.1', port, user: 'sa', encrypt: false },
      {},
    ).catch((x: unknown) => x);
    expect((e as ExpectedError).code).toBe('SQLSERVER_UNREACHABLE');
    expect((e as ExpectedError).fix).toContain('firewall');
  });
});
