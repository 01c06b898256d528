// The SQL Server step through the real runner (runBackup) against the TDS stand-in.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import type { RunEvent } from '../../../../src-main/contract/events.js';
import { runBackup } from '../../../../src-main/engine/run-backup.js';
import { PASSWORD, rig } from './helpers.js';

const sha256sum = (file: string): string =>
  spawnSync('sha256sum', [file], { encoding: 'utf8' }).stdout.split(' ')[0] ?? '';

describe('SQL Server step through runBackup (TDS stand-in)', () => {
  it('TDS stand-in: backs up, verifies and copies one database; the manifest has consistency point, LSNs, DB clock and the exact statements', async () => {
    const r = await rig({
      databases: [
        {
          name: 'octane_site',
          usedBytes: 50 * 1024 * 1024,
          backup: { percents: [7, 33, 34, 99, 100], stepMs: 20 },
        },
      ],
      clock: { offsetMs: 3_000, tzMinutes: 120 },
    });
    try {
      const events: RunEvent[] = [];
      const res = await runBackup(r.profile(), { onEvent: (e) => events.push(e), env: {} });
      const db = res.manifest.components.find((c) => c.id === 'database');
      expect(db?.status).toBe('succeeded');
      expect(res.status).toBe('succeeded-with-warnings'); // only the database is configured: NOT_FULL_BACKUP
      expect(res.manifest.warnings.map((w) => w.code)).toEqual(['NOT_FULL_BACKUP']);

      const backup = r.fake.backups[0];
      expect(backup?.completed).toBe(true);
      const fileName = backup?.serverFile.split('/').pop() ?? '';
      expect(fileName).toBe(`octane_site_${res.setName}.bak`);
      const stmt = `BACKUP DATABASE [octane_site] TO DISK = N'${r.serverDir}/${fileName}' WITH COPY_ONLY, CHECKSUM, FORMAT, INIT, COMPRESSION, STATS = 1, NAME = N'octane-backup-manager ${res.setName}';`;
      expect(backup?.statement).toBe(stmt);
      expect(db?.statements).toContain(stmt);
      expect(db?.statements).toContain(
        `RESTORE VERIFYONLY FROM DISK = N'${r.serverDir}/${fileName}' WITH CHECKSUM, STATS = 5;`,
      );
      expect(r.fake.tds.rpcs).toBe(0);

      // The .bak in the set is byte for byte the server's file: compare with an independent sha256sum.
      const art = db?.artifacts.find((a) => a.path === `database/${fileName}`);
      expect(art?.sha256).toBe(sha256sum(backup?.localFile ?? ''));
      expect(art?.sha256).toBe(sha256sum(join(res.setPaths[0] ?? '', 'database', fileName)));
      expect(db?.artifacts.map((a) => a.path)).toContain('database/restore.sql');

      // Consistency point: backup_finish_date with the server's offset, and the LSNs from msdb.
      expect(db?.consistencyPoint?.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+02:00$/);
      expect(db?.consistencyPoint?.lsn).toEqual({
        first: '37000000012300001',
        last: '37000000012500001',
        databaseBackup: '35000000001000037',
      });
      expect(res.manifest.skew.consistencyPoint).toBe(db?.consistencyPoint?.time);
      expect(res.manifest.skew.clock).toBe('database');
      expect(res.manifest.dbClock?.serverUtcOffset).toBe('+02:00');
      expect(Math.abs((res.manifest.dbClock?.offsetMs ?? 0) - 3_000)).toBeLessThan(1_500);
      expect(db?.server).toEqual({
        engine: 'sqlserver',
        version: '15.0.4316.3 RTM',
        edition: 'Standard Edition (64-bit)',
        name: 'STANDIN\\OCTANE',
      });
      const dbs = (db?.details?.databases ?? []) as {
        name: string;
        verify: string;
        dbClockBefore: string;
        sha256: string;
      }[];
      expect(dbs.map((d) => [d.name, d.verify, d.sha256])).toEqual([['octane_site', 'passed', art?.sha256]]);
      expect(dbs[0]?.dbClockBefore).toMatch(/\+02:00$/);
      expect(db?.details?.databaseList).toEqual(['octane_site']);

      // Progress: the 3211 messages map into the step's fraction, in order, never backwards.
      const fr = events.flatMap((e) =>
        e.type === 'step-progress' && e.step === 'database' ? [e.fraction] : [],
      );
      expect(fr.length).toBeGreaterThan(2);
      expect(fr).toEqual([...fr].sort((a, b) => a - b));
      expect(fr.at(-1)).toBe(1);

      // No password anywhere in what the run wrote.
      const manifestText = await readFile(res.manifestPaths[0] ?? '', 'utf8');
      const runLog = await readFile(join(res.setPaths[0] ?? '', 'run.log'), 'utf8');
      expect(manifestText).not.toContain(PASSWORD);
      expect(runLog).not.toContain(PASSWORD);
      expect(r.fake.tds.logins[0]?.password).toBe(PASSWORD); // it did reach the server, and only there
    } finally {
      await r.close();
    }
  });

  it('TDS stand-in: error 3201 (operating system error 5) fails the run with the service-account fix', async () => {
    const dir = 'D:\\Backups';
    const r = await rig({
      serverDir: dir,
      databases: [
        {
          name: 'octane_site',
          usedBytes: 1e6,
          backup: {
            fail: [
              {
                number: 3201,
                message: `Cannot open backup device '${dir}\\x.bak'. Operating system error 5(Access is denied.).`,
              },
              { number: 3013, message: 'BACKUP DATABASE is terminating abnormally.' },
            ],
          },
        },
      ],
    });
    try {
      const res = await runBackup(r.profile(), { env: {} });
      expect(res.status).toBe('failed');
      expect(res.manifest.complete).toBe(false);
      expect(res.manifest.error?.code).toBe('SQLSERVER_BACKUP_DIR_ACCESS_DENIED');
      expect(res.manifest.error?.message).toContain('Operating system error 5');
      expect(res.manifest.error?.fix).toContain('NT Service\\MSSQLSERVER');
      expect(res.manifest.error?.fix).toContain(dir);
      // The statement was built for a Windows server: backslash separator.
      expect(r.fake.statements().find((s) => s.startsWith('BACKUP'))).toContain(
        `TO DISK = N'D:\\Backups\\octane_site_${res.setName}.bak'`,
      );
    } finally {
      await r.close();
    }
  });

  it('TDS stand-in: missing BACKUP DATABASE permission (262) fails with the db_backupoperator fix', async () => {
    const r = await rig({
      databases: [
        {
          name: 'octane_sp1',
          usedBytes: 1e6,
          backup: {
            fail: [
              {
                number: 262,
                message: "BACKUP DATABASE permission denied in database 'octane_sp1'.",
                severity: 14,
              },
              { number: 3013, message: 'BACKUP DATABASE is terminating abnormally.' },
            ],
          },
        },
      ],
    });
    try {
      const res = await runBackup(r.profile(), { env: {} });
      expect(res.status).toBe('failed');
      expect(res.manifest.error?.code).toBe('SQLSERVER_PERMISSION_DENIED');
      expect(res.manifest.error?.fix).toContain('ALTER ROLE db_backupoperator ADD MEMBER [octane_backup]');
    } finally {
      await r.close();
    }
  });

  it('TDS stand-in: the connection dropped mid-backup is a clear failure and the partial file is removed', async () => {
    const r = await rig({
      databases: [
        {
          name: 'octane_site',
          usedBytes: 1e6,
          backup: { percents: [10, 34, 60, 100], dropAfterPercent: 34 },
        },
      ],
    });
    try {
      const res = await runBackup(r.profile(), { env: {} });
      expect(res.status).toBe('failed');
      expect(res.manifest.error?.code).toBe('SQLSERVER_CONNECTION_LOST');
      expect(res.manifest.error?.message).toContain('The incomplete backup file was removed.');
      const partial = r.fake.backups[0]?.localFile ?? '';
      expect(partial).not.toBe('');
      expect(existsSync(partial)).toBe(false);
      expect(await readdir(r.serverDir)).toEqual([]);
      const dbDir = join(res.setPaths[0] ?? '', 'database');
      expect(existsSync(dbDir) ? await readdir(dbDir) : []).toEqual([]);
    } finally {
      await r.close();
    }
  });

  it('TDS stand-in: cancel mid-backup sends ATTENTION to the server and removes the partial file', async () => {
    const ac = new AbortController();
    const r = await rig({
      databases: [
        {
          name: 'octane_site',
          usedBytes: 1e6,
          backup: { percents: [10, 34, 60, 100], hangAfterPercent: 34, onHang: () => ac.abort() },
        },
      ],
    });
    try {
      const res = await runBackup(r.profile(), { env: {}, signal: ac.signal });
      expect(res.status).toBe('cancelled');
      expect(r.fake.tds.attentions).toBe(1);
      const partial = r.fake.backups[0]?.localFile ?? '';
      expect(r.fake.backups[0]?.completed).toBe(false);
      expect(existsSync(partial)).toBe(false);
      const db = res.manifest.components.find((c) => c.id === 'database');
      expect(db?.status).toBe('cancelled');
      expect(db?.artifacts).toEqual([]);
    } finally {
      await r.close();
    }
  });
});
