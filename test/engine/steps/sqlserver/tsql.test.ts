import { describe, it, expect } from 'vitest';
import { poolConfig } from '../../../../src-main/engine/steps/sqlserver/connection.js';
import { ProgressPlan, percentOf } from '../../../../src-main/engine/steps/sqlserver/progress-plan.js';
import { withServerOffset } from '../../../../src-main/engine/steps/sqlserver/queries.js';
import {
  backupFileName,
  backupStatement,
  isAbsoluteServerDir,
  quoteIdent,
  quoteString,
  serverPath,
} from '../../../../src-main/engine/steps/sqlserver/tsql.js';

describe('T-SQL building', () => {
  it('quotes identifiers like QUOTENAME and strings as N-literals with doubled quotes', () => {
    expect(quoteIdent("a]b';c")).toBe("[a]]b';c]");
    expect(quoteIdent('x]]')).toBe('[x]]]]]');
    expect(quoteString("o'brien'; DROP DATABASE x; --")).toBe("N'o''brien''; DROP DATABASE x; --'");
    expect(() => quoteIdent('')).toThrow(RangeError);
    expect(() => quoteIdent('x'.repeat(129))).toThrow(RangeError);
  });

  it('builds server paths for the server OS: backslash for Windows and UNC, slash for POSIX', () => {
    expect(serverPath('D:\\Backups\\', 'a.bak')).toBe('D:\\Backups\\a.bak');
    expect(serverPath('D:\\', 'a.bak')).toBe('D:\\a.bak');
    expect(serverPath('\\\\files\\sql', 'a.bak')).toBe('\\\\files\\sql\\a.bak');
    expect(serverPath('/var/opt/mssql/backup/', 'a.bak')).toBe('/var/opt/mssql/backup/a.bak');
    expect(isAbsoluteServerDir('D:\\Backups')).toBe(true);
    expect(isAbsoluteServerDir('\\\\files\\sql')).toBe(true);
    expect(isAbsoluteServerDir('/var/opt/mssql')).toBe(true);
    expect(isAbsoluteServerDir('Backups')).toBe(false);
    expect(isAbsoluteServerDir('\\\\files')).toBe(false);
  });

  it('names files <db>_<run>.bak, replacing unsafe characters and keeping distinct names distinct', () => {
    expect(backupFileName('octane_site', '20260101T000000Z-manual-abc')).toBe(
      'octane_site_20260101T000000Z-manual-abc.bak',
    );
    const a = backupFileName('a b', 'r');
    const b = backupFileName('a_b', 'r');
    expect(a).toMatch(/^a_b-[0-9a-f]{6}_r\.bak$/);
    expect(b).toBe('a_b_r.bak');
    expect(a).not.toBe(b);
    expect(backupFileName('..\\..\\x', 'r')).toMatch(/^\.\._\.\._x-[0-9a-f]{6}_r\.bak$/);
  });

  it('adds COMPRESSION only when asked', () => {
    const s = (compression: boolean): string =>
      backupStatement({ database: 'd', file: 'D:\\d.bak', compression, label: 'l' });
    expect(s(true)).toBe(
      "BACKUP DATABASE [d] TO DISK = N'D:\\d.bak' WITH COPY_ONLY, CHECKSUM, FORMAT, INIT, COMPRESSION, STATS = 1, NAME = N'l';",
    );
    expect(s(false)).not.toContain('COMPRESSION');
  });
});

describe('connection settings', () => {
  it('maps encrypt/trustServerCertificate explicitly (encrypt:false reaches tedious as false), instance and NTLM domain', () => {
    const c = poolConfig({ server: 'db', port: 1433, user: 'u', encrypt: false }, { databasePassword: 'p' });
    expect(c.options).toMatchObject({ encrypt: false, trustServerCertificate: false });
    expect(c).toMatchObject({
      server: 'db',
      port: 1433,
      user: 'u',
      password: 'p',
      database: 'master',
      validateConnection: 'socket',
    });
    const d = poolConfig(
      { server: 'db', instance: 'OCTANE', user: 'svc', domain: 'CORP', trustServerCertificate: true },
      {},
    );
    expect(d.options).toMatchObject({ encrypt: true, trustServerCertificate: true, instanceName: 'OCTANE' });
    expect(d.domain).toBe('CORP');
    expect(d.port).toBeUndefined();
  });
});

describe('progress and clock parsing', () => {
  it('reads "N percent processed." and weights databases by size', () => {
    expect(percentOf('34 percent processed.')).toBe(34);
    expect(percentOf('BACKUP DATABASE successfully processed 10 pages')).toBeUndefined();
    const p = new ProgressPlan([100, undefined, 300], { verify: false, copy: false });
    expect(p.sizes).toEqual([100, 200, 300]); // unknown size = average of the known ones
    expect(p.fraction(1, 'backup', 0.5)).toBeCloseTo(200 / 600);
    expect(p.fraction(2, 'backup', 1)).toBe(1);
  });

  it('turns the server wall time and its UTC offset into ISO-8601 with that offset', () => {
    expect(withServerOffset('2026-03-01T10:11:12.345', 120)).toBe('2026-03-01T10:11:12.345+02:00');
    expect(withServerOffset('2026-03-01T10:11:12.3456789', -330)).toBe('2026-03-01T10:11:12.345-05:30');
    expect(withServerOffset('2026-03-01T10:11:12', 0)).toBe('2026-03-01T10:11:12.000+00:00');
    expect(Date.parse(withServerOffset('2026-03-01T10:11:12.000', 60) ?? '')).toBe(
      Date.parse('2026-03-01T09:11:12.000Z'),
    );
    expect(withServerOffset('garbage', 0)).toBeUndefined();
  });
});
