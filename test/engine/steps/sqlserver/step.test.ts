// The SQL Server step run directly (a recording StepContext) against the TDS stand-in.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it, expect } from 'vitest';
import { createSqlServerStep } from '../../../../src-main/engine/steps/sqlserver/index.js';
import { ExpectedError } from '../../../../src-main/engine/errors.js';
import { rig, stepContext, type Rig } from './helpers.js';

const MiB = 1024 * 1024;
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

async function setup(r: Rig, overrides: Parameters<Rig['profile']>[0] = {}, signal?: AbortSignal) {
  cleanup.push(() => r.close());
  const setRoot = join(await mkdtemp(join(tmpdir(), 'obm-sqlset-')), '20260101T000000Z-manual-abc123');
  cleanup.push(() => rm(join(setRoot, '..'), { recursive: true, force: true }));
  return stepContext(r.profile(overrides), setRoot, signal);
}

async function failure(p: Promise<void>): Promise<ExpectedError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ExpectedError);
  return e as ExpectedError;
}

describe('SQL Server step (TDS stand-in)', () => {
  it('TDS stand-in: several databases: progress is weighted by size across backup, verify and copy', async () => {
    const r = await rig({
      databases: [
        { name: 'octane_site', usedBytes: 100 * MiB, backup: { percents: [7, 33, 34, 99, 100] } },
        { name: 'octane_sp_1001', usedBytes: 300 * MiB, backup: { percents: [50, 100] } },
      ],
    });
    const { ctx, rec } = await setup(r);
    await createSqlServerStep().run(ctx);
    // Work per byte: backup 1 + verify 0.5 + copy 0.5 = 2; total 400 MiB * 2 = 800 units.
    const at = (msg: string): number | undefined => rec.progress.find((p) => p.message === msg)?.fraction;
    expect(at('Backing up octane_site (1 of 2): 7 %')).toBeCloseTo(7 / 800, 6);
    expect(at('Backing up octane_site (1 of 2): 34 %')).toBeCloseTo(34 / 800, 6);
    expect(at('Backing up octane_site (1 of 2): 100 %')).toBeCloseTo(100 / 800, 6);
    expect(at('Backing up octane_sp_1001 (2 of 2): 50 %')).toBeCloseTo((200 + 150) / 800, 6);
    expect(at('Backing up octane_sp_1001 (2 of 2): 100 %')).toBeCloseTo((200 + 300) / 800, 6);
    const withBytes = rec.progress.find((p) => p.message === 'Backing up octane_sp_1001 (2 of 2): 50 %');
    expect(withBytes?.bytesTotal).toBe(400 * MiB);
    expect(withBytes?.bytesDone).toBe(Math.round((350 / 800) * 400 * MiB));
    const fr = rec.progress.map((p) => p.fraction);
    expect(fr).toEqual([...fr].sort((a, b) => a - b));
    expect(fr.at(-1)).toBe(1);
    // Consistency point = the last database's backup; both .bak files are in the set.
    expect(rec.point?.description).toContain('"octane_sp_1001", the last of 2');
    expect(
      ctx.out
        .artifacts()
        .map((a) => a.path)
        .sort(),
    ).toEqual([
      'database/octane_site_20260101T000000Z-manual-abc123.bak',
      'database/octane_sp_1001_20260101T000000Z-manual-abc123.bak',
      'database/restore.sql',
    ]);
  });

  it('TDS stand-in: Express edition: no COMPRESSION clause is sent', async () => {
    const r = await rig({
      edition: 'Express Edition (64-bit)',
      engineEdition: 4,
      databases: [{ name: 'octane_site', usedBytes: MiB }],
    });
    const { ctx, rec } = await setup(r);
    await createSqlServerStep().run(ctx);
    const backup = r.fake.statements().find((s) => s.startsWith('BACKUP DATABASE'));
    expect(backup).toContain('WITH COPY_ONLY, CHECKSUM, FORMAT, INIT, STATS = 1');
    expect(backup).not.toContain('COMPRESSION');
    expect(rec.server?.edition).toBe('Express Edition (64-bit)');
  });

  it("TDS stand-in: a database name with ], ' and ; and a folder with ' are quoted so nothing can inject SQL", async () => {
    const name = "a]b';c";
    const r = await rig({ dirName: "o'brien; backups", databases: [{ name, usedBytes: MiB }] });
    const { ctx } = await setup(r);
    await createSqlServerStep().run(ctx);
    const dir = r.serverDir.replace(/'/g, "''");
    const file = ctx.out.artifacts()[0]?.path.split('/')[1] ?? '';
    expect(file).toMatch(/^a_b__c-[0-9a-f]{6}_20260101T000000Z-manual-abc123\.bak$/);
    const stmts = r.fake.statements();
    expect(stmts).toContain(
      `BACKUP DATABASE [a]]b';c] TO DISK = N'${dir}/${file}' WITH COPY_ONLY, CHECKSUM, FORMAT, INIT, COMPRESSION, STATS = 1, NAME = N'octane-backup-manager 20260101T000000Z-manual-abc123';`,
    );
    expect(stmts).toContain(`RESTORE VERIFYONLY FROM DISK = N'${dir}/${file}' WITH CHECKSUM, STATS = 5;`);
    expect(stmts.find((s) => s.includes('FROM msdb.dbo.backupset'))).toContain(
      `WHERE bs.database_name = N'a]b'';c' AND bmf.physical_device_name = N'${dir}/${file}'`,
    );
    expect(stmts.find((s) => s.includes('.sys.allocation_units'))).toContain(
      "FROM [a]]b';c].sys.allocation_units AS a;",
    );
    expect(r.fake.backups[0]?.database).toBe(name); // the stand-in parsed the real name back out
    expect(r.fake.backups[0]?.completed).toBe(true);
  });

  it('TDS stand-in: a Windows server folder gets backslashes; deleteServerCopy removes the server file only after the copy reads back', async () => {
    const r = await rig({
      serverDir: 'D:\\SQL Backups',
      databases: [{ name: 'octane_site', usedBytes: MiB }],
    });
    const { ctx, rec } = await setup(r, { deleteServerCopy: true });
    await createSqlServerStep().run(ctx);
    expect(r.fake.backups[0]?.serverFile).toBe(
      'D:\\SQL Backups\\octane_site_20260101T000000Z-manual-abc123.bak',
    );
    expect(existsSync(r.fake.backups[0]?.localFile ?? '')).toBe(false);
    expect(await readdir(r.serverDir)).toEqual([]);
    const dbs = rec.details.databases as { serverCopyDeleted?: boolean; file?: string }[];
    expect(dbs[0]?.serverCopyDeleted).toBe(true);
    expect(existsSync(ctx.out.absPath('octane_site_20260101T000000Z-manual-abc123.bak'))).toBe(true);
  });

  it('TDS stand-in: without copyFrom the .bak stays on the server, recorded with a warning', async () => {
    const r = await rig({ databases: [{ name: 'octane_site', usedBytes: MiB }] });
    const { ctx, rec } = await setup(r, { copyFrom: undefined });
    await createSqlServerStep().run(ctx);
    expect(rec.warnings.map((w) => w.code)).toEqual(['SQLSERVER_BAK_NOT_IN_SET']);
    expect(rec.warnings[0]?.subject).toBe(r.fake.backups[0]?.serverFile);
    expect(ctx.out.artifacts().map((a) => a.path)).toEqual(['database/restore.sql']);
    expect((rec.details.databases as { serverFile: string }[])[0]?.serverFile).toBe(
      r.fake.backups[0]?.serverFile,
    );
  });

  it('TDS stand-in: a login without CREATE DATABASE gets one warning naming that right, and the backups still succeed', async () => {
    const r = await rig({
      canVerify: false,
      databases: [
        { name: 'db1', usedBytes: MiB },
        { name: 'db2', usedBytes: MiB },
      ],
    });
    const { ctx, rec } = await setup(r);
    await createSqlServerStep().run(ctx);
    expect(rec.warnings.map((w) => w.code)).toEqual(['SQLSERVER_VERIFY_NOT_PERMITTED']);
    expect(rec.warnings[0]?.message).toContain('CREATE DATABASE');
    expect(r.fake.statements().filter((s) => s.startsWith('RESTORE VERIFYONLY'))).toHaveLength(1);
    expect((rec.details.databases as { verify: string }[]).map((d) => d.verify)).toEqual([
      'not-permitted',
      'skipped',
    ]);
  });

  it('TDS stand-in: a database that no longer exists stops the run before any backup', async () => {
    const r = await rig({ databases: [{ name: 'octane_site', usedBytes: MiB }] });
    const { ctx } = await setup(r, { databases: ['octane_site', 'octane_sp_gone'] });
    const e = await failure(createSqlServerStep().run(ctx));
    expect(e.code).toBe('SQLSERVER_DATABASE_MISSING');
    expect(e.message).toContain('"octane_sp_gone"');
    expect(r.fake.statements().some((s) => s.startsWith('BACKUP'))).toBe(false);
  });

  it('TDS stand-in: a database the login may not back up (HAS_PERMS_BY_NAME = 0) stops the run before any backup', async () => {
    const r = await rig({
      databases: [
        { name: 'octane_site', usedBytes: MiB },
        { name: 'octane_sp', usedBytes: MiB, canBackup: false },
      ],
    });
    const { ctx } = await setup(r);
    const e = await failure(createSqlServerStep().run(ctx));
    expect(e.code).toBe('SQLSERVER_PERMISSION_DENIED');
    expect(e.fix).toContain('db_backupoperator');
    expect(r.fake.statements().some((s) => s.startsWith('BACKUP'))).toBe(false);
  });

  it('TDS stand-in: error 3201 with operating system error 3 says the folder is missing and that mapped drives are invisible', async () => {
    const r = await rig({
      serverDir: 'Z:\\Backups',
      databases: [
        {
          name: 'octane_site',
          usedBytes: MiB,
          backup: {
            fail: [
              {
                number: 3201,
                message:
                  "Cannot open backup device 'Z:\\Backups\\x.bak'. Operating system error 3(The system cannot find the path specified.).",
              },
              { number: 3013, message: 'BACKUP DATABASE is terminating abnormally.' },
            ],
          },
        },
      ],
    });
    const { ctx } = await setup(r);
    const e = await failure(createSqlServerStep().run(ctx));
    expect(e.code).toBe('SQLSERVER_BACKUP_DIR_NOT_FOUND');
    expect(e.fix).toContain('mapped drive letters');
    expect(e.fix).toContain('UNC path');
  });
});
