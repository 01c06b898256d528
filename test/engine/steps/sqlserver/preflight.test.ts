// Preflight against the TDS stand-in: each failure names its fix.
import { existsSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import type { PreflightCheck } from '../../../../src-main/contract/preflight.js';
import type { Profile } from '../../../../src-main/contract/profile.js';
import { silentLogger } from '../../../../src-main/engine/logger.js';
import { createSqlServerStep } from '../../../../src-main/engine/steps/sqlserver/index.js';
import { rig } from './helpers.js';

const run = (profile: Profile): Promise<PreflightCheck[]> =>
  createSqlServerStep().preflight?.({
    signal: new AbortController().signal,
    profile,
    secrets: {},
    env: {},
    log: silentLogger,
  }) ?? Promise.resolve([]);
const byId = (checks: PreflightCheck[], id: string): PreflightCheck | undefined =>
  checks.find((c) => c.id === id);

describe('SQL Server preflight (TDS stand-in)', () => {
  it('TDS stand-in: a healthy setup passes: login, edition, databases, write test through the service account, copyFrom sees it', async () => {
    const r = await rig({ databases: [{ name: 'octane_site', usedBytes: 1e6 }] });
    try {
      const checks = await run(r.profile());
      expect(checks.filter((c) => c.status !== 'ok')).toEqual([]);
      expect(checks.map((c) => c.id)).toEqual(
        expect.arrayContaining([
          'sqlserver.connection',
          'sqlserver.edition',
          'sqlserver.database.octane_site',
          'sqlserver.write-test',
          'sqlserver.copy-from',
          'sqlserver.space.destination',
        ]),
      );
      expect(r.fake.statements()).toContain(
        `BACKUP DATABASE [model] TO DISK = N'${r.serverDir}/octane-backup-write-test.bak' WITH COPY_ONLY, FORMAT, INIT, NAME = N'octane-backup-manager write test';`,
      );
      expect(existsSync(`${r.serverDir}/octane-backup-write-test.bak`)).toBe(false); // the probe was cleaned up
    } finally {
      await r.close();
    }
  });

  it('TDS stand-in: a folder the server does not see, a missing database and a missing verify right each come with a fix', async () => {
    const r = await rig({
      folderExists: false,
      canVerify: false,
      databases: [{ name: 'octane_site', usedBytes: 1e6 }],
    });
    try {
      const checks = await run(r.profile({ databases: ['octane_site', 'gone'] }));
      expect(byId(checks, 'sqlserver.backup-folder')).toMatchObject({ status: 'failed' });
      expect(byId(checks, 'sqlserver.backup-folder')?.fix).toContain('mapped drive letters');
      expect(byId(checks, 'sqlserver.database.gone')).toMatchObject({ status: 'failed' });
      expect(byId(checks, 'sqlserver.database.octane_site')).toMatchObject({ status: 'ok' });
      expect(byId(checks, 'sqlserver.verify-right')).toMatchObject({ status: 'warning' });
      expect(byId(checks, 'sqlserver.verify-right')?.fix).toContain(
        'GRANT CREATE DATABASE TO [octane_backup]',
      );
    } finally {
      await r.close();
    }
  });

  it('TDS stand-in: the write test failing with 3201 / OS error 5 names the service account; a wrong copyFrom is caught', async () => {
    const r = await rig({
      serverDir: '\\\\files\\sqlbackup',
      probeFails: [
        {
          number: 3201,
          message:
            "Cannot open backup device '\\\\files\\sqlbackup\\octane-backup-write-test.bak'. Operating system error 5(Access is denied.).",
        },
        { number: 3013, message: 'BACKUP DATABASE is terminating abnormally.' },
      ],
      databases: [{ name: 'octane_site', usedBytes: 1e6 }],
    });
    try {
      const denied = await run(r.profile());
      expect(byId(denied, 'sqlserver.write-test')).toMatchObject({ status: 'failed' });
      expect(byId(denied, 'sqlserver.write-test')?.fix).toContain('computer account (DOMAIN\\HOSTNAME$)');
    } finally {
      await r.close();
    }
    const r2 = await rig({ databases: [{ name: 'octane_site', usedBytes: 1e6 }] });
    try {
      const wrong = await run(r2.profile({ copyFrom: r2.dest }));
      expect(byId(wrong, 'sqlserver.copy-from')).toMatchObject({ status: 'failed' });
      expect(byId(wrong, 'sqlserver.copy-from')?.message).toContain('not the same folder');
    } finally {
      await r2.close();
    }
  });

  it('TDS stand-in: a refused login is one failed check with the fix', async () => {
    const r = await rig({
      authenticate: () => ({ number: 18456, message: "Login failed for user 'octane_backup'." }),
      databases: [],
    });
    try {
      const checks = await run(r.profile({ databases: ['x'] }));
      expect(checks).toHaveLength(1);
      expect(checks[0]).toMatchObject({
        id: 'sqlserver.connection',
        status: 'failed',
        component: 'database',
      });
      expect(checks[0]?.fix).toContain('password');
    } finally {
      await r.close();
    }
  });
});
