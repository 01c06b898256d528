// Error mapping on errors shaped as mssql builds them (RequestError with precedingErrors).
import { describe, it, expect } from 'vitest';
import { mapSqlError } from '../../../../src-main/engine/steps/sqlserver/errors.js';

function requestError(...msgs: [number, string][]): Error {
  const errs = msgs.map(([number, message]) =>
    Object.assign(new Error(message), { number, code: 'EREQUEST' }),
  );
  const last = errs.pop() as Error;
  return Object.assign(last, { precedingErrors: errs });
}
const ctx = {
  phase: 'backup' as const,
  server: 'db:1433',
  database: 'octane_site',
  serverDir: 'D:\\Backups',
  user: 'u',
};

describe('SQL Server error mapping', () => {
  it('looks past 3013 to the real cause (3201 / OS errors)', () => {
    const e = mapSqlError(
      requestError(
        [
          3201,
          "Cannot open backup device 'D:\\Backups\\x.bak'. Operating system error 5(Access is denied.).",
        ],
        [3013, 'BACKUP DATABASE is terminating abnormally.'],
      ),
      ctx,
    );
    expect(e.code).toBe('SQLSERVER_BACKUP_DIR_ACCESS_DENIED');
    expect(
      mapSqlError(
        requestError(
          [3201, 'Operating system error 3(The system cannot find the path specified.).'],
          [3013, 'x'],
        ),
        ctx,
      ).code,
    ).toBe('SQLSERVER_BACKUP_DIR_NOT_FOUND');
    expect(
      mapSqlError(
        requestError([3201, 'Operating system error 53(The network path was not found.).'], [3013, 'x']),
        ctx,
      ).code,
    ).toBe('SQLSERVER_BACKUP_SHARE_UNREACHABLE');
    expect(
      mapSqlError(
        requestError(
          [3202, 'Write on "D:\\Backups\\x.bak" failed: 112(There is not enough space on the disk.)'],
          [3013, 'x'],
        ),
        ctx,
      ).code,
    ).toBe('SQLSERVER_BACKUP_DIR_FULL');
  });

  it('maps 911, 262, 3023 and TLS certificate failures', () => {
    expect(mapSqlError(requestError([911, "Database 'x' does not exist."], [3013, 'x']), ctx).code).toBe(
      'SQLSERVER_DATABASE_MISSING',
    );
    expect(
      mapSqlError(requestError([262, "BACKUP DATABASE permission denied in database 'x'."]), ctx).fix,
    ).toContain('db_backupoperator');
    expect(
      mapSqlError(requestError([3023, 'Backup, file manipulation operations ... must be serialized.']), ctx)
        .code,
    ).toBe('SQLSERVER_BACKUP_CONFLICT');
    const tls = Object.assign(new Error('Failed to connect to db:1433 - self-signed certificate'), {
      code: 'ESOCKET',
      originalError: Object.assign(new Error('self-signed certificate'), {
        code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      }),
    });
    const t = mapSqlError(tls, { ...ctx, phase: 'connect' });
    expect(t.code).toBe('SQLSERVER_CERTIFICATE_UNTRUSTED');
    expect(t.fix).toContain('trustServerCertificate');
  });
});
